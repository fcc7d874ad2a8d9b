/**
 * The web client end to end: the built client served by the real app on a fresh database, driven in Chromium.
 * Each test signs in as the role it is about in its own browser context; data a test needs but is not about is
 * made through the API.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, drugInput, loggedIn, patientInput, PASSWORD, uniqueName, type TestEnv } from '../../server/test/helpers';

const webDir = path.resolve(import.meta.dirname, '..');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync',
];

let env: TestEnv;
let browser: Browser;
let base: string;

/** The client must exist before the app is built: the server serves web/dist only if it finds it at start. */
function buildClient() {
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`vite build failed:\n${res.stdout}\n${res.stderr}`);
}

beforeAll(async () => {
  buildClient();
  env = await createTestEnv();
  base = await env.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

async function openAs(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Waits until the locator is on screen and returns its text. */
async function seen(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: 'visible', timeout: 15_000 });
  return (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/hmis-${name}.png`, fullPage: true });
}

async function registeredPatient(overrides: Record<string, unknown> = {}) {
  const records = await loggedIn(env, 'records');
  const res = await records.mutate('patients.create', patientInput(overrides));
  expect(res.status).toBe(200);
  return res.data as { id: number; firstName: string; lastName: string; mrn: string };
}

async function stockedDrug(overrides: Record<string, unknown> = {}) {
  const pharmacist = await loggedIn(env, 'pharmacist');
  const res = await pharmacist.mutate('drugs.create', drugInput(overrides));
  expect(res.status).toBe(200);
  return res.data as { id: number; name: string };
}

describe('the web client', () => {
  it('serves the client at / and deep links, but leaves API paths alone', async () => {
    const html = { accept: 'text/html' };
    const index = await fetch(`${base}/`, { headers: html });
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${base}/patients/12`, { headers: html })).text()).toContain('<div id="root">');
    const api = await fetch(`${base}/trpc/nope`, { headers: html });
    expect(api.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${base}/api/nope`, { headers: html })).status).toBe(404);
    expect((await fetch(`${base}/no-such-file.js`)).status).toBe(404);
  });

  it('renders the interactive API docs, where a person signs in and tries a call', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/api/docs`);
    expect(await seen(page.locator('.info .title'))).toContain('HMIS API');
    await page.locator('#operations-auth-postAuthLogin').click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page.locator('#operations-auth-postAuthLogin textarea.body-param__text').fill(JSON.stringify({ username: 'records', password: PASSWORD }));
    await page.getByRole('button', { name: 'Execute' }).click();
    expect(await seen(page.locator('#operations-auth-postAuthLogin .live-responses-table tbody .response-col_status'))).toContain('200');
    await context.close();
  });

  it('shows a wrong password as a message on the sign-in form', async () => {
    const page = await browser.newPage();
      await page.goto(base);
    await page.getByLabel('Username or email').fill('records');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await seen(page.getByRole('alert'))).toBe('Wrong username or password');
    await screenshot(page, 'login');
    await page.close();
  });

  it('lets a record officer register a patient with an allergy and find them by search', async () => {
    const page = await openAs('records');
    const lastName = uniqueName('Okonkwo');
    await page.getByRole('link', { name: 'Register patient' }).click();

    // Missing required fields are reported next to each field, not only at the top.
    await page.getByRole('button', { name: 'Register patient' }).click();
    expect(await seen(page.locator('label', { hasText: 'First name' }))).toContain('Required');
    await screenshot(page, 'register-errors');

    await page.getByLabel('First name').fill('Ngozi');
    await page.getByLabel('Last name').fill(lastName);
    await page.getByLabel('Sex').selectOption('Female');
    await page.getByLabel('Date of birth').fill('1988-05-21');
    await page.getByLabel('Phone').fill('+234 803 555 7788');
    await page.getByLabel('Marital status').selectOption('Married');
    await page.getByLabel('Allergies').fill('penicillin, latex');
    await page.getByRole('button', { name: 'Register patient' }).click();

    // The new chart opens with the allergy banner.
    expect(await seen(page.getByText('Allergies: penicillin, latex'))).toContain('penicillin, latex');
    expect(await seen(page.locator('.patient-banner'))).toContain(`Ngozi ${lastName}`);

    await page.getByRole('link', { name: 'Patients', exact: true }).first().click();
    await page.getByLabel('Search patients').fill(lastName.slice(0, 9));
    const row = page.getByRole('row', { name: new RegExp(lastName) });
    expect(await seen(row)).toContain('penicillin, latex');
    await page.getByLabel('Search patients').fill('+2348035557788');
    expect(await seen(page.getByRole('row', { name: new RegExp(lastName) }))).toContain('Ngozi');
    await screenshot(page, 'patients');
  });

  it('lets a nurse record vital signs and shows a pulse of 130 as abnormal', async () => {
    const patient = await registeredPatient({ allergies: ['sulfa'] });
    const page = await openAs('nurse');
    await page.goto(`${base}/#/patients/${patient.id}/vitals`);
    // A reload keeps the session and fetches the CSRF token again: the save below proves it.
    await page.reload();
    await page.getByRole('button', { name: 'Record vitals' }).click();
    await page.getByLabel('Pulse').fill('130');
    await page.getByLabel('Temperature').fill('36.8');
    await page.getByLabel('Systolic BP').fill('118');
    await page.getByLabel('Diastolic BP').fill('76');
    await screenshot(page, 'vitals-form');
    await page.getByRole('button', { name: 'Record vital signs' }).click();

    const row = page.getByRole('row', { name: /130/ });
    const text = await seen(row);
    await screenshot(page, 'vitals');
    expect(text).toContain('130 ↑');
    expect(text).toContain('Pulse high');
    expect(text).toContain('118 / 76');
    expect(text).toContain('editable until');

    await page.getByRole('link', { name: 'Nurse notes' }).click();
    await page.getByLabel('New note').fill('Tachycardic on arrival; doctor informed.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = await seen(page.getByRole('listitem').filter({ hasText: 'Tachycardic on arrival; doctor informed.' }));
    expect(note).toContain('nurse Tester');
    expect(note).toContain('editable until');
  });

  it('lets a doctor add a consultation and write its prescription, asking for a reason on an allergy match', async () => {
    const patient = await registeredPatient({ allergies: ['penicillin'] });
    const drug = await stockedDrug({ name: uniqueName('Amoxil'), stockOnHand: 200 });
    const risky = await stockedDrug({ name: uniqueName('PenV'), genericName: 'phenoxymethylpenicillin' });
    const page = await openAs('doctor');
    await page.goto(`${base}/#/patients/${patient.id}/consultations`);

    await page.getByRole('button', { name: 'New consultation' }).click();
    await page.getByRole('button', { name: 'Save consultation' }).click();
    expect(await seen(page.locator('label', { hasText: 'Provisional diagnosis' }))).toContain('Required');
    await page.getByLabel('Presenting complaint', { exact: true }).fill('Fever and cough for 3 days');
    await page.getByLabel('Provisional diagnosis').fill('Community-acquired pneumonia');
    await page.getByLabel('Plan').fill('Chest X-ray; oral antibiotics');
    await page.getByRole('button', { name: 'Save consultation' }).click();

    const row = page.getByRole('row', { name: /Community-acquired pneumonia/ });
    expect(await seen(row)).toContain('editable until');
    await row.getByRole('link').click();

    expect(await seen(page.locator('.panel', { hasText: 'Consultation by' }))).toContain('Fever and cough for 3 days');
    await page.getByLabel('Drug 1').selectOption(String(drug.id));
    await page.getByLabel('Dose').fill('500 mg');
    await page.getByLabel('Frequency').fill('8-hourly');
    await page.getByLabel('Duration').fill('5 days');
    await page.getByLabel('Quantity').fill('15');
    await page.getByRole('button', { name: 'Add another drug' }).click();
    await page.getByLabel('Drug 2').selectOption(String(risky.id));
    expect(await seen(page.getByText('patient allergic to penicillin'))).toContain('Allergy override reason');
    await screenshot(page, 'prescription-form');
    await page.getByRole('button', { name: 'Remove drug 2' }).click();
    await page.getByRole('button', { name: 'Save prescription' }).click();

    const lines = page.getByRole('row', { name: new RegExp(drug.name) });
    expect(await seen(lines)).toContain('8-hourly');
    expect(await seen(page.locator('.meta-line'))).toContain('pending');
    await screenshot(page, 'consultation');
  });

  it('lets a pharmacist dispense from the queue and explains a refusal for short stock', async () => {
    const patient = await registeredPatient();
    const plenty = await stockedDrug({ stockOnHand: 100, reorderLevel: 10 });
    const scarce = await stockedDrug({ stockOnHand: 3, reorderLevel: 10 });
    const doctor = await loggedIn(env, 'doctor');
    const prescribe = async (drugId: number, quantity: number) => {
      const c = await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Malaria' });
      const line = { drugId, dose: '1 tab', frequency: 'daily', duration: '3 days', route: 'oral', quantity };
      const res = await doctor.mutate('prescriptions.create', { patientId: patient.id, consultationId: c.data.id, lines: [line] });
      expect(res.status).toBe(200);
    };
    await prescribe(plenty.id, 10);
    await prescribe(scarce.id, 20);

    const page = await openAs('pharmacist');
    const card = (drugName: string) => page.locator('.panel', { has: page.getByRole('cell', { name: drugName }) });
    const name = `${patient.firstName} ${patient.lastName}`;
    expect(await seen(card(scarce.name).getByText(name))).toContain(name);
    await screenshot(page, 'pharmacy');

    await card(scarce.name).getByRole('button', { name: 'Dispense' }).click();
    expect(await seen(card(scarce.name).getByRole('alert'))).toBe(`Not enough ${scarce.name} in stock: 20 needed, 3 on hand`);

    await card(plenty.name).getByRole('button', { name: 'Dispense' }).click();
    await card(plenty.name).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Dispensed' }).click();
    expect(await seen(card(plenty.name))).toContain('dispensed');

    await page.getByRole('link', { name: 'Drugs' }).click();
    expect(await seen(page.getByRole('row', { name: new RegExp(plenty.name) }))).toContain('90');
    expect(await seen(page.getByRole('row', { name: new RegExp(scarce.name) }))).toContain('reorder');
    await screenshot(page, 'drugs');
  });

  it('signs out back to the sign-in form; the old session is gone and the next user starts fresh', async () => {
    const page = await openAs('doctor');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // The next person at the same screen gets their own session and pages.
    await page.getByLabel('Username or email').fill('pharmacist');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await seen(page.locator('header'))).toContain('pharmacist Tester');
    expect(await seen(page.getByRole('heading', { level: 1 }))).toBe('Pharmacy queue');
  });
});
