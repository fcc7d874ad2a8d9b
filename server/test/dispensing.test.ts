import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditEvents } from '../src/db/schema';
import {
  createTestEnv,
  drugInput,
  loggedIn,
  PASSWORD,
  patientInput,
  TrpcClient,
  uniqueName,
  type CallResult,
  type TestEnv,
} from './helpers';

let env: TestEnv;
let records: TrpcClient;
let doctor: TrpcClient;
let nurse: TrpcClient;
let pharmacist: TrpcClient;
let admin: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [records, doctor, nurse, pharmacist, admin] = await Promise.all([
    loggedIn(env, 'records'),
    loggedIn(env, 'doctor'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'pharmacist'),
    loggedIn(env, 'admin'),
  ]);
});
afterAll(async () => env?.close());

type Drug = { id: number; name: string; stockOnHand: number; version: number };
type Line = { drugId: number; quantity: number };
type Ref = { patientId: number; consultationId: number };

async function newDrug(overrides: Record<string, unknown> = {}): Promise<Drug> {
  const res = await pharmacist.mutate('drugs.create', drugInput(overrides));
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data;
}

async function stockOf(drugId: number): Promise<number> {
  const res = await pharmacist.query('drugs.get', { id: drugId });
  expect(res.status).toBe(200);
  return res.data.stockOnHand;
}

/** A new patient, a consultation and a pending prescription with these lines. */
async function newPrescription(lines: Line[]) {
  const patient = await records.mutate('patients.create', patientInput());
  expect(patient.status, JSON.stringify(patient.error)).toBe(200);
  const consultation = await doctor.mutate('consultations.create', { patientId: patient.data.id, provisionalDiagnosis: uniqueName('Dx ') });
  expect(consultation.status, JSON.stringify(consultation.error)).toBe(200);
  const ref: Ref = { patientId: patient.data.id, consultationId: consultation.data.id };
  const res = await doctor.mutate('prescriptions.create', {
    ...ref,
    lines: lines.map((l) => ({ dose: '1 tablet', frequency: 'daily', duration: '7 days', route: 'oral', ...l })),
  });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return { ref, prescription: res.data };
}

function dispense(client: TrpcClient, ref: Ref, extra: Record<string, unknown> = {}) {
  return client.mutate('prescriptions.dispense', { ...ref, ...extra });
}

