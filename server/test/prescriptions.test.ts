/**
 * What is particular to prescriptions and their drug lines (allergies, dispensing, states, the queue); the rules every
 * clinical record shares are in clinical-records.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents, prescriptionDrugs } from '../src/db/schema';
import { drugInput, HOUR, loggedIn, patientInput, TrpcClient, uniqueName, type TestEnv } from './helpers';
import { clinicalWorld, drugLine as line, fieldPaths } from './clinical-kinds';

const w = clinicalWorld();
let env: TestEnv;
let records: TrpcClient, doctor: TrpcClient, doctor2: TrpcClient, nurse: TrpcClient, pharmacist: TrpcClient, admin: TrpcClient;
beforeAll(() => {
  ({
    env,
    trpc: { records, doctor, doctor2, nurse, pharmacist, admin },
  } = w);
});

const MINUTE = 60 * 1000;

async function newPatient(overrides: Record<string, unknown> = {}) {
  const res = await records.mutate('patients.create', patientInput(overrides));
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data as { id: number; allergies: string[] };
}

async function newConsultation(patientId: number, by: TrpcClient = doctor) {
  const res = await by.mutate('consultations.create', { patientId, provisionalDiagnosis: uniqueName('Malaria ') });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data as { id: number; patientId: number };
}

async function newDrug(overrides: Record<string, unknown> = {}) {
  const res = await pharmacist.mutate('drugs.create', drugInput(overrides));
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data as { id: number; name: string; stockOnHand: number };
}

/** A patient with a consultation by `by`, and nothing prescribed yet. */
async function newVisit(patientOverrides: Record<string, unknown> = {}, by: TrpcClient = doctor) {
  const patient = await newPatient(patientOverrides);
  const consultation = await newConsultation(patient.id, by);
  const ref = { patientId: patient.id, consultationId: consultation.id };
  return { patient, consultation, ref };
}

/** A visit with a pending prescription of one line (a fresh drug) written by `by`. */
async function newPrescription(by: TrpcClient = doctor) {
  const visit = await newVisit({}, by);
  const drug = await newDrug();
  const res = await by.mutate('prescriptions.create', { ...visit.ref, notes: uniqueName('notes '), lines: [line(drug.id)] });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return { ...visit, drug, prescription: res.data };
}

async function auditRows(entityType: 'drug_line' | 'prescription', entityId: number) {
  return env.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)));
}

describe('creating a prescription', () => {
  it('a doctor creates a pending prescription whose lines copy the drug name from the catalogue', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug({ name: uniqueName('Amoxicillin ') });
    const res = await doctor.mutate('prescriptions.create', { ...ref, notes: 'after meals', lines: [line(drug.id, { quantity: 21 })] });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      ...ref,
      status: 'pending',
      notes: 'after meals',
      dispensedBy: null,
      dispensedAt: null,
    });
    expect(res.data.lines).toHaveLength(1);
    expect(res.data.lines[0]).toMatchObject({
      drugId: drug.id,
      drugName: drug.name,
      quantity: 21,
      dose: '1 tablet',
      allergyOverrideReason: null,
    });
  });

  it('refuses a second prescription for the same consultation with 409 DUPLICATE', async () => {
    const { ref } = await newPrescription();
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('DUPLICATE');
    expect(fieldPaths(res)).toContain('consultationId');
  });

  it('the doctor prescribing twice at once for the same consultation (two tabs): one succeeds, the other gets 409 DUPLICATE', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    const secondTab = await loggedIn(env, 'doctor');
    const results = await Promise.all([doctor, secondTab].map((c) => c.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.error?.code).toBe('DUPLICATE');
    const got = await doctor.query('prescriptions.get', ref);
    expect(got.data.id).toBe(results.find((r) => r.status === 200)?.data.id);
  });

  it('refuses a consultation that belongs to another patient with 404 and writes nothing', async () => {
    const a = await newVisit();
    const b = await newVisit();
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.create', {
      patientId: a.patient.id,
      consultationId: b.consultation.id,
      lines: [line(drug.id)],
    });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
    expect((await doctor.query('prescriptions.get', b.ref)).status).toBe(404);
    expect((await doctor.query('prescriptions.get', a.ref)).status).toBe(404);
  });

  it('refuses an unknown drug with 404 naming lines.0.drugId and writes nothing', async () => {
    const { ref } = await newVisit();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(987_654_321)] });
    expect(res.status).toBe(404);
    expect(fieldPaths(res)).toContain('lines.0.drugId');
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(404);
  });

  it('names the failing line when the second line has an unknown drug', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id), line(987_654_322)] });
    expect(res.status).toBe(404);
    expect(fieldPaths(res)).toEqual(['lines.1.drugId']);
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(404);
  });

  it('refuses a quantity of 0 with 400 naming lines.0.quantity', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id, { quantity: 0 })] });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toContain('lines.0.quantity');
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(404);
  });

  it('refuses a line without a dose with 400 naming lines.0.dose', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    const { dose: _dose, ...withoutDose } = line(drug.id);
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [withoutDose] });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('lines.0.dose');
  });

  it('refuses a blank dose with 400 naming lines.0.dose', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id, { dose: '   ' })] });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('lines.0.dose');
  });

  it('keeps the drug name as prescribed when the catalogue entry is renamed later', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    const renamed = await pharmacist.mutate('drugs.update', { id: drug.id, version: 1, name: uniqueName('Renamed ') });
    expect(renamed.status).toBe(200);
    const got = await doctor.query('prescriptions.get', ref);
    expect(got.data.lines[0].drugName).toBe(drug.name);
  });
});

