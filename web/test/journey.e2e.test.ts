/**
 * One patient's visit across every role, each in their own browser: registered → consultation → vital signs →
 * prescription with an allergy override → dispensed → stock went down → the chart shows it all → the audit trail
 * shows who did each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drugInput, uniqueName, uniqueWord } from '../../server/test/helpers';
import { choose, loggedIn, mainScreen, openAs, seen, shot, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('a patient’s visit, end to end', () => {
  it('goes from registration to dispensing, and every step is in the chart and the audit trail', async () => {
    const pharmacistApi = await loggedIn(h.env, 'pharmacist');
    const amox = (await pharmacistApi.mutate('drugs.create', drugInput({ name: uniqueName('Amoxicillin'), stockOnHand: 50 }))).data as {
      id: number;
      name: string;
    };
    const lastName = uniqueWord('Eze');

    // Record officer registers the patient, allergic to penicillin.
    const records = await openAs(h, 'records');
    await records.getByRole('link', { name: 'Register patient' }).click();
    await records.getByLabel('First name').fill('Chidi');
    await records.getByLabel('Last name').fill(lastName);
    await choose(records, 'Sex', 'Male');
    await records.getByLabel('Date of birth').fill('1985-03-14');
    await records.getByRole('button', { name: 'Add allergy' }).click();
    const allergies = records.getByRole('combobox', { name: 'Substance (allergy 1)' });
    await allergies.fill('amoxicillin');
    await allergies.press('Enter');
    await records.getByRole('button', { name: 'Register patient' }).click();
    await records.getByRole('region', { name: 'Patient summary' }).waitFor();
    const patientId = Number(/\/patients\/(\d+)/.exec(records.url())![1]);
    const mrn = await seen(records.getByRole('region', { name: 'Patient summary' }).getByText(/^HMIS-\d+$/));

    // Nurse records vital signs: a fever.
    const nurse = await openAs(h, 'nurse');
    await nurse.getByLabel('Search patients').fill(mrn.replace('HMIS-', ''));
    await nurse
      .getByRole('row', { name: new RegExp(lastName) })
      .getByRole('link')
      .click();
    await nurse.getByRole('tab', { name: 'Vital signs' }).click();
    await nurse.getByRole('button', { name: 'Record vitals' }).click();
    await nurse.getByLabel('Temperature (°C)').fill('38,9');
    await nurse.getByLabel('Pulse (beats/min)').fill('112');
    await nurse.getByRole('button', { name: 'Record vital signs' }).click();
    expect(await seen(nurse.getByRole('row', { name: /38.9/ }))).toContain('Temperature high');

    // Doctor: consultation, then a prescription of the drug the patient is allergic to, with a reason.
    const doctor = await openAs(h, 'doctor');
    await doctor.goto(`${h.base}/patients/${patientId}/consultations`);
    await doctor.getByRole('button', { name: 'New consultation' }).click();
    await doctor.getByLabel('Presenting complaint', { exact: true }).fill('Fever, productive cough');
    await doctor.getByLabel(/^Provisional diagnosis/).fill('Lower respiratory tract infection');
    await doctor.getByRole('button', { name: 'Save consultation' }).click();
    await doctor.getByRole('textbox', { name: /^Drug/ }).first().fill(amox.name.slice(0, 11));
    await doctor.getByRole('option', { name: new RegExp(amox.name) }).click();
    expect(await seen(doctor.getByText('Allergy: the patient is recorded as allergic to amoxicillin'))).toBeTruthy();
    await doctor.getByLabel(/^Dose/).fill('500 mg');
    await doctor.getByLabel(/^Frequency/).fill('8-hourly');
    await doctor.getByLabel(/^Duration/).fill('5 days');
    await doctor.getByLabel(/^Quantity/).fill('15');
    await doctor.getByLabel(/^Allergy override reason/).fill('Rash only in childhood; benefits outweigh risk');
    await doctor.getByRole('button', { name: 'Save prescription' }).click();
    await doctor.getByRole('region', { name: 'Prescription' }).getByText('pending', { exact: true }).waitFor();

    // Pharmacist sees the override and dispenses; stock goes from 50 to 35.
    const pharmacist = await openAs(h, 'pharmacist');
    const card = pharmacist.getByRole('article', { name: new RegExp(lastName) });
    await card.getByRole('button', { name: 'Dispense' }).click();
    expect(await seen(pharmacist.getByRole('dialog'))).toContain(
      `Allergy override: ${amox.name} (allergy to amoxicillin) — Rash only in childhood; benefits outweigh risk`,
    );
    await pharmacist.getByRole('button', { name: 'Confirm dispense' }).click();
    await card.waitFor({ state: 'detached' });
    await pharmacist
      .getByRole('link', { name: /Drug inventory/ })
      .first()
      .click();
    await pharmacist.getByLabel('Search drugs').fill(amox.name);
    await expect.poll(() => seen(pharmacist.getByRole('row', { name: new RegExp(amox.name) }))).toMatch(/\b35\b/);

    // The doctor's chart shows it all.
    await doctor.goto(`${h.base}/patients/${patientId}`);
    const summary = doctor.getByRole('region', { name: 'Patient summary' });
    expect(await seen(summary)).toMatch(/Allergies:.*amoxicillin/);
    expect(await seen(summary)).toMatch(/Temperature 38.9 °C ↑/);
    expect(await seen(summary)).toContain('Lower respiratory tract infection');
    await mainScreen(doctor, 'patient-chart');
    await doctor.getByRole('tab', { name: 'Medications' }).click();
    expect(await seen(doctor.getByRole('row', { name: new RegExp(amox.name) }))).toContain('dispensed');
    await doctor.getByRole('tab', { name: 'Vital signs' }).click();
    await doctor.getByRole('radiogroup', { name: 'Show vital signs as' }).getByText('Trend charts').click();
    expect(await seen(doctor.getByRole('figure', { name: 'Temperature trend' }))).toContain('1 readings · 1 abnormal');
    await shot(doctor, 'vitals-trend');

    // The admin reads the journey in the patient's audit trail.
    const admin = await openAs(h, 'admin');
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit trail' }).click();
    await admin.getByRole('radiogroup', { name: 'Trail of' }).getByText('A patient').click();
    await admin.getByLabel('Patient ID or MRN').fill(mrn);
    await admin.getByRole('button', { name: 'Show trail' }).click();
    const trail = admin.getByRole('table', { name: 'Audit events' });
    await expect.poll(() => seen(trail)).toContain('dispensed');
    const text = await seen(trail);
    for (const who of ['nurse Tester', 'doctor Tester', 'pharmacist Tester']) expect(text).toContain(who);
    for (const what of ['patient record', 'vital signs', 'consultation', 'prescription']) expect(text).toContain(what);
    // The registration is the oldest event, at the end of the list: only the rows in view (and a few more) are drawn.
    await trail.evaluate((table) => table.parentElement!.scrollTo({ top: table.parentElement!.scrollHeight }));
    await expect.poll(() => seen(trail)).toContain('records Tester');
    await mainScreen(admin, 'audit-patient');
    await admin.getByRole('combobox', { name: 'Action' }).click();
    await admin.getByRole('option', { name: 'dispensed' }).click();
    await expect.poll(async () => (await trail.getByRole('row').count()) - 1).toBe(1);
  });
});
