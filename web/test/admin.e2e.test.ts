/**
 * The admin: staff accounts for every role, the audit trail, the facility statistics. No lost work (issue 13): the
 * staff form keeps a draft, never its password.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput, uniqueWord } from '../../server/test/helpers';
import { choose, loggedIn, mainScreen, openAs, seen, signIn, startHarness, TEST_CONTEXT, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('admin', () => {
  it('creates a doctor who then signs in; deactivates, reactivates and resets the password', async () => {
    const page = await openAs(h, 'admin');
    expect(await seen(page.getByRole('heading', { level: 1 }))).toBe('Staff');
    const username = uniqueWord('adaeze').toLowerCase();
    await page.getByRole('button', { name: 'New staff account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    expect(await seen(dialog.getByText('First name is required'))).toBeTruthy();
    await dialog.getByLabel(/^First name/).fill('Adaeze');
    await dialog.getByLabel(/^Last name/).fill('Nwankwo');
    await choose(page, 'Sex', 'Female');
    await choose(page, 'Role', 'Doctor');
    await dialog.getByLabel(/^Username/).fill(username);
    await dialog.getByLabel(/^Email/).fill(`${username}@hospital.example`);
    await dialog.getByLabel(/^Initial password/).fill('short');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    expect(await seen(dialog.getByText(/Initial password|Password/).filter({ hasText: /at least 10/ }))).toBeTruthy();
    await dialog.getByLabel(/^Initial password/).fill('welcome-doctor-2026');
    await mainScreen(page, 'staff-form');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: new RegExp(username) });
    expect(await seen(row)).toContain('Adaeze Nwankwo');
    await mainScreen(page, 'staff');

    // The new doctor signs in in another browser.
    const context = await h.browser.newContext(TEST_CONTEXT);
    const doc = await context.newPage();
    await doc.goto(h.base);
    await signIn(doc, username, 'welcome-doctor-2026');
    expect(await seen(doc.getByRole('button', { name: /account menu$/ }))).toContain('Adaeze Nwankwo');

    // Edited: a new job title.
    await row.getByRole('button', { name: /Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Edit details' }).click();
    await page.getByRole('dialog').getByLabel('Job title').fill('Senior Registrar');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => seen(row)).toContain('Senior Registrar');

    // Deactivated: the session ends and sign-in is refused; reactivated: it works again.
    await row.getByRole('button', { name: /Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Deactivate' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('radiogroup', { name: 'Accounts' }).getByText('Deactivated', { exact: true }).click();
    expect(await seen(page.getByRole('row', { name: new RegExp(username) }))).toContain('deactivated');
    await doc.reload();
    await signIn(doc, username, 'welcome-doctor-2026');
    expect(await seen(doc.getByRole('alert'))).toMatch(/Wrong username or password|deactivated/i);
    await page
      .getByRole('row', { name: new RegExp(username) })
      .getByRole('button', { name: /Actions for/ })
      .click();
    await page.getByRole('menuitem', { name: 'Reactivate' }).click();
    await page.getByRole('row', { name: new RegExp(username) }).waitFor({ state: 'detached' });

    await page.getByRole('radiogroup', { name: 'Accounts' }).getByText('Active', { exact: true }).click();
    await page
      .getByRole('row', { name: new RegExp(username) })
      .getByRole('button', { name: /Actions for/ })
      .click();
    await page.getByRole('menuitem', { name: 'Reset password' }).click();
    await page.getByRole('dialog').getByLabel('New password').fill('reset-by-admin-2026');
    await page.getByRole('dialog').getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await signIn(doc, username, 'reset-by-admin-2026');
    expect(await seen(doc.getByRole('button', { name: /account menu$/ }))).toContain('Adaeze Nwankwo');
    await context.close();

    // The audit trail of that staff account shows who did all this.
    await page
      .getByRole('row', { name: new RegExp(username) })
      .getByRole('button', { name: /Actions for/ })
      .click();
    await page.getByRole('menuitem', { name: 'Audit trail' }).click();
    const events = page.getByRole('table', { name: 'Audit events' });
    expect(await seen(events)).toContain('signed in');
    await mainScreen(page, 'audit-staff');
  });

  it("shows a patient's audit trail with the fields changed, never their values (issue 11, finding 8)", async () => {
    const records = await loggedIn(h.env, 'records');
    const created = await records.mutate('patients.create', patientInput({ address: 'Secret address one' }));
    const patient = created.data as { id: number; version: number; lastName: string };
    expect(
      (await records.mutate('patients.update', { id: patient.id, version: patient.version, address: 'Secret address two' })).status,
    ).toBe(200);
    const page = await openAs(h, 'admin');
    await page.goto(`${h.base}/audit?patientId=${patient.id}`);
    const events = page.getByRole('table', { name: 'Audit events' });
    await expect.poll(() => seen(events)).toMatch(/changed/);
    await events
      .getByRole('row', { name: /changed/ })
      .getByRole('button', { name: 'View change' })
      .click();
    const dialog = page.getByRole('dialog');
    expect(await seen(dialog)).toContain('Fields: Address');
    expect(await seen(dialog)).not.toContain('Secret address');
    await mainScreen(page, 'audit-patient-change');
  });

  it('shows the facility statistics with charts', async () => {
    const page = await openAs(h, 'admin');
    await page.getByRole('link', { name: 'Facility statistics' }).click();
    expect(await seen(page.getByRole('figure', { name: 'Active staff by role' }))).toContain('Doctor');
    await mainScreen(page, 'statistics');
  });
});

/** Everything this browser keeps in localStorage for the page, keys and values. */
const stored = (page: Page) => page.evaluate(() => Object.entries(localStorage));

