import { sql } from 'drizzle-orm';
import { STAT_KINDS, type StatKind, type Stats } from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
import { recordCounts } from '../db/schema';

/** How many rows each kept count is spread over (record_counts, issue 12). */
export const COUNTER_SLOTS = 16;

/**
 * Adjusts a kept count in the caller's transaction, so /stats is a small read and never a COUNT(*). The change goes to
 * one of the count's rows at random: parallel creates rarely meet on a row (on one server or on several Galera nodes).
 * A bulk loader that must be reproducible names its slot.
 */
export async function bumpCount(
  tx: Executor,
  kind: StatKind,
  delta: number,
  slot = Math.floor(Math.random() * COUNTER_SLOTS),
): Promise<void> {
  await tx
    .insert(recordCounts)
    .values({ kind, slot, n: delta })
    .onDuplicateKeyUpdate({ set: { n: sql`${recordCounts.n} + ${delta}` } });
}

const countsQuery = (db: Executor) =>
  db
    .select({ kind: recordCounts.kind, n: sql<string>`sum(${recordCounts.n})` })
    .from(recordCounts)
    .groupBy(recordCounts.kind);
const allCounts = (db: Db) => countsQuery(db).prepare();

export async function readStats(db: Executor): Promise<Stats> {
  const rows = await (preparedOn(db, allCounts)?.execute() ?? countsQuery(db));
  const byKind = new Map(rows.map((r) => [r.kind, r.n]));
  return Object.fromEntries(STAT_KINDS.map((k) => [k, Number(byKind.get(k) ?? 0)])) as Stats;
}
