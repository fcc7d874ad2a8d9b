/** Keyset pagination: the cursor is the sort key of the last row, opaque to clients (base64url JSON). */
import type { Page } from '@hmis/shared';
import { invalid } from '../errors';

export type CursorValue = string | number;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Returns null for no cursor; a 400 naming `cursor` for one that was not made by encodeCursor. */
export function decodeCursor(cursor: string | undefined, arity: number): CursorValue[] | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw invalid('cursor', 'Not a cursor returned by this list');
}

/** Rows were fetched with limit + 1: the extra row tells whether there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, key: (r: R) => CursorValue[], map: (r: R) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(key(last)) : null };
}
