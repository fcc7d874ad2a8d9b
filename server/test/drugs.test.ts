import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '../src/db/schema';
import { createTestEnv, drugInput, loggedIn, TrpcClient, uniqueName, type TestEnv } from './helpers';

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

type Drug = { id: number; name: string; genericName: string | null; version: number; stockOnHand: number; belowReorderLevel: boolean };
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
    const input = drugInput({ genericName: uniqueName('generic'), brand: uniqueName('Brand'), expiryDate: '2031-06-30', stockOnHand: 120, reorderLevel: 30 });
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
    const res = await pharmacist.mutate('drugs.create', { name: uniqueName('Bare'), formulation: 'syrup', strength: '5 mg/ml', route: 'oral' });
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
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: 4 });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: drug.id, name: drug.name, stockOnHand: 4, belowReorderLevel: true, version: drug.version + 1 });
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(4);
  });

  it('clears an optional field sent as null and leaves fields not sent alone', async () => {
    const drug = await newDrug({ genericName: uniqueName('gen'), brand: uniqueName('Brand'), expiryDate: '2030-01-01' });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, genericName: null });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ genericName: null, brand: (drug as unknown as { brand: string }).brand, expiryDate: '2030-01-01' });
  });

  it('refuses a stale version with 409 STALE_VERSION and keeps the other change', async () => {
    const drug = await newDrug({ stockOnHand: 50 });
    expect((await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: 60 })).status).toBe(200);
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: 70 });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(fieldPaths(res)).toContain('version');
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(60);
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

  it('accepts a stock given as a numeric string', async () => {
    const drug = await newDrug({ stockOnHand: 9 });
    const res = await pharmacist.mutate('drugs.update', { id: drug.id, version: drug.version, stockOnHand: '42' });
    expect(res.status).toBe(200);
    expect(res.data.stockOnHand).toBe(42);
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
    expect(pages.flatMap((p) => p.items.map((d) => d.name))).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].map((w) => `${prefix} ${w}`));
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

  it('matches only at the start of a name, not in the middle', async () => {
    const tag = uniqueName('mid');
    await newDrug({ name: `Xy ${tag}` });
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
