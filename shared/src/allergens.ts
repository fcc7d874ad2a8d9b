/**
 * Non-drug allergens a patient can be coded as allergic to (issue 10): foods, latex, venoms and others a hospital
 * must know of (latex gloves, egg, peanut…). Shipped and versioned like the allergy classes; they are not checked
 * against drugs (no drug of the formulary is one of them), and are listed so they are recorded the same way by all.
 * Source: the EU food-allergen list (Regulation (EU) No 1169/2011, Annex II) and common hospital allergens (latex,
 * insect venom, adhesives, nickel) as listed in the WAO White Book on Allergy.
 */
export const ALLERGENS_VERSION = '2026-12-01';

export interface Allergen {
  id: string;
  name: string;
  /** Other words people type for it. */
  synonyms: readonly string[];
}

export const ALLERGENS: readonly Allergen[] = [
  { id: 'latex', name: 'Latex', synonyms: ['natural rubber latex', 'rubber', 'latex gloves'] },
  { id: 'peanut', name: 'Peanut', synonyms: ['groundnut', 'peanuts', 'groundnuts'] },
  { id: 'tree-nuts', name: 'Tree nuts', synonyms: ['nuts', 'cashew', 'almond', 'walnut', 'hazelnut'] },
  { id: 'egg', name: 'Egg', synonyms: ['eggs'] },
  { id: 'milk', name: 'Cow’s milk', synonyms: ['milk', 'dairy', 'lactose'] },
  { id: 'fish', name: 'Fish', synonyms: [] },
  { id: 'shellfish', name: 'Shellfish', synonyms: ['crustaceans', 'prawn', 'shrimp', 'crab', 'crayfish', 'lobster'] },
  { id: 'molluscs', name: 'Molluscs', synonyms: ['snail', 'periwinkle', 'oyster', 'mussel'] },
  { id: 'soy', name: 'Soya', synonyms: ['soy', 'soybean', 'soya bean'] },
  { id: 'wheat', name: 'Wheat (gluten)', synonyms: ['gluten', 'cereals containing gluten'] },
  { id: 'sesame', name: 'Sesame', synonyms: ['beniseed', 'sesame seed'] },
  { id: 'insect-venom', name: 'Insect stings (bee, wasp)', synonyms: ['bee sting', 'wasp sting', 'venom', 'bee', 'wasp'] },
  { id: 'adhesive', name: 'Adhesive plaster', synonyms: ['plaster', 'tape', 'adhesive tape', 'elastoplast'] },
  { id: 'nickel', name: 'Nickel', synonyms: ['metal'] },
  { id: 'dust-mite', name: 'House dust mite', synonyms: ['dust', 'mites'] },
  { id: 'pollen', name: 'Pollen', synonyms: ['grass pollen', 'hay fever'] },
];

export const allergenById = (id: string): Allergen | undefined => ALLERGENS.find((a) => a.id === id);
