/**
 * A patient's allergies, structured (decision 015): kept on the patient record as a list of records (a plain string
 * is free text recorded before allergies were structured), changed with the record's version, audited with it.
 */
import { like, or } from 'drizzle-orm';
import type { z } from 'zod';
import {
  ALLERGENS,
  ALLERGY_CLASSES,
  allergyRecordOf,
  type AllergyInput,
  type AllergyRecord,
  type AllergySubstance,
  type AllergySubstancesInput,
  type StoredAllergy,
} from '@hmis/shared';
import type { Executor } from '../db/client';
import { drugs } from '../db/schema';
import type { Ctx } from './context';
import { prefixPattern } from './rules';

type Given = z.output<typeof AllergyInput>;

const sameAllergy = (a: Pick<AllergyRecord, 'kind' | 'code' | 'substance'>, b: Pick<AllergyRecord, 'kind' | 'code' | 'substance'>) =>
  a.kind === b.kind && (a.code ?? null) === (b.code ?? null) && a.substance.toLowerCase() === b.substance.toLowerCase();

/**
 * The new list from the one given: an allergy given as it is recorded keeps who recorded it and when; a new or
 * changed one is recorded by the caller now. Free text naming a recorded allergy (a client sending back the plain
 * `allergies` names it read) keeps that allergy as recorded, coded or not. Duplicates are dropped.
 */
export function mergeAllergies(stored: readonly StoredAllergy[], given: readonly Given[], ctx: Ctx): AllergyRecord[] {
  const current = stored.map(allergyRecordOf);
  const merged: AllergyRecord[] = [];
  for (const a of given) {
    const wanted = { kind: a.kind, code: a.code ?? null, substance: a.substance, reaction: a.reaction ?? null, severity: a.severity };
    const kept =
      current.find((c) => sameAllergy(c, wanted) && c.reaction === wanted.reaction && c.severity === wanted.severity) ??
      (a.kind === 'text' && !a.reaction && a.severity === 'unknown'
        ? current.find((c) => c.substance.toLowerCase() === a.substance.toLowerCase())
        : undefined);
    const record = kept ?? {
      ...wanted,
      recordedBy: ctx.actor.id,
      recordedByName: ctx.actor.name,
      recordedAt: ctx.clock.now().toISOString(),
    };
    if (!merged.some((m) => sameAllergy(m, record))) merged.push(record);
  }
  return merged;
}

const matches = (q: string, ...texts: readonly string[]) => {
  const needle = q.toLowerCase();
  return texts.some(
    (t) =>
      t
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .some((w) => w.startsWith(needle)) || t.toLowerCase().startsWith(needle),
  );
};

/**
 * What the allergy typeahead offers for `q`: allergy classes of the shipped table, drug substances of the formulary
 * (a generic name with one ATC substance code), and non-drug allergens; the client adds "use as free text".
 */
export async function allergySubstances(db: Executor, input: z.output<typeof AllergySubstancesInput>): Promise<AllergySubstance[]> {
  const q = input.q;
  const classes: AllergySubstance[] = ALLERGY_CLASSES.filter((c) => matches(q, c.name, c.id, ...c.synonyms)).map((c) => ({
    kind: 'class',
    code: c.id,
    substance: capitalise(c.id),
    detail: `Drug class: ATC ${c.atcPrefixes.join(', ')}`,
  }));
  const prefix = prefixPattern(q);
  const rows = await db
    .selectDistinct({ genericName: drugs.genericName, atcCodes: drugs.atcCodes })
    .from(drugs)
    .where(or(like(drugs.genericName, prefix), like(drugs.genericName, `% ${prefix}`), like(drugs.name, prefix)))
    .orderBy(drugs.genericName)
    .limit(50);
  const substances = new Map<string, AllergySubstance>();
  for (const r of rows) {
    if (!r.genericName || !/^[A-Z]\d{2}[A-Z]{2}\d{2}$/.test(r.atcCodes)) continue; // one substance code only
    if (!substances.has(r.atcCodes)) {
      substances.set(r.atcCodes, {
        kind: 'substance',
        code: r.atcCodes,
        substance: capitalise(r.genericName),
        detail: `Drug substance: ATC ${r.atcCodes}`,
      });
    }
  }
  const allergens: AllergySubstance[] = ALLERGENS.filter((a) => matches(q, a.name, ...a.synonyms)).map((a) => ({
    kind: 'allergen',
    code: a.id,
    substance: a.name,
    detail: 'Not a drug',
  }));
  return [...classes, ...[...substances.values()].slice(0, 10), ...allergens];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The stored list as records (for output and the checks). */
export const allergyRecords = (stored: readonly StoredAllergy[] | null): AllergyRecord[] => (stored ?? []).map(allergyRecordOf);
