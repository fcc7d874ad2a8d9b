import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { EDIT_WINDOW_MS } from '@hmis/shared';
import { auditEvents, vitals } from '../src/db/schema';
import { createTestEnv, HOUR, loggedIn, patientInput, TrpcClient, type CallResult, type TestEnv } from './helpers';

const MINUTE = 60 * 1000;

/** Every measurement inside its normal adult range. */
const NORMAL = {
  pulseRate: 72,
  respiratoryRate: 16,
  systolicBp: 120,
  diastolicBp: 80,
  temperature: 36.8,
  spo2: 98,
  heightCm: 170,
  weightKg: 70.5,
};

let env: TestEnv;
let records: TrpcClient;
let nurse: TrpcClient;
let nurse2: TrpcClient;
let doctor: TrpcClient;
let pharmacist: TrpcClient;
let admin: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [records, nurse, nurse2, doctor, pharmacist, admin] = await Promise.all([
    loggedIn(env, 'records'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'nurse2'),
    loggedIn(env, 'doctor'),
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

async function newConsultation(patientId: number): Promise<number> {
  const res = await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Hypertension' });
  expect(res.status).toBe(200);
  return res.data.id as number;
}

function recordVitals(patientId: number, values: Record<string, unknown> = NORMAL, as = nurse) {
  return as.mutate('vitals.create', { patientId, ...values });
}

async function newVitals(patientId?: number, values: Record<string, unknown> = NORMAL) {
  const res = await recordVitals(patientId ?? (await newPatient()), values);
  expect(res.status).toBe(200);
  return res.data;
}

const fieldPaths = (res: CallResult) => res.error?.fields?.map((f) => f.path) ?? [];
/** Decodes like a real cursor but carries text where the id belongs. */
const forgedCursor = Buffer.from(JSON.stringify(['1 or 1=1'])).toString('base64url');
const ids = (res: CallResult<{ items: { id: number }[] }>) => res.data.items.map((i) => i.id);

async function storedRow(id: number) {
  const [row] = await env.database.db.select().from(vitals).where(eq(vitals.id, id));
  return row;
}

async function storedCountFor(patientId: number) {
  return (await env.database.db.select().from(vitals).where(eq(vitals.patientId, patientId))).length;
}

function auditOf(id: number) {
  return env.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'vital'), eq(auditEvents.entityId, id)))
    .orderBy(asc(auditEvents.id));
}

describe('recording vital signs', () => {
  it('a nurse records vital signs and gets them back with the author, version 1 and a 24-hour edit window', async () => {
    const patientId = await newPatient();
    const before = env.clock.now().getTime();
    const res = await recordVitals(patientId);
    expect(res.status).toBe(200);
    const v = res.data;
    expect(v).toMatchObject({
      patientId,
      consultationId: null,
      nurseId: env.staff.nurse.id,
      nurseName: 'nurse Tester',
      ...NORMAL,
      version: 1,
      createdBy: env.staff.nurse.id,
      updatedBy: env.staff.nurse.id,
    });
    expect(v.id).toEqual(expect.any(Number));
    const createdAt = Date.parse(v.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(env.clock.now().getTime() + 1000);
    expect(Date.parse(v.editableUntil) - createdAt).toBe(EDIT_WINDOW_MS);
  });

  it('takes the author from the session even when the body names another nurse', async () => {
    const patientId = await newPatient();
    const other = env.nurse2.id;
    const res = await recordVitals(patientId, { ...NORMAL, nurseId: other, createdBy: other, updatedBy: other, nurseName: 'Someone Else' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ nurseId: env.staff.nurse.id, nurseName: 'nurse Tester', createdBy: env.staff.nurse.id });
    expect(await storedRow(res.data.id)).toMatchObject({ nurseId: env.staff.nurse.id, createdBy: env.staff.nurse.id, updatedBy: env.staff.nurse.id });
  });

  it('accepts a single measurement and leaves the others empty', async () => {
    const v = await newVitals(undefined, { spo2: 97 });
    expect(v).toMatchObject({ spo2: 97, pulseRate: null, temperature: null, systolicBp: null, weightKg: null });
  });

  it('answers 404 for an unknown patient and stores nothing', async () => {
    const res = await recordVitals(99_999_999);
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
    expect(await storedCountFor(99_999_999)).toBe(0);
  });

  it('writes exactly one audit event for the recording, by the nurse, about the patient', async () => {
    const v = await newVitals();
    const events = await auditOf(v.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'create', entityType: 'vital', entityId: v.id, patientId: v.patientId, actorId: env.staff.nurse.id });
  });
});

