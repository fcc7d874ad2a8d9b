// @vitest-environment jsdom
/**
 * The pharmacist's stock forms validate with shared/'s stock schemas before anything is sent, send what the ledger
 * expects (a signed change, no quantity for "all of the lot"), and put the server's refusals beside their fields. On
 * editing a drug, stock and expiry are shown but never sent: they change only through the ledger.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DrugLine, DrugLot } from '@hmis/shared';
import { DrugForm } from '../../src/features/pharmacy/DrugForm';
import { AdjustForm, ReceiveForm, WriteOffForm } from '../../src/features/pharmacy/StockForms';
import { DrugLinesTable } from '../../src/features/prescriptions/PrescriptionView';
import { descriptionOf, errorOf, field } from './fields';
import { drug, proceduresCalled, renderUi, watchNetwork } from './render';

const lot = (overrides: Partial<DrugLot> = {}): DrugLot => ({
  id: 7,
  drugId: 3,
  drugName: 'Amoxicillin',
  lotNumber: 'B123',
  expiryDate: '2027-03-12',
  expiryStatus: 'ok',
  onHand: 40,
  supplier: 'Emzor',
  receivedAt: '2026-01-05T09:00:00.000Z',
  ...overrides,
});

/** The input the client sent to a procedure (a batched POST body: {"0": input}). */
function sent(network: ReturnType<typeof watchNetwork>, procedure: string): Record<string, unknown> {
  const call = network.mock.calls.find(([url]) => decodeURIComponent(String(url)).includes(`/trpc/${procedure}`));
  if (!call) throw new Error(`${procedure} was not called; called: ${proceduresCalled(network).join(', ')}`);
  return (JSON.parse(String(call[1]?.body)) as Record<string, Record<string, unknown>>)['0']!;
}

/** The server refusing the request as the app's error formatter shapes it: a message and the failing fields. */
function refuse(network: ReturnType<typeof watchNetwork>, message: string, fields: { path: string; message: string }[]) {
  const body = [{ error: { message, code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, fields } } }];
  network.mockResolvedValue(new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }));
}

/** Adjusts the lot of `lot()` by a change typed as the pharmacist would, with a reason. */
async function adjust(user: ReturnType<typeof userEvent.setup>, change: string, reason: string) {
  renderUi(<AdjustForm lot={lot()} onClose={() => {}} />);
  await user.type(field('Quantity'), change);
  await user.click(screen.getByRole('combobox', { name: /^Reason/ }));
  await user.click(screen.getByRole('option', { name: reason }));
  await user.click(screen.getByRole('button', { name: 'Adjust' }));
}

describe('adjusting a lot', () => {
  it('refuses a positive change for damaged stock beside the quantity, and sends nothing', async () => {
    const network = watchNetwork();
    const user = userEvent.setup();
    await adjust(user, '3', 'Damaged');
    await waitFor(() => expect(errorOf(field('Quantity'))).toMatch(/^Quantity must be negative for damaged or lost stock/));
    expect(network).not.toHaveBeenCalled();
  });

  it('says what the lot will hold as the change is typed', async () => {
    watchNetwork();
    const user = userEvent.setup();
    renderUi(<AdjustForm lot={lot({ onHand: 40 })} onClose={() => {}} />);
    await user.type(field('Quantity'), '\u22123');
    expect(descriptionOf(field('Quantity'))).toBe('The lot will have 37');
  });

  it('sends a typed minus sign as a negative change with its reason and the lot', async () => {
    const network = watchNetwork();
    const user = userEvent.setup();
    await adjust(user, '\u22123', 'Lost');
    await waitFor(() => expect(proceduresCalled(network)).toContain('drugs.adjust'));
    expect(sent(network, 'drugs.adjust')).toEqual({ drugId: 3, lotId: 7, quantity: -3, reason: 'loss' });
  });
});

describe('writing a lot off', () => {
  it('offers "Expired" for an expired lot and writes off all of it when no quantity is given', async () => {
    const network = watchNetwork();
    const user = userEvent.setup();
    renderUi(<WriteOffForm lot={lot({ expiryStatus: 'expired', expiryDate: '2025-01-31' })} onClose={() => {}} />);
    expect((screen.getByRole('combobox', { name: /^Reason/ }) as HTMLInputElement).value).toBe('Expired');
    expect(descriptionOf(field('Quantity'))).toBe('Leave blank to write off all 40');
    await user.click(screen.getByRole('button', { name: 'Write off' }));
    await waitFor(() => expect(proceduresCalled(network)).toContain('drugs.writeOff'));
    expect(sent(network, 'drugs.writeOff')).toEqual({ drugId: 3, lotId: 7, reason: 'expired' });
  });

  it('offers "Recalled" for a lot that has not expired (only an expired lot may be written off as expired)', () => {
    watchNetwork();
    renderUi(<WriteOffForm lot={lot()} onClose={() => {}} />);
    expect((screen.getByRole('combobox', { name: /^Reason/ }) as HTMLInputElement).value).toBe('Recalled');
  });
});