describe('the staff form’s draft', () => {
  it('survives a reload with “Draft restored” and never holds the password', async () => {
    const page = await openAs(h, 'admin');
    const username = uniqueWord('obinna').toLowerCase();
    const password = 'never-in-storage-2026';
    await page.getByRole('button', { name: 'New staff account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^First name/).fill('Obinna');
    await dialog.getByLabel(/^Last name/).fill('Eze');
    await choose(page, 'Role', 'Nurse');
    await dialog.getByLabel(/^Username/).fill(username);
    await dialog.getByLabel(/^Initial password/).fill(password);
    await dialog.getByLabel(/^Email/).fill(`${username}@hospital.example`);

    // The draft holds what was typed but the password, which is nowhere in the browser's storage.
    await expect.poll(async () => (await stored(page)).find(([k]) => k.startsWith('hmis-draft:'))?.[1] ?? '').toContain(username);
    const [key, value] = (await stored(page)).find(([k]) => k.startsWith('hmis-draft:'))!;
    expect(key).toMatch(/^hmis-draft:\d+:staff:none$/);
    expect(Object.keys((JSON.parse(value) as { values: object }).values)).not.toContain('password');
    expect(JSON.stringify(await stored(page))).not.toContain(password);

    // Reloaded: the dialog opens again from the draft, and asks for the password again.
    await page.reload();
    expect(await seen(dialog.getByRole('status').filter({ hasText: 'Draft restored' }))).toMatch(/Draft restored from \d\d:\d\d/);
    expect(await dialog.getByLabel(/^Username/).inputValue()).toBe(username);
    expect(await dialog.getByRole('combobox', { name: 'Role', exact: true }).inputValue()).toBe('Nurse');
    expect(await dialog.getByLabel(/^Initial password/).inputValue()).toBe('');
    await mainScreen(page, 'staff-draft-restored');

    await choose(page, 'Sex', 'Male');
    await dialog.getByLabel(/^Initial password/).fill(password);
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await stored(page)).filter(([k]) => k.startsWith('hmis-draft:'))).toEqual([]);
    expect(JSON.stringify(await stored(page))).not.toContain(password);
    await page.getByRole('tab', { name: /Nurses/ }).click();
    expect(await seen(page.getByRole('row', { name: new RegExp(username) }))).toContain('Obinna Eze');
    await page.context().close();
  });
});
