import { and, asc, eq, gt, like, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Drug, DrugCreateInput, DrugListInput, DrugUpdateInput, Page } from '@hmis/shared';
import type { Executor } from '../db/client';
import { drugs } from '../db/schema';
import { audit } from './audit';
import type { Ctx } from './context';
import { bumpCount } from './counts';
import { decodeCursor, pageOf } from './paging';
import { assertVersion, createStamp, definedOnly, diff, found, prefixPattern, recordMetaOf, unchanged, updateStamp } from './rules';

export type DrugRow = typeof drugs.$inferSelect;

export function toDrug(r: DrugRow): Drug {
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
    ...recordMetaOf(r),
  };
}

export async function getDrugRow(db: Executor, id: number, opts: { forUpdate?: boolean } = {}): Promise<DrugRow> {
  const q = db.select().from(drugs).where(eq(drugs.id, id));
  const [row] = await (opts.forUpdate ? q.for('update') : q);
  return found(row, 'Drug');
}

export async function getDrug(db: Executor, id: number): Promise<Drug> {
  return toDrug(await getDrugRow(db, id));
}

export async function createDrug(db: Executor, ctx: Ctx, input: z.output<typeof DrugCreateInput>): Promise<Drug> {
  return db.transaction(async (tx) => {
    const [res] = await tx.insert(drugs).values({ ...input, ...createStamp(ctx) });
    const created = toDrug(await getDrugRow(tx, res.insertId));
    await bumpCount(tx, 'drugs', 1);
    await audit(tx, ctx, { action: 'create', entityType: 'drug', entityId: created.id, after: created });
    return created;
  });
}

export async function updateDrug(db: Executor, ctx: Ctx, input: z.output<typeof DrugUpdateInput>): Promise<Drug> {
  const { id, version, ...fields } = input;
  return db.transaction(async (tx) => {
    const row = await getDrugRow(tx, id, { forUpdate: true });
    assertVersion(row, version, 'Drug');
    const changes = definedOnly(fields);
    const change = diff(row, changes);
    if (unchanged(change)) return toDrug(row);
    await tx.update(drugs).set({ ...changes, ...updateStamp(ctx, row) }).where(eq(drugs.id, id));
    const updated = toDrug(await getDrugRow(tx, id));
    await audit(tx, ctx, { action: 'update', entityType: 'drug', entityId: id, ...change });
    return updated;
  });
}

/** The catalogue in name order, or the drugs whose name or generic name starts with q. */
export async function listDrugs(db: Executor, input: z.output<typeof DrugListInput>): Promise<Page<Drug>> {
  const where: SQL[] = [];
  if (input.q) {
    const p = prefixPattern(input.q);
    where.push(or(like(drugs.name, p), like(drugs.genericName, p))!);
  }
  const after = decodeCursor(input.cursor, ['string', 'id'] as const);
  if (after) {
    const [name, id] = after;
    where.push(or(gt(drugs.name, name), and(eq(drugs.name, name), gt(drugs.id, id)))!);
  }
  const rows = await db
    .select()
    .from(drugs)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(drugs.name), asc(drugs.id))
    .limit(input.limit + 1);
  return pageOf(rows, input.limit, (r) => [r.name, r.id], toDrug);
}
