import { and, desc, eq, gt, inArray, like, lt, notLike, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { union, type AnyMySqlColumn } from 'drizzle-orm/mysql-core';
import {
  normalizePhone, type Page, type Patient, type PatientCreateInput, type PatientListInput, type PatientUpdateInput,
} from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
import { patients } from '../db/schema';
import { invalid } from '../errors';
import { audit } from './audit';
import type { Ctx } from './context';
import { bumpCount } from './counts';
import { cursorId, decodeCursor, pageOf } from './paging';
import {
  assertVersion, createStamp, definedOnly, diff, found, personOf, prefixPattern, recordMetaOf, unchanged, updateStamp,
} from './rules';

type PatientRow = typeof patients.$inferSelect;
type CreateInput = z.output<typeof PatientCreateInput>;
type UpdateInput = z.output<typeof PatientUpdateInput>;
type ListInput = z.output<typeof PatientListInput>;

/** Server-assigned MRNs; a registrar-supplied MRN may not take this form. */
const GENERATED_MRN = /^HMIS-\d+$/;
const generatedMrn = (id: number) => `HMIS-${String(id).padStart(7, '0')}`;

export function toPatient(r: PatientRow): Patient {
  return {
    id: r.id,
    mrn: r.mrn ?? generatedMrn(r.id),
    ...personOf(r),
    email: r.email,
    allergies: r.allergies,
    ...recordMetaOf(r),
  };
}

function assertMrnNotReserved(mrn: string | undefined) {
  if (mrn && GENERATED_MRN.test(mrn)) throw invalid('mrn', 'MRNs of the form HMIS-nnnnnnn are assigned by the system');
}

const selectPatientById = (db: Db) => db.select().from(patients).where(eq(patients.id, sql.placeholder('id'))).prepare();

/** Loads a patient or throws 404. Used by every service that works on a patient's records. */
export async function getPatientRow(db: Executor, id: number, opts: { forUpdate?: boolean } = {}): Promise<PatientRow> {
  const prepared = opts.forUpdate ? null : preparedOn(db, selectPatientById);
  if (prepared) return found((await prepared.execute({ id }))[0], 'Patient');
  const q = db.select().from(patients).where(eq(patients.id, id));
  const [row] = await (opts.forUpdate ? q.for('update') : q);
  return found(row, 'Patient');
}

export async function createPatient(db: Executor, ctx: Ctx, input: CreateInput): Promise<Patient> {
  assertMrnNotReserved(input.mrn);
  return db.transaction(async (tx) => {
    const [res] = await tx.insert(patients).values({ ...input, mrn: input.mrn ?? null, ...createStamp(ctx) });
    const id = res.insertId;
    if (!input.mrn) await tx.update(patients).set({ mrn: generatedMrn(id) }).where(eq(patients.id, id));
    const patient = toPatient(await getPatientRow(tx, id));
    await bumpCount(tx, 'patients', 1);
    await audit(tx, ctx, { action: 'create', entityType: 'patient', entityId: id, patientId: id, after: patient });
    return patient;
  });
}

/** Opening a patient's record is itself audited (a view event). */
export async function getPatient(db: Executor, ctx: Ctx, id: number): Promise<Patient> {
  const patient = toPatient(await getPatientRow(db, id));
  await audit(db, ctx, { action: 'view', entityType: 'patient', entityId: id, patientId: id });
  return patient;
}

export async function updatePatient(db: Executor, ctx: Ctx, input: UpdateInput): Promise<Patient> {
  const { id, version, ...fields } = input;
  return db.transaction(async (tx) => {
    const row = await getPatientRow(tx, id, { forUpdate: true });
    assertVersion(row, version, 'Patient');
    // A client that sends back the record it read also sends the patient's own generated MRN: that is no change.
    if (fields.mrn !== row.mrn) assertMrnNotReserved(fields.mrn);
    const changes = definedOnly(fields);
    const change = diff(toPatient(row), changes);
    if (unchanged(change)) return toPatient(row);
    await tx.update(patients).set({ ...changes, ...updateStamp(ctx, row) }).where(eq(patients.id, id));
    const patient = toPatient(await getPatientRow(tx, id));
    await audit(tx, ctx, { action: 'update', entityType: 'patient', entityId: id, patientId: id, ...change });
    return patient;
  });
}

/** A patient with clinical records cannot be deleted (the database refuses; the client gets 409). */
export async function deletePatient(db: Executor, ctx: Ctx, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await getPatientRow(tx, id, { forUpdate: true });
    await tx.delete(patients).where(eq(patients.id, id));
    await bumpCount(tx, 'patients', -1);
    await audit(tx, ctx, { action: 'delete', entityType: 'patient', entityId: id, patientId: id, before: toPatient(row) });
  });
}

