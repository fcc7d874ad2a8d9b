import { z } from 'zod';
import { AUDIT_ACTIONS } from '../constants';
import { Id, PageInput } from '../fields';
import { says } from '../messages';

export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AUDIT_ENTITIES = [
  'patient',
  'staff',
  'consultation',
  'prescription',
  'drug_line',
  'vital',
  'nurse_note',
  'drug',
  'stock_movement',
  'session',
  'api_token',
] as const;
export const AuditEntity = z.enum(AUDIT_ENTITIES);

/** Records whose contents are health or personal data: their audit events show changed fields, never values. */
export const CLINICAL_AUDIT_ENTITIES: readonly AuditEntity[] = [
  'patient',
  'consultation',
  'prescription',
  'drug_line',
  'vital',
  'nurse_note',
];
export type AuditEntity = z.infer<typeof AuditEntity>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (v: string) => z.iso.date().safeParse(v).success;
const isInstant = (v: string) => z.iso.datetime({ offset: true }).safeParse(v).success;

/**
 * A bound of an audit search: a calendar day (YYYY-MM-DD, a whole day in the server's time zone) or an instant with
 * its zone (2026-03-01T08:00:00Z, 2026-03-01T09:00:00+01:00).
 */
export const AuditTimeBound = z
  .string()
  .trim()
  .max(40)
  .refine(
    (v) => (DATE_ONLY.test(v) ? isRealDate(v) : isInstant(v)),
    says((label) => `${label} must be a date (YYYY-MM-DD) or a date and time with its time zone (2026-03-01T08:00:00Z)`),
  );

export const AuditListInput = PageInput.extend({
  patientId: Id.optional(),
  staffId: Id.optional(),
  action: AuditAction.optional(),
  /** From the start of this day, or from this instant. */
  from: AuditTimeBound.optional(),
  /** Up to the end of this day, or up to this instant (inclusive). */
  to: AuditTimeBound.optional(),
}).refine((v) => (v.patientId == null) !== (v.staffId == null), {
  message: 'Choose a patient or a staff member: one of the two',
  path: ['patientId'],
});
export type AuditListInput = z.input<typeof AuditListInput>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  /** The actor's name as it is now; null for events with no actor (failed logins, the first admin). */
  actorName: z.string().nullable(),
  action: AuditAction,
  entityType: AuditEntity,
  entityId: z.number().int().nullable(),
  patientId: z.number().int().nullable(),
  /** The values before and after a change; null for patient and clinical records (see changedFields). */
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  /**
   * For a change of a patient or clinical record: which fields changed, without their values (the audit trail shows
   * who did what and when, not clinical text; decision 016). Null for other records, whose values are shown.
   */
  changedFields: z.array(z.string()).nullable(),
  detail: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
