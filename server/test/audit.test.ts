import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, desc, eq } from 'drizzle-orm';
import type { AuditEvent, Page, Patient, Staff } from '@hmis/shared';
import { auditEvents } from '../src/db/schema';
import { createTestEnv, loggedIn, PASSWORD, patientInput, TrpcClient, uniqueName, type TestEnv } from './helpers';

let env: TestEnv;
let admin: TrpcClient;
let records: TrpcClient;
let doctor: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [admin, records, doctor] = await Promise.all([loggedIn(env, 'admin'), loggedIn(env, 'records'), loggedIn(env, 'doctor')]);
});
afterAll(async () => env?.close());

const fieldPaths = (res: { error?: { fields?: { path: string }[] } }) => res.error?.fields?.map((f) => f.path) ?? [];

async function register(client: TrpcClient, overrides: Record<string, unknown> = {}): Promise<Patient> {
  const res = await client.mutate<Patient>('patients.create', patientInput(overrides));
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.error)}`);
  return res.data;
}

/** A record officer of their own, so the events by that actor are only the ones a test makes. */
async function freshRecordOfficer(): Promise<{ member: Staff; client: TrpcClient }> {
  const username = uniqueName('rec');
  const res = await admin.mutate<Staff>('staff.create', {
    username,
    email: `${username}@test.example`,
    password: PASSWORD,
    role: 'recordofficer',
    firstName: 'Femi',
    lastName: 'Clerk',
    gender: 'Male',
  });
  if (res.status !== 200) throw new Error(`staff.create failed: ${res.status} ${JSON.stringify(res.error)}`);
  return { member: res.data, client: await loggedIn(env, username) };
}

/**
 * The audit trail as the admin reads it, with each event's stored before/after put back in: the API withholds the
 * values of patient and clinical records (checked in 'clinical privacy' below), the database keeps them.
 */
async function auditOf(input: Record<string, unknown>): Promise<AuditEvent[]> {
  const res = await admin.query<Page<AuditEvent>>('audit.list', { limit: 100, ...input });
  expect(res.status).toBe(200);
  return Promise.all(
    res.data.items.map(async (e) => {
      const [stored] = await env.database.db.select().from(auditEvents).where(eq(auditEvents.id, e.id));
      return { ...e, before: stored!.before ?? null, after: stored!.after ?? null };
    }),
  );
}

async function countEvents(where: Parameters<typeof and>) {
  const [row] = await env.database.db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(...where));
  return Number(row!.n);
}

describe('listing audit events by patient', () => {
  let patient: Patient;
  let events: AuditEvent[];

  beforeAll(async () => {
    patient = await register(records, { address: 'Old address' });
    expect((await doctor.query('patients.get', { id: patient.id })).status).toBe(200);
    const update = await records.mutate('patients.update', {
      id: patient.id,
      version: 1,
      address: 'New address',
      firstName: patient.firstName,
      gender: patient.gender,
    });
    expect(update.status).toBe(200);
    events = await auditOf({ patientId: patient.id });
  });

  it('shows the create, view and update of the patient, newest first', () => {
    expect(events.map((e) => e.action)).toEqual(['update', 'view', 'create']);
    expect(events.every((e) => e.patientId === patient.id && e.entityType === 'patient' && e.entityId === patient.id)).toBe(true);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('names who did each: the record officer created and updated, the doctor viewed', () => {
    expect(events.map((e) => e.actorId)).toEqual([env.staff.recordofficer.id, env.staff.doctor.id, env.staff.recordofficer.id]);
  });

  it('records only the changed field before and after an update', () => {
    const update = events.find((e) => e.action === 'update');
    expect(update?.before).toEqual({ address: 'Old address' });
    expect(update?.after).toEqual({ address: 'New address' });
  });

  it('records the new patient in full on create', () => {
    const create = events.find((e) => e.action === 'create');
    expect(create?.before).toBeNull();
    expect(create?.after).toMatchObject({ id: patient.id, mrn: patient.mrn, lastName: patient.lastName, address: 'Old address' });
  });

  it('gives ISO timestamps', () => {
    for (const e of events) expect(new Date(e.at).toISOString()).toBe(e.at);
  });

  it('records the patient as it was on delete', async () => {
    const doomed = await register(records);
    expect((await records.mutate('patients.delete', { id: doomed.id })).status).toBe(200);
    const [latest] = await auditOf({ patientId: doomed.id });
    expect(latest).toMatchObject({ action: 'delete', actorId: env.staff.recordofficer.id, after: null });
    expect(latest?.before).toMatchObject({ id: doomed.id, lastName: doomed.lastName });
  });

  it('pages through the events with nextCursor', async () => {
    const first = await admin.query<Page<AuditEvent>>('audit.list', { patientId: patient.id, limit: 2 });
    expect(first.data.items.map((e) => e.action)).toEqual(['update', 'view']);
    const second = await admin.query<Page<AuditEvent>>('audit.list', { patientId: patient.id, limit: 2, cursor: first.data.nextCursor });
    expect(second.data.items.map((e) => e.action)).toEqual(['create']);
    expect(second.data.nextCursor).toBeNull();
  });
});

describe('listing audit events by staff member', () => {
  it('shows the actor’s own events and no one else’s, newest first', async () => {
    const { member, client } = await freshRecordOfficer();
    const patient = await register(client);
    await register(records);
    const events = await auditOf({ staffId: member.id });
    expect(events.map((e) => [e.action, e.entityType])).toEqual([
      ['create', 'patient'],
      ['login', 'session'],
    ]);
    expect(events[0]!.entityId).toBe(patient.id);
    expect(events.every((e) => e.actorId === member.id)).toBe(true);
  });

  it('includes the admin’s staff changes', async () => {
    const { member } = await freshRecordOfficer();
    const events = await auditOf({ staffId: env.staff.admin.id });
    const created = events.find((e) => e.action === 'create' && e.entityType === 'staff' && e.entityId === member.id);
    expect(created).toBeDefined();
    expect(JSON.stringify(created)).not.toMatch(/password|hash|argon/i);
  });
});

describe('who may read the audit trail', () => {
  it('a doctor gets 403', async () => {
    const res = await doctor.query('audit.list', { staffId: env.staff.doctor.id });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
  });

  it('a record officer gets 403, even for their own events', async () => {
    const res = await records.query('audit.list', { staffId: env.staff.recordofficer.id });
    expect(res.status).toBe(403);
  });

  it('an anonymous caller gets 401', async () => {
    expect((await new TrpcClient(env.app).query('audit.list', { staffId: 1 })).status).toBe(401);
  });

  it('giving both patientId and staffId is a 400', async () => {
    const res = await admin.query('audit.list', { patientId: 1, staffId: env.staff.admin.id });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('patientId');
  });

  it('giving neither patientId nor staffId is a 400', async () => {
    const res = await admin.query('audit.list', {});
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('patientId');
  });

  it('a cursor it did not make is a 400 naming cursor', async () => {
    const res = await admin.query('audit.list', { staffId: env.staff.admin.id, cursor: 'bogus' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['cursor']);
  });
});

describe('a refused change leaves no audit event', () => {
  it('an update with a stale version writes no update event', async () => {
    const patient = await register(records);
    expect((await records.mutate('patients.update', { id: patient.id, version: 1, address: 'One' })).status).toBe(200);
    const updates = () => countEvents([eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'update')]);
    expect(await updates()).toBe(1);
    const res = await records.mutate('patients.update', { id: patient.id, version: 1, address: 'Two' });
    expect(res.status).toBe(409);
    expect(await updates()).toBe(1);
  });

  it('a registration refused with 400 writes no create event', async () => {
    const { member, client } = await freshRecordOfficer();
    const res = await client.mutate('patients.create', patientInput({ dob: 'yesterday' }));
    expect(res.status).toBe(400);
    expect(await countEvents([eq(auditEvents.actorId, member.id), eq(auditEvents.action, 'create')])).toBe(0);
    expect((await client.mutate('patients.create', patientInput())).status).toBe(200);
    expect(await countEvents([eq(auditEvents.actorId, member.id), eq(auditEvents.action, 'create')])).toBe(1);
  });

  it('a registration refused as a duplicate MRN (409) writes no create event', async () => {
    const mrn = `DUP-${Date.now()}${uniqueName('')}`;
    await register(records, { mrn });
    const { member, client } = await freshRecordOfficer();
    const res = await client.mutate('patients.create', patientInput({ mrn }));
    expect(res.status).toBe(409);
    expect(await countEvents([eq(auditEvents.actorId, member.id), eq(auditEvents.action, 'create')])).toBe(0);
  });

  it('a delete refused because of a consultation (409) writes no delete event', async () => {
    const patient = await register(records);
    expect((await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Typhoid' })).status).toBe(200);
    expect((await records.mutate('patients.delete', { id: patient.id })).status).toBe(409);
    expect(await countEvents([eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'delete')])).toBe(0);
  });

  it('a forbidden attempt (403) writes nothing about the patient', async () => {
    const patient = await register(records);
    const before = await countEvents([eq(auditEvents.patientId, patient.id)]);
    expect((await doctor.mutate('patients.update', { id: patient.id, version: 1, address: 'Hijack' })).status).toBe(403);
    expect((await doctor.mutate('patients.delete', { id: patient.id })).status).toBe(403);
    expect(await countEvents([eq(auditEvents.patientId, patient.id)])).toBe(before);
  });
});

describe('the audit actor is the session’s staff member', () => {
  it('on create, even when the body claims another actorId and createdBy', async () => {
    const res = await records.mutate<Patient>(
      'patients.create',
      patientInput({ actorId: env.staff.admin.id, createdBy: env.staff.doctor.id }),
    );
    expect(res.status).toBe(200);
    const [event] = await auditOf({ patientId: res.data.id });
    expect(event).toMatchObject({ action: 'create', actorId: env.staff.recordofficer.id });
  });

  it('on update, even when the body claims another actorId and updatedBy', async () => {
    const patient = await register(records);
    const res = await records.mutate('patients.update', {
      id: patient.id,
      version: 1,
      address: 'Claimed',
      actorId: env.staff.doctor.id,
      updatedBy: env.staff.doctor.id,
    });
    expect(res.status).toBe(200);
    const [event] = await auditOf({ patientId: patient.id });
    expect(event).toMatchObject({ action: 'update', actorId: env.staff.recordofficer.id });
    expect(event?.after).toEqual({ address: 'Claimed' });
  });

  it('on a staff change by the admin, even when the body claims createdBy', async () => {
    const username = uniqueName('claim');
    const res = await admin.mutate<Staff>('staff.create', {
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      role: 'nurse',
      firstName: 'Ife',
      lastName: 'Claim',
      gender: 'Female',
      createdBy: env.staff.doctor.id,
      actorId: env.staff.doctor.id,
    });
    expect(res.status).toBe(200);
    const rows = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'staff'), eq(auditEvents.entityId, res.data.id), eq(auditEvents.action, 'create')));
    expect(rows.map((r) => r.actorId)).toEqual([env.staff.admin.id]);
  });
});

describe('who did it: the actor’s name', () => {
  it('each event carries the actor’s display name', async () => {
    const patient = await register(records);
    expect((await doctor.query('patients.get', { id: patient.id })).status).toBe(200);
    const events = await auditOf({ patientId: patient.id });
    expect(events.map((e) => [e.action, e.actorName])).toEqual([
      ['view', env.staff.doctor.name],
      ['create', env.staff.recordofficer.name],
    ]);
  });
});

describe('filtering audit events', () => {
  /** Events written straight into the table at chosen times, about a patient id of their own. */
  async function eventsAt(times: Date[], action: 'view' | 'update' = 'view') {
    const patientId = 900_000_000 + Math.floor(Math.random() * 90_000_000);
    await env.database.db.insert(auditEvents).values(
      times.map((at) => ({
        at,
        actorId: env.staff.doctor.id,
        action,
        entityType: 'patient' as const,
        entityId: patientId,
        patientId,
      })),
    );
    return patientId;
  }
  const day = (d: number, h = 0, m = 0, s = 0, ms = 0) => new Date(2025, 2, d, h, m, s, ms); // local time, March 2025

  it('by action: only that action, newest first', async () => {
    const patient = await register(records, { address: 'Before' });
    await doctor.query('patients.get', { id: patient.id });
    await records.mutate('patients.update', { id: patient.id, version: 1, address: 'After' });
    await doctor.query('patients.get', { id: patient.id });
    const views = await auditOf({ patientId: patient.id, action: 'view' });
    expect(views.map((e) => e.action)).toEqual(['view', 'view']);
    expect(views[0]!.id).toBeGreaterThan(views[1]!.id);
    expect((await auditOf({ patientId: patient.id, action: 'update' })).map((e) => e.after)).toEqual([{ address: 'After' }]);
    expect(await auditOf({ patientId: patient.id, action: 'dispense' })).toEqual([]);
  });

  it('by action for a staff member', async () => {
    const { member, client } = await freshRecordOfficer();
    await register(client);
    expect((await auditOf({ staffId: member.id, action: 'login' })).map((e) => e.action)).toEqual(['login']);
    expect((await auditOf({ staffId: member.id, action: 'create' })).map((e) => e.entityType)).toEqual(['patient']);
  });

  it('from and to as days: whole days in the server’s time zone, both inclusive', async () => {
    const times = [day(9, 23, 59, 59, 999), day(10), day(10, 12), day(10, 23, 59, 59, 999), day(11), day(12, 8)];
    const patientId = await eventsAt(times);
    const at = async (input: Record<string, unknown>) => (await auditOf({ patientId, ...input })).map((e) => e.at);
    const iso = (...ds: Date[]) => ds.map((d) => d.toISOString());
    expect(await at({ from: '2025-03-10', to: '2025-03-10' })).toEqual(iso(day(10, 23, 59, 59, 999), day(10, 12), day(10)));
    expect(await at({ from: '2025-03-11' })).toEqual(iso(day(12, 8), day(11)));
    expect(await at({ to: '2025-03-09' })).toEqual(iso(day(9, 23, 59, 59, 999)));
    expect(await at({ from: '2025-03-10', to: '2025-03-11' })).toHaveLength(4);
  });

  it('from and to as instants with a zone: from inclusive, to inclusive', async () => {
    const patientId = await eventsAt([day(10, 8), day(10, 9), day(10, 10)]);
    const res = await auditOf({ patientId, from: day(10, 9).toISOString(), to: day(10, 10).toISOString() });
    expect(res.map((e) => e.at)).toEqual([day(10, 10).toISOString(), day(10, 9).toISOString()]);
    const offset = await auditOf({ patientId, to: day(10, 8, 0, 0, 1).toISOString().replace('Z', '+00:00') });
    expect(offset.map((e) => e.at)).toEqual([day(10, 8).toISOString()]);
  });

  it('combines action and window', async () => {
    const patientId = await eventsAt([day(10, 8), day(11, 8)]);
    await env.database.db.insert(auditEvents).values({
      at: day(10, 9),
      actorId: env.staff.recordofficer.id,
      action: 'update',
      entityType: 'patient',
      entityId: patientId,
      patientId,
    });
    const res = await auditOf({ patientId, action: 'update', from: '2025-03-10', to: '2025-03-10' });
    expect(res.map((e) => [e.action, e.actorId])).toEqual([['update', env.staff.recordofficer.id]]);
  });

  it('pages newest first through events of the same millisecond, each once', async () => {
    const same = day(15, 10);
    const patientId = await eventsAt([day(15, 9), same, same, same, day(15, 11)]);
    const ids: number[] = [];
    const ats: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await admin.query<Page<AuditEvent>>('audit.list', {
        patientId,
        from: '2025-03-15',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(res.status).toBe(200);
      ids.push(...res.data.items.map((e) => e.id));
      ats.push(...res.data.items.map((e) => e.at));
      if (!res.data.nextCursor) break;
      cursor = res.data.nextCursor;
    }
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(ats).toEqual([day(15, 11), same, same, same, day(15, 9)].map((d) => d.toISOString()));
    expect(ids.slice(1, 4)).toEqual([...ids.slice(1, 4)].sort((a, b) => b - a));
  });

  it('to before from is a 400 naming to', async () => {
    const res = await admin.query('audit.list', { staffId: env.staff.admin.id, from: '2025-03-11', to: '2025-03-10' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['to']);
  });

  it('a bound that is neither a date nor a date-time with a zone is a 400 naming it', async () => {
    for (const [field, value] of [
      ['from', '2025-02-30'],
      ['from', 'yesterday'],
      ['to', '2025-03-10T08:00:00'],
      ['to', '10/03/2025'],
    ]) {
      const res = await admin.query('audit.list', { staffId: env.staff.admin.id, [field!]: value });
      expect(res.status, `${field}=${value}`).toBe(400);
      expect(fieldPaths(res)).toEqual([field]);
    }
  });

  it('an action outside the list is a 400 naming action', async () => {
    const res = await admin.query('audit.list', { staffId: env.staff.admin.id, action: 'read' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['action']);
  });

  it('filters do not widen what may be read: still one patient or one staff member, admin only', async () => {
    expect((await admin.query('audit.list', { action: 'view' })).status).toBe(400);
    expect((await doctor.query('audit.list', { staffId: env.staff.doctor.id, action: 'view' })).status).toBe(403);
  });
});

describe('clinical privacy in the audit trail (issue 11, finding 8; decision 016)', () => {
  it('shows the admin who changed which fields of a patient or consultation and when, never the values', async () => {
    const patient = await register(records, { address: 'Secret address 1' });
    await records.mutate('patients.update', { id: patient.id, version: 1, address: 'Secret address 2' });
    const doctorClient = await loggedIn(env, 'doctor');
    await doctorClient.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Secret diagnosis' });
    const res = await admin.query<Page<AuditEvent>>('audit.list', { patientId: patient.id, limit: 100 });
    const text = JSON.stringify(res.data);
    for (const secret of ['Secret address', 'Secret diagnosis', patient.lastName]) expect(text).not.toContain(secret);
    const update = res.data.items.find((e) => e.entityType === 'patient' && e.action === 'update')!;
    expect(update).toMatchObject({ before: null, after: null, changedFields: ['address'], actorId: env.staff.recordofficer.id });
    const consultation = res.data.items.find((e) => e.entityType === 'consultation')!;
    expect(consultation.changedFields).toContain('provisionalDiagnosis');
    // A staff change is not clinical: its values are shown.
    const staffEvents = await admin.query<Page<AuditEvent>>('audit.list', { staffId: env.staff.admin.id, action: 'create', limit: 5 });
    expect(staffEvents.data.items.find((e) => e.entityType === 'staff')).toMatchObject({ changedFields: null, after: expect.any(Object) });
  });
});

describe('reads of clinical records are audited (issue 11, finding 4)', () => {
  it('leaves one view event per request for every read of consultations, vital signs, nurse notes and prescriptions', async () => {
    const patient = await register(records);
    const doctorClient = await loggedIn(env, 'doctor');
    const nurseClient = await loggedIn(env, 'nurse');
    const pharmacistClient = await loggedIn(env, 'pharmacist');
    const consultation = (await doctorClient.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Malaria' }))
      .data;
    const vital = (await nurseClient.mutate('vitals.create', { patientId: patient.id, pulseRate: 80 })).data;
    const note = (await nurseClient.mutate('nurseNotes.create', { patientId: patient.id, note: 'Comfortable' })).data;
    const views = async () => countEvents([eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'view')]);
    const reads: [TrpcClient, string, Record<string, unknown>, string][] = [
      [doctorClient, 'consultations.get', { patientId: patient.id, id: consultation.id }, 'consultation'],
      [doctorClient, 'consultations.list', { patientId: patient.id }, 'consultation'],
      [nurseClient, 'vitals.get', { patientId: patient.id, id: vital.id }, 'vital'],
      [nurseClient, 'vitals.list', { patientId: patient.id }, 'vital'],
      [doctorClient, 'nurseNotes.get', { patientId: patient.id, id: note.id }, 'nurse_note'],
      [doctorClient, 'nurseNotes.list', { patientId: patient.id }, 'nurse_note'],
    ];
    for (const [client, procedure, input, entity] of reads) {
      const before = await views();
      expect((await client.query(procedure, input)).status, procedure).toBe(200);
      expect(await views(), procedure).toBe(before + 1);
      const [last] = await env.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'view')))
        .orderBy(desc(auditEvents.id))
        .limit(1);
      expect(last, procedure).toMatchObject({
        entityType: entity,
        actorId: client === doctorClient ? env.staff.doctor.id : env.staff.nurse.id,
      });
    }
    // The pharmacy queue shows many patients: one event for the request, by the pharmacist.
    const queueViews = () =>
      countEvents([
        eq(auditEvents.actorId, env.staff.pharmacist.id),
        eq(auditEvents.action, 'view'),
        eq(auditEvents.entityType, 'prescription'),
      ]);
    const before = await queueViews();
    expect((await pharmacistClient.query('prescriptions.queue', {})).status).toBe(200);
    expect(await queueViews()).toBe(before + 1);
  });
});
