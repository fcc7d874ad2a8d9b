import { and, desc, eq, gt, inArray, like, lt, notLike, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { union, type AnyMySqlColumn } from 'drizzle-orm/mysql-core';
import {
  type Page,
  type Patient,
  type PatientAllergiesInput,
  type PatientCreateInput,
  type PatientListInput,
  type PatientUpdateInput,
} from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
import { HOME_COUNTRY_CODE, patients } from '../db/schema';
import { invalid } from '../errors';
import { allergyRecords, mergeAllergies } from './allergies';
import { audit } from './audit';
import type { Ctx } from './context';
import { bumpCount, readStats } from './counts';
import { cursorId, decodeCursor, pageOf } from './paging';
import {
  assertVersion,
  createStamp,
  definedOnly,
  diff,
  found,
  personOf,
  prefixPattern,
  recordMetaOf,
  unchanged,
  updateStamp,
} from './rules';

type PatientRow = typeof patients.$inferSelect;
type CreateInput = z.output<typeof PatientCreateInput>;
type UpdateInput = z.output<typeof PatientUpdateInput>;
type ListInput = z.output<typeof PatientListInput>;

/** Server-assigned MRNs; a registrar-supplied MRN may not take this form. */
const GENERATED_MRN = /^HMIS-\d+$/;
const generatedMrn = (id: number | string) => `HMIS-${String(id).padStart(7, '0')}`;
/** The server-assigned MRN with this number, written in digits with or without leading zeros. */
const generatedMrnOf = (digits: string) => generatedMrn(digits.replace(/^0+(?=\d)/, ''));

export function toPatient(r: PatientRow): Patient {
  return {
    id: r.id,
    mrn: r.mrn ?? generatedMrn(r.id),
    ...personOf(r),
    email: r.email,
    allergies: allergyRecords(r.allergies).map((a) => a.substance),
    allergyRecords: allergyRecords(r.allergies),
    ...recordMetaOf(r),
  };
}

function assertMrnNotReserved(mrn: string | undefined) {
  if (mrn && GENERATED_MRN.test(mrn))
    throw invalid('mrn', 'MRN: numbers of the form HMIS-0000001 are assigned by the system; leave MRN empty to get one');
}

const selectPatientById = (db: Db) =>
  db
    .select()
    .from(patients)
    .where(eq(patients.id, sql.placeholder('id')))
    .prepare();

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
    const allergies = mergeAllergies([], input.allergies, ctx);
    const [res] = await tx.insert(patients).values({ ...input, allergies, mrn: input.mrn ?? null, ...createStamp(ctx) });
    const id = res.insertId;
    if (!input.mrn)
      await tx
        .update(patients)
        .set({ mrn: generatedMrn(id) })
        .where(eq(patients.id, id));
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
    const changes = definedOnly({ ...fields, allergies: fields.allergies && mergeAllergies(row.allergies, fields.allergies, ctx) });
    const change = diff({ ...toPatient(row), allergies: allergyRecords(row.allergies) }, changes);
    if (unchanged(change)) return toPatient(row);
    await tx
      .update(patients)
      .set({ ...changes, ...updateStamp(ctx, row) })
      .where(eq(patients.id, id));
    const patient = toPatient(await getPatientRow(tx, id));
    await audit(tx, ctx, { action: 'update', entityType: 'patient', entityId: id, patientId: id, ...change });
    return patient;
  });
}

