/**
 * `npm run backup` / `npm run restore` on the real database: a hospital's worth of records written through the app,
 * a backup taken while the app keeps writing, the database wiped and restored, and every table's row count and
 * CHECKSUM TABLE compared. Also: the refusals (a non-empty database, a damaged or foreign file) and --without-sessions.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, dropDatabase } from '../src/db/client';
import { backupDatabase, type BackupResult } from '../src/ops/backup';
import { OpsRefusal } from '../src/ops/client-programs';
import { baseTables, manifestPathOf, tableStates, type TableState } from '../src/ops/manifest';
import { restoreDatabase } from '../src/ops/restore';
import { readStats } from '../src/services/counts';
import { checkLedger } from '../src/services/stock';
import { createTestEnv, drugInput, loggedIn, patientInput, uniqueName, type TestEnv, type TrpcClient } from './helpers';

const run = promisify(execFile);
const SERVER_DIR = path.resolve(import.meta.dirname, '..');

let env: TestEnv;
let clients: Record<'records' | 'doctor' | 'nurse' | 'pharmacist', TrpcClient>;
let drugIds: number[];
let dir: string;
/** Databases made by the tests besides the env's own. */
const extraUrls: string[] = [];

const otherDatabase = () => {
  const url = `${env.url}_${uniqueName('r')}`;
  extraUrls.push(url);
  return url;
};

