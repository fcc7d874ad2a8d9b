import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '../src/db/schema';
import { addDays } from '@hmis/shared';
import { hospitalDate } from '../src/services/drugs';
import { createTestEnv, drugInput, HOUR, loggedIn, TrpcClient, uniqueName, uniqueWord, type TestEnv } from './helpers';

let env: TestEnv;
let records: TrpcClient;
let doctor: TrpcClient;
let nurse: TrpcClient;
let pharmacist: TrpcClient;
let admin: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [records, doctor, nurse, pharmacist, admin] = await Promise.all([
    loggedIn(env, 'records'),
    loggedIn(env, 'doctor'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'pharmacist'),
    loggedIn(env, 'admin'),
  ]);
});
afterAll(async () => env?.close());

type Drug = {
  id: number;
  name: string;
  genericName: string | null;
  version: number;
  stockOnHand: number;
  belowReorderLevel: boolean;
  expiryDate: string | null;
  expiryStatus: string;
  atcCodes: string[];
};
type Page = { items: Drug[]; nextCursor: string | null };

async function newDrug(overrides: Record<string, unknown> = {}): Promise<Drug> {
  const res = await pharmacist.mutate('drugs.create', drugInput(overrides));
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data;
}

function fieldPaths(res: { error?: { fields?: { path: string }[] } }) {
  return res.error?.fields?.map((f) => f.path) ?? [];
}

/** Every page of a search, following nextCursor. */
async function allPages(client: TrpcClient, q: string, limit: number) {
  const pages: Page[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await client.query<Page>('drugs.list', { q, limit, ...(cursor ? { cursor } : {}) });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    pages.push(res.data);
    if (!res.data.nextCursor) break;
    cursor = res.data.nextCursor;
  }
  return pages;
}

