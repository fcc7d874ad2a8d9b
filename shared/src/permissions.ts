import { ROLES, type Role } from './roles';

const everyone = ROLES;

/**
 * The one permission table. The server enforces it on every procedure; the web client reads it only to hide
 * what a user cannot do. Ownership (author-only edits) and the 24-hour lock are enforced on top, in services.
 */
export const PERMISSIONS = {
  'patient:read': ['doctor', 'nurse', 'pharmacist', 'recordofficer'],
  'patient:write': ['recordofficer'],
  /** Recording and coding allergies (decision 015). */
  'allergy:write': ['recordofficer', 'doctor'],
  'consultation:read': ['doctor', 'nurse'],
  'consultation:write': ['doctor'],
  'prescription:read': ['doctor', 'nurse', 'pharmacist'],
  'prescription:write': ['doctor'],
  'prescription:dispense': ['pharmacist'],
  'vital:read': ['doctor', 'nurse'],
  'vital:write': ['nurse'],
  'nursenote:read': ['doctor', 'nurse'],
  'nursenote:write': ['nurse'],
  'drug:read': ['doctor', 'nurse', 'pharmacist'],
  'drug:write': ['pharmacist'],
  'staff:list': everyone,
  'staff:manage': ['admin'],
  'stats:read': everyone,
  'audit:read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