async function ok<T>(res: Promise<{ status: number; data: T; error?: unknown }>): Promise<T> {
  const r = await res;
  if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.error)}`);
  return r.data;
}

/** One visit through the app: registration, vital signs, a consultation, a prescription, and (every other time) dispensing. */
async function visit(n: number): Promise<void> {
  const { records, doctor, nurse, pharmacist } = clients;
  const patient = await ok<{ id: number }>(records.mutate('patients.create', patientInput()));
  await ok(nurse.mutate('vitals.create', { patientId: patient.id, pulseRate: 60 + (n % 40), temperature: 36.5 + (n % 10) / 10 }));
  const consultation = await ok<{ id: number }>(
    doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: `Malaria ${n}` }),
  );
  await ok(
    nurse.mutate('vitals.create', { patientId: patient.id, consultationId: consultation.id, systolicBp: 110 + (n % 30), diastolicBp: 70 }),
  );
  const ref = { patientId: patient.id, consultationId: consultation.id };
  const drugId = drugIds[n % drugIds.length] ?? 0;
  await ok(
    doctor.mutate('prescriptions.create', {
      ...ref,
      lines: [{ drugId, quantity: 1 + (n % 3), dose: '1 tablet', frequency: 'daily', duration: '3 days', route: 'oral' }],
    }),
  );
  if (n % 2 === 0) await ok(pharmacist.mutate('prescriptions.dispense', ref));
}

/** `count` visits, `parallel` at a time. */
async function visits(count: number, parallel: number, from = 0): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < from + count) await visit(next++);
    }),
  );
}

/** Visits written in the background until stopped (at most `limit`): the app at work while a backup runs. */
function keepWriting(limit: number) {
  let stopped = false;
  let done = 0;
  const work = (async () => {
    await Promise.all(
      Array.from({ length: 3 }, async (_, lane) => {
        for (let n = lane; !stopped && done < limit; n += 3) {
          await visit(10_000 + n);
          done++;
        }
      }),
    );
  })();
  return {
    get done() {
      return done;
    },
    async stop() {
      stopped = true;
      await work;
      return done;
    },
  };
}

async function withConnection<T>(url: string, fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: url });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

const statesOf = (url: string) =>
  withConnection(url, async (conn) => tableStates(conn, await baseTables(conn, new URL(url).pathname.slice(1))));
const byName = (states: readonly TableState[]) => Object.fromEntries(states.map((t) => [t.name, { rows: t.rows, checksum: t.checksum }]));
const rowsOf = (states: readonly TableState[], table: string) => states.find((t) => t.name === table)?.rows ?? -1;

/** The command as npm runs it, with the database given by DATABASE_URL only. */
function cli(script: 'backup-cli' | 'restore-cli', args: string[], databaseUrl: string) {
  const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HMIS_DB_') && k !== 'INIT_CWD'));
  return run(process.execPath, ['--import', 'tsx', `src/ops/${script}.ts`, ...args], {
    cwd: SERVER_DIR,
    env: { ...childEnv, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
}

beforeAll(async () => {
  env = await createTestEnv();
  dir = await mkdtemp(path.join(os.tmpdir(), 'hmis-backup-test-'));
  const [records, doctor, nurse, pharmacist] = await Promise.all(['records', 'doctor', 'nurse', 'pharmacist'].map((u) => loggedIn(env, u)));
  clients = { records: records!, doctor: doctor!, nurse: nurse!, pharmacist: pharmacist! };
  drugIds = [];
  for (let i = 0; i < 6; i++) {
    const drug = await ok<{ id: number }>(clients.pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 500 })));
    await ok(
      clients.pharmacist.mutate('drugs.receive', {
        drugId: drug.id,
        lotNumber: `LOT-${i}`,
        expiryDate: '2030-06-30',
        quantity: 1000,
        supplier: 'Medsource Ltd',
      }),
    );
    drugIds.push(drug.id);
  }
  await visits(30, 5);
}, 120_000);

afterAll(async () => {
  await Promise.all(extraUrls.map((url) => dropDatabase(url)));
  await env?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run backup / npm run restore', () => {
  let live: BackupResult;
  let liveRestoredUrl: string;

  it("a backup taken while the app writes is one moment: restored, every table has the manifest's rows and checksum", async () => {
    const writers = keepWriting(400);
    while (writers.done < 6) await new Promise((r) => setTimeout(r, 20));
    const doneBefore = writers.done;
    live = await backupDatabase({ url: env.url, outDir: dir });
    const doneDuring = writers.done - doneBefore;
    while (writers.done < doneBefore + doneDuring + 3) await new Promise((r) => setTimeout(r, 20));
    await writers.stop();

    expect(doneDuring, 'visits written while the backup ran').toBeGreaterThan(0);
    expect(path.basename(live.file)).toMatch(new RegExp(`^hmis-${new URL(env.url).pathname.slice(1)}-\\d{8}-\\d{6}Z\\.sql\\.gz$`));
    expect(live.manifest.sameSnapshot).toBe(true);
    expect(live.writesPausedMs).toBeLessThan(2000);
    // The app kept writing after the snapshot: the database now has more than the backup.
    const now = await statesOf(env.url);
    expect(rowsOf(now, 'patients')).toBeGreaterThan(rowsOf(live.manifest.tables, 'patients'));
    expect(rowsOf(live.manifest.tables, 'patients')).toBeGreaterThan(30);

    liveRestoredUrl = otherDatabase();
    const restored = await restoreDatabase({ url: liveRestoredUrl, file: live.file });
    expect(restored.ok, JSON.stringify(restored.tables.filter((t) => !t.ok))).toBe(true);
    expect(byName(await statesOf(liveRestoredUrl))).toEqual(byName(live.manifest.tables));

    // One moment: the kept counts and the stock ledger agree with the rows of the same snapshot.
    const database = connect(liveRestoredUrl, { connectionLimit: 2 });
    try {
      const stats = await readStats(database.db);
      const rows = await statesOf(liveRestoredUrl);
      for (const [kind, table] of [
        ['patients', 'patients'],
        ['vitals', 'vitals'],
        ['consultations', 'consultations'],
        ['prescriptions', 'prescriptions'],
      ] as const) {
        expect(stats[kind], kind).toBe(rowsOf(rows, table));
      }
      expect((await checkLedger(database.db)).problems).toEqual([]);
    } finally {
      await database.close();
    }
  }, 60_000);

  it('--without-sessions keeps the sessions table but none of its rows', async () => {
    expect(rowsOf(await statesOf(env.url), 'sessions')).toBeGreaterThan(0);
    const backup = await backupDatabase({ url: env.url, outDir: dir, withoutSessions: true });
    expect(backup.manifest.withoutSessions).toBe(true);
    expect(rowsOf(backup.manifest.tables, 'sessions')).toBe(0);
    const url = otherDatabase();
    const restored = await restoreDatabase({ url, file: backup.file });
    expect(restored.ok, JSON.stringify(restored.tables.filter((t) => !t.ok))).toBe(true);
    const states = await statesOf(url);
    expect(states.find((t) => t.name === 'sessions')).toEqual({ name: 'sessions', rows: 0, checksum: 0 });
    expect(rowsOf(states, 'staff')).toBe(rowsOf(backup.manifest.tables, 'staff'));
  });

  it('restore refuses a database that has tables (exit 1, one line) and leaves it as it was; --force drops them first', async () => {
    const before = await statesOf(liveRestoredUrl);
    const refused = await cli('restore-cli', [live.file], liveRestoredUrl);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /^Database \w+ already has 17 tables: restore only into an empty database, or add --force to drop them first$/,
    );
    expect(await statesOf(liveRestoredUrl)).toEqual(before);

    // Something of its own that the backup does not have: gone after --force.
    await withConnection(liveRestoredUrl, (conn) => conn.query('CREATE TABLE leftover (id INT PRIMARY KEY)'));
    const lines: string[] = [];
    const forced = await restoreDatabase({ url: liveRestoredUrl, file: live.file, force: true, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/^--force: dropping the 18 existing tables of \w+ first$/);
    expect(forced.droppedTables).toContain('leftover');
    expect(forced.ok).toBe(true);
    expect(byName(await statesOf(liveRestoredUrl))).toEqual(byName(live.manifest.tables));
  }, 60_000);

  it('refuses a damaged file, a file without its manifest and a file that is not gzip, before dropping anything', async () => {
    const before = await statesOf(liveRestoredUrl);
    const bytes = await readFile(live.file);
    const copy = async (name: string, content: Buffer) => {
      const file = path.join(dir, name);
      await writeFile(file, content);
      await copyFile(live.manifestFile, manifestPathOf(file));
      return file;
    };
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    const damaged = await copy('damaged.sql.gz', flipped);
    await expect(restoreDatabase({ url: liveRestoredUrl, file: damaged, force: true })).rejects.toThrow(
      /damaged or not the file its manifest describes/,
    );
    const truncated = await copy('truncated.sql.gz', bytes.subarray(0, bytes.length - 100));
    await expect(restoreDatabase({ url: liveRestoredUrl, file: truncated, force: true })).rejects.toThrow(/damaged/);
    const plain = await copy('plain.sql.gz', Buffer.from('DROP TABLE patients;\n'));
    await expect(restoreDatabase({ url: liveRestoredUrl, file: plain, force: true })).rejects.toThrow(/is not gzip: not an HMIS backup/);
    const orphan = path.join(dir, 'orphan.sql.gz');
    await writeFile(orphan, bytes);
    const refusal = await restoreDatabase({ url: liveRestoredUrl, file: orphan, force: true }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(OpsRefusal);
    expect((refusal as Error).message).toMatch(/is not an HMIS backup: its manifest .* is missing/);
    expect(await statesOf(liveRestoredUrl)).toEqual(before);
  });

  it('backup → wipe → restore: a quiet database comes back identical, table by table (the commands as npm runs them)', async () => {
    const reference = await statesOf(env.url);
    const backup = await cli('backup-cli', ['--out', dir], env.url);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const [file = '', sizeLine = ''] = backup.stdout.split('\n');
    expect(sizeLine).toMatch(/^ {2}[\d.]+ (B|kB|MB) in [\d.]+ s; writes waited \d+ ms/);
    expect(backup.stdout).toMatch(new RegExp(`\\n {2}patients +${rowsOf(reference, 'patients')} +\\d+\\n`));
    const manifest = JSON.parse(await readFile(manifestPathOf(file), 'utf8')) as { tables: TableState[] };
    expect(byName(manifest.tables)).toEqual(byName(reference));

    await dropDatabase(env.url);
    const restore = await cli('restore-cli', [file], env.url);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/restored into \w+ in [\d.]+ s: 17 tables, row counts and checksums identical to the manifest/);
    expect(byName(await statesOf(env.url))).toEqual(byName(reference));
  }, 60_000);

  /** A database user of this test's database only, with these privileges, for the length of `fn`. */
  async function asUser(password: string, privileges: string, fn: (url: string) => Promise<void>): Promise<void> {
    const user = uniqueName('bak_');
    const database = new URL(env.url).pathname.slice(1);
    await withConnection(env.url, async (conn) => {
      await conn.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '127.0.0.1', password]);
      await conn.query(`GRANT ${privileges} ON \`${database}\`.* TO ?@?`, [user, '127.0.0.1']);
    });
    try {
      const u = new URL(env.url);
      u.username = encodeURIComponent(user);
      u.password = encodeURIComponent(password);
      await fn(u.toString());
    } finally {
      await withConnection(env.url, (conn) => conn.query('DROP USER ?@?', [user, '127.0.0.1']));
    }
  }

  it('takes the password through an option file, whatever characters it holds', async () => {
    await asUser(`p#w"d\\x y'z%@:/;[client]\n=`, 'ALL', async (url) => {
      const backup = await backupDatabase({ url, outDir: dir });
      expect(backup.manifest.sameSnapshot).toBe(true);
      expect(rowsOf(backup.manifest.tables, 'patients')).toBe(rowsOf(await statesOf(env.url), 'patients'));
    });
  });

  it('without the LOCK TABLES privilege still backs up, the manifest saying its counts were taken after the dump', async () => {
    await asUser('plain-password-1', 'SELECT, SHOW VIEW, TRIGGER, EVENT', async (url) => {
      const backup = await backupDatabase({ url, outDir: dir });
      expect(backup.manifest.sameSnapshot).toBe(false);
      expect(backup.writesPausedMs).toBeNull();
      expect(backup.manifest.note).toMatch(/taken right after the dump and may differ from it on a live system \(.*LOCK TABLES.*\)/i);
      const restored = await restoreDatabase({ url: otherDatabase(), file: backup.file });
      expect(restored.ok).toBe(true);
      // A quiet database: the figures agree all the same.
      expect(byName(restored.tables.map((t) => ({ name: t.name, rows: t.rows ?? -1, checksum: t.checksum })))).toEqual(
        byName(backup.manifest.tables),
      );
    });
  });
});
