/** The readings a trend chart draws (VitalsChart.drawnPoints): few enough to draw fast, no spike or abnormal lost. */
import { describe, expect, it } from 'vitest';
import { DRAWN_POINTS, drawnPoints } from '../../src/features/vitals/VitalsChart';

const series = (n: number, value: (i: number) => number | null) =>
  Array.from({ length: n }, (_, i) => ({ t: i * 3_600_000, pulseRate: value(i) }));

describe('the points a trend chart draws', () => {
  it('are all the readings up to the limit', () => {
    const few = series(DRAWN_POINTS, () => 72);
    expect(drawnPoints(few, ['pulseRate'])).toBe(few);
  });

  it('beyond it, are at most the limit, in time order, with every abnormal reading and the highest and lowest kept', () => {
    // 5,000 normal pulses between 60 and 90, a spike of 180 and a low of 31 somewhere in them, and 40 scattered highs.
    const many = series(5000, (i) => (i === 1234 ? 180 : i === 4321 ? 31 : i % 125 === 7 ? 130 : 60 + ((i * 7) % 31)));
    const drawn = drawnPoints(many, ['pulseRate']);
    const abnormal = many.filter((p) => p.pulseRate! > 100 || p.pulseRate! < 60);
    expect(drawn.length).toBeLessThanOrEqual(DRAWN_POINTS + abnormal.length);
    expect(drawn.length).toBeLessThan(many.length / 5);
    expect(drawn.map((p) => p.t)).toEqual([...drawn.map((p) => p.t)].sort((a, b) => a - b));
    for (const p of abnormal) expect(drawn).toContain(p);
    expect(Math.max(...drawn.map((p) => p.pulseRate!))).toBe(180);
    expect(Math.min(...drawn.map((p) => p.pulseRate!))).toBe(31);
    expect(drawn[0]).toBe(many[0]);
    expect(drawn.at(-1)).toBe(many.at(-1));
  });

  it('keep both lines of blood pressure, with gaps where a reading lacks one', () => {
    const bp = Array.from({ length: 3000 }, (_, i) => ({ t: i, systolicBp: i % 10 ? 120 : null, diastolicBp: i === 2999 ? 115 : 80 }));
    const drawn = drawnPoints(bp, ['systolicBp', 'diastolicBp']);
    expect(drawn.length).toBeLessThanOrEqual(DRAWN_POINTS + 1);
    expect(drawn.some((p) => p.diastolicBp === 115)).toBe(true);
  });
});
