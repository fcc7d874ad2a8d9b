import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { EDIT_WINDOW_MS } from '@hmis/shared';
import { auditEvents, nurseNotes } from '../src/db/schema';
import { createTestEnv, HOUR, loggedIn, patientInput, TrpcClient, type CallResult, type TestEnv } from './helpers';

const MINUTE = 60 * 1000;

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

function createNote(patientId: number, overrides: Record<string, unknown> = {}, as = nurse) {
  return as.mutate('nurseNotes.create', { patientId, note: 'Patient comfortable, took oral fluids well.', ...overrides });
}

async function newNote(patientId?: number, overrides: Record<string, unknown> = {}) {
  const res = await createNote(patientId ?? (await newPatient()), overrides);
  expect(res.status).toBe(200);
  return res.data;
}

const fieldPaths = (res: CallResult) => res.error?.fields?.map((f) => f.path) ?? [];
/** Decodes like a real cursor but carries text where the id belongs. */
const forgedCursor = Buffer.from(JSON.stringify(['1 or 1=1'])).toString('base64url');

async function storedRow(id: number) {
  const [row] = await env.database.db.select().from(nurseNotes).where(eq(nurseNotes.id, id));
  return row;
}

function auditOf(id: number) {
  return env.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'nurse_note'), eq(auditEvents.entityId, id)))
    .orderBy(asc(auditEvents.id));
}

