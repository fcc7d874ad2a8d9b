/** Pieces shared by the clinical-record services (consultations, prescriptions, vitals, nurse notes). */
import { sql } from 'drizzle-orm';
import { staff } from '../db/schema';
import type { Ctx } from './context';
import { assertAuthorCanChange, assertVersion, editableUntil, found, iso, recordMetaOf } from './rules';

/** The author's display name, selected by joining staff on the author column. */
export const authorName = sql<string>`concat_ws(' ', ${staff.firstName}, ${staff.otherNames}, ${staff.lastName})`;

interface ClinicalRow {
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: number | null;
  version: number;
}

/** Loads a record for change (already locked FOR UPDATE by the caller's query) and applies every rule. */
export function checkChange<R extends ClinicalRow>(ctx: Ctx, row: R | undefined, what: string, version?: number): R {
  const r = found(row, what);
  assertAuthorCanChange(ctx, r, what.toLowerCase());
  if (version !== undefined) assertVersion(r, version, what);
  return r;
}

export function clinicalMetaOf(r: ClinicalRow) {
  return { ...recordMetaOf(r), editableUntil: iso(editableUntil(r.createdAt)) };
}
