/**
 * What the address bar may hold, cleaned before a page sees it: a search parameter that is missing or wrong is
 * dropped (the page shows its default), and a record id that is not a positive whole number becomes 0, which no record
 * has (the page says "not found"). A bookmarked or hand-edited address cannot put a page in a state it does not
 * expect. Plain functions rather than zod: this module is in the first download, and zod is not (decision 023).
 */

/** A string of at most `max` characters, or undefined. */
export function text(value: unknown, max = 100): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** One of `allowed`, or undefined. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A whole number in [min, max] (the router gives numbers or digit strings), or undefined. */
export function wholeNumber(value: unknown, min = 1, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/** A calendar date as YYYY-MM-DD, or undefined. */
export function isoDate(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/** A record id from a path segment: a positive whole number, else 0. */
export const idParam = (value: string): number => wholeNumber(value) ?? 0;

/** The search object: its parameters as the router parsed them (JSON values). */
export type Search = Record<string, unknown>;

/** The cleaned parameters with those that are absent left out: every parameter is optional in a link. */
export function present<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