type SearchMode = 'recent' | 'name' | 'phone' | 'mrn';

function searchMode(q: string | undefined): SearchMode {
  if (!q) return 'recent';
  if (/^\+?[\d\s()-]+$/.test(q) && q.replace(/\D/g, '').length >= 3) return 'phone';
  if (/\d/.test(q) && /^[A-Za-z0-9-]+$/.test(q)) return 'mrn';
  return 'name';
}

/**
 * Lists patients, newest first, or searches them: by name prefix (last or first name; "first last" both ways),
 * by MRN prefix, or by phone prefix. Each mode walks one index in order, so a page costs the same at any size.
 */
export async function listPatients(db: Executor, input: ListInput): Promise<Page<Patient>> {
  const { limit, cursor } = input;
  const q = input.q?.trim() || undefined;
  const mode = searchMode(q);
  if (mode === 'phone' || mode === 'mrn') return searchByPrefix(db, mode, q!, limit, cursor);
  if (mode === 'name') return searchByName(db, q!, limit, cursor);
  // Newest first.
  const after = cursorId(cursor);
  const ids = await db
    .select({ id: patients.id })
    .from(patients)
    .where(after ? lt(patients.id, after) : undefined)
    .orderBy(desc(patients.id))
    .limit(limit + 1);
  return pageOf(await rowsInOrder(db, ids), limit, (r) => [r.id], toPatient);
}

/**
 * The order of a prefix search: by the column's index. MRNs are unique, so the MRN alone orders them; InnoDB does not
 * extend a unique index with the primary key, and ordering by (mrn, id) made MariaDB sort every match.
 */
const prefixOrder = (column: 'mrn' | 'phoneNumber') => (column === 'mrn' ? [patients.mrn] : [patients.phoneNumber, patients.id]);

/**
 * The first page of an MRN or phone prefix search, in one prepared query: the page's ids from the column's index
 * alone (a derived table with its own LIMIT, which the optimizer cannot merge away), joined back to the rows.
 */
const firstPageByPrefix = (column: 'mrn' | 'phoneNumber') => (db: Db) => {
  const page = db
    .select({ id: patients.id })
    .from(patients)
    .where(like(patients[column], sql.placeholder('pattern')))
    .orderBy(...prefixOrder(column))
    .limit(sql.placeholder('limit'))
    .as('page');
  return db.select({ p: patients }).from(page).innerJoin(patients, eq(patients.id, page.id)).orderBy(...prefixOrder(column)).prepare();
};
const firstPageByMrn = firstPageByPrefix('mrn');
const firstPageByPhone = firstPageByPrefix('phoneNumber');

/** MRN or phone prefix search in (value, id) order; the cursor is the last row's (value, id). */
async function searchByPrefix(db: Executor, mode: 'mrn' | 'phone', q: string, limit: number, cursor: string | undefined): Promise<Page<Patient>> {
  const col = mode === 'phone' ? patients.phoneNumber : patients.mrn;
  const pattern = prefixPattern(mode === 'phone' ? normalizePhone(q) : q.toUpperCase());
  const key = (r: PatientRow) => [(mode === 'phone' ? r.phoneNumber : r.mrn) ?? '', r.id];
  const after = decodeCursor(cursor, ['string', 'id'] as const);
  const prepared = after ? null : preparedOn(db, mode === 'phone' ? firstPageByPhone : firstPageByMrn);
  if (prepared) {
    const rows = await prepared.execute({ pattern, limit: limit + 1 });
    return pageOf(rows.map((r) => r.p), limit, key, toPatient);
  }
  const where = and(like(col, pattern), after ? or(gt(col, after[0]), and(eq(col, after[0]), gt(patients.id, after[1]))) : undefined);
  const order = prefixOrder(mode === 'phone' ? 'phoneNumber' : 'mrn');
  const ids = await db.select({ id: patients.id }).from(patients).where(where).orderBy(...order).limit(limit + 1);
  return pageOf(await rowsInOrder(db, ids), limit, key, toPatient);
}

/**
 * Two steps (a "deferred join"): the page's ids come from walking an index alone (it holds the sort columns and the
 * id); then those rows are fetched by primary key. Selecting whole rows during the walk made MariaDB read a table row
 * for every index entry it passed: ~10x slower at 1M patients.
 */
