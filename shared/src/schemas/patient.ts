import { z } from 'zod';
import { DateOfBirth, Email, Id, LIMITS, Mrn, PageInput, personFields, personOutputFields, recordMeta, Version } from '../fields';
import { Allergies, AllergyRecord } from './allergy';

export const PatientCreateInput = z.object({
  /** Optional: the hospital's own number. When omitted the server assigns one. */
  mrn: Mrn.optional(),
  ...personFields,
  dob: DateOfBirth,
  email: Email.nullish(),
  allergies: Allergies.default([]),
});
export type PatientCreateInput = z.input<typeof PatientCreateInput>;

export const PatientUpdateInput = z.object({
  id: Id,
  version: Version,
  mrn: Mrn.optional(),
  firstName: personFields.firstName.optional(),
  lastName: personFields.lastName.optional(),
  otherNames: personFields.otherNames,
  gender: personFields.gender.optional(),
  dob: DateOfBirth.optional(),
  maritalStatus: personFields.maritalStatus,
  address: personFields.address,
  phoneNumber: personFields.phoneNumber,
  email: Email.nullish(),
  nextOfKin: personFields.nextOfKin,
  kinAddress: personFields.kinAddress,
  allergies: Allergies.optional(),
});
export type PatientUpdateInput = z.input<typeof PatientUpdateInput>;

export const PatientListInput = PageInput.extend({
  /**
   * What the user has typed so far: a name prefix ("ade", "O'Bri", "Chidi Eze"), an MRN prefix ("hmis-00"), digits
   * alone (an MRN first — "0000001", "1" and "00001" find HMIS-0000001 — then a phone number), or a phone number in
   * any common form ("0803 555 0101", "+234 803…", "08035550101", or its last 7+ digits "5550101"). Decision 009.
   */
  q: z.string().trim().max(LIMITS.searchQuery).optional(),
});
export type PatientListInput = z.input<typeof PatientListInput>;

export const Patient = z.object({
  id: z.number().int(),
  mrn: z.string(),
  ...personOutputFields,
  /** What the patient is allergic to, in words (each allergy's substance): for clients that show a list. */
  allergies: z.array(z.string()),
  /** The allergies in full: coded substance, reaction, severity, who recorded each and when. */
  allergyRecords: z.array(AllergyRecord),
  ...recordMeta,
});
export type Patient = z.infer<typeof Patient>;
