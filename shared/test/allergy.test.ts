import { describe, expect, it } from 'vitest';
import {
  ALLERGENS,
  ALLERGY_CLASSES,
  ALLERGY_CLASSES_VERSION,
  AllergyInput,
  allergyMatchMessage,
  allergyRecordOf,
  AtcCode,
  checkAllergies,
  DrugCreateInput,
  fieldLabel,
  PatientAllergiesInput,
  type DrugNames,
} from '../src';

const drug = (name: string, genericName: string | null, atcCodes: string[]): DrugNames => ({ name, genericName, brand: null, atcCodes });
const AMOXICILLIN = drug('Amoxicillin', 'amoxicillin', ['J01CA04']);
const CO_AMOXICLAV = drug('Amoxicillin/Clavulanic acid', 'amoxicillin/clavulanic acid', ['J01CR02']);
const AUGMENTIN_BY_BRAND = drug('Augmentin', null, ['J01CR02']);
const CEFTRIAXONE = drug('Ceftriaxone', 'ceftriaxone', ['J01DD04']);
const CO_TRIMOXAZOLE = drug('Co-trimoxazole', 'sulfamethoxazole/trimethoprim', ['J01EE01']);
const TRIMETHOPRIM = drug('Trimethoprim', 'trimethoprim', ['J01EA01']);
const IBUPROFEN = drug('Ibuprofen', 'ibuprofen', ['M01AE01']);
const DICLOFENAC = drug('Diclofenac', 'diclofenac sodium', ['M01AB05']);
const ASPIRIN = drug('Aspirin', 'acetylsalicylic acid', ['B01AC06']);
const PARACETAMOL = drug('Paracetamol', 'paracetamol', ['N02BE01']);
const METFORMIN = drug('Metformin', 'metformin hydrochloride', ['A10BA02']);
const AZITHROMYCIN = drug('Azithromycin', 'azithromycin', ['J01FA10']);
const CIPROFLOXACIN = drug('Ciprofloxacin', 'ciprofloxacin', ['J01MA02']);

describe('allergy check: by class (ATC groups of the shipped table)', () => {
  it.each([
    ['penicillin', AMOXICILLIN, 'penicillin'],
    ['Penicillins', CO_AMOXICLAV, 'penicillin'],
    ['PCN - rash', AUGMENTIN_BY_BRAND, 'penicillin'],
    ['sulfa', CO_TRIMOXAZOLE, 'sulfonamide'],
    ['sulphonamides', CO_TRIMOXAZOLE, 'sulfonamide'],
    ['NSAIDs', IBUPROFEN, 'NSAID'],
    ['nsaid', DICLOFENAC, 'NSAID'],
    ['NSAIDs', ASPIRIN, 'NSAID'],
    // Aspirin hypersensitivity counts for every NSAID (BNF contra-indication), not only for aspirin.
    ['aspirin', IBUPROFEN, 'NSAID'],
    ['macrolides', AZITHROMYCIN, 'macrolide'],
    ['quinolones', CIPROFLOXACIN, 'fluoroquinolone'],
  ])('an allergy to %s matches %s as a %s', (allergy, d, className) => {
    const { match, unclassified } = checkAllergies(d, [allergy]);
    expect(match).toMatchObject({ kind: 'class', allergy, className });
    expect(match?.source).toMatch(/^WHO ATC\/DDD Index/);
    expect(unclassified).toBe(false);
  });

  it('says which class the drug is in and what the patient is allergic to', () => {
    const { match } = checkAllergies(AMOXICILLIN, ['latex', 'penicillin']);
    expect(allergyMatchMessage('Amoxicillin', match!)).toBe(
      'Amoxicillin is a penicillin; the patient is recorded as allergic to penicillin.',
    );
    expect(allergyMatchMessage('Ibuprofen', checkAllergies(IBUPROFEN, ['NSAIDs']).match!)).toMatch(/^Ibuprofen is an NSAID;/);
  });

  it('a class or ingredient match wins over a cross-reactivity found first', () => {
    const cefalexinAndPenicillin = drug('Ceftriaxone', 'ceftriaxone', ['J01DD04']);
    expect(checkAllergies(cefalexinAndPenicillin, ['penicillin', 'cephalosporins']).match).toMatchObject({
      kind: 'class',
      allergy: 'cephalosporins',
    });
  });
});

