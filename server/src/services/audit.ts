import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditEntity, AuditEvent, AuditListInput, Page } from '@hmis/shared';
import { AuditListInput as AuditListSchema } from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
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

/** Writes one audit event. Call it with the same transaction as the change it records. */
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
  const prepared = preparedOn(tx, insertAuditEvent);
  await (prepared ? prepared.execute(row) : tx.insert(auditEvents).values(row));
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
