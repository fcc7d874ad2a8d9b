/** Clinical records can be changed or deleted by their author only within this window after creation. */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Page sizes for every list (keyset pagination). */
export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;

/** How far back failed sign-ins count towards the wait before the next try (server/src/services/auth.ts). */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** The longest a session lasts, used or not (cookie and server record). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A session unused this long ends (the server's default for HMIS_SESSION_IDLE_MINUTES; the web client warns before). */
export const SESSION_IDLE_DEFAULT_MS = 30 * 60 * 1000;
/**
 * The server records a session's last use at most this often (not a write per request), so its idle clock can start
 * up to this much before a client's last request: the client's warning allows for it.
 */
export const sessionTouchMs = (idleMs: number): number => Math.min(60_000, idleMs / 4);

export const GENDERS = ['Male', 'Female'] as const;
export const MARITAL_STATUSES = ['Single', 'Married', 'Widowed', 'Divorced'] as const;
export const PRESCRIPTION_STATUSES = ['pending', 'dispensed', 'cancelled'] as const;
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'dispense',
  'view',
  'login',
  'logout',
  'login_failed',
  'login_throttled',
] as const;
/** The drug list's filters (web: /drugs?filter=…). */
export const DRUG_FILTERS = ['lowStock', 'expired', 'expiringSoon'] as const;

/**
 * Vital-sign limits. `possible` bounds reject values that cannot be real (a typo, a unit mix-up);
 * `normal` bounds flag values a clinician should look at. Values are for adults; paediatric ranges differ
 * (see docs/decisions/004-vital-sign-limits.md).
 */
export const VITAL_LIMITS = {
  pulseRate: { unit: 'beats/min', integer: true, possible: [1, 300], normal: [60, 100] },
  respiratoryRate: { unit: 'breaths/min', integer: true, possible: [1, 80], normal: [12, 20] },
  systolicBp: { unit: 'mmHg', integer: true, possible: [40, 300], normal: [90, 139] },
  diastolicBp: { unit: 'mmHg', integer: true, possible: [20, 200], normal: [60, 89] },
  temperature: { unit: '°C', integer: false, possible: [25, 45], normal: [36.1, 37.8] },
  spo2: { unit: '%', integer: true, possible: [50, 100], normal: [95, 100] },
  heightCm: { unit: 'cm', integer: false, possible: [20, 275], normal: null },
  weightKg: { unit: 'kg', integer: false, possible: [0.3, 650], normal: null },
} as const;
export type VitalField = keyof typeof VITAL_LIMITS;
export const VITAL_FIELDS = Object.keys(VITAL_LIMITS) as VitalField[];

/** Which vital values are outside their normal range: field → 'low' | 'high'. */
export function vitalFlags(v: Partial<Record<VitalField, number | null>>): Partial<Record<VitalField, 'low' | 'high'>> {
  const flags: Partial<Record<VitalField, 'low' | 'high'>> = {};
  for (const field of VITAL_FIELDS) {
    const value = v[field];
    const normal = VITAL_LIMITS[field].normal;
    if (value == null || normal == null) continue;
    if (value < normal[0]) flags[field] = 'low';
    else if (value > normal[1]) flags[field] = 'high';
  }
  return flags;
}
