/**
 * Hot queries prepared once per connection pool. Drizzle builds a query's SQL on every call, which at a few thousand
 * requests a second is a large share of the CPU; a prepared query keeps the SQL and only fills in the parameters.
 * Inside a transaction the query is built on the transaction as usual (prepared queries are bound to the pool).
 */
import { is } from 'drizzle-orm';
import { MySqlTransaction } from 'drizzle-orm/mysql-core';
import type { Db, Executor } from './client';

const byPool = new WeakMap<Db, Map<unknown, unknown>>();

/** The pool-backed db, or null when `db` is an open transaction. */
export function poolOf(db: Executor): Db | null {
  return is(db, MySqlTransaction) ? null : (db as Db);
}

/**
 * The query `build` makes, prepared once for this pool; null when `db` is a transaction. `build` must be a
 * module-level function: it is the cache key.
 */
export function preparedOn<T>(db: Executor, build: (db: Db) => T): T | null {
  const pool = poolOf(db);
  if (!pool) return null;
  let queries = byPool.get(pool);
  if (!queries) byPool.set(pool, (queries = new Map()));
  let query = queries.get(build) as T | undefined;
  if (query === undefined) queries.set(build, (query = build(pool)));
  return query;
}
