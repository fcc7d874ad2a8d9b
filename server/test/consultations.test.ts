import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { EDIT_WINDOW_MS } from '@hmis/shared';
import { auditEvents, consultations } from '../src/db/schema';
import { createTestEnv, HOUR, loggedIn, patientInput, TrpcClient, type CallResult, type TestEnv } from './helpers';

const MINUTE = 60 * 1000;

let env: TestEnv;
let records: TrpcClient;
let doctor: TrpcClient;
let doctor2: TrpcClient;
let nurse: TrpcClient;
let pharmacist: TrpcClient;
let admin: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [records, doctor, doctor2, nurse, pharmacist, admin] = await Promise.all([
    loggedIn(env, 'records'),
    loggedIn(env, 'doctor'),
    loggedIn(env, 'doctor2'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'pharmacist'),
    loggedIn(env, 'admin'),
  ]);
});
afterEach(() => env.clock.reset());
afterAll(async () => env?.close());

async function newPatient(): Promise<number> {
  const res = await records.mutate('patients.create', patientInput());
  expect(res.status).toBe(200);
  return res.data.id as number;
}

function createConsultation(patientId: number, overrides: Record<string, unknown> = {}, as = doctor) {
  return as.mutate('consultations.create', {
    patientId,
    presentingComplaint: 'Fever for three days',
    provisionalDiagnosis: 'Malaria',
    plan: 'Malaria RDT, review in 48 hours',
    ...overrides,
  });
}

async function newConsultation(patientId?: number, overrides: Record<string, unknown> = {}) {
  const res = await createConsultation(patientId ?? (await newPatient()), overrides);
  expect(res.status).toBe(200);
  return res.data;
}

const fieldPaths = (res: CallResult) => res.error?.fields?.map((f) => f.path) ?? [];
/** Decodes like a real cursor but carries text where the id belongs. */
const forgedCursor = Buffer.from(JSON.stringify(['1 or 1=1'])).toString('base64url');

async function storedRow(id: number) {
  const [row] = await env.database.db.select().from(consultations).where(eq(consultations.id, id));
  return row;
}

function auditOf(id: number) {
  return env.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'consultation'), eq(auditEvents.entityId, id)))
    .orderBy(asc(auditEvents.id));
}

