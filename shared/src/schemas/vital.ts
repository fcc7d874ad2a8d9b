import { z } from 'zod';
import { VITAL_FIELDS, VITAL_LIMITS, type VitalField } from '../constants';
import { Id, PageInput, Version } from '../fields';
import { clinicalMeta } from './consultation';

function measurement(field: VitalField) {
  const { possible, unit, integer } = VITAL_LIMITS[field];
  const [min, max] = possible;
  const base = integer ? z.number().int(`${field} must be a whole number`) : z.number();
  return base
    .min(min, `${field} below ${min} ${unit} is not possible`)
    .max(max, `${field} above ${max} ${unit} is not possible`)
    .nullish();
}

const measurements = Object.fromEntries(VITAL_FIELDS.map((f) => [f, measurement(f)])) as Record<
  VitalField,
  ReturnType<typeof measurement>
>;

type Measured = Partial<Record<VitalField, number | null | undefined>>;

function atLeastOne(v: Measured) {
  return VITAL_FIELDS.some((f) => v[f] != null);
}
function diastolicBelowSystolic(v: Measured) {
  return v.systolicBp == null || v.diastolicBp == null || v.diastolicBp < v.systolicBp;
}

export const VitalCreateInput = z
  .object({ patientId: Id, consultationId: Id.nullish(), ...measurements })
  .refine(atLeastOne, { message: 'Record at least one vital sign', path: ['pulseRate'] })
  .refine(diastolicBelowSystolic, { message: 'diastolicBp must be lower than systolicBp', path: ['diastolicBp'] });
export type VitalCreateInput = z.input<typeof VitalCreateInput>;

export const VitalUpdateInput = z
  .object({ patientId: Id, id: Id, version: Version, ...measurements })
  .refine(diastolicBelowSystolic, { message: 'diastolicBp must be lower than systolicBp', path: ['diastolicBp'] });
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
