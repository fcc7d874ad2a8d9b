/**
 * Duplicate therapy (issue 10): two lines of one prescription in the same WHO ATC level-4 group (the chemical
 * subgroup, such as J01CA, penicillins with extended spectrum, or M01AE, propionic acid derivatives) usually mean the
 * same treatment prescribed twice. It is a warning, not a refusal: some combinations are deliberate.
 */

/** The level-4 group of an ATC code ('J01CA' of 'J01CA04'); null when the code is not that specific. */
export function atcLevel4(code: string): string | null {
  return /^[A-Z]\d{2}[A-Z]{2}/.test(code) ? code.slice(0, 5) : null;
}

export interface TherapyLine {
  drugName: string;
  atcCodes: readonly string[];
}

export interface DuplicateTherapy {
  /** The ATC level-4 group the lines share. */
  group: string;
  /** Indexes of the lines in the group, in order. */
  lines: number[];
  message: string;
}

/** The groups with two or more lines, each with a sentence for the prescriber and the pharmacist. */
export function duplicateTherapies(lines: readonly TherapyLine[]): DuplicateTherapy[] {
  const byGroup = new Map<string, number[]>();
  lines.forEach((line, i) => {
    for (const group of new Set(line.atcCodes.map(atcLevel4).filter((g): g is string => g !== null))) {
      byGroup.set(group, [...(byGroup.get(group) ?? []), i]);
    }
  });
  return [...byGroup.entries()]
    .filter(([, idx]) => idx.length > 1)
    .map(([group, idx]) => {
      const names = [...new Set(idx.map((i) => lines[i]!.drugName))];
      const what = names.length === 1 ? `${names[0]} is prescribed ${idx.length} times` : `${joinNames(names)} are in the same drug group`;
      return { group, lines: idx, message: `Duplicate therapy: ${what} (ATC ${group}). Check that both are intended.` };
    });
}

function joinNames(names: string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
