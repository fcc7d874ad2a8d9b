/**
 * The stock ledger (issue 10, decision 014): receipts, adjustments, write-offs and returns per lot, first-expiry-
 * first-out dispensing, the reports, concurrency, and the check that stock always equals the sum of the movements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { addDays, type DrugLot, type StockChange, type StockMovement } from '@hmis/shared';
import { auditEvents, drugLots } from '../src/db/schema';
import { hospitalDate } from '../src/services/drugs';
import { checkLedger } from '../src/services/stock';
import { createTestEnv, drugInput, loggedIn, patientInput, TrpcClient, uniqueName, type CallResult, type TestEnv } from './helpers';
import { restLoggedIn, type RestClient } from './rest-helpers';

let env: TestEnv;
let records: TrpcClient;
let doctor: TrpcClient;
let nurse: TrpcClient;
let pharmacist: TrpcClient;
let rest: RestClient;

beforeAll(async () => {
  env = await createTestEnv();
  [records, doctor, nurse, pharmacist] = await Promise.all([
    loggedIn(env, 'records'),
    loggedIn(env, 'doctor'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'pharmacist'),
  ]);
  rest = await restLoggedIn(env.app, env.staff.pharmacist.username);
});
afterAll(async () => env?.close());

type Drug = { id: number; name: string; stockOnHand: number; expiryDate: string | null; version: number };
const today = () => hospitalDate(env.clock.now());
const fieldPaths = (res: CallResult) => res.error?.fields?.map((f) => f.path) ?? [];

async function newDrug(overrides: Record<string, unknown> = {}): Promise<Drug> {
  const res = await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 0, ...overrides }));
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data;
}

async function receive(drugId: number, lotNumber: string, expiresInDays: number, quantity: number, extra: Record<string, unknown> = {}) {
  const res = await pharmacist.mutate<StockChange>('drugs.receive', {
    drugId,
    lotNumber,
    expiryDate: addDays(today(), expiresInDays),
    quantity,
    supplier: 'Medsource Ltd',
    ...extra,
  });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data;
}

const lotsOf = async (drugId: number, includeEmpty = false) =>
  (await pharmacist.query<DrugLot[]>('drugs.lots', { drugId, includeEmpty })).data;
const drugOf = async (drugId: number) => (await pharmacist.query<Drug>('drugs.get', { id: drugId })).data;
const cardOf = async (drugId: number) =>
  (await pharmacist.query<{ items: StockMovement[] }>('drugs.stockCard', { drugId, limit: 100 })).data.items;

/** Stock of a lot written directly into the database, past the ledger, then put back (for the check's own test). */
async function tamper(lotId: number, onHand: number) {
  await env.database.db.update(drugLots).set({ onHand }).where(eq(drugLots.id, lotId));
}

async function newPrescription(lines: { drugId: number; quantity: number }[]) {
  const patient = await records.mutate('patients.create', patientInput());
  expect(patient.status, JSON.stringify(patient.error)).toBe(200);
  const consultation = await doctor.mutate('consultations.create', { patientId: patient.data.id, provisionalDiagnosis: uniqueName('Dx ') });
  const ref = { patientId: patient.data.id as number, consultationId: consultation.data.id as number };
  const res = await doctor.mutate('prescriptions.create', {
    ...ref,
    lines: lines.map((l) => ({ dose: '1 tablet', frequency: 'daily', duration: '7 days', route: 'oral', ...l })),
  });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return { ref, prescription: res.data, patient: patient.data };
}

