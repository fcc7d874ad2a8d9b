/**
 * Migration 0007 (decision 014): stock on hand before the ledger becomes each drug's OPENING lot with an opening
 * movement, so the ledger holds from the first day, and what was there keeps working (dispensing takes from it).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect, createDatabaseIfMissing, dropDatabase, type Database } from '../src/db/client';
import { MIGRATIONS_DIR } from '../src/env';
import { checkLedger } from '../src/services/stock';
import { uniqueName } from './helpers';

const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_mig_')}`;
let database: Database | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await database?.close();
  await dropDatabase(url);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The migrations folder as it was before the migration tagged `before` (its journal cut there). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hmis-migrations-'));
  dirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return dir;
}

const rows = async <T>(query: ReturnType<typeof sql>) => (await database!.db.execute(query))[0] as unknown as T[];

describe('migration 0007: stock before the ledger', () => {
  it('turns each drug with stock into an OPENING lot with its expiry date and an opening movement; drugs without stock get none', async () => {
    await createDatabaseIfMissing(url);
    database = connect(url);
    await migrate(database.db, { migrationsFolder: migrationsBefore('0007_stock_ledger') });
    await database.db.execute(sql`
      INSERT INTO drugs (name, formulation, strength, route, stock_on_hand, reorder_level, expiry_date) VALUES
        ('Amoxicillin', 'capsule', '500 mg', 'oral', 1200, 300, '2027-06-30'),
        ('Quinine', 'tablet', '300 mg', 'oral', 0, 50, '2027-01-31'),
        ('ORS', 'sachet', '20.5 g', 'oral', 90, 20, NULL)`);
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });

    const lots = await rows<{ name: string; lot_number: string; expiry_date: unknown; on_hand: number }>(sql`
      SELECT d.name, l.lot_number, date_format(l.expiry_date, '%Y-%m-%d') expiry_date, l.on_hand FROM drug_lots l JOIN drugs d ON d.id = l.drug_id ORDER BY d.name`);
    expect(lots).toEqual([
      { name: 'Amoxicillin', lot_number: 'OPENING', expiry_date: '2027-06-30', on_hand: 1200 },
      { name: 'ORS', lot_number: 'OPENING', expiry_date: null, on_hand: 90 },
    ]);
    const moves = await rows<{ kind: string; quantity: number; drug_balance: number; lot_balance: number }>(sql`
      SELECT kind, quantity, drug_balance, lot_balance FROM stock_movements ORDER BY id`);
    expect(moves).toEqual([
      { kind: 'opening', quantity: 1200, drug_balance: 1200, lot_balance: 1200 },
      { kind: 'opening', quantity: 90, drug_balance: 90, lot_balance: 90 },
    ]);
    expect(await checkLedger(database.db)).toMatchObject({ drugs: 3, lots: 2, movements: 2, problems: [] });
  });
});