describe('creating a drug', () => {
  it('a pharmacist adds a drug to the catalogue', async () => {
    const input = drugInput({
      genericName: uniqueName('generic'),
      brand: uniqueName('Brand'),
      expiryDate: '2031-06-30',
      stockOnHand: 120,
      reorderLevel: 30,
    });
    const res = await pharmacist.mutate('drugs.create', input);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      ...input,
      belowReorderLevel: false,
      version: 1,
      createdBy: env.staff.pharmacist.id,
      updatedBy: env.staff.pharmacist.id,
    });
    const got = await pharmacist.query('drugs.get', { id: res.data.id });
    expect(got.data).toEqual(res.data);
  });

  it('flags a drug whose stock is below its reorder level', async () => {
    const drug = await newDrug({ stockOnHand: 5, reorderLevel: 10 });
    expect(drug.belowReorderLevel).toBe(true);
  });

  it('does not flag a drug whose stock is well above its reorder level', async () => {
    const drug = await newDrug({ stockOnHand: 11, reorderLevel: 10 });
    expect(drug.belowReorderLevel).toBe(false);
  });

  it('defaults stock and reorder level to zero and leaves optional fields null', async () => {
    const res = await pharmacist.mutate('drugs.create', {
      name: uniqueName('Bare'),
      formulation: 'syrup',
      strength: '5 mg/ml',
      route: 'oral',
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ stockOnHand: 0, reorderLevel: 0, genericName: null, brand: null, expiryDate: null });
  });

  it('writes a create audit event by the pharmacist', async () => {
    const drug = await newDrug();
    const rows = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'drug'), eq(auditEvents.entityId, drug.id)));
    expect(rows.map((r) => [r.action, r.actorId])).toEqual([['create', env.staff.pharmacist.id]]);
  });

  it('refuses a drug without a name with 400 naming name', async () => {
    const { name: _name, ...input } = drugInput();
    const res = await pharmacist.mutate('drugs.create', input);
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('name');
  });

  it('refuses a blank name with 400 naming name', async () => {
    const res = await pharmacist.mutate('drugs.create', drugInput({ name: '   ' }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('name');
  });

  it('refuses a negative stock with 400 naming stockOnHand', async () => {
    const name = uniqueName('Negative');
    const res = await pharmacist.mutate('drugs.create', drugInput({ name, stockOnHand: -1 }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('stockOnHand');
    expect((await pharmacist.query<Page>('drugs.list', { q: name })).data.items).toHaveLength(0);
  });

  it('refuses a fractional stock with 400 naming stockOnHand', async () => {
    const res = await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 2.5 }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('stockOnHand');
  });

  it('refuses a malformed expiry date with 400 naming expiryDate', async () => {
    const res = await pharmacist.mutate('drugs.create', drugInput({ expiryDate: 'next June' }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('expiryDate');
  });

  it('refuses an impossible calendar date with 400 naming expiryDate', async () => {
    const res = await pharmacist.mutate('drugs.create', drugInput({ expiryDate: '2030-02-30' }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('expiryDate');
  });

  it('names every failing field at once', async () => {
    const res = await pharmacist.mutate('drugs.create', { formulation: 'tablet', strength: '1 mg', route: 'oral', reorderLevel: -5 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(expect.arrayContaining(['name', 'reorderLevel']));
  });
});

describe('updating a drug', () => {
  it('a pharmacist updates a drug with its version; the version goes up and the reorder flag is recomputed', async () => {
    const drug = await newDrug({ stockOnHand: 100, reorderLevel: 10 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, reorderLevel: 150 });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      id: drug.id,
      name: drug.name,
      stockOnHand: 100,
      reorderLevel: 150,
      belowReorderLevel: true,
      version: drug.version + 1,
    });
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.reorderLevel).toBe(150);
  });

  it('refuses a change of stock on hand with 400 naming stockOnHand (stock changes through the ledger) and changes nothing', async () => {
    const drug = await newDrug({ stockOnHand: 100 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: 4, reorderLevel: 20 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['stockOnHand']);
    expect(res.error?.message).toMatch(/receipt, an adjustment/);
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data).toMatchObject({
      stockOnHand: 100,
      reorderLevel: 10,
      version: drug.version,
    });
  });

  it('accepts stock on hand and expiry date sent back unchanged (a client that PUTs what it read)', async () => {
    const drug = await newDrug({ stockOnHand: 30, expiryDate: '2031-01-31' });
    const res = await pharmacist.mutate('drugs.update', {
      id: drug.id,
      version: drug.version,
      stockOnHand: 30,
      expiryDate: '2031-01-31',
      brand: 'Kept',
    });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data).toMatchObject({ stockOnHand: 30, expiryDate: '2031-01-31', brand: 'Kept' });
  });

  it('refuses a change of expiry date with 400 naming expiryDate (expiry belongs to lots)', async () => {
    const drug = await newDrug({ stockOnHand: 30, expiryDate: '2031-01-31' });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, expiryDate: '2032-01-31' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['expiryDate']);
  });

  it('clears an optional field sent as null and leaves fields not sent alone', async () => {
    const drug = await newDrug({ genericName: uniqueName('gen'), brand: uniqueName('Brand'), expiryDate: '2030-01-01' });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, genericName: null });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ genericName: null, brand: (drug as unknown as { brand: string }).brand, expiryDate: '2030-01-01' });
  });

  it('gives a drug its ATC codes (upper-cased, duplicates dropped), audited, and takes them away with []', async () => {
    const drug = await newDrug();
    expect(drug.atcCodes).toEqual([]);
    const coded = await pharmacist.mutate('drugs.update', {
      id: drug.id,
      version: drug.version,
      atcCodes: ['b01ac06', 'N02BA01', 'B01AC06'],
    });
    expect(coded.status, JSON.stringify(coded.error)).toBe(200);
    expect(coded.data.atcCodes).toEqual(['B01AC06', 'N02BA01']);
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.atcCodes).toEqual(['B01AC06', 'N02BA01']);
    const [update] = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'drug'), eq(auditEvents.entityId, drug.id), eq(auditEvents.action, 'update')));
    expect(update!.after).toEqual({ atcCodes: 'B01AC06,N02BA01' });
    const cleared = await pharmacist.mutate('drugs.update', { id: drug.id, version: coded.data.version, atcCodes: [] });
    expect(cleared.data.atcCodes).toEqual([]);
  });

  it('refuses more than 8 ATC codes with 400 naming atcCodes', async () => {
    const res = await pharmacist.mutate('drugs.create', drugInput({ atcCodes: Array.from({ length: 9 }, (_, i) => `A0${i}`) }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['atcCodes']);
  });

  it('refuses a stale version with 409 STALE_VERSION and keeps the other change', async () => {
    const drug = await newDrug({ stockOnHand: 50 });
    expect((await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, reorderLevel: 60 })).status).toBe(200);
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, reorderLevel: 70 });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(fieldPaths(res)).toContain('version');
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.reorderLevel).toBe(60);
  });

  it('refuses an update without a version with 400 naming version', async () => {
    const drug = await newDrug();
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, stockOnHand: 1 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('version');
  });

  it('refuses a negative stock on update with 400 naming stockOnHand', async () => {
    const drug = await newDrug({ stockOnHand: 9 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: -3 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('stockOnHand');
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(9);
  });

  it('refuses a null stock on update with 400 instead of zeroing the stock', async () => {
    const drug = await newDrug({ stockOnHand: 9 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: null });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('stockOnHand');
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(9);
  });

  it('refuses an empty-string stock with 400 instead of zeroing the stock', async () => {
    const drug = await newDrug({ stockOnHand: 9 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: '' });
    expect(res.status).toBe(400);
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(9);
  });

  it('accepts a reorder level given as a numeric string', async () => {
    const drug = await newDrug({ stockOnHand: 9 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, reorderLevel: '42' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ reorderLevel: 42, stockOnHand: 9 });
  });

  it('refuses a blank name on update with 400 naming name', async () => {
    const drug = await newDrug();
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, name: '' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('name');
  });

  it('gives 404 for an unknown drug', async () => {
    const res = await pharmacist.mutate('drugs.update', { id: 987_654_321, version: 1, stockOnHand: 1 });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });
});

