/**
 * The allergy classes the prescribing check knows: what clinicians type for a class, the WHO ATC groups that make up
 * the class, and the classes a patient allergic to it may also react to. Shipped with the code and versioned: a change
 * of an entry is a change of the version (decision 013). No external service is consulted.
 *
 * ATC prefixes are matched against the start of a drug's ATC codes: 'J01C' covers every code in the penicillin group
 * (J01CA04 amoxicillin, J01CR02 amoxicillin and beta-lactamase inhibitor…); a full 7-character code covers one
 * substance.
 */
export const ALLERGY_CLASSES_VERSION = '2026-12-01';

export interface CrossReactivity {
  /** The `id` of the class the patient may also react to. */
  classId: string;
  source: string;
}

export interface AllergyClass {
  id: string;
  /** Singular, as a sentence says it: "Amoxicillin is a penicillin". */
  name: string;
  /** Words and phrases clinicians type for the class (case and punctuation are ignored). */
  synonyms: readonly string[];
  atcPrefixes: readonly string[];
  source: string;
  crossReactivity?: readonly CrossReactivity[];
}

export const ALLERGY_CLASSES: readonly AllergyClass[] = [
  {
    id: 'penicillins',
    name: 'penicillin',
    synonyms: ['penicillin', 'penicillins', 'pcn', 'penicillin antibiotics'],
    atcPrefixes: ['J01C'],
    source: 'WHO ATC/DDD Index: J01C Beta-lactam antibacterials, penicillins',
    crossReactivity: [
      {
        classId: 'cephalosporins',
        source: 'BNF: cross-sensitivity of penicillin allergy with cephalosporins and other beta-lactam antibiotics',
      },
      {
        classId: 'carbapenems',
        source: 'BNF: cross-sensitivity of penicillin allergy with cephalosporins and other beta-lactam antibiotics',
      },
    ],
  },
  {
    id: 'cephalosporins',
    name: 'cephalosporin',
    synonyms: ['cephalosporin', 'cephalosporins', 'cefalosporin', 'cefalosporins'],
    atcPrefixes: ['J01DB', 'J01DC', 'J01DD', 'J01DE'],
    source: 'WHO ATC/DDD Index: J01DB–J01DE first- to fourth-generation cephalosporins',
  },
  {
    id: 'carbapenems',
    name: 'carbapenem',
    synonyms: ['carbapenem', 'carbapenems'],
    atcPrefixes: ['J01DH'],
    source: 'WHO ATC/DDD Index: J01DH Carbapenems',
  },
  {
    id: 'sulfonamides',
    name: 'sulfonamide',
    synonyms: ['sulfonamide', 'sulfonamides', 'sulphonamide', 'sulphonamides', 'sulfa', 'sulpha', 'sulfa drugs', 'sulpha drugs'],
    // J01EA (trimethoprim alone) is not a sulfonamide and is left out.
    atcPrefixes: ['J01EB', 'J01EC', 'J01ED', 'J01EE', 'A07EC01'],
    source:
      'WHO ATC/DDD Index: J01EB–J01EE sulfonamides and their combinations with trimethoprim; A07EC01 sulfasalazine (a sulfapyridine conjugate)',
  },
  {
    id: 'nsaids',
    name: 'NSAID',
    synonyms: [
      'nsaid',
      'nsaids',
      'non steroidal anti inflammatory',
      'non steroidal anti inflammatories',
      'nonsteroidal anti inflammatory',
      'nonsteroidal anti inflammatories',
      'aspirin',
      'acetylsalicylic acid',
      'asa',
    ],
    // M01AX is left out: it holds products that are not NSAIDs (glucosamine, diacerein).
    atcPrefixes: ['M01AA', 'M01AB', 'M01AC', 'M01AE', 'M01AG', 'M01AH', 'N02BA01', 'B01AC06'],
    source:
      'WHO ATC/DDD Index: M01AA–M01AH anti-inflammatory and antirheumatic products, non-steroids; N02BA01 and B01AC06 acetylsalicylic acid. Aspirin counted with the NSAIDs: BNF, NSAIDs contra-indicated with a history of hypersensitivity to aspirin or any other NSAID',
  },
  {
    id: 'macrolides',
    name: 'macrolide',
    synonyms: ['macrolide', 'macrolides'],
    atcPrefixes: ['J01FA'],
    source: 'WHO ATC/DDD Index: J01FA Macrolides',
  },
  {
    id: 'fluoroquinolones',
    name: 'fluoroquinolone',
    synonyms: ['fluoroquinolone', 'fluoroquinolones', 'quinolone', 'quinolones'],
    atcPrefixes: ['J01MA'],
    source: 'WHO ATC/DDD Index: J01MA Fluoroquinolones',
  },
  {
    id: 'tetracyclines',
    name: 'tetracycline',
    synonyms: ['tetracycline', 'tetracyclines'],
    atcPrefixes: ['J01AA', 'S01AA09'],
    source: 'WHO ATC/DDD Index: J01AA Tetracyclines; S01AA09 tetracycline (ophthalmological)',
  },
  {
    id: 'aminoglycosides',
    name: 'aminoglycoside',
    synonyms: ['aminoglycoside', 'aminoglycosides'],
    atcPrefixes: ['J01GB'],
    source: 'WHO ATC/DDD Index: J01GB Other aminoglycosides',
  },
];

export const allergyClassById = (id: string): AllergyClass | undefined => ALLERGY_CLASSES.find((c) => c.id === id);
