/**
 * A patient's allergies, structured (issue 10, decision 015): the substance — an allergy class of the shipped table,
 * a drug substance by its WHO ATC code, a non-drug allergen of the shipped list, or free text — with the reaction,
 * the severity, and who recorded it when. Free text stays free text until someone codes it.
 */
import { z } from 'zod';
import { allergenById } from '../allergens';
import { allergyClassById } from '../allergy-classes';
import { Id, LIMITS, optionalText, requiredText, Version } from '../fields';

export const ALLERGY_KINDS = ['class', 'substance', 'allergen', 'text'] as const;
export type AllergyKind = (typeof ALLERGY_KINDS)[number];
export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe', 'unknown'] as const;
export type AllergySeverity = (typeof ALLERGY_SEVERITIES)[number];

/** One WHO ATC substance code (7 characters: J01CA04). */
const SUBSTANCE_CODE = /^[A-Z]\d{2}[A-Z]{2}\d{2}$/;

const CodedAllergy = z
  .object({
    kind: z.enum(ALLERGY_KINDS).default('text'),
    /** class: the class id (penicillins); substance: its ATC code (J01CA04); allergen: its id (latex); text: none. */
    code: z.string().trim().max(32).nullish(),
    /** What the allergy is to, as people read it: "Penicillins", "Amoxicillin", "Latex", or the free text. */
    substance: requiredText(LIMITS.allergy),
    reaction: optionalText(LIMITS.allergyReaction),
    severity: z.enum(ALLERGY_SEVERITIES).default('unknown'),
  })
  .superRefine((a, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: 'custom', path: ['code'], message });
    const code = a.code ?? '';
    if (a.kind === 'text' && code) bad('A free-text allergy has no substance code');
    if (a.kind === 'class' && !allergyClassById(code)) bad('Substance code is not an allergy class of the shipped table');
    if (a.kind === 'substance' && !SUBSTANCE_CODE.test(code.toUpperCase()))
      bad('Substance code must be a WHO ATC substance code such as J01CA04');
    if (a.kind === 'allergen' && !allergenById(code)) bad('Substance code is not an allergen of the shipped list');
  })
  .transform((a) => ({ ...a, code: a.kind === 'text' ? null : a.kind === 'substance' ? a.code!.toUpperCase() : a.code! }));

/** An allergy as given: free text ("penicillin") or coded ({ kind, code, substance, reaction, severity }). */
export const AllergyInput = z.preprocess((v) => (typeof v === 'string' ? { kind: 'text', substance: v } : v), CodedAllergy);
export type AllergyInput = z.input<typeof AllergyInput>;
export const Allergies = z.array(AllergyInput).max(LIMITS.allergiesMax);

/** Replaces a patient's allergy list (record officers and doctors; the version of the patient record). */
export const PatientAllergiesInput = z.object({ id: Id, version: Version, allergies: Allergies });
export type PatientAllergiesInput = z.input<typeof PatientAllergiesInput>;

export const AllergyRecord = z.object({
  kind: z.enum(ALLERGY_KINDS),
  code: z.string().nullable(),
  substance: z.string(),
  reaction: z.string().nullable(),
  severity: z.enum(ALLERGY_SEVERITIES),
  /** Who recorded it and when; null for an allergy recorded before allergies were structured. */
  recordedBy: z.number().int().nullable(),
  /** The recorder's name as it was then, so every reader sees who; null where it was not kept (older records). */
  recordedByName: z.string().nullable(),
  recordedAt: z.string().nullable(),
});
export type AllergyRecord = z.infer<typeof AllergyRecord>;

/** What the allergy typeahead offers for what was typed. */
export const AllergySubstancesInput = z.object({ q: z.string().trim().min(1).max(LIMITS.searchQuery) });
export type AllergySubstancesInput = z.input<typeof AllergySubstancesInput>;
export const AllergySubstance = z.object({
  kind: z.enum(ALLERGY_KINDS),
  code: z.string().nullable(),
  substance: z.string(),
  /** A few words on what it covers: "ATC J01C", "in 3 drugs of the formulary". */
  detail: z.string(),
});
export type AllergySubstance = z.infer<typeof AllergySubstance>;

/** Stored allergies: before structuring, a plain string (free text); since, a record (the recorder's name since 2026-12). */
export type StoredAllergy = string | (Omit<AllergyRecord, 'recordedByName'> & { recordedByName?: string | null });

/** A stored allergy as a record (a plain string is free text recorded before allergies were structured). */
export function allergyRecordOf(a: StoredAllergy): AllergyRecord {
  return typeof a === 'string'
    ? {
        kind: 'text',
        code: null,
        substance: a,
        reaction: null,
        severity: 'unknown',
        recordedBy: null,
        recordedByName: null,
        recordedAt: null,
      }
    : { ...a, recordedByName: a.recordedByName ?? null };
}