describe('receiving stock', () => {
  async function fillReceipt(user: ReturnType<typeof userEvent.setup>) {
    await user.type(field('Lot number'), 'b123');
    await user.type(field('Expiry date'), '01/01/2020');
    await user.type(field('Quantity'), '100');
    await user.type(field('Supplier'), 'Emzor');
    await user.type(field('Unit cost'), '12,50');
  }

  it('sends the receipt with a decimal-comma unit cost read as a number', async () => {
    const network = watchNetwork();
    const user = userEvent.setup();
    renderUi(<ReceiveForm drug={drug({ id: 3 })} onClose={() => {}} />);
    await fillReceipt(user);
    await user.click(screen.getByRole('button', { name: 'Receive stock' }));
    await waitFor(() => expect(proceduresCalled(network)).toContain('drugs.receive'));
    expect(sent(network, 'drugs.receive')).toEqual({
      drugId: 3,
      lotNumber: 'B123',
      expiryDate: '2020-01-01',
      quantity: 100,
      supplier: 'Emzor',
      unitCost: 12.5,
    });
  });

  it("puts the server's refusal of a past expiry date beside the expiry date, and keeps the form open", async () => {
    const network = watchNetwork();
    const message = 'Expiry date 2020-01-01 is in the past: expired stock cannot be received';
    refuse(network, message, [{ path: 'expiryDate', message }]);
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderUi(<ReceiveForm drug={drug({ id: 3 })} onClose={onClose} />);
    await fillReceipt(user);
    await user.click(screen.getByRole('button', { name: 'Receive stock' }));
    await waitFor(() => expect(errorOf(field('Expiry date'))).toBe(message));
    expect(document.activeElement).toBe(field('Expiry date'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('editing a drug', () => {
  it('shows stock on hand and expiry read-only, with where they change', () => {
    watchNetwork();
    renderUi(<DrugForm drug={drug({ stockOnHand: 1234, expiryDate: '2027-03-12' })} onClose={() => {}} />);
    expect(field('Stock on hand').readOnly).toBe(true);
    expect(field('Stock on hand').value).toBe((1234).toLocaleString());
    expect(field('Nearest expiry date').readOnly).toBe(true);
    expect(descriptionOf(field('Stock on hand'))).toBe('Changes through receipts and adjustments');
  });

  it('never sends stock on hand or an expiry date when saved', async () => {
    const network = watchNetwork();
    const user = userEvent.setup();
    renderUi(<DrugForm drug={drug({ id: 9, stockOnHand: 50, expiryDate: '2027-03-12', reorderLevel: 10 })} onClose={() => {}} />);
    await user.clear(field('Reorder level'));
    await user.type(field('Reorder level'), '60');
    await user.click(screen.getByRole('button', { name: 'Save drug' }));
    await waitFor(() => expect(proceduresCalled(network)).toContain('drugs.update'));
    const input = sent(network, 'drugs.update');
    expect(input).toMatchObject({ id: 9, reorderLevel: 60 });
    expect(input).not.toHaveProperty('stockOnHand');
    expect(input).not.toHaveProperty('expiryDate');
  });
});

describe('a dispensed prescription line', () => {
  const line = (dispensedLots: DrugLine['dispensedLots']): DrugLine =>
    ({
      id: 1,
      drugName: 'Amoxicillin',
      dose: '1 cap',
      frequency: 'tds',
      duration: '5 days',
      route: 'oral',
      quantity: 30,
      allergyOverrideReason: null,
      allergyOverrideFor: null,
      dispensedLots,
    }) as DrugLine;

  it('names the lots it was taken from, with their expiry and quantity', () => {
    renderUi(
      <DrugLinesTable
        lines={[
          line([
            { lotId: 1, lotNumber: 'EARLY', expiryDate: '2027-03-12', quantity: 20 },
            { lotId: 2, lotNumber: 'OPENING', expiryDate: null, quantity: 10 },
          ]),
        ]}
      />,
    );
    const expiry = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(2027, 2, 12));
    expect(screen.getByRole('columnheader', { name: 'Dispensed from' })).toBeTruthy();
    expect(screen.getByText(`Lot EARLY (exp ${expiry}) × 20`)).toBeTruthy();
    expect(screen.getByText('Lot OPENING × 10')).toBeTruthy();
  });

  it('has no lots column before anything is dispensed', () => {
    renderUi(<DrugLinesTable lines={[line([])]} />);
    expect(screen.queryByRole('columnheader', { name: 'Dispensed from' })).toBeNull();
  });
});