describe('dispensing', () => {
  it('a pharmacist dispenses a pending prescription: status dispensed, by whom and when', async () => {
    const drug = await newDrug({ stockOnHand: 50 });
    const { ref, prescription } = await newPrescription([{ drugId: drug.id, quantity: 12 }]);
    const before = env.clock.now().getTime();
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      id: prescription.id,
      status: 'dispensed',
      dispensedBy: env.staff.pharmacist.id,
      prescriberId: env.staff.doctor.id,
      version: prescription.version + 1,
    });
    const at = Date.parse(res.data.dispensedAt);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(env.clock.now().getTime() + 1000);
    expect((await doctor.query('prescriptions.get', ref)).data).toMatchObject({
      status: 'dispensed',
      dispensedBy: env.staff.pharmacist.id,
    });
  });

  it("takes every line's quantity from that drug's stock", async () => {
    const a = await newDrug({ stockOnHand: 40 });
    const b = await newDrug({ stockOnHand: 25 });
    const { ref } = await newPrescription([
      { drugId: a.id, quantity: 15 },
      { drugId: b.id, quantity: 4 },
    ]);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    expect(await stockOf(a.id)).toBe(25);
    expect(await stockOf(b.id)).toBe(21);
  });

  it('takes the sum when two lines are for the same drug', async () => {
    const drug = await newDrug({ stockOnHand: 30 });
    const { ref } = await newPrescription([
      { drugId: drug.id, quantity: 8 },
      { drugId: drug.id, quantity: 5 },
    ]);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    expect(await stockOf(drug.id)).toBe(17);
  });

  it('can take the last units, leaving the stock at zero', async () => {
    const drug = await newDrug({ stockOnHand: 6 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 6 }]);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    const got = await pharmacist.query('drugs.get', { id: drug.id });
    expect(got.data).toMatchObject({ stockOnHand: 0, belowReorderLevel: true });
  });

  it('records a dispense audit event by the pharmacist with the stock taken', async () => {
    const drug = await newDrug({ stockOnHand: 20 });
    const { ref, prescription } = await newPrescription([{ drugId: drug.id, quantity: 3 }]);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    const rows = await env.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.entityType, 'prescription'), eq(auditEvents.entityId, prescription.id), eq(auditEvents.action, 'dispense')),
      );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: env.staff.pharmacist.id, patientId: ref.patientId });
    expect(rows[0]!.after).toMatchObject({ status: 'dispensed', lots: [{ drug: drug.name, lots: ['OPENING ×3'] }] });
  });

  it('refuses a stale prescription version with 409 STALE_VERSION and takes nothing', async () => {
    const drug = await newDrug({ stockOnHand: 20 });
    const { ref, prescription } = await newPrescription([{ drugId: drug.id, quantity: 3 }]);
    const edited = await doctor.mutate('prescriptions.update', {
      ...ref,
      version: prescription.version,
      notes: 'changed before dispensing',
    });
    expect(edited.status).toBe(200);
    const res = await dispense(pharmacist, ref, { version: prescription.version });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(await stockOf(drug.id)).toBe(20);
    expect((await dispense(pharmacist, ref, { version: edited.data.version })).status).toBe(200);
  });

  it('refuses a prescription with no lines with 409', async () => {
    const { ref } = await newPrescription([]);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('pending');
  });

  it('gives 404 for a consultation without a prescription', async () => {
    const patient = await records.mutate('patients.create', patientInput());
    const consultation = await doctor.mutate('consultations.create', {
      patientId: patient.data.id,
      provisionalDiagnosis: 'none prescribed',
    });
    const res = await dispense(pharmacist, { patientId: patient.data.id, consultationId: consultation.data.id });
    expect(res.status).toBe(404);
  });
});

