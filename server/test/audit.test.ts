import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
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
    username, email: `${username}@test.example`, password: PASSWORD, role: 'recordofficer',
    firstName: 'Femi', lastName: 'Clerk', gender: 'Male',
  });
  if (res.status !== 200) throw new Error(`staff.create failed: ${res.status} ${JSON.stringify(res.error)}`);
  return { member: res.data, client: await loggedIn(env, username) };
}

async function auditOf(input: Record<string, unknown>): Promise<AuditEvent[]> {
  const res = await admin.query<Page<AuditEvent>>('audit.list', { limit: 100, ...input });
  expect(res.status).toBe(200);
  return res.data.items;
}

async function countEvents(where: Parameters<typeof and>) {
  const [row] = await env.database.db.select({ n: count() }).from(auditEvents).where(and(...where));
  return Number(row!.n);
}

describe('listing audit events by patient', () => {
  let patient: Patient;
  let events: AuditEvent[];

  beforeAll(async () => {
    patient = await register(records, { address: 'Old address' });
    expect((await doctor.query('patients.get', { id: patient.id })).status).toBe(200);
    const update = await records.mutate('patients.update', {
      id: patient.id, version: 1, address: 'New address', firstName: patient.firstName, gender: patient.gender,
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
    const res = await records.mutate<Patient>('patients.create', patientInput({ actorId: env.staff.admin.id, createdBy: env.staff.doctor.id }));
    expect(res.status).toBe(200);
    const [event] = await auditOf({ patientId: res.data.id });
    expect(event).toMatchObject({ action: 'create', actorId: env.staff.recordofficer.id });
  });

  it('on update, even when the body claims another actorId and updatedBy', async () => {
    const patient = await register(records);
    const res = await records.mutate('patients.update', {
      id: patient.id, version: 1, address: 'Claimed', actorId: env.staff.doctor.id, updatedBy: env.staff.doctor.id,
    });
    expect(res.status).toBe(200);
    const [event] = await auditOf({ patientId: patient.id });
    expect(event).toMatchObject({ action: 'update', actorId: env.staff.recordofficer.id });
    expect(event?.after).toEqual({ address: 'Claimed' });
  });

  it('on a staff change by the admin, even when the body claims createdBy', async () => {
    const username = uniqueName('claim');
    const res = await admin.mutate<Staff>('staff.create', {
      username, email: `${username}@test.example`, password: PASSWORD, role: 'nurse', firstName: 'Ife', lastName: 'Claim',
      gender: 'Female', createdBy: env.staff.doctor.id, actorId: env.staff.doctor.id,
    });
    expect(res.status).toBe(200);
    const rows = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'staff'), eq(auditEvents.entityId, res.data.id), eq(auditEvents.action, 'create')));
    expect(rows.map((r) => r.actorId)).toEqual([env.staff.admin.id]);
  });
});
