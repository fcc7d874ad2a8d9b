import { FIELD_LABELS, VITAL_FIELDS, VITAL_LIMITS, type VitalField } from '@hmis/shared';

/** The vital signs' labels: shared/'s, the same words the validation messages use. */
export const VITAL_LABEL = Object.fromEntries(VITAL_FIELDS.map((f) => [f, FIELD_LABELS[f]])) as Record<VitalField, string>;

export function normalRange(field: VitalField): string | undefined {
  const normal = VITAL_LIMITS[field].normal;
  return normal ? `normal ${normal[0]}–${normal[1]} ${VITAL_LIMITS[field].unit}` : undefined;
}
