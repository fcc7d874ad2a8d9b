import { describe, expect, it } from 'vitest';
import { atcLevel4, duplicateTherapies } from '../src/therapy';

const line = (drugName: string, ...atcCodes: string[]) => ({ drugName, atcCodes });

describe('duplicate therapy', () => {
  it.each([
    ['J01CA04', 'J01CA'],
    ['J01CR02', 'J01CR'],
    ['J01C', null],
    ['J01', null],
    ['M01AE', 'M01AE'],
  ])('the level-4 group of %s is %s', (code, group) => {
    expect(atcLevel4(code)).toBe(group);
  });

  it('warns of two drugs of one level-4 group (ibuprofen and naproxen), naming both and the group', () => {
    const [dup, ...rest] = duplicateTherapies([line('Ibuprofen', 'M01AE01'), line('Paracetamol', 'N02BE01'), line('Naproxen', 'M01AE02')]);
    expect(rest).toEqual([]);
    expect(dup).toEqual({
      group: 'M01AE',
      lines: [0, 2],
      message: 'Duplicate therapy: Ibuprofen and Naproxen are in the same drug group (ATC M01AE). Check that both are intended.',
    });
  });

  it('warns of the same drug on two lines', () => {
    expect(duplicateTherapies([line('Amoxicillin', 'J01CA04'), line('Amoxicillin', 'J01CA04')])[0]?.message).toMatch(
      /Amoxicillin is prescribed 2 times/,
    );
  });

  it('finds a combination by any of its ingredients (co-amoxiclav J01CR02 and amoxicillin J01CA04 differ at level 4; aspirin in two products does not)', () => {
    expect(duplicateTherapies([line('Co-amoxiclav', 'J01CR02'), line('Amoxicillin', 'J01CA04')])).toEqual([]);
    const combo = duplicateTherapies([line('Aspirin', 'N02BA01', 'B01AC06'), line('Cardiprin', 'B01AC06')]);
    expect(combo.map((d) => d.group)).toEqual(['B01AC']);
  });

  it('does not warn of drugs of different groups, or of unclassified drugs', () => {
    expect(duplicateTherapies([line('Metformin', 'A10BA02'), line('Glibenclamide', 'A10BB01'), line('ORS'), line('Zinc')])).toEqual([]);
  });
});