describe('a dispensed prescription', () => {
  async function dispensed() {
    const drug = await newDrug({ stockOnHand: 100 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 10 }]);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(200);
    return { ref, prescription: res.data, drug };
  }

  it('cannot be updated by its prescriber (409 LOCKED)', async () => {
    const { ref, prescription } = await dispensed();
    const res = await doctor.mutate('prescriptions.update', { ...ref, version: prescription.version, notes: 'after the fact' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
  });

  it('cannot be cancelled by its prescriber (409 LOCKED)', async () => {
    const { ref, prescription } = await dispensed();
    const res = await doctor.mutate('prescriptions.update', { ...ref, version: prescription.version, status: 'cancelled' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('dispensed');
  });

  it('cannot get a new line (409 LOCKED)', async () => {
    const { ref, drug } = await dispensed();
    const res = await doctor.mutate('prescriptions.addLine', {
      ...ref,
      drugId: drug.id,
      dose: '1',
      frequency: 'daily',
      duration: '1 day',
      route: 'oral',
      quantity: 1,
    });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await doctor.query('prescriptions.get', ref)).data.lines).toHaveLength(1);
  });

  it('cannot have a line changed or removed (409 LOCKED)', async () => {
    const { ref, prescription } = await dispensed();
    const target = prescription.lines[0];
    const upd = await doctor.mutate('prescriptions.updateLine', { ...ref, id: target.id, version: target.version, quantity: 1 });
    const del = await doctor.mutate('prescriptions.deleteLine', { ...ref, id: target.id });
    for (const res of [upd, del]) {
      expect(res.status).toBe(409);
      expect(res.error?.code).toBe('LOCKED');
    }
    expect((await doctor.query('prescriptions.get', ref)).data.lines).toEqual(prescription.lines);
  });

  it('cannot be deleted by its prescriber (409 LOCKED)', async () => {
    const { ref } = await dispensed();
    const res = await doctor.mutate('prescriptions.delete', ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('LOCKED');
    expect((await doctor.query('prescriptions.get', ref)).status).toBe(200);
  });

  it('cannot be dispensed again (409) and the stock is taken only once', async () => {
    const { ref, drug } = await dispensed();
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('CONFLICT');
    expect(await stockOf(drug.id)).toBe(90);
  });
});

describe('stock and expiry', () => {
  it('refuses with 409 INSUFFICIENT_STOCK naming the drug when one of two lines lacks stock, and changes nothing', async () => {
    const plenty = await newDrug({ stockOnHand: 50 });
    const scarce = await newDrug({ stockOnHand: 2 });
    const { ref, prescription } = await newPrescription([
      { drugId: plenty.id, quantity: 10 },
      { drugId: scarce.id, quantity: 5 },
    ]);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('INSUFFICIENT_STOCK');
    expect(res.error?.message).toContain(scarce.name);
    expect(await stockOf(plenty.id)).toBe(50);
    expect(await stockOf(scarce.id)).toBe(2);
    const got = await doctor.query('prescriptions.get', ref);
    expect(got.data).toMatchObject({ status: 'pending', dispensedBy: null, dispensedAt: null, version: prescription.version });
  });

  it('refuses when two lines of the same drug together exceed the stock, though each alone would fit', async () => {
    const drug = await newDrug({ stockOnHand: 10 });
    const { ref } = await newPrescription([
      { drugId: drug.id, quantity: 6 },
      { drugId: drug.id, quantity: 6 },
    ]);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('INSUFFICIENT_STOCK');
    expect(await stockOf(drug.id)).toBe(10);
  });

  it('refuses an expired drug with 409 naming it, and changes nothing', async () => {
    const fresh = await newDrug({ stockOnHand: 50, expiryDate: '2999-12-31' });
    const expired = await newDrug({ stockOnHand: 50, expiryDate: '2020-01-31' });
    const { ref } = await newPrescription([
      { drugId: fresh.id, quantity: 5 },
      { drugId: expired.id, quantity: 5 },
    ]);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(res.error?.message).toContain(expired.name);
    expect(res.error?.message).toMatch(/expired/i);
    expect(await stockOf(fresh.id)).toBe(50);
    expect(await stockOf(expired.id)).toBe(50);
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('pending');
  });

  it('refuses a drug that expired yesterday', async () => {
    const yesterday = new Date(env.clock.now().getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const drug = await newDrug({ stockOnHand: 50, expiryDate: yesterday });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 1 }]);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(await stockOf(drug.id)).toBe(50);
  });

  it('dispenses once the pharmacist restocks', async () => {
    const drug = await newDrug({ stockOnHand: 1 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 4 }]);
    expect((await dispense(pharmacist, ref)).status).toBe(409);
    const restocked = await pharmacist.mutate('drugs.receive', {
      drugId: drug.id,
      lotNumber: 'R-1',
      expiryDate: '2099-01-01',
      quantity: 9,
      supplier: 'Medsource',
    });
    expect(restocked.status).toBe(200);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    expect(await stockOf(drug.id)).toBe(6);
  });
});

describe('the allergy check again at dispensing', () => {
  it('refuses a line that matches an allergy recorded since prescribing (409 naming the line), until the prescriber records an override', async () => {
    const drug = await newDrug({ name: uniqueName('Amoxicillin'), stockOnHand: 20, atcCodes: ['J01CA04'] });
    const { ref, prescription } = await newPrescription([{ drugId: drug.id, quantity: 2 }]);
    const patient = (await records.query('patients.get', { id: ref.patientId })).data;
    const updated = await records.mutate('patients.update', { id: ref.patientId, version: patient.version, allergies: ['Penicillin'] });
    expect(updated.status, JSON.stringify(updated.error)).toBe(200);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(res.error?.message).toMatch(
      /is a penicillin; the patient is recorded as allergic to Penicillin\. This was not known when it was prescribed/,
    );
    expect(res.error?.fields?.map((f) => f.path)).toEqual(['lines.0']);
    expect(await stockOf(drug.id)).toBe(20);
    const line = prescription.lines[0];
    const reviewed = await doctor.mutate('prescriptions.updateLine', {
      ...ref,
      id: line.id,
      version: line.version,
      allergyOverrideReason: 'Tolerated amoxicillin in 2024; rash only',
    });
    expect(reviewed.status, JSON.stringify(reviewed.error)).toBe(200);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    expect(await stockOf(drug.id)).toBe(18);
  });
});

