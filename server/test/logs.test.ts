/**
 * Issue 11, finding 2: health data was written to the server's log (a failed database write logged every SQL value).
 * The app is run at the most verbose level, records are written and searched over REST and tRPC, writes are made
 * to fail in the database, and the whole log is searched for every value the test wrote.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { createTestEnv, PASSWORD, TrpcClient, uniqueWord, type TestEnv } from './helpers';
import { RestClient } from './rest-helpers';

let env: TestEnv;
let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp({
    db: env.database.db,
    clock: env.clock,
    sessionSecret: env.sessionSecret,
    secureCookies: false,
    logger: { level: 'trace', stream },
  });
});
afterAll(async () => {
  await app?.close();
  await env?.close();
});

describe('the server log holds no health or personal data', () => {
  it('after registrations, searches, a consultation and database failures over REST and tRPC, no value written appears in any log line', async () => {
    const secret = {
      lastName: uniqueWord('Leakcanary'),
      phone: '+2348039876543',
      address: `${uniqueWord('Canary')} Street, Enugu`,
      diagnosis: `${uniqueWord('Diagnosis')} tuberculosis`,
      failingDiagnosis: `${uniqueWord('Failing')} malaria`,
      failingName: uniqueWord('Failname'),
    };
    const records = new TrpcClient(app);
    expect((await records.login('records', PASSWORD)).status).toBe(200);
    const patient = await records.mutate('patients.create', {
      firstName: 'Ada',
      lastName: secret.lastName,
      gender: 'Female',
      dob: '1980-01-01',
      phoneNumber: secret.phone,
      address: secret.address,
      allergies: ['penicillin'],
    });
    expect(patient.status, JSON.stringify(patient.error)).toBe(200);
    expect((await records.query('patients.list', { q: secret.lastName })).data.items).toHaveLength(1);

    const doctor = new RestClient(app);
    expect((await doctor.login('doctor')).status).toBe(200);
    expect((await doctor.get(`/api/v1/patients?q=${encodeURIComponent(secret.lastName)}`)).status).toBe(200);
    const consultation = await doctor.post(`/api/v1/patients/${patient.data.id}/consultations`, { provisionalDiagnosis: secret.diagnosis });
    expect(consultation.status, JSON.stringify(consultation.body)).toBe(201);

    // Make the database refuse two writes (a CHECK constraint on the values), one over each transport.
    await env.database.db.execute(
      sql.raw(`ALTER TABLE consultations ADD CONSTRAINT log_test_chk CHECK (provisional_diagnosis <> '${secret.failingDiagnosis}')`),
    );
    await env.database.db.execute(
      sql.raw(`ALTER TABLE patients ADD CONSTRAINT log_test_chk2 CHECK (last_name <> '${secret.failingName}')`),
    );
    try {
      const failedRest = await doctor.post(`/api/v1/patients/${patient.data.id}/consultations`, {
        provisionalDiagnosis: secret.failingDiagnosis,
      });
      expect(failedRest.status).toBe(500);
      const failedTrpc = await records.mutate('patients.create', {
        firstName: 'Bo',
        lastName: secret.failingName,
        gender: 'Male',
        dob: '1970-02-02',
        address: secret.address,
      });
      expect(failedTrpc.status).toBe(500);
    } finally {
      await env.database.db.execute(sql.raw('ALTER TABLE consultations DROP CONSTRAINT log_test_chk'));
      await env.database.db.execute(sql.raw('ALTER TABLE patients DROP CONSTRAINT log_test_chk2'));
    }

    const log = lines.join('\n');
    // The log is there and says what failed, by code and statement shape, with the request's id.
    expect(lines.length).toBeGreaterThan(10);
    const failures = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.level >= 50);
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const f of failures) {
      expect(f.reqId ?? f.path, JSON.stringify(f)).toBeDefined();
      expect(JSON.stringify(f.err)).toMatch(/"statement":"(insert|update|select)/);
    }
    expect(log).toMatch(/"path":"\/api\/v1\/patients"/);
    for (const [what, value] of Object.entries({ ...secret, phoneDigits: secret.phone.slice(1), password: PASSWORD })) {
      expect(log.includes(value), `${what} (${value}) is in the log`).toBe(false);
    }
    expect(log.toLowerCase()).not.toContain(secret.lastName.toLowerCase());
  });
});
