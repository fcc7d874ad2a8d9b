/**
 * The demo data of a first start: every screen has something to show, the records are consistent with the rules
 * (the 24-hour lock, stock, the audit trail), it is created once, and it is the same on every first start.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROLES, type Drug, type Prescription, type Vital } from '@hmis/shared';
import { buildApp } from '../src/app';
import type { Clock } from '../src/clock';
import { connect, createDatabaseIfMissing, dropDatabase, migrateDatabase, type Database } from '../src/db/client';
import { DEMO_USERNAMES, seedDemoData } from '../src/demo-data';
import { checkLedger } from '../src/services/stock';
import { HOUR, MovableClock, TrpcClient, uniqueName } from './helpers';

const PASSWORD = 'demo-password-for-test';
const DAY = 24 * HOUR;
/** The moment of the first start. The app's clock runs on from there. */
const startedAt = new Date();
const firstStart: Clock = { now: () => new Date(startedAt) };

const databases: Database[] = [];
const urls: string[] = [];
let db: Database['db'];
let app: FastifyInstance;

async function freshDatabase(): Promise<Database> {
  const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_demo_')}`;
  urls.push(url);
  await createDatabaseIfMissing(url);
  const database = connect(url);
  databases.push(database);
  await migrateDatabase(database.db);
  return database;
}

async function rows<T = Record<string, unknown>>(query: ReturnType<typeof sql>, on = db): Promise<T[]> {
  const [result] = (await on.execute(query)) as unknown as [T[]];
  return result;
}

async function signedIn(username: string): Promise<TrpcClient> {
  const client = new TrpcClient(app);
  const res = await client.login(username, PASSWORD);
  if (res.status !== 200) throw new Error(`login as ${username}: ${res.status}`);
  return client;
}

const dateOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const today = dateOf(startedAt);
const inDays = (n: number) => dateOf(new Date(startedAt.getTime() + n * DAY));

beforeAll(async () => {
  const database = await freshDatabase();
  db = database.db;
  expect(await seedDemoData(db, firstStart, PASSWORD)).toBe(true);
  app = await buildApp({ db, clock: new MovableClock(), sessionSecret: randomBytes(32).toString('hex'), secureCookies: false });
});

afterAll(async () => {
  await app?.close();
  for (const d of databases) await d.close();
  for (const url of urls) await dropDatabase(url);
});

