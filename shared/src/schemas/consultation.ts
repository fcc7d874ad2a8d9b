import { z } from 'zod';
import { Id, LIMITS, optionalText, PageInput, recordMeta, requiredText, Timestamp, Version } from '../fields';

const clinicalFields = {
  presentingComplaint: optionalText(LIMITS.clinicalText),
  historyOfPresentingComplaint: optionalText(LIMITS.clinicalText),
  pastMedicalHistory: optionalText(LIMITS.clinicalText),
  pastObstetricHistory: optionalText(LIMITS.clinicalText),
  pastGynaecologicalHistory: optionalText(LIMITS.clinicalText),
  plan: optionalText(LIMITS.clinicalText),
};

export const ConsultationCreateInput = z.object({
  patientId: Id,
  ...clinicalFields,
  provisionalDiagnosis: requiredText(LIMITS.clinicalText),
});
export type ConsultationCreateInput = z.input<typeof ConsultationCreateInput>;

export const ConsultationUpdateInput = z.object({
  patientId: Id,
  id: Id,
  version: Version,
  ...clinicalFields,
  provisionalDiagnosis: requiredText(LIMITS.clinicalText).optional(),
});
export type ConsultationUpdateInput = z.input<typeof ConsultationUpdateInput>;

export const PatientRecordRef = z.object({ patientId: Id, id: Id });
export type PatientRecordRef = z.input<typeof PatientRecordRef>;

export const PatientPageInput = PageInput.extend({ patientId: Id });
export type PatientPageInput = z.input<typeof PatientPageInput>;

/** Fields every clinical note shows: who wrote it and until when it can still be changed. */
export const clinicalMeta = {
  ...recordMeta,
  editableUntil: Timestamp,
};

export const Consultation = z.object({
  id: z.number().int(),
  patientId: z.number().int(),
  doctorId: z.number().int(),
  doctorName: z.string(),
  presentingComplaint: z.string().nullable(),
  historyOfPresentingComplaint: z.string().nullable(),
  pastMedicalHistory: z.string().nullable(),
  pastObstetricHistory: z.string().nullable(),
  pastGynaecologicalHistory: z.string().nullable(),
  provisionalDiagnosis: z.string(),
  plan: z.string().nullable(),
  ...clinicalMeta,
});
export type Consultation = z.infer<typeof Consultation>;

/**
 * A consultation without its clinical text: who saw which patient when. What an admin (no clinical access) gets from
 * a doctor's activity list (issue 11, finding 8).
 */
export const ConsultationMeta = Consultation.pick({
  id: true,
  patientId: true,
  doctorId: true,
  doctorName: true,
  createdAt: true,
  updatedAt: true,
  createdBy: true,
  updatedBy: true,
  version: true,
  editableUntil: true,
}).extend({ clinicalTextWithheld: z.literal(true) });
export type ConsultationMeta = z.infer<typeof ConsultationMeta>;
