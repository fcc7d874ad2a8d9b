/**
 * The record officer's day: register (allergies coded from the typeahead), find as they type (name, MRN digits, phone
 * in any form), correct a record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueWord } from '../../server/test/helpers';
import { choose, loggedIn, mainScreen, openAs, seen, shot, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('record officer', () => {
  it('registers a patient: missing fields are named beside each field; allergies coded from the typeahead or kept as free text show in the chart', async () => {
    const page = await openAs(h, 'records');
    const lastName = uniqueWord('Okonkwo');
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByRole('button', { name: 'Register patient' }).click();
    expect(await seen(page.getByText('First name is required'))).toBeTruthy();
    expect(await seen(page.getByText('Date of birth is required'))).toBeTruthy();
    await mainScreen(page, 'register-errors');

    await page.getByLabel('First name').fill('Ngozi');
    await page.getByLabel('Last name').fill(lastName);
    await choose(page, 'Sex', 'Female');
    await page.getByLabel('Date of birth').fill('21/05/1988');
    await page.getByLabel('Phone').fill('0803 555 7788');
    await choose(page, 'Marital status', 'Married');
    // Allergy 1: coded as the penicillin class from the typeahead, with the reaction and its severity.
    await page.getByRole('button', { name: 'Add allergy' }).click();
    const first = page.getByRole('combobox', { name: 'Substance (allergy 1)' });
    await expect.poll(() => first.evaluate((el) => el === document.activeElement)).toBe(true);
    await first.pressSequentially('penicil');
    const listbox = page.getByRole('listbox');
    expect(await seen(listbox.getByRole('group', { name: 'Drug classes' }))).toMatch(/Penicillins/);
    expect(await seen(listbox.getByRole('option', { name: /^Record “penicil” as free text/ }))).toBeTruthy();
    await mainScreen(page, 'allergy-typeahead');
    await listbox.getByRole('option', { name: /^Penicillins/ }).click();
    expect(await first.inputValue()).toBe('Penicillins');
    expect(await seen(page.getByRole('group', { name: 'Allergy 1' }))).toMatch(/coded.*Drug class \(ATC J01C\)/);
    await page.getByLabel('Reaction (allergy 1)').fill('Urticaria and wheeze');
    await choose(page, 'Severity (allergy 1)', 'Severe');
    // Allergy 2: what the patient said, kept as free text (Enter with no suggestion highlighted).
    await page.getByRole('button', { name: 'Add allergy' }).click();
    const second = page.getByRole('combobox', { name: 'Substance (allergy 2)' });
    await second.fill('cat hair');
    await second.press('Enter');
    expect(await seen(page.getByRole('group', { name: 'Allergy 2' }))).toContain('not coded');
    await shot(page, 'register-filled');
    await page.getByRole('button', { name: 'Register patient' }).click();

    const summary = page.getByRole('region', { name: 'Patient summary' });
    expect(await seen(summary)).toContain(`Ngozi ${lastName}`);
    expect(await seen(summary)).toMatch(/Allergies:.*Penicillins · severe.*cat hair.*not coded/);
    expect(await seen(summary)).toContain(
      'born May 21, 1988'.replace(
        'May 21, 1988',
        await page.evaluate(() =>
          new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(1988, 4, 21)),
        ),
      ),
    );
    await mainScreen(page, 'chart-records');
    // The chart's summary lists each allergy in full.
    const allergies = page.getByRole('table', { name: 'Allergies' });
    expect(await seen(allergies.getByRole('row', { name: /Penicillins/ }))).toMatch(
      /Drug class \(ATC J01C\) Urticaria and wheeze Severe Recorded by you/,
    );
    expect(await seen(allergies.getByRole('row', { name: /cat hair/ }))).toMatch(/Not coded \(free text\).*Not known Recorded by you/);
    // Pointing at a badge in the header tells the same.
    await summary.getByText('Penicillins · severe').hover();
    expect(await seen(page.getByText('Reaction: Urticaria and wheeze', { exact: true }))).toBeTruthy();
    await shot(page, 'allergy-tooltip');
    await page.getByRole('tab', { name: 'Details' }).click();
    expect(await seen(page.getByRole('table', { name: 'Allergies' }))).toContain('Urticaria and wheeze');
    await mainScreen(page, 'patient-details');
  });

  it('finds a patient as they type by name, by MRN digits alone, and by phone in any common form', async () => {
    const records = await loggedIn(h.env, 'records');
    const lastName = uniqueWord('Adebayo');
    const created = await records.mutate('patients.create', {
      firstName: 'Tunde',
      lastName,
      gender: 'Male',
      dob: '1979-02-03',
      phoneNumber: '+234 803 555 0101',
      allergies: [{ kind: 'class', code: 'nsaids', substance: 'NSAIDs', reaction: 'Angioedema', severity: 'severe' }, 'house dust'],
    });
    expect(created.status).toBe(200);
    const mrn = created.data.mrn as string;
    const page = await openAs(h, 'records');
    const search = page.getByLabel('Search patients');
    const row = () => page.getByRole('row', { name: new RegExp(lastName) });

    await search.fill(lastName.slice(0, 8));
    expect(await seen(row())).toContain(mrn);
    expect(await seen(row())).toMatch(/NSAIDs.*house dust/);
    await mainScreen(page, 'patients');
    for (const q of [
      mrn.replace(/^HMIS-/, ''),
      mrn.replace(/^HMIS-0*/, '').padStart(5, '0'),
      '0803 555 0101',
      '08035550101',
      '+234 803 555 0101',
      '5550101',
    ]) {
      await search.fill(q);
      expect(await seen(row()), `search "${q}"`).toContain('Tunde');
    }
    await search.fill('no-such-person-xyz');
    expect(await seen(page.getByText(/No patient matches/))).toContain('no-such-person-xyz');
    // The search stays in the address: Back from a chart returns to the same results.
    await search.fill(lastName);
    await row().getByRole('link').click();
    await page.getByRole('region', { name: 'Patient summary' }).waitFor();
    await page.goBack();
    expect(await search.inputValue()).toBe(lastName);
  });

  it('corrects demographics with the version it read, and says so when someone else saved first', async () => {
    const records = await loggedIn(h.env, 'records');
    const created = await records.mutate('patients.create', {
      firstName: 'Ada',
      lastName: uniqueWord('Obi'),
      gender: 'Female',
      dob: '1990-04-16',
    });
    const id = created.data.id as number;
    const page = await openAs(h, 'records');
    await page.goto(`${h.base}/patients/${id}/details`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByLabel('Address', { exact: true }).fill('7 Marina Road, Lagos');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await seen(page.getByText('7 Marina Road, Lagos'))).toBeTruthy();
    expect(await seen(page.getByText(/version 2/))).toBeTruthy();

    // Someone else saves while this form is open.
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByLabel('Phone').fill('0805 111 2222');
    const other = await records.mutate('patients.update', { id, version: 2, address: '9 Broad Street, Lagos' });
    expect(other.status).toBe(200);
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await seen(page.getByRole('alert').filter({ hasText: 'Someone else saved' }))).toContain(
      'Someone else saved this patient first',
    );
    await mainScreen(page, 'stale-version');
    await page.getByRole('button', { name: 'Load the latest version' }).click();
    await expect.poll(() => page.getByLabel('Address', { exact: true }).inputValue()).toBe('9 Broad Street, Lagos');
    await page.getByLabel('Phone').fill('0805 111 2222');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await seen(page.getByText(/^(\+234|0)8051112222$/))).toBeTruthy();
  });
});