describe('allergies', () => {
  it('refuses a drug matching a recorded allergy without a reason: 409 naming allergyOverrideReason, nothing written', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await newDrug({ name: uniqueName('Penicillin V ') });
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(fieldPaths(res)).toContain('lines.0.allergyOverrideReason');
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(404);
  });

  it('prescribes a drug matching an allergy when a reason is given, keeping the reason on the line and in the audit trail', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await newDrug({ name: uniqueName('Penicillin V ') });
    const reason = uniqueName('Only a mild rash in childhood; benefit outweighs risk ');
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id, { allergyOverrideReason: reason })] });
    expect(res.status).toBe(200);
    const created = res.data.lines[0];
    expect(created.allergyOverrideReason).toBe(reason);
    expect((await doctor.query('prescriptions.get', ref)).data.lines[0].allergyOverrideReason).toBe(reason);
    const events = await auditRows('drug_line', created.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'create', actorId: env.staff.doctor.id, patientId: ref.patientId });
    expect(events[0]!.detail).toContain(reason);
  });

  it('matches allergies regardless of case', async () => {
    const { ref } = await newVisit({ allergies: ['PeNiCiLLiN'] });
    const drug = await newDrug({ name: uniqueName('penicillin v ') });
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
  });

  it('matches an allergy contained in the generic name', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await newDrug({ name: uniqueName('Brandex '), genericName: 'Phenoxymethylpenicillin' });
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
  });

  it('needs no reason for a drug matching no allergy and stores none even if one is given', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await newDrug({ name: uniqueName('Paracetamol '), genericName: 'acetaminophen' });
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id, { allergyOverrideReason: 'not needed' })] });
    expect(res.status).toBe(200);
    expect(res.data.lines[0].allergyOverrideReason).toBeNull();
    const events = await auditRows('drug_line', res.data.lines[0].id);
    expect(events[0]!.detail).toBeNull();
  });

  it('checks a line added later against the allergies too', async () => {
    const { ref } = await newPrescription().then(async (p) => {
      // The prescription was written before the allergy was known; the allergy is then recorded.
      const patient = await records.query('patients.get', { id: p.patient.id });
      const updated = await records.mutate('patients.update', {
        id: p.patient.id,
        version: patient.data.version,
        allergies: ['sulfonamide'],
      });
      expect(updated.status, JSON.stringify(updated.error)).toBe(200);
      return p;
    });
    const drug = await newDrug({ name: uniqueName('Sulfonamide combo ') });
    const res = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(fieldPaths(res)).toContain('allergyOverrideReason');
    expect((await doctor.query('prescriptions.get', ref)).data.lines).toHaveLength(1);
  });

  it('checks a line switched to an allergy-matching drug', async () => {
    const { ref, prescription } = await newPrescription().then(async (p) => {
      const patient = await records.query('patients.get', { id: p.patient.id });
      await records.mutate('patients.update', { id: p.patient.id, version: patient.data.version, allergies: ['aspirin'] });
      return p;
    });
    const aspirin = await newDrug({ name: uniqueName('Aspirin ') });
    const target = prescription.lines[0];
    const res = await doctor.mutate('prescriptions.updateLine', { ...ref, id: target.id, version: target.version, drugId: aspirin.id });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect((await doctor.query('prescriptions.get', ref)).data.lines[0].drugId).toBe(target.drugId);
  });
});

