/**
 * Structured allergies (issue 10, decision 015): coded substance, reaction, severity and who recorded each; free text
 * recorded before stays free text until coded; the prescribing check reads both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { AllergyRecord, Patient } from '@hmis/shared';
import { auditEvents, patients } from '../src/db/schema';
import { createTestEnv, drugInput, loggedIn, patientInput, TrpcClient, uniqueName, type CallResult, type TestEnv } from './helpers';

let env: TestEnv;
let records: TrpcClient;
let doctor: TrpcClient;
let nurse: TrpcClient;
let pharmacist: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [records, doctor, nurse, pharmacist] = await Promise.all([
    loggedIn(env, 'records'),
    loggedIn(env, 'doctor'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'pharmacist'),
  ]);
});
afterAll(async () => env?.close());

const fieldPaths = (res: CallResult) => res.error?.fields?.map((f) => f.path) ?? [];
const PENICILLINS = { kind: 'class', code: 'penicillins', substance: 'Penicillins', reaction: 'Urticaria', severity: 'moderate' };

async function register(allergies: unknown[] = []): Promise<Patient> {
  const res = await records.mutate<Patient>('patients.create', patientInput({ allergies }));
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data;
}

async function prescribe(patientId: number, drugId: number, extra: Record<string, unknown> = {}) {
  const consultation = await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: uniqueName('Dx ') });
  return doctor.mutate('prescriptions.create', {
    patientId,
    consultationId: consultation.data.id,
    lines: [{ drugId, dose: '1 tablet', frequency: 'tds', duration: '5 days', route: 'oral', quantity: 15, ...extra }],
  });
}

describe('recording allergies', () => {
  it('free text given at registration is a text allergy recorded by the record officer, now', async () => {
    const p = await register(['Peanuts']);
    expect(p.allergies).toEqual(['Peanuts']);
    expect(p.allergyRecords).toEqual([
      {
        kind: 'text',
        code: null,
        substance: 'Peanuts',
        reaction: null,
        severity: 'unknown',
        recordedBy: env.staff.recordofficer.id,
        recordedByName: env.staff.recordofficer.name,
        recordedAt: expect.any(String),
      },
    ]);
  });

  it('a doctor codes a free-text allergy with reaction and severity; the record names the doctor and is audited in the same change', async () => {
    const p = await register(['penicillin']);
    const res = await doctor.mutate<Patient>('patients.setAllergies', { id: p.id, version: p.version, allergies: [PENICILLINS] });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data.version).toBe(p.version + 1);
    expect(res.data.allergies).toEqual(['Penicillins']);
    expect(res.data.allergyRecords).toEqual([
      { ...PENICILLINS, recordedBy: env.staff.doctor.id, recordedByName: env.staff.doctor.name, recordedAt: expect.any(String) },
    ]);
    const [event] = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'patient'), eq(auditEvents.entityId, p.id), eq(auditEvents.action, 'update')));
    expect(event).toMatchObject({ actorId: env.staff.doctor.id });
    expect((event!.after as { allergies: AllergyRecord[] }).allergies[0]).toMatchObject({ kind: 'class', code: 'penicillins' });
  });

  it('an allergy sent back unchanged keeps who recorded it; free text naming a coded allergy keeps it coded (clients that send names)', async () => {
    const p = await register();
    const coded = (await doctor.mutate<Patient>('patients.setAllergies', { id: p.id, version: p.version, allergies: [PENICILLINS] })).data;
    const again = await records.mutate<Patient>('patients.update', {
      id: p.id,
      version: coded.version,
      allergies: ['Penicillins', 'latex'],
    });
    expect(again.status, JSON.stringify(again.error)).toBe(200);
    expect(again.data.allergyRecords).toEqual([
      coded.allergyRecords[0],
      expect.objectContaining({ kind: 'text', substance: 'latex', recordedBy: env.staff.recordofficer.id }),
    ]);
  });

  it('free text recorded before allergies were structured reads as free text with no recorder, and is coded without loss', async () => {
    const p = await register();
    await env.database.db
      .update(patients)
      .set({ allergies: ['sulfa drugs', 'Egg'] })
      .where(eq(patients.id, p.id));
    const read = (await records.query<Patient>('patients.get', { id: p.id })).data;
    expect(read.allergies).toEqual(['sulfa drugs', 'Egg']);
    expect(read.allergyRecords.map((a) => [a.kind, a.substance, a.recordedBy])).toEqual([
      ['text', 'sulfa drugs', null],
      ['text', 'Egg', null],
    ]);
    const coded = await records.mutate<Patient>('patients.setAllergies', {
      id: p.id,
      version: read.version,
      allergies: [{ kind: 'class', code: 'sulfonamides', substance: 'Sulfonamides' }, 'Egg'],
    });
    expect(coded.data.allergyRecords.map((a) => [a.kind, a.substance, a.recordedBy])).toEqual([
      ['class', 'Sulfonamides', env.staff.recordofficer.id],
      ['text', 'Egg', null],
    ]);
  });

  it('refuses a nurse and a pharmacist (403), an unknown class (400 naming the code), and a stale version (409)', async () => {
    const p = await register();
    for (const client of [nurse, pharmacist]) {
      expect((await client.mutate('patients.setAllergies', { id: p.id, version: p.version, allergies: ['latex'] })).status).toBe(403);
    }
    const bad = await doctor.mutate('patients.setAllergies', {
      id: p.id,
      version: p.version,
      allergies: ['latex', { kind: 'class', code: 'opioids', substance: 'Opioids' }],
    });
    expect(bad.status).toBe(400);
    expect(fieldPaths(bad)).toEqual(['allergies.1.code']);
    expect(bad.error?.message).toMatch(/not an allergy class/);
    expect((await doctor.mutate('patients.setAllergies', { id: p.id, version: p.version + 5, allergies: [] })).status).toBe(409);
    expect((await records.query<Patient>('patients.get', { id: p.id })).data.allergyRecords).toEqual([]);
  });
});

describe('the prescribing check reads coded allergies', () => {
  it("a coded penicillin allergy needs an override for Amoxicillin (the issue's case); a coded sulfonamide allergy does not flag Ferrous sulfate", async () => {
    const amoxicillin = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Amoxicillin'), genericName: 'amoxicillin', atcCodes: ['J01CA04'] }),
      )
    ).data;
    const iron = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Ferrous sulfate'), genericName: 'ferrous sulfate', atcCodes: ['B03AA07'] }),
      )
    ).data;
    const p = await register([PENICILLINS, { kind: 'class', code: 'sulfonamides', substance: 'Sulfonamides' }]);
    const refused = await prescribe(p.id, amoxicillin.id);
    expect(refused.status).toBe(409);
    expect(refused.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(refused.error?.message).toMatch(/is a penicillin; the patient is recorded as allergic to Penicillins/);
    expect((await prescribe(p.id, amoxicillin.id, { allergyOverrideReason: 'Desensitised 2025' })).status).toBe(200);
    expect((await prescribe(p.id, iron.id)).status).toBe(200);
  });
});

describe('the allergy typeahead', () => {
  it('offers classes, formulary substances and non-drug allergens for what was typed', async () => {
    await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Amoxil'), genericName: 'amoxicillin', atcCodes: ['J01CA04'] }));
    const amox = (await records.query('patients.allergySubstances', { q: 'amox' })).data as { kind: string; code: string }[];
    expect(amox).toContainEqual(expect.objectContaining({ kind: 'substance', code: 'J01CA04', substance: 'Amoxicillin' }));
    const peni = (await doctor.query('patients.allergySubstances', { q: 'peni' })).data;
    expect(peni[0]).toMatchObject({ kind: 'class', code: 'penicillins', substance: 'Penicillins' });
    const lat = (await records.query('patients.allergySubstances', { q: 'lat' })).data;
    expect(lat).toContainEqual(expect.objectContaining({ kind: 'allergen', code: 'latex', substance: 'Latex' }));
    expect(fieldPaths(await records.query('patients.allergySubstances', { q: '' }))).toEqual(['q']);
  });
});