describe('reading the catalogue', () => {
  it('gets one drug, and 404 for an unknown id', async () => {
    const drug = await newDrug();
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.name).toBe(drug.name);
    const missing = await pharmacist.query('drugs.get', { id: 987_654_321 });
    expect(missing.status).toBe(404);
  });

  it('lists drugs in name order, page by page, without repeats', async () => {
    const prefix = uniqueName('Ord');
    for (const word of ['Delta', 'Alpha', 'Echo', 'Charlie', 'Bravo']) await newDrug({ name: `${prefix} ${word}` });
    const pages = await allPages(pharmacist, prefix, 2);
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true]);
    expect(pages.flatMap((p) => p.items.map((d) => d.name))).toEqual(
      ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].map((w) => `${prefix} ${w}`),
    );
  });

  it('keeps drugs of the same name apart when they fall on a page boundary', async () => {
    const name = uniqueName('Twin');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newDrug({ name, strength: `${i + 1}00 mg` })).id);
    const pages = await allPages(pharmacist, name, 1);
    expect(pages.flatMap((p) => p.items.map((d) => d.id))).toEqual(ids);
  });

  it('the whole catalogue is in name order across pages', async () => {
    await newDrug({ name: uniqueName('Zz') });
    await newDrug({ name: uniqueName('Aa') });
    const names: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await pharmacist.query<Page>('drugs.list', { limit: 3, ...(cursor ? { cursor } : {}) });
      names.push(...res.data.items.map((d) => d.name));
      if (!res.data.nextCursor) break;
      cursor = res.data.nextCursor;
    }
    expect(names.length).toBeGreaterThan(3);
    const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    expect(names).toEqual(sorted);
  });

  it('finds a drug by name prefix', async () => {
    const prefix = uniqueName('Nm');
    const drug = await newDrug({ name: `${prefix} Metformin` });
    await newDrug({ name: uniqueName('Other') });
    const res = await pharmacist.query<Page>('drugs.list', { q: prefix });
    expect(res.data.items.map((d) => d.id)).toEqual([drug.id]);
  });

  it('finds a drug by generic-name prefix', async () => {
    const generic = uniqueName('glibenclamide');
    const drug = await newDrug({ name: uniqueName('Daonil'), genericName: generic });
    const res = await pharmacist.query<Page>('drugs.list', { q: generic.slice(0, -2) });
    expect(res.data.items.map((d) => d.id)).toEqual([drug.id]);
  });

  it('finds a word inside the name: "metformin" finds "Glucophage (Metformin)"', async () => {
    const word = uniqueWord('metformin');
    const drug = await newDrug({ name: `Glucophage (${word})` });
    const res = await pharmacist.query<Page>('drugs.list', { q: word.toUpperCase() });
    expect(res.data.items.map((d) => d.id)).toEqual([drug.id]);
  });

  it('finds a word inside the generic name, after a space, dash or slash', async () => {
    const tag = uniqueWord('clav');
    const slash = await newDrug({ name: uniqueName('Augmentin'), genericName: `Amoxicillin/${tag}` });
    const dash = await newDrug({ name: `Co-${tag}` });
    const space = await newDrug({ name: `Tabs ${tag}ulanate` });
    const res = await pharmacist.query<Page>('drugs.list', { q: tag });
    expect(res.data.items.map((d) => d.id).sort()).toEqual([slash.id, dash.id, space.id].sort());
  });

  it('does not match in the middle of a word', async () => {
    const tag = uniqueWord('mid');
    await newDrug({ name: `Xy${tag}` });
    const res = await pharmacist.query<Page>('drugs.list', { q: tag });
    expect(res.data.items).toHaveLength(0);
  });

  it('treats % and _ in the search as the characters themselves', async () => {
    const prefix = uniqueName('Pct');
    const cream = await newDrug({ name: `${prefix} 50% cream` });
    await newDrug({ name: `${prefix} 500 mg` });
    await newDrug({ name: `${prefix} 5x0 mg` });
    expect((await pharmacist.query<Page>('drugs.list', { q: `${prefix} 50%` })).data.items.map((d) => d.id)).toEqual([cream.id]);
    expect((await pharmacist.query<Page>('drugs.list', { q: `${prefix} 5_0` })).data.items).toHaveLength(0);
  });

  it('refuses a page size above the cap with 400 naming limit', async () => {
    const res = await pharmacist.query('drugs.list', { limit: 101 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('limit');
  });

  it('refuses a cursor it did not make with 400 naming cursor', async () => {
    const res = await pharmacist.query('drugs.list', { cursor: Buffer.from('[1]').toString('base64url') });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });
});