describe('physically impossible values', () => {
  it.each([
    ['pulseRate', 0],
    ['pulseRate', 400],
    ['temperature', 50],
    ['spo2', 101],
    ['systolicBp', 20],
    ['weightKg', -5],
    ['respiratoryRate', 0],
    ['heightCm', 400],
  ] as const)('%s of %s is refused with a 400 naming the field', async (field, value) => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { [field]: value });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain(field);
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it('a pulse rate that is not a whole number is refused', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { pulseRate: 72.5 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('pulseRate');
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it('a measurement sent as text is refused', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { pulseRate: 'seventy' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('pulseRate');
  });

  it('a diastolic pressure equal to the systolic is refused with a 400 naming diastolicBp', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { systolicBp: 100, diastolicBp: 100 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('diastolicBp');
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it('a diastolic pressure above the systolic is refused with a 400 naming diastolicBp', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { systolicBp: 90, diastolicBp: 120 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('diastolicBp');
  });

  it('a record with no measurement at all is refused', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, {});
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it('a record whose measurements are all null is refused', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { pulseRate: null, temperature: null });
    expect(res.status).toBe(400);
    expect(await storedCountFor(patientId)).toBe(0);
  });
});

describe('abnormal but possible values', () => {
  it('a pulse rate of 130 is accepted and flagged high', async () => {
    const v = await newVitals(undefined, { ...NORMAL, pulseRate: 130 });
    expect(v.pulseRate).toBe(130);
    expect(v.flags).toEqual({ pulseRate: 'high' });
    expect(v.abnormal).toBe(true);
  });

  it('a temperature of 35.0 is accepted and flagged low', async () => {
    const v = await newVitals(undefined, { ...NORMAL, temperature: 35.0 });
    expect(v.temperature).toBe(35);
    expect(v.flags).toEqual({ temperature: 'low' });
    expect(v.abnormal).toBe(true);
  });

  it('all-normal vitals have no flags and are not abnormal', async () => {
    const v = await newVitals();
    expect(v.flags).toEqual({});
    expect(v.abnormal).toBe(false);
  });

  it('values on the edge of the normal range are not flagged', async () => {
    const v = await newVitals(undefined, { pulseRate: 60, temperature: 37.8, spo2: 95, systolicBp: 139, diastolicBp: 89 });
    expect(v.flags).toEqual({});
    expect(v.abnormal).toBe(false);
  });

  it('the flags are the same when the vitals are read back', async () => {
    const v = await newVitals(undefined, { ...NORMAL, spo2: 88, systolicBp: 180, diastolicBp: 110 });
    const res = await doctor.query('vitals.get', { patientId: v.patientId, id: v.id });
    expect(res.data.flags).toEqual({ spo2: 'low', systolicBp: 'high', diastolicBp: 'high' });
    expect(res.data.abnormal).toBe(true);
  });
});

describe('vital signs taken during a consultation', () => {
  it("can be linked to a consultation of the same patient", async () => {
    const patientId = await newPatient();
    const consultationId = await newConsultation(patientId);
    const res = await recordVitals(patientId, { ...NORMAL, consultationId });
    expect(res.status).toBe(200);
    expect(res.data.consultationId).toBe(consultationId);
  });

  it("cannot be linked to another patient's consultation (404) and nothing is stored", async () => {
    const patientId = await newPatient();
    const otherConsultation = await newConsultation(await newPatient());
    const res = await recordVitals(patientId, { ...NORMAL, consultationId: otherConsultation });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it('cannot be linked to a consultation that does not exist (404)', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { ...NORMAL, consultationId: 99_999_999 });
    expect(res.status).toBe(404);
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it('the list filtered by consultation returns only the vitals of that consultation', async () => {
    const patientId = await newPatient();
    const first = await newConsultation(patientId);
    const second = await newConsultation(patientId);
    const a = await newVitals(patientId, { ...NORMAL, consultationId: first });
    const b = await newVitals(patientId, { ...NORMAL, consultationId: first, pulseRate: 90 });
    await newVitals(patientId, { ...NORMAL, consultationId: second });
    await newVitals(patientId, NORMAL);

    const res = await doctor.query('vitals.list', { patientId, consultationId: first });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([b.id, a.id]);
    const all = await doctor.query('vitals.list', { patientId });
    expect(all.data.items).toHaveLength(4);
  });
});

describe('reading vital signs', () => {
  it('a nurse gets vital signs by patient and id', async () => {
    const v = await newVitals();
    const res = await nurse.query('vitals.get', { patientId: v.patientId, id: v.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual(v);
  });

  it('a doctor can read vital signs', async () => {
    const v = await newVitals();
    expect((await doctor.query('vitals.get', { patientId: v.patientId, id: v.id })).status).toBe(200);
    const list = await doctor.query('vitals.list', { patientId: v.patientId });
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual([v.id]);
  });

  it("answers 404 for vital signs requested under another patient's id", async () => {
    const v = await newVitals();
    const otherPatient = await newPatient();
    const res = await nurse.query('vitals.get', { patientId: otherPatient, id: v.id });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });

  it("lists only the patient's vital signs, newest first, a page at a time", async () => {
    const patientId = await newPatient();
    const a = await newVitals(patientId, { pulseRate: 70 });
    const b = await newVitals(patientId, { pulseRate: 75 });
    const c = await newVitals(patientId, { pulseRate: 80 });
    await newVitals(); // another patient's

    const first = await nurse.query('vitals.list', { patientId, limit: 2 });
    expect(first.status).toBe(200);
    expect(ids(first)).toEqual([c.id, b.id]);
    expect(first.data.nextCursor).toEqual(expect.any(String));

    const second = await nurse.query('vitals.list', { patientId, limit: 2, cursor: first.data.nextCursor });
    expect(second.status).toBe(200);
    expect(ids(second)).toEqual([a.id]);
    expect(second.data.nextCursor).toBeNull();
  });

  it('refuses a well-formed cursor that holds no id with a 400 naming cursor, not a 500', async () => {
    const v = await newVitals();
    const res = await nurse.query('vitals.list', { patientId: v.patientId, cursor: forgedCursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });

  it("staff.nurseVitals also refuses a cursor that holds no id with a 400", async () => {
    const res = await nurse.query('staff.nurseVitals', { staffId: env.staff.nurse.id, cursor: forgedCursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });
});

describe('updating vital signs', () => {
  it('the author can update within 24 hours, the version increments and the flags follow the new values', async () => {
    const v = await newVitals();
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 130 });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: v.id, version: 2, pulseRate: 130, temperature: NORMAL.temperature, flags: { pulseRate: 'high' }, abnormal: true, updatedBy: env.staff.nurse.id });
    expect(await storedRow(v.id)).toMatchObject({ version: 2, pulseRate: 130 });
  });

  it('re-validates the combination: lowering the systolic below the stored diastolic is refused and nothing changes', async () => {
    const v = await newVitals(undefined, { systolicBp: 120, diastolicBp: 80 });
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, systolicBp: 70 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('diastolicBp');
    expect(await storedRow(v.id)).toMatchObject({ version: 1, systolicBp: 120, diastolicBp: 80 });
  });

  it('re-validates the combination: raising the diastolic above the stored systolic is refused', async () => {
    const v = await newVitals(undefined, { systolicBp: 120, diastolicBp: 80 });
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, diastolicBp: 125 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('diastolicBp');
    expect(await storedRow(v.id)).toMatchObject({ version: 1, diastolicBp: 80 });
  });

  it('refuses an update that would clear the last measurement', async () => {
    const v = await newVitals(undefined, { pulseRate: 88 });
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: null });
    expect(res.status).toBe(400);
    expect(await storedRow(v.id)).toMatchObject({ version: 1, pulseRate: 88 });
  });

  it('refuses an impossible value in an update', async () => {
    const v = await newVitals();
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, spo2: 101 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('spo2');
    expect(await storedRow(v.id)).toMatchObject({ version: 1, spo2: NORMAL.spo2 });
  });

  it('refuses a stale version with 409 STALE_VERSION and changes nothing', async () => {
    const v = await newVitals();
    expect((await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 90 })).status).toBe(200);
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 95 });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(await storedRow(v.id)).toMatchObject({ version: 2, pulseRate: 90 });
  });

  it('of two simultaneous updates from the same version exactly one wins and the other is STALE_VERSION', async () => {
    const v = await newVitals();
    const results = await Promise.all(
      [90, 110].map((pulseRate) => nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.error?.code).toBe('STALE_VERSION');
    const winner = results.find((r) => r.status === 200)!.data;
    expect(await storedRow(v.id)).toMatchObject({ version: 2, pulseRate: winner.pulseRate });
  });

  it('another nurse cannot update the vital signs (403) and they are unchanged', async () => {
    const v = await newVitals();
    const res = await nurse2.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 99 });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedRow(v.id)).toMatchObject({ version: 1, pulseRate: NORMAL.pulseRate });
  });

  it("answers 404 for an update under another patient's id and changes nothing", async () => {
    const v = await newVitals();
    const otherPatient = await newPatient();
    const res = await nurse.mutate('vitals.update', { patientId: otherPatient, id: v.id, version: 1, pulseRate: 99 });
    expect(res.status).toBe(404);
    expect(await storedRow(v.id)).toMatchObject({ version: 1, pulseRate: NORMAL.pulseRate, patientId: v.patientId });
  });

  it('writes exactly one audit event for an update with the old and new values', async () => {
    const v = await newVitals();
    await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, temperature: 38.5 });
    const events = (await auditOf(v.id)).filter((e) => e.action === 'update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'vital', entityId: v.id, patientId: v.patientId, actorId: env.staff.nurse.id,
      before: { temperature: NORMAL.temperature }, after: { temperature: 38.5 },
    });
  });
});