describe('receiving stock', () => {
  it('a receipt creates the lot, raises the stock, is on the stock card with its running balance, and is audited with its actor', async () => {
    const drug = await newDrug();
    const change = await receive(drug.id, 'amx-2611', 400, 120, { unitCost: '12.50', note: 'Invoice 4471' });
    expect(change.stockOnHand).toBe(120);
    expect(change.movements).toMatchObject([
      {
        kind: 'receipt',
        quantity: 120,
        balance: 120,
        lotBalance: 120,
        lotNumber: 'AMX-2611',
        supplier: 'Medsource Ltd',
        unitCost: '12.50',
        actorId: env.staff.pharmacist.id,
      },
    ]);
    expect(await lotsOf(drug.id)).toMatchObject([
      { lotNumber: 'AMX-2611', onHand: 120, expiryDate: addDays(today(), 400), supplier: 'Medsource Ltd' },
    ]);
    expect(await drugOf(drug.id)).toMatchObject({ stockOnHand: 120, expiryDate: addDays(today(), 400) });
    const [event] = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'stock_movement'), eq(auditEvents.entityId, change.movements[0]!.id)));
    expect(event).toMatchObject({ action: 'create', actorId: env.staff.pharmacist.id });
  });

  it('a second receipt of the same lot adds to it; the stock card runs its balance newest first', async () => {
    const drug = await newDrug();
    await receive(drug.id, 'L1', 300, 50);
    await receive(drug.id, 'L1', 300, 30);
    await receive(drug.id, 'L2', 500, 20);
    expect((await lotsOf(drug.id)).map((l) => [l.lotNumber, l.onHand])).toEqual([
      ['L1', 80],
      ['L2', 20],
    ]);
    expect((await cardOf(drug.id)).map((m) => [m.lotNumber, m.quantity, m.balance])).toEqual([
      ['L2', 20, 100],
      ['L1', 30, 80],
      ['L1', 50, 50],
    ]);
  });

  it('refuses the same lot number with another expiry date, naming expiryDate, and changes nothing', async () => {
    const drug = await newDrug();
    await receive(drug.id, 'L1', 300, 50);
    const res = await pharmacist.mutate('drugs.receive', {
      drugId: drug.id,
      lotNumber: 'L1',
      expiryDate: addDays(today(), 301),
      quantity: 5,
      supplier: 'X',
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['expiryDate']);
    expect((await drugOf(drug.id)).stockOnHand).toBe(50);
  });

  it.each([
    ['an expiry date in the past', { expiryDate: '2020-01-31' }, 'expiryDate', /in the past/],
    ['a negative quantity', { quantity: -5 }, 'quantity', /Quantity/],
    ['a zero quantity', { quantity: 0 }, 'quantity', /Quantity/],
    ['a fractional quantity', { quantity: 2.5 }, 'quantity', /Quantity/],
    ['no supplier', { supplier: '  ' }, 'supplier', /Supplier/],
    ['no lot number', { lotNumber: '' }, 'lotNumber', /Lot number/],
    ['a lot number with spaces', { lotNumber: 'A B' }, 'lotNumber', /Lot number may contain only/],
    ['a unit cost with three decimals', { unitCost: '1.234' }, 'unitCost', /Unit cost/],
    ['a negative unit cost', { unitCost: -1 }, 'unitCost', /Unit cost/],
    ['an impossible date', { expiryDate: '2031-02-30' }, 'expiryDate', /Expiry date/],
  ])('refuses %s with 400 naming the field in words, and changes nothing', async (_what, bad, field, words) => {
    const drug = await newDrug({ stockOnHand: 10 });
    const res = await pharmacist.mutate('drugs.receive', {
      drugId: drug.id,
      lotNumber: 'OK-1',
      expiryDate: addDays(today(), 100),
      quantity: 5,
      supplier: 'X',
      ...bad,
    });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual([field]);
    expect(res.error?.message).toMatch(words);
    expect((await drugOf(drug.id)).stockOnHand).toBe(10);
    expect(await cardOf(drug.id)).toHaveLength(1);
  });

  it('refuses a receipt that would take the stock past a billion units with 400 naming quantity (never a database 500)', async () => {
    const drug = await newDrug({ stockOnHand: 100_000_000 });
    const [lot] = await lotsOf(drug.id);
    for (let i = 0; i < 9; i++) {
      const res = await pharmacist.mutate('drugs.adjust', {
        drugId: drug.id,
        lotId: lot!.id,
        quantity: 1_000_000,
        reason: 'count_correction',
      });
      expect(res.status).toBe(200);
    }
    await env.database.db.update(drugLots).set({ onHand: 999_999_999 }).where(eq(drugLots.id, lot!.id));
    const res = await pharmacist.mutate('drugs.adjust', { drugId: drug.id, lotId: lot!.id, quantity: 5, reason: 'count_correction' });
    await env.database.db.update(drugLots).set({ onHand: 109_000_000 }).where(eq(drugLots.id, lot!.id));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['quantity']);
    expect((await drugOf(drug.id)).stockOnHand).toBe(109_000_000);
  });

  it('refuses an unknown drug with 404 naming drugId', async () => {
    const res = await pharmacist.mutate('drugs.receive', {
      drugId: 99_999_999,
      lotNumber: 'L',
      expiryDate: addDays(today(), 100),
      quantity: 5,
      supplier: 'X',
    });
    expect(res.status).toBe(404);
    expect(fieldPaths(res)).toEqual(['drugId']);
  });

  it('only a pharmacist changes stock (a doctor and a nurse get 403); doctors and nurses read the lots and the stock card', async () => {
    const drug = await newDrug({ stockOnHand: 10 });
    for (const client of [doctor, nurse]) {
      const res = await client.mutate('drugs.receive', {
        drugId: drug.id,
        lotNumber: 'L',
        expiryDate: addDays(today(), 100),
        quantity: 5,
        supplier: 'X',
      });
      expect(res.status).toBe(403);
      expect((await client.query('drugs.lots', { drugId: drug.id })).status).toBe(200);
      expect((await client.query('drugs.stockCard', { drugId: drug.id })).status).toBe(200);
    }
    expect((await drugOf(drug.id)).stockOnHand).toBe(10);
  });
});

