/** Rules shared by every clinical record: author-only changes within the edit window, optimistic versions. */
import { EDIT_WINDOW_MS } from '@hmis/shared';
import { forbidden, locked, notFound, staleVersion } from '../errors';
import type { Ctx } from './context';

export function editableUntil(createdAt: Date): Date {
  return new Date(createdAt.getTime() + EDIT_WINDOW_MS);
}

/** The author may change or delete a clinical record until 24 hours after creation; then it is locked. */
export function assertAuthorCanChange(ctx: Ctx, row: { createdBy: number | null; createdAt: Date }, what: string) {
  if (row.createdBy !== ctx.actor.id) throw forbidden(`Only the author can change or delete this ${what}`);
  if (ctx.clock.now().getTime() >= editableUntil(row.createdAt).getTime()) {
    throw locked(what, `This ${what} is locked: records can be changed only within 24 hours of creation`);
  }
}

export function assertVersion(row: { version: number }, version: number, what: string) {
  if (row.version !== version) throw staleVersion(what);
}

export function found<T>(row: T | undefined, what: string): T {
  if (!row) throw notFound(what);
  return row;
}

/** The columns every update stamps. */
export function updateStamp(ctx: Ctx, row: { version: number }) {
  return { updatedAt: ctx.clock.now(), updatedBy: ctx.actor.id, version: row.version + 1 };
}
export function createStamp(ctx: Ctx) {
  const now = ctx.clock.now();
  return { createdAt: now, updatedAt: now, createdBy: ctx.actor.id, updatedBy: ctx.actor.id };
}

/** Keeps only the keys the caller actually sent (undefined means "leave as is"; null clears). */
export function definedOnly<T extends Record<string, unknown>>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** For audit: the old and new values of the fields that changed. */
export function diff(before: Record<string, unknown>, changes: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(v)) {
      b[k] = before[k];
      a[k] = v;
    }
  }
  return { before: b, after: a };
}

export const iso = (d: Date) => d.toISOString();
export const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** Escapes LIKE wildcards so a search for "50%" means the characters, then makes it a prefix pattern. */
export function prefixPattern(q: string): string {
  return `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
