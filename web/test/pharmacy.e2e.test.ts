/**
 * The pharmacist: the queue with stock per line, confirmed dispensing, the inventory counted by the server, and the
 * stock ledger (receipts, adjustments, lots dispensed first-expiry-first, who received a lot, expiry reports). No lost
 * work (issue 13): the drug and stock dialogs keep drafts, a receipt that cannot reach the server offers Retry, and one
 * sent after the session ended goes through once the pharmacist signs in again.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../server/src/db/schema';
import { drugInput, patientInput, uniqueName } from '../../server/test/helpers';
import type { Page } from 'playwright-core';
import { choose, loggedIn, mainScreen, openAs, seen, shot, signIn, startHarness, type Harness } from './browser';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const DAY = 86_400_000;
/** YYYY-MM-DD `days` from today. */
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
/** A calendar date as the page writes it ("12 Mar 2027"), in the browser's locale. */
const shown = (page: Page, isoDate: string) =>
  page.evaluate(
    (d) => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${d}T00:00:00`)),
    isoDate,
  );

async function openDrug(page: Page, name: string) {
  await page
    .getByRole('link', { name: /Drug inventory/ })
    .first()
    .click();
  await page.getByLabel('Search drugs').fill(name);
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
}

async function prescribe(patientId: number, drugId: number, quantity: number, doctor?: Awaited<ReturnType<typeof loggedIn>>) {
  doctor ??= await loggedIn(h.env, 'doctor');
  const c = await doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Malaria' });
  const line = { drugId, dose: '1 tab', frequency: 'daily', duration: '3 days', route: 'oral', quantity };
  const res = await doctor.mutate('prescriptions.create', { patientId, consultationId: c.data.id, lines: [line] });
  expect(res.status).toBe(200);
  return res.data as { patientId: number; consultationId: number; lines: { id: number; version: number }[] };
}

describe('pharmacist', () => {
  it('sees stock on hand per line, dispenses after confirming, and a short-stock refusal in words', async () => {
    const records = await loggedIn(h.env, 'records');
    const patient = (await records.mutate('patients.create', patientInput())).data as { id: number; firstName: string; lastName: string };
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const plenty = (await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 100, reorderLevel: 10 }))).data as {
      id: number;
      name: string;
    };
    const scarce = (await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 3, reorderLevel: 10 }))).data as {
      id: number;
      name: string;
    };
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
    await page
      .getByRole('link', { name: /Drug inventory/ })
      .first()
      .click();
    await page.getByLabel('Search drugs').fill(plenty.name);
    expect(await seen(page.getByRole('row', { name: new RegExp(plenty.name) }))).toMatch(/\b90\b/);
  });

  it('dispenses what the confirmation showed: a prescription the doctor changes meanwhile is shown again, never sent unseen', async () => {
    const records = await loggedIn(h.env, 'records');
    const patient = (await records.mutate('patients.create', patientInput())).data as { id: number };
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const drug = (await pharmacist.mutate('drugs.create', drugInput({ stockOnHand: 100 }))).data as { id: number; name: string };
    const doctor = await loggedIn(h.env, 'doctor');
    const rx = await prescribe(patient.id, drug.id, 10, doctor);

    const page = await openAs(h, 'pharmacist');
    const card = page.getByRole('article').filter({ has: page.getByRole('cell', { name: drug.name }) });
    await card.getByRole('button', { name: 'Dispense' }).click();
    const dialog = page.getByRole('dialog');
    expect(await seen(dialog)).toContain(`10 × ${drug.name}`);

    // The doctor changes the quantity; the queue refetches when the window is back in front (its data is fresh 10 s).
    const line = rx.lines[0]!;
    const changed = await doctor.mutate('prescriptions.updateLine', { ...rx, id: line.id, version: line.version, quantity: 30 });
    expect(changed.status, JSON.stringify(changed.error)).toBe(200);
    await page.waitForTimeout(10_500);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
    await dialog.getByText('Changed by the prescriber').waitFor();
    expect(await seen(dialog)).toContain(`10 × ${drug.name}`);
    expect(await dialog.getByRole('button', { name: 'Confirm dispense' }).isDisabled()).toBe(true);
    await shot(page, 'dispense-changed-meanwhile');

    await dialog.getByRole('button', { name: 'Show the changed prescription' }).click();
    expect(await seen(dialog)).toContain(`30 × ${drug.name}`);
    await dialog.getByRole('button', { name: 'Confirm dispense' }).click();
    await card.waitFor({ state: 'detached' });
    expect(((await pharmacist.query('drugs.get', { id: drug.id })).data as { stockOnHand: number }).stockOnHand).toBe(70);
  });

  it('sees a duplicate-therapy warning on a prescription with two drugs of one ATC group', async () => {
    const records = await loggedIn(h.env, 'records');
    const patient = (await records.mutate('patients.create', patientInput())).data as { id: number };
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const ibuprofen = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Ibuprofen'), atcCodes: ['M01AE01'] })))
      .data as { id: number; name: string };
    const naproxen = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Naproxen'), atcCodes: ['M01AE02'] }))).data as {
      id: number;
      name: string;
    };
    const doctor = await loggedIn(h.env, 'doctor');
    const c = await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Back pain' });
    const line = (drugId: number) => ({ drugId, dose: '1 tab', frequency: 'tds', duration: '5 days', route: 'oral', quantity: 15 });
    expect(
      (
        await doctor.mutate('prescriptions.create', {
          patientId: patient.id,
          consultationId: c.data.id,
          lines: [line(ibuprofen.id), line(naproxen.id)],
        })
      ).status,
    ).toBe(200);

    const page = await openAs(h, 'pharmacist');
    const card = page.getByRole('article').filter({ has: page.getByRole('cell', { name: ibuprofen.name }) });
    await expect.poll(() => seen(card)).toContain('Duplicate therapy');
    expect(await seen(card)).toContain(`${ibuprofen.name} and ${naproxen.name} are in the same drug group (ATC M01AE)`);
  });

  it('counts low stock and expiry over all drugs, highlights them, and adds and edits a drug', async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const today = new Date();
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const expired = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Oldstock'), expiryDate: iso(new Date(today.getTime() - 40 * 86_400_000)) }),
      )
    ).data as { name: string };
    const soon = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Soonexp'), expiryDate: iso(new Date(today.getTime() + 30 * 86_400_000)) }),
      )
    ).data as { name: string };
    // More low-stock drugs than one page holds: the count is the server's, not the page's.
    for (let i = 0; i < 105; i += 1)
      await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Lowstk'), stockOnHand: 1, reorderLevel: 5 }));
    const summary = (await pharmacist.query('drugs.summary')).data as { belowReorderLevel: number; expired: number };
    expect(summary.belowReorderLevel).toBeGreaterThanOrEqual(105);

    const page = await openAs(h, 'pharmacist');
    await page
      .getByRole('link', { name: /Drug inventory/ })
      .first()
      .click();
    const tiles = page.getByRole('button', { name: /At or below reorder level/ });
    expect(await seen(tiles)).toContain(summary.belowReorderLevel.toLocaleString('en-US'));
    expect(await seen(page.getByRole('link', { name: /Drug inventory/ }))).toContain(`${summary.belowReorderLevel} low`);
    await page.getByLabel('Search drugs').fill(expired.name);
    expect(await seen(page.getByRole('row', { name: new RegExp(expired.name) }))).toContain('expired');
    await page.getByLabel('Search drugs').fill(soon.name);
    expect(await seen(page.getByRole('row', { name: new RegExp(soon.name) }))).toContain('expires');
    await page.getByLabel('Search drugs').fill('');
    await page
      .getByRole('button', { name: /Expired/ })
      .first()
      .click();
    expect(await seen(page.getByRole('row', { name: new RegExp(expired.name) }))).toContain('expired');
    await mainScreen(page, 'drug-inventory');

    // Sorting by stock is the server's: the lowest stock comes first over all drugs.
    await page
      .getByRole('button', { name: /All|Drugs in the formulary/ })
      .first()
      .click();
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
    await dialog.getByLabel('Opening stock').fill('50');
    await dialog.getByLabel('Reorder level').fill('20');
    await dialog.getByLabel('Lot number').fill('cx-001');
    await mainScreen(page, 'drug-form');
    await dialog.getByRole('button', { name: 'Add drug' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByLabel('Search drugs').fill(name);
    const row = page.getByRole('row', { name: new RegExp(name) });
    expect(await seen(row)).toContain('50');
    await row.getByRole('button', { name: 'Edit' }).click();
    // Stock is the ledger's: shown on edit, not editable.
    const stock = page.getByRole('dialog').getByLabel('Stock on hand');
    expect(await stock.inputValue()).toBe('50');
    expect(await stock.getAttribute('readonly')).not.toBeNull();
    expect(await seen(page.getByRole('dialog'))).toContain('Changes through receipts and adjustments');
    await mainScreen(page, 'drug-form-edit');
    await page.getByRole('dialog').getByLabel('Reorder level').fill('60');
    await page.getByRole('dialog').getByRole('button', { name: 'Save drug' }).click();
    await expect.poll(() => seen(page.getByRole('row', { name: new RegExp(name) }))).toContain('reorder (level 60)');
  });
});

describe('the stock ledger', () => {
  it('receives stock after a refused past expiry date, adjusts a lot with a reason, and shows both on the stock card', async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const drug = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Ledgerol'), stockOnHand: 20, lotNumber: 'OLD-1', expiryDate: inDays(200) }),
      )
    ).data as { id: number; name: string };
    const page = await openAs(h, 'pharmacist');
    await openDrug(page, drug.name);
    const lots = page.getByRole('table', { name: 'Lots' });
    const stockCard = page.getByRole('table', { name: 'Stock card' });
    expect(await seen(lots.getByRole('row', { name: /OLD-1/ }))).toContain('20');
    expect(await seen(stockCard.getByRole('row').nth(1))).toMatch(/Opening balance OLD-1 \+20 20/);

    await page.getByRole('button', { name: 'Receive stock' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Lot number/).fill('b123');
    await dialog.getByLabel(/^Expiry date/).fill('01/01/2020');
    await dialog.getByLabel(/^Quantity/).fill('100');
    await dialog.getByLabel(/^Supplier/).fill('Emzor Pharmaceuticals');
    await dialog.getByLabel(/^Unit cost/).fill('12,50');
    await dialog.getByRole('button', { name: 'Receive stock' }).click();
    // The server's refusal, beside the field it names, and focused.
    const expiry = dialog.getByLabel(/^Expiry date/);
    await expect.poll(async () => expiry.getAttribute('aria-invalid')).toBe('true');
    expect(await seen(dialog)).toContain('is in the past: expired stock cannot be received');
    await mainScreen(page, 'stock-receive-refused');
    await expiry.fill(inDays(400).split('-').reverse().join('/'));
    await expiry.press('Tab'); // on to the next field, closing the calendar
    await dialog.getByRole('button', { name: 'Receive stock' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => seen(stockCard.getByRole('row').nth(1)))
      .toMatch(/Received B123 \+100 120 from Emzor Pharmaceuticals · 12\.50 per unit/);
    expect(await seen(lots.getByRole('row', { name: /B123/ }))).toContain(`${await shown(page, inDays(400))} 100 Emzor Pharmaceuticals`);

    await page.getByRole('button', { name: 'Actions for lot B123' }).click();
    await page.getByRole('menuitem', { name: 'Adjust count' }).click();
    await dialog.getByLabel(/^Quantity/).fill('5');
    await choose(page, 'Reason', 'Damaged');
    await dialog.getByRole('button', { name: 'Adjust' }).click();
    // The shared rule, beside the field before anything is sent: damage only takes stock away.
    expect(await seen(dialog.getByText(/Quantity must be negative for damaged or lost stock/))).toBeTruthy();
    await dialog.getByLabel(/^Quantity/).fill('-5');
    expect(await seen(dialog)).toContain('The lot will have 95');
    await dialog.getByLabel(/^Note/).fill('Crushed carton');
    await mainScreen(page, 'stock-adjust');
    await dialog.getByRole('button', { name: 'Adjust' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => seen(stockCard.getByRole('row').nth(1))).toMatch(/Adjusted B123 \u22125 115 Damaged · Crushed carton/);
    expect(await seen(page.getByText('Stock on hand', { exact: true }).locator('xpath=..'))).toContain('115');
    await mainScreen(page, 'drug-stock');
  });

  it('dispenses first expiry first and shows the lots taken, then who received a lot', async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const drug = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Fefocillin'), stockOnHand: 20, lotNumber: 'EARLY', expiryDate: inDays(100) }),
      )
    ).data as { id: number; name: string };
    expect(
      (
        await pharmacist.mutate('drugs.receive', {
          drugId: drug.id,
          lotNumber: 'LATE',
          expiryDate: inDays(500),
          quantity: 50,
          supplier: 'Fidson',
        })
      ).status,
    ).toBe(200);
    const records = await loggedIn(h.env, 'records');
    const patient = (await records.mutate('patients.create', patientInput())).data as { id: number; firstName: string; lastName: string };
    await prescribe(patient.id, drug.id, 30);

    const page = await openAs(h, 'pharmacist');
    const card = page.getByRole('article').filter({ has: page.getByRole('cell', { name: drug.name }) });
    await card.getByRole('button', { name: 'Dispense' }).click();
    await page.getByRole('button', { name: 'Confirm dispense' }).click();
    const early = `Lot EARLY (exp ${await shown(page, inDays(100))}) × 20`;
    const late = `Lot LATE (exp ${await shown(page, inDays(500))}) × 10`;
    expect(await seen(page.getByText(`${drug.name}: ${early}, ${late}`))).toBeTruthy();
    await page.getByRole('radiogroup', { name: 'Prescriptions' }).getByText('Dispensed', { exact: true }).click();
    expect(await seen(card.getByRole('row', { name: new RegExp(drug.name) }))).toContain(`${early} ${late}`);
    await mainScreen(page, 'pharmacy-dispensed-lots');

    await openDrug(page, drug.name);
    expect(await seen(page.getByRole('table', { name: 'Stock card' }).getByRole('row').nth(1))).toMatch(
      /Dispensed LATE \u221210 40 Prescription \d+/,
    );
    await page.getByRole('button', { name: 'Actions for lot LATE' }).click();
    await page.getByRole('menuitem', { name: 'Who received this lot' }).click();
    const usage = page.getByRole('dialog');
    expect(await seen(usage.getByRole('row', { name: new RegExp(patient.lastName) }))).toMatch(/ 10 /);
    await mainScreen(page, 'lot-usage');
  });

  it('reports expiring lots within a chosen window and expired stock on hand, and writes expired stock off', async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const soon = (
      await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Soonlot'), lotNumber: 'S-45', expiryDate: inDays(45) }))
    ).data as { name: string };
    const old = (
      await pharmacist.mutate(
        'drugs.create',
        drugInput({ name: uniqueName('Pastlot'), stockOnHand: 12, lotNumber: 'P-1', expiryDate: inDays(-10) }),
      )
    ).data as { name: string };
    const page = await openAs(h, 'pharmacist');
    await page
      .getByRole('link', { name: /Drug inventory/ })
      .first()
      .click();
    await page.getByRole('tab', { name: 'Expiring lots' }).click();
    const expiring = page.getByRole('table', { name: 'Expiring lots' });
    expect(await seen(expiring.getByRole('row', { name: new RegExp(soon.name) }))).toContain('S-45');
    await mainScreen(page, 'report-expiring');
    await page.getByRole('radiogroup', { name: 'Lots with stock expiring within' }).getByText('30 days').click();
    await expect.poll(() => expiring.getByRole('row', { name: new RegExp(soon.name) }).count()).toBe(0);
    expect(page.url()).toContain('days=30');

    await page.getByRole('tab', { name: 'Expired stock on hand' }).click();
    const expired = page.getByRole('table', { name: 'Expired stock on hand' });
    const row = expired.getByRole('row', { name: new RegExp(old.name) });
    expect(await seen(row)).toMatch(/P-1 expired .* 12/);
    await mainScreen(page, 'report-expired');
    await row.getByRole('button', { name: /Write off/ }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('combobox', { name: 'Reason' }).inputValue()).toBe('Expired');
    await dialog.getByRole('button', { name: 'Write off' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.count()).toBe(0);

    // The drug's name leads to its stock page, where the write-off is on the card.
    await page.getByRole('tab', { name: 'Drugs' }).click();
    await openDrug(page, old.name);
    expect(await seen(page.getByRole('table', { name: 'Stock card' }).getByRole('row').nth(1))).toMatch(
      /Written off P-1 \u221212 0 Expired/,
    );
  });

  it("shows a doctor the lots and stock card without the pharmacist's actions", async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const drug = (
      await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Readonly'), lotNumber: 'R-1', expiryDate: inDays(300) }))
    ).data as { name: string };
    const page = await openAs(h, 'doctor');
    await openDrug(page, drug.name);
    expect(await seen(page.getByRole('table', { name: 'Lots' }).getByRole('row', { name: /R-1/ }))).toContain('100');
    expect(await page.getByRole('button', { name: 'Receive stock' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Actions for lot/ }).count()).toBe(0);
  });
});

/** The drafts kept in the page's browser (their localStorage keys). */
const draftKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('hmis-draft:')));

/** The pharmacist's stock page of a new drug, with its Receive stock dialog open and a receipt typed in. */
async function typedReceipt(lotNumber: string) {
  const pharmacist = await loggedIn(h.env, 'pharmacist');
  const drug = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Keepol') }))).data as { id: number; name: string };
  const page = await openAs(h, 'pharmacist');
  await page.goto(`${h.base}/drugs/${drug.id}`);
  await page.getByRole('button', { name: 'Receive stock' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^Lot number/).fill(lotNumber);
  await dialog.getByLabel(/^Expiry date/).fill(inDays(400).split('-').reverse().join('/'));
  await dialog.getByLabel(/^Expiry date/).press('Tab');
  await dialog.getByLabel(/^Quantity/).fill('60');
  await dialog.getByLabel(/^Supplier/).fill('Emzor Pharmaceuticals');
  return { page, dialog, stockCard: page.getByRole('table', { name: 'Stock card' }) };
}

describe('no lost work in the pharmacy', () => {
  it('a new drug not yet added survives a reload: its dialog opens again with “Draft restored”, and the draft goes once it is added', async () => {
    const page = await openAs(h, 'pharmacist');
    await page.goto(`${h.base}/drugs`);
    // An empty search says what to do next.
    const nothing = uniqueName('Nosuchdrug');
    await page.getByLabel('Search drugs').fill(nothing);
    await expect
      .poll(() => seen(page.getByRole('table', { name: 'Drugs' }).getByRole('row').nth(1)))
      .toBe(`No drug matches “${nothing}”. Clear the search, or add it with “Add drug”.`);
    await mainScreen(page, 'drug-search-empty');
    await page.getByRole('button', { name: 'Clear the search' }).click();
    expect(await page.getByLabel('Search drugs').inputValue()).toBe('');

    const name = uniqueName('Artemether');
    await page.getByRole('button', { name: 'Add drug' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill(name);
    await dialog.getByLabel(/^Formulation/).fill('tablet');
    await dialog.getByLabel(/^Strength/).fill('20 mg');
    await expect.poll(() => draftKeys(page)).toEqual([expect.stringMatching(/^hmis-draft:\d+:drug:none$/)]);

    await page.reload();
    expect(await seen(dialog.getByRole('status').filter({ hasText: 'Draft restored' }))).toMatch(
      /Draft restored from \d\d:\d\d: not saved yet/,
    );
    expect(await dialog.getByLabel(/^Name/).inputValue()).toBe(name);
    expect(await dialog.getByLabel(/^Strength/).inputValue()).toBe('20 mg');
    await mainScreen(page, 'drug-draft-restored');

    await dialog.getByLabel(/^Route/).fill('oral');
    await dialog.getByRole('button', { name: 'Add drug' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await draftKeys(page)).toEqual([]);
    // The toast says so below the top bar's account button, never over it.
    const toast = page.getByRole('alert').filter({ hasText: `${name} added to the formulary` });
    await toast.waitFor();
    const [toastBox, accountBox] = await Promise.all([
      toast.boundingBox(),
      page.getByRole('button', { name: /account menu$/ }).boundingBox(),
    ]);
    expect(toastBox!.y).toBeGreaterThan(accountBox!.y + accountBox!.height);
    await shot(page, 'drug-added-toast');
    await page.reload();
    await page.getByRole('button', { name: 'Add drug' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  });

  it('a change to a drug is kept on Cancel and offered again on Edit, and Discard draft goes back to the saved drug', async () => {
    const pharmacist = await loggedIn(h.env, 'pharmacist');
    const drug = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Editol'), reorderLevel: 10 }))).data as {
      name: string;
    };
    const page = await openAs(h, 'pharmacist');
    await page.goto(`${h.base}/drugs`);
    await page.getByLabel('Search drugs').fill(drug.name);
    const row = page.getByRole('row', { name: new RegExp(drug.name) });
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reorder level').fill('75');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await row.getByRole('button', { name: 'Edit' }).click();
    expect(await seen(dialog.getByRole('status'))).toContain('Draft restored');
    expect(await dialog.getByLabel('Reorder level').inputValue()).toBe('75');
    await dialog.getByRole('button', { name: 'Discard draft' }).click();
    expect(await dialog.getByLabel('Reorder level').inputValue()).toBe('10');
    expect(await draftKeys(page)).toEqual([]);
    await page.context().close();
  });

  it('a stock receipt that cannot reach the server says so and offers Retry, which saves it as typed', async () => {
    const { page, dialog, stockCard } = await typedReceipt('net-1');
    // The network drops this one request.
    await page.route('**/trpc/drugs.receive**', (route) => route.abort('internetdisconnected'), { times: 1 });
    await dialog.getByRole('button', { name: 'Receive stock' }).click();
    const alert = dialog.getByRole('alert').filter({ hasText: 'Not saved' });
    expect(await seen(alert)).toMatch(
      /^Not saved: the server could not be reached Nothing was saved\..* What you entered is still here\. Retry$/,
    );
    expect(await dialog.getByLabel(/^Quantity/).inputValue()).toBe('60');
    await mainScreen(page, 'stock-receive-network-failure');

    await alert.getByRole('button', { name: 'Retry' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => seen(stockCard.getByRole('row').nth(1))).toMatch(/Received NET-1 \+60 160 from Emzor Pharmaceuticals/);
    expect(await draftKeys(page)).toEqual([]);
    await page.context().close();
  });

  it('a stock receipt sent after the session ended elsewhere opens the sign-in dialog, and goes through once the pharmacist signs in', async () => {
    const { page, dialog, stockCard } = await typedReceipt('sess-1');
    await h.env.database.db.delete(sessions).where(eq(sessions.staffId, h.env.staff.pharmacist.id));
    await page.waitForTimeout(1200); // the server's session cache forgets it within a second
    await dialog.getByRole('button', { name: 'Receive stock' }).click();

    const signInDialog = page.getByRole('dialog', { name: 'Your session has ended' });
    expect(await seen(signInDialog)).toContain('Your change is kept. Sign in and it will be saved.');
    await mainScreen(page, 'stock-receive-session-ended');
    await signIn(page, 'pharmacist');
    await signInDialog.waitFor({ state: 'detached' });
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => seen(stockCard.getByRole('row').nth(1))).toMatch(/Received SESS-1 \+60 160 from Emzor Pharmaceuticals/);
    expect(await draftKeys(page)).toEqual([]);
    await page.context().close();
  });
});