describe('writing a nurse note', () => {
  it('a nurse writes a note and gets it back with its author, version 1 and a 24-hour edit window', async () => {
    const patientId = await newPatient();
    const before = env.clock.now().getTime();
    const res = await createNote(patientId, { note: 'Wound dressed; no discharge.' });
    expect(res.status).toBe(200);
    const n = res.data;
    expect(n).toMatchObject({
      patientId,
      nurseId: env.staff.nurse.id,
      nurseName: 'nurse Tester',
      note: 'Wound dressed; no discharge.',
      version: 1,
      createdBy: env.staff.nurse.id,
      updatedBy: env.staff.nurse.id,
    });
    expect(n.id).toEqual(expect.any(Number));
    const createdAt = Date.parse(n.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(env.clock.now().getTime() + 1000);
    expect(Date.parse(n.editableUntil) - createdAt).toBe(EDIT_WINDOW_MS);
  });

  it('takes the author from the session even when the body names another nurse', async () => {
    const patientId = await newPatient();
    const other = env.nurse2.id;
    const res = await createNote(patientId, { nurseId: other, createdBy: other, updatedBy: other, nurseName: 'Someone Else' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ nurseId: env.staff.nurse.id, nurseName: 'nurse Tester', createdBy: env.staff.nurse.id });
    expect(await storedRow(res.data.id)).toMatchObject({ nurseId: env.staff.nurse.id, createdBy: env.staff.nurse.id, updatedBy: env.staff.nurse.id });
  });

  it('refuses an empty note with a 400 naming note', async () => {
    const patientId = await newPatient();
    const res = await createNote(patientId, { note: '' });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('note');
    expect((await nurse.query('nurseNotes.list', { patientId })).data.items).toHaveLength(0);
  });

  it('refuses a note of only whitespace', async () => {
    const patientId = await newPatient();
    const res = await createNote(patientId, { note: ' \n\t ' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('note');
  });

  it('refuses a missing note with a 400 naming note', async () => {
    const patientId = await newPatient();
    const res = await nurse.mutate('nurseNotes.create', { patientId });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('note');
  });

  it('answers 404 for an unknown patient and stores nothing', async () => {
    const res = await createNote(99_999_999);
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
    const rows = await env.database.db.select().from(nurseNotes).where(eq(nurseNotes.patientId, 99_999_999));
    expect(rows).toHaveLength(0);
  });

  it('writes exactly one audit event for the creation, by the nurse, about the patient', async () => {
    const n = await newNote();
    const events = await auditOf(n.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'create', entityType: 'nurse_note', entityId: n.id, patientId: n.patientId, actorId: env.staff.nurse.id });
  });
});

describe('reading nurse notes', () => {
  it('a nurse gets a note by patient and id', async () => {
    const n = await newNote();
    const res = await nurse.query('nurseNotes.get', { patientId: n.patientId, id: n.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual(n);
  });

  it('a doctor can read nurse notes', async () => {
    const n = await newNote();
    expect((await doctor.query('nurseNotes.get', { patientId: n.patientId, id: n.id })).status).toBe(200);
    const list = await doctor.query('nurseNotes.list', { patientId: n.patientId });
    expect(list.status).toBe(200);
    expect(list.data.items.map((i: { id: number }) => i.id)).toEqual([n.id]);
  });

  it("answers 404 for a note requested under another patient's id", async () => {
    const n = await newNote();
    const otherPatient = await newPatient();
    const res = await nurse.query('nurseNotes.get', { patientId: otherPatient, id: n.id });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });

  it("lists only the patient's notes, newest first, a page at a time", async () => {
    const patientId = await newPatient();
    const a = await newNote(patientId, { note: 'first' });
    const b = await newNote(patientId, { note: 'second' });
    const c = await newNote(patientId, { note: 'third' });
    await newNote(); // another patient's

    const first = await nurse.query('nurseNotes.list', { patientId, limit: 2 });
    expect(first.status).toBe(200);
    expect(first.data.items.map((i: { id: number }) => i.id)).toEqual([c.id, b.id]);
    expect(first.data.nextCursor).toEqual(expect.any(String));

    const second = await nurse.query('nurseNotes.list', { patientId, limit: 2, cursor: first.data.nextCursor });
    expect(second.status).toBe(200);
    expect(second.data.items.map((i: { id: number }) => i.id)).toEqual([a.id]);
    expect(second.data.nextCursor).toBeNull();
  });

  it('refuses a well-formed cursor that holds no id with a 400 naming cursor, not a 500', async () => {
    const n = await newNote();
    const res = await nurse.query('nurseNotes.list', { patientId: n.patientId, cursor: forgedCursor });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });
});

describe('updating a nurse note', () => {
  it('the author can update within 24 hours and the version increments', async () => {
    const n = await newNote();
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'Corrected: took 500 ml oral fluids.' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: n.id, version: 2, note: 'Corrected: took 500 ml oral fluids.', updatedBy: env.staff.nurse.id });
    expect(await storedRow(n.id)).toMatchObject({ version: 2, note: 'Corrected: took 500 ml oral fluids.' });
  });

  it('refuses a stale version with 409 STALE_VERSION and changes nothing', async () => {
    const n = await newNote();
    expect((await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'second version' })).status).toBe(200);
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'stale edit' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(await storedRow(n.id)).toMatchObject({ version: 2, note: 'second version' });
  });

  it('of two simultaneous updates from the same version exactly one wins and the other is STALE_VERSION', async () => {
    const n = await newNote();
    const results = await Promise.all(
      ['edit A', 'edit B'].map((note) => nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.error?.code).toBe('STALE_VERSION');
    const winner = results.find((r) => r.status === 200)!.data;
    expect(await storedRow(n.id)).toMatchObject({ version: 2, note: winner.note });
  });

  it('another nurse cannot update the note (403) and it is unchanged', async () => {
    const n = await newNote();
    const res = await nurse2.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'Not mine to change' });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedRow(n.id)).toMatchObject({ version: 1, note: n.note });
  });

  it("answers 404 for an update under another patient's id and changes nothing", async () => {
    const n = await newNote();
    const otherPatient = await newPatient();
    const res = await nurse.mutate('nurseNotes.update', { patientId: otherPatient, id: n.id, version: 1, note: 'Wrong patient' });
    expect(res.status).toBe(404);
    expect(await storedRow(n.id)).toMatchObject({ version: 1, note: n.note, patientId: n.patientId });
  });

  it('refuses emptying the note and changes nothing', async () => {
    const n = await newNote();
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: '' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('note');
    expect(await storedRow(n.id)).toMatchObject({ version: 1, note: n.note });
  });

  it('writes exactly one audit event for an update with the old and new text', async () => {
    const n = await newNote();
    await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'Amended note' });
    const events = (await auditOf(n.id)).filter((e) => e.action === 'update');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'nurse_note', entityId: n.id, patientId: n.patientId, actorId: env.staff.nurse.id,
      before: { note: n.note }, after: { note: 'Amended note' },
    });
  });
});

describe('deleting a nurse note', () => {
  it('the author can delete within 24 hours, after which it is not found', async () => {
    const n = await newNote();
    const res = await nurse.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: n.id, deleted: true });
    expect((await nurse.query('nurseNotes.get', { patientId: n.patientId, id: n.id })).status).toBe(404);
  });

  it('writes exactly one audit event for a deletion', async () => {
    const n = await newNote();
    await nurse.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id });
    const events = (await auditOf(n.id)).filter((e) => e.action === 'delete');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entityType: 'nurse_note', entityId: n.id, patientId: n.patientId, actorId: env.staff.nurse.id });
  });

  it('another nurse cannot delete the note (403) and it is still there', async () => {
    const n = await newNote();
    const res = await nurse2.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await storedRow(n.id)).toBeDefined();
  });

  it("answers 404 for a delete under another patient's id and keeps the note", async () => {
    const n = await newNote();
    const otherPatient = await newPatient();
    const res = await nurse.mutate('nurseNotes.delete', { patientId: otherPatient, id: n.id });
    expect(res.status).toBe(404);
    expect(await storedRow(n.id)).toBeDefined();
  });
});

