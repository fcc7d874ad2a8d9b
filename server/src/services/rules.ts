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
    throw locked(what);
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

/** True when an update would change nothing: then nothing is written, the version stays, no audit event. */
export function unchanged(change: { after: Record<string, unknown> }): boolean {
  return Object.keys(change.after).length === 0;
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

type PersonRow = {
  firstName: string;
  lastName: string;
  otherNames: string | null;
  gender: 'Male' | 'Female';
  dob: string | null;
  maritalStatus: 'Single' | 'Married' | 'Widowed' | 'Divorced' | null;
  address: string | null;
  phoneNumber: string | null;
  nextOfKin: string | null;
  kinAddress: string | null;
};

/** The personal fields patients and staff share (the original BaseUser), as they leave the server. */
export function personOf(r: PersonRow) {
  return {
    firstName: r.firstName,
    lastName: r.lastName,
    otherNames: r.otherNames,
    gender: r.gender,
    dob: r.dob,
    maritalStatus: r.maritalStatus,
    address: r.address,
    phoneNumber: r.phoneNumber,
    nextOfKin: r.nextOfKin,
    kinAddress: r.kinAddress,
  };
}

/** Version, timestamps and authorship of a record, as they leave the server. */
export function recordMetaOf(r: { version: number; createdAt: Date; updatedAt: Date; createdBy: number | null; updatedBy: number | null }) {
  return { version: r.version, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), createdBy: r.createdBy, updatedBy: r.updatedBy };
}