describe('adjustments, write-offs and returns', () => {
  it('a count correction adds or takes with its reason; damage and loss only take away', async () => {
    const drug = await newDrug();
    const {
      movements: [receipt],
    } = await receive(drug.id, 'L1', 300, 50);
    const up = await pharmacist.mutate<StockChange>('drugs.adjust', {
      drugId: drug.id,
      lotId: receipt!.lotId,
      quantity: 4,
      reason: 'count_correction',
      note: 'Monthly count',
    });
    expect(up.status, JSON.stringify(up.error)).toBe(200);
    expect(up.data.movements[0]).toMatchObject({
      kind: 'adjustment',
      quantity: 4,
      balance: 54,
      reason: 'count_correction',
      note: 'Monthly count',
    });
    const damaged = await pharmacist.mutate<StockChange>('drugs.adjust', {
      drugId: drug.id,
      lotId: receipt!.lotId,
      quantity: -6,
      reason: 'damage',
    });
    expect(damaged.data.stockOnHand).toBe(48);
    const positiveLoss = await pharmacist.mutate('drugs.adjust', { drugId: drug.id, lotId: receipt!.lotId, quantity: 6, reason: 'loss' });
    expect(positiveLoss.status).toBe(400);
    expect(fieldPaths(positiveLoss)).toEqual(['quantity']);
    expect(positiveLoss.error?.message).toMatch(/negative for damaged or lost/);
  });

  it('refuses an adjustment below zero (400 naming quantity), without a reason (400 naming reason), or of 0, and changes nothing', async () => {
    const drug = await newDrug();
    const {
      movements: [receipt],
    } = await receive(drug.id, 'L1', 300, 5);
    const below = await pharmacist.mutate('drugs.adjust', {
      drugId: drug.id,
      lotId: receipt!.lotId,
      quantity: -6,
      reason: 'count_correction',
    });
    expect(below.status).toBe(400);
    expect(fieldPaths(below)).toEqual(['quantity']);
    expect(below.error?.message).toMatch(/has 5 on hand/);
    const noReason = await pharmacist.mutate('drugs.adjust', { drugId: drug.id, lotId: receipt!.lotId, quantity: -1 });
    expect(fieldPaths(noReason)).toEqual(['reason']);
    const zero = await pharmacist.mutate('drugs.adjust', {
      drugId: drug.id,
      lotId: receipt!.lotId,
      quantity: 0,
      reason: 'count_correction',
    });
    expect(fieldPaths(zero)).toEqual(['quantity']);
    expect((await drugOf(drug.id)).stockOnHand).toBe(5);
  });

  it("refuses an unknown lot, or another drug's lot, with 404 naming lotId", async () => {
    const a = await newDrug();
    const b = await newDrug();
    const {
      movements: [lotOfB],
    } = await receive(b.id, 'B1', 300, 5);
    for (const lotId of [99_999_999, lotOfB!.lotId]) {
      const res = await pharmacist.mutate('drugs.adjust', { drugId: a.id, lotId, quantity: -1, reason: 'damage' });
      expect(res.status).toBe(404);
      expect(fieldPaths(res)).toEqual(['lotId']);
    }
    expect((await drugOf(b.id)).stockOnHand).toBe(5);
  });

  it('writes off an expired lot (all of it by default); refuses an expiry write-off of a lot in date, naming reason', async () => {
    const drug = await newDrug({ stockOnHand: 40, expiryDate: addDays(today(), -10), lotNumber: 'OLD-1' });
    const {
      movements: [fresh],
    } = await receive(drug.id, 'NEW-1', 300, 25);
    const [old] = (await lotsOf(drug.id)).filter((l) => l.lotNumber === 'OLD-1');
    expect(old).toMatchObject({ expiryStatus: 'expired', onHand: 40 });
    expect((await drugOf(drug.id)).expiryDate).toBe(addDays(today(), -10));
    const notExpired = await pharmacist.mutate('drugs.writeOff', { drugId: drug.id, lotId: fresh!.lotId, reason: 'expired' });
    expect(notExpired.status).toBe(400);
    expect(fieldPaths(notExpired)).toEqual(['reason']);
    const res = await pharmacist.mutate<StockChange>('drugs.writeOff', { drugId: drug.id, lotId: old!.id, reason: 'expired' });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data).toMatchObject({ stockOnHand: 25, expiryDate: addDays(today(), 300) });
    expect(res.data.movements[0]).toMatchObject({ kind: 'write_off', quantity: -40, reason: 'expired', lotBalance: 0 });
    expect((await lotsOf(drug.id)).map((l) => l.lotNumber)).toEqual(['NEW-1']);
    expect((await lotsOf(drug.id, true)).map((l) => l.lotNumber)).toEqual(['OLD-1', 'NEW-1']);
  });

  it('writes off part of a recalled lot in date; returns put units back into their lot', async () => {
    const drug = await newDrug();
    const {
      movements: [lot],
    } = await receive(drug.id, 'R1', 300, 30);
    const recalled = await pharmacist.mutate<StockChange>('drugs.writeOff', {
      drugId: drug.id,
      lotId: lot!.lotId,
      quantity: 10,
      reason: 'recalled',
      note: 'NAFDAC recall 12/2026',
    });
    expect(recalled.data.stockOnHand).toBe(20);
    const returned = await pharmacist.mutate<StockChange>('drugs.returnToStock', {
      drugId: drug.id,
      lotId: lot!.lotId,
      quantity: 3,
      note: 'Ward 3 unused',
    });
    expect(returned.status, JSON.stringify(returned.error)).toBe(200);
    expect(returned.data.movements[0]).toMatchObject({ kind: 'return', quantity: 3, balance: 23, note: 'Ward 3 unused' });
    const noNote = await pharmacist.mutate('drugs.returnToStock', { drugId: drug.id, lotId: lot!.lotId, quantity: 3 });
    expect(fieldPaths(noNote)).toEqual(['note']);
  });
});

