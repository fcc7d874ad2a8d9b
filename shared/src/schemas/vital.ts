import { z } from 'zod';
import { VITAL_FIELDS, VITAL_LIMITS, type VitalField } from '../constants';
import { Id, PageInput, Version } from '../fields';
import { FIELD_LABELS, vitalRangeMessage } from '../labels';
import { says } from '../messages';
import { clinicalMeta } from './consultation';

function measurement(field: VitalField) {
  const { possible, integer } = VITAL_LIMITS[field];
  const [min, max] = possible;
  // Out of range says the whole possible range with its unit, from the same table the flags use.
  const range = vitalRangeMessage(field);
  const base = integer ? z.number().int(`${FIELD_LABELS[field]} must be a whole number`) : z.number();
  return base.min(min, range).max(max, range).nullish();
}

const measurements = Object.fromEntries(VITAL_FIELDS.map((f) => [f, measurement(f)])) as Record<VitalField, ReturnType<typeof measurement>>;

type Measured = Partial<Record<VitalField, number | null | undefined>>;

export const AT_LEAST_ONE_VITAL = 'Record at least one vital sign, such as the pulse';
export const DIASTOLIC_BELOW_SYSTOLIC = 'Diastolic BP must be lower than systolic BP';

function atLeastOne(v: Measured) {
  return VITAL_FIELDS.some((f) => v[f] != null);
}
function diastolicBelowSystolic(v: Measured) {
  return v.systolicBp == null || v.diastolicBp == null || v.diastolicBp < v.systolicBp;
}

export const VitalCreateInput = z
  .object({ patientId: Id, consultationId: Id.nullish(), ...measurements })
  .refine(atLeastOne, { message: AT_LEAST_ONE_VITAL, path: ['pulseRate'] })
  .refine(diastolicBelowSystolic, { message: DIASTOLIC_BELOW_SYSTOLIC, path: ['diastolicBp'] });
export type VitalCreateInput = z.input<typeof VitalCreateInput>;

export const VitalUpdateInput = z
  .object({ patientId: Id, id: Id, version: Version, ...measurements })
  .refine(diastolicBelowSystolic, { message: DIASTOLIC_BELOW_SYSTOLIC, path: ['diastolicBp'] });
export type VitalUpdateInput = z.input<typeof VitalUpdateInput>;

export const VitalListInput = PageInput.extend({ patientId: Id, consultationId: Id.optional() });
export type VitalListInput = z.input<typeof VitalListInput>;

const measurementOutputs = Object.fromEntries(VITAL_FIELDS.map((f) => [f, z.number().nullable()])) as Record<
  VitalField,
  z.ZodNullable<z.ZodNumber>
>;

export const Vital = z.object({
  id: z.number().int(),
  patientId: z.number().int(),
  consultationId: z.number().int().nullable(),
  nurseId: z.number().int(),
  nurseName: z.string(),
  ...measurementOutputs,
  /** Values outside the normal adult range: field → low/high. Empty when all are normal. */
  flags: z.partialRecord(z.enum(VITAL_FIELDS as [VitalField, ...VitalField[]]), z.enum(['low', 'high'])),
  abnormal: z.boolean(),
  ...clinicalMeta,
});
export type Vital = z.infer<typeof Vital>;

/**
 * A reading without its values: which nurse measured which patient when. What an admin (no clinical access) gets from
 * a nurse's activity list (issue 11, finding 8).
 */
export const VitalMeta = Vital.pick({
  id: true,
  patientId: true,
  consultationId: true,
  nurseId: true,
  nurseName: true,
  createdAt: true,
  updatedAt: true,
  createdBy: true,
  updatedBy: true,
  version: true,
  editableUntil: true,
}).extend({ clinicalTextWithheld: z.literal(true) });
export type VitalMeta = z.infer<typeof VitalMeta>;

/** Most readings one trend request returns; a longer period shows its latest readings and says so. */
export const VITAL_SERIES_MAX = 5000;

/** A patient's readings for trend charts: from a moment (or all), oldest first. */
export const VitalSeriesInput = z.object({
  patientId: Id,
  /** ISO-8601 date-time; readings at or after it. Absent: all readings. */
  from: z.iso.datetime({ offset: true, ...says((label) => `${label} must be a date and time such as 2026-11-01T00:00:00Z`) }).optional(),
});
export type VitalSeriesInput = z.input<typeof VitalSeriesInput>;

export const VitalPoint = z.object({ at: z.string(), ...measurementOutputs });
export type VitalPoint = z.infer<typeof VitalPoint>;

export const VitalSeries = z.object({
  items: z.array(VitalPoint),
  /** True when the period had more than VITAL_SERIES_MAX readings: `items` are its latest ones. */
  truncated: z.boolean(),
});
export type VitalSeries = z.infer<typeof VitalSeries>;
