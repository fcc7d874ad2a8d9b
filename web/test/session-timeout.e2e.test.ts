/**
 * A shared ward workstation (issue 11, finding 7): the server ends a session after its idle limit without a request.
 * The client warns before, with a countdown (Stay signed in / Sign out); once it has ended, it says so and what was
 * not saved, and signing in again returns to the same page. Here the idle limit is 40 seconds, not 30 minutes: the
 * warning comes 20 seconds after the last request, the end 10 seconds later.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../server/src/db/schema';
import { patientInput } from '../../server/test/helpers';
import { expectAccessible, loggedIn, openAs, seen, shot, signIn, startHarness, type Harness } from './browser';

const IDLE_MS = 40_000;
let h: Harness;
let patientId: number;

beforeAll(async () => {
  h = await startHarness({ sessionIdleMs: IDLE_MS });
  const records = await loggedIn(h.env, 'records');
  patientId = ((await records.mutate('patients.create', patientInput())).data as { id: number }).id;
});
afterAll(async () => h?.close());

describe('the session timeout in the browser', () => {
  it('warns before the idle limit, stays signed in on request, then ends the session and signs in again on the same page', async () => {
    const page = await openAs(h, 'nurse');
    const notesPage = `${h.base}/patients/${patientId}/notes`;
    await page.goto(notesPage);
    await page.getByLabel('New note').fill('Patient comfortable, pain 2/10');

    // Typing sends nothing: the warning comes all the same, with a countdown, and says the note is not saved yet.
    const warning = page.getByRole('dialog', { name: 'Are you still there?' });
    await warning.waitFor({ timeout: IDLE_MS });
    const text = await seen(warning);
    expect(text).toMatch(/You will be signed out in 0:(0\d|10) for inactivity/);
    expect(text).toContain('after 40 seconds without use');
    expect(text).toContain('Text you typed on this page is not saved yet');
    const before = await seen(warning.getByRole('timer'));
    await page.waitForTimeout(1100);
    expect(await seen(warning.getByRole('timer'))).not.toBe(before);
    await shot(page, 'session-warning');
    await expectAccessible(page, 'session-warning');

    // Stay signed in: the warning goes, the session goes on, the note is still there.
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'detached' });
    expect(await page.getByLabel('New note').inputValue()).toBe('Patient comfortable, pain 2/10');

    // Left alone again: the warning, then the end. The page and its note are gone; the screen says why.
    await warning.waitFor({ timeout: IDLE_MS });
    const ended = page.getByRole('main');
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor({ timeout: IDLE_MS });
    expect(await seen(ended)).toContain('Your session ended after 40 seconds without use');
    expect(await seen(ended.getByRole('alert'))).toContain('Text you had typed on this page and not saved could not be kept');
    expect(await page.getByLabel('New note').count()).toBe(0);
    await shot(page, 'session-ended');
    await expectAccessible(page, 'session-ended');
    // Ended on the server too: a reload (or anyone at this screen) finds no session.
    const me = await page.evaluate(async () => (await fetch('/trpc/auth.me')).json());
    expect(me).toMatchObject({ result: { data: { authenticated: false } } });

    await page.getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, 'nurse');
    await page.getByLabel('New note').waitFor();
    expect(page.url()).toBe(notesPage);
    await page.context().close();
  });

  it('when the server has ended the session (signed out elsewhere), a save shows the ended screen, not an error; someone else signing in starts on their own page', async () => {
    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patientId}/notes`);
    await page.getByLabel('New note').fill('Observations stable');
    // The session ends on the server (as at sign-out in another window); the session cache forgets it within a second.
    await h.env.database.db.delete(sessions).where(eq(sessions.staffId, h.env.staff.nurse.id));
    await page.waitForTimeout(1200);

    await page.getByRole('button', { name: 'Add note' }).click();
    const ended = page.getByRole('main');
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor();
    expect(await seen(ended)).toContain('The server ended your session');
    expect(await seen(ended.getByRole('alert'))).toContain('The change you were saving could not be saved');
    await shot(page, 'session-ended-by-server');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, 'pharmacist');
    await page.getByRole('button', { name: /account menu$/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/pharmacy');
    await page.context().close();
  });
});