describe('deleting vital signs', () => {
  it('the author can delete within 24 hours, after which they are not found', async () => {
    const v = await newVitals();
    const res = await nurse.mutate('vitals.delete', { patientId: v.patientId, id: v.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: v.id, deleted: true });
    expect((await nurse.query('vitals.get', { patientId: v.patientId, id: v.id })).status).toBe(404);
  });

  it('writes exactly one audit event for a deletion', async () => {
    const v = await newVitals();
    await nurse.mutate('vitals.delete', { patientId: v.patientId, id: v.id });
    const events = (await auditOf(v.id)).filter((e) => e.action === 'delete');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entityType: 'vital', entityId: v.id, patientId: v.patientId, actorId: env.staff.nurse.id });
  });

  it('another nurse cannot delete the vital signs (403) and they are still there', async () => {
    const v = await newVitals();
    const res = await nurse2.mutate('vitals.delete', { patientId: v.patientId, id: v.id });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedRow(v.id)).toBeDefined();
  });

  it("answers 404 for a delete under another patient's id and keeps the vital signs", async () => {
    const v = await newVitals();
    const otherPatient = await newPatient();
    const res = await nurse.mutate('vitals.delete', { patientId: otherPatient, id: v.id });
    expect(res.status).toBe(404);
    expect(await storedRow(v.id)).toBeDefined();
  });
});

