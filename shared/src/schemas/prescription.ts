import { z } from 'zod';
import { PRESCRIPTION_STATUSES } from '../constants';
import { Id, LIMITS, optionalText, PageInput, requiredText, Version, wholeNumber } from '../fields';
import { clinicalMeta } from './consultation';
import { DispensedLot } from './stock';

export const PrescriptionStatus = z.enum(PRESCRIPTION_STATUSES);

export const DrugLineFields = {
  drugId: Id,
  dose: requiredText(LIMITS.shortText),
  frequency: requiredText(LIMITS.shortText),
  duration: requiredText(LIMITS.shortText),
  route: requiredText(LIMITS.shortText),
  /** Units to dispense from stock. */
  quantity: wholeNumber(1, 100_000),
  /** Required when the drug matches one of the patient's recorded allergies; recorded with the line. */
  allergyOverrideReason: optionalText(LIMITS.overrideReason),
};

const ConsultationRef = { patientId: Id, consultationId: Id };

export const PrescriptionCreateInput = z.object({
  ...ConsultationRef,
  notes: optionalText(LIMITS.clinicalText),
  lines: z.array(z.object(DrugLineFields)).max(50).default([]),
});
export type PrescriptionCreateInput = z.input<typeof PrescriptionCreateInput>;

export const PrescriptionRef = z.object(ConsultationRef);
export type PrescriptionRef = z.input<typeof PrescriptionRef>;

export const PrescriptionUpdateInput = z.object({
  ...ConsultationRef,
  version: Version,
  notes: optionalText(LIMITS.clinicalText),
  /** The prescriber may cancel a pending prescription; dispensing is done through `dispense`. */
  status: z.literal('cancelled').optional(),
});
export type PrescriptionUpdateInput = z.input<typeof PrescriptionUpdateInput>;

export const DrugLineCreateInput = z.object({ ...ConsultationRef, ...DrugLineFields });
export type DrugLineCreateInput = z.input<typeof DrugLineCreateInput>;

export const DrugLineUpdateInput = z.object({
  ...ConsultationRef,
  id: Id,
  version: Version,
  drugId: DrugLineFields.drugId.optional(),
  dose: DrugLineFields.dose.optional(),
  frequency: DrugLineFields.frequency.optional(),
  duration: DrugLineFields.duration.optional(),
  route: DrugLineFields.route.optional(),
  quantity: DrugLineFields.quantity.optional(),
  allergyOverrideReason: DrugLineFields.allergyOverrideReason,
});
export type DrugLineUpdateInput = z.input<typeof DrugLineUpdateInput>;

export const DrugLineRef = z.object({ ...ConsultationRef, id: Id });
export type DrugLineRef = z.input<typeof DrugLineRef>;

export const DispenseInput = z.object({ ...ConsultationRef, version: Version.optional() });
export type DispenseInput = z.input<typeof DispenseInput>;

export const PrescriptionQueueInput = PageInput.extend({ status: PrescriptionStatus.default('pending') });
export type PrescriptionQueueInput = z.input<typeof PrescriptionQueueInput>;

/** A patient's prescriptions across consultations, newest first; optionally of one status. */
export const PatientPrescriptionsInput = PageInput.extend({ patientId: Id, status: PrescriptionStatus.optional() });
export type PatientPrescriptionsInput = z.input<typeof PatientPrescriptionsInput>;

export const DrugLine = z.object({
  id: z.number().int(),
  prescriptionId: z.number().int(),
  drugId: z.number().int(),
  drugName: z.string(),
  dose: z.string(),
  frequency: z.string(),
  duration: z.string(),
  route: z.string(),
  quantity: z.number().int(),
  allergyOverrideReason: z.string().nullable(),
  /** The recorded allergies the override reason was given for (null: no override, or one written before this was kept). */
  allergyOverrideFor: z.array(z.string()).nullable(),
  /** Once dispensed: the lots the line was taken from, first expiry first (empty before). */
  dispensedLots: z.array(DispensedLot),
  ...clinicalMeta,
});
export type DrugLine = z.infer<typeof DrugLine>;

export const Prescription = z.object({
  id: z.number().int(),
  patientId: z.number().int(),
  consultationId: z.number().int(),
  prescriberId: z.number().int(),
  prescriberName: z.string(),
  status: PrescriptionStatus,
  notes: z.string().nullable(),
  dispensedBy: z.number().int().nullable(),
  dispensedAt: z.string().nullable(),
  lines: z.array(DrugLine),
  /** Lines in the same WHO ATC level-4 group (shared therapy.ts): a warning for prescriber and pharmacist. */
  duplicateTherapy: z.array(z.object({ group: z.string(), lineIds: z.array(z.number().int()), message: z.string() })),
  ...clinicalMeta,
});
export type Prescription = z.infer<typeof Prescription>;

/**
 * A prescription without its drugs and notes: who prescribed (and dispensed) for which patient when. What an admin
 * (no clinical access) gets from a doctor's or a pharmacist's activity list (issue 11, finding 8).
 */
export const PrescriptionMeta = Prescription.pick({
  id: true,
  patientId: true,
  consultationId: true,
  prescriberId: true,
  prescriberName: true,
  status: true,
  dispensedBy: true,
  dispensedAt: true,
  createdAt: true,
  updatedAt: true,
  createdBy: true,
  updatedBy: true,
  version: true,
  editableUntil: true,
}).extend({ clinicalTextWithheld: z.literal(true) });
export type PrescriptionMeta = z.infer<typeof PrescriptionMeta>;
export type PrescriptionStatus = z.infer<typeof PrescriptionStatus>;