describe('the 24-hour lock', () => {
  it('the author can still update at 23 hours 59 minutes', async () => {
    const n = await newNote();
    env.clock.advance(24 * HOUR - MINUTE);
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'Late but in time' });
    expect(res.status).toBe(200);
    expect(res.data.version).toBe(2);
  });

  it('the author can still delete at 23 hours 59 minutes', async () => {
    const n = await newNote();
    env.clock.advance(24 * HOUR - MINUTE);
    expect((await nurse.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id })).status).toBe(200);
    expect(await storedRow(n.id)).toBeUndefined();
  });

  it("refuses the author's update after 24 hours with 409 LOCKED and changes nothing", async () => {
    const n = await newNote();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'Too late' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect(await storedRow(n.id)).toMatchObject({ version: 1, note: n.note });
  });

  it("refuses the author's delete after 24 hours with 409 LOCKED and keeps the note", async () => {
    const n = await newNote();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await nurse.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await nurse.query('nurseNotes.get', { patientId: n.patientId, id: n.id })).status).toBe(200);
  });

  it('counts the 24 hours from creation, not from the last update', async () => {
    const n = await newNote();
    env.clock.advance(23 * HOUR);
    expect((await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'Updated at 23h' })).status).toBe(200);
    env.clock.advance(HOUR + MINUTE);
    const res = await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 2, note: 'After 24h' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
  });
});

describe('refused changes leave no audit trail', () => {
  it('a 403 update or delete by another nurse writes no audit event', async () => {
    const n = await newNote();
    await nurse2.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'x' });
    await nurse2.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id });
    expect((await auditOf(n.id)).map((e) => e.action)).toEqual(['create']);
  });

  it('a 409 stale or locked change writes no audit event', async () => {
    const n = await newNote();
    await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 7, note: 'stale' });
    env.clock.advance(24 * HOUR + MINUTE);
    await nurse.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'locked' });
    await nurse.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id });
    expect((await auditOf(n.id)).map((e) => e.action)).toEqual(['create']);
  });
});

describe('who may read and write nurse notes', () => {
  it.each(['doctor', 'pharmacist', 'records', 'admin'] as const)('a %s cannot write a nurse note', async (who) => {
    const client = { doctor, pharmacist, records, admin }[who];
    const patientId = await newPatient();
    const res = await createNote(patientId, {}, client);
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect((await nurse.query('nurseNotes.list', { patientId })).data.items).toHaveLength(0);
  });

  it("a doctor cannot update or delete a nurse's note", async () => {
    const n = await newNote();
    expect((await doctor.mutate('nurseNotes.update', { patientId: n.patientId, id: n.id, version: 1, note: 'x' })).status).toBe(403);
    expect((await doctor.mutate('nurseNotes.delete', { patientId: n.patientId, id: n.id })).status).toBe(403);
    expect(await storedRow(n.id)).toMatchObject({ version: 1, note: n.note });
  });

  it.each(['pharmacist', 'records', 'admin'] as const)('a %s cannot read nurse notes', async (who) => {
    const client = { pharmacist, records, admin }[who];
    const n = await newNote();
    const get = await client.query('nurseNotes.get', { patientId: n.patientId, id: n.id });
    const list = await client.query('nurseNotes.list', { patientId: n.patientId });
    expect(get.status).toBe(403);
    expect(get.error?.code).toBe('FORBIDDEN');
    expect(list.status).toBe(403);
  });

  it('an anonymous caller gets 401 for reading and writing', async () => {
    const n = await newNote();
    const anonymous = new TrpcClient(env.app);
    expect((await anonymous.query('nurseNotes.get', { patientId: n.patientId, id: n.id })).status).toBe(401);
    expect((await anonymous.query('nurseNotes.list', { patientId: n.patientId })).status).toBe(401);
    const create = await createNote(n.patientId, {}, anonymous);
    expect(create.status).toBe(401);
    expect(create.error?.code).toBe('UNAUTHENTICATED');
  });
});