describe('an override reason at dispensing covers only the allergies it was given for', () => {
  it('a co-amoxiclav line overridden for penicillin is not dispensed once clavulanic acid is recorded; a new reason from the prescriber releases it', async () => {
    const drug = await newDrug({
      name: uniqueName('Co-amoxiclav'),
      genericName: 'Amoxicillin/Clavulanic acid',
      stockOnHand: 20,
      atcCodes: ['J01CR02'],
    });
    const patient = await records.mutate('patients.create', patientInput({ allergies: ['Penicillin'] }));
    expect(patient.status, JSON.stringify(patient.error)).toBe(200);
    const consultation = await doctor.mutate('consultations.create', {
      patientId: patient.data.id,
      provisionalDiagnosis: uniqueName('Dx '),
    });
    const ref: Ref = { patientId: patient.data.id, consultationId: consultation.data.id };
    const reason = 'Tolerated amoxicillin in 2024; rash only';
    const created = await doctor.mutate('prescriptions.create', {
      ...ref,
      lines: [
        {
          drugId: drug.id,
          quantity: 2,
          dose: '1 tablet',
          frequency: 'bd',
          duration: '5 days',
          route: 'oral',
          allergyOverrideReason: reason,
        },
      ],
    });
    expect(created.status, JSON.stringify(created.error)).toBe(200);

    const now = (await records.query('patients.get', { id: ref.patientId })).data;
    const updated = await records.mutate('patients.update', {
      id: ref.patientId,
      version: now.version,
      allergies: ['Penicillin', { kind: 'text', substance: 'Clavulanic acid', reaction: 'Anaphylaxis', severity: 'severe' }],
    });
    expect(updated.status, JSON.stringify(updated.error)).toBe(200);
    const res = await dispense(pharmacist, ref);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('ALLERGY_OVERRIDE_REQUIRED');
    expect(res.error?.message).toBe(
      `${drug.name} matches the patient's recorded allergy to Clavulanic acid. This was not known when it was prescribed: ask the prescriber to review the prescription before it is dispensed.`,
    );
    expect(res.error?.fields).toEqual([
      { path: 'lines.0', message: `${drug.name}: allergy to Clavulanic acid recorded since prescribing` },
    ]);
    expect(await stockOf(drug.id)).toBe(20);
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('pending');

    const line = created.data.lines[0];
    const reviewed = await doctor.mutate('prescriptions.updateLine', {
      ...ref,
      id: line.id,
      version: line.version,
      allergyOverrideReason: `${reason}; clavulanate tolerated in 2025`,
    });
    expect(reviewed.status, JSON.stringify(reviewed.error)).toBe(200);
    expect(reviewed.data.allergyOverrideFor).toEqual(['Penicillin', 'Clavulanic acid']);
    expect((await dispense(pharmacist, ref)).status).toBe(200);
    expect(await stockOf(drug.id)).toBe(18);
  });
});

describe('who may dispense', () => {
  it('a doctor cannot dispense (403)', async () => {
    const drug = await newDrug({ stockOnHand: 20 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 2 }]);
    const res = await dispense(doctor, ref);
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await stockOf(drug.id)).toBe(20);
  });

  it('a nurse cannot dispense (403)', async () => {
    const drug = await newDrug({ stockOnHand: 20 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 2 }]);
    const res = await dispense(nurse, ref);
    expect(res.status).toBe(403);
    expect(await stockOf(drug.id)).toBe(20);
    expect((await doctor.query('prescriptions.get', ref)).data.status).toBe('pending');
  });

  it('a record officer and an admin cannot dispense (403)', async () => {
    const drug = await newDrug({ stockOnHand: 20 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 2 }]);
    expect((await dispense(records, ref)).status).toBe(403);
    expect((await dispense(admin, ref)).status).toBe(403);
    expect(await stockOf(drug.id)).toBe(20);
  });

  it('an anonymous caller gets 401', async () => {
    const drug = await newDrug({ stockOnHand: 20 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 2 }]);
    const res = await dispense(new TrpcClient(env.app), ref);
    expect(res.status).toBe(401);
    expect(await stockOf(drug.id)).toBe(20);
  });
});

