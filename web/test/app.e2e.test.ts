/** Serving the client, signing in and out, changing one's own password. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput } from '../../server/test/helpers';
import { loggedIn, mainScreen, openAs, PASSWORD, seen, shot, signIn, signOut, startHarness, TEST_CONTEXT, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('the web client', () => {
  it('serves the client at / and deep links, but leaves API paths alone', async () => {
    const html = { accept: 'text/html' };
    const index = await fetch(`${h.base}/`, { headers: html });
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    const asset = await fetch(`${h.base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${h.base}/patients/12/vitals`, { headers: html })).text()).toContain('<div id="root">');
    const api = await fetch(`${h.base}/trpc/nope`, { headers: html });
    expect(api.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${h.base}/api/nope`, { headers: html })).status).toBe(404);
    expect((await fetch(`${h.base}/no-such-file.js`)).status).toBe(404);
  });

  it('runs under its Content-Security-Policy: no inline script, nothing refused, for every role and the API docs (issue 11, finding 12)', async () => {
    const refused: string[] = [];
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } }); // the policy enforced
    for (const [username, link] of [
      ['admin', 'Facility statistics'],
      ['pharmacist', 'Drug inventory'],
      ['doctor', null],
      ['nurse', null],
      ['records', null],
    ] as const) {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refused.push(`${username}: ${m.text()}`);
      });
      await page.goto(h.base);
      await signIn(page, username);
      await page.getByRole('button', { name: /account menu$/ }).waitFor();
      if (link)
        await page
          .getByRole('link', { name: new RegExp(link) })
          .first()
          .click();
      await page.waitForLoadState('networkidle');
      await signOut(page);
      await page.close();
    }
    const docs = await context.newPage();
    docs.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(`docs: ${m.text()}`);
    });
    await docs.goto(`${h.base}/api/docs`);
    expect(await seen(docs.locator('.info .title'))).toContain('HMIS API');
    await context.close();
    expect(refused).toEqual([]);
  });

  it('renders the interactive API docs, where a person signs in and tries a call', async () => {
    const context = await h.browser.newContext({ ...TEST_CONTEXT, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${h.base}/api/docs`);
    expect(await seen(page.locator('.info .title'))).toContain('HMIS API');
    await page.locator('#operations-auth-postAuthLogin').click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page
      .locator('#operations-auth-postAuthLogin textarea.body-param__text')
      .fill(JSON.stringify({ username: 'records', password: PASSWORD }));
    await page.getByRole('button', { name: 'Execute' }).click();
    expect(await seen(page.locator('#operations-auth-postAuthLogin .live-responses-table tbody .response-col_status'))).toContain('200');
    await context.close();
  });

  it('shows a wrong password as a message on the sign-in form, and signs in by email too', async () => {
    const page = await h.browser.newPage(TEST_CONTEXT);
    await page.goto(h.base);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await seen(page.getByText('Enter your username or email'))).toBeTruthy();
    await signIn(page, 'records', 'not-the-password');
    expect(await seen(page.getByRole('alert'))).toBe('Wrong username or password');
    await mainScreen(page, 'sign-in');
    await signIn(page, 'records@test.example');
    expect(await seen(page.getByRole('button', { name: /account menu$/ }))).toContain('records Tester');
    await page.close();
  });

  it('signs out back to the sign-in form; the old session is gone and the next user starts on their own page', async () => {
    const page = await openAs(h, 'doctor');
    await signOut(page);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await signIn(page, 'pharmacist');
    expect(await seen(page.getByRole('banner'))).toContain('pharmacist Tester');
    expect(await seen(page.getByRole('heading', { level: 1 }))).toBe('Pharmacy queue');
  });

  it("a sign-out in one tab ends the user's page in the browser's other tabs; the next user does not land on it", async () => {
    const records = await loggedIn(h.env, 'records');
    const patient = (await records.mutate('patients.create', patientInput())).data as { id: number; lastName: string };
    const first = await openAs(h, 'doctor');
    const second = await first.context().newPage();
    await second.goto(`${h.base}/patients/${patient.id}`);
    await second.getByRole('region', { name: 'Patient summary' }).waitFor();

    await signOut(first);
    // The other tab leaves the chart for the sign-in page by itself: nothing of it stays on screen.
    await second.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(second.url()).pathname).toBe('/');
    expect(await second.getByText(patient.lastName).count()).toBe(0);

    // The doctor's tab, reloaded on the chart's address, is then used by a pharmacist: the pharmacist's start page.
    await second.goto(`${h.base}/patients/${patient.id}`);
    await signIn(second, 'pharmacist');
    await second.getByRole('button', { name: /account menu$/ }).waitFor();
    expect(await seen(second.getByRole('heading', { level: 1 }))).toBe('Pharmacy queue');
    expect(new URL(second.url()).pathname).toBe('/pharmacy');
    // The same user signing in again on an address goes there (their own work, after a reload).
    await signOut(second);
    await second.goto(`${h.base}/drugs`);
    await signIn(second, 'pharmacist');
    await second.getByRole('button', { name: /account menu$/ }).waitFor();
    expect(await seen(second.getByRole('heading', { level: 1 }))).toBe('Drug inventory');
  });

  it('lets anyone change their own password; the old one stops working and other sessions end', async () => {
    const other = await loggedIn(h.env, 'nurse2');
    const page = await openAs(h, 'nurse2');
    await page.getByRole('button', { name: /account menu$/ }).click();
    await page.getByRole('menuitem', { name: 'Change my password' }).click();
    await page.getByLabel('Current password').fill('wrong-password-1');
    await page.getByLabel('New password', { exact: true }).fill('a-new-password-2026');
    await page.getByLabel('Repeat the new password').fill('a-new-password-2026');
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await seen(page.getByText(/current password is wrong/i))).toBeTruthy();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await seen(page.getByText('Your password has been changed.'))).toBeTruthy();
    await mainScreen(page, 'change-password');
    // This browser's session continues (a write needs the new CSRF token); the other session has ended.
    await page.goto(`${h.base}/patients`);
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    expect((await other.query('auth.me')).data).toMatchObject({ authenticated: false });
    await signOut(page);
    await signIn(page, 'nurse2', PASSWORD);
    expect(await seen(page.getByRole('alert'))).toBe('Wrong username or password');
    await signIn(page, 'nurse2', 'a-new-password-2026');
    await page.getByRole('button', { name: /account menu$/ }).waitFor();
    await shot(page, 'after-password-change');
  });
});
