/**
 * A shared ward workstation (issue 11, finding 7; issue 13): the server ends a session after its idle limit without a
 * request. The client warns before, with a countdown (Stay signed in / Sign out); once it has ended, a sign-in dialog
 * covers the page, which is hidden but kept: the same user signing in gets it back with what they typed, and a save
 * that was refused goes through; anyone else starts afresh on their own page, and the previous user's pending save
 * and drafts are discarded. Here the idle limit is 40 seconds, not 30 minutes: the warning comes 20 seconds after the
 * last request, the end 10 seconds later.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sessions } from '../../server/src/db/schema';
import { patientInput } from '../../server/test/helpers';
import { expectAccessible, loggedIn, openAs, seen, shot, signIn, startHarness, type Harness } from './browser';

const IDLE_MS = 40_000;
let h: Harness;
let patientId: number;
let patientName: string;

beforeAll(async () => {
  h = await startHarness({ sessionIdleMs: IDLE_MS });
  const records = await loggedIn(h.env, 'records');
  const patient = (await records.mutate('patients.create', patientInput())).data as { id: number; lastName: string };
  patientId = patient.id;
  patientName = patient.lastName;
});

/** The notes the server has for the patient (asked as another nurse, so the browser's session is not touched). */
async function savedNotes(): Promise<string[]> {
  const nurse2 = await loggedIn(h.env, 'nurse2');
  const res = await nurse2.query('nurseNotes.list', { patientId, limit: 50 });
  return (res.data as { items: { note: string }[] }).items.map((n) => n.note);
}

/** The sign-in dialog over the page, and proof that nothing of the page shows while it is up. */
async function endedDialog(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
  await dialog.waitFor({ timeout: IDLE_MS });
  expect(await page.getByLabel('New note').isVisible()).toBe(false);
  expect(await page.getByText(patientName).first().isVisible()).toBe(false);
  return dialog;
}

/** The server ends the nurse's session (as at sign-out in another window); its session cache forgets it within a second. */
async function endSessionOnServer(page: Page) {
  await h.env.database.db.delete(sessions).where(eq(sessions.staffId, h.env.staff.nurse.id));
  await page.waitForTimeout(1200);
}

/** localStorage keys of drafts in the page's browser. */
const draftKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hmis-draft:')));
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

    // Left alone again: the warning, then the end. A dialog covers the page; the page is hidden, its note kept.
    await warning.waitFor({ timeout: IDLE_MS });
    const dialog = await endedDialog(page);
    const text2 = await seen(dialog);
    expect(text2).toContain('Your session ended after 40 seconds without use');
    expect(text2).toContain('What you typed is kept. Sign in to continue where you were.');
    await shot(page, 'session-ended-dialog');
    await expectAccessible(page, 'session-ended-dialog');
    // Ended on the server too: a reload (or anyone at this screen) finds no session.
    const me = await page.evaluate(async () => (await fetch('/trpc/auth.me')).json());
    expect(me).toMatchObject({ result: { data: { authenticated: false } } });

    // The same nurse signs in over the page: it is back as it was, with the note, and saving it works.
    await signIn(page, 'nurse');
    await dialog.waitFor({ state: 'detached' });
    expect(page.url()).toBe(notesPage);
    expect(await page.getByLabel('New note').inputValue()).toBe('Patient comfortable, pain 2/10');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('list', { name: 'Nurse notes' }).getByText('Patient comfortable, pain 2/10').waitFor();
    await page.context().close();
  });

  it('session ended elsewhere in the middle of typing: Save opens the sign-in dialog, and the same nurse signing in saves the note as typed', async () => {
    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patientId}/notes`);
    await page.getByLabel('New note').fill('Observations stable, ');
    expect(await page.getByText(patientName).first().isVisible()).toBe(true);
    await endSessionOnServer(page);
    await page.getByLabel('New note').pressSequentially('tolerating diet');

    await page.getByRole('button', { name: 'Add note' }).click();
    const dialog = await endedDialog(page);
    const text = await seen(dialog);
    expect(text).toContain('The server ended your session');
    expect(text).toContain('Your change is kept. Sign in and it will be saved.');
    await shot(page, 'session-ended-during-save');
    await expectAccessible(page, 'session-ended-during-save');
    // The shell's shortcuts do not reach the hidden page: no command palette under the dialog.
    await dialog.getByLabel('Username or email').press('Control+k');
    await dialog.getByRole('button', { name: 'Sign in' }).press('/');
    await page.waitForTimeout(500);
    expect(await page.locator('[role="dialog"]').count()).toBe(1);
    expect(await savedNotes()).not.toContain('Observations stable, tolerating diet');

    await signIn(page, 'nurse');
    await dialog.waitFor({ state: 'detached' });
    // The refused save went again by itself: the note is saved, the form empty, its draft gone.
    await page.getByRole('list', { name: 'Nurse notes' }).getByText('Observations stable, tolerating diet').waitFor();
    expect(await page.getByLabel('New note').inputValue()).toBe('');
    expect(await savedNotes()).toContain('Observations stable, tolerating diet');
    expect(await draftKeys(page)).toEqual([]);
    await shot(page, 'session-resumed-saved');
    await page.context().close();
  });

  it('someone else signing in at the dialog starts on their own page; the pending save and the previous user’s drafts are discarded', async () => {
    const page = await openAs(h, 'nurse');
    await page.goto(`${h.base}/patients/${patientId}/notes`);
    await page.getByLabel('New note').fill('Not for the pharmacist to see');
    await endSessionOnServer(page);
    await page.getByRole('button', { name: 'Add note' }).click();
    await endedDialog(page);
    expect((await draftKeys(page)).length).toBe(1);

    await signIn(page, 'pharmacist');
    await page.getByRole('button', { name: /account menu$/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/pharmacy');
    expect(await page.getByText('Not for the pharmacist to see').count()).toBe(0);
    expect(await draftKeys(page)).toEqual([]);
    expect(await savedNotes()).not.toContain('Not for the pharmacist to see');
    await page.context().close();
  });
});
