/**
 * Whether a drug matches one of a patient's recorded (free-text) allergies. One rule for the server's check and for
 * the warning the prescriber sees as the drug is chosen.
 *
 * An allergy matches a drug when a word of the allergy (4+ letters) appears within a word of the drug's name,
 * generic name or brand: "penicillin" matches "Phenoxymethylpenicillin", "sulfa" matches "sulfamethoxazole".
 * Words of the allergy shorter than 4 letters ("to", "and") are ignored so free text does not over-match.
 */
const words = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4);

export interface DrugNames {
  name: string;
  genericName: string | null;
  brand: string | null;
}

/** The first allergy that matches the drug, or null. */
export function allergyMatching(drug: DrugNames, allergies: readonly string[]): string | null {
  const drugWords = [drug.name, drug.genericName, drug.brand].flatMap((n) => (n ? words(n) : []));
  for (const allergy of allergies) {
    if (words(allergy).some((a) => drugWords.some((d) => d.includes(a)))) return allergy;
  }
  return null;
}
