import { sql } from 'drizzle-orm';
import { STAT_KINDS, type StatKind, type Stats } from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
import { recordCounts } from '../db/schema';

/** Adjusts a kept count in the caller's transaction, so /stats is a single-row read and never a COUNT(*). */
export async function bumpCount(tx: Executor, kind: StatKind, delta: number): Promise<void> {
  await tx
    .insert(recordCounts)
    .values({ kind, n: delta })
    .onDuplicateKeyUpdate({ set: { n: sql`${recordCounts.n} + ${delta}` } });
}

const allCounts = (db: Db) => db.select().from(recordCounts).prepare();

export async function readStats(db: Executor): Promise<Stats> {
  const rows = await (preparedOn(db, allCounts)?.execute() ?? db.select().from(recordCounts));
  const byKind = new Map(rows.map((r) => [r.kind, r.n]));
  return Object.fromEntries(STAT_KINDS.map((k) => [k, Number(byKind.get(k) ?? 0)])) as Stats;
}
