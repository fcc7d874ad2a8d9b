import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditEntity, AuditEvent, AuditListInput, Page } from '@hmis/shared';
import { AuditListInput as AuditListSchema } from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { GroupCommit } from '../db/group-commit';
import { poolOf, preparedOn } from '../db/prepared';
import { auditEvents } from '../db/schema';
import type { Ctx } from './context';
import { cursorId, pageOf } from './paging';

export interface AuditEntry {
  action: AuditAction;
  entityType: AuditEntity;
  entityId?: number | null;
  patientId?: number | null;
  before?: unknown;
  after?: unknown;
  detail?: string | null;
}

const COLUMNS = ['at', 'actorId', 'action', 'entityType', 'entityId', 'patientId', 'before', 'after', 'detail', 'ip'] as const;
const insertAuditEvent = (db: Db) =>
  db.insert(auditEvents).values(Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(c)])) as never).prepare();

type AuditRow = typeof auditEvents.$inferInsert;

/** Events written outside a transaction (views, logouts) are group-committed per pool (decision 008). */
const groups = new WeakMap<Db, GroupCommit<AuditRow>>();
function groupOf(pool: Db): GroupCommit<AuditRow> {
  let group = groups.get(pool);
  if (!group) {
    const one = preparedOn(pool, insertAuditEvent)!;
    group = new GroupCommit<AuditRow>((rows) => (rows.length === 1 ? one.execute(rows[0]!) : pool.insert(auditEvents).values(rows)));
    groups.set(pool, group);
  }
  return group;
}

/**
 * Writes one audit event. Call it with the same transaction as the change it records. Outside a transaction (an
 * event that records no change, such as opening a chart) it is committed with the other events in flight, and
 * returns once its own row is committed.
 */
export async function audit(tx: Executor, ctx: Pick<Ctx, 'clock' | 'ip'> & { actor: { id: number } | null }, e: AuditEntry) {
  const row = {
    at: ctx.clock.now(),
    actorId: ctx.actor?.id ?? null,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    patientId: e.patientId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    detail: e.detail?.slice(0, 255) ?? null,
    ip: ctx.ip,
  } satisfies Record<(typeof COLUMNS)[number], unknown>;
  const pool = poolOf(tx);
  await (pool ? groupOf(pool).add(row) : tx.insert(auditEvents).values(row));
}

export async function listAudit(db: Executor, input: AuditListInput): Promise<Page<AuditEvent>> {
  const { limit, cursor, patientId, staffId } = AuditListSchema.parse(input);
  const where: SQL[] = [patientId != null ? eq(auditEvents.patientId, patientId) : eq(auditEvents.actorId, staffId!)];
  const after = cursorId(cursor);
  if (after) where.push(lt(auditEvents.id, after));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  return pageOf(rows, limit, (r) => [r.id], (r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actorId,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    patientId: r.patientId,
    before: r.before ?? null,
    after: r.after ?? null,
    detail: r.detail,
  }));
}