describe('creating a consultation', () => {
  it('a doctor records a consultation and gets it back with its author, version 1 and a 24-hour edit window', async () => {
    const patientId = await newPatient();
    const before = env.clock.now().getTime();
    const res = await createConsultation(patientId);
    expect(res.status).toBe(200);
    const c = res.data;
    expect(c).toMatchObject({
      patientId,
      doctorId: env.staff.doctor.id,
      doctorName: 'doctor Tester',
      presentingComplaint: 'Fever for three days',
      provisionalDiagnosis: 'Malaria',
      plan: 'Malaria RDT, review in 48 hours',
      historyOfPresentingComplaint: null,
      version: 1,
      createdBy: env.staff.doctor.id,
      updatedBy: env.staff.doctor.id,
    });
    expect(c.id).toEqual(expect.any(Number));
    const createdAt = Date.parse(c.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(env.clock.now().getTime() + 1000);
    expect(Date.parse(c.editableUntil) - createdAt).toBe(EDIT_WINDOW_MS);
  });

  it('takes the author from the session even when the body names another doctor', async () => {
    const patientId = await newPatient();
    const other = env.doctor2.id;
    const res = await createConsultation(patientId, { doctorId: other, createdBy: other, updatedBy: other, doctorName: 'Someone Else' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ doctorId: env.staff.doctor.id, doctorName: 'doctor Tester', createdBy: env.staff.doctor.id });
    const row = await storedRow(res.data.id);
    expect(row).toMatchObject({ doctorId: env.staff.doctor.id, createdBy: env.staff.doctor.id, updatedBy: env.staff.doctor.id });
  });

  it('refuses a consultation without a provisional diagnosis with a 400 naming provisionalDiagnosis', async () => {
    const patientId = await newPatient();
    const res = await doctor.mutate('consultations.create', { patientId, presentingComplaint: 'Headache' });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('provisionalDiagnosis');
    expect((await doctor.query('consultations.list', { patientId })).data.items).toHaveLength(0);
  });

  it('refuses a provisional diagnosis of only spaces', async () => {
    const patientId = await newPatient();
    const res = await createConsultation(patientId, { provisionalDiagnosis: '   ' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('provisionalDiagnosis');
  });

  it('answers 404 for an unknown patient and stores nothing', async () => {
    const res = await createConsultation(99_999_999);
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
    const rows = await env.database.db.select().from(consultations).where(eq(consultations.patientId, 99_999_999));
    expect(rows).toHaveLength(0);
  });

  it('writes exactly one audit event for the creation, by the doctor, about the patient', async () => {
    const c = await newConsultation();
    const events = await auditOf(c.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'create', entityType: 'consultation', entityId: c.id, patientId: c.patientId, actorId: env.staff.doctor.id });
  });
});

describe('reading consultations', () => {
  it('a doctor gets a consultation by patient and id', async () => {
    const c = await newConsultation();
    const res = await doctor.query('consultations.get', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual(c);
  });

  it('a nurse can read a consultation', async () => {
    const c = await newConsultation();
    const res = await nurse.query('consultations.get', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(200);
    expect(res.data.id).toBe(c.id);
    expect((await nurse.query('consultations.list', { patientId: c.patientId })).status).toBe(200);
  });

  it("answers 404 for a consultation requested under another patient's id", async () => {
    const c = await newConsultation();
    const otherPatient = await newPatient();
    const res = await doctor.query('consultations.get', { patientId: otherPatient, id: c.id });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });

  it("lists only the patient's consultations, newest first, a page at a time", async () => {
    const patientId = await newPatient();
    const a = await newConsultation(patientId, { provisionalDiagnosis: 'first' });
    const b = await newConsultation(patientId, { provisionalDiagnosis: 'second' });
    const c = await newConsultation(patientId, { provisionalDiagnosis: 'third' });
    await newConsultation(); // another patient's

    const first = await doctor.query('consultations.list', { patientId, limit: 2 });
    expect(first.status).toBe(200);
    expect(first.data.items.map((i: { id: number }) => i.id)).toEqual([c.id, b.id]);
    expect(first.data.nextCursor).toEqual(expect.any(String));

    const second = await doctor.query('consultations.list', { patientId, limit: 2, cursor: first.data.nextCursor });
    expect(second.status).toBe(200);
    expect(second.data.items.map((i: { id: number }) => i.id)).toEqual([a.id]);
    expect(second.data.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not make with a 400 naming cursor', async () => {
    const patientId = await newPatient();
    const res = await doctor.query('consultations.list', { patientId, cursor: 'not-a-cursor' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });

  it('refuses a well-formed cursor that holds no id with a 400 naming cursor, not a 500', async () => {
    const patientId = await newPatient();
    await newConsultation(patientId);
    const res = await doctor.query('consultations.list', { patientId, cursor: forgedCursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });
});

describe('updating a consultation', () => {
  it('the author can update within 24 hours and the version increments', async () => {
    const c = await newConsultation();
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'Admit for IV artesunate' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: c.id, version: 2, plan: 'Admit for IV artesunate', provisionalDiagnosis: 'Malaria', updatedBy: env.staff.doctor.id });
    expect((await storedRow(c.id))).toMatchObject({ version: 2, plan: 'Admit for IV artesunate' });
  });

  it('refuses a stale version with 409 STALE_VERSION and changes nothing', async () => {
    const c = await newConsultation();
    expect((await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'v2 plan' })).status).toBe(200);
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'stale plan' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(await storedRow(c.id)).toMatchObject({ version: 2, plan: 'v2 plan' });
  });

  it('of two simultaneous updates from the same version exactly one wins and the other is STALE_VERSION', async () => {
    const c = await newConsultation();
    const results = await Promise.all(
      ['plan A', 'plan B'].map((plan) => doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.error?.code).toBe('STALE_VERSION');
    const winner = results.find((r) => r.status === 200)!.data;
    expect(await storedRow(c.id)).toMatchObject({ version: 2, plan: winner.plan });
  });

  it("another doctor cannot update the consultation (403) and it is unchanged", async () => {
    const c = await newConsultation();
    const res = await doctor2.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'Hijacked' });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedRow(c.id)).toMatchObject({ version: 1, plan: c.plan });
  });

  it("answers 404 for an update under another patient's id and changes nothing", async () => {
    const c = await newConsultation();
    const otherPatient = await newPatient();
    const res = await doctor.mutate('consultations.update', { patientId: otherPatient, id: c.id, version: 1, plan: 'Wrong patient' });
    expect(res.status).toBe(404);
    expect(await storedRow(c.id)).toMatchObject({ version: 1, plan: c.plan, patientId: c.patientId });
  });

  it('refuses clearing the provisional diagnosis', async () => {
    const c = await newConsultation();
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, provisionalDiagnosis: '' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('provisionalDiagnosis');
    expect(await storedRow(c.id)).toMatchObject({ version: 1, provisionalDiagnosis: 'Malaria' });
  });

  it('writes exactly one audit event for an update with the old and new values', async () => {
    const c = await newConsultation();
    await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'New plan' });
    const events = (await auditOf(c.id)).filter((e) => e.action === 'update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'consultation', entityId: c.id, patientId: c.patientId, actorId: env.staff.doctor.id,
      before: { plan: c.plan }, after: { plan: 'New plan' },
    });
  });
});

