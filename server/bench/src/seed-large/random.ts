/** Seeded randomness and fast formatting of the generated values (TSV fields, DATETIME(3) literals). */

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers (each < 2^53) into a 32-bit seed, so every (seed, chunk, table) gets its own stream. */
export function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    for (const word of [p >>> 0, Math.floor(p / 4294967296) >>> 0]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

export const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
/** Approximately standard normal (sum of three uniforms): cheap, bounded at ±3. */
export const normal = (r: Rng) => (r() + r() + r() - 1.5) * 2;
export const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** Picks by weight: `weighted([['a', 3], ['b', 1]])` returns a picker. */
export function weighted<T>(entries: readonly (readonly [T, number])[]): (r: Rng) => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const cumulative = entries.map(([v], i) => [v, entries.slice(0, i + 1).reduce((s, [, w]) => s + w, 0) / total] as const);
  return (r) => {
    const x = r();
    for (const [v, c] of cumulative) if (x < c) return v;
    return cumulative[cumulative.length - 1]![0];
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;
export const NULL = '\\N';

export const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayCache = new Map<number, string>();
/** Days since 1970-01-01 → 'YYYY-MM-DD' (cached: a run touches a few thousand distinct days). */
export function dayStr(day: number): string {
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    dayCache.set(day, s);
  }
  return s;
}
/** ms since the epoch → 'YYYY-MM-DD HH:MM:SS.mmm' (UTC), the DATETIME(3) literal. */
export function ts(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY);
  let rest = t - day * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const s = Math.floor(rest / 1000);
  return `${dayStr(day)} ${P2[h]}:${P2[m]}:${P2[s]}.${P3[rest - s * 1000]}`;
}
export const tenths = (v: number) => {
  const t = Math.round(v * 10);
  return `${Math.floor(t / 10)}.${t % 10}`;
};
export const digits = (r: Rng, n: number) => String(Math.floor(r() * 10 ** n)).padStart(n, '0');
export const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
export const slug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

/** TSV needs no escaping when no value contains a tab, a newline or a backslash: each vocabulary checks its own once. */
export function assertTsvSafe(values: Iterable<string>): void {
  for (const s of values) {
    if (/[\t\n\\]/.test(s)) throw new Error(`seed-large vocabulary entry needs escaping: ${JSON.stringify(s)}`);
  }
}