describe('what an allergy override reason covers (a reason stands for the drug and the allergies it was given for)', () => {
  const amoxicillin = () => newDrug({ name: uniqueName('Amoxicillin '), atcCodes: ['J01CA04'] });
  const cotrimoxazole = () => newDrug({ name: uniqueName('Co-trimoxazole '), atcCodes: ['J01EE01'] });
  type Ref = { patientId: number; consultationId: number };
  /** The doctor changes a drug line (at the version given). */
  const changeLine = (ref: Ref, line: { id: number; version: number }, change: Record<string, unknown>) =>
    doctor.mutate('prescriptions.updateLine', { ...ref, id: line.id, version: line.version, ...change });
  /** The record officer records the patient's allergies as they now are. */
  async function recordAllergies(patientId: number, allergies: string[]) {
    const p = (await records.query('patients.get', { id: patientId })).data;
    const updated = await records.mutate('patients.update', { id: patientId, version: p.version, allergies });
    expect(updated.status, JSON.stringify(updated.error)).toBe(200);
  }

  it('switching a line with a penicillin override to a sulfonamide needs a new reason: 409 naming the new allergy, nothing written', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin', 'sulfonamide'] });
    const amox = await amoxicillin();
    const reason = uniqueName('Rash only, tolerated in 2024 ');
    const created = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(amox.id, { allergyOverrideReason: reason })] });
    expect(created.status, JSON.stringify(created.error)).toBe(200);
    const target = created.data.lines[0];
    expect(target.allergyOverrideFor).toEqual(['penicillin']);

    const cotrim = await cotrimoxazole();
    const res = await changeLine(ref, target, { drugId: cotrim.id });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(res.error?.message).toBe(
      `${cotrim.name} is a sulfonamide; the patient is recorded as allergic to sulfonamide. Give a reason for prescribing it anyway.`,
    );
    expect(res.error?.fields).toEqual([
      { path: 'allergyOverrideReason', message: 'Give a reason for overriding the allergy to sulfonamide' },
    ]);
    const [kept] = (await doctor.query('prescriptions.get', ref)).data.lines;
    expect(kept).toMatchObject({
      drugId: amox.id,
      allergyOverrideReason: reason,
      allergyOverrideFor: ['penicillin'],
      version: target.version,
    });

    const newReason = uniqueName('Sulfa allergy doubtful, culture-guided ');
    const ok = await changeLine(ref, target, { drugId: cotrim.id, allergyOverrideReason: newReason });
    expect(ok.status, JSON.stringify(ok.error)).toBe(200);
    expect(ok.data).toMatchObject({ drugId: cotrim.id, allergyOverrideReason: newReason, allergyOverrideFor: ['sulfonamide'] });
    const events = await auditRows('drug_line', target.id);
    expect(events.find((e) => e.action === 'update')?.detail).toBe(`allergy override (sulfonamide; class: sulfonamide): ${newReason}`);
  });

  it('a drug matching two allergies names both; one reason covers both', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin', 'amoxicillin'] });
    const amox = await amoxicillin();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(amox.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.message).toBe(
      `${amox.name} is a penicillin; the patient is recorded as allergic to penicillin. ${amox.name} matches the patient's recorded allergy to amoxicillin. Give a reason for prescribing it anyway.`,
    );
    expect(res.error?.fields?.[0]?.message).toBe('Give a reason for overriding the allergy to penicillin and amoxicillin');
    const ok = await doctor.mutate('prescriptions.create', {
      ...ref,
      lines: [line(amox.id, { allergyOverrideReason: 'Desensitised 2025' })],
    });
    expect(ok.status, JSON.stringify(ok.error)).toBe(200);
    expect(ok.data.lines[0].allergyOverrideFor).toEqual(['penicillin', 'amoxicillin']);
  });

  it('the same reason sent again with a change keeps covering its allergy, but not one recorded since: that needs a new reason', async () => {
    const { ref, patient } = await newVisit({ allergies: ['penicillin'] });
    const amox = await amoxicillin();
    const reason = uniqueName('Rash only ');
    const created = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(amox.id, { allergyOverrideReason: reason })] });
    let target = created.data.lines[0];

    // The reason taken away, the allergy still matching: refused, as a line without one always was.
    const cleared = await changeLine(ref, target, { dose: '2 tablets', allergyOverrideReason: null });
    expect(cleared.status).toBe(409);
    expect(cleared.error?.fields?.[0]?.message).toBe('Give a reason for overriding the allergy to penicillin');

    // A form sends the whole line: the reason again, unchanged, with a new dose.
    const dose = await changeLine(ref, target, { dose: '2 tablets', allergyOverrideReason: reason });
    expect(dose.status, JSON.stringify(dose.error)).toBe(200);
    expect(dose.data).toMatchObject({ dose: '2 tablets', allergyOverrideReason: reason, allergyOverrideFor: ['penicillin'] });
    target = dose.data;

    // An allergy the drug also matches is recorded afterwards.
    await recordAllergies(patient.id, ['penicillin', 'amoxicillin']);
    for (const change of [{ dose: '3 tablets' }, { dose: '3 tablets', allergyOverrideReason: reason }]) {
      const res = await changeLine(ref, target, change);
      expect(res.status).toBe(409);
      expect(res.error?.message).toBe(
        `${amox.name} matches the patient's recorded allergy to amoxicillin. The reason given before was for penicillin. Give a reason for prescribing it anyway.`,
      );
      expect(res.error?.fields?.[0]?.message).toBe('Give a reason for overriding the allergy to amoxicillin');
    }
    const ok = await changeLine(ref, target, {
      dose: '3 tablets',
      allergyOverrideReason: `${reason}; amoxicillin allergy is the same rash`,
    });
    expect(ok.status, JSON.stringify(ok.error)).toBe(200);
    expect(ok.data.allergyOverrideFor).toEqual(['penicillin', 'amoxicillin']);
  });

  it('a line written before the covered allergies were kept: its reason covers the allergies recorded by then, not one recorded since', async () => {
    const { ref, patient } = await newVisit({ allergies: ['penicillin'] });
    const amox = await amoxicillin();
    const created = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(amox.id, { allergyOverrideReason: 'Rash only' })] });
    const target = created.data.lines[0];
    // As migration 0010 left lines written before it.
    await env.database.db.update(prescriptionDrugs).set({ allergyOverrideFor: null }).where(eq(prescriptionDrugs.id, target.id));
    const dose = await changeLine(ref, target, { dose: '2 tablets' });
    expect(dose.status, JSON.stringify(dose.error)).toBe(200);
    expect(dose.data.allergyOverrideFor).toEqual(['penicillin']);

    await env.database.db.update(prescriptionDrugs).set({ allergyOverrideFor: null }).where(eq(prescriptionDrugs.id, target.id));
    await recordAllergies(patient.id, ['penicillin', 'amoxicillin']);
    const res = await changeLine(ref, dose.data, { dose: '3 tablets' });
    expect(res.status).toBe(409);
    expect(res.error?.fields?.[0]?.message).toBe('Give a reason for overriding the allergy to amoxicillin');
  });
});

