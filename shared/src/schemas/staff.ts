import { z } from 'zod';
import { ROLES } from '../roles';
import {
  DateOfBirth,
  Email,
  Id,
  LIMITS,
  optionalText,
  PageInput,
  Password,
  personFields,
  personOutputFields,
  QueryBoolean,
  recordMeta,
  Username,
  Version,
} from '../fields';
import { says } from '../messages';

export const RoleSchema = z.enum(ROLES);

/** A staff id in a path: `12` or the readable staff number `DOC0012`. */
export const StaffRef = z.union([
  Id,
  z
    .string()
    .trim()
    .regex(
      /^(ADM|DOC|NRS|PHM|REC)\d{1,15}$/i,
      says((label) => `${label} must be a staff number such as 12 or DOC0012`),
    ),
]);

export const StaffCreateInput = z.object({
  username: Username,
  email: Email,
  password: Password,
  role: RoleSchema,
  jobTitle: optionalText(LIMITS.jobTitle),
  ...personFields,
  dob: DateOfBirth.nullish(),
});
export type StaffCreateInput = z.input<typeof StaffCreateInput>;

export const StaffUpdateInput = z.object({
  id: StaffRef,
  version: Version,
  username: Username.optional(),
  email: Email.optional(),
  /** Setting a password here replaces the staff member's password (hashed) and ends their sessions. */
  password: Password.optional(),
  jobTitle: optionalText(LIMITS.jobTitle),
  firstName: personFields.firstName.optional(),
  lastName: personFields.lastName.optional(),
  otherNames: personFields.otherNames,
  gender: personFields.gender.optional(),
  dob: DateOfBirth.nullish(),
  maritalStatus: personFields.maritalStatus,
  address: personFields.address,
  phoneNumber: personFields.phoneNumber,
  nextOfKin: personFields.nextOfKin,
  kinAddress: personFields.kinAddress,
});
export type StaffUpdateInput = z.input<typeof StaffUpdateInput>;

/** A flag in a query string too: true/false, or "true"/"false". */
export const StaffListInput = PageInput.extend({
  role: RoleSchema,
  /** Active staff (default), or with false the deactivated ones (admin only, to reactivate them). */
  active: QueryBoolean.default(true),
});
export type StaffListInput = z.input<typeof StaffListInput>;

/** The staff record as it leaves the server. No password hash: the schema is the leak guard. */
export const Staff = z.object({
  id: z.number().int(),
  staffNumber: z.string(),
  username: z.string(),
  role: RoleSchema,
  jobTitle: z.string(),
  fullName: z.string(),
  active: z.boolean(),
  ...personOutputFields,
  email: z.string(),
  ...recordMeta,
});
export type Staff = z.infer<typeof Staff>;

/**
 * A colleague as every role sees them in the staff lists: who they are and what they do, not their date of birth,
 * address, phone, email or next of kin (issue 11, finding 3). Admins, and each person for themself, get the full record.
 */
export const StaffDirectoryEntry = Staff.pick({ id: true, staffNumber: true, role: true, jobTitle: true, fullName: true, active: true });
export type StaffDirectoryEntry = z.infer<typeof StaffDirectoryEntry>;
/** An entry of a staff list: the full record (admins, or oneself) or the directory entry. */
export const StaffListEntry = z.union([Staff, StaffDirectoryEntry]);
export type StaffListEntry = z.infer<typeof StaffListEntry>;

export const StaffCounts = z.object(
  Object.fromEntries(ROLES.map((r) => [r, z.number().int()])) as Record<(typeof ROLES)[number], z.ZodNumber>,
);
export type StaffCounts = z.infer<typeof StaffCounts>;

export const StaffRefInput = z.object({ id: StaffRef });
export type StaffRefInput = z.input<typeof StaffRefInput>;

export const StaffActivityInput = PageInput.extend({ staffId: StaffRef });
export type StaffActivityInput = z.input<typeof StaffActivityInput>;
