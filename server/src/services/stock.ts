/**
 * The stock ledger (issue 10, decision 014). Every change of stock is a movement of one lot, written in the same
 * transaction as the lot's and the drug's stock and the audit event. Every stock change locks the drug row first
 * (then its lots), so changes of one drug are serialised: no oversell, no lost receipt, whatever runs in parallel.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyMySqlColumn } from 'drizzle-orm/mysql-core';
import type { z } from 'zod';
import {
  can,
  expiryStatusOf,
  STOCK_WORDS,
  type DispensedLot,
  type DrugLot,
  type DrugLotsInput,
  type ExpiredLotsInput,
  type ExpiringLotsInput,
  type LotDispense,
  type LotUsageInput,
  type Page,
  type StockAdjustmentInput,
  type StockCardInput,
  type StockChange,
  type StockMovement,
  type StockMovementKind,
  type StockReceiptInput,
  type StockReturnInput,
  type StockWriteOffInput,
} from '@hmis/shared';
import type { Clock } from '../clock';
import type { Executor } from '../db/client';
import { drugLots, drugs, patients, prescriptions, staff, stockMovements } from '../db/schema';
import { AppError, invalid } from '../errors';
import { audit } from './audit';
import { authorName } from './clinical';
import type { Ctx } from './context';
import { getDrugRow, hospitalDate, type DrugRow } from './drugs';
import { cursorId, pageOf } from './paging';
import { createStamp, found, iso } from './rules';

type LotRow = typeof drugLots.$inferSelect;

/** The most units one drug (or lot) may hold. */
const STOCK_MAX = 1_000_000_000;
type MovementRow = typeof stockMovements.$inferSelect;

interface Movement {
  kind: StockMovementKind;
  quantity: number;
  reason?: string | null;
  note?: string | null;
  supplier?: string | null;
  unitCost?: number | null;
  prescriptionId?: number;
  lineId?: number;
  patientId?: number;
}

/**
 * A drug's stock during one transaction: the drug row locked FOR UPDATE, its stock as movements change it, and the
 * movements written. `finish` stores the drug's stock and nearest expiry.
 */
export class DrugStock {
  private constructor(
    readonly drug: DrugRow,
    private stock: number,
    readonly written: MovementRow[] = [],
  ) {}

  /** Locks the drug row: from here until commit no other transaction changes this drug's stock. */
  static async lock(tx: Executor, drugId: number, path = 'drugId'): Promise<DrugStock> {
    const drug = await getDrugRow(tx, drugId, { forUpdate: true }).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND')
        throw new AppError('NOT_FOUND', 'This drug is not in the drug list', [{ path, message: 'Drug not found' }]);
      throw e;
    });
    return new DrugStock(drug, drug.stockOnHand);
  }

  get onHand() {
    return this.stock;
  }

  /** Writes one movement of a locked lot; refuses (400 naming `path`) to take a lot below zero. */
  async move(tx: Executor, ctx: Ctx, lot: LotRow, m: Movement, path = 'quantity'): Promise<MovementRow> {
    const lotBalance = lot.onHand + m.quantity;
    if (lotBalance < 0) {
      throw invalid(path, `Lot ${lot.lotNumber} has ${lot.onHand} on hand; ${-m.quantity} cannot be taken from it`);
    }
    // The stock columns are INT: a count past this is a typing error, refused as one (never a database 500).
    if (lotBalance > STOCK_MAX || this.stock + m.quantity > STOCK_MAX) {
      throw invalid(
        path,
        `Quantity would take the stock of ${this.drug.name} above ${STOCK_MAX.toLocaleString('en')} units; check the quantity`,
      );
    }
    this.stock += m.quantity;
    await tx.update(drugLots).set({ onHand: lotBalance }).where(eq(drugLots.id, lot.id));
    lot.onHand = lotBalance;
    const row = {
      drugId: this.drug.id,
      lotId: lot.id,
      kind: m.kind,
      quantity: m.quantity,
      drugBalance: this.stock,
      lotBalance,
      reason: m.reason ?? null,
      note: m.note ?? null,
      supplier: m.supplier ?? null,
      unitCost: m.unitCost == null ? null : m.unitCost.toFixed(2),
      prescriptionId: m.prescriptionId ?? null,
      lineId: m.lineId ?? null,
      patientId: m.patientId ?? null,
      at: ctx.clock.now(),
      actorId: ctx.actor.id,
    };
    const [res] = await tx.insert(stockMovements).values(row);
    const written = { ...row, id: res.insertId };
    this.written.push(written);
    return written;
  }

  /** Stores the drug's stock on hand and nearest expiry (of the lots with stock), as the movements left them. */
  async finish(tx: Executor): Promise<{ stockOnHand: number; expiryDate: string | null }> {
    const [nearest] = await tx
      .select({ expiryDate: sql<string | null>`min(${drugLots.expiryDate})` })
      .from(drugLots)
      .where(and(eq(drugLots.drugId, this.drug.id), gt(drugLots.onHand, 0)));
    const expiryDate = dateString(nearest?.expiryDate ?? null);
    await tx.update(drugs).set({ stockOnHand: this.stock, expiryDate }).where(eq(drugs.id, this.drug.id));
    return { stockOnHand: this.stock, expiryDate };
  }
}