describe('first expiry, first out', () => {
  it('takes the lot that expires first, splits a line across lots, and never takes an expired lot', async () => {
    const drug = await newDrug({ stockOnHand: 100, expiryDate: addDays(today(), -3), lotNumber: 'EXPIRED' });
    await receive(drug.id, 'LATE', 700, 50);
    await receive(drug.id, 'EARLY', 40, 8);
    await receive(drug.id, 'MIDDLE', 200, 5);
    const { ref } = await newPrescription([
      { drugId: drug.id, quantity: 10 },
      { drugId: drug.id, quantity: 6 },
    ]);
    const res = await pharmacist.mutate('prescriptions.dispense', ref);
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    const lines = res.data.lines as { quantity: number; dispensedLots: { lotNumber: string; quantity: number }[] }[];
    expect(lines.map((l) => l.dispensedLots.map((t) => [t.lotNumber, t.quantity]))).toEqual([
      [
        ['EARLY', 8],
        ['MIDDLE', 2],
      ],
      [
        ['MIDDLE', 3],
        ['LATE', 3],
      ],
    ]);
    expect((await lotsOf(drug.id)).map((l) => [l.lotNumber, l.onHand])).toEqual([
      ['EXPIRED', 100],
      ['LATE', 47],
    ]);
    expect((await doctor.query('prescriptions.get', ref)).data.lines[0].dispensedLots).toHaveLength(2);
  });

  it("dispenses several drugs at once: each drug's stock, nearest expiry, running balances and the audit follow the lots taken", async () => {
    const a = await newDrug();
    const b = await newDrug({ stockOnHand: 30, expiryDate: addDays(today(), -2), lotNumber: 'B-OLD' });
    await receive(a.id, 'A-SOON', 10, 4);
    await receive(a.id, 'A-LATER', 90, 20);
    await receive(b.id, 'B-NEW', 500, 12);
    const { ref, prescription } = await newPrescription([
      { drugId: b.id, quantity: 12 },
      { drugId: a.id, quantity: 6 },
    ]);
    const res = await pharmacist.mutate('prescriptions.dispense', ref);
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    // A's first lot is used up, so its nearest expiry moves on; B keeps its expired lot, which is still on the shelf.
    expect(await drugOf(a.id)).toMatchObject({ stockOnHand: 18, expiryDate: addDays(today(), 90) });
    expect(await drugOf(b.id)).toMatchObject({ stockOnHand: 30, expiryDate: addDays(today(), -2) });
    const cardA = (await cardOf(a.id)).filter((m) => m.kind === 'dispense');
    expect(cardA.map((m) => [m.lotNumber, m.quantity, m.lotBalance, m.balance])).toEqual([
      ['A-LATER', -2, 18, 18],
      ['A-SOON', -4, 0, 20],
    ]);
    const cardB = (await cardOf(b.id)).filter((m) => m.kind === 'dispense');
    expect(cardB.map((m) => [m.lotNumber, m.quantity, m.lotBalance, m.balance])).toEqual([['B-NEW', -12, 0, 30]]);
    const [event] = await env.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.entityType, 'prescription'), eq(auditEvents.entityId, prescription.id), eq(auditEvents.action, 'dispense')),
      );
    // The event names the lots each line was taken from; the movements themselves carry the prescription, actor and time.
    const after = (typeof event!.after === 'string' ? JSON.parse(event!.after) : event!.after) as { lots: { lots: string[] }[] };
    expect(after.lots.flatMap((l) => l.lots).sort()).toEqual([...cardA, ...cardB].map((m) => `${m.lotNumber} ×${-m.quantity}`).sort());
    expect((await checkLedger(env.database.db)).problems).toEqual([]);
  });

  it('refuses when only expired stock would cover the line: 409 saying how much is in date, and takes nothing', async () => {
    const drug = await newDrug({ stockOnHand: 100, expiryDate: addDays(today(), -1) });
    await receive(drug.id, 'GOOD', 100, 4);
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 5 }]);
    const res = await pharmacist.mutate('prescriptions.dispense', ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('INSUFFICIENT_STOCK');
    expect(res.error?.message).toMatch(/5 needed, 4 on hand in date \(100 more expired/);
    expect((await drugOf(drug.id)).stockOnHand).toBe(104);
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('pending');
  });

  it("a lot's where-used list names the patients who received it (pharmacist only), and reading it is audited", async () => {
    const drug = await newDrug();
    const {
      movements: [lot],
    } = await receive(drug.id, 'RECALL-7', 300, 30);
    const { ref, patient } = await newPrescription([{ drugId: drug.id, quantity: 4 }]);
    expect((await pharmacist.mutate('prescriptions.dispense', ref)).status).toBe(200);
    const res = await pharmacist.query('drugs.lotUsage', { drugId: drug.id, lotId: lot!.lotId });
    expect(res.status).toBe(200);
    expect(res.data.items).toMatchObject([{ patientId: patient.id, mrn: patient.mrn, quantity: 4, consultationId: ref.consultationId }]);
    expect((await doctor.query('drugs.lotUsage', { drugId: drug.id, lotId: lot!.lotId })).status).toBe(403);
    const views = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'stock_movement'), eq(auditEvents.action, 'view'), eq(auditEvents.entityId, lot!.lotId)));
    expect(views.length).toBeGreaterThanOrEqual(1);
  });
});

