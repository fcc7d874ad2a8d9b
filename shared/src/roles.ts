/** Staff roles. `recordofficer` keeps the original system's spelling (URL `/staffs/recordofficers`). */
export const ROLES = ['admin', 'doctor', 'nurse', 'pharmacist', 'recordofficer'] as const;
export type Role = (typeof ROLES)[number];

/** Prefix of the readable staff number, e.g. DOC0001. */
export const STAFF_NUMBER_PREFIX: Record<Role, string> = {
  admin: 'ADM',
  doctor: 'DOC',
  nurse: 'NRS',
  pharmacist: 'PHM',
  recordofficer: 'REC',
};

/** Default job titles, as the original system had them. */
export const DEFAULT_JOB_TITLE: Record<Role, string> = {
  admin: 'Admin',
  doctor: 'Doctor',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  recordofficer: 'Record Officer',
};

/** URL segment of each role under /staffs (plural, as in the original REST paths). */
export const ROLE_PATH: Record<Role, string> = {
  admin: 'admins',
  doctor: 'doctors',
  nurse: 'nurses',
  pharmacist: 'pharmacists',
  recordofficer: 'recordofficers',
};

export function formatStaffNumber(role: Role, id: number): string {
  return `${STAFF_NUMBER_PREFIX[role]}${String(id).padStart(4, '0')}`;
}

/** Accepts `12` or `DOC0012`; the prefix, when given, must match a role. Returns null when unparseable. */
export function parseStaffNumber(value: string): number | null {
  const m = /^(?:(ADM|DOC|NRS|PHM|REC))?0*(\d{1,15})$/.exec(value.trim().toUpperCase());
  if (!m?.[2]) return null;
  const id = Number(m[2]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
