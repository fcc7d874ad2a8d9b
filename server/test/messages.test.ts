/**
 * Errors reach people in a clinician's words over both transports: the message names the field by its label, and
 * `fields[].path` stays the code path clients key on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EDIT_WINDOW_MS } from '@hmis/shared';
import { API_ROUTES } from '../src/rest/routes';
import { createTestEnv, drugInput, loggedIn, patientInput, uniqueName, type TestEnv, type TrpcClient } from './helpers';
import { RestClient, restLoggedIn } from './rest-helpers';

let env: TestEnv;
let nurse: TrpcClient;
let doctor: TrpcClient;
let records: TrpcClient;
let restRecords: RestClient;
let restDoctor: RestClient;
let restPharmacist: RestClient;

beforeAll(async () => {
  env = await createTestEnv();
  [nurse, doctor, records] = await Promise.all([loggedIn(env, 'nurse'), loggedIn(env, 'doctor'), loggedIn(env, 'records')]);
  [restRecords, restDoctor, restPharmacist] = await Promise.all([
    restLoggedIn(env.app, 'records'),
    restLoggedIn(env.app, 'doctor'),
    restLoggedIn(env.app, 'pharmacist'),
  ]);
});
afterEach(() => env.clock.reset());
afterAll(async () => env?.close());

const ZOD_DEFAULTS = /expected|invalid input|invalid option|too big|too small|received|NaN/i;
/** A code name such as pulseRate or allergyOverrideReason (units such as mmHg are words). */
const CAMEL_CASE = /\b(?!mmHg\b)[a-z]+[A-Z][A-Za-z]*\b/;

async function newPatient(overrides: Record<string, unknown> = {}): Promise<number> {
  const res = await records.mutate('patients.create', patientInput(overrides));
  expect(res.status).toBe(200);
  return res.data.id as number;
}