describe('demo data', () => {
  it('is created only on an empty database', async () => {
    const before = await rows(
      sql`SELECT (SELECT count(*) FROM staff) s, (SELECT count(*) FROM patients) p, (SELECT count(*) FROM audit_events) a`,
    );
    expect(await seedDemoData(db, { now: () => new Date() }, PASSWORD)).toBe(false);
    expect(
      await rows(sql`SELECT (SELECT count(*) FROM staff) s, (SELECT count(*) FROM patients) p, (SELECT count(*) FROM audit_events) a`),
    ).toEqual(before);
  });

  it('is the same on every first start at the same moment', { timeout: 120_000 }, async () => {
    const other = (await freshDatabase()).db;
    expect(await seedDemoData(other, firstStart, PASSWORD)).toBe(true);
    const dump = (on: typeof db) =>
      Promise.all([
        rows(sql`SELECT id, username, role, job_title, active, created_at FROM staff ORDER BY id`, on),
        rows(sql`SELECT * FROM patients ORDER BY id`, on),
        rows(sql`SELECT * FROM drugs ORDER BY id`, on),
        rows(sql`SELECT * FROM consultations ORDER BY id`, on),
        rows(sql`SELECT * FROM vitals ORDER BY id`, on),
        rows(sql`SELECT * FROM nurse_notes ORDER BY id`, on),
        rows(sql`SELECT * FROM prescriptions ORDER BY id`, on),
        rows(sql`SELECT * FROM prescription_drugs ORDER BY id`, on),
        rows(sql`SELECT id, at, actor_id, action, entity_type, entity_id, patient_id FROM audit_events ORDER BY id`, on),
      ]);
    expect(await dump(other)).toEqual(await dump(db));
  });

  it('has the five demo logins and colleagues of every role, at least two active each', async () => {
    for (const username of Object.values(DEMO_USERNAMES))
      expect((await new TrpcClient(app).login(username, PASSWORD)).status, username).toBe(200);
    const counts = await (await signedIn('admin')).query<Record<string, number>>('staff.counts');
    for (const role of ROLES) expect(counts.data[role], role).toBeGreaterThanOrEqual(2);
  });

  it('has a deactivated account, which cannot sign in', async () => {
    const gone = await rows<{ username: string }>(sql`SELECT username FROM staff WHERE active = false`);
    expect(gone.length).toBeGreaterThanOrEqual(1);
    expect((await new TrpcClient(app).login(gone[0]!.username, PASSWORD)).status).toBe(401);
  });

  it('registers patients with normalised phone numbers, some with allergies', async () => {
    const patients = await rows<{ phone_number: string | null; allergies: string | string[] }>(
      sql`SELECT phone_number, allergies FROM patients`,
    );
    expect(patients.length).toBeGreaterThanOrEqual(25);
    for (const p of patients) if (p.phone_number !== null) expect(p.phone_number).toMatch(/^\+\d{6,19}$/);
    const lists = patients.map(
      (p) =>
        (typeof p.allergies === 'string' ? JSON.parse(p.allergies) : p.allergies) as {
          kind: string;
          severity: string;
          recordedBy: number;
        }[],
    );
    expect(lists.filter((l) => l.length > 0).length).toBeGreaterThanOrEqual(5);
    // Some coded by a doctor with reaction and severity (a class, a substance, an allergen), the rest still free text.
    const all = lists.flat();
    expect(new Set(all.filter((a) => a.kind !== 'text').map((a) => a.kind))).toEqual(new Set(['class', 'substance', 'allergen']));
    expect(all.filter((a) => a.kind === 'text').length).toBeGreaterThanOrEqual(3);
    expect(all.every((a) => a.recordedBy > 0)).toBe(true);
  });

  it('has a formulary of common medicines that fits on one page of the prescribing list', async () => {
    const doctor = await signedIn('doctor');
    const res = await doctor.query<{ items: Drug[]; nextCursor: string | null }>('drugs.list', { limit: 100 });
    expect(res.status).toBe(200);
    expect(res.data.nextCursor).toBeNull();
    expect(res.data.items.length).toBeGreaterThanOrEqual(40);
    const has = (name: string, strength: string, formulation: RegExp) =>
      res.data.items.some((d) => d.name === name && d.strength === strength && formulation.test(d.formulation));
    expect(has('Paracetamol', '500 mg', /tablet/)).toBe(true);
    expect(has('Amoxicillin', '500 mg', /capsule/)).toBe(true);
    expect(has('Metformin', '500 mg', /tablet/)).toBe(true);
    expect(has('Ceftriaxone', '1 g', /injection/)).toBe(true);
    expect(has('Artemether/Lumefantrine', '20/120 mg', /tablet/)).toBe(true);
    for (const d of res.data.items) expect(d.genericName, d.name).toBeTruthy();
  });

  it('gives the formulary WHO ATC codes, leaving only a few drugs unclassified', async () => {
    const { data } = await (await signedIn('doctor')).query<{ items: Drug[] }>('drugs.list', { limit: 100 });
    const codes = (name: string) => data.items.find((d) => d.name === name)?.atcCodes;
    expect(codes('Amoxicillin')).toEqual(['J01CA04']);
    expect(codes('Amoxicillin/Clavulanic acid')).toEqual(['J01CR02']);
    expect(codes('Co-trimoxazole')).toEqual(['J01EE01']);
    expect(codes('Aspirin')).toEqual(['B01AC06']);
    expect(data.items.filter((d) => d.atcCodes?.length === 0).length).toBeLessThanOrEqual(6);
  });

  it('has drugs below their reorder level, expiring within 90 days, and already expired', async () => {
    const { data } = await (await signedIn('pharmacist')).query<{ items: Drug[] }>('drugs.list', { limit: 100 });
    expect(data.items.filter((d) => d.belowReorderLevel).length).toBeGreaterThanOrEqual(1);
    expect(data.items.filter((d) => d.expiryDate && d.expiryDate >= today && d.expiryDate <= inDays(90)).length).toBeGreaterThanOrEqual(1);
    expect(data.items.filter((d) => d.expiryDate && d.expiryDate < today).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps its stock as a ledger: every lot and drug equals its movements, and dispensed lines equal the dispense movements', async () => {
    const check = await checkLedger(db);
    expect(check.problems).toEqual([]);
    expect(check.movements).toBeGreaterThan(70);
    const kinds = await rows<{ kind: string; n: number }>(sql`SELECT kind, count(*) n FROM stock_movements GROUP BY kind`);
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toMatchObject({
      opening: expect.any(Number),
      receipt: 2,
      adjustment: 2,
      dispense: expect.any(Number),
    });
    const [lines] = await rows<{ n: number }>(sql`
      SELECT coalesce(sum(l.quantity), 0) n FROM prescription_drugs l JOIN prescriptions p ON p.id = l.prescription_id WHERE p.status = 'dispensed'`);
    const [taken] = await rows<{ n: number }>(sql`SELECT coalesce(-sum(quantity), 0) n FROM stock_movements WHERE kind = 'dispense'`);
    expect(Number(taken!.n)).toBe(Number(lines!.n));
  });

  it('has a week of vital signs, several readings a day, for several patients, some abnormal', async () => {
    // Patients with three or more readings a day on at least five days.
    const charted = await rows<{ patient_id: number }>(sql`
      SELECT patient_id FROM (SELECT patient_id, date(created_at) d FROM vitals GROUP BY patient_id, d HAVING count(*) >= 3) busy
      GROUP BY patient_id HAVING count(*) >= 5`);
    expect(charted.length).toBeGreaterThanOrEqual(2);
    const nurse = await signedIn('nurse');
    const flagged = new Set<string>();
    for (const p of charted) {
      const res = await nurse.query<{ items: Vital[] }>('vitals.list', { patientId: p.patient_id, limit: 100 });
      for (const v of res.data.items) for (const [field, flag] of Object.entries(v.flags)) flagged.add(`${field} ${flag}`);
    }
    for (const f of ['temperature high', 'pulseRate high', 'systolicBp high', 'spo2 low']) expect(flagged).toContain(f);
  });

  it('has consultations over ten days, the older ones locked, today’s editable', async () => {
    const [c] = await rows<{ locked: number; editable: number; days: number }>(sql`
      SELECT sum(created_at <= ${new Date(startedAt.getTime() - DAY)}) locked, sum(created_at > ${new Date(startedAt.getTime() - DAY)}) editable,
             count(DISTINCT date(created_at)) days FROM consultations`);
    expect(Number(c!.locked)).toBeGreaterThanOrEqual(5);
    expect(Number(c!.editable)).toBeGreaterThanOrEqual(3);
    expect(Number(c!.days)).toBeGreaterThanOrEqual(8);
  });

  it('lets the demo doctor change today’s consultations and refuses a locked one with 409', async () => {
    const doctor = await signedIn('doctor');
    const mine = await rows<{ id: number; patient_id: number; version: number; recent: number; old: number }>(sql`
      SELECT c.id, c.patient_id, c.version, c.created_at > ${new Date(startedAt.getTime() - 20 * HOUR)} recent,
             c.created_at < ${new Date(startedAt.getTime() - 2 * DAY)} old
      FROM consultations c JOIN staff s ON s.id = c.doctor_id WHERE s.username = 'doctor' ORDER BY c.id`);
    const editable = mine.filter((c) => Number(c.recent) === 1);
    const locked = mine.filter((c) => Number(c.old) === 1);
    expect(editable.length).toBeGreaterThanOrEqual(2);
    expect(locked.length).toBeGreaterThanOrEqual(1);

    for (const c of editable) {
      const res = await doctor.mutate('consultations.update', {
        patientId: c.patient_id,
        id: c.id,
        version: c.version,
        plan: 'Reviewed in the demo.',
      });
      expect(res.status, `consultation ${c.id}`).toBe(200);
      expect(res.data).toMatchObject({ plan: 'Reviewed in the demo.', version: c.version + 1 });
    }
    const c = locked[0]!;
    const res = await doctor.mutate('consultations.update', { patientId: c.patient_id, id: c.id, version: c.version, plan: 'Too late.' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
  });

  it('gives the demo nurse today’s observations and notes', async () => {
    const [n] = await rows<{ vitals: number; notes: number }>(sql`
      SELECT (SELECT count(*) FROM vitals v JOIN staff s ON s.id = v.nurse_id WHERE s.username = 'nurse' AND v.created_at > ${new Date(startedAt.getTime() - 20 * HOUR)}) vitals,
             (SELECT count(*) FROM nurse_notes n JOIN staff s ON s.id = n.nurse_id WHERE s.username = 'nurse' AND n.created_at > ${new Date(startedAt.getTime() - 20 * HOUR)}) notes`);
    expect(Number(n!.vitals)).toBeGreaterThanOrEqual(3);
    expect(Number(n!.notes)).toBeGreaterThanOrEqual(1);
  });

  it('has an audit trail in time order whose events match the records they created', async () => {
    const outOfOrder = await rows(sql`SELECT a.id FROM audit_events a JOIN audit_events b ON b.id = a.id + 1 WHERE b.at < a.at`);
    expect(outOfOrder).toEqual([]);
    const mismatched = await rows(sql`
      SELECT c.id FROM consultations c LEFT JOIN audit_events a ON a.entity_type = 'consultation' AND a.action = 'create' AND a.entity_id = c.id
      WHERE a.id IS NULL OR a.at <> c.created_at OR a.actor_id <> c.doctor_id`);
    expect(mismatched).toEqual([]);
    const admin = await signedIn('admin');
    const [patient] = await rows<{ id: number }>(
      sql`SELECT patient_id id FROM consultations GROUP BY patient_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const trail = await admin.query<{ items: { action: string; entityType: string; actorId: number | null }[] }>('audit.list', {
      patientId: patient!.id,
      limit: 100,
    });
    expect(trail.status).toBe(200);
    const kinds = new Set(trail.data.items.map((e) => `${e.action} ${e.entityType}`));
    for (const k of [
      'create patient',
      'create consultation',
      'create vital',
      'create nurse_note',
      'create prescription',
      'dispense prescription',
    ])
      expect(kinds).toContain(k);
    expect(new Set(trail.data.items.map((e) => e.actorId)).size).toBeGreaterThanOrEqual(4);
  });

  it('has pending, dispensed and cancelled prescriptions, and every pending one can be dispensed from stock', async () => {
    const pharmacist = await signedIn('pharmacist');
    const queue = (status: string) => pharmacist.query<{ items: Prescription[] }>('prescriptions.queue', { status, limit: 100 });
    const [pending, dispensed, cancelled] = await Promise.all([queue('pending'), queue('dispensed'), queue('cancelled')]);
    expect(dispensed.data.items.length).toBeGreaterThanOrEqual(5);
    expect(cancelled.data.items.length).toBeGreaterThanOrEqual(1);
    expect(pending.data.items.length).toBeGreaterThanOrEqual(3);
    for (const p of pending.data.items) {
      const res = await pharmacist.mutate('prescriptions.dispense', {
        patientId: p.patientId,
        consultationId: p.consultationId,
        version: p.version,
      });
      expect(res.status, `prescription ${p.id}: ${res.error?.message}`).toBe(200);
    }
  });
});