describe('who may read and write the catalogue', () => {
  it('a doctor and a nurse can list and get drugs', async () => {
    const drug = await newDrug();
    for (const client of [doctor, nurse]) {
      expect((await client.query<Page>('drugs.list', { q: drug.name })).data.items.map((d) => d.id)).toEqual([drug.id]);
      expect((await client.query('drugs.get', { id: drug.id })).status).toBe(200);
    }
  });

  it('a doctor cannot add or change a drug (403)', async () => {
    const drug = await newDrug({ stockOnHand: 8 });
    const name = uniqueName('ByDoctor');
    const create = await doctor.mutate('drugs.create', drugInput({ name }));
    expect(create.status).toBe(403);
    expect(create.error?.code).toBe('FORBIDDEN');
    expect((await doctor.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: 800 })).status).toBe(403);
    expect((await pharmacist.query<Page>('drugs.list', { q: name })).data.items).toHaveLength(0);
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(8);
  });

  it('a nurse cannot add or change a drug (403)', async () => {
    const drug = await newDrug({ stockOnHand: 8 });
    expect((await nurse.mutate('drugs.create', drugInput())).status).toBe(403);
    expect((await nurse.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: 800 })).status).toBe(403);
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(8);
  });

  it('a record officer cannot read the catalogue (403)', async () => {
    const drug = await newDrug();
    expect((await records.query('drugs.list', {})).status).toBe(403);
    expect((await records.query('drugs.get', { id: drug.id })).status).toBe(403);
  });

  it('an admin cannot add a drug (403)', async () => {
    expect((await admin.mutate('drugs.create', drugInput())).status).toBe(403);
  });

  it('an anonymous caller gets 401', async () => {
    const anonymous = new TrpcClient(env.app);
    expect((await anonymous.query('drugs.list', {})).status).toBe(401);
    expect((await anonymous.mutate('drugs.create', drugInput())).status).toBe(401);
  });
});

describe('expiry status', () => {
  const today = () => hospitalDate(env.clock.now());

  it.each([
    ['yesterday', -1, 'expired'],
    ['today', 0, 'expiringSoon'],
    ['in 90 days', 90, 'expiringSoon'],
    ['in 91 days', 91, 'ok'],
  ])('a drug expiring %s is %s', async (_when, days, status) => {
    const drug = await newDrug({ expiryDate: addDays(today(), days) });
    expect(drug.expiryStatus).toBe(status);
    expect((await doctor.query<Drug>('drugs.get', { id: drug.id })).data.expiryStatus).toBe(status);
  });

  it('a drug without an expiry date is unknown', async () => {
    expect((await newDrug()).expiryStatus).toBe('unknown');
  });

  it('follows the calendar: a drug expiring in 10 days is expired 11 days later', async () => {
    const drug = await newDrug({ expiryDate: addDays(today(), 10) });
    env.clock.advance(11 * 24 * HOUR);
    try {
      expect((await pharmacist.query<Drug>('drugs.get', { id: drug.id })).data.expiryStatus).toBe('expired');
    } finally {
      env.clock.reset();
    }
  });

  it('follows the nearest expiry of the lots in stock: a receipt of an earlier lot brings it forward', async () => {
    const drug = await newDrug({ expiryDate: addDays(today(), 200) });
    expect(drug.expiryStatus).toBe('ok');
    const res = await pharmacist.mutate('drugs.receive', {
      drugId: drug.id,
      lotNumber: 'SOON-1',
      expiryDate: addDays(today(), 10),
      quantity: 5,
      supplier: 'Medsource',
    });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    const after = (await pharmacist.query<Drug>('drugs.get', { id: drug.id })).data;
    expect(after).toMatchObject({ expiryDate: addDays(today(), 10), expiryStatus: 'expiringSoon' });
  });
});