describe('allergies by class (ATC codes and the shipped class table)', () => {
  /** A drug whose names say nothing of its class: only its ATC code can match a class allergy. */
  const classified = (atcCodes: string[]) => newDrug({ name: uniqueName('Brandex '), genericName: null, brand: null, atcCodes });

  it('a penicillin-allergic patient prescribed amoxicillin (J01CA04): 409 naming the class, nothing written', async () => {
    const { ref } = await newVisit({ allergies: ['latex', 'penicillin'] });
    const drug = await classified(['J01CA04']);
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(res.error?.message).toBe(
      `${drug.name} is a penicillin; the patient is recorded as allergic to penicillin. Give a reason for prescribing it anyway.`,
    );
    expect(fieldPaths(res)).toEqual(['lines.0.allergyOverrideReason']);
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(404);
  });

  it('with a reason it is prescribed, the reason kept on the line and in the audit with the class', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await classified(['J01CR02']);
    const reason = uniqueName('Sensitivity-guided; allergy doubtful ');
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id, { allergyOverrideReason: reason })] });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data.lines[0].allergyOverrideReason).toBe(reason);
    const [event] = await auditRows('drug_line', res.data.lines[0].id);
    expect(event!.detail).toBe(`allergy override (penicillin; class: penicillin): ${reason}`);
  });

  it('a cephalosporin for a penicillin-allergic patient is a cross-reactivity warning that needs a reason too', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await classified(['J01DD04']);
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(res.error?.message).toMatch(new RegExp(`^Cross-reactivity warning: ${drug.name} is a cephalosporin`));
    const ok = await doctor.mutate('prescriptions.create', {
      ...ref,
      lines: [line(drug.id, { allergyOverrideReason: 'Tolerated ceftriaxone in 2025' })],
    });
    expect(ok.status).toBe(200);
    const [event] = await auditRows('drug_line', ok.data.lines[0].id);
    expect(event!.detail).toBe('allergy override (penicillin; cross-reactivity: cephalosporin): Tolerated ceftriaxone in 2025');
  });

  it('an NSAID for a patient allergic to aspirin, and co-trimoxazole for one allergic to sulfa, need a reason', async () => {
    for (const [allergy, code] of [
      ['aspirin', 'M01AE01'],
      ['sulfa drugs', 'J01EE01'],
    ] as const) {
      const { ref } = await newVisit({ allergies: [allergy] });
      const drug = await classified([code]);
      const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
      expect(res.status, `${allergy} / ${code}`).toBe(409);
      expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    }
  });

  it('a drug of another class needs no reason (penicillin allergy, paracetamol N02BE01)', async () => {
    const { ref } = await newVisit({ allergies: ['penicillin'] });
    const drug = await classified(['N02BE01']);
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data.lines[0].allergyOverrideReason).toBeNull();
  });

  it('a line switched to a drug given its ATC code later is checked by class', async () => {
    const { ref } = await newVisit({ allergies: ['PCN'] });
    const drug = await classified([]);
    expect((await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] })).status).toBe(200);
    const coded = await pharmacist.mutate('drugs.update', { id: drug.id, version: 1, atcCodes: ['J01CA04'] });
    expect(coded.status, JSON.stringify(coded.error)).toBe(200);
    const res = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
  });
});