describe('who sees which patient received a drug', () => {
  it('the stock card and a movement name the patient and prescription of a dispense to a pharmacist (audited), to a doctor or nurse not', async () => {
    const drug = await newDrug();
    await receive(drug.id, uniqueName('ARV').replace(/[^A-Za-z0-9]/g, ''), 300, 30);
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 4 }]);
    expect((await pharmacist.mutate('prescriptions.dispense', ref)).status).toBe(200);
    const views = () =>
      env.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.entityType, 'drug'), eq(auditEvents.action, 'view'), eq(auditEvents.entityId, drug.id)));
    expect(await views()).toHaveLength(0);

    const [dispense] = (await cardOf(drug.id)).filter((m) => m.kind === 'dispense');
    expect(dispense).toMatchObject({ patientId: ref.patientId, prescriptionId: expect.any(Number), quantity: -4 });
    const seen = await views();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.detail).toBe('stock card: 1 naming patients');

    for (const client of [doctor, nurse]) {
      const card = await client.query<{ items: StockMovement[] }>('drugs.stockCard', { drugId: drug.id });
      expect(card.status).toBe(200);
      expect(card.data.items.find((m) => m.kind === 'dispense')).toMatchObject({ quantity: -4, patientId: null, prescriptionId: null });
      const one = await client.query<StockMovement>('drugs.movement', { id: dispense!.id });
      expect(one.data).toMatchObject({ id: dispense!.id, patientId: null, prescriptionId: null });
    }
    expect(await views()).toHaveLength(1);
    const one = await pharmacist.query<StockMovement>('drugs.movement', { id: dispense!.id });
    expect(one.data.patientId).toBe(ref.patientId);
  });
});

