/**
 * Whether a drug matches one of a patient's recorded allergies, coded or free text. One rule for the server's check and for
 * the warning the prescriber sees as the drug is chosen (decision 013).
 *
 * - By class: an allergy naming a class of the shipped table ("penicillin", "sulfa", "NSAIDs") matches a drug whose
 *   ATC code lies in one of the class's ATC groups: "penicillin" matches Amoxicillin (J01CA04).
 * - By ingredient: a word of the allergy (4+ letters) appears within a word of the drug's name, generic name or brand:
 *   "amoxicillin" matches "Amoxicillin/Clavulanic acid", "penicillin" matches "Phenoxymethylpenicillin". Words shorter
 *   than 4 letters ("to", "and") are ignored so free text does not over-match. Kept for every drug, classified or not:
 *   it still over-matches ("sulfa" matches "Ferrous sulfate"), which structured allergies are to end (issue 10).
 * - Cross-reactivity: an allergy naming a class matches a drug of a class listed as cross-reacting ("penicillin" →
 *   Ceftriaxone, a cephalosporin). A warning, which needs a reason like any match.
 */
import { ALLERGY_CLASSES, allergyClassById, type AllergyClass } from './allergy-classes';

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4);
/** Lower case, every run of other characters one space, padded: phrases match on whole words. */
const normal = (text: string) =>
  ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

export interface DrugNames {
  name: string;
  genericName: string | null;
  brand: string | null;
  /** WHO ATC codes; none (or absent): the drug is unclassified and checked by name only. */
  atcCodes?: readonly string[];
}

export type AllergyMatchKind = 'class' | 'ingredient' | 'cross-reactivity';

export interface AllergyMatch {
  kind: AllergyMatchKind;
  /** The patient's allergy as recorded. */
  allergy: string;
  /** The drug's class (class and cross-reactivity matches), singular: "penicillin", "cephalosporin". */
  className?: string;
  /** For cross-reactivity: the class the allergy names ("penicillin"). */
  allergyClassName?: string;
  /** Where the class or the cross-reactivity comes from. */
  source?: string;
}

export interface AllergyCheck {
  /** The first match: a class or ingredient match before a cross-reactivity. */
  match: AllergyMatch | null;
  /**
   * Every recorded allergy the drug matches, each once (by its closest kind of match), class and ingredient matches
   * first: a prescriber overriding one allergy is told of all of them.
   */
  matches: AllergyMatch[];
  /** The drug has no ATC code: only the name match ran. */
  unclassified: boolean;
}

/** The classes an allergy's text names. */
export function classesNamedBy(allergy: string): AllergyClass[] {
  const text = normal(allergy);
  return ALLERGY_CLASSES.filter((c) => c.synonyms.some((s) => text.includes(normal(s))));
}

const inClass = (codes: readonly string[], c: AllergyClass) =>
  codes.some((code) => c.atcPrefixes.some((p) => code.toUpperCase().startsWith(p)));

/**
 * An allergy as the check reads it: free text (a plain string, or kind 'text'), or coded (decision 015). A class is
 * checked by its ATC groups; a drug substance by its own ATC code (ingredient) and by the classes it belongs to; a
 * non-drug allergen against no drug.
 */
export type CheckedAllergy = string | { kind: 'class' | 'substance' | 'allergen' | 'text'; code: string | null; substance: string };

/** The classes an allergy stands for, and whether its words are matched against drug names (free text only). */
function classesOf(a: Exclude<CheckedAllergy, string>): AllergyClass[] {
  switch (a.kind) {
    case 'class': {
      const c = allergyClassById(a.code ?? '');
      return c ? [c] : [];
    }
    case 'substance':
      return ALLERGY_CLASSES.filter((c) => inClass([a.code ?? ''], c));
    case 'allergen':
      return [];
    case 'text':
      return classesNamedBy(a.substance);
  }
}

/** Checks a drug against a patient's allergies: class and ingredient matches first, then cross-reactivity. */
export function checkAllergies(drug: DrugNames, allergies: readonly CheckedAllergy[]): AllergyCheck {
  const codes = (drug.atcCodes ?? []).map((c) => c.toUpperCase());
  const unclassified = codes.length === 0;
  const drugWords = [drug.name, drug.genericName, drug.brand].flatMap((n) => (n ? words(n) : []));
  const direct: AllergyMatch[] = [];
  const crossReactivity: AllergyMatch[] = [];
  for (const raw of allergies) {
    const a = typeof raw === 'string' ? { kind: 'text' as const, code: null, substance: raw } : raw;
    const allergy = a.substance;
    if (a.kind === 'substance' && a.code && codes.includes(a.code.toUpperCase())) {
      direct.push({ kind: 'ingredient', allergy });
      continue;
    }
    const named = classesOf(a);
    const hit = named.find((c) => inClass(codes, c));
    if (hit) {
      direct.push({ kind: 'class', allergy, className: hit.name, source: hit.source });
      continue;
    }
    if (a.kind === 'text' && words(allergy).some((w) => drugWords.some((d) => d.includes(w)))) {
      direct.push({ kind: 'ingredient', allergy });
      continue;
    }
    cross: for (const c of named) {
      for (const x of c.crossReactivity ?? []) {
        const other = allergyClassById(x.classId);
        if (other && inClass(codes, other)) {
          crossReactivity.push({ kind: 'cross-reactivity', allergy, className: other.name, allergyClassName: c.name, source: x.source });
          break cross;
        }
      }
    }
  }
  const matches = [...direct, ...crossReactivity];
  return { match: matches[0] ?? null, matches, unclassified };
}

/** The first allergy that matches the drug (any kind of match), or null. */
export function allergyMatching(drug: DrugNames, allergies: readonly CheckedAllergy[]): string | null {
  return checkAllergies(drug, allergies).match?.allergy ?? null;
}

/** The allergies a set of matches names, each once, in the order matched. */
export const allergiesMatched = (matches: readonly AllergyMatch[]): string[] => [...new Set(matches.map((m) => m.allergy))];

const withArticle = (name: string) => `${/^[aeiou]|^NSAID/i.test(name) ? 'an' : 'a'} ${name}`;

/** What the prescriber is told, one sentence per kind of match (without the request for a reason). */
export function allergyMatchMessage(drugName: string, m: AllergyMatch): string {
  switch (m.kind) {
    case 'class':
      return `${drugName} is ${withArticle(m.className!)}; the patient is recorded as allergic to ${m.allergy}.`;
    case 'ingredient':
      return `${drugName} matches the patient's recorded allergy to ${m.allergy}.`;
    case 'cross-reactivity':
      return `Cross-reactivity warning: ${drugName} is ${withArticle(m.className!)}, and the patient is recorded as allergic to ${m.allergy} (${m.allergyClassName} allergy may cross-react with ${m.className}s).`;
  }
}

/** What the prescriber is told of every match, one sentence each. */
export function allergyMatchesMessage(drugName: string, matches: readonly AllergyMatch[]): string {
  return matches.map((m) => allergyMatchMessage(drugName, m)).join(' ');
}

/** "penicillin", "penicillin and sulfonamides", "a, b and c". */
export function listOfAllergies(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
