/** Nurses and doctors: vital signs (limits at the field, trends), nurse notes, consultations, prescriptions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drugInput, HOUR, patientInput, uniqueName } from '../../server/test/helpers';
import { choose, loggedIn, mainScreen, openAs, seen, shot, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function newPatient(overrides: Record<string, unknown> = {}) {
  const records = await loggedIn(h.env, 'records');
  const res = await records.mutate('patients.create', patientInput(overrides));
  expect(res.status).toBe(200);
  return res.data as { id: number; firstName: string; lastName: string; mrn: string };
}

describe('nurse', () => {
  it('records vital signs: impossible values refused at the field, abnormal ones flagged while typing, "37,5" read as 37.5', async () => {
    const patient = await newPatient();
    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patient.id}/vitals`);
    await page.getByRole('button', { name: 'Record vitals' }).click();
    const pulse = page.getByLabel('Pulse (beats/min)');
    await pulse.fill('400');
    expect(await seen(page.getByText(/Pulse must be between 1 and 300 beats\/min/))).toBeTruthy();
    await pulse.fill('130');
    expect(await seen(page.getByText('High (normal 60–100 beats/min)'))).toBeTruthy();
    await page.getByLabel('Temperature (°C)').fill('37,5');
    await page.getByLabel('Systolic BP (mmHg)').fill('118');
    await page.getByLabel('Diastolic BP (mmHg)').fill('76');
    await page.getByLabel('SpO₂ (%)').fill('9x');
    expect(await seen(page.getByText(/SpO₂ must be a (whole )?number/))).toBeTruthy();
    await page.getByLabel('SpO₂ (%)').fill('97');
    await mainScreen(page, 'vitals-form');
    await page.getByRole('button', { name: 'Record vital signs' }).click();

    const row = page.getByRole('row', { name: /130/ });
    const text = await seen(row);
    expect(text).toContain('130 ↑');
    expect(text).toContain('37.5');
    expect(text).toContain('Pulse high');
    expect(text).toContain('118 / 76');
    expect(text).toMatch(/editable until/);
    await mainScreen(page, 'vitals-table');

    // Her own set, within the window: she corrects it.
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Pulse (beats/min)').fill('92');
    await page.getByRole('button', { name: 'Save corrections' }).click();
    expect(await seen(page.getByRole('row', { name: /92/ }))).not.toContain('Pulse high');

    // …and deletes it after confirming.
    await page.getByRole('row', { name: /92/ }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    expect(await seen(page.getByText(/No vital signs recorded yet/))).toBeTruthy();
  });

  it('shows another nurse’s set and a set past its window as locked, without edit buttons', async () => {
    const patient = await newPatient();
    const nurse2 = await loggedIn(h.env, 'nurse2');
    h.env.clock.advance(-25 * HOUR);
    const nurse = await loggedIn(h.env, 'nurse');
    expect((await nurse.mutate('vitals.create', { patientId: patient.id, pulseRate: 71 })).status).toBe(200);
    h.env.clock.reset();
    expect((await nurse2.mutate('vitals.create', { patientId: patient.id, pulseRate: 88 })).status).toBe(200);

    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patient.id}/vitals`);
    const old = page.getByRole('row', { name: /71/ });
    expect(await seen(old)).toContain('locked');
    expect(await old.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    const theirs = page.getByRole('row', { name: /88/ });
    expect(await seen(theirs)).toMatch(/editable until/);
    expect(await theirs.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  });

  it('adds a nurse note, edits it, and deletes it after confirming', async () => {
    const patient = await newPatient();
    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patient.id}/notes`);
    await page.getByLabel('New note').fill('Tachycardic on arrival; doctor informed.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.getByRole('listitem').filter({ hasText: 'Tachycardic on arrival' });
    expect(await seen(note)).toContain('nurse Tester');
    await mainScreen(page, 'nurse-notes');
    await note.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Note', { exact: true }).fill('Tachycardic on arrival (130); doctor informed at 10:05.');
    await page.getByRole('button', { name: 'Save note' }).click();
    expect(await seen(page.getByText('doctor informed at 10:05'))).toBeTruthy();
    await page.getByRole('listitem').filter({ hasText: 'at 10:05' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    expect(await seen(page.getByText('No nurse notes yet.'))).toBeTruthy();
  });
});

describe('doctor', () => {
  it('writes a consultation, then a prescription from the whole formulary with an allergy override; edits and removes lines', async () => {
    const patient = await newPatient({ allergies: ['penicillin'] });
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    // A formulary larger than one page of results: the one wanted is found by typing, not by scrolling.
    for (let i = 0; i < 30; i += 1) await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Filler') }));
    const para = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Paracetamolx'), stockOnHand: 40 }))).data as {
      id: number;
      name: string;
    };
    const amox = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Amoxil'), genericName: 'amoxicillin (a penicillin)', stockOnHand: 200 }),
      )
    ).data as { id: number; name: string };

    const page = await openAs(h, 'doctor');
    await page.goto(`${h.base}/patients/${patient.id}/consultations`);
    await page.getByRole('button', { name: 'New consultation' }).click();
    await page.getByRole('button', { name: 'Save consultation' }).click();
    expect(await seen(page.getByText('Provisional diagnosis is required'))).toBeTruthy();
    await page.getByLabel('Presenting complaint', { exact: true }).fill('Fever and cough for 3 days');
    await page.getByLabel(/^Provisional diagnosis/).fill('Community-acquired pneumonia');
    await page.getByLabel('Plan').fill('Chest X-ray; oral antibiotics');
    await page.getByRole('button', { name: 'Save consultation' }).click();
    expect(await seen(page.getByRole('region', { name: 'Consultation' }))).toContain('Fever and cough for 3 days');

    // Drug 1: typed, not scrolled to; quantity above stock is warned.
    const drug = page.getByRole('textbox', { name: /^Drug/ }).first();
    await drug.fill(para.name.slice(0, 10));
    await page.getByRole('option', { name: new RegExp(para.name) }).click();
    await page.getByLabel(/^Dose/).fill('1 g');
    await page.getByLabel(/^Frequency/).fill('8-hourly');
    await page.getByLabel(/^Duration/).fill('5 days');
    await page.getByLabel(/^Quantity/).fill('60');
    expect(await seen(page.getByText(/Only 40 of .* in stock/))).toBeTruthy();
    await page.getByLabel(/^Quantity/).fill('15');

    // Drug 2 matches the allergy as it is chosen; the reason is required.
    await page.getByRole('button', { name: 'Add another drug' }).click();
    await page.getByRole('textbox', { name: 'Drug (drug 2)' }).fill(amox.name.slice(0, 8));
    await page.getByRole('option', { name: new RegExp(amox.name) }).click();
    expect(await seen(page.getByText('Allergy: the patient is recorded as allergic to penicillin'))).toBeTruthy();
    await page.getByLabel('Dose (drug 2)').fill('500 mg');
    await page.getByLabel('Frequency (drug 2)').fill('8-hourly');
    await page.getByLabel('Duration (drug 2)').fill('5 days');
    await page.getByLabel('Quantity (drug 2)').fill('15');
    await page.getByRole('button', { name: 'Save prescription' }).click();
    expect(await seen(page.getByText('Give the clinical reason for prescribing despite the allergy'))).toBeTruthy();
    await mainScreen(page, 'prescription-form');
    await page.getByLabel('Allergy override reason (drug 2)').fill('Tolerated amoxicillin in 2024 without reaction');
    await page.getByRole('button', { name: 'Save prescription' }).click();

    const section = page.getByRole('region', { name: 'Prescription' });
    expect(await seen(section.getByRole('row', { name: new RegExp(amox.name) }))).toContain('Tolerated amoxicillin');
    expect(await seen(section)).toContain('pending');
    await mainScreen(page, 'consultation');

    // Change a line, then remove one.
    await section
      .getByRole('row', { name: new RegExp(para.name) })
      .getByRole('button', { name: 'Change' })
      .click();
    await page
      .getByRole('dialog')
      .getByLabel(/^Quantity/)
      .fill('20');
    await page.getByRole('button', { name: 'Save line' }).click();
    await expect.poll(() => seen(section.getByRole('row', { name: new RegExp(para.name) }))).toMatch(/oral 20/);
    await section
      .getByRole('row', { name: new RegExp(amox.name) })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove line' }).click();
    await section.getByRole('row', { name: new RegExp(amox.name) }).waitFor({ state: 'detached' });

    // The medication list across prescriptions.
    await page.getByRole('tab', { name: 'Medications' }).click();
    expect(await seen(page.getByRole('row', { name: new RegExp(para.name) }))).toContain('pending');
    await mainScreen(page, 'medications');
  });

  it('codes a free-text allergy from the chart; Amoxicillin then conflicts by class, and two NSAIDs of one group are warned as duplicate therapy', async () => {
    const patient = await newPatient({ allergies: ['penicillin'] });
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const drug = async (name: string, genericName: string, atc: string) =>
      (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName(name), genericName, atcCodes: [atc], stockOnHand: 100 })))
        .data as { id: number; name: string };
    const amox = await drug('Amoxicillin', 'amoxicillin', 'J01CA04');
    const ibuprofen = await drug('Ibuprofen', 'ibuprofen', 'M01AE01');
    const naproxen = await drug('Naproxen', 'naproxen', 'M01AE02');

    // The allergy recorded before allergies were coded reads as free text; the doctor codes it from the chart.
    const page = await openAs(h, 'doctor');
    await page.goto(`${h.base}/patients/${patient.id}`);
    const summary = page.getByRole('region', { name: 'Patient summary' });
    expect(await seen(summary)).toMatch(/Allergies:.*penicillin.*not coded/);
    await summary.getByRole('button', { name: 'Edit allergies (1 not coded)' }).click();
    const dialog = page.getByRole('dialog', { name: /^Allergies of/ });
    expect(await seen(dialog.getByRole('group', { name: 'Allergy 1' }))).toMatch(/not coded.*Recorded by records Tester, Today/);
    await dialog.getByRole('combobox', { name: 'Substance (allergy 1)' }).click();
    await page
      .getByRole('listbox')
      .getByRole('option', { name: /^Penicillins/ })
      .click();
    await dialog.getByLabel('Reaction (allergy 1)').fill('Generalised rash');
    await choose(page, 'Severity (allergy 1)', 'Moderate');
    await mainScreen(page, 'allergies-dialog');
    await dialog.getByRole('button', { name: 'Save allergies' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => seen(summary)).toMatch(/Allergies:.*Penicillins · moderate/);
    expect(await seen(summary)).not.toContain('not coded');
    expect(await seen(page.getByRole('table', { name: 'Allergies' }).getByRole('row', { name: /Penicillins/ }))).toMatch(
      /Drug class \(ATC J01C\) Generalised rash Moderate Recorded by you/,
    );
    await mainScreen(page, 'chart-allergies-coded');

    // Prescribing: the coded class catches Amoxicillin; two propionic acid NSAIDs are a duplicate therapy.
    const consultation = await (await loggedIn(h.env, 'doctor')).mutate('consultations.create', {
      patientId: patient.id,
      provisionalDiagnosis: 'Acute otitis media',
    });
    await page.goto(`${h.base}/patients/${patient.id}/consultations/${consultation.data.id}`);
    const pick = async (n: number, d: { name: string }) => {
      if (n > 1) await page.getByRole('button', { name: 'Add another drug' }).click();
      await page.getByRole('textbox', { name: n > 1 ? `Drug (drug ${n})` : 'Drug' }).fill(d.name.slice(0, 12));
      await page.getByRole('option', { name: new RegExp(d.name) }).click();
      // While there is one line its fields are "Dose"…; with more, "Dose (drug 2)"….
      const label = (name: string) => new RegExp(`^${name}${n > 1 ? ` \\(drug ${n}\\)` : ''}`);
      await page.getByLabel(label('Dose')).fill('1 tablet');
      await page.getByLabel(label('Frequency')).fill('8-hourly');
      await page.getByLabel(label('Duration')).fill('5 days');
      await page.getByLabel(label('Quantity')).fill('15');
    };
    await pick(1, amox);
    expect(await seen(page.getByText('Allergy: the patient is recorded as allergic to Penicillins'))).toBeTruthy();
    expect(await seen(page.getByText(/is a penicillin; the patient is recorded as allergic to Penicillins/))).toBeTruthy();
    await pick(2, ibuprofen);
    expect(await page.getByRole('status', { name: 'Duplicate therapy' }).count()).toBe(0);
    await pick(3, naproxen);
    const warning = page.getByRole('status', { name: 'Duplicate therapy' });
    expect(await seen(warning)).toBe(
      `Duplicate therapy: ${ibuprofen.name} and ${naproxen.name} are in the same drug group (ATC M01AE). Check that both are intended.`,
    );
    await page.getByLabel('Allergy override reason (drug 1)').fill('Penicillin rash only; no alternative available');
    await mainScreen(page, 'prescription-duplicate-therapy');
    await page.getByRole('button', { name: 'Save prescription' }).click();

    // The saved prescription keeps the warning (the server's duplicateTherapy).
    const section = page.getByRole('region', { name: 'Prescription' });
    await section.getByText('pending', { exact: true }).waitFor();
    expect(await seen(section.getByRole('status', { name: 'Duplicate therapy' }))).toContain('(ATC M01AE)');
    await mainScreen(page, 'prescription-saved-duplicate');
  });

  it('edits and deletes a consultation within the window; an older one is locked; cancels a pending prescription', async () => {
    const patient = await newPatient();
    const doctor = await loggedIn(h.env, 'doctor');
    h.env.clock.advance(-26 * HOUR);
    await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Malaria, uncomplicated' });
    h.env.clock.reset();
    const recent = await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Tension headache' });
    const drug = (await (await loggedIn(h.env, 'pharmacist')).mutate('drugs.create', drugInput())).data as { id: number };
    const line = { drugId: drug.id, dose: '1 tab', frequency: 'daily', duration: '3 days', route: 'oral', quantity: 3 };
    expect(
      (await doctor.mutate('prescriptions.create', { patientId: patient.id, consultationId: recent.data.id, lines: [line] })).status,
    ).toBe(200);

    const page = await openAs(h, 'doctor');
    await page.goto(`${h.base}/patients/${patient.id}/consultations`);
    expect(await seen(page.getByRole('listitem').filter({ hasText: 'Malaria' }))).toContain('locked');
    await mainScreen(page, 'consultations-timeline');
    await page.getByRole('link', { name: 'Malaria, uncomplicated' }).click();
    await page.getByRole('region', { name: 'Consultation' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit consultation' }).count()).toBe(0);

    await page.goto(`${h.base}/patients/${patient.id}/consultations/${recent.data.id}`);
    await page.getByRole('button', { name: 'Cancel prescription' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel prescription' }).click();
    await page.getByRole('region', { name: 'Prescription' }).getByText('cancelled', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit consultation' }).click();
    await page.getByLabel(/^Provisional diagnosis/).fill('Tension-type headache');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => seen(page.getByRole('region', { name: 'Consultation' }))).toContain('Tension-type headache');
    await shot(page, 'consultation-edited');

    // A consultation written in error is deleted by its author, after confirming.
    const mistaken = await doctor.mutate('consultations.create', {
      patientId: patient.id,
      provisionalDiagnosis: 'Entered for the wrong patient',
    });
    await page.goto(`${h.base}/patients/${patient.id}/consultations/${mistaken.data.id}`);
    await page.getByRole('button', { name: 'Delete consultation' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('list', { name: 'Consultations' }).waitFor();
    expect(await page.getByText('Entered for the wrong patient').count()).toBe(0);
  });

  it('sees the vital-sign trends with normal bands and abnormal points, and the latest vitals in the header', async () => {
    const patient = await newPatient();
    const nurse = await loggedIn(h.env, 'nurse');
    const temps = [36.8, 37.2, 38.9, 39.4, 38.1, 37.4, 36.9];
    for (let i = 0; i < temps.length; i += 1) {
      h.env.clock.advance(-(temps.length - i) * 12 * HOUR);
      await nurse.mutate('vitals.create', {
        patientId: patient.id,
        temperature: temps[i],
        pulseRate: 80 + i * 6,
        systolicBp: 120 + i * 5,
        diastolicBp: 78,
        spo2: 97 - i,
        weightKg: 70,
      });
      h.env.clock.reset();
    }
    const page = await openAs(h, 'doctor');
    await page.goto(`${h.base}/patients/${patient.id}/vitals?view=chart`);
    const temperature = page.getByRole('figure', { name: 'Temperature trend' });
    expect(await seen(temperature)).toContain('7 readings · 3 abnormal');
    // A canvas has no elements to count: the chart says how many red points it drew (TrendChart).
    await expect.poll(() => temperature.getAttribute('data-abnormal-drawn')).toBe('3');
    // The header's latest readings are their own request: they may arrive after the charts are drawn.
    await expect.poll(() => seen(page.getByRole('region', { name: 'Patient summary' }))).toMatch(/Latest vitals.*Temperature 36.9/);
    await mainScreen(page, 'vitals-chart');
  });
});