async function rowsInOrder(db: Executor, ids: { id: number }[]): Promise<PatientRow[]> {
  if (ids.length === 0) return [];
  const found = await db.select().from(patients).where(inArray(patients.id, ids.map((r) => r.id)));
  const byId = new Map(found.map((r) => [r.id, r]));
  return ids.map((r) => byId.get(r.id)).filter((r): r is PatientRow => r !== undefined);
}

/** Rows after (x, y, id) in (a, b, id) order. */
function after3(a: AnyMySqlColumn, b: AnyMySqlColumn, [x, y, id]: readonly [string, string, number]): SQL {
  return or(gt(a, x), and(eq(a, x), or(gt(b, y), and(eq(b, y), gt(patients.id, id)))))!;
}

/**
 * Name search. Every query walks one index in order and stops after a page, so a page costs the same at any size.
 * - One word: surname matches first, in (last name, first name, id) order, then patients whose first name (and not
 *   surname) matches, in (first name, last name, id) order. Merging both into one alphabetical order would have to
 *   sort every first-name match (10,000+ for a common prefix at 1M patients); a record officer searching "Ade" looks
 *   for the Adeyemis before the Adebayos-by-first-name anyway.
 * - Two words: "first last" or "last first", in (last name, first name, id) order: both ways walk the surname
 *   index, merged on the same keyset.
 */
async function searchByName(db: Executor, q: string, limit: number, cursor: string | undefined): Promise<Page<Patient>> {
  const [a, b] = q.split(/\s+/).slice(0, 2).map(prefixPattern);
  return b ? searchByFullName(db, a!, b, limit, cursor) : searchByOneName(db, a!, limit, cursor);
}

type Part = 'last' | 'first';

async function searchByOneName(db: Executor, word: string, limit: number, cursor: string | undefined): Promise<Page<Patient>> {
  const after = decodeCursor(cursor, ['string', 'string', 'string', 'id'] as const);
  if (after && after[0] !== 'last' && after[0] !== 'first') throw invalid('cursor', 'Not a cursor returned by this list');
  const part = (after?.[0] ?? 'last') as Part;
  const key = after ? ([after[1], after[2], after[3]] as const) : null;
  const found: { id: number; part: Part }[] = [];
  if (part === 'last') {
    const rows = await db
      .select({ id: patients.id })
      .from(patients)
      .where(and(like(patients.lastName, word), key ? after3(patients.lastName, patients.firstName, key) : undefined))
      .orderBy(patients.lastName, patients.firstName, patients.id)
      .limit(limit + 1);
    found.push(...rows.map((r) => ({ id: r.id, part: 'last' as const })));
  }
  if (found.length <= limit) {
    const rows = await db
      .select({ id: patients.id })
      .from(patients)
      .where(
        and(
          like(patients.firstName, word),
          notLike(patients.lastName, word),
          part === 'first' && key ? after3(patients.firstName, patients.lastName, key) : undefined,
        ),
      )
      .orderBy(patients.firstName, patients.lastName, patients.id)
      .limit(limit + 1 - found.length);
    found.push(...rows.map((r) => ({ id: r.id, part: 'first' as const })));
  }
  const partOf = new Map(found.map((f) => [f.id, f.part]));
  return pageOf(await rowsInOrder(db, found), limit, (r) => {
    const p = partOf.get(r.id)!;
    return p === 'last' ? [p, r.lastName, r.firstName, r.id] : [p, r.firstName, r.lastName, r.id];
  }, toPatient);
}

async function searchByFullName(db: Executor, a: string, b: string, limit: number, cursor: string | undefined): Promise<Page<Patient>> {
  const after = decodeCursor(cursor, ['string', 'string', 'id'] as const);
  const order = [patients.lastName, patients.firstName, patients.id] as const;
  const branch = (last: string, first: string) =>
    db
      .select({ id: patients.id, lastName: patients.lastName, firstName: patients.firstName })
      .from(patients)
      .where(and(like(patients.lastName, last), like(patients.firstName, first), after ? after3(patients.lastName, patients.firstName, after) : undefined))
      .orderBy(...order)
      .limit(limit + 1);
  const ids = await union(branch(b, a), branch(a, b)).orderBy(...order).limit(limit + 1);
  return pageOf(await rowsInOrder(db, ids), limit, (r) => [r.lastName, r.firstName, r.id], toPatient);
}