describe('dispensing concurrently', () => {
  function statuses(results: CallResult[]) {
    return results.map((r) => r.status);
  }

  it('eight pharmacists dispensing the same prescription at once: exactly one succeeds and stock is taken once', async () => {
    const drug = await newDrug({ stockOnHand: 100 });
    const { ref, prescription } = await newPrescription([{ drugId: drug.id, quantity: 7 }]);
    const clients = await Promise.all(Array.from({ length: 8 }, () => loggedIn(env, 'pharmacist')));
    const results = await Promise.all(clients.map((c) => dispense(c, ref)));
    expect(statuses(results).filter((s) => s >= 500)).toEqual([]);
    expect(statuses(results).filter((s) => s === 200)).toHaveLength(1);
    expect(statuses(results).filter((s) => s === 409)).toHaveLength(7);
    expect(await stockOf(drug.id)).toBe(93);
    const events = await env.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.entityType, 'prescription'), eq(auditEvents.entityId, prescription.id), eq(auditEvents.action, 'dispense')),
      );
    expect(events).toHaveLength(1);
  });

  it('the same client firing eight dispenses at once gets one success', async () => {
    const drug = await newDrug({ stockOnHand: 100 });
    const { ref } = await newPrescription([{ drugId: drug.id, quantity: 9 }]);
    const results = await Promise.all(Array.from({ length: 8 }, () => dispense(pharmacist, ref)));
    expect(statuses(results).filter((s) => s === 200)).toHaveLength(1);
    expect(statuses(results).filter((s) => s === 409)).toHaveLength(7);
    expect(await stockOf(drug.id)).toBe(91);
  });

  it('five prescriptions of 3 against a stock of 10 dispensed at once: three succeed, stock ends at 1', async () => {
    const drug = await newDrug({ stockOnHand: 10, reorderLevel: 0 });
    const prescriptions = [];
    for (let i = 0; i < 5; i++) prescriptions.push(await newPrescription([{ drugId: drug.id, quantity: 3 }]));
    const results = await Promise.all(prescriptions.map((p) => dispense(pharmacist, p.ref)));
    expect(statuses(results).filter((s) => s >= 500)).toEqual([]);
    expect(statuses(results).filter((s) => s === 200)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.error?.code).toBe('INSUFFICIENT_STOCK');
    }
    expect(await stockOf(drug.id)).toBe(1);
    const after = await Promise.all(prescriptions.map((p) => doctor.query('prescriptions.get', p.ref)));
    expect(after.filter((g) => g.data.status === 'dispensed')).toHaveLength(3);
    expect(after.filter((g) => g.data.status === 'pending')).toHaveLength(2);
  });

  it('a refusal for stock taken by a concurrent dispense reports the stock actually left', async () => {
    const drug = await newDrug({ stockOnHand: 10 });
    const prescriptions = [];
    for (let i = 0; i < 5; i++) prescriptions.push(await newPrescription([{ drugId: drug.id, quantity: 3 }]));
    const results = await Promise.all(prescriptions.map((p) => dispense(pharmacist, p.ref)));
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.error?.message).toMatch(/3 needed, 1 on hand/);
  });

  it('never lets stock go negative when many prescriptions race for the last units', async () => {
    const drug = await newDrug({ stockOnHand: 4 });
    const prescriptions = [];
    for (let i = 0; i < 6; i++) prescriptions.push(await newPrescription([{ drugId: drug.id, quantity: 2 }]));
    const results = await Promise.all(prescriptions.map((p) => dispense(pharmacist, p.ref)));
    expect(statuses(results).filter((s) => s >= 500)).toEqual([]);
    expect(statuses(results).filter((s) => s === 200)).toHaveLength(2);
    expect(await stockOf(drug.id)).toBe(0);
  });

  it('prescriptions taking the same two drugs in opposite line order all succeed when dispensed at once', async () => {
    const a = await newDrug({ stockOnHand: 100 });
    const b = await newDrug({ stockOnHand: 100 });
    const prescriptions = [];
    for (let i = 0; i < 6; i++) {
      const lines = [
        { drugId: a.id, quantity: 2 },
        { drugId: b.id, quantity: 3 },
      ];
      prescriptions.push(await newPrescription(i % 2 ? lines.reverse() : lines));
    }
    const results = await Promise.all(prescriptions.map((p) => dispense(pharmacist, p.ref)));
    expect(results.map((r) => (r.status === 200 ? 200 : `${r.status} ${r.error?.code} ${r.error?.message}`))).toEqual(Array(6).fill(200));
    expect(await stockOf(a.id)).toBe(88);
    expect(await stockOf(b.id)).toBe(82);
  });
});