describe('allergy check: cross-reactivity', () => {
  it('a penicillin allergy gives a warning for a cephalosporin, naming the guideline', () => {
    const { match } = checkAllergies(CEFTRIAXONE, ['penicillin']);
    expect(match).toMatchObject({
      kind: 'cross-reactivity',
      allergy: 'penicillin',
      className: 'cephalosporin',
      allergyClassName: 'penicillin',
    });
    expect(match?.source).toMatch(/^BNF: cross-sensitivity of penicillin allergy with cephalosporins/);
    expect(allergyMatchMessage('Ceftriaxone', match!)).toMatch(/^Cross-reactivity warning: Ceftriaxone is a cephalosporin/);
  });
  it('a cephalosporin allergy says nothing about a penicillin (the table lists the direction it knows)', () => {
    expect(checkAllergies(AMOXICILLIN, ['cephalosporins']).match).toBeNull();
  });
});

describe('allergy check: no false positives', () => {
  it.each([
    ['penicillin', PARACETAMOL],
    ['penicillin', METFORMIN],
    ['penicillin', AZITHROMYCIN],
    ['sulfa', TRIMETHOPRIM],
    ['NSAIDs', PARACETAMOL],
    ['aspirin', PARACETAMOL],
    ['latex', AMOXICILLIN],
    ['PCN', CIPROFLOXACIN],
  ])('an allergy to %s does not match %s', (allergy, d) => {
    expect(checkAllergies(d, [allergy]).match).toBeNull();
  });
  it('a class synonym must be a whole word: "pen" or "asap" name no class', () => {
    expect(checkAllergies(AMOXICILLIN, ['pen']).match).toBeNull();
    expect(checkAllergies(IBUPROFEN, ['asap']).match).toBeNull();
  });
});

describe('allergy check: by ingredient (the name words, for every drug)', () => {
  it('an allergy naming the ingredient matches, classified or not', () => {
    expect(checkAllergies(CO_AMOXICLAV, ['amoxicillin']).match).toEqual({ kind: 'ingredient', allergy: 'amoxicillin' });
    expect(allergyMatchMessage('Co-amoxiclav', { kind: 'ingredient', allergy: 'amoxicillin' })).toBe(
      "Co-amoxiclav matches the patient's recorded allergy to amoxicillin.",
    );
  });
  it('an unclassified drug is checked by name only, and says so', () => {
    const pen = drug('Phenoxymethylpenicillin', 'phenoxymethylpenicillin', []);
    expect(checkAllergies(pen, ['penicillin'])).toEqual({
      match: { kind: 'ingredient', allergy: 'penicillin' },
      matches: [{ kind: 'ingredient', allergy: 'penicillin' }],
      unclassified: true,
    });
    // Without its ATC code a penicillin whose name does not say so is not recognised: the UI says "unclassified".
    expect(checkAllergies(drug('Amoxil', null, []), ['penicillin'])).toEqual({ match: null, matches: [], unclassified: true });
    expect(checkAllergies({ name: 'Amoxil', genericName: null, brand: null }, ['penicillin']).unclassified).toBe(true);
  });
});