describe('deleting a consultation', () => {
  it('the author can delete within 24 hours, after which it is not found', async () => {
    const c = await newConsultation();
    const res = await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: c.id, deleted: true });
    expect((await doctor.query('consultations.get', { patientId: c.patientId, id: c.id })).status).toBe(404);
  });

  it('writes exactly one audit event for a deletion', async () => {
    const c = await newConsultation();
    await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    const events = (await auditOf(c.id)).filter((e) => e.action === 'delete');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entityType: 'consultation', entityId: c.id, patientId: c.patientId, actorId: env.staff.doctor.id });
  });

  it('another doctor cannot delete the consultation (403) and it is still there', async () => {
    const c = await newConsultation();
    const res = await doctor2.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedRow(c.id)).toBeDefined();
  });

  it("answers 404 for a delete under another patient's id and keeps the consultation", async () => {
    const c = await newConsultation();
    const otherPatient = await newPatient();
    const res = await doctor.mutate('consultations.delete', { patientId: otherPatient, id: c.id });
    expect(res.status).toBe(404);
    expect(await storedRow(c.id)).toBeDefined();
  });

  it('a consultation with vital signs linked to it is not deleted: 409, not a 500', async () => {
    const c = await newConsultation();
    const v = await nurse.mutate('vitals.create', { patientId: c.patientId, consultationId: c.id, pulseRate: 80 });
    expect(v.status).toBe(200);
    const res = await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(409);
    expect(await storedRow(c.id)).toBeDefined();
  });
});