/** mysql2 returns DATE columns read through an aggregate as a Date or a string depending on the server. */
function dateString(v: unknown): string | null {
  if (v == null) return null;
  if (v instanceof Date) return hospitalDate(v);
  return String(v).slice(0, 10);
}

async function lockLot(tx: Executor, drugId: number, lotId: number): Promise<LotRow> {
  const [lot] = await tx
    .select()
    .from(drugLots)
    .where(and(eq(drugLots.id, lotId), eq(drugLots.drugId, drugId)))
    .for('update');
  if (!lot)
    throw new AppError('NOT_FOUND', 'This lot is not a lot of this drug', [{ path: 'lotId', message: 'Lot not found for this drug' }]);
  return lot;
}

/** Finds the drug's lot of that number, or makes it (empty) with its expiry date and first supplier. */
async function lotForReceipt(
  tx: Executor,
  ctx: Ctx,
  drugId: number,
  lotNumber: string,
  expiryDate: string | null,
  supplier: string | null,
) {
  const [existing] = await tx
    .select()
    .from(drugLots)
    .where(and(eq(drugLots.drugId, drugId), eq(drugLots.lotNumber, lotNumber)))
    .for('update');
  if (existing) {
    if (existing.expiryDate !== expiryDate) {
      throw invalid(
        'expiryDate',
        `Lot ${lotNumber} of this drug was received before with expiry date ${existing.expiryDate ?? 'not recorded'}; check the lot number and the expiry date on the pack`,
      );
    }
    return existing;
  }
  const [res] = await tx.insert(drugLots).values({ drugId, lotNumber, expiryDate, supplier, onHand: 0, ...createStamp(ctx) });
  const [lot] = await tx.select().from(drugLots).where(eq(drugLots.id, res.insertId));
  return lot!;
}

async function auditMovements(tx: Executor, ctx: Ctx, stock: DrugStock, detail: string) {
  for (const m of stock.written) {
    await audit(tx, ctx, {
      action: 'create',
      entityType: 'stock_movement',
      entityId: m.id,
      after: {
        drugId: m.drugId,
        lotId: m.lotId,
        kind: m.kind,
        quantity: m.quantity,
        balance: m.drugBalance,
        reason: m.reason,
        note: m.note,
      },
      detail: `${stock.drug.name}: ${detail}`,
    });
  }
}

async function changeOf(tx: Executor, ctx: Ctx, stock: DrugStock, detail: string): Promise<StockChange> {
  const after = await stock.finish(tx);
  await auditMovements(tx, ctx, stock, detail);
  const movements = await readMovements(tx, inIds(stock.written.map((m) => m.id)));
  return { movements, ...after };
}

