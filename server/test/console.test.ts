/** The console as an operator uses it: the real `hmis` process, piped input, a real database. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, createDatabaseIfMissing, dropDatabase, migrateDatabase } from '../src/db/client';
import { auditEvents, patients } from '../src/db/schema';
import { createTestEnv, HOUR, loggedIn, PASSWORD, TrpcClient, uniqueName, uniqueWord, type TestEnv } from './helpers';

const bin = path.resolve(import.meta.dirname, '../bin/hmis.mjs');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function hmis(
  databaseUrl: string,
  input: string,
  opts: { user?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...(opts.args ?? [])], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: '/tmp',
        DATABASE_URL: databaseUrl,
        ...(opts.user ? { HMIS_CONSOLE_USER: opts.user, HMIS_CONSOLE_PASSWORD: PASSWORD } : {}),
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

const lines = (s: string) => s.split('\n').filter(Boolean);

describe('help and errors', () => {
  it('lists the commands and shows the usage of one', async () => {
    const run = await hmis(env.url, 'help\nhelp update\n');
    expect(run.code).toBe(0);
    for (const c of ['create', 'show', 'all', 'update', 'destroy', 'save', 'quit', 'reset-password', 'migrate'])
      expect(run.out).toContain(c);
    expect(run.out).toMatch(/update <Class> <id> <field> <value>/);
    expect(run.out).toMatch(/Classes: .*PrescriptionDrug/);
  });

  it.each([
    ['create', 'Class name missing'],
    ['create Foo', 'Unknown class: Foo'],
    ['show Patient', 'Instance id missing'],
    ['show Patient 999999', 'Patient not found'],
    ['update Patient 1', 'Attribute name missing'],
    ['frobnicate', 'Unknown command: frobnicate'],
    ['Patient.frob()', 'Unknown command: Patient.frob()'],
  ])('"%s" prints one clear line and the script stops with a non-zero status', async (command, message) => {
    const run = await hmis(env.url, `${command}\nhelp\n`, { user: 'records' });
    expect(run.code).toBe(1);
    expect(lines(run.err)).toHaveLength(1);
    expect(run.err).toContain(`** ${message}`);
    expect(run.out).not.toContain('Commands (help'); // stopped at the first error
  });

  it('names each invalid field by its label with its reason', async () => {
    const run = await hmis(env.url, 'create Patient firstName=Ada gender=Robot dob=1990-13-45\n', { user: 'records' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Last name is required/);
    expect(run.err).toMatch(/Sex must be Male or Female/);
    expect(run.err).toMatch(/Date of birth must be a real date, written as YYYY-MM-DD/);
    expect(run.err).not.toMatch(/lastName|gender|dob/);
  });

  it('asks for a sign-in before working on records', async () => {
    const run = await hmis(env.url, 'all Patient\n');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Sign in first/);
  });

  it('refuses a wrong password', async () => {
    const run = await hmis(env.url, 'whoami\n', { env: { HMIS_CONSOLE_USER: 'records', HMIS_CONSOLE_PASSWORD: 'wrong-password-1' } });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Wrong username or password/);
  });
});

describe('records, both syntaxes', () => {
  it('creates with key=value (quoted spaces), prints the id, and save makes it permanent with the operator audited', async () => {
    const last = uniqueWord('Van Dyke');
    const run = await hmis(
      env.url,
      `create Patient firstName=Ngozi lastName="${last}" gender=Female dob=1970-02-03 allergies=sulfa,latex\nsave\n`,
      { user: 'records' },
    );
    expect(run.code, run.err).toBe(0);
    const [idLine, saved] = lines(run.out).slice(1);
    expect(idLine).toMatch(/^\d+$/);
    expect(saved).toBe('Saved.');
    const [row] = await env.database.db
      .select()
      .from(patients)
      .where(eq(patients.id, Number(idLine)));
    expect(row).toMatchObject({ lastName: last, createdBy: env.staff.recordofficer.id });
    expect(row!.allergies).toMatchObject([
      { kind: 'text', substance: 'sulfa', recordedBy: env.staff.recordofficer.id },
      { kind: 'text', substance: 'latex', recordedBy: env.staff.recordofficer.id },
    ]);
    const events = await env.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, Number(idLine)));
    expect(events.find((e) => e.entityType === 'patient' && e.action === 'create')?.actorId).toBe(env.staff.recordofficer.id);
  });

  it('discards unsaved changes at the end of a script, says so, and exits non-zero', async () => {
    const last = uniqueWord('Unsaved');
    const run = await hmis(env.url, `create Patient firstName=Tobi lastName=${last} gender=Male dob=1999-09-09\n`, { user: 'records' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Unsaved changes discarded/);
    expect(await env.database.db.select().from(patients).where(eq(patients.lastName, last))).toHaveLength(0);
  });

  it('supports the dot syntax: create, show, update, count, all', async () => {
    const last = uniqueWord('Dot');
    const create = await hmis(
      env.url,
      `Patient.create({"firstName": "Ife", "lastName": "${last}", "gender": "Female", "dob": "1988-08-08"})\nsave\n`,
      { user: 'records' },
    );
    const id = lines(create.out)[1];
    expect(id).toMatch(/^\d+$/);
    const run = await hmis(
      env.url,
      `Patient.update(${id}, {"address": "7 Marina Road"})\nsave\nPatient.show(${id})\nPatient.count()\nPatient.all()\n`,
      { user: 'records' },
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`[Patient] ${id}`);
    expect(run.out).toContain('address: 7 Marina Road');
    expect(run.out).toContain('version: 2');
    expect(run.out).toMatch(/^\d+$/m); // the count
    expect(run.out).toContain(`[Patient ${id}]`);
  });

  it('updates one field with a value containing spaces, and destroys', async () => {
    const last = uniqueWord('Upd');
    const id = lines(
      (await hmis(env.url, `create Patient firstName=Kemi lastName=${last} gender=Female dob=1990-01-01\nsave\n`, { user: 'records' })).out,
    )[1];
    const run = await hmis(
      env.url,
      `update Patient ${id} address 12 Broad Street, Lagos\nsave\nshow Patient ${id}\ndestroy Patient ${id}\nsave\nshow Patient ${id}\n`,
      { user: 'records' },
    );
    expect(run.out).toContain('address: 12 Broad Street, Lagos');
    expect(run.err).toMatch(/Patient not found/);
    expect(run.code).toBe(1);
  });

  it('pages through a large class', async () => {
    const run = await hmis(env.url, 'all Staff\nall Doctor limit=1\n', { user: 'admin' });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/\[Staff \d+\] ADM\d{4} /);
    expect(run.out).toMatch(/-- more: all Doctor cursor=\S+/);
  });

  it('prints JSON with --json', async () => {
    const run = await hmis(env.url, 'Drug.count()\nall Drug limit=1\n', { user: 'pharmacist', args: ['--json'] });
    expect(run.code, run.err).toBe(0);
    const [, count, page] = lines(run.out);
    expect(JSON.parse(count!)).toEqual({ count: expect.any(Number) });
    expect(JSON.parse(page!)).toMatchObject({ items: expect.any(Array) });
  });

  it('runs one command with -c and saves it', async () => {
    const name = uniqueName('Quinine');
    const run = await hmis(env.url, '', {
      user: 'pharmacist',
      args: ['-c', `create Drug name=${name} formulation=tablet strength="300 mg" route=oral stockOnHand=50`],
    });
    expect(run.code, run.err).toBe(0);
    const list = await (await loggedIn(env, 'pharmacist')).query('drugs.list', { q: name });
    expect(list.data.items).toHaveLength(1);
    expect(list.data.items[0].stockOnHand).toBe(50);
  });
});

describe('the stock ledger', () => {
  it('receives stock, adjusts a lot with a reason, lists the stock card and the lots, and checks the ledger', {
    timeout: 120_000,
  }, async () => {
    const name = uniqueName('Ceftriaxone');
    const create = await hmis(env.url, '', {
      user: 'pharmacist',
      args: ['--json', '-c', `create Drug name=${name} formulation=injection strength="1 g" route=IV`],
    });
    expect(create.code, create.err).toBe(0);
    const drugId = JSON.parse(lines(create.out).find((l) => l.startsWith('{'))!).id as number;
    const script = [
      `create StockReceipt drugId=${drugId} lotNumber=cx-2027 expiryDate=2099-03-31 quantity=40 supplier="CMS Lagos" unitCost=850.00`,
      'save',
      `all DrugLot drugId=${drugId}`,
    ].join('\n');
    const run = await hmis(env.url, `${script}\n`, { user: 'pharmacist' });
    expect(run.code, run.err).toBe(0);
    const lotId = Number(/\[DrugLot (\d+)\] .* lot CX-2027 · expires 2099-03-31 · 40 on hand/.exec(run.out)?.[1]);
    expect(lotId).toBeGreaterThan(0);
    const adjust = await hmis(
      env.url,
      `create StockAdjustment drugId=${drugId} lotId=${lotId} quantity=-5 reason=damage note="Vials cracked"\nsave\nall StockMovement drugId=${drugId}\n`,
      { user: 'pharmacist' },
    );
    expect(adjust.code, adjust.err).toBe(0);
    expect(adjust.out).toMatch(/lot CX-2027 · .* Adjusted -5 → 35 \(damage\) · Vials cracked/);
    expect(adjust.out).toMatch(/lot CX-2027 · .* Received \+40 → 40/);
    const bad = await hmis(env.url, `create StockReceipt drugId=${drugId} lotNumber=OLD expiryDate=2001-01-01 quantity=1 supplier=X\n`, {
      user: 'pharmacist',
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Expiry date 2001-01-01 is in the past/);
    const check = await hmis(env.url, 'check-stock\n', {});
    expect(check.code, check.err).toBe(0);
    expect(check.out).toMatch(/Stock ledger consistent: \d+ drugs, \d+ lots, \d+ movements/);
  });
});

describe('the same rules as the API', () => {
  it('applies the role rules: a nurse cannot register a patient', async () => {
    const run = await hmis(env.url, 'create Patient firstName=A lastName=B gender=Male dob=1990-01-01\n', { user: 'nurse' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/may not patient write/);
  });

  it('refuses to change a consultation after 24 hours (locked)', async () => {
    const records = await loggedIn(env, 'records');
    const doctor = await loggedIn(env, 'doctor');
    const patientId = (
      await records.mutate('patients.create', { firstName: 'Old', lastName: uniqueWord('Visit'), gender: 'Male', dob: '1950-05-05' })
    ).data.id;
    env.clock.advance(-25 * HOUR); // the consultation is written 25 hours before the console's now
    const c = await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Gout' });
    env.clock.reset();
    const run = await hmis(env.url, `update Consultation ${c.data.id} plan="Allopurinol"\n`, { user: 'doctor' });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/locked/);
    expect((await doctor.query('consultations.get', { patientId, id: c.data.id })).data.plan).toBeNull();
  });

  it('records vitals, flags abnormal values, and adds a drug line through its prescription id', async () => {
    const records = await loggedIn(env, 'records');
    const doctor = await loggedIn(env, 'doctor');
    const pharmacist = await loggedIn(env, 'pharmacist');
    const patientId = (
      await records.mutate('patients.create', { firstName: 'Vee', lastName: uniqueWord('Tal'), gender: 'Female', dob: '1980-01-01' })
    ).data.id;
    const consultationId = (await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Fever' })).data.id;
    const drugId = (
      await pharmacist.mutate('drugs.create', {
        name: uniqueName('Para'),
        formulation: 'tablet',
        strength: '500 mg',
        route: 'oral',
        stockOnHand: 10,
      })
    ).data.id;
    const nurseRun = await hmis(
      env.url,
      `create Vital patientId=${patientId} pulseRate=130 temperature=38.6\nsave\nall Vital patientId=${patientId}\n`,
      { user: 'nurse' },
    );
    expect(nurseRun.code, nurseRun.err).toBe(0);
    expect(nurseRun.out).toMatch(/ABNORMAL: pulseRate, temperature/);
    const rx = (await doctor.mutate('prescriptions.create', { patientId, consultationId })).data;
    const docRun = await hmis(
      env.url,
      `create PrescriptionDrug prescriptionId=${rx.id} drugId=${drugId} dose="1 tab" frequency=tds duration="3 days" route=oral quantity=9\nsave\nall PrescriptionDrug prescriptionId=${rx.id}\n`,
      { user: 'doctor' },
    );
    expect(docRun.code, docRun.err).toBe(0);
    expect(docRun.out).toMatch(/×9/);
  });
});

describe('administration', () => {
  // A new database migrated from nothing, then three console processes (each starts tsx): slow on a loaded machine.
  it('creates the first admin of an empty database, then refuses a second', { timeout: 120_000 }, async () => {
    const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_console_')}`;
    await createDatabaseIfMissing(url);
    const db = connect(url);
    try {
      await migrateDatabase(db.db);
      const envs = { HMIS_NEW_PASSWORD: 'first-admin-password' };
      const fields = 'username=chief email=chief@hospital.example firstName=Chief lastName=Admin gender=Female';
      const run = await hmis(url, `create-admin ${fields}\n`, { env: envs });
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/Created admin chief \(ADM0001\)/);
      const again = await hmis(url, `create-admin ${fields.replace('chief', 'deputy')}\n`, { env: envs });
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/An admin already exists/);
      const login = await hmis(url, 'whoami\n', { env: { HMIS_CONSOLE_USER: 'chief', HMIS_CONSOLE_PASSWORD: 'first-admin-password' } });
      expect(login.out).toMatch(/Chief Admin \(admin/);
    } finally {
      await db.close();
      await dropDatabase(url);
    }
  });

  it("resets a staff member's password: the old one stops working, the new one works", async () => {
    const run = await hmis(env.url, 'reset-password nurse2\n', { user: 'admin', env: { HMIS_NEW_PASSWORD: 'brand-new-password-1' } });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Password reset for nurse2/);
    expect((await new TrpcClient(env.app).login('nurse2')).status).toBe(401);
    expect((await new TrpcClient(env.app).login('nurse2', 'brand-new-password-1')).status).toBe(200);
  });

  it('applies migrations', async () => {
    const run = await hmis(env.url, 'migrate\n');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Migrations applied.');
  });
});