describe('validation errors', () => {
  it('over tRPC, an impossible pulse says "Pulse must be between 1 and 300 beats/min" on the pulseRate field', async () => {
    const patientId = await newPatient();
    const res = await nurse.mutate('vitals.create', { patientId, pulseRate: 400 });
    expect(res.status).toBe(400);
    expect(res.error).toMatchObject({
      code: 'VALIDATION',
      message: 'Pulse must be between 1 and 300 beats/min',
      fields: [{ path: 'pulseRate', message: 'Pulse must be between 1 and 300 beats/min' }],
    });
  });

  it('over tRPC, a decimal comma is refused with a hint, not read as another number', async () => {
    const patientId = await newPatient();
    const res = await nurse.mutate('vitals.create', { patientId, temperature: '37,5' });
    expect(res.status).toBe(400);
    expect(res.error?.fields).toEqual([{ path: 'temperature', message: 'Temperature must be a number; use a decimal point, e.g. 37.5' }]);
  });

  it('over REST, the body names each field by its label and the summary joins them', async () => {
    const res = await restRecords.post('/api/v1/patients', {
      firstName: '',
      lastName: 'Obi',
      gender: 'Robot',
      dob: '2999-01-01',
      address: 'x'.repeat(256),
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.fields).toEqual([
      { path: 'firstName', message: 'First name is required' },
      { path: 'gender', message: 'Sex must be Male or Female' },
      { path: 'address', message: 'Address can be at most 255 characters' },
      { path: 'dob', message: 'Date of birth must not be in the future' },
    ]);
    expect(res.body.message).toBe(
      'First name is required; Sex must be Male or Female; Address can be at most 255 characters; Date of birth must not be in the future',
    );
  });

  it('over REST, a nested drug line is named by its position', async () => {
    const patientId = await newPatient();
    const consultationId = (await restDoctor.post(`/api/v1/patients/${patientId}/consultations`, { provisionalDiagnosis: 'Malaria' })).body
      .id;
    const res = await restDoctor.post(`/api/v1/patients/${patientId}/consultations/${consultationId}/prescription`, {
      lines: [{ drugId: 1, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity: 0 }],
    });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([
      { path: 'lines.0.quantity', message: 'Quantity (drug 1) must be a whole number between 1 and 100,000' },
    ]);
  });

  it('no REST write answers bad input with zod default text or a code name', async () => {
    const patientId = await newPatient();
    const consultationId = (await restDoctor.post(`/api/v1/patients/${patientId}/consultations`, { provisionalDiagnosis: 'x' })).body.id;
    const bad: Record<string, unknown>[] = [{}, { pulseRate: 'fast' }, { firstName: 7, dob: 'yesterday' }, { quantity: -1, lines: 'x' }];
    const restNurse = await restLoggedIn(env.app, 'nurse');
    const clients: Record<string, RestClient> = {
      patients: restRecords,
      consultations: restDoctor,
      prescriptions: restDoctor,
      drugs: restPharmacist,
      vitals: restNurse,
      nurseNotes: restNurse,
    };
    let checked = 0;
    for (const route of API_ROUTES.filter((r) => r.method === 'POST' && !r.public)) {
      const client = clients[route.procedure.split('.')[0]!];
      if (!client) continue;
      const url = `/api/v1${route.path
        .replace('{patientId}', String(patientId))
        .replace('{consultationId}', String(consultationId))
        .replace(/\{\w+\}/g, '1')}`;
      for (const body of bad) {
        const res = await client.post(url, body);
        if (res.body?.code !== 'VALIDATION') continue;
        checked++;
        for (const text of [res.body.message, ...(res.body.fields ?? []).map((f: { message: string }) => f.message)]) {
          expect(text, `${url} ${JSON.stringify(body)}`).not.toMatch(ZOD_DEFAULTS);
          expect(text, `${url} ${JSON.stringify(body)}`).not.toMatch(CAMEL_CASE);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe('domain errors', () => {
  it('a drug matching an allergy asks for the override reason in words, keyed on the code path', async () => {
    const patientId = await newPatient({ allergies: ['penicillin'] });
    const consultationId = (await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Tonsillitis' })).data.id;
    const drug = (await restPharmacist.post('/api/v1/drugs', drugInput({ name: uniqueName('Penicillin V ') }))).body;
    const res = await restDoctor.post(`/api/v1/patients/${patientId}/consultations/${consultationId}/prescription`, {
      lines: [{ drugId: drug.id, dose: '1 tab', frequency: 'qds', duration: '5 days', route: 'oral', quantity: 20 }],
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(res.body.message).toBe(
      `${drug.name} matches the patient's recorded allergy to penicillin. Give a reason for prescribing it anyway.`,
    );
    expect(res.body.fields).toEqual([
      { path: 'lines.0.allergyOverrideReason', message: 'Give a reason for overriding the allergy to penicillin' },
    ]);
  });

  it('REST: amoxicillin (J01CA04) for a penicillin-allergic patient is 409 naming the class; 201 with a reason, kept on the line', async () => {
    const patientId = await newPatient({ allergies: ['penicillin'] });
    const consultationId = (await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Otitis media' })).data.id;
    const created = await restPharmacist.post(
      '/api/v1/drugs',
      drugInput({ name: uniqueName('Amoxicillin '), genericName: 'amoxicillin', atcCodes: ['J01CA04'] }),
    );
    expect(created.status).toBe(201);
    const drug = created.body;
    expect(drug.atcCodes).toEqual(['J01CA04']);
    const url = `/api/v1/patients/${patientId}/consultations/${consultationId}/prescription`;
    const body = { lines: [{ drugId: drug.id, dose: '500 mg', frequency: 'tds', duration: '5 days', route: 'oral', quantity: 15 }] };
    const refused = await restDoctor.post(url, body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(refused.body.message).toBe(
      `${drug.name} is a penicillin; the patient is recorded as allergic to penicillin. Give a reason for prescribing it anyway.`,
    );
    expect(refused.body.fields).toEqual([
      { path: 'lines.0.allergyOverrideReason', message: 'Give a reason for overriding the allergy to penicillin' },
    ]);
    const reason = 'Allergy label doubtful: tolerated amoxicillin in 2024';
    const ok = await restDoctor.post(url, { lines: [{ ...body.lines[0], allergyOverrideReason: reason }] });
    expect(ok.status).toBe(201);
    expect(ok.body.lines[0].allergyOverrideReason).toBe(reason);
  });

  it('REST: a drug ATC code of the wrong shape is 400 naming the code', async () => {
    const res = await restPharmacist.post('/api/v1/drugs', drugInput({ atcCodes: ['J01CA04', 'amoxicillin'] }));
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ path: 'atcCodes.1', message: 'ATC code 2 must be a WHO ATC code such as J01CA04' }]);
  });

  it('a drug not in the list is named by its line', async () => {
    const patientId = await newPatient();
    const consultationId = (await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Cough' })).data.id;
    const res = await doctor.mutate('prescriptions.create', {
      patientId,
      consultationId,
      lines: [{ drugId: 99_999_999, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity: 10 }],
    });
    expect(res.status).toBe(404);
    expect(res.error?.fields).toEqual([{ path: 'lines.0.drugId', message: 'Drug 1 is not in the drug list' }]);
  });

  it('a stale version says someone else saved the record, on the version field', async () => {
    const patientId = await newPatient();
    const c = (await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Asthma' })).data;
    expect((await doctor.mutate('consultations.update', { patientId, id: c.id, version: c.version, plan: 'Salbutamol' })).status).toBe(200);
    const res = await doctor.mutate('consultations.update', { patientId, id: c.id, version: c.version, plan: 'Stale' });
    expect(res.status).toBe(409);
    const message = 'Someone else saved this record since you opened it. Reload to see their changes, then make yours again.';
    expect(res.error).toMatchObject({ code: 'STALE_VERSION', message, fields: [{ path: 'version', message }] });
  });

  it('a record past its edit window says why it is locked', async () => {
    const patientId = await newPatient();
    const c = (await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Asthma' })).data;
    env.clock.advance(EDIT_WINDOW_MS + 1000);
    const res = await doctor.mutate('consultations.update', { patientId, id: c.id, version: c.version, plan: 'Late' });
    expect(res.error).toMatchObject({
      code: 'LOCKED',
      message: 'This record is locked: records can be changed only by their author within 24 hours of creation.',
    });
  });

  it('a duplicate MRN names the MRN field by its label', async () => {
    const mrn = uniqueName('MRN-').toUpperCase();
    await newPatient({ mrn });
    const res = await restRecords.post('/api/v1/patients', patientInput({ mrn }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'DUPLICATE',
      message: 'MRN is already in use',
      fields: [{ path: 'mrn', message: 'MRN is already in use' }],
    });
  });
});
