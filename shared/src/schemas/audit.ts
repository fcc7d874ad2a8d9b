import { z } from 'zod';
import { Id, PageInput } from '../fields';

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'dispense', 'view', 'login', 'logout', 'login_failed'] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AUDIT_ENTITIES = [
  'patient', 'staff', 'consultation', 'prescription', 'drug_line', 'vital', 'nurse_note', 'drug', 'session', 'api_token',
] as const;
export const AuditEntity = z.enum(AUDIT_ENTITIES);
export type AuditEntity = z.infer<typeof AuditEntity>;

export const AuditListInput = PageInput.extend({ patientId: Id.optional(), staffId: Id.optional() }).refine(
  (v) => (v.patientId == null) !== (v.staffId == null),
  { message: 'Choose a patient or a staff member: one of the two', path: ['patientId'] },
);
export type AuditListInput = z.input<typeof AuditListInput>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  action: AuditAction,
  entityType: AuditEntity,
  entityId: z.number().int().nullable(),
  patientId: z.number().int().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  detail: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
