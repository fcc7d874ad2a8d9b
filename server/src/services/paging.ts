/** Keyset pagination: the cursor is the sort key of the last row, opaque to clients (base64url JSON). */
import type { Page } from '@hmis/shared';
import { invalid } from '../errors';

export type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

type Shape = 'id' | 'string';
type Decoded<S extends readonly Shape[]> = { [K in keyof S]: S[K] extends 'id' ? number : string };

function fits(value: unknown, shape: Shape): boolean {
  return shape === 'id' ? typeof value === 'number' && Number.isSafeInteger(value) && value > 0 : typeof value === 'string';
}

/**
 * Decodes a cursor of the given shape (e.g. ['string', 'id'] for name order). Null for no cursor; a 400 naming
 * `cursor` for anything that was not made by encodeCursor for this list.
 */
export function decodeCursor<const S extends readonly Shape[]>(cursor: string | undefined, shape: S): Decoded<S> | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === shape.length && values.every((v, i) => fits(v, shape[i]!))) {
      return values as Decoded<S>;
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw invalid('cursor', 'This page position is out of date or from another list; start again from the first page');
}

/** The id a list keyed by id resumes after. */
export function cursorId(cursor: string | undefined): number | null {
  return decodeCursor(cursor, ['id'] as const)?.[0] ?? null;
}

/** The id a newest-first list resumes below: the cursor's id, or above every id for the first page (one query shape). */
export function beforeId(cursor: string | undefined): number {
  return cursorId(cursor) ?? Number.MAX_SAFE_INTEGER;
}

/** Rows were fetched with limit + 1: the extra row tells whether there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, key: (r: R) => CursorValue[], map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