describe('whose consultation a prescription may be written on, and until when (issue 11, finding 9; decision 016)', () => {
  it("refuses another doctor's consultation with 403 and writes nothing", async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    const res = await doctor2.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(403);
    expect(res.error?.message).toMatch(/Only the doctor who held this consultation/);
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(404);
  });

  it('refuses a locked consultation (older than 24 hours) with 409 LOCKED, even for its own doctor', async () => {
    const { ref } = await newVisit();
    const drug = await newDrug();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect(res.error?.message).toMatch(/Start a new consultation/);
  });
});

describe('duplicate therapy', () => {
  it('warns (without refusing) when two lines share an ATC level-4 group, for the prescriber and the pharmacy queue', async () => {
    const { ref } = await newVisit();
    const ibuprofen = await newDrug({ name: uniqueName('Ibuprofen'), atcCodes: ['M01AE01'] });
    const naproxen = await newDrug({ name: uniqueName('Naproxen'), atcCodes: ['M01AE02'] });
    const paracetamol = await newDrug({ name: uniqueName('Paracetamol'), atcCodes: ['N02BE01'] });
    const res = await doctor.mutate('prescriptions.create', {
      ...ref,
      lines: [line(ibuprofen.id), line(paracetamol.id), line(naproxen.id)],
    });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    const [first, , third] = res.data.lines as { id: number }[];
    expect(res.data.duplicateTherapy).toEqual([
      {
        group: 'M01AE',
        lineIds: [first!.id, third!.id],
        message: `Duplicate therapy: ${ibuprofen.name} and ${naproxen.name} are in the same drug group (ATC M01AE). Check that both are intended.`,
      },
    ]);
    expect((await pharmacist.query('prescriptions.get', ref)).data.duplicateTherapy).toHaveLength(1);
    const single = await newVisit();
    const one = await doctor.mutate('prescriptions.create', { ...single.ref, lines: [line(ibuprofen.id), line(paracetamol.id)] });
    expect(one.data.duplicateTherapy).toEqual([]);
  });
});

describe('changing the lines', () => {
  it('an added line copies the drug name from the catalogue and joins the prescription', async () => {
    const { ref } = await newPrescription();
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id, { quantity: 7 }) });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ drugId: drug.id, drugName: drug.name, quantity: 7 });
    const got = await doctor.query('prescriptions.get', ref);
    expect(got.data.lines.map((l: { id: number }) => l.id)).toContain(res.data.id);
    expect(got.data.lines).toHaveLength(2);
  });

  it('the author switches a line to another drug and the new drug name is copied', async () => {
    const { ref, prescription } = await newPrescription();
    const other = await newDrug();
    const target = prescription.lines[0];
    const res = await doctor.mutate('prescriptions.updateLine', { ...ref, id: target.id, version: target.version, drugId: other.id });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ drugId: other.id, drugName: other.name });
  });

  it('another doctor cannot add a line (403)', async () => {
    const { ref } = await newPrescription();
    const drug = await newDrug();
    const res = await doctor2.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect((await doctor.query('prescriptions.get', ref)).data.lines).toHaveLength(1);
  });

  it('refuses to update or delete a line of another prescription through this one (404)', async () => {
    const mine = await newPrescription();
    const other = await newPrescription();
    const foreign = other.prescription.lines[0];
    const upd = await doctor.mutate('prescriptions.updateLine', { ...mine.ref, id: foreign.id, version: foreign.version, quantity: 1 });
    expect(upd.status).toBe(404);
    const del = await doctor.mutate('prescriptions.deleteLine', { ...mine.ref, id: foreign.id });
    expect(del.status).toBe(404);
    expect((await doctor.query('prescriptions.get', other.ref)).data.lines).toEqual(other.prescription.lines);
  });
});