describe('the 24-hour lock', () => {
  it('the author can still update at 23 hours 59 minutes', async () => {
    const v = await newVitals();
    env.clock.advance(24 * HOUR - MINUTE);
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 85 });
    expect(res.status).toBe(200);
    expect(res.data.version).toBe(2);
  });

  it('the author can still delete at 23 hours 59 minutes', async () => {
    const v = await newVitals();
    env.clock.advance(24 * HOUR - MINUTE);
    expect((await nurse.mutate('vitals.delete', { patientId: v.patientId, id: v.id })).status).toBe(200);
    expect(await storedRow(v.id)).toBeUndefined();
  });

  it("refuses the author's update after 24 hours with 409 LOCKED and changes nothing", async () => {
    const v = await newVitals();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 85 });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect(await storedRow(v.id)).toMatchObject({ version: 1, pulseRate: NORMAL.pulseRate });
  });

  it("refuses the author's delete after 24 hours with 409 LOCKED and keeps the vital signs", async () => {
    const v = await newVitals();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await nurse.mutate('vitals.delete', { patientId: v.patientId, id: v.id });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await nurse.query('vitals.get', { patientId: v.patientId, id: v.id })).status).toBe(200);
  });

  it('counts the 24 hours from creation, not from the last update', async () => {
    const v = await newVitals();
    env.clock.advance(23 * HOUR);
    expect((await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 85 })).status).toBe(200);
    env.clock.advance(HOUR + MINUTE);
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 2, pulseRate: 86 });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
  });
});

