import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AuditAction, AuditEntity, AuditEvent, AuditListInput, Page } from '@hmis/shared';
import { AuditListInput as AuditListSchema, CLINICAL_AUDIT_ENTITIES } from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { GroupCommit } from '../db/group-commit';
import { poolOf, preparedOn } from '../db/prepared';
import { auditEvents, staff } from '../db/schema';
import { invalid } from '../errors';
import { authorName } from './clinical';
import type { Ctx } from './context';
import { decodeCursor, pageOf } from './paging';

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
  db
    .insert(auditEvents)
    .values(Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(c)])) as never)
    .prepare();

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

/** Per pool: view events whose write failed, with the attempts made; written again, and waited for, with the next view. */
const unsaved = new WeakMap<Db, { row: AuditRow; attempts: number }[]>();
/** A view event that failed this many writes is given up (a row the database refuses for itself, not an outage). */
const VIEW_ATTEMPTS = 3;
/** This process's failed view-event writes (to be tried again) and view events given up: the metrics count them. */
const viewAuditCounts = { failedWrites: 0, dropped: 0 };
export const viewAuditFailures = (): Readonly<typeof viewAuditCounts> => viewAuditCounts;

/**
 * A view event (a read of clinical data, which changes nothing) is handed to the group commit and the read answers
 * without waiting for its commit: waiting put a commit's latency on every chart opened (decision 008, "View events").
 * While view writes are failing, reads wait for theirs and the failed ones: a read whose trace cannot be kept fails
 * (503 when the database is unreachable) instead of answering unaudited.
 */
async function recordView(pool: Db, row: AuditRow): Promise<void> {
  const group = groupOf(pool);
  const failed = unsaved.get(pool);
  if (failed?.length) {
    unsaved.delete(pool);
    const results = await Promise.allSettled([row, ...failed.map((f) => f.row)].map((r) => group.add(r)));
    const again = [{ row, attempts: 0 }, ...failed].flatMap((f, i) =>
      results[i]!.status === 'rejected' && f.attempts + 1 < VIEW_ATTEMPTS ? [{ row: f.row, attempts: f.attempts + 1 }] : [],
    );
    if (again.length) unsaved.set(pool, [...(unsaved.get(pool) ?? []), ...again]);
    const rejected = results.filter((r) => r.status === 'rejected').length;
    viewAuditCounts.failedWrites += rejected;
    viewAuditCounts.dropped += rejected - again.length;
    const refused = results.find((r) => r.status === 'rejected');
    if (refused) throw refused.reason;
    return;
  }
  group.add(row).catch(() => {
    viewAuditCounts.failedWrites++;
    unsaved.set(pool, [...(unsaved.get(pool) ?? []), { row, attempts: 1 }]);
  });
}

/** Resolves once the audit events handed to the group commit of this pool are written (shutdown, tests). */
export async function auditWritesSettled(db: Executor): Promise<void> {
  const pool = poolOf(db);
  await (pool ? groups.get(pool)?.settled() : undefined);
}

/**
 * Writes one audit event. Call it with the same transaction as the change it records. Outside a transaction an event
 * is committed with the other events in flight: a view returns once it is handed over, any other event (a logout, a
 * refused sign-in) once its own row is committed.
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
  if (!pool) await tx.insert(auditEvents).values(row);
  else if (e.action === 'view') await recordView(pool, row);
  else await groupOf(pool).add(row);
}

/** The fields a change touched, from the keys of its before and after (values left out). */
function changedFieldsOf(before: unknown, after: unknown): string[] {
  const keys = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : []);
  return [...new Set([...keys(before), ...keys(after)])]
    .filter((k) => !['version', 'updatedAt', 'updatedBy', 'createdAt', 'createdBy'].includes(k))
    .sort();
}

/** The start of a calendar day in the server's time zone (local midnight; correct across daylight-saving changes). */
function startOfLocalDay(isoDate: string, plusDays = 0): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays);
}

/**
 * The time window of a search as [since, until): a day bound covers the whole day in the server's time zone; an
 * instant bound is taken as given, `to` inclusive (timestamps have millisecond precision).
 */
function windowOf(from: string | undefined, to: string | undefined): { since: Date | null; until: Date | null } {
  const isDay = (v: string) => v.length === 10;
  const since = from ? (isDay(from) ? startOfLocalDay(from) : new Date(from)) : null;
  const until = to ? (isDay(to) ? startOfLocalDay(to, 1) : new Date(new Date(to).getTime() + 1)) : null;
  if (since && until && since.getTime() >= until.getTime()) throw invalid('to', 'Must not be before from');
  return { since, until };
}

/**
 * Audit events about one patient or by one staff member, newest first (by time, then id), optionally of one action
 * and within a time window. Each combination is a walk of one index: (patient_id | actor_id[, action], at, id).
 */
export async function listAudit(db: Executor, input: AuditListInput): Promise<Page<AuditEvent>> {
  const { limit, cursor, patientId, staffId, action, from, to } = AuditListSchema.parse(input);
  const where: (SQL | undefined)[] = [patientId != null ? eq(auditEvents.patientId, patientId) : eq(auditEvents.actorId, staffId!)];
  if (action) where.push(eq(auditEvents.action, action));
  const { since, until } = windowOf(from, to);
  if (since) where.push(gte(auditEvents.at, since));
  if (until) where.push(lt(auditEvents.at, until));
  const after = decodeCursor(cursor, ['string', 'id'] as const);
  if (after) {
    const at = new Date(after[0]);
    if (Number.isNaN(at.getTime()) || at.toISOString() !== after[0])
      throw invalid('cursor', 'This page position is out of date or from another list; start again from the first page');
    // The redundant `at <= ?` gives the optimizer the index range; the OR breaks ties within one millisecond by id.
    where.push(lte(auditEvents.at, at), or(lt(auditEvents.at, at), and(eq(auditEvents.at, at), lt(auditEvents.id, after[1]))));
  }
  const rows = await db
    .select({ e: auditEvents, actorName: authorName })
    .from(auditEvents)
    .leftJoin(staff, eq(staff.id, auditEvents.actorId))
    .where(and(...where))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1);
  return pageOf(
    rows,
    limit,
    ({ e }) => [e.at.toISOString(), e.id],
    ({ e, actorName }) => {
      const withheld = CLINICAL_AUDIT_ENTITIES.includes(e.entityType) && e.action !== 'view';
      return {
        id: e.id,
        at: e.at.toISOString(),
        actorId: e.actorId,
        actorName: e.actorId == null ? null : actorName,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        patientId: e.patientId,
        before: withheld ? null : (e.before ?? null),
        after: withheld ? null : (e.after ?? null),
        changedFields: withheld ? changedFieldsOf(e.before, e.after) : null,
        // A clinical change's detail can quote clinical text (an allergy override's reason): withheld with the values.
        detail: withheld ? null : e.detail,
      };
    },
  );
}