describe('the prescription itself', () => {
  it('refuses a status other than cancelled with 400', async () => {
    const { ref, prescription } = await newPrescription();
    const res = await doctor.mutate('prescriptions.update', { ...ref, version: prescription.version, status: 'dispensed' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('status');
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('pending');
  });

  it('a cancelled prescription cannot be dispensed', async () => {
    const { ref, prescription, drug } = await newPrescription();
    const cancelled = await doctor.mutate('prescriptions.update', { ...ref, version: prescription.version, status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.status).toBe('cancelled');
    const res = await pharmacist.mutate('prescriptions.dispense', ref);
    expect(res.status).toBe(409);
    expect((await pharmacist.query('drugs.get', { id: drug.id })).data.stockOnHand).toBe(drug.stockOnHand);
    expect((await doctor.query('prescriptions.get', ref)).data).toMatchObject({ status: 'cancelled', dispensedBy: null });
  });

  it('a cancelled prescription is locked against further edits (409 LOCKED)', async () => {
    const { ref, prescription } = await newPrescription();
    const cancelled = await doctor.mutate('prescriptions.update', { ...ref, version: prescription.version, status: 'cancelled' });
    const drug = await newDrug();
    const update = await doctor.mutate('prescriptions.update', { ...ref, version: cancelled.data.version, notes: 'changed my mind' });
    const add = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    const target = prescription.lines[0];
    const updLine = await doctor.mutate('prescriptions.updateLine', { ...ref, id: target.id, version: target.version, quantity: 1 });
    const delLine = await doctor.mutate('prescriptions.deleteLine', { ...ref, id: target.id });
    for (const res of [update, add, updLine, delLine]) {
      expect(res.status).toBe(409);
      expect(res.error?.code).toBe('LOCKED');
    }
  });

  it('deleting it answers with the consultation and takes its lines with it; their creation stays in the audit trail', async () => {
    const { ref, prescription } = await newPrescription();
    const res = await doctor.mutate('prescriptions.delete', ref);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: ref.consultationId, deleted: true });
    expect(await env.database.db.select().from(prescriptionDrugs).where(eq(prescriptionDrugs.prescriptionId, prescription.id))).toEqual([]);
    expect((await auditRows('drug_line', prescription.lines[0].id)).map((r) => r.action)).toEqual(['create']);
  });

  it('after deleting it the consultation can be prescribed for again', async () => {
    const { ref } = await newPrescription();
    await doctor.mutate('prescriptions.delete', ref);
    const drug = await newDrug();
    const res = await doctor.mutate('prescriptions.create', { ...ref, lines: [line(drug.id)] });
    expect(res.status).toBe(200);
  });

  it('get is a 404 when the consultation has no prescription', async () => {
    const { ref } = await newVisit();
    const res = await doctor.query('prescriptions.get', ref);
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });
});

describe('the 24-hour edit window', () => {
  it('the author can still add a line 23 hours after writing it', async () => {
    const { ref } = await newPrescription();
    env.clock.advance(23 * HOUR);
    const drug = await newDrug();
    const add = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    expect(add.status).toBe(200);
    expect((await doctor.query('prescriptions.get', ref)).data.lines).toHaveLength(2);
  });

  it('after 24 hours and a minute adding a line is 409 LOCKED', async () => {
    const { ref } = await newPrescription();
    const drug = await newDrug();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await doctor.query('prescriptions.get', ref)).data.lines).toHaveLength(1);
  });

  it('a line added late in the window is locked together with its prescription after 24 hours', async () => {
    const { ref } = await newPrescription();
    env.clock.advance(23 * HOUR);
    const drug = await newDrug();
    const late = await doctor.mutate('prescriptions.addLine', { ...ref, ...line(drug.id) });
    expect(late.status).toBe(200);
    // It says so: its editableUntil is the prescription's, in every answer that carries it.
    const head = (await doctor.query('prescriptions.get', ref)).data;
    expect(late.data.editableUntil).toBe(head.editableUntil);
    expect(head.lines.map((l: { editableUntil: string }) => l.editableUntil)).toEqual([head.editableUntil, head.editableUntil]);
    const edited = await doctor.mutate('prescriptions.updateLine', { ...ref, id: late.data.id, version: late.data.version, quantity: 11 });
    expect(edited.data.editableUntil).toBe(head.editableUntil);
    env.clock.advance(HOUR + MINUTE);
    const upd = await doctor.mutate('prescriptions.updateLine', { ...ref, id: late.data.id, version: edited.data.version, quantity: 99 });
    expect(upd.status).toBe(409);
    expect(upd.error?.code).toBe('LOCKED');
    const del = await doctor.mutate('prescriptions.deleteLine', { ...ref, id: late.data.id });
    expect(del.status).toBe(409);
    expect(del.error?.code).toBe('LOCKED');
    expect((await doctor.query('prescriptions.get', ref)).data.lines.map((l: { quantity: number }) => l.quantity)).toEqual([10, 11]);
  });

  it('after 24 hours a pharmacist can still dispense it', async () => {
    const { ref } = await newPrescription();
    env.clock.advance(24 * HOUR + MINUTE);
    const res = await pharmacist.mutate('prescriptions.dispense', ref);
    expect(res.status).toBe(200);
    expect(res.data.status).toBe('dispensed');
  });
});