describe('inventory summary', () => {
  type Summary = {
    total: number;
    belowReorderLevel: number;
    expired: number;
    expiringSoon: number;
    today: string;
    expiringSoonDays: number;
  };

  it('counts over the whole catalogue, and each new drug moves the right counts', async () => {
    const before = (await pharmacist.query<Summary>('drugs.summary')).data;
    const t = hospitalDate(env.clock.now());
    await newDrug({ stockOnHand: 5, reorderLevel: 10 }); // low
    await newDrug({ stockOnHand: 10, reorderLevel: 10 }); // at the level: low, as the flag says
    await newDrug({ stockOnHand: 50, reorderLevel: 10, expiryDate: addDays(t, -1) }); // expired
    await newDrug({ stockOnHand: 50, reorderLevel: 10, expiryDate: t }); // expiring soon
    await newDrug({ stockOnHand: 50, reorderLevel: 10, expiryDate: addDays(t, 90) }); // expiring soon
    await newDrug({ stockOnHand: 50, reorderLevel: 10, expiryDate: addDays(t, 91) }); // fine
    const after = (await pharmacist.query<Summary>('drugs.summary')).data;
    expect(after).toEqual({
      total: before.total + 6,
      belowReorderLevel: before.belowReorderLevel + 2,
      expired: before.expired + 1,
      expiringSoon: before.expiringSoon + 2,
      today: t,
      expiringSoonDays: 90,
    });
  });

  it('agrees with the flags of every drug in the catalogue', async () => {
    const all: Drug[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await pharmacist.query<Page>('drugs.list', { limit: 100, ...(cursor ? { cursor } : {}) });
      all.push(...res.data.items);
      if (!res.data.nextCursor) break;
      cursor = res.data.nextCursor;
    }
    const summary = (await pharmacist.query<Summary>('drugs.summary')).data;
    expect(summary.total).toBe(all.length);
    expect(summary.belowReorderLevel).toBe(all.filter((d) => d.belowReorderLevel).length);
    expect(summary.expired).toBe(all.filter((d) => d.expiryStatus === 'expired').length);
    expect(summary.expiringSoon).toBe(all.filter((d) => d.expiryStatus === 'expiringSoon').length);
  });

  it('doctors and nurses may read it; a record officer gets 403 and an anonymous caller 401', async () => {
    expect((await doctor.query('drugs.summary')).status).toBe(200);
    expect((await nurse.query('drugs.summary')).status).toBe(200);
    expect((await records.query('drugs.summary')).status).toBe(403);
    expect((await new TrpcClient(env.app).query('drugs.summary')).status).toBe(401);
  });
});