describe('reports', () => {
  it('lists lots expiring within the days asked (nearest first) and expired stock on hand, over all drugs', async () => {
    const drug = await newDrug({
      stockOnHand: 7,
      expiryDate: addDays(today(), -20),
      lotNumber: uniqueName('EXP')
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, ''),
    });
    const soon = uniqueName('SOON')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '');
    await receive(drug.id, soon, 12, 3);
    await receive(drug.id, 'FAR', 800, 3);
    const all = async (proc: string, input: Record<string, unknown>) => {
      const items: DrugLot[] = [];
      let cursor: string | undefined;
      do {
        const page = (await pharmacist.query<{ items: DrugLot[]; nextCursor: string | null }>(proc, { ...input, cursor, limit: 50 })).data;
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    };
    const expiring = await all('drugs.expiringLots', { days: 30 });
    expect(expiring.filter((l) => l.drugId === drug.id).map((l) => l.lotNumber)).toEqual([soon]);
    expect(expiring.map((l) => l.expiryDate)).toEqual([...expiring.map((l) => l.expiryDate)].sort());
    const expired = await all('drugs.expiredLots', {});
    expect(expired.filter((l) => l.drugId === drug.id)).toMatchObject([{ onHand: 7, expiryStatus: 'expired', drugName: drug.name }]);
    expect(expired.every((l) => l.expiryDate! < today() && l.onHand > 0)).toBe(true);
    expect(fieldPaths(await pharmacist.query('drugs.expiringLots', { days: -1 }))).toEqual(['days']);
    expect(fieldPaths(await pharmacist.query('drugs.expiredLots', { cursor: 'bogus' }))).toEqual(['cursor']);
  });

  it('the low-stock list is server-side over all drugs (drugs.list filter=lowStock) and follows the ledger', async () => {
    const drug = await newDrug({ stockOnHand: 12, reorderLevel: 10 });
    const [lot] = await lotsOf(drug.id);
    await pharmacist.mutate('drugs.adjust', { drugId: drug.id, lotId: lot!.id, quantity: -3, reason: 'damage' });
    const res = await pharmacist.query('drugs.list', { filter: 'lowStock', q: drug.name });
    expect(res.data.items).toMatchObject([{ id: drug.id, stockOnHand: 9, belowReorderLevel: true }]);
  });
});

describe('over REST', () => {
  it('receives, adjusts and reads the stock card under /api/v1/drugs/{id}', async () => {
    const drug = await newDrug();
    const received = await rest.post(`/api/v1/drugs/${drug.id}/receipts`, {
      lotNumber: 'REST-1',
      expiryDate: addDays(today(), 90),
      quantity: 10,
      supplier: 'CMS',
    });
    expect(received.status, JSON.stringify(received.body)).toBe(201);
    const lotId = received.body.movements[0].lotId;
    const adjusted = await rest.post(`/api/v1/drugs/${drug.id}/adjustments`, { lotId, quantity: -2, reason: 'loss' });
    expect(adjusted.status).toBe(201);
    const card = await rest.get(`/api/v1/drugs/${drug.id}/stock-card`);
    expect(card.body.items.map((m: StockMovement) => m.balance)).toEqual([8, 10]);
    expect((await rest.get(`/api/v1/drugs/${drug.id}/lots`)).body).toMatchObject([{ lotNumber: 'REST-1', onHand: 8 }]);
    expect((await rest.get('/api/v1/drugs/reports/expiring?days=120')).status).toBe(200);
    const bad = await rest.post(`/api/v1/drugs/${drug.id}/receipts`, {
      lotNumber: 'REST-2',
      expiryDate: '2001-01-01',
      quantity: 10,
      supplier: 'CMS',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { path: string }) => f.path)).toEqual(['expiryDate']);
    const put = await rest.put(`/api/v1/drugs/${drug.id}`, { version: drug.version, stockOnHand: 500 });
    expect(put.status).toBe(400);
  });
});