describe('the 24-hour lock', () => {
  it('the author can still update at 23 hours 59 minutes', async () => {
    const c = await newConsultation();
    env.clock.advance(24 * HOUR - MINUTE);
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'Late but in time' });
    expect(res.status).toBe(200);
    expect(res.data.version).toBe(2);
  });

  it('the author can still delete at 23 hours 59 minutes', async () => {
    const c = await newConsultation();
    env.clock.advance(24 * HOUR - MINUTE);
    expect((await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id })).status).toBe(200);
    expect(await storedRow(c.id)).toBeUndefined();
  });

  it("refuses the author's update after 24 hours with 409 LOCKED and changes nothing", async () => {
    const c = await newConsultation();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'Too late' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect(await storedRow(c.id)).toMatchObject({ version: 1, plan: c.plan });
  });

  it("refuses the author's delete after 24 hours with 409 LOCKED and keeps the consultation", async () => {
    const c = await newConsultation();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await doctor.query('consultations.get', { patientId: c.patientId, id: c.id })).status).toBe(200);
  });

  it('counts the 24 hours from creation, not from the last update', async () => {
    const c = await newConsultation();
    env.clock.advance(23 * HOUR);
    expect((await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'Updated at 23h' })).status).toBe(200);
    env.clock.advance(HOUR + MINUTE);
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 2, plan: 'After 24h' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
  });

  it('a locked consultation can still be read', async () => {
    const c = await newConsultation();
    env.clock.advance(30 * HOUR);
    const res = await nurse.query('consultations.get', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(200);
    expect(res.data.provisionalDiagnosis).toBe('Malaria');
  });
});

describe('refused changes leave no audit trail', () => {
  it('a 403 update or delete by another doctor writes no audit event', async () => {
    const c = await newConsultation();
    await doctor2.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'x' });
    await doctor2.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect((await auditOf(c.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('a 409 stale or locked change writes no audit event', async () => {
    const c = await newConsultation();
    await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 7, plan: 'stale' });
    env.clock.advance(24 * HOUR + MINUTE);
    await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'locked' });
    await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect((await auditOf(c.id)).map((e) => e.action)).toEqual(['create']);
  });
});

describe('who may read and write consultations', () => {
  it.each(['nurse', 'pharmacist', 'records', 'admin'] as const)('a %s cannot write a consultation', async (who) => {
    const client = { nurse, pharmacist, records, admin }[who];
    const patientId = await newPatient();
    const res = await createConsultation(patientId, {}, client);
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect((await doctor.query('consultations.list', { patientId })).data.items).toHaveLength(0);
  });

  it('a nurse cannot update or delete a consultation', async () => {
    const c = await newConsultation();
    expect((await nurse.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, plan: 'x' })).status).toBe(403);
    expect((await nurse.mutate('consultations.delete', { patientId: c.patientId, id: c.id })).status).toBe(403);
    expect(await storedRow(c.id)).toMatchObject({ version: 1 });
  });

  it.each(['pharmacist', 'records', 'admin'] as const)('a %s cannot read consultations', async (who) => {
    const client = { pharmacist, records, admin }[who];
    const c = await newConsultation();
    const get = await client.query('consultations.get', { patientId: c.patientId, id: c.id });
    const list = await client.query('consultations.list', { patientId: c.patientId });
    expect(get.status).toBe(403);
    expect(get.error?.code).toBe('FORBIDDEN');
    expect(list.status).toBe(403);
  });

  it('an anonymous caller gets 401 for reading and writing', async () => {
    const c = await newConsultation();
    const anonymous = new TrpcClient(env.app);
    expect((await anonymous.query('consultations.get', { patientId: c.patientId, id: c.id })).status).toBe(401);
    expect((await anonymous.query('consultations.list', { patientId: c.patientId })).status).toBe(401);
    const create = await createConsultation(c.patientId, {}, anonymous);
    expect(create.status).toBe(401);
    expect(create.error?.code).toBe('UNAUTHENTICATED');
  });
});

describe("a doctor's own consultations", () => {
  it('staff.doctorConsultations lists what that doctor wrote and nothing of another doctor', async () => {
    const patientId = await newPatient();
    const mine = await newConsultation(patientId);
    const theirs = await createConsultation(patientId, {}, doctor2);
    expect(theirs.status).toBe(200);
    const res = await doctor2.query('staff.doctorConsultations', { staffId: env.doctor2.id, limit: 100 });
    expect(res.status).toBe(200);
    const ids = res.data.items.map((i: { id: number }) => i.id);
    expect(ids).toContain(theirs.data.id);
    expect(ids).not.toContain(mine.id);
    expect(res.data.items.every((i: { doctorId: number }) => i.doctorId === env.doctor2.id)).toBe(true);
  });
});