describe('filtering and sorting the catalogue', () => {
  /** Every item of a listing, following nextCursor. */
  async function everything(input: Record<string, unknown>): Promise<Drug[]> {
    const items: Drug[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await pharmacist.query<Page>('drugs.list', { ...input, ...(cursor ? { cursor } : {}) });
      expect(res.status, JSON.stringify(res.error)).toBe(200);
      items.push(...res.data.items);
      if (!res.data.nextCursor) break;
      cursor = res.data.nextCursor;
    }
    return items;
  }

  let prefix: string;
  const made: Record<string, Drug> = {};
  beforeAll(async () => {
    prefix = uniqueName('Inv');
    const t = hospitalDate(env.clock.now());
    made.low = await newDrug({ name: `${prefix} A`, stockOnHand: 3, reorderLevel: 10, expiryDate: addDays(t, 400) });
    made.atLevel = await newDrug({ name: `${prefix} B`, stockOnHand: 10, reorderLevel: 10 });
    made.expired = await newDrug({ name: `${prefix} C`, stockOnHand: 40, reorderLevel: 10, expiryDate: addDays(t, -30) });
    made.soon = await newDrug({ name: `${prefix} D`, stockOnHand: 40, reorderLevel: 10, expiryDate: addDays(t, 20) });
    made.later = await newDrug({ name: `${prefix} E`, stockOnHand: 900, reorderLevel: 10, expiryDate: addDays(t, 200) });
    made.twin = await newDrug({ name: `${prefix} F`, stockOnHand: 40, reorderLevel: 10 });
  });
  const ids = (ds: Drug[]) => ds.map((d) => d.id);

  it('lowStock: stock at or below the reorder level', async () => {
    expect(ids(await everything({ q: prefix, filter: 'lowStock', limit: 1 }))).toEqual([made.low!.id, made.atLevel!.id]);
  });

  it('expired and expiringSoon, as expiryStatus says', async () => {
    expect(ids(await everything({ q: prefix, filter: 'expired' }))).toEqual([made.expired!.id]);
    expect(ids(await everything({ q: prefix, filter: 'expiringSoon' }))).toEqual([made.soon!.id]);
  });

  it('sort by stock, ascending and descending, ties by id, page by page', async () => {
    const asc = await everything({ q: prefix, sort: 'stock', limit: 2 });
    expect(asc.map((d) => d.stockOnHand)).toEqual([3, 10, 40, 40, 40, 900]);
    expect(ids(asc.filter((d) => d.stockOnHand === 40))).toEqual([made.expired!.id, made.soon!.id, made.twin!.id]);
    const desc = await everything({ q: prefix, sort: 'stock', dir: 'desc', limit: 2 });
    expect(ids(desc)).toEqual(ids(asc).reverse());
  });

  it('sort by expiry: soonest first, undated last, page by page', async () => {
    for (const limit of [1, 2, 3, 4, 100]) {
      const asc = await everything({ q: prefix, sort: 'expiry', limit });
      expect(ids(asc), `limit ${limit}`).toEqual([
        made.expired!.id,
        made.soon!.id,
        made.later!.id,
        made.low!.id,
        made.atLevel!.id,
        made.twin!.id,
      ]);
    }
  });

  it('sort by expiry descending: latest first, undated still last', async () => {
    for (const limit of [1, 3, 4, 5]) {
      const desc = await everything({ q: prefix, sort: 'expiry', dir: 'desc', limit });
      expect(ids(desc), `limit ${limit}`).toEqual([
        made.low!.id,
        made.later!.id,
        made.soon!.id,
        made.expired!.id,
        made.twin!.id,
        made.atLevel!.id,
      ]);
    }
  });

  it('a cursor of the expiry order that was tampered with is a 400 naming cursor', async () => {
    const cursor = Buffer.from(JSON.stringify(['expiry.asc', 'soon', 1])).toString('base64url');
    const res = await pharmacist.query('drugs.list', { sort: 'expiry', cursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['cursor']);
  });

  it('sort by name descending', async () => {
    const desc = await everything({ q: prefix, dir: 'desc', limit: 4 });
    expect(desc.map((d) => d.name.slice(-1))).toEqual(['F', 'E', 'D', 'C', 'B', 'A']);
  });

  it('a filter and a sort together', async () => {
    expect(ids(await everything({ q: prefix, filter: 'lowStock', sort: 'stock', dir: 'desc' }))).toEqual([made.atLevel!.id, made.low!.id]);
  });

  it('a cursor of one order is refused by another (400 naming cursor)', async () => {
    const first = await pharmacist.query<Page>('drugs.list', { q: prefix, sort: 'stock', limit: 1 });
    const res = await pharmacist.query('drugs.list', { q: prefix, sort: 'expiry', limit: 1, cursor: first.data.nextCursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['cursor']);
    const flipped = await pharmacist.query('drugs.list', {
      q: prefix,
      sort: 'stock',
      dir: 'desc',
      limit: 1,
      cursor: first.data.nextCursor,
    });
    expect(flipped.status).toBe(400);
  });

  it('an unknown filter, sort or direction is a 400 naming it', async () => {
    for (const [field, value] of [
      ['filter', 'cheap'],
      ['sort', 'price'],
      ['dir', 'up'],
    ]) {
      const res = await pharmacist.query('drugs.list', { [field!]: value });
      expect(res.status, field).toBe(400);
      expect(fieldPaths(res)).toEqual([field]);
    }
  });
});