const inIds = (ids: number[]) =>
  sql`${stockMovements.id} in (${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;

/**
 * Opening stock: what was on the shelf when the drug was added (or before lots existed). Its expiry date may be past,
 * so expired stock on a shelf can be recorded and written off.
 */
export async function recordOpeningStock(
  tx: Executor,
  ctx: Ctx,
  drugId: number,
  quantity: number,
  lotNumber: string,
  expiryDate: string | null,
) {
  if (quantity <= 0) return;
  const stock = await DrugStock.lock(tx, drugId);
  const lot = await lotForReceipt(tx, ctx, drugId, lotNumber, expiryDate, null);
  await stock.move(tx, ctx, lot, { kind: 'opening', quantity });
  await changeOf(tx, ctx, stock, `opening balance ${quantity} (lot ${lotNumber})`);
}

/** Stock received from a supplier into one lot. An expiry date before today is refused: that stock has expired. */
export async function receiveStock(db: Executor, ctx: Ctx, input: z.output<typeof StockReceiptInput>): Promise<StockChange> {
  const today = hospitalDate(ctx.clock.now());
  if (input.expiryDate < today) {
    throw invalid('expiryDate', `Expiry date ${input.expiryDate} is in the past: expired stock cannot be received`);
  }
  return db.transaction(async (tx) => {
    const stock = await DrugStock.lock(tx, input.drugId);
    const lot = await lotForReceipt(tx, ctx, input.drugId, input.lotNumber, input.expiryDate, input.supplier);
    await stock.move(tx, ctx, lot, {
      kind: 'receipt',
      quantity: input.quantity,
      supplier: input.supplier,
      unitCost: input.unitCost ?? null,
      note: input.note ?? null,
    });
    return changeOf(tx, ctx, stock, `received ${input.quantity} (lot ${input.lotNumber})`);
  });
}

/** A count correction (either way) or damaged or lost units (out), with its reason. */
export async function adjustStock(db: Executor, ctx: Ctx, input: z.output<typeof StockAdjustmentInput>): Promise<StockChange> {
  return db.transaction(async (tx) => {
    const stock = await DrugStock.lock(tx, input.drugId);
    const lot = await lockLot(tx, input.drugId, input.lotId);
    await stock.move(tx, ctx, lot, { kind: 'adjustment', quantity: input.quantity, reason: input.reason, note: input.note ?? null });
    return changeOf(tx, ctx, stock, `${STOCK_WORDS[input.reason].toLowerCase()} ${input.quantity} (lot ${lot.lotNumber})`);
  });
}

/** Takes a lot's stock out unused: all of it by default. An expiry write-off needs a lot that has expired. */
export async function writeOffStock(db: Executor, ctx: Ctx, input: z.output<typeof StockWriteOffInput>): Promise<StockChange> {
  return db.transaction(async (tx) => {
    const stock = await DrugStock.lock(tx, input.drugId);
    const lot = await lockLot(tx, input.drugId, input.lotId);
    const today = hospitalDate(ctx.clock.now());
    if (input.reason === 'expired' && !(lot.expiryDate && lot.expiryDate < today)) {
      throw invalid(
        'reason',
        `Lot ${lot.lotNumber} has not expired (${lot.expiryDate ? `it expires on ${lot.expiryDate}` : 'no expiry date recorded'}); write it off as recalled, or adjust the count`,
      );
    }
    const quantity = input.quantity ?? lot.onHand;
    if (quantity === 0) throw invalid('lotId', `Lot ${lot.lotNumber} has no stock to write off`);
    await stock.move(tx, ctx, lot, { kind: 'write_off', quantity: -quantity, reason: input.reason, note: input.note ?? null });
    return changeOf(tx, ctx, stock, `written off ${quantity}, ${input.reason} (lot ${lot.lotNumber})`);
  });
}

/** Unused units back into the lot they came from. */
export async function returnStock(db: Executor, ctx: Ctx, input: z.output<typeof StockReturnInput>): Promise<StockChange> {
  return db.transaction(async (tx) => {
    const stock = await DrugStock.lock(tx, input.drugId);
    const lot = await lockLot(tx, input.drugId, input.lotId);
    await stock.move(tx, ctx, lot, { kind: 'return', quantity: input.quantity, note: input.note });
    return changeOf(tx, ctx, stock, `returned ${input.quantity} (lot ${lot.lotNumber})`);
  });
}

/** One drug line to dispense: which line, how many, for whom. */
export interface DispenseLine {
  lineId: number;
  drugId: number;
  drugName: string;
  quantity: number;
}

/**
 * Takes a prescription's lines from stock, first expiry first out: per drug the lots in date with stock, nearest
 * expiry first, undated last; a line is split across lots when one is not enough. Never from an expired lot. Returns
 * the lots each line was taken from.
 *
 * The drug rows stay locked until commit, and on this machine a statement's round trip costs more than the
 * statement, so this runs as few as it can while holding them (decision 014, "What it costs"): one statement locks
 * every drug of the prescription with its lots with stock (drugs in id order, the primary key's, each drug before its
 * lots, as receipts lock them), one writes the lots and the drugs (a multi-table UPDATE), one inserts the movements.
 * The drugs' nearest expiry comes from the lots already read.
 */
export async function takeForDispense(
  tx: Executor,
  ctx: Ctx,
  today: string,
  prescription: { id: number; patientId: number },
  lines: DispenseLine[],
): Promise<Map<number, DispensedLot[]>> {
  const drugIds = [...new Set(lines.map((l) => l.drugId))].sort((a, b) => a - b);
  // Every lot with stock, expired ones too: they are never taken, but they count for the drug's nearest expiry.
  const locked = await tx
    .select({ drug: { id: drugs.id, name: drugs.name, stockOnHand: drugs.stockOnHand }, lot: drugLots })
    .from(drugs)
    .leftJoin(drugLots, and(eq(drugLots.drugId, drugs.id), gt(drugLots.onHand, 0)))
    .where(inArray(drugs.id, drugIds))
    .orderBy(asc(drugs.id), sql`${drugLots.expiryDate} is null`, asc(drugLots.expiryDate), asc(drugLots.id))
    .for('update');
  const drugRows = new Map<number, { id: number; name: string; stockOnHand: number }>();
  const lots: LotRow[] = [];
  for (const r of locked) {
    drugRows.set(r.drug.id, r.drug);
    if (r.lot) lots.push(r.lot);
  }
  const missing = drugIds.find((id) => !drugRows.has(id));
  if (missing !== undefined) {
    throw new AppError('NOT_FOUND', 'This drug is not in the drug list', [{ path: `drug.${missing}`, message: 'Drug not found' }]);
  }

  const byLine = new Map<number, DispensedLot[]>();
  const movements: (typeof stockMovements.$inferInsert)[] = [];
  const lotsChanged = new Map<number, number>();
  const stockOf = new Map<number, number>();
  const expiryOf = new Map<number, string | null>();
  const at = ctx.clock.now();
  for (const drug of drugRows.values()) {
    const drugLines = lines.filter((l) => l.drugId === drug.id).sort((a, b) => a.lineId - b.lineId);
    const held = lots.filter((l) => l.drugId === drug.id);
    const usableLots = held.filter((l) => l.expiryDate === null || l.expiryDate >= today);
    const needed = drugLines.reduce((n, l) => n + l.quantity, 0);
    const usable = usableLots.reduce((n, l) => n + l.onHand, 0);
    if (usable < needed) throw notEnough(drug, needed, usable, today);
    let stock = drug.stockOnHand;
    let next = 0;
    for (const line of drugLines) {
      let left = line.quantity;
      const taken: DispensedLot[] = [];
      while (left > 0) {
        const from = usableLots[next]!;
        const n = Math.min(left, from.onHand);
        from.onHand -= n;
        stock -= n;
        lotsChanged.set(from.id, from.onHand);
        movements.push({
          drugId: drug.id,
          lotId: from.id,
          kind: 'dispense',
          quantity: -n,
          drugBalance: stock,
          lotBalance: from.onHand,
          prescriptionId: prescription.id,
          lineId: line.lineId,
          patientId: prescription.patientId,
          at,
          actorId: ctx.actor.id,
        });
        taken.push({ lotId: from.id, lotNumber: from.lotNumber, expiryDate: from.expiryDate, quantity: n });
        left -= n;
        if (from.onHand === 0) next++;
      }
      byLine.set(line.lineId, taken);
    }
    const expiries = held.filter((l) => l.onHand > 0 && l.expiryDate !== null).map((l) => l.expiryDate!);
    stockOf.set(drug.id, stock);
    expiryOf.set(drug.id, expiries.length ? expiries.reduce((a, b) => (b < a ? b : a)) : null);
  }

  // Lots and drugs in one statement: each row of either table is written once, whatever the join yields.
  await tx.execute(
    sql`update ${drugLots}, ${drugs} set ${drugLots.onHand} = ${caseById(drugLots.id, lotsChanged)}, ${drugs.stockOnHand} = ${caseById(
      drugs.id,
      stockOf,
    )}, ${drugs.expiryDate} = ${caseById(drugs.id, expiryOf)} where ${inArray(drugLots.id, [...lotsChanged.keys()])} and ${inArray(
      drugs.id,
      drugIds,
    )}`,
  );
  await tx.insert(stockMovements).values(movements);
  return byLine;
}

/** `CASE id WHEN … THEN … END`: one UPDATE statement giving each row its own value. */
function caseById(column: AnyMySqlColumn, values: Map<number, number | string | null>): SQL {
  const whens = [...values].map(([id, v]) => sql`when ${id} then ${v}`);
  return sql`case ${column} ${sql.join(whens, sql` `)} end`;
}

function notEnough(drug: Pick<DrugRow, 'id' | 'name' | 'stockOnHand'>, needed: number, usable: number, today: string): AppError {
  const expired = drug.stockOnHand - usable;
  const message =
    usable === 0 && expired > 0
      ? `${drug.name} cannot be dispensed: all ${expired} on hand have expired`
      : `Not enough ${drug.name} in stock: ${needed} needed, ${usable} on hand in date${expired > 0 ? ` (${expired} more expired before ${today})` : ''}`;
  return new AppError('INSUFFICIENT_STOCK', message, [
    { path: `drug.${drug.id}`, message: expired > 0 && usable === 0 ? `${drug.name} expired` : `Insufficient stock of ${drug.name}` },
  ]);
}

/**
 * The lots each dispensed line was taken from, for a set of dispensed prescriptions (the dispense record). Looked up
 * by prescription, which is indexed; by line it would scan the whole ledger.
 */
export async function dispensedLotsOf(db: Executor, prescriptionIds: number[]): Promise<Map<number, DispensedLot[]>> {
  const byLine = new Map<number, DispensedLot[]>();
  if (prescriptionIds.length === 0) return byLine;
  const rows = await db
    .select({
      lineId: stockMovements.lineId,
      lotId: drugLots.id,
      lotNumber: drugLots.lotNumber,
      expiryDate: drugLots.expiryDate,
      quantity: stockMovements.quantity,
    })
    .from(stockMovements)
    .innerJoin(drugLots, eq(drugLots.id, stockMovements.lotId))
    .where(and(inArray(stockMovements.prescriptionId, prescriptionIds), eq(stockMovements.kind, 'dispense')))
    .orderBy(asc(stockMovements.id));
  for (const r of rows) {
    const lots = byLine.get(r.lineId!) ?? [];
    lots.push({ lotId: r.lotId, lotNumber: r.lotNumber, expiryDate: r.expiryDate, quantity: -r.quantity });
    byLine.set(r.lineId!, lots);
  }
  return byLine;
}

// ---------------------------------------------------------------- reading

const movementColumns = {
  m: stockMovements,
  lotNumber: drugLots.lotNumber,
  expiryDate: drugLots.expiryDate,
  actorName: sql<string | null>`concat_ws(' ', ${staff.firstName}, ${staff.otherNames}, ${staff.lastName})`,
};

function selectMovements(db: Executor) {
  return db
    .select(movementColumns)
    .from(stockMovements)
    .innerJoin(drugLots, eq(drugLots.id, stockMovements.lotId))
    .leftJoin(staff, eq(staff.id, stockMovements.actorId));
}

type MovementView = { m: MovementRow; lotNumber: string; expiryDate: string | null; actorName: string | null };

function toMovement(r: MovementView): StockMovement {
  return {
    id: r.m.id,
    drugId: r.m.drugId,
    lotId: r.m.lotId,
    lotNumber: r.lotNumber,
    expiryDate: r.expiryDate,
    kind: r.m.kind,
    quantity: r.m.quantity,
    balance: r.m.drugBalance,
    lotBalance: r.m.lotBalance,
    reason: r.m.reason,
    note: r.m.note,
    supplier: r.m.supplier,
    unitCost: r.m.unitCost == null ? null : Number(r.m.unitCost).toFixed(2),
    prescriptionId: r.m.prescriptionId,
    patientId: r.m.patientId,
    at: iso(r.m.at),
    actorId: r.m.actorId,
    actorName: r.actorName || null,
  };
}

async function readMovements(db: Executor, where: SQL): Promise<StockMovement[]> {
  return (await selectMovements(db).where(where).orderBy(asc(stockMovements.id))).map(toMovement);
}

/**
 * Who received a dispense (or returned one) is the recall's business, as in lotUsage: a dispense of an antiretroviral
 * names a diagnosis. Only a role that dispenses sees the patient and the prescription of a movement, and its reading
 * them is audited; for the other roles with `drug:read` (doctors, nurses) the movement is shown without them.
 */
async function forViewer(
  db: Executor,
  ctx: Ctx,
  movements: StockMovement[],
  read: { entityType: 'drug' | 'stock_movement'; entityId: number; detail: string },
): Promise<StockMovement[]> {
  const named = movements.filter((m) => m.patientId !== null).length;
  if (named === 0) return movements;
  if (!can(ctx.actor.role, 'prescription:dispense')) return movements.map((m) => ({ ...m, patientId: null, prescriptionId: null }));
  await audit(db, ctx, { action: 'view', ...read, detail: `${read.detail}: ${named} naming patients` });
  return movements;
}

/** One movement by its id (the console's `show StockMovement 12`). */
export async function getMovement(db: Executor, ctx: Ctx, id: number): Promise<StockMovement> {
  const movement = found((await readMovements(db, eq(stockMovements.id, id)))[0], 'Stock movement');
  return (await forViewer(db, ctx, [movement], { entityType: 'stock_movement', entityId: id, detail: 'a stock movement' }))[0]!;
}

/** The drug a lot belongs to (the console addresses lots by id alone). */
export async function lotDrugId(db: Executor, lotId: number): Promise<number> {
  const [row] = await db.select({ drugId: drugLots.drugId }).from(drugLots).where(eq(drugLots.id, lotId));
  return found(row, 'Lot').drugId;
}

/** How many movements there are (of one kind), or lots. */
export async function countStock(db: Executor, what: StockMovementKind | 'movements' | 'lots'): Promise<number> {
  if (what === 'lots') return Number((await db.select({ n: sql<number>`count(*)` }).from(drugLots))[0]?.n ?? 0);
  const where = what === 'movements' ? undefined : eq(stockMovements.kind, what);
  return Number((await db.select({ n: sql<number>`count(*)` }).from(stockMovements).where(where))[0]?.n ?? 0);
}

function toLot(r: LotRow, drugName: string, today: string): DrugLot {
  return {
    id: r.id,
    drugId: r.drugId,
    drugName,
    lotNumber: r.lotNumber,
    expiryDate: r.expiryDate,
    expiryStatus: expiryStatusOf(r.expiryDate, today),
    onHand: r.onHand,
    supplier: r.supplier,
    receivedAt: iso(r.createdAt),
  };
}

/** A drug's lots, first expiry first (the order dispensing takes them); with includeEmpty also the used-up ones. */
export async function listLots(db: Executor, ctx: { clock: Clock }, input: z.output<typeof DrugLotsInput>): Promise<DrugLot[]> {
  const drug = await getDrugRow(db, input.drugId);
  const today = hospitalDate(ctx.clock.now());
  const rows = await db
    .select()
    .from(drugLots)
    .where(and(eq(drugLots.drugId, input.drugId), input.includeEmpty ? undefined : gt(drugLots.onHand, 0)))
    .orderBy(sql`${drugLots.expiryDate} is null`, asc(drugLots.expiryDate), asc(drugLots.id))
    .limit(1000);
  return rows.map((r) => toLot(r, drug.name, today));
}

/** A drug's stock card: its movements newest first, each with the running balance after it. */
export async function stockCard(db: Executor, ctx: Ctx, input: z.output<typeof StockCardInput>): Promise<Page<StockMovement>> {
  const drug = await getDrugRow(db, input.drugId);
  const after = cursorId(input.cursor);
  const rows = await selectMovements(db)
    .where(and(eq(stockMovements.drugId, input.drugId), after ? lt(stockMovements.id, after) : undefined))
    .orderBy(desc(stockMovements.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit, (r) => [r.m.id], toMovement);
  return { ...page, items: await forViewer(db, ctx, page.items, { entityType: 'drug', entityId: drug.id, detail: 'stock card' }) };
}

/**
 * Who received a lot (for a recall): its dispenses newest first with the patient. A list of patients and what they
 * were given, so reading it is audited as a view.
 */
export async function lotUsage(db: Executor, ctx: Ctx, input: z.output<typeof LotUsageInput>): Promise<Page<LotDispense>> {
  const lot = await db
    .select()
    .from(drugLots)
    .where(and(eq(drugLots.id, input.lotId), eq(drugLots.drugId, input.drugId)));
  found(lot[0], 'Lot');
  const after = cursorId(input.cursor);
  const rows = await db
    .select({
      m: stockMovements,
      mrn: patients.mrn,
      patientName: sql<string>`concat_ws(' ', ${patients.firstName}, ${patients.otherNames}, ${patients.lastName})`,
      consultationId: prescriptions.consultationId,
      dispensedBy: authorName,
    })
    .from(stockMovements)
    .innerJoin(patients, eq(patients.id, stockMovements.patientId))
    .innerJoin(prescriptions, eq(prescriptions.id, stockMovements.prescriptionId))
    .leftJoin(staff, eq(staff.id, stockMovements.actorId))
    .where(
      and(eq(stockMovements.lotId, input.lotId), eq(stockMovements.kind, 'dispense'), after ? lt(stockMovements.id, after) : undefined),
    )
    .orderBy(desc(stockMovements.id))
    .limit(input.limit + 1);
  const page = pageOf(
    rows,
    input.limit,
    (r) => [r.m.id],
    (r) => ({
      movementId: r.m.id,
      at: iso(r.m.at),
      quantity: -r.m.quantity,
      patientId: r.m.patientId!,
      mrn: r.mrn ?? '',
      patientName: r.patientName,
      prescriptionId: r.m.prescriptionId!,
      consultationId: r.consultationId,
      dispensedBy: r.dispensedBy || null,
    }),
  );
  await audit(db, ctx, {
    action: 'view',
    entityType: 'stock_movement',
    entityId: input.lotId,
    detail: `where-used of lot ${lot[0]!.lotNumber}: ${page.items.length} dispenses`,
  });
  return page;
}

/** Lots with stock in an expiry range over all drugs, keyset-paged by (expiry date, id). */
async function lotsByExpiry(db: Executor, today: string, range: SQL, cursor: string | undefined, limit: number): Promise<Page<DrugLot>> {
  const after = cursor ? decodeLotCursor(cursor) : null;
  const rows = await db
    .select({ lot: drugLots, drugName: drugs.name })
    .from(drugLots)
    .innerJoin(drugs, eq(drugs.id, drugLots.drugId))
    .where(
      and(
        range,
        gt(drugLots.onHand, 0),
        after ? or(gt(drugLots.expiryDate, after[0]), and(eq(drugLots.expiryDate, after[0]), gt(drugLots.id, after[1]))) : undefined,
      ),
    )
    .orderBy(asc(drugLots.expiryDate), asc(drugLots.id))
    .limit(limit + 1);
  return pageOf(
    rows,
    limit,
    (r) => [r.lot.expiryDate!, r.lot.id],
    (r) => toLot(r.lot, r.drugName, today),
  );
}

function decodeLotCursor(cursor: string): [string, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v[0]) && Number.isSafeInteger(v[1]) && v[1] > 0)
      return [v[0], v[1]];
  } catch {
    // the client's mistake, below
  }
  throw invalid('cursor', 'This page position is out of date or from another list; start again from the first page');
}

/** Lots with stock expiring from today up to `days` ahead, nearest first. */
export function expiringLots(db: Executor, ctx: { clock: Clock }, input: z.output<typeof ExpiringLotsInput>) {
  const today = hospitalDate(ctx.clock.now());
  const until = new Date(`${today}T00:00:00Z`);
  until.setUTCDate(until.getUTCDate() + input.days);
  return lotsByExpiry(
    db,
    today,
    and(gte(drugLots.expiryDate, today), lte(drugLots.expiryDate, until.toISOString().slice(0, 10)))!,
    input.cursor,
    input.limit,
  );
}

/** Expired lots still on the shelf (stock on hand past its expiry date), oldest first: to write off. */
export function expiredLots(db: Executor, ctx: { clock: Clock }, input: z.output<typeof ExpiredLotsInput>) {
  const today = hospitalDate(ctx.clock.now());
  return lotsByExpiry(db, today, lt(drugLots.expiryDate, today), input.cursor, input.limit);
}

// ---------------------------------------------------------------- the ledger check

export interface LedgerCheck {
  drugs: number;
  lots: number;
  movements: number;
  /** Each a sentence naming the drug or lot whose stock differs from the sum of its movements. */
  problems: string[];
}

/**
 * Verifies the ledger: every lot's stock equals the sum of its movements and is not negative, every drug's stock
 * equals the sum of its lots, and each movement's balances are the running sums. Read-only; three grouped scans.
 */
export async function checkLedger(db: Executor): Promise<LedgerCheck> {
  const rows = async <T>(query: SQL) => (await db.execute(query))[0] as unknown as T[];
  const problems: string[] = [];
  const [counts] = await rows<{ drugs: number; lots: number; movements: number }>(sql`
    select (select count(*) from drugs) drugs, (select count(*) from drug_lots) lots, (select count(*) from stock_movements) movements`);
  const lots = await rows<{ id: number; lot_number: string; drug_id: number; on_hand: number; total: string | null }>(sql`
    select l.id, l.lot_number, l.drug_id, l.on_hand, m.total
    from drug_lots l left join (select lot_id, sum(quantity) total from stock_movements group by lot_id) m on m.lot_id = l.id
    where l.on_hand <> coalesce(m.total, 0) or l.on_hand < 0`);
  for (const l of lots)
    problems.push(`Lot ${l.lot_number} (id ${l.id}) of drug ${l.drug_id}: ${l.on_hand} on hand, movements sum to ${Number(l.total ?? 0)}`);
  const drugRows = await rows<{ id: number; name: string; stock_on_hand: number; total: string | null }>(sql`
    select d.id, d.name, d.stock_on_hand, l.total
    from drugs d left join (select drug_id, sum(on_hand) total from drug_lots group by drug_id) l on l.drug_id = d.id
    where d.stock_on_hand <> coalesce(l.total, 0)`);
  for (const d of drugRows)
    problems.push(`Drug ${d.name} (id ${d.id}): ${d.stock_on_hand} on hand, its lots sum to ${Number(d.total ?? 0)}`);
  // Running balances: each movement's balance is the previous one's plus its quantity (per drug and per lot).
  const [running] = await rows<{ n: number }>(sql`
    select count(*) n from (
      select drug_balance - quantity - coalesce(lag(drug_balance) over (partition by drug_id order by id), 0) d,
             lot_balance - quantity - coalesce(lag(lot_balance) over (partition by lot_id order by id), 0) l
      from stock_movements) t
    where d <> 0 or l <> 0`);
  const n = Number(running?.n ?? 0);
  if (n > 0) problems.push(`${n} movements whose running balance is not the previous balance plus their quantity`);
  return { drugs: Number(counts?.drugs ?? 0), lots: Number(counts?.lots ?? 0), movements: Number(counts?.movements ?? 0), problems };
}
