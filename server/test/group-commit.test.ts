/** Group commit of audit events written outside a transaction (server/src/db/group-commit.ts, decision 008). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { GroupCommit, settleGroupCommits } from '../src/db/group-commit';
import { auditEvents } from '../src/db/schema';
import { viewAuditFailures } from '../src/services/audit';
import { createTestEnv, loggedIn, patientInput, type TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

type Row = typeof auditEvents.$inferInsert;
const row = (detail: string, actorId = env.staff.admin.id): Row => ({
  at: new Date(),
  actorId,
  action: 'view',
  entityType: 'patient',
  detail,
  ip: null,
});
const rowsWithDetail = (prefix: string) =>
  env.database.db
    .select()
    .from(auditEvents)
    .then((rows) => rows.filter((r) => r.detail?.startsWith(prefix)));

describe('GroupCommit', () => {
  it('writes the rows that arrive during a write together, and settles each caller after its own row is in', async () => {
    const batches: number[] = [];
    const group = new GroupCommit<Row>(async (rows) => {
      batches.push(rows.length);
      await env.database.db.insert(auditEvents).values(rows);
    });
    const settled: string[] = [];
    await Promise.all(Array.from({ length: 30 }, (_, i) => group.add(row(`gc-a-${i}`)).then(() => settled.push(`gc-a-${i}`))));
    expect(batches).toEqual([1, 29]); // the first alone at once, the rest in the next statement
    expect(settled).toHaveLength(30);
    expect(await rowsWithDetail('gc-a-')).toHaveLength(30);
  });

  it('a row the database refuses fails alone; the others of its batch are written', async () => {
    const group = new GroupCommit<Row>((rows) => env.database.db.insert(auditEvents).values(rows));
    const outcomes = await Promise.allSettled([
      group.add(row('gc-b-first')),
      group.add(row('gc-b-1')),
      group.add(row('gc-b-bad', 999_999_999)), // no such staff member: foreign key violation
      group.add(row('gc-b-2')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await rowsWithDetail('gc-b-')).map((r) => r.detail).sort()).toEqual(['gc-b-1', 'gc-b-2', 'gc-b-first']);
  });

  it('keeps going after a failed batch: later rows are written', async () => {
    const group = new GroupCommit<Row>((rows) => env.database.db.insert(auditEvents).values(rows));
    await expect(group.add(row('gc-c-bad', 999_999_999))).rejects.toThrow();
    await group.add(row('gc-c-after'));
    expect((await rowsWithDetail('gc-c-')).map((r) => r.detail)).toEqual(['gc-c-after']);
  });
});

describe('opening charts concurrently', () => {
  it('records one view event per request, written once the reads are answered', async () => {
    const records = await loggedIn(env, 'records');
    const { id } = (await records.mutate<{ id: number }>('patients.create', patientInput())).data;
    const doctor = await loggedIn(env, 'doctor');
    const results = await Promise.all(Array.from({ length: 25 }, () => doctor.query('patients.get', { id })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await settleGroupCommits();
    const views = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, id), eq(auditEvents.action, 'view')));
    expect(views).toHaveLength(25);
    expect(views.every((v) => v.actorId === env.staff.doctor.id && v.before === null && v.after === null)).toBe(true);
  });
});

describe('view events while the audit trail cannot be written (decision 008)', () => {
  it('a read is refused while its view cannot be recorded, and the views that failed are written once it can', async () => {
    const records = await loggedIn(env, 'records');
    const { id } = (await records.mutate<{ id: number }>('patients.create', patientInput())).data;
    const doctor = await loggedIn(env, 'doctor');
    const viewsOf = () =>
      env.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.patientId, id), eq(auditEvents.action, 'view')));
    const counted = { ...viewAuditFailures() };
    // The audit table goes away (a broken trail); the patients table, which the read needs, stays.
    await env.database.db.execute(sql`rename table audit_events to audit_events_away`);
    try {
      // The first read answers: its view is handed over, and its write fails after.
      expect((await doctor.query('patients.get', { id })).status).toBe(200);
      await settleGroupCommits();
      expect(viewAuditFailures().failedWrites - counted.failedWrites).toBe(1); // the metrics' count
      // From now on a read waits for its view and the failed one: it is refused rather than answered untraced.
      const refused = await doctor.query('patients.get', { id });
      expect(refused.status).toBeGreaterThanOrEqual(500);
      expect(refused.data).toBeUndefined();
      expect(viewAuditFailures().failedWrites - counted.failedWrites).toBe(3); // both written again, both failed
    } finally {
      await env.database.db.execute(sql`rename table audit_events_away to audit_events`);
    }
    expect((await doctor.query('patients.get', { id })).status).toBe(200);
    await settleGroupCommits();
    // Every read that was attempted left its view: the answered one, the refused one and the last.
    expect(await viewsOf()).toHaveLength(3);
    expect(viewAuditFailures().dropped).toBe(counted.dropped); // none given up
  });
});