describe('the pharmacy queue', () => {
  it('a record officer and an admin get 403; an anonymous caller 401', async () => {
    expect((await records.query('prescriptions.queue', {})).status).toBe(403);
    expect((await admin.query('prescriptions.queue', {})).status).toBe(403);
    expect((await new TrpcClient(env.app).query('prescriptions.queue', {})).status).toBe(401);
  });

  type Page = { items: { id: number; status: string }[]; nextCursor: string | null };

  async function wholeQueue(status?: string, limit = 2) {
    const ids: number[] = [];
    const pages: Page[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 500; i++) {
      const res = await pharmacist.query<Page>('prescriptions.queue', {
        limit,
        ...(status ? { status } : {}),
        ...(cursor ? { cursor } : {}),
      });
      expect(res.status, JSON.stringify(res.error)).toBe(200);
      pages.push(res.data);
      ids.push(...res.data.items.map((p) => p.id));
      if (!res.data.nextCursor) break;
      cursor = res.data.nextCursor;
    }
    return { ids, pages };
  }

  it('lists pending prescriptions oldest first, page by page', async () => {
    const a = await newPrescription();
    const b = await newPrescription();
    const c = await newPrescription();
    const { ids, pages } = await wholeQueue();
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages.slice(0, -1)) {
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toEqual(expect.any(String));
    }
    expect(pages.at(-1)!.nextCursor).toBeNull();
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    const mine = ids.filter((id) => [a, b, c].some((p) => p.prescription.id === id));
    expect(mine).toEqual([a.prescription.id, b.prescription.id, c.prescription.id]);
    for (const page of pages) for (const p of page.items) expect(p.status).toBe('pending');
  });

  it('a dispensed prescription leaves the pending queue and appears among the dispensed', async () => {
    const { ref, prescription } = await newPrescription();
    expect((await wholeQueue()).ids).toContain(prescription.id);
    expect((await pharmacist.mutate('prescriptions.dispense', ref)).status).toBe(200);
    expect((await wholeQueue()).ids).not.toContain(prescription.id);
    const dispensed = await wholeQueue('dispensed', 50);
    expect(dispensed.ids).toContain(prescription.id);
    for (const page of dispensed.pages) for (const p of page.items) expect(p.status).toBe('dispensed');
  });

  it('a cancelled prescription leaves the pending queue', async () => {
    const { ref, prescription } = await newPrescription();
    await doctor.mutate('prescriptions.update', { ...ref, version: prescription.version, status: 'cancelled' });
    expect((await wholeQueue(undefined, 50)).ids).not.toContain(prescription.id);
    expect((await wholeQueue('cancelled', 50)).ids).toContain(prescription.id);
  });

  it('includes the lines of each queued prescription', async () => {
    const { prescription } = await newPrescription();
    const { pages } = await wholeQueue(undefined, 100);
    const found = pages.flatMap((p) => p.items).find((p) => p.id === prescription.id) as { lines: unknown[] } | undefined;
    expect(found?.lines).toEqual(prescription.lines);
  });

  it('refuses a cursor it did not make with 400 naming cursor', async () => {
    const res = await pharmacist.query('prescriptions.queue', { cursor: 'not-a-cursor' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('cursor');
  });

  it('refuses a page size above the cap with 400 naming limit', async () => {
    const res = await pharmacist.query('prescriptions.queue', { limit: 1000 });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('limit');
  });
});

describe("a patient's prescriptions across consultations", () => {
  type Rx = {
    id: number;
    patientId: number;
    consultationId: number;
    status: string;
    lines: { drugId: number; drugName: string }[];
    prescriberName: string;
  };
  type RxPage = { items: Rx[]; nextCursor: string | null };

  /** A patient with three consultations, each with a one-line prescription: pending, dispensed, cancelled (oldest first). */
  async function patientWithHistory() {
    const patient = await newPatient();
    const drug = await newDrug({ stockOnHand: 1000 });
    const made: Rx[] = [];
    for (const i of [0, 1, 2]) {
      const c = await newConsultation(patient.id);
      const res = await doctor.mutate<Rx>('prescriptions.create', {
        patientId: patient.id,
        consultationId: c.id,
        lines: [line(drug.id, { quantity: i + 1 })],
      });
      expect(res.status).toBe(200);
      made.push(res.data);
    }
    const ref = (rx: Rx) => ({ patientId: patient.id, consultationId: rx.consultationId });
    expect((await pharmacist.mutate('prescriptions.dispense', ref(made[1]!))).status).toBe(200);
    expect((await doctor.mutate('prescriptions.update', { ...ref(made[2]!), version: 1, status: 'cancelled' })).status).toBe(200);
    return { patient, drug, made };
  }

  it('lists them newest first, with their lines and status', async () => {
    const { patient, drug, made } = await patientWithHistory();
    const res = await doctor.query<RxPage>('prescriptions.listForPatient', { patientId: patient.id });
    expect(res.status).toBe(200);
    expect(res.data.items.map((p) => [p.id, p.status])).toEqual([
      [made[2]!.id, 'cancelled'],
      [made[1]!.id, 'dispensed'],
      [made[0]!.id, 'pending'],
    ]);
    expect(res.data.items.every((p) => p.patientId === patient.id && p.lines.length === 1 && p.lines[0]!.drugId === drug.id)).toBe(true);
    expect(res.data.items[0]!.prescriberName).toBe(env.staff.doctor.name);
    expect(res.data.nextCursor).toBeNull();
  });

  it('only this patient’s prescriptions', async () => {
    const { patient } = await patientWithHistory();
    const other = await newPrescription();
    const res = await doctor.query<RxPage>('prescriptions.listForPatient', { patientId: patient.id, limit: 100 });
    expect(res.data.items.map((p) => p.id)).not.toContain(other.prescription.id);
    expect(res.data.items).toHaveLength(3);
  });

  it('pages with nextCursor, each prescription once', async () => {
    const { patient, made } = await patientWithHistory();
    const first = await nurse.query<RxPage>('prescriptions.listForPatient', { patientId: patient.id, limit: 2 });
    const second = await nurse.query<RxPage>('prescriptions.listForPatient', {
      patientId: patient.id,
      limit: 2,
      cursor: first.data.nextCursor,
    });
    expect([...first.data.items, ...second.data.items].map((p) => p.id)).toEqual(made.map((p) => p.id).reverse());
    expect(second.data.nextCursor).toBeNull();
  });

  it('filters by status', async () => {
    const { patient, made } = await patientWithHistory();
    const pending = await pharmacist.query<RxPage>('prescriptions.listForPatient', { patientId: patient.id, status: 'pending' });
    expect(pending.data.items.map((p) => p.id)).toEqual([made[0]!.id]);
  });

  it('an empty list for a patient with no prescriptions', async () => {
    const patient = await newPatient();
    const res = await doctor.query<RxPage>('prescriptions.listForPatient', { patientId: patient.id });
    expect(res.data).toEqual({ items: [], nextCursor: null });
  });

  it('is audited as a view of the patient’s record by the reader', async () => {
    const { patient } = await patientWithHistory();
    expect((await nurse.query('prescriptions.listForPatient', { patientId: patient.id })).status).toBe(200);
    const views = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'view'), eq(auditEvents.entityType, 'prescription')));
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ actorId: env.staff.nurse.id, entityId: null });
  });

  it('an unknown patient is a 404 and is not audited', async () => {
    const res = await doctor.query('prescriptions.listForPatient', { patientId: 987_654_321 });
    expect(res.status).toBe(404);
    const views = await env.database.db.select().from(auditEvents).where(eq(auditEvents.patientId, 987_654_321));
    expect(views).toHaveLength(0);
  });

  it('bad input is a 400 naming the field', async () => {
    expect(fieldPaths(await doctor.query('prescriptions.listForPatient', {}))).toContain('patientId');
    expect(fieldPaths(await doctor.query('prescriptions.listForPatient', { patientId: 1, status: 'lost' }))).toContain('status');
    expect(fieldPaths(await doctor.query('prescriptions.listForPatient', { patientId: 1, limit: 101 }))).toContain('limit');
  });

  it('a record officer and an admin get 403; an anonymous caller 401', async () => {
    const patient = await newPatient();
    expect((await records.query('prescriptions.listForPatient', { patientId: patient.id })).status).toBe(403);
    expect((await admin.query('prescriptions.listForPatient', { patientId: patient.id })).status).toBe(403);
    expect((await new TrpcClient(env.app).query('prescriptions.listForPatient', { patientId: patient.id })).status).toBe(401);
  });
});