describe('refused changes leave no audit trail', () => {
  it('a 403 update or delete by another nurse writes no audit event', async () => {
    const v = await newVitals();
    await nurse2.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 99 });
    await nurse2.mutate('vitals.delete', { patientId: v.patientId, id: v.id });
    expect((await auditOf(v.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('a 409 stale or locked change writes no audit event', async () => {
    const v = await newVitals();
    await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 7, pulseRate: 99 });
    env.clock.advance(24 * HOUR + MINUTE);
    await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 99 });
    await nurse.mutate('vitals.delete', { patientId: v.patientId, id: v.id });
    expect((await auditOf(v.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('a 400 on the stored combination writes no audit event', async () => {
    const v = await newVitals(undefined, { systolicBp: 120, diastolicBp: 80 });
    await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, systolicBp: 70 });
    expect((await auditOf(v.id)).map((e) => e.action)).toEqual(['create']);
  });
});

describe('who may read and write vital signs', () => {
  it.each(['doctor', 'pharmacist', 'records', 'admin'] as const)('a %s cannot record vital signs', async (who) => {
    const client = { doctor, pharmacist, records, admin }[who];
    const patientId = await newPatient();
    const res = await recordVitals(patientId, NORMAL, client);
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedCountFor(patientId)).toBe(0);
  });

  it("a doctor cannot update or delete a nurse's vital signs", async () => {
    const v = await newVitals();
    expect((await doctor.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 99 })).status).toBe(403);
    expect((await doctor.mutate('vitals.delete', { patientId: v.patientId, id: v.id })).status).toBe(403);
    expect(await storedRow(v.id)).toMatchObject({ version: 1, pulseRate: NORMAL.pulseRate });
  });

  it.each(['pharmacist', 'records', 'admin'] as const)('a %s cannot read vital signs', async (who) => {
    const client = { pharmacist, records, admin }[who];
    const v = await newVitals();
    const get = await client.query('vitals.get', { patientId: v.patientId, id: v.id });
    const list = await client.query('vitals.list', { patientId: v.patientId });
    expect(get.status).toBe(403);
    expect(get.error?.code).toBe('FORBIDDEN');
    expect(list.status).toBe(403);
  });

  it('an anonymous caller gets 401 for reading and writing', async () => {
    const v = await newVitals();
    const anonymous = new TrpcClient(env.app);
    expect((await anonymous.query('vitals.get', { patientId: v.patientId, id: v.id })).status).toBe(401);
    expect((await anonymous.query('vitals.list', { patientId: v.patientId })).status).toBe(401);
    const create = await recordVitals(v.patientId, NORMAL, anonymous);
    expect(create.status).toBe(401);
    expect(create.error?.code).toBe('UNAUTHENTICATED');
  });
});

