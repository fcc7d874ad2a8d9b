/**
 * Migrations exactly once, however many servers start together (decision 018). The lock is a row in a small table,
 * taken by INSERT: a committed write, so on Galera it is replicated and certified like any other (GET_LOCK is
 * node-local there). A second starter gets a duplicate key (or, on another Galera node, a certification conflict) and
 * polls. The holder renews the row's expiry while it works; a crashed holder's row expires and is taken over.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_DIR } from '../env';
import { asMysqlError } from '../errors';
import type { Db } from './client';

/** Not a drizzle table: it must exist before the first migration, and drizzle-kit never generates it. */
const LOCK_TABLE = 'hmis_migration_lock';
/** Duplicate key: held. Deadlock / lock wait: on Galera, the loser of a certification conflict (or its retry). */
const HELD_ERRNOS = new Set([1062, 1213, 1205]);

export interface MigrationLockOptions {
  /** The lock lapses this long after its last renewal: how long a crashed starter can hold up the others. */
  ttlMs?: number;
  /** How often a waiting starter looks again. */
  pollMs?: number;
  /** Who holds it, for the waiting starters' messages (default host:pid:random). */
  owner?: string;
  /** Told when this starter waits for another or takes over an expired lock. */
  log?: (line: string) => void;
}

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const affectedRows = (result: unknown) => (result as [{ affectedRows?: number }])[0]?.affectedRows ?? 0;

async function createLockTable(db: Db): Promise<void> {
  await db.execute(
    sql.raw(`CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (
    id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    owner VARCHAR(200) NOT NULL,
    acquired_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL
  ) ENGINE=InnoDB`),
  );
}

/** Times come from the database's clock, so starters on machines whose clocks disagree compare alike. */
const expiresIn = (ttlMs: number) => sql`UTC_TIMESTAMP(3) + INTERVAL ${ttlMs * 1000} MICROSECOND`;

async function tryAcquire(db: Db, owner: string, ttlMs: number): Promise<boolean> {
  try {
    await db.execute(sql`INSERT INTO ${sql.identifier(LOCK_TABLE)} (id, owner, acquired_at, expires_at)
      VALUES (1, ${owner}, UTC_TIMESTAMP(3), ${expiresIn(ttlMs)})`);
    return true;
  } catch (e) {
    const errno = asMysqlError(e)?.errno;
    if (errno !== undefined && HELD_ERRNOS.has(errno)) return false;
    throw e;
  }
}

/** Runs `work` while holding the cluster-wide migration lock; waits for as long as another live holder keeps it. */
export async function withMigrationLock<T>(db: Db, work: () => Promise<T>, opts: MigrationLockOptions = {}): Promise<T> {
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const table = sql.identifier(LOCK_TABLE);
  await createLockTable(db);

  let lastTold = 0;
  while (!(await tryAcquire(db, owner, ttlMs))) {
    const expired = await db.execute(sql`DELETE FROM ${table} WHERE id = 1 AND expires_at < UTC_TIMESTAMP(3)`);
    if (affectedRows(expired) > 0) {
      opts.log?.('took over an expired migration lock (its holder stopped without releasing it)');
      continue;
    }
    if (Date.now() - lastTold > 10_000) {
      lastTold = Date.now();
      const [rows] = (await db.execute(sql`SELECT owner FROM ${table} WHERE id = 1`)) as unknown as [{ owner: string }[]];
      if (rows[0]) opts.log?.(`waiting for the migrations run by ${rows[0].owner}`);
    }
    // Jitter, so starters that collided do not collide again in step.
    await sleep(pollMs * (0.5 + Math.random()));
  }

  const renew = setInterval(
    () => {
      db.execute(sql`UPDATE ${table} SET expires_at = ${expiresIn(ttlMs)} WHERE id = 1 AND owner = ${owner}`).then(
        (result) => {
          if (affectedRows(result) === 0) opts.log?.('the migration lock expired while held: raise its lifetime');
        },
        () => undefined, // the next renewal tries again; a lapse only lets a waiter in after the lifetime
      );
    },
    Math.max(100, Math.floor(ttlMs / 4)),
  );
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await db.execute(sql`DELETE FROM ${table} WHERE id = 1 AND owner = ${owner}`);
  }
}

export interface MigrationState {
  /** Migrations in drizzle/ (the journal). */
  total: number;
  /** Of those, how many the database has not had yet. */
  pending: number;
}

/** How far the database is behind drizzle/, read as drizzle's migrator reads it (the newest applied timestamp). */
export async function migrationState(db: Db): Promise<MigrationState> {
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  let last = -1;
  try {
    const [rows] = (await db.execute(sql`SELECT MAX(created_at) AS last FROM __drizzle_migrations`)) as unknown as [
      { last: string | number | null }[],
    ];
    last = rows[0]?.last == null ? -1 : Number(rows[0].last);
  } catch (e) {
    if (asMysqlError(e)?.errno !== 1146) throw e; // no such table: a new database
  }
  return { total: files.length, pending: files.filter((f) => f.folderMillis > last).length };
}

/** Applies what is pending (call it under the lock); returns how many migrations it applied. */
export async function applyMigrations(db: Db): Promise<number> {
  const { pending } = await migrationState(db);
  if (pending > 0) await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return pending;
}
