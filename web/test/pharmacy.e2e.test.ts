/** The pharmacist: the queue with stock per line, confirmed dispensing, and the inventory counted by the server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drugInput, patientInput, uniqueName } from '../../server/test/helpers';
import { loggedIn, mainScreen, openAs, seen, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function prescribe(patientId: number, drugId: number, quantity: number) {
  const doctor = await loggedIn(h.env, 'doctor');
  const c = await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Malaria' });
  const line = { drugId, dose: '1 tab', frequency: 'daily', duration: '3 days', route: 'oral', quantity };
  const res = await doctor.mutate('prescriptions.create', { patientId, consultationId: c.data.id, lines: [line] });
  expect(res.status).toBe(200);
}

describe('pharmacist', () => {
  it('sees stock on hand per line, dispenses after confirming, and a short-stock refusal in words', async () => {
    const records = await loggedIn(h.env, 'records');
    const patient = (await records.mutate('patients.create', patientInput())).data as { id: number; firstName: string; lastName: string };
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const plenty = (await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 100, reorderLevel: 10 }))).data as { id: number; name: string };
    const scarce = (await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 3, reorderLevel: 10 }))).data as { id: number; name: string };
    await prescribe(patient.id, plenty.id, 10);
    await prescribe(patient.id, scarce.id, 20);

    const page = await openAs(h, 'pharmacist');
    const card = (drugName: string) => page.getByRole('article').filter({ has: page.getByRole('cell', { name: drugName }) });
    await expect.poll(() => seen(card(scarce.name).getByRole('row', { name: new RegExp(scarce.name) }))).toContain('20 3 (short)');
    await expect.poll(() => seen(card(plenty.name).getByRole('row', { name: new RegExp(plenty.name) }))).toMatch(/10 100 —$/);
    await mainScreen(page, 'pharmacy-queue');

    await card(scarce.name).getByRole('button', { name: 'Dispense' }).click();
    expect(await seen(page.getByRole('dialog'))).toContain(`Not enough stock for ${scarce.name}`);
    await page.getByRole('button', { name: 'Confirm dispense' }).click();
    expect(await seen(card(scarce.name).getByRole('alert'))).toMatch(new RegExp(`${scarce.name}.*20.*3`));
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await card(plenty.name).getByRole('button', { name: 'Dispense' }).click();
    await page.getByRole('button', { name: 'Confirm dispense' }).click();
    await card(plenty.name).waitFor({ state: 'detached' });
    await page.getByRole('radiogroup', { name: 'Prescriptions' }).getByText('Dispensed', { exact: true }).click();
    expect(await seen(card(plenty.name))).toContain('dispensed');

    // The stock went down by what was dispensed.
    await page.getByRole('link', { name: /Drug inventory/ }).first().click();
    await page.getByLabel('Search drugs').fill(plenty.name);
    expect(await seen(page.getByRole('row', { name: new RegExp(plenty.name) }))).toMatch(/\b90\b/);
  });

  it('counts low stock and expiry over all drugs, highlights them, and adds and edits a drug', async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const today = new Date();
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const expired = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Oldstock'), expiryDate: iso(new Date(today.getTime() - 40 * 86_400_000)) }))).data as { name: string };
    const soon = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Soonexp'), expiryDate: iso(new Date(today.getTime() + 30 * 86_400_000)) }))).data as { name: string };
    // More low-stock drugs than one page holds: the count is the server's, not the page's.
    for (let i = 0; i < 105; i += 1) await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Lowstk'), stockOnHand: 1, reorderLevel: 5 }));
    const summary = (await pharmacist.query('drugs.summary')).data as { belowReorderLevel: number; expired: number };
    expect(summary.belowReorderLevel).toBeGreaterThanOrEqual(105);

    const page = await openAs(h, 'pharmacist');
    await page.getByRole('link', { name: /Drug inventory/ }).first().click();
    const tiles = page.getByRole('button', { name: /At or below reorder level/ });
    expect(await seen(tiles)).toContain(summary.belowReorderLevel.toLocaleString('en-US'));
    expect(await seen(page.getByRole('link', { name: /Drug inventory/ }))).toContain(`${summary.belowReorderLevel} low`);
    await page.getByLabel('Search drugs').fill(expired.name);
    expect(await seen(page.getByRole('row', { name: new RegExp(expired.name) }))).toContain('expired');
    await page.getByLabel('Search drugs').fill(soon.name);
    expect(await seen(page.getByRole('row', { name: new RegExp(soon.name) }))).toContain('expires');
    await page.getByLabel('Search drugs').fill('');
    await page.getByRole('button', { name: /Expired/ }).first().click();
    expect(await seen(page.getByRole('row', { name: new RegExp(expired.name) }))).toContain('expired');
    await mainScreen(page, 'drug-inventory');

    // Sorting by stock is the server's: the lowest stock comes first over all drugs.
    await page.getByRole('button', { name: /All|Drugs in the formulary/ }).first().click();
    await page.getByRole('button', { name: /Stock on hand/ }).click();
    await expect.poll(() => seen(page.getByRole('row').nth(1))).toMatch(/Lowstk.* 1 reorder/);

    const name = uniqueName('Ceftriaxone');
    await page.getByRole('button', { name: 'Add drug' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Add drug' }).click();
    expect(await seen(dialog.getByText('Name is required'))).toBeTruthy();
    await dialog.getByLabel(/^Name/).fill(name);
    await dialog.getByLabel(/^Formulation/).fill('injection');
    await dialog.getByLabel(/^Strength/).fill('1 g');
    await dialog.getByLabel(/^Route/).fill('IV');
    await dialog.getByLabel('Stock on hand').fill('50');
    await dialog.getByLabel('Reorder level').fill('20');
    await mainScreen(page, 'drug-form');
    await dialog.getByRole('button', { name: 'Add drug' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByLabel('Search drugs').fill(name);
    const row = page.getByRole('row', { name: new RegExp(name) });
    expect(await seen(row)).toContain('50');
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('dialog').getByLabel('Reorder level').fill('60');
    await page.getByRole('dialog').getByRole('button', { name: 'Save drug' }).click();
    await expect.poll(() => seen(page.getByRole('row', { name: new RegExp(name) }))).toContain('reorder (level 60)');
  });
});
