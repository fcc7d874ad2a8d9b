import { VITAL_LIMITS, type VitalField } from '@hmis/shared';

export const VITAL_LABEL: Record<VitalField, string> = {
  pulseRate: 'Pulse',
  respiratoryRate: 'Resp. rate',
  systolicBp: 'Systolic BP',
  diastolicBp: 'Diastolic BP',
  temperature: 'Temperature',
  spo2: 'SpO₂',
  heightCm: 'Height',
  weightKg: 'Weight',
};

export function normalRange(field: VitalField): string | undefined {
  const normal = VITAL_LIMITS[field].normal;
  return normal ? `normal ${normal[0]}–${normal[1]} ${VITAL_LIMITS[field].unit}` : undefined;
}