describe('concurrency and the ledger check', () => {
  it('50 parallel dispenses, receipts and adjustments of one drug never oversell, lose nothing, and keep the ledger consistent', async () => {
    const drug = await newDrug({ stockOnHand: 30, expiryDate: addDays(today(), 60), lotNumber: 'START' });
    const pending = await Promise.all(Array.from({ length: 30 }, () => newPrescription([{ drugId: drug.id, quantity: 3 }])));
    const clients = await Promise.all(Array.from({ length: 5 }, () => loggedIn(env, 'pharmacist')));
    const ops: (() => Promise<{ status: number; kind: string; quantity: number }>)[] = [
      ...pending.map((p, i) => async () => ({
        ...(await clients[i % 5]!.mutate('prescriptions.dispense', p.ref)),
        kind: 'dispense',
        quantity: 3,
      })),
      ...Array.from({ length: 15 }, (_, i) => async () => ({
        ...(await clients[i % 5]!.mutate('drugs.receive', {
          drugId: drug.id,
          lotNumber: `P${i % 4}`,
          expiryDate: addDays(today(), 100 + (i % 4)),
          quantity: 2,
          supplier: 'X',
        })),
        kind: 'receipt',
        quantity: 2,
      })),
      ...Array.from({ length: 5 }, (_, i) => async () => ({
        ...(await clients[i]!.mutate('drugs.adjust', {
          drugId: drug.id,
          lotId: (await lotsOf(drug.id, true))[0]!.id,
          quantity: -1,
          reason: 'damage',
        })),
        kind: 'adjust',
        quantity: 1,
      })),
    ];
    const results = await Promise.all(ops.map((op) => op()));
    expect(results).toHaveLength(50);
    const ok = (kind: string) => results.filter((r) => r.kind === kind && r.status === 200).length;
    // Receipts are never lost; refusals are only for want of stock, never a 500.
    expect(ok('receipt')).toBe(15);
    expect(results.every((r) => r.status === 200 || r.status === 409 || r.status === 400)).toBe(true);
    const expected = 30 + 2 * ok('receipt') - 3 * ok('dispense') - ok('adjust');
    const after = await drugOf(drug.id);
    expect(after.stockOnHand).toBe(expected);
    expect(after.stockOnHand).toBeGreaterThanOrEqual(0);
    expect(ok('dispense')).toBeGreaterThanOrEqual(10); // 30 + 30 received covers at least ten of them
    const lots = await lotsOf(drug.id, true);
    expect(lots.every((l) => l.onHand >= 0)).toBe(true);
    expect(lots.reduce((n, l) => n + l.onHand, 0)).toBe(expected);
    const [moves] = await env.database.db.execute(
      sql`select count(*) n, sum(quantity) total from stock_movements where drug_id = ${drug.id}`,
    );
    expect(Number((moves as unknown as { total: string }[])[0]!.total)).toBe(expected);
    expect((await checkLedger(env.database.db)).problems).toEqual([]);
  });

  it('the ledger check finds a lot whose stock was changed past the ledger', async () => {
    const drug = await newDrug({ stockOnHand: 10, expiryDate: addDays(today(), 60) });
    const [lot] = await lotsOf(drug.id);
    await tamper(lot!.id, 11);
    try {
      const check = await checkLedger(env.database.db);
      expect(check.problems, check.problems.join('\n')).toContain(
        `Lot ${lot!.lotNumber} (id ${lot!.id}) of drug ${drug.id}: 11 on hand, movements sum to 10`,
      );
      expect(check.problems.some((p) => p.includes(`Drug ${drug.name}`))).toBe(true);
    } finally {
      await tamper(lot!.id, 10);
    }
    expect((await checkLedger(env.database.db)).problems).toEqual([]);
  });
});
