/**
 * The large-data generator (server/bench/src/seed-large.ts) on a small scale: kept counts, authorship, the heavy
 * patient, the demo logins, the stock ledger of the formulary, idempotence, refusal, resuming an interrupted run,
 * growing the formulary, and the app reading the result.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { STAT_KINDS } from '@hmis/shared';
import { buildApp } from '@hmis/server/app';
import { connect, createDatabaseIfMissing, dropDatabase, migrateDatabase, type Database } from '@hmis/server/db/client';
import { DEMO_USERNAMES } from '@hmis/server/demo-data';
import { readEnv } from '@hmis/server/env';
import { login } from '@hmis/server/services/auth';
import { checkLedger } from '@hmis/server/services/stock';
import { MovableClock, TrpcClient, uniqueName } from '@hmis/server/test/helpers';
import {
  CLINICAL_TABLES,
  HEAVY_PATIENT_MRN,
  HEAVY_PATIENT_RECORDS,
  SeedRefusedError,
  seedLarge,
  type SeedLargeResult,
} from '../src/seed-large';

const PATIENTS = 2_000;
const password = readEnv({ ...process.env, NODE_ENV: 'test' }).HMIS_DEMO_PASSWORD;
const serverUrl = () => inject('dbServerUrl').replace(/\/$/, '');
const created: string[] = [];
const newDatabaseUrl = () => {
  const url = `${serverUrl()}/${uniqueName('hmis_t_seed_')}`;
  created.push(url);
  return url;
};

const TABLE_OF_KIND: Record<(typeof STAT_KINDS)[number], string> = {
  patients: 'patients',
  staff: 'staff',
  consultations: 'consultations',
  prescriptions: 'prescriptions',
  vitals: 'vitals',
  nurseNotes: 'nurse_notes',
  drugs: 'drugs',
};

let url: string;
let database: Database;
let first: SeedLargeResult;

async function scalar(db: Database, query: string, values: unknown[] = []): Promise<number> {
  const [rows] = await db.pool.query(query, values);
  return Number(Object.values((rows as Record<string, unknown>[])[0]!)[0]);
}

async function keptAndCounted(db: Database) {
  const [rows] = await db.pool.query('SELECT kind, SUM(n) AS n FROM record_counts GROUP BY kind');
  const kept = Object.fromEntries((rows as { kind: string; n: number }[]).map((r) => [r.kind, Number(r.n)]));
  const counted: Record<string, number> = {};
  for (const [kind, table] of Object.entries(TABLE_OF_KIND)) counted[kind] = await scalar(db, `SELECT COUNT(*) FROM \`${table}\``);
  return { kept, counted };
}

beforeAll(async () => {
  url = newDatabaseUrl();
  first = await seedLarge({ databaseUrl: url, patients: PATIENTS, seed: 7, demoPassword: password, output: null });
  database = connect(url, { connectionLimit: 5 });
});

afterAll(async () => {
  await database?.close();
  for (const u of created) await dropDatabase(u);
});

describe('seed-large', () => {
  it('generates the patients asked for, with records of every kind', async () => {
    expect(first.status).toBe('seeded');
    // LOAD DATA LOCAL INFILE where the server allows it (MariaDB's default), multi-row INSERTs otherwise (MySQL 8's).
    expect(first.method).toBe((await scalar(database, 'SELECT @@GLOBAL.local_infile')) === 1 ? 'load-data' : 'insert');
    expect(first.rows.patients).toBe(PATIENTS);
    expect(first.rows.staff).toBeGreaterThanOrEqual(680);
    expect(first.rows.drugs).toBeGreaterThanOrEqual(250);
    for (const table of CLINICAL_TABLES) expect(first.rows[table], table).toBeGreaterThan(PATIENTS * 0.4);
  });

  it('keeps record_counts equal to the rows in each table', async () => {
    const { kept, counted } = await keptAndCounted(database);
    expect(kept).toEqual(counted);
  });

  it('has every record written by staff of the right role', async () => {
    const wrongRole = (table: string, column: string, role: string) =>
      scalar(
        database,
        `SELECT COUNT(*) FROM \`${table}\` t LEFT JOIN staff s ON s.id = t.\`${column}\` WHERE t.\`${column}\` IS NOT NULL AND (s.id IS NULL OR s.role <> ?)`,
        [role],
      );
    const checks: [string, string, string][] = [
      ['consultations', 'doctor_id', 'doctor'],
      ['consultations', 'created_by', 'doctor'],
      ['prescriptions', 'prescriber_id', 'doctor'],
      ['prescriptions', 'created_by', 'doctor'],
      ['prescriptions', 'dispensed_by', 'pharmacist'],
      ['prescription_drugs', 'created_by', 'doctor'],
      ['vitals', 'nurse_id', 'nurse'],
      ['vitals', 'created_by', 'nurse'],
      ['nurse_notes', 'nurse_id', 'nurse'],
      ['nurse_notes', 'created_by', 'nurse'],
      ['patients', 'created_by', 'recordofficer'],
      ['patients', 'updated_by', 'recordofficer'],
      ['drugs', 'created_by', 'pharmacist'],
    ];
    for (const [table, column, role] of checks) expect(await wrongRole(table, column, role), `${table}.${column}`).toBe(0);
    // A prescription belongs to its consultation's patient and doctor; a vital's consultation to its patient.
    expect(
      await scalar(
        database,
        `SELECT COUNT(*) FROM prescriptions p JOIN consultations c ON c.id = p.consultation_id
      WHERE c.patient_id <> p.patient_id OR c.doctor_id <> p.prescriber_id`,
      ),
    ).toBe(0);
    expect(
      await scalar(
        database,
        'SELECT COUNT(*) FROM prescriptions p LEFT JOIN consultations c ON c.id = p.consultation_id WHERE c.id IS NULL',
      ),
    ).toBe(0);
    expect(
      await scalar(
        database,
        'SELECT COUNT(*) FROM vitals v JOIN consultations c ON c.id = v.consultation_id WHERE c.patient_id <> v.patient_id',
      ),
    ).toBe(0);
    expect(
      await scalar(
        database,
        "SELECT COUNT(*) FROM prescriptions WHERE (status = 'dispensed') <> (dispensed_by IS NOT NULL AND dispensed_at IS NOT NULL)",
      ),
    ).toBe(0);
  });

  it('dates clinical records after the patient registered', async () => {
    for (const table of ['consultations', 'vitals', 'nurse_notes']) {
      expect(
        await scalar(
          database,
          `SELECT COUNT(*) FROM \`${table}\` t JOIN patients p ON p.id = t.patient_id WHERE t.created_at < p.created_at`,
        ),
        table,
      ).toBe(0);
    }
    expect(
      await scalar(database, "SELECT COUNT(*) FROM patients WHERE mrn IS NULL OR (mrn NOT REGEXP '^HMIS-[0-9]{7,}$' AND mrn <> ?)", [
        HEAVY_PATIENT_MRN,
      ]),
    ).toBe(0);
    expect(
      await scalar(
        database,
        "SELECT COUNT(*) FROM patients WHERE dob < '1930-01-01' OR dob > '2025-12-31' OR phone_number NOT REGEXP '^[+][0-9]{9,15}$'",
      ),
    ).toBe(0);
  });

  it('codes the formulary with ATC codes and prescribes no penicillin or NSAID to a patient allergic to its class', async () => {
    expect(
      await scalar(database, "SELECT COUNT(*) FROM drugs WHERE generic_name = 'amoxicillin-clavulanate' AND atc_codes = 'J01CR02'"),
    ).toBeGreaterThan(0);
    expect(await scalar(database, "SELECT COUNT(*) FROM drugs WHERE atc_codes <> ''")).toBeGreaterThan(
      await scalar(database, "SELECT COUNT(*) FROM drugs WHERE atc_codes = ''"),
    );
    const prescribedTo = (allergy: string, atcPattern: string) =>
      scalar(
        database,
        `SELECT COUNT(*) FROM prescription_drugs pd
      JOIN prescriptions p ON p.id = pd.prescription_id JOIN patients pt ON pt.id = p.patient_id JOIN drugs d ON d.id = pd.drug_id
      WHERE JSON_CONTAINS(pt.allergies, ?) AND d.atc_codes LIKE ?`,
        [JSON.stringify(allergy), atcPattern],
      );
    // The generator keeps a patient's drugs clear of the prescribing check (it writes no override reasons).
    expect(await prescribedTo('penicillin', 'J01C%')).toBe(0);
    expect(await prescribedTo('aspirin', 'M01A%')).toBe(0);
    expect(
      await scalar(database, 'SELECT COUNT(*) FROM prescription_drugs pd JOIN drugs d ON d.id = pd.drug_id WHERE d.atc_codes LIKE ?', [
        'J01C%',
      ]),
    ).toBeGreaterThan(0);
  });

  it('keeps the stock ledger: each lot and drug the sum of its movements, each drug expiring with its nearest lot', async () => {
    const ledger = await checkLedger(database.db);
    expect(ledger.problems).toEqual([]);
    expect(ledger.drugs).toBe(first.rows.drugs);
    expect(ledger.lots).toBe(first.rows.drug_lots);
    // One opening movement per lot, and 1–3 lots per drug in stock by default.
    expect(ledger.movements).toBe(ledger.lots);
    expect(await scalar(database, "SELECT COUNT(*) FROM stock_movements WHERE kind <> 'opening'")).toBe(0);
    expect(ledger.lots).toBeGreaterThan(ledger.drugs);
    expect(await scalar(database, 'SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM drug_lots GROUP BY drug_id) t')).toBeLessThanOrEqual(3);
    expect(
      await scalar(
        database,
        `SELECT COUNT(*) FROM drugs d WHERE NOT (d.expiry_date <=> (SELECT MIN(l.expiry_date)
      FROM drug_lots l WHERE l.drug_id = d.id AND l.on_hand > 0))`,
      ),
    ).toBe(0);
    expect(await scalar(database, "SELECT COUNT(*) FROM drug_lots WHERE on_hand <= 0 OR lot_number NOT REGEXP '^[A-Z0-9]{6,12}$'")).toBe(0);
    // Expiry dates from a few months past (expired stock still on the shelf) to two years ahead.
    const today = new Date().toISOString().slice(0, 10);
    expect(await scalar(database, 'SELECT COUNT(*) FROM drug_lots WHERE expiry_date < ?', [today])).toBeGreaterThan(0);
    expect(
      await scalar(
        database,
        'SELECT COUNT(*) FROM drug_lots WHERE expiry_date IS NULL OR expiry_date < ? - INTERVAL 6 MONTH OR expiry_date > ? + INTERVAL 2 YEAR',
        [today, today],
      ),
    ).toBe(0);
  });

  it('gives the heavy patient its 7,000 clinical records', async () => {
    const id = await scalar(database, 'SELECT id FROM patients WHERE mrn = ?', [HEAVY_PATIENT_MRN]);
    expect(id).toBe(first.heavyPatientId);
    const records = await scalar(
      database,
      `SELECT
      (SELECT COUNT(*) FROM consultations WHERE patient_id = ?) + (SELECT COUNT(*) FROM vitals WHERE patient_id = ?)
      + (SELECT COUNT(*) FROM nurse_notes WHERE patient_id = ?)`,
      [id, id, id],
    );
    expect(records).toBeGreaterThanOrEqual(
      HEAVY_PATIENT_RECORDS.consultations + HEAVY_PATIENT_RECORDS.vitals + HEAVY_PATIENT_RECORDS.nurseNotes,
    );
  });

  it('lets the demo accounts sign in with the demo password', async () => {
    for (const [role, username] of Object.entries(DEMO_USERNAMES)) {
      const { actor } = await login(database.db, { clock: new MovableClock(), ip: null }, { username, password });
      expect(actor.role).toBe(role);
    }
  });

  it("serves the data through the app: name and MRN search, a page of the heavy patient's vitals", async () => {
    const app = await buildApp({
      db: database.db,
      clock: new MovableClock(),
      sessionSecret: randomBytes(32).toString('hex'),
      secureCookies: false,
    });
    try {
      const records = new TrpcClient(app);
      expect((await records.login(DEMO_USERNAMES.recordofficer, password)).status).toBe(200);
      const lastName = String(
        (await database.pool.query<any[]>('SELECT last_name FROM patients WHERE id = ?', [first.heavyPatientId + 1]))[0][0].last_name,
      );
      const byName = await records.query('patients.list', { q: lastName, limit: 50 });
      expect(byName.status).toBe(200);
      expect(byName.data.items.length).toBeGreaterThan(0);
      for (const p of byName.data.items)
        expect([p.lastName, p.firstName].some((n: string) => n.toLowerCase().startsWith(lastName.toLowerCase()))).toBe(true);
      const byMrn = await records.query('patients.list', { q: HEAVY_PATIENT_MRN });
      expect(byMrn.data.items.map((p: { id: number }) => p.id)).toEqual([first.heavyPatientId]);

      const nurse = new TrpcClient(app);
      expect((await nurse.login(DEMO_USERNAMES.nurse, password)).status).toBe(200);
      const page1 = await nurse.query('vitals.list', { patientId: first.heavyPatientId, limit: 100 });
      expect(page1.status).toBe(200);
      expect(page1.data.items).toHaveLength(100);
      const page2 = await nurse.query('vitals.list', { patientId: first.heavyPatientId, limit: 100, cursor: page1.data.nextCursor });
      expect(page2.data.items).toHaveLength(100);
      expect(page2.data.items[0].id).toBeLessThan(page1.data.items[99].id);

      const stats = await records.query('system.stats');
      expect(stats.status).toBe(200);
      expect(stats.data).toEqual((await keptAndCounted(database)).counted);
    } finally {
      await app.close();
    }
  });

  it('does nothing when run again for the same number of patients', async () => {
    const before = await keptAndCounted(database);
    const again = await seedLarge({ databaseUrl: url, patients: PATIENTS, demoPassword: password, output: null });
    expect(again.status).toBe('already-seeded');
    expect(await keptAndCounted(database)).toEqual(before);
    expect(await scalar(database, "SELECT COUNT(*) FROM audit_events WHERE detail LIKE 'bulk seed:%'")).toBe(1);
  });

  it('refuses a database that holds data it did not generate', async () => {
    const other = newDatabaseUrl();
    await createDatabaseIfMissing(other);
    const db = connect(other, { connectionLimit: 1 });
    try {
      await migrateDatabase(db.db);
      await db.pool.query("INSERT INTO patients (first_name, last_name, gender, allergies) VALUES ('Ada', 'Obi', 'Female', '[]')");
      await expect(seedLarge({ databaseUrl: other, patients: 10, demoPassword: password, output: null })).rejects.toBeInstanceOf(
        SeedRefusedError,
      );
      expect(await scalar(db, 'SELECT COUNT(*) FROM staff')).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('continues an interrupted run to exactly the data of an uninterrupted one (by LOAD DATA or by INSERT)', async () => {
    const common = {
      patients: 300,
      seed: 11,
      chunkPatients: 120,
      drugs: 500,
      lots: 2_000,
      nowMs: Date.UTC(2026, 0, 15, 12),
      demoPassword: password,
      output: null,
    };
    const interrupted = newDatabaseUrl();
    let failed = false;
    await expect(
      seedLarge({
        ...common,
        databaseUrl: interrupted,
        // Second chunk: the vitals load fails just before it commits (other tables of the chunk may have committed).
        beforeTableCommit: ({ table, firstPatientId }) => {
          if (firstPatientId > 1 && table === 'vitals' && !failed) {
            failed = true;
            throw new Error('simulated interruption');
          }
        },
      }),
    ).rejects.toThrow('simulated interruption');
    const resumed = await seedLarge({ ...common, databaseUrl: interrupted });
    expect(resumed.status).toBe('seeded');

    const straight = newDatabaseUrl();
    await seedLarge({ ...common, databaseUrl: straight });
    const inserted = newDatabaseUrl();
    expect((await seedLarge({ ...common, databaseUrl: inserted, useInserts: true })).method).toBe('insert');

    const a = connect(interrupted, { connectionLimit: 1 });
    const b = connect(straight, { connectionLimit: 1 });
    const c = connect(inserted, { connectionLimit: 1 });
    try {
      const tables = [...CLINICAL_TABLES, 'drugs', 'drug_lots', 'stock_movements', 'record_counts'];
      const checksum = async (db: Database) => {
        const [rows] = await db.pool.query(`CHECKSUM TABLE ${tables.map((t) => `\`${t}\``).join(', ')}`);
        return (rows as { Checksum: unknown }[]).map((r) => String(r.Checksum));
      };
      expect(await checksum(a)).toEqual(await checksum(b));
      expect(await checksum(c)).toEqual(await checksum(b));
      expect((await keptAndCounted(a)).kept).toEqual((await keptAndCounted(a)).counted);
      expect(await scalar(a, 'SELECT COUNT(*) FROM patients')).toBe(300);
      expect(await scalar(a, 'SELECT COUNT(*) FROM drug_lots')).toBe(2_000);
      expect((await checkLedger(c.db)).problems).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await c.close();
    }
  }, 90_000);

  it('grows the formulary of a seeded database to --drugs drugs with --lots lots, keeping the ledger', async () => {
    const grown = newDatabaseUrl();
    const before = await seedLarge({ databaseUrl: grown, patients: 100, seed: 3, demoPassword: password, output: null });
    const db = connect(grown, { connectionLimit: 1 });
    try {
      const lotsBefore = await scalar(db, 'SELECT COUNT(*) FROM drug_lots');
      const after = await seedLarge({ databaseUrl: grown, patients: 100, drugs: 1_000, lots: 6_000, demoPassword: password, output: null });
      expect(after.status).toBe('seeded');
      expect(after.rows.drugs).toBe(1_000 - before.rows.drugs);
      expect(after.rows.patients).toBe(0);
      expect(await scalar(db, 'SELECT COUNT(*) FROM drugs')).toBe(1_000);
      expect(await scalar(db, 'SELECT COUNT(*) FROM drug_lots')).toBe(6_000);
      expect(after.rows.drug_lots).toBe(6_000 - lotsBefore);
      // The added drugs are the catalogue's products under other makers, with their ATC codes.
      expect(
        await scalar(db, "SELECT COUNT(DISTINCT brand) FROM drugs WHERE id > ? AND generic_name = 'amoxicillin'", [before.rows.drugs]),
      ).toBeGreaterThan(1);
      expect(
        await scalar(db, "SELECT COUNT(*) FROM drugs WHERE id > ? AND generic_name = 'amoxicillin' AND atc_codes <> 'J01CA04'", [
          before.rows.drugs,
        ]),
      ).toBe(0);
      expect((await checkLedger(db.db)).problems).toEqual([]);
      expect((await keptAndCounted(db)).kept).toEqual((await keptAndCounted(db)).counted);
      expect((await seedLarge({ databaseUrl: grown, patients: 100, drugs: 1_000, demoPassword: password, output: null })).status).toBe(
        'already-seeded',
      );
    } finally {
      await db.close();
    }
  }, 60_000);
});
