/**
 * Issue 12: two servers starting together on an empty database — one died with "Table 'staff' already exists".
 * Migrations now run under a lock row (decision 018): here real `npm run migrate` processes race on empty databases,
 * and the lock's expiry and renewal are checked in-process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, createDatabaseIfMissing, dropDatabase, migrateDatabase, type Database } from '../src/db/client';
import { migrationState, withMigrationLock } from '../src/db/migration-lock';
import { uniqueName } from './helpers';

const serverDir = path.resolve(import.meta.dirname, '..');
const databases: string[] = [];

async function emptyDatabase(): Promise<{ url: string; database: Database }> {
  const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_mig_')}`;
  databases.push(url);
  await createDatabaseIfMissing(url);
  return { url, database: connect(url, { connectionLimit: 4 }) };
}

/** What `npm run migrate` runs (server/package.json), as a process of its own. */
function migrateProcess(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/migrate-cli.ts'], {
      cwd: serverDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const rowsOf = async <T>(database: Database, query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as unknown as [T[]])[0];

afterAll(async () => {
  for (const url of databases) await dropDatabase(url);
});

describe('migrations exactly once (issue 12)', () => {
  it('four `npm run migrate` started at the same moment on an empty database all succeed and apply each migration once, 5 times over', {
    timeout: 300_000,
  }, async () => {
    for (let run = 1; run <= 5; run++) {
      const { url, database } = await emptyDatabase();
      try {
        const results = await Promise.all([1, 2, 3, 4].map(() => migrateProcess(url)));
        for (const r of results) {
          expect(r.code, `run ${run}:\n${r.output}`).toBe(0);
          expect(r.output).not.toMatch(/already exists/i);
        }
        const { total, pending } = await migrationState(database.db);
        expect(pending).toBe(0);
        // Each process says how many it applied: together, every migration once.
        const applied = results.map((r) => Number(/applied (\d+)/.exec(r.output)?.[1]));
        expect(
          applied.reduce((a, b) => a + b, 0),
          `run ${run}: ${applied.join(', ')}`,
        ).toBe(total);
        expect(await rowsOf<{ n: number }>(database, sql`SELECT COUNT(*) AS n FROM __drizzle_migrations`)).toEqual([{ n: total }]);
        expect(await rowsOf(database, sql`SELECT * FROM hmis_migration_lock`)).toEqual([]);
        const waited = results.filter((r) => /waiting for the migrations/.test(r.output)).length;
        console.log(`run ${run}: applied ${applied.join(', ')}; ${waited} of 4 waited for another`);
      } finally {
        await database.close();
      }
    }
  });
});

describe('the migration lock', () => {
  let env: { url: string; database: Database };
  beforeAll(async () => {
    env = await emptyDatabase();
    await migrateDatabase(env.database.db);
  });
  afterAll(() => env.database.close());

  it('is taken over once the lifetime of a crashed holder has passed', async () => {
    await env.database.db.execute(sql`INSERT INTO hmis_migration_lock (id, owner, acquired_at, expires_at)
      VALUES (1, 'crashed-host:1:dead', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 1 SECOND)`);
    const told: string[] = [];
    const ran = await withMigrationLock(env.database.db, async () => 'ran', { log: (line) => told.push(line) });
    expect(ran).toBe('ran');
    expect(told).toContainEqual(expect.stringMatching(/waiting for the migrations run by crashed-host:1:dead/));
    expect(told).toContainEqual(expect.stringMatching(/took over an expired migration lock/));
    expect(await rowsOf(env.database, sql`SELECT * FROM hmis_migration_lock`)).toEqual([]);
  });

  it('is held past its lifetime by a live holder that renews it: a second starter waits for the first to finish', async () => {
    const events: string[] = [];
    const ttlMs = 400;
    let acquired!: () => void;
    const firstHolds = new Promise<void>((resolve) => (acquired = resolve));
    const first = withMigrationLock(
      env.database.db,
      async () => {
        events.push('first starts');
        acquired();
        await new Promise((r) => setTimeout(r, ttlMs * 4));
        events.push('first ends');
      },
      { ttlMs, owner: 'first' },
    );
    await firstHolds;
    const second = withMigrationLock(env.database.db, async () => void events.push('second runs'), { ttlMs, owner: 'second' });
    await Promise.all([first, second]);
    expect(events).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('is released when the work fails, so the next starter need not wait for it to expire', async () => {
    await expect(
      withMigrationLock(
        env.database.db,
        async () => {
          throw new Error('migration failed');
        },
        { ttlMs: 3_600_000 },
      ),
    ).rejects.toThrow('migration failed');
    expect(await rowsOf(env.database, sql`SELECT * FROM hmis_migration_lock`)).toEqual([]);
  });
});
