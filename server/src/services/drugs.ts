import { and, asc, desc, eq, gt, gte, isNotNull, isNull, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import {
  addDays,
  EXPIRING_SOON_DAYS,
  expiryStatusOf,
  localIsoDate,
  type Drug,
  type DrugCreateInput,
  type DrugListInput,
  type DrugSummary,
  type DrugUpdateInput,
  type Page,
} from '@hmis/shared';
import type { Clock } from '../clock';
import type { Executor } from '../db/client';
import { drugs } from '../db/schema';
import { invalid } from '../errors';
import { audit } from './audit';
import { recordOpeningStock } from './stock';
import type { Ctx } from './context';
import { bumpCount } from './counts';
import { decodeCursor, pageOf } from './paging';
import { assertVersion, createStamp, definedOnly, diff, found, prefixPattern, recordMetaOf, unchanged, updateStamp } from './rules';

export type DrugRow = typeof drugs.$inferSelect;

/** The lot number of opening stock recorded without one. */
export const OPENING_LOT = 'OPENING';

/**
 * The hospital's calendar day at an instant: the date in the server's time zone (the TZ environment variable; UTC
 * in the Docker image). Expiry — flags, counts, filters and the dispensing check — is judged against this day.
 */
export function hospitalDate(at: Date): string {
  return localIsoDate(at);
}

/** The stored comma-separated ATC codes as a list, and back (the schema has checked each code's shape). */
export const atcCodesOf = (stored: string): string[] => (stored ? stored.split(',') : []);
const storedAtcCodes = (codes: readonly string[]) => [...new Set(codes)].join(',');

/** A drug as it leaves the server; `today` (YYYY-MM-DD) decides its expiry status. */
export function toDrug(r: DrugRow, today: string): Drug {
  return {
    id: r.id,
    name: r.name,
    genericName: r.genericName,
    brand: r.brand,
    formulation: r.formulation,
    strength: r.strength,
    route: r.route,
    stockOnHand: r.stockOnHand,
    reorderLevel: r.reorderLevel,
    belowReorderLevel: r.stockOnHand <= r.reorderLevel,
    expiryDate: r.expiryDate,
    expiryStatus: expiryStatusOf(r.expiryDate, today),
    atcCodes: atcCodesOf(r.atcCodes),
    ...recordMetaOf(r),
  };
}

export async function getDrugRow(db: Executor, id: number, opts: { forUpdate?: boolean } = {}): Promise<DrugRow> {
  const q = db.select().from(drugs).where(eq(drugs.id, id));
  const [row] = await (opts.forUpdate ? q.for('update') : q);
  return found(row, 'Drug');
}

export async function getDrug(db: Executor, ctx: { clock: Clock }, id: number): Promise<Drug> {
  return toDrug(await getDrugRow(db, id), hospitalDate(ctx.clock.now()));
}

export async function createDrug(db: Executor, ctx: Ctx, input: z.output<typeof DrugCreateInput>): Promise<Drug> {
  const { stockOnHand, expiryDate, lotNumber, ...fields } = input;
  return db.transaction(async (tx) => {
    const [res] = await tx
      .insert(drugs)
      .values({ ...fields, stockOnHand: 0, atcCodes: storedAtcCodes(input.atcCodes), ...createStamp(ctx) });
    await recordOpeningStock(tx, ctx, res.insertId, stockOnHand, lotNumber ?? OPENING_LOT, expiryDate ?? null);
    const created = toDrug(await getDrugRow(tx, res.insertId), hospitalDate(ctx.clock.now()));
    await bumpCount(tx, 'drugs', 1);
    await audit(tx, ctx, { action: 'create', entityType: 'drug', entityId: created.id, after: created });
    return created;
  });
}

export async function updateDrug(db: Executor, ctx: Ctx, input: z.output<typeof DrugUpdateInput>): Promise<Drug> {
  const { id, version, atcCodes, stockOnHand, expiryDate, ...fields } = input;
  return db.transaction(async (tx) => {
    const row = await getDrugRow(tx, id, { forUpdate: true });
    assertVersion(row, version, 'Drug');
    if (stockOnHand !== undefined && stockOnHand !== row.stockOnHand) {
      throw invalid(
        'stockOnHand',
        'Stock on hand cannot be edited: record a receipt, an adjustment, a write-off or a return, so every change is in the stock card',
      );
    }
    if (expiryDate !== undefined && expiryDate !== row.expiryDate) {
      throw invalid('expiryDate', "Expiry dates belong to lots: record a receipt with the lot's expiry date, or write off an expired lot");
    }
    const changes = definedOnly({ ...fields, atcCodes: atcCodes && storedAtcCodes(atcCodes) });
    const change = diff(row, changes);
    const today = hospitalDate(ctx.clock.now());
    if (unchanged(change)) return toDrug(row, today);
    await tx
      .update(drugs)
      .set({ ...changes, ...updateStamp(ctx, row) })
      .where(eq(drugs.id, id));
    const updated = toDrug(await getDrugRow(tx, id), today);
    await audit(tx, ctx, { action: 'update', entityType: 'drug', entityId: id, ...change });
    return updated;
  });
}

/** Where a word may start inside a drug name: "Glucophage (Metformin)", "Co-trimoxazole", "Amoxicillin/Clavulanate". */
const WORD_STARTS = [' ', '(', '-', '/', ',', '+', '.'];

/** Name or generic name starting with q, or containing a word that starts with q (LIKE wildcards in q escaped). */
function searchCondition(q: string): SQL {
  const prefix = prefixPattern(q);
  const patterns = [prefix, ...WORD_STARTS.map((c) => `%${c}${prefix}`)];
  return or(...[drugs.name, drugs.genericName].flatMap((column) => patterns.map((p) => like(column, p))))!;
}

type DrugFilter = NonNullable<z.output<typeof DrugListInput>['filter']>;
type DrugSort = z.output<typeof DrugListInput>['sort'];

function filterCondition(filter: DrugFilter, today: string): SQL {
  switch (filter) {
    case 'lowStock':
      return sql`${drugs.stockOnHand} <= ${drugs.reorderLevel}`;
    case 'expired':
      return lt(drugs.expiryDate, today);
    case 'expiringSoon':
      return and(gte(drugs.expiryDate, today), lte(drugs.expiryDate, addDays(today, EXPIRING_SOON_DAYS)))!;
  }
}

/** Name and stock orders: one walk of (name, id) or (stock_on_hand, id). */
const SORTS = {
  name: { column: drugs.name, key: (r: DrugRow) => r.name, parse: (v: string): string | number | null => v },
  stock: {
    column: drugs.stockOnHand,
    key: (r: DrugRow) => String(r.stockOnHand),
    parse: (v: string) => (/^\d{1,9}$/.test(v) ? Number(v) : null),
  },
} satisfies Record<Exclude<DrugSort, 'expiry'>, unknown>;

const selectDrugs = (db: Executor, where: (SQL | undefined)[]) =>
  db
    .select()
    .from(drugs)
    .where(and(...where));

/**
 * The expiry order: the dated drugs by (expiry_date, id), then the undated ones by id — undated last in either
 * direction. Two walks of (expiry_date, id) (NULLs are one range of it); the cursor's value is '' in the second.
 */
async function listByExpiry(db: Executor, where: SQL[], descending: boolean, after: readonly [string, number] | null, limit: number) {
  const direction = descending ? desc : asc;
  const beyond = descending ? lt : gt;
  let rows: DrugRow[] = [];
  const inUndated = after?.[0] === '';
  if (!inUndated) {
    const keyset = after
      ? or(beyond(drugs.expiryDate, after[0]), and(eq(drugs.expiryDate, after[0]), beyond(drugs.id, after[1])))
      : undefined;
    rows = await selectDrugs(db, [...where, isNotNull(drugs.expiryDate), keyset])
      .orderBy(direction(drugs.expiryDate), direction(drugs.id))
      .limit(limit + 1);
  }
  if (rows.length <= limit) {
    const undated = await selectDrugs(db, [...where, isNull(drugs.expiryDate), inUndated ? beyond(drugs.id, after[1]) : undefined])
      .orderBy(direction(drugs.id))
      .limit(limit + 1 - rows.length);
    rows = [...rows, ...undated];
  }
  return rows;
}

/**
 * The catalogue, keyset-paged in the order asked for (name by default), optionally searched (q) and filtered. The
 * cursor names its order, so a cursor of one order is refused by another (400 naming cursor).
 */
export async function listDrugs(db: Executor, ctx: { clock: Clock }, input: z.output<typeof DrugListInput>): Promise<Page<Drug>> {
  const today = hospitalDate(ctx.clock.now());
  const descending = input.dir === 'desc';
  const order = `${input.sort}.${input.dir}`;
  const where: SQL[] = [];
  if (input.q) where.push(searchCondition(input.q));
  if (input.filter) where.push(filterCondition(input.filter, today));
  const cursor = decodeCursor(input.cursor, ['string', 'string', 'id'] as const);
  if (cursor && cursor[0] !== order) throw badCursor();

  if (input.sort === 'expiry') {
    if (cursor && cursor[1] !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(cursor[1])) throw badCursor();
    const rows = await listByExpiry(db, where, descending, cursor ? [cursor[1], cursor[2]] : null, input.limit);
    return pageOf(
      rows,
      input.limit,
      (r) => [order, r.expiryDate ?? '', r.id],
      (r) => toDrug(r, today),
    );
  }

  const sort = SORTS[input.sort];
  if (cursor) {
    const value = sort.parse(cursor[1]);
    if (value === null) throw badCursor();
    const beyond = descending ? lt : gt;
    where.push(or(beyond(sort.column, value), and(eq(sort.column, value), beyond(drugs.id, cursor[2])))!);
  }
  const direction = descending ? desc : asc;
  const rows = await selectDrugs(db, where)
    .orderBy(direction(sort.column), direction(drugs.id))
    .limit(input.limit + 1);
  return pageOf(
    rows,
    input.limit,
    (r) => [order, sort.key(r), r.id],
    (r) => toDrug(r, today),
  );
}

const badCursor = () => invalid('cursor', 'Not a cursor of this list and order');

/** Counts over the whole catalogue (hundreds of rows: one pass, no index needed). */
export async function drugSummary(db: Executor, ctx: { clock: Clock }): Promise<DrugSummary> {
  const today = hospitalDate(ctx.clock.now());
  const soon = addDays(today, EXPIRING_SOON_DAYS);
  const [row] = await db
    .select({
      total: sql<number>`count(*)`,
      belowReorderLevel: sql<number>`coalesce(sum(${drugs.stockOnHand} <= ${drugs.reorderLevel}), 0)`,
      expired: sql<number>`coalesce(sum(${drugs.expiryDate} < ${today}), 0)`,
      expiringSoon: sql<number>`coalesce(sum(${drugs.expiryDate} between ${today} and ${soon}), 0)`,
    })
    .from(drugs);
  return {
    total: Number(row?.total ?? 0),
    belowReorderLevel: Number(row?.belowReorderLevel ?? 0),
    expired: Number(row?.expired ?? 0),
    expiringSoon: Number(row?.expiringSoon ?? 0),
    today,
    expiringSoonDays: EXPIRING_SOON_DAYS,
  };
}
