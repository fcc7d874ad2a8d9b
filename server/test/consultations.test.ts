/** What is particular to consultations; the rules every clinical record shares are in clinical-records.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv, TrpcClient } from './helpers';
import { clinicalWorld, fieldPaths, newPatient, storedRow as storedRecord } from './clinical-kinds';

const w = clinicalWorld();
let env: TestEnv;
let doctor: TrpcClient, doctor2: TrpcClient, nurse: TrpcClient;
beforeAll(() => {
  ({
    env,
    trpc: { doctor, doctor2, nurse },
  } = w);
});

function createConsultation(patientId: number, overrides: Record<string, unknown> = {}, as = doctor) {
  return as.mutate('consultations.create', {
    patientId,
    presentingComplaint: 'Fever for three days',
    provisionalDiagnosis: 'Malaria',
    plan: 'Malaria RDT, review in 48 hours',
    ...overrides,
  });
}

async function newConsultation() {
  const res = await createConsultation(await newPatient(w));
  expect(res.status).toBe(200);
  return res.data;
}

const storedRow = (id: number) => storedRecord(w, 'consultations', id);

describe('creating a consultation', () => {
  it('a doctor records a consultation and gets back what was written, with the doctor and their name', async () => {
    const patientId = await newPatient(w);
    const res = await createConsultation(patientId);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      patientId,
      doctorId: env.staff.doctor.id,
      doctorName: 'doctor Tester',
      presentingComplaint: 'Fever for three days',
      provisionalDiagnosis: 'Malaria',
      plan: 'Malaria RDT, review in 48 hours',
      historyOfPresentingComplaint: null,
    });
  });

  it('refuses a consultation without a provisional diagnosis with a 400 naming provisionalDiagnosis', async () => {
    const patientId = await newPatient(w);
    const res = await doctor.mutate('consultations.create', { patientId, presentingComplaint: 'Headache' });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('provisionalDiagnosis');
    expect((await doctor.query('consultations.list', { patientId })).data.items).toHaveLength(0);
  });

  it('refuses a provisional diagnosis of only spaces', async () => {
    const patientId = await newPatient(w);
    const res = await createConsultation(patientId, { provisionalDiagnosis: '   ' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('provisionalDiagnosis');
  });
});

describe('updating a consultation', () => {
  it('changes only the fields it sends', async () => {
    const c = await newConsultation();
    const res = await doctor.mutate('consultations.update', {
      patientId: c.patientId,
      id: c.id,
      version: 1,
      plan: 'Admit for IV artesunate',
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      plan: 'Admit for IV artesunate',
      provisionalDiagnosis: 'Malaria',
      presentingComplaint: 'Fever for three days',
    });
  });

  it('refuses clearing the provisional diagnosis', async () => {
    const c = await newConsultation();
    const res = await doctor.mutate('consultations.update', { patientId: c.patientId, id: c.id, version: 1, provisionalDiagnosis: '' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('provisionalDiagnosis');
    expect(await storedRow(c.id)).toMatchObject({ version: 1, provisionalDiagnosis: 'Malaria' });
  });
});

describe('deleting a consultation', () => {
  it('a consultation with vital signs linked to it is not deleted: 409, not a 500', async () => {
    const c = await newConsultation();
    const v = await nurse.mutate('vitals.create', { patientId: c.patientId, consultationId: c.id, pulseRate: 80 });
    expect(v.status).toBe(200);
    const res = await doctor.mutate('consultations.delete', { patientId: c.patientId, id: c.id });
    expect(res.status).toBe(409);
    expect(await storedRow(c.id)).toBeDefined();
  });
});

describe("a doctor's own consultations", () => {
  it('staff.doctorConsultations lists what that doctor wrote and nothing of another doctor', async () => {
    const patientId = await newPatient(w);
    const mine = await createConsultation(patientId);
    const theirs = await createConsultation(patientId, {}, doctor2);
    expect([mine.status, theirs.status]).toEqual([200, 200]);
    const res = await doctor2.query('staff.doctorConsultations', { staffId: env.doctor2.id, limit: 100 });
    expect(res.status).toBe(200);
    const ids = res.data.items.map((i: { id: number }) => i.id);
    expect(ids).toContain(theirs.data.id);
    expect(ids).not.toContain(mine.data.id);
    expect(res.data.items.every((i: { doctorId: number }) => i.doctorId === env.doctor2.id)).toBe(true);
  });
});
