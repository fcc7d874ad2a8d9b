import mysql from 'mysql2/promise';
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { asMysqlError, isDatabaseUnreachable } from '../errors';
import { settleGroupCommits } from './group-commit';
import { databaseUrls } from '../env';
import { FailoverPool, type FailoverEvent } from './failover';
import { applyMigrations, withMigrationLock, type MigrationLockOptions } from './migration-lock';
import * as schema from './schema';

export type Db = MySql2Database<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** What service functions take first: the pool-backed db or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  /** The mysql2 pool, or with several database hosts the failover pool in front of one pool per host. */
  pool: mysql.Pool | FailoverPool;
  close(): Promise<void>;
}

/** Connection options for every pool: UTC, utf8mb4, MySQL 8's strict mode (the private instance sets it too). */
function poolOptions(url: string, connectionLimit: number, connectTimeout: number): mysql.PoolOptions {
  return {
    uri: url,
    connectionLimit,
    // A database that does not answer a new connection within this time is unreachable: 503 (issue 11).
    connectTimeout,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    decimalNumbers: true,
    enableKeepAlive: true,
    // No stack captured at every query call (a measurable share of CPU under load); errors keep their own stack.
    trace: false,
  };
}

export interface ConnectOptions {
  connectionLimit?: number;
  connectTimeoutMs?: number;
  /** Told when the app moves to another of several database hosts (logged by the server). */
  onFailover?: (event: FailoverEvent) => void;
}

/** One host's mysql2 pool with the app's options and session settings (also the bench baseline's, so both talk alike). */
export function createPool(url: string, opts: Pick<ConnectOptions, 'connectionLimit' | 'connectTimeoutMs'> = {}): mysql.Pool {
  const pool = mysql.createPool(poolOptions(url, opts.connectionLimit ?? 20, opts.connectTimeoutMs ?? 5000));
  pool.on('connection', (conn) => {
    // Same session settings on MySQL 8 and MariaDB whatever the server's defaults.
    conn.query(
      "SET time_zone = '+00:00', sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
    );
  });
  return pool;
}

/**
 * The app's database. `url` may name several hosts (mysql://u:p@db1,db2,db3/hmis): the app then uses one at a time and
 * moves to the next when it is lost (db/failover.ts); with one host it is a plain mysql2 pool.
 */
export function connect(url: string, opts: ConnectOptions = {}): Database {
  const create = (hostUrl: string) => createPool(hostUrl, opts);
  const urls = databaseUrls(url);
  const pool = urls.length === 1 ? create(url) : new FailoverPool(urls, create, opts.onFailover);
  const db = retryingDeadlocks(drizzle(pool as mysql.Pool, { schema, mode: 'default', casing: 'snake_case' }), urls.length > 1);
  // View audit events may still be on their way to the database: they are written before the pool ends.
  return { db, pool, close: () => settleGroupCommits().then(() => pool.end()) };
}

/** How many times a transaction is run before its deadlock reaches the client (as 409 "try again"). */
export const TRANSACTION_ATTEMPTS = 16;

/**
 * The pause before the next attempt: random, up to 10 ms after the first and doubling, at most 1 s. Galera's
 * certification conflicts on a hot row (one drug dispensed through several nodes at once) come back at every attempt
 * for as long as the burst lasts: a fixed few milliseconds gave up on 5–20% of such dispenses (decision 020, "Tested
 * on Galera"); growing pauses let the losers wait the burst out.
 */
const retryPauseMs = (attempt: number) => Math.random() * Math.min(1000, 5 * 2 ** attempt);

/**
 * Every `db.transaction` is run again, a bounded number of times with a growing random pause, when the database rolled
 * it back whole to break a deadlock — errno 1213, which is also how a Galera node reports a transaction that lost
 * certification to a write on another node (issue 12). Nothing of a rolled-back attempt remains, so running the
 * callback again is safe; the callbacks keep their effects inside the transaction. A lock wait timeout (1205) is not
 * retried: it has already waited long. With several database hosts, a transaction refused by a Galera node cut off
 * from its cluster (1047: nothing of it can have committed) is run again too, on the host the pool has moved to.
 */
function retryingDeadlocks(db: Db, severalHosts: boolean): Db {
  const run = db.transaction.bind(db);
  const transaction: typeof run = async (callback, config) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(callback, config);
      } catch (e) {
        const errno = asMysqlError(e)?.errno;
        if (attempt >= TRANSACTION_ATTEMPTS || !(errno === 1213 || (severalHosts && errno === 1047))) throw e;
        await new Promise((resolve) => setTimeout(resolve, retryPauseMs(attempt)));
      }
    }
  };
  return Object.assign(db, { transaction });
}

/** Splits mysql://…/name into the server URL and the database name (of the first host, when it names several). */
export function splitDatabaseUrl(url: string): { serverUrl: string; database: string } {
  const u = new URL(databaseUrls(url)[0]!);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL must name a database, e.g. mysql://root@127.0.0.1:3306/hmis');
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`Database name "${database}" must be letters, digits and _`);
  u.pathname = '/';
  return { serverUrl: u.toString(), database };
}

/**
 * The first of the URL's hosts that accepts a connection (with one host, that host): for work done on one server —
 * creating the database, a backup, a restore. None answering: the first host's error.
 */
export async function firstReachableUrl(url: string, connectTimeoutMs = 5000): Promise<string> {
  const urls = databaseUrls(url);
  if (urls.length === 1) return url;
  let first: unknown;
  for (const one of urls) {
    try {
      const conn = await mysql.createConnection({ uri: splitDatabaseUrl(one).serverUrl, connectTimeout: connectTimeoutMs });
      await conn.end();
      return one;
    } catch (e) {
      if (!isDatabaseUnreachable(e)) throw e;
      first ??= e;
    }
  }
  throw first;
}

/** Runs one statement on the server of the URL's first reachable host, without choosing a database. */
async function onServer(url: string, statement: string): Promise<void> {
  const { serverUrl } = splitDatabaseUrl(await firstReachableUrl(url));
  const conn = await mysql.createConnection({ uri: serverUrl });
  try {
    await conn.query(statement);
  } finally {
    await conn.end();
  }
}

/** Creates the database named in the URL when it is missing (utf8mb4). */
export function createDatabaseIfMissing(url: string): Promise<void> {
  const { database } = splitDatabaseUrl(url);
  return onServer(url, `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

export function dropDatabase(url: string): Promise<void> {
  return onServer(url, `DROP DATABASE IF EXISTS \`${splitDatabaseUrl(url).database}\``);
}

/** Applies the pending migrations under the cluster-wide migration lock (decision 018); returns how many. */
export function migrateDatabase(db: Db, opts?: MigrationLockOptions): Promise<number> {
  return withMigrationLock(db, () => applyMigrations(db), opts);
}