describe('the allergy class table', () => {
  it('is versioned and every entry names its source and valid ATC prefixes', () => {
    expect(ALLERGY_CLASSES_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const c of ALLERGY_CLASSES) {
      expect(c.source, c.id).toMatch(/WHO ATC\/DDD Index/);
      for (const p of c.atcPrefixes) expect(AtcCode.safeParse(p).success, p).toBe(true);
      for (const x of c.crossReactivity ?? [])
        expect(
          ALLERGY_CLASSES.map((o) => o.id),
          c.id,
        ).toContain(x.classId);
    }
  });
  it('no synonym names two classes', () => {
    const all = ALLERGY_CLASSES.flatMap((c) => c.synonyms.map((s) => s.toLowerCase()));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('ATC codes on a drug', () => {
  const base = { name: 'X', formulation: 'tablet', strength: '1 mg', route: 'oral' };
  it('accepts codes and groups of the ATC shape, upper-casing them', () => {
    expect(DrugCreateInput.parse({ ...base, atcCodes: ['j01ca04', 'J01CR', 'N02BA01', 'J'] }).atcCodes).toEqual([
      'J01CA04',
      'J01CR',
      'N02BA01',
      'J',
    ]);
    expect(DrugCreateInput.parse(base).atcCodes).toEqual([]);
  });
  it.each(['J01CA4', 'J1', '01CA04', 'J01CA045', 'J01C4', ''])('refuses %j, naming the code', (code) => {
    const r = DrugCreateInput.safeParse({ ...base, atcCodes: ['J01CA04', code] });
    expect(r.success).toBe(false);
    expect(fieldLabel(r.error!.issues[0]!.path)).toBe('ATC code 2');
    expect(r.error!.issues[0]!.message).toMatch(/must be a WHO ATC code such as J01CA04/);
  });
});

describe('coded allergies (decision 015)', () => {
  const coded = (kind: 'class' | 'substance' | 'allergen', code: string, substance: string) => ({ kind, code, substance });
  const FERROUS_SULFATE = drug('Ferrous sulfate', 'ferrous sulfate', ['B03AA07']);

  it.each([
    ['penicillins', AMOXICILLIN, 'penicillin'],
    ['penicillins', CO_AMOXICLAV, 'penicillin'],
    ['cephalosporins', CEFTRIAXONE, 'cephalosporin'],
    ['sulfonamides', CO_TRIMOXAZOLE, 'sulfonamide'],
    ['nsaids', IBUPROFEN, 'NSAID'],
    ['nsaids', ASPIRIN, 'NSAID'],
    ['macrolides', AZITHROMYCIN, 'macrolide'],
    ['fluoroquinolones', CIPROFLOXACIN, 'fluoroquinolone'],
  ])('a coded class %s matches %s as a %s', (classId, d, className) => {
    expect(checkAllergies(d, [coded('class', classId, 'Coded class')]).match).toMatchObject({
      kind: 'class',
      allergy: 'Coded class',
      className,
    });
  });

  it('a coded sulfonamide allergy does not match Ferrous sulfate (the free-text word match did)', () => {
    expect(checkAllergies(FERROUS_SULFATE, [coded('class', 'sulfonamides', 'Sulfonamides')]).match).toBeNull();
    expect(checkAllergies(FERROUS_SULFATE, ['sulfa']).match).toMatchObject({ kind: 'ingredient' });
  });

  it('a coded substance matches the same ingredient, and the drugs of its class', () => {
    const amoxicillin = coded('substance', 'J01CA04', 'Amoxicillin');
    expect(checkAllergies(CO_AMOXICLAV, [amoxicillin]).match).toMatchObject({ kind: 'class', className: 'penicillin' });
    expect(checkAllergies(AMOXICILLIN, [amoxicillin]).match).toMatchObject({ kind: 'ingredient', allergy: 'Amoxicillin' });
    expect(checkAllergies(CEFTRIAXONE, [amoxicillin]).match).toMatchObject({ kind: 'cross-reactivity', allergyClassName: 'penicillin' });
    expect(checkAllergies(PARACETAMOL, [amoxicillin]).match).toBeNull();
  });

  it('a non-drug allergen matches no drug, whatever its name', () => {
    expect(checkAllergies(drug('Latex-free syringe', null, ['V07AB']), [coded('allergen', 'latex', 'Latex')]).match).toBeNull();
    expect(checkAllergies(METFORMIN, [coded('allergen', 'egg', 'Egg')]).match).toBeNull();
  });
});

describe('allergy input', () => {
  it('takes free text as a text allergy, and codes as given (ATC upper-cased)', () => {
    expect(AllergyInput.parse('  penicillin ')).toEqual({ kind: 'text', code: null, substance: 'penicillin', severity: 'unknown' });
    expect(
      AllergyInput.parse({ kind: 'substance', code: 'j01ca04', substance: 'Amoxicillin', reaction: 'Urticaria', severity: 'moderate' }),
    ).toEqual({ kind: 'substance', code: 'J01CA04', substance: 'Amoxicillin', reaction: 'Urticaria', severity: 'moderate' });
  });

  it.each([
    [{ kind: 'class', code: 'opioids', substance: 'Opioids' }, 'allergies.0.code', /not an allergy class/],
    [{ kind: 'substance', code: 'J01C', substance: 'Penicillins' }, 'allergies.0.code', /WHO ATC substance code/],
    [{ kind: 'allergen', code: 'cats', substance: 'Cats' }, 'allergies.0.code', /not an allergen/],
    [{ kind: 'class', code: 'penicillins', substance: '' }, 'allergies.0.substance', /^Substance \(allergy 1\) is required/],
    [
      { kind: 'class', code: 'penicillins', substance: 'Penicillins', severity: 'deadly' },
      'allergies.0.severity',
      /^Severity \(allergy 1\) must be/,
    ],
    ['', 'allergies.0.substance', /^Substance \(allergy 1\) is required/],
  ])('refuses %j naming %s', (allergy, path, message) => {
    const issues = PatientAllergiesInput.safeParse({ id: 1, version: 1, allergies: [allergy] }).error?.issues ?? [];
    expect(issues.map((i) => i.path.join('.'))).toEqual([path]);
    expect(issues[0]!.message).toMatch(message);
  });

  it('reads an allergy stored before structuring (a string) as free text with no recorder', () => {
    expect(allergyRecordOf('peanuts')).toEqual({
      kind: 'text',
      code: null,
      substance: 'peanuts',
      reaction: null,
      severity: 'unknown',
      recordedBy: null,
      recordedByName: null,
      recordedAt: null,
    });
  });

  it("reads a record kept before the recorder's name was stored with recordedByName null", () => {
    const older = {
      kind: 'class',
      code: 'penicillins',
      substance: 'Penicillins',
      reaction: null,
      severity: 'severe',
      recordedBy: 4,
      recordedAt: '2026-11-02T09:00:00.000Z',
    } as const;
    expect(allergyRecordOf(older)).toEqual({ ...older, recordedByName: null });
  });

  it('every allergen of the shipped list has a unique id and a name', () => {
    expect(new Set(ALLERGENS.map((a) => a.id)).size).toBe(ALLERGENS.length);
    expect(ALLERGENS.every((a) => a.name.length > 0)).toBe(true);
  });
});

describe('allergy check: every matching allergy, not only the first (a reason is given knowing all of them)', () => {
  it('names a class match and an ingredient match of one drug, each once, in the order recorded', () => {
    const amoxicillin = drug('Amoxicillin', 'Amoxicillin', ['J01CA04']);
    const { match, matches } = checkAllergies(amoxicillin, ['penicillin', 'latex', 'amoxicillin', 'penicillins']);
    expect(match).toMatchObject({ kind: 'class', allergy: 'penicillin' });
    expect(matches.map((m) => [m.kind, m.allergy])).toEqual([
      ['class', 'penicillin'],
      ['ingredient', 'amoxicillin'],
      ['class', 'penicillins'],
    ]);
  });

  it('puts class and ingredient matches before cross-reactivity warnings, whatever the order recorded', () => {
    const ceftriaxone = drug('Ceftriaxone', 'Ceftriaxone', ['J01DD04']);
    const { match, matches } = checkAllergies(ceftriaxone, ['penicillin', 'cephalosporin']);
    expect(match).toMatchObject({ kind: 'class', allergy: 'cephalosporin' });
    expect(matches.map((m) => [m.kind, m.allergy])).toEqual([
      ['class', 'cephalosporin'],
      ['cross-reactivity', 'penicillin'],
    ]);
  });
});