describe("a pharmacist's dispensing record", () => {
  it('lists what that pharmacist dispensed and nothing dispensed by another', async () => {
    const username = uniqueName('phm').toLowerCase();
    const created = await admin.mutate('staff.create', {
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      role: 'pharmacist',
      firstName: 'Second',
      lastName: 'Pharmacist',
      gender: 'Male',
    });
    expect(created.status, JSON.stringify(created.error)).toBe(200);
    const other = await loggedIn(env, username);

    const drug = await newDrug({ stockOnHand: 100 });
    const mine = await newPrescription([{ drugId: drug.id, quantity: 1 }]);
    const theirs = await newPrescription([{ drugId: drug.id, quantity: 1 }]);
    expect((await dispense(pharmacist, mine.ref)).status).toBe(200);
    expect((await dispense(other, theirs.ref)).status).toBe(200);

    const list = await pharmacist.query('staff.pharmacistDispensed', { staffId: env.staff.pharmacist.id, limit: 100 });
    expect(list.status).toBe(200);
    const ids = list.data.items.map((p: { id: number }) => p.id);
    expect(ids).toContain(mine.prescription.id);
    expect(ids).not.toContain(theirs.prescription.id);
    for (const p of list.data.items) expect(p).toMatchObject({ status: 'dispensed', dispensedBy: env.staff.pharmacist.id });

    const theirList = await other.query('staff.pharmacistDispensed', { staffId: created.data.id });
    expect(theirList.data.items.map((p: { id: number }) => p.id)).toEqual([theirs.prescription.id]);
  });

  it('pages through the record, newest first', async () => {
    const drug = await newDrug({ stockOnHand: 100 });
    const first = await newPrescription([{ drugId: drug.id, quantity: 1 }]);
    const second = await newPrescription([{ drugId: drug.id, quantity: 1 }]);
    await dispense(pharmacist, first.ref);
    await dispense(pharmacist, second.ref);
    const page1 = await pharmacist.query('staff.pharmacistDispensed', { staffId: env.staff.pharmacist.id, limit: 1 });
    expect(page1.data.items.map((p: { id: number }) => p.id)).toEqual([second.prescription.id]);
    expect(page1.data.nextCursor).toEqual(expect.any(String));
    const page2 = await pharmacist.query('staff.pharmacistDispensed', {
      staffId: env.staff.pharmacist.id,
      limit: 1,
      cursor: page1.data.nextCursor,
    });
    expect(page2.data.items.map((p: { id: number }) => p.id)).toEqual([first.prescription.id]);
  });

  it('can be read by an admin but not by a doctor (403)', async () => {
    expect((await admin.query('staff.pharmacistDispensed', { staffId: env.staff.pharmacist.id })).status).toBe(200);
    expect((await doctor.query('staff.pharmacistDispensed', { staffId: env.staff.pharmacist.id })).status).toBe(403);
  });
});