/** Replaces the allergy list (record officers and doctors): the same rules as an update of the record's allergies. */
export function setAllergies(db: Executor, ctx: Ctx, input: z.output<typeof PatientAllergiesInput>): Promise<Patient> {
  return updatePatient(db, ctx, { id: input.id, version: input.version, allergies: input.allergies });
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

/**
 * How a search query is read (decision 009). Letters make it a name, unless it is one word of letters, digits and
 * dashes with a digit in it (an MRN such as "hmis-00" or "Q7-12"). Digits alone (dashes allowed: "0000001",
 * "08035550101", "5550101") may be an MRN or a phone number: MRNs are listed first, then phone numbers. Digits with
 * spaces, brackets, dots or a leading + ("0803 555 0101", "+234 803") are a phone number. Punctuation alone finds
 * no one (a name search for it).
 */
type Reading = { mode: 'recent' } | { mode: 'name'; q: string } | { mode: 'number'; sections: readonly SectionKey[]; values: SearchValues };

function readQuery(q: string | undefined): Reading {
  if (!q) return { mode: 'recent' };
  const digits = q.replace(/\D/g, '');
  if (/\p{L}/u.test(q) || !digits) {
    return /\d/.test(q) && /^[A-Za-z0-9-]+$/.test(q) ? { mode: 'number', sections: ['mrn'], values: searchValues(q) } : { mode: 'name', q };
  }
  const byEnd = digits.length >= PHONE_END_MIN_DIGITS;
  if (/^[\d-]+$/.test(q))
    return { mode: 'number', sections: byEnd ? ['mrn', 'phone', 'phone-end'] : ['mrn', 'phone'], values: searchValues(q) };
  if (/^\+?[\d\s().-]+$/.test(q)) {
    const international = q.startsWith('+');
    return { mode: 'number', sections: byEnd && !international ? ['phone', 'phone-end'] : ['phone'], values: searchValues(q) };
  }
  return { mode: 'name', q };
}

/** From this many digits a number is also matched by its end ("5550101" finds +234 803 555 0101). */
const PHONE_END_MIN_DIGITS = 7;

/**
 * Lists patients, newest first, or searches them by name, MRN or phone number (see readQuery). Each way of matching
 * walks one index in order and stops after a page, so a page costs the same at any size.
 */
export async function listPatients(db: Executor, input: ListInput): Promise<Page<Patient>> {
  const { limit, cursor } = input;
  const reading = readQuery(input.q?.trim() || undefined);
  if (reading.mode === 'number') return searchByNumber(db, reading.sections, reading.values, limit, cursor);
  if (reading.mode === 'name') return searchByName(db, reading.q, limit, cursor);
  // Newest first; the first page says how many there are, from the kept count (never a COUNT(*) at 1M patients).
  const after = cursorId(cursor);
  const ids = await db
    .select({ id: patients.id })
    .from(patients)
    .where(after ? lt(patients.id, after) : undefined)
    .orderBy(desc(patients.id))
    .limit(limit + 1);
  const page = pageOf(await rowsInOrder(db, ids), limit, (r) => [r.id], toPatient);
  return after ? page : { ...page, total: (await readStats(db)).patients };
}

/**
 * The international digits a typed phone number starts with, in the form of the phone_intl column
 * (db/schema/patients.ts): "+234 803" → "234803", "0803 555" → "234803555" (national form: trunk 0 → country code),
 * "+234 0803" → "234803", other digits as typed. A prefix of a number gives a prefix of its digits, so this works as
 * the number is typed.
 */
function phoneSearchDigits(q: string): string {
  const digits = q.replace(/\D/g, '');
  if (q.trim().startsWith('+'))
    return digits.startsWith(`${HOME_COUNTRY_CODE}0`) ? HOME_COUNTRY_CODE + digits.slice(HOME_COUNTRY_CODE.length + 1) : digits;
  return digits.startsWith('0') ? HOME_COUNTRY_CODE + digits.slice(1) : digits;
}

/** What one number search compares with (LIKE patterns, and the MRN with the query's number); each section reads its own. */
interface SearchValues {
  /** The MRN starts with the query (upper-cased): "HMIS-00%", "Q7-12%", "2019-003%". */
  mrnStart: string;
  /** The server-assigned MRN with the query's number: "1", "00001" and "0000001" → "HMIS-0000001". */
  mrnNumber: string;
  /** phone_intl starts with these digits. */
  phoneStart: string;
  /** phone_reversed starts with these (the number ends with the query's digits). */
  phoneEnd: string;
}

function searchValues(q: string): SearchValues {
  const mrn = q.toUpperCase();
  const digitsOnly = /^\d+$/.test(q);
  const digits = q.replace(/\D/g, '');
  return {
    mrnStart: prefixPattern(mrn),
    mrnNumber: digitsOnly ? generatedMrnOf(q) : mrn,
    phoneStart: prefixPattern(phoneSearchDigits(q)),
    phoneEnd: prefixPattern([...digits].reverse().join('')),
  };
}

type SectionKey = 'mrn' | 'phone' | 'phone-end';
type Param = (name: keyof SearchValues) => string | Placeholder;

/**
 * One way a number search matches: the condition, and the index order it is listed in. Each is one ordered walk of
 * one index: MRN matches are a range and a point of the unique MRN index (read in MRN order), phone matches a range
 * of (phone_intl, id) or (phone_reversed, id).
 */
interface Section {
  /** The order column; with the id after it unless it is unique. */
  column: typeof patients.mrn | typeof patients.phoneIntl | typeof patients.phoneReversed;
  unique: boolean;
  match(p: Param): SQL;
  keyOf(r: PatientRow): string;
}

const SECTIONS: Record<SectionKey, Section> = {
  mrn: {
    column: patients.mrn,
    unique: true,
    match: (p) => or(like(patients.mrn, p('mrnStart')), eq(patients.mrn, p('mrnNumber')))!,
    keyOf: (r) => r.mrn ?? '',
  },
  phone: {
    column: patients.phoneIntl,
    unique: false,
    match: (p) => like(patients.phoneIntl, p('phoneStart')),
    keyOf: (r) => r.phoneIntl ?? '',
  },
  'phone-end': {
    column: patients.phoneReversed,
    unique: false,
    match: (p) => like(patients.phoneReversed, p('phoneEnd')),
    keyOf: (r) => r.phoneReversed ?? '',
  },
};

type SectionCursor = { index: number; key: string; id: number };

/**
 * The page of a number search as one statement: each section's next ids from its own index walk (limit + 1 each),
 * a patient listed in an earlier section left out of the later ones, the sections in order, then joined to the rows.
 * From the cursor's section on; the sections before it are done.
 */
function numberSearchQuery(db: Executor, keys: readonly SectionKey[], p: Param, limit: number | Placeholder, after: SectionCursor | null) {
  const branches = keys.flatMap((key, i) => {
    if (after && i < after.index) return [];
    const s = SECTIONS[key];
    const earlier = keys.slice(0, i).map((k) => sql`(${SECTIONS[k].match(p)}) is not true`);
    const keyset = after && i === after.index ? afterKey(s, after) : undefined;
    return [
      db
        .select({ id: patients.id, s: sql<number>`${sql.raw(String(i))}`.as('s'), k: sql<string>`${s.column}`.as('k') })
        .from(patients)
        .where(and(s.match(p), ...earlier, keyset))
        .orderBy(...(s.unique ? [s.column] : [s.column, patients.id]))
        .limit(limit),
    ];
  });
  // Written out rather than with drizzle's unionAll, which nests each further branch in another pair of brackets.
  const page = branches.length === 1 ? sql`${branches[0]} \`page\`` : sql`(${sql.join(branches, sql` union all `)}) \`page\``;
  return db
    .select({ p: patients, s: sql<number>`\`page\`.\`s\``.mapWith(Number) })
    .from(page)
    .innerJoin(patients, sql`\`patients\`.\`id\` = \`page\`.\`id\``)
    .orderBy(sql`\`page\`.\`s\``, sql`\`page\`.\`k\``, sql`\`page\`.\`id\``)
    .limit(limit);
}

function afterKey(s: Section, { key, id }: SectionCursor): SQL {
  return s.unique ? gt(s.column, key) : or(gt(s.column, key), and(eq(s.column, key), gt(patients.id, id)))!;
}

/** The first page of each combination of sections, prepared once per pool (preparedOn keys on the function). */
const firstPages = new Map<string, (db: Db) => ReturnType<ReturnType<typeof numberSearchQuery>['prepare']>>();
function firstPageOf(keys: readonly SectionKey[]) {
  const id = keys.join(',');
  let build = firstPages.get(id);
  if (!build) {
    build = (db: Db) => numberSearchQuery(db, keys, (name) => sql.placeholder(name), sql.placeholder('limit'), null).prepare();
    firstPages.set(id, build);
  }
  return build;
}

/** MRN and phone search; the cursor is the last row's (section, key, id). */
async function searchByNumber(
  db: Executor,
  keys: readonly SectionKey[],
  values: SearchValues,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Patient>> {
  const decoded = decodeCursor(cursor, ['string', 'string', 'id'] as const);
  const index = decoded ? keys.indexOf(decoded[0] as SectionKey) : -1;
  if (decoded && index < 0)
    throw invalid('cursor', 'This page position is out of date or from another list; start again from the first page');
  const after = decoded ? { index, key: decoded[1], id: decoded[2] } : null;
  const prepared = after ? null : preparedOn(db, firstPageOf(keys));
  const rows = prepared
    ? await prepared.execute({ ...values, limit: limit + 1 })
    : await numberSearchQuery(db, keys, (name) => values[name], limit + 1, after);
  return pageOf(
    rows,
    limit,
    ({ p, s }) => [keys[s]!, SECTIONS[keys[s]!].keyOf(p), p.id],
    ({ p }) => toPatient(p),
  );
}

/**
 * Two steps (a "deferred join"): the page's ids come from walking an index alone (it holds the sort columns and the
 * id); then those rows are fetched by primary key. Selecting whole rows during the walk made MariaDB read a table row
 * for every index entry it passed: ~10x slower at 1M patients.
 */
async function rowsInOrder(db: Executor, ids: { id: number }[]): Promise<PatientRow[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select()
    .from(patients)
    .where(
      inArray(
        patients.id,
        ids.map((r) => r.id),
      ),
    );
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
  if (after && after[0] !== 'last' && after[0] !== 'first')
    throw invalid('cursor', 'This page position is out of date or from another list; start again from the first page');
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
  return pageOf(
    await rowsInOrder(db, found),
    limit,
    (r) => {
      const p = partOf.get(r.id)!;
      return p === 'last' ? [p, r.lastName, r.firstName, r.id] : [p, r.firstName, r.lastName, r.id];
    },
    toPatient,
  );
}

async function searchByFullName(db: Executor, a: string, b: string, limit: number, cursor: string | undefined): Promise<Page<Patient>> {
  const after = decodeCursor(cursor, ['string', 'string', 'id'] as const);
  const order = [patients.lastName, patients.firstName, patients.id] as const;
  const branch = (last: string, first: string) =>
    db
      .select({ id: patients.id, lastName: patients.lastName, firstName: patients.firstName })
      .from(patients)
      .where(
        and(
          like(patients.lastName, last),
          like(patients.firstName, first),
          after ? after3(patients.lastName, patients.firstName, after) : undefined,
        ),
      )
      .orderBy(...order)
      .limit(limit + 1);
  const ids = await union(branch(b, a), branch(a, b))
    .orderBy(...order)
    .limit(limit + 1);
  return pageOf(await rowsInOrder(db, ids), limit, (r) => [r.lastName, r.firstName, r.id], toPatient);
}
