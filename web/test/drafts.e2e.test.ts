/**
 * No lost work (issue 13): every clinical form keeps a draft per user, patient and form in the browser until it is
 * saved or discarded, and opens from it with a visible notice after a reload or a closed tab; one user's drafts are
 * never shown to another at the same browser, and signing out clears them. A failed save puts the focus on the first
 * field to correct, and a save that cannot reach the server offers Retry.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput, uniqueName, type TrpcClient } from '../../server/test/helpers';
import { choose, loggedIn, mainScreen, openAs, seen, shot, signIn, signOut, startHarness, type Harness } from './browser';

let h: Harness;
/** The record officer who registers each test's patients through the API. */
let records: TrpcClient;
beforeAll(async () => {
  h = await startHarness();
  records = await loggedIn(h.env, 'records');
});
afterAll(async () => h?.close());

const newPatient = async (overrides: Record<string, unknown> = {}) =>
  (await records.mutate<{ id: number; mrn: string }>('patients.create', patientInput(overrides))).data;

/** The drafts kept in the page's browser (their localStorage keys). */
const draftKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hmis-draft:')));

/** The accessible name of the focused element, as a screen reader would announce where the user is. */
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent?.replace(/\s*\*$/, '').trim() ?? el?.getAttribute('aria-label') ?? null;
  });

describe('drafts', () => {
  it('a nurse’s note survives a reload and a closed tab, is restored with a notice, and is gone once saved', async () => {
    const patient = await newPatient();
    const page = await openAs(h, 'nurse');
    const notes = `${h.base}/patients/${patient.id}/notes`;
    await page.goto(notes);
    const text = 'Wound dressing changed; small amount of serous exudate';
    await page.getByLabel('New note').fill(text);

    // Reloaded at once: what was typed comes back, and the page says it is a draft.
    await page.reload();
    expect(await page.getByLabel('New note').inputValue()).toBe(text);
    expect(await seen(page.getByRole('status').filter({ hasText: 'Draft restored' }))).toMatch(
      /Draft restored from \d\d:\d\d: not saved yet/,
    );
    await mainScreen(page, 'draft-restored');

    // The tab closed, the patient opened again in a new one.
    const context = page.context();
    await page.getByLabel('New note').pressSequentially(' — reviewed');
    await page.close();
    const again = await context.newPage();
    await again.goto(notes);
    expect(await again.getByLabel('New note').inputValue()).toBe(`${text} — reviewed`);

    // Saved: the draft is gone; the next visit starts empty.
    await again.getByRole('button', { name: 'Add note' }).click();
    await again.getByRole('list', { name: 'Nurse notes' }).getByText(`${text} — reviewed`).waitFor();
    expect(await again.getByText('Draft restored').count()).toBe(0);
    expect(await draftKeys(again)).toEqual([]);
    await again.reload();
    await again.getByRole('list', { name: 'Nurse notes' }).waitFor();
    expect(await again.getByLabel('New note').inputValue()).toBe('');
    await context.close();
  });

  it('a consultation not yet saved opens again after a reload, for that patient only; Discard draft empties it', async () => {
    const patient = await newPatient();
    const other = await newPatient();
    const page = await openAs(h, 'doctor');
    await page.goto(`${h.base}/patients/${patient.id}/consultations`);
    await page.getByRole('button', { name: 'New consultation' }).click();
    await page.getByLabel('Presenting complaint', { exact: true }).fill('Headache for two weeks, worse in the mornings');
    await page.getByLabel(/^Provisional diagnosis/).fill('Tension-type headache');
    await page.reload();

    expect(await page.getByLabel('Presenting complaint', { exact: true }).inputValue()).toBe(
      'Headache for two weeks, worse in the mornings',
    );
    expect(await page.getByLabel(/^Provisional diagnosis/).inputValue()).toBe('Tension-type headache');
    await mainScreen(page, 'consultation-draft');

    await page.goto(`${h.base}/patients/${other.id}/consultations`);
    await page.getByRole('button', { name: 'New consultation' }).waitFor();
    expect(await page.getByLabel('Presenting complaint', { exact: true }).count()).toBe(0);

    await page.goto(`${h.base}/patients/${patient.id}/consultations`);
    await page.getByRole('button', { name: 'Discard draft' }).click();
    expect(await page.getByLabel('Presenting complaint', { exact: true }).inputValue()).toBe('');
    expect(await draftKeys(page)).toEqual([]);
    await page.context().close();
  });

  it('one user’s draft is never shown to the next user of the browser, and signing out clears the drafts', async () => {
    const patient = await newPatient();
    const page = await openAs(h, 'nurse');
    const notes = `${h.base}/patients/${patient.id}/notes`;
    await page.goto(notes);
    await page.getByLabel('New note').fill('Private to the first nurse');
    await expect.poll(() => draftKeys(page)).toHaveLength(1);
    await signOut(page);
    expect(await draftKeys(page)).toEqual([]);

    // Typed again, then the session is lost without signing out (cookie gone): the draft stays at rest…
    await signIn(page, 'nurse');
    await page.getByRole('button', { name: /account menu$/ }).waitFor();
    await page.goto(notes);
    await page.getByLabel('New note').fill('Private to the first nurse, again');
    await page.context().clearCookies();
    await page.reload();
    expect(await draftKeys(page)).toHaveLength(1);
    // …until someone else signs in at this browser: they never see it, and it is removed.
    await signIn(page, 'nurse2');
    await page.getByRole('button', { name: /account menu$/ }).waitFor();
    await page.goto(notes);
    await page.getByRole('list', { name: 'Nurse notes' }).or(page.getByText('No nurse notes yet.')).waitFor();
    expect(await page.getByLabel('New note').inputValue()).toBe('');
    expect(await page.getByText('Draft restored').count()).toBe(0);
    expect(await draftKeys(page)).toEqual([]);
    await page.context().close();
  });
});

