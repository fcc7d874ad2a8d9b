/** What is particular to vital signs; the rules every clinical record shares are in clinical-records.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditEvents, vitals } from '../src/db/schema';
import { HOUR, type CallResult, type TestEnv, type TrpcClient } from './helpers';
import {
  clinicalWorld,
  fieldPaths,
  newConsultation as consultationOf,
  newPatient as registerPatient,
  storedRow as storedRecord,
} from './clinical-kinds';

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

const w = clinicalWorld();
let env: TestEnv;
let nurse: TrpcClient, nurse2: TrpcClient, doctor: TrpcClient, pharmacist: TrpcClient, admin: TrpcClient;
beforeAll(() => {
  ({
    env,
    trpc: { nurse, nurse2, doctor, pharmacist, admin },
  } = w);
});

const newPatient = () => registerPatient(w);
const newConsultation = (patientId: number) => consultationOf(w, patientId);

function recordVitals(patientId: number, values: Record<string, unknown> = NORMAL, as = nurse) {
  return as.mutate('vitals.create', { patientId, ...values });
}

async function newVitals(patientId?: number, values: Record<string, unknown> = NORMAL) {
  const res = await recordVitals(patientId ?? (await newPatient()), values);
  expect(res.status).toBe(200);
  return res.data;
}

/** Decodes like a real cursor but carries text where the id belongs. */
const forgedCursor = Buffer.from(JSON.stringify(['1 or 1=1'])).toString('base64url');
const ids = (res: CallResult<{ items: { id: number }[] }>) => res.data.items.map((i) => i.id);

const storedRow = (id: number) => storedRecord(w, 'vitals', id);

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
  it('a nurse records vital signs outside a consultation and gets back every measurement, with the nurse and their name', async () => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ patientId, consultationId: null, nurseId: env.staff.nurse.id, nurseName: 'nurse Tester', ...NORMAL });
  });

  it('accepts a single measurement and leaves the others empty', async () => {
    const v = await newVitals(undefined, { spo2: 97 });
    expect(v).toMatchObject({ spo2: 97, pulseRate: null, temperature: null, systolicBp: null, weightKg: null });
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
    ['pulseRate', 72.5],
    ['pulseRate', 'seventy'],
  ] as const)('%s of %s is refused with a 400 naming the field', async (field, value) => {
    const patientId = await newPatient();
    const res = await recordVitals(patientId, { [field]: value });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain(field);
    expect(await storedCountFor(patientId)).toBe(0);
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
  it('can be linked to a consultation of the same patient', async () => {
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
  it('staff.nurseVitals also refuses a cursor that holds no id with a 400', async () => {
    const res = await nurse.query('staff.nurseVitals', { staffId: env.staff.nurse.id, cursor: forgedCursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });
});

describe('updating vital signs', () => {
  it('the flags follow the new values and the measurements not sent are kept', async () => {
    const v = await newVitals();
    const res = await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, pulseRate: 130 });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ pulseRate: 130, temperature: NORMAL.temperature, flags: { pulseRate: 'high' }, abnormal: true });
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
});

describe('refused changes leave no audit trail', () => {
  it('a 400 on the stored combination writes no audit event', async () => {
    const v = await newVitals(undefined, { systolicBp: 120, diastolicBp: 80 });
    await nurse.mutate('vitals.update', { patientId: v.patientId, id: v.id, version: 1, systolicBp: 70 });
    expect((await auditOf(v.id)).map((e) => e.action)).toEqual(['create']);
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
      patientId,
      nurseId,
      pulseRate: 60 + (i % 40),
      createdAt: new Date(start + i * 60_000),
      updatedAt: new Date(start + i * 60_000),
      createdBy: nurseId,
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