describe("a nurse's own recordings", () => {
  it('staff.nurseVitals lists what that nurse recorded and nothing of another nurse', async () => {
    const patientId = await newPatient();
    const theirs = await newVitals(patientId);
    const mine = await recordVitals(patientId, NORMAL, nurse2);
    expect(mine.status).toBe(200);
    const res = await nurse2.query('staff.nurseVitals', { staffId: env.nurse2.id, limit: 100 });
    expect(res.status).toBe(200);
    expect(ids(res)).toContain(mine.data.id);
    expect(ids(res)).not.toContain(theirs.id);
    expect(res.data.items.every((i: { nurseId: number }) => i.nurseId === env.nurse2.id)).toBe(true);
  });

  it("a nurse cannot list another nurse's recordings", async () => {
    const res = await nurse.query('staff.nurseVitals', { staffId: env.nurse2.id });
    expect(res.status).toBe(403);
  });

  it("an admin can list a nurse's recordings", async () => {
    const v = await newVitals();
    const res = await admin.query('staff.nurseVitals', { staffId: env.staff.nurse.id, limit: 100 });
    expect(res.status).toBe(200);
    expect(ids(res)).toContain(v.id);
  });
});

describe('vital-sign trends', () => {
  it('gives a patient’s readings oldest first, only from the chosen moment, and records a view event', async () => {
    const patientId = await newPatient();
    env.clock.advance(-3 * 24 * HOUR);
    expect((await recordVitals(patientId, { pulseRate: 80 })).status).toBe(200);
    env.clock.reset();
    expect((await recordVitals(patientId, { pulseRate: 90 })).status).toBe(200);
    expect((await recordVitals(patientId, { pulseRate: 130, temperature: 38.9 })).status).toBe(200);

    const all = await doctor.query('vitals.series', { patientId });
    expect(all.status).toBe(200);
    expect(all.data.items.map((p: { pulseRate: number }) => p.pulseRate)).toEqual([80, 90, 130]);
    expect(all.data.items[2].temperature).toBe(38.9);
    expect(all.data.truncated).toBe(false);

    const recent = await nurse.query('vitals.series', { patientId, from: new Date(Date.now() - 24 * HOUR).toISOString() });
    expect(recent.data.items.map((p: { pulseRate: number }) => p.pulseRate)).toEqual([90, 130]);

    const views = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patientId), eq(auditEvents.action, 'view'), eq(auditEvents.entityType, 'vital')));
    expect(views.length).toBe(2);
  });

  it('returns the latest 5,000 readings of a longer history and says it is truncated', async () => {
    const patientId = await newPatient();
    const nurseId = env.staff.nurse.id;
    const start = Date.now() - 6000 * 60_000;
    const rows = Array.from({ length: 5003 }, (_, i) => ({
      patientId, nurseId, pulseRate: 60 + (i % 40), createdAt: new Date(start + i * 60_000), updatedAt: new Date(start + i * 60_000), createdBy: nurseId,
    }));
    for (let i = 0; i < rows.length; i += 1000) await env.database.db.insert(vitals).values(rows.slice(i, i + 1000));
    const res = await doctor.query('vitals.series', { patientId });
    expect(res.status).toBe(200);
    expect(res.data.truncated).toBe(true);
    expect(res.data.items).toHaveLength(5000);
    expect(new Date(res.data.items[0].at).getTime()).toBe(start + 3 * 60_000);
    expect(new Date(res.data.items[4999].at).getTime()).toBe(start + 5002 * 60_000);
  });

  it('is refused to a pharmacist and to an unknown patient, and a bad period names the field', async () => {
    const patientId = await newPatient();
    expect((await pharmacist.query('vitals.series', { patientId })).status).toBe(403);
    expect((await doctor.query('vitals.series', { patientId: 99_999_999 })).status).toBe(404);
    const bad = await doctor.query('vitals.series', { patientId, from: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.error?.fields?.map((f) => f.path)).toContain('from');
  });
});

describe('vital signs on a consultation (issue 11, finding 9; decision 016)', () => {
  it('any nurse attaches vital signs to an open consultation; a locked one (older than 24 hours) refuses with 409 LOCKED', async () => {
    const patientId = await newPatient();
    const consultationId = await newConsultation(patientId);
    expect((await recordVitals(patientId, { ...NORMAL, consultationId }, nurse2)).status).toBe(200);
    env.clock.advance(24 * HOUR + MINUTE);
    const late = await recordVitals(patientId, { ...NORMAL, consultationId });
    expect(late.status).toBe(409);
    expect(late.error?.code).toBe('LOCKED');
    expect((await recordVitals(patientId, NORMAL)).status).toBe(200);
  });
});