describe('a failed save', () => {
  it('moves the focus to the first field to correct: the browser’s check, then the server’s', async () => {
    // A number from the paper records, already given to another patient.
    const existing = await newPatient({ mrn: uniqueName('OLD-').toUpperCase() });
    const page = await openAs(h, 'records');
    await page.goto(`${h.base}/patients/new`);
    await page.getByLabel('First name').fill('Chidi');
    await page.getByLabel('Last name').fill('Okafor');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await expect.poll(() => focusedLabel(page)).toBe('Sex');

    await choose(page, 'Sex', 'Male');
    await page.getByLabel('Date of birth').fill('02/03/1979');
    await page.getByLabel('MRN').fill(existing.mrn);
    await page.getByRole('button', { name: 'Register patient' }).click();
    expect(await seen(page.getByText('MRN is already in use'))).toBeTruthy();
    await expect.poll(() => focusedLabel(page)).toBe('MRN');
    await mainScreen(page, 'save-refused-focus');
    await page.context().close();
  });

  it('that cannot reach the server says so and offers Retry, which saves what was typed', async () => {
    const patient = await newPatient();
    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patient.id}/vitals`);
    await page.getByRole('button', { name: 'Record vitals' }).click();
    await page.getByLabel('Pulse (beats/min)').fill('84');
    await page.getByLabel('Temperature (°C)').fill('36,9');

    await page.route('**/trpc/vitals.create**', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Record vital signs' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
    expect(await seen(alert)).toContain('Not saved: the server could not be reached');
    expect(await page.getByLabel('Pulse (beats/min)').inputValue()).toBe('84');
    await mainScreen(page, 'save-network-failure');

    await page.unroute('**/trpc/vitals.create**');
    await alert.getByRole('button', { name: 'Retry' }).click();
    expect(await seen(page.getByRole('row', { name: /84/ }))).toContain('36.9');
    await shot(page, 'save-retried');
    await page.context().close();
  });
});
