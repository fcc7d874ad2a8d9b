// @vitest-environment jsdom
/**
 * No lost work in the pharmacist's and the admin's forms (issue 13, decision 024): the drug, stock and staff dialogs
 * keep drafts like the clinical forms, a password never goes into one (nor into storage at all), and a save or a
 * dispense that could not reach the server offers Retry.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TRPCClientError } from '@trpc/client';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ChangePassword } from '../../src/features/account/ChangePassword';
import { ResetPassword, StaffForm } from '../../src/features/admin/StaffForm';
import { DrugForm } from '../../src/features/pharmacy/DrugForm';
import { ReceiveForm } from '../../src/features/pharmacy/StockForms';
import { SaveAlert } from '../../src/components/SaveAlert';
import { field } from './fields';
import { drug, proceduresCalled, renderUi, signIn, staff, watchNetwork } from './render';

// Before, not after: the last test's form writes what was pending as it is unmounted.
beforeEach(() => localStorage.clear());

const admin = staff('admin');
const pharmacist = staff('pharmacist');
const PASSWORD = 'welcome-nurse-2026';

const type = (input: HTMLElement, value: string) => fireEvent.input(input, { target: { value } });
const drafts = () => Object.keys(localStorage).filter((k) => k.startsWith('hmis-draft:'));
const stored = (key: string) =>
  JSON.parse(localStorage.getItem(key) ?? 'null') as { savedAt: number; values: Record<string, string> } | null;
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
/** A little longer than the draft's write interval (300 ms). */
const aWriteLater = () => new Promise((r) => setTimeout(r, 400));

describe('the staff form’s draft', () => {
  const key = () => `hmis-draft:${admin.id}:staff:none`;

  it('keeps what is typed but never the password', async () => {
    signIn(admin);
    watchNetwork();
    const { unmount } = renderUi(<StaffForm onClose={() => {}} />);
    type(field('First name'), 'Ngozi');
    type(field('Initial password'), PASSWORD);
    await waitFor(() => expect(stored(key())?.values.firstName).toBe('Ngozi'));
    unmount(); // closing writes what is pending at once
    expect(stored(key())?.values).not.toHaveProperty('password');
    expect(JSON.stringify({ ...localStorage })).not.toContain(PASSWORD);
  });

  it('opens again from the draft with the notice, and the password empty', () => {
    signIn(admin);
    watchNetwork();
    // Even a draft that holds a password (written by anything else) does not put it back in the form.
    localStorage.setItem(key(), JSON.stringify({ savedAt: Date.now(), values: { firstName: 'Ngozi', password: PASSWORD } }));
    renderUi(<StaffForm onClose={() => {}} />);
    expect(field('First name').value).toBe('Ngozi');
    expect(field('Initial password').value).toBe('');
    expect(screen.getByRole('status').textContent).toMatch(/Draft restored from .*not saved yet/);
  });

  it('is not kept when only the password was typed', async () => {
    signIn(admin);
    watchNetwork();
    renderUi(<StaffForm onClose={() => {}} />);
    type(field('Initial password'), PASSWORD);
    await aWriteLater();
    expect(drafts()).toEqual([]);
  });

  it('of an edit is tied to the account’s version', () => {
    signIn(admin);
    watchNetwork();
    const nurse = staff('nurse', { version: 4 });
    localStorage.setItem(
      `hmis-draft:${admin.id}:staff-${nurse.id}-v3:none`,
      JSON.stringify({ savedAt: Date.now(), values: { jobTitle: 'Ward sister' } }),
    );
    renderUi(<StaffForm staff={nurse} onClose={() => {}} />);
    expect(field('Job title').value).toBe(nurse.jobTitle);
    expect(screen.queryByText(/Draft restored/)).toBeNull();
  });
});

describe('password forms', () => {
  it('resetting a password keeps no draft', async () => {
    signIn(admin);
    watchNetwork();
    renderUi(<ResetPassword staff={staff('nurse')} onClose={() => {}} />);
    type(field('New password'), PASSWORD);
    await aWriteLater();
    expect(localStorage.length).toBe(0);
  });

  it('changing my own password keeps no draft, and one that could not reach the server offers Retry', async () => {
    signIn(admin);
    const network = vi
      .spyOn(globalThis, 'fetch')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(json([{ result: { data: { csrfToken: 'new-token' } } }]));
    renderUi(<ChangePassword />);
    type(field('Current password'), 'the-old-one-2025');
    type(field('New password'), PASSWORD);
    type(field('Repeat the new password'), PASSWORD);
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not saved: the server could not be reached');
    expect(localStorage.length).toBe(0);

    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await screen.findByText('Your password has been changed.');
    expect(proceduresCalled(network).filter((p) => p === 'auth.changePassword')).toHaveLength(2);
  });
});

describe('the drug form’s draft', () => {
  it('opens a change from the draft of that version of the drug only', () => {
    signIn(pharmacist);
    watchNetwork();
    const d = drug({ id: 9, version: 2, reorderLevel: 10 });
    localStorage.setItem(
      `hmis-draft:${pharmacist.id}:drug-9-v2:none`,
      JSON.stringify({ savedAt: Date.now(), values: { reorderLevel: '75' } }),
    );
    const { unmount } = renderUi(<DrugForm drug={d} onClose={() => {}} />);
    expect(field('Reorder level').value).toBe('75');
    expect(screen.getByRole('status').textContent).toContain('Draft restored');
    unmount();

    renderUi(<DrugForm drug={{ ...d, version: 3 }} onClose={() => {}} />);
    expect(field('Reorder level').value).toBe('10');
  });

  it('keeps a new drug under no patient', async () => {
    signIn(pharmacist);
    watchNetwork();
    renderUi(<DrugForm onClose={() => {}} />);
    type(field('Name'), 'Artemether');
    await waitFor(() => expect(stored(`hmis-draft:${pharmacist.id}:drug:none`)?.values.name).toBe('Artemether'));
  });
});

describe('receiving stock that could not reach the server', () => {
  it('says so, keeps the draft, and Retry sends the same receipt; once saved the draft is gone', async () => {
    signIn(pharmacist);
    const network = vi
      .spyOn(globalThis, 'fetch')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(json([{ result: { data: { stockOnHand: 160, movements: [{ quantity: 60, lotBalance: 60 }] } } }]));
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderUi(<ReceiveForm drug={drug({ id: 3 })} onClose={onClose} />);
    await user.type(field('Lot number'), 'b123');
    await user.type(field('Expiry date'), '31/12/2030');
    await user.type(field('Quantity'), '60');
    await user.type(field('Supplier'), 'Emzor');
    await user.click(screen.getByRole('button', { name: 'Receive stock' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not saved: the server could not be reached');
    expect(field('Quantity').value).toBe('60');
    await waitFor(() => expect(stored(`hmis-draft:${pharmacist.id}:stock-receipt-d3:none`)?.values.quantity).toBe('60'));

    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const bodies = network.mock.calls.map((c) => String((c[1] as RequestInit | undefined)?.body));
    expect(proceduresCalled(network)).toEqual(['drugs.receive', 'drugs.receive']);
    expect(bodies[1]).toBe(bodies[0]);
    expect(drafts()).toEqual([]);
  });
});

describe('an action outside a form that could not reach the server (a dispense)', () => {
  it('names what did not happen, and Retry calls the action again', () => {
    const retry = vi.fn();
    renderUi(<SaveAlert error={TRPCClientError.from(new TypeError('Failed to fetch'))} notDone="Not dispensed" onRetry={retry} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Not dispensed: the server could not be reached');
    expect(alert.textContent).not.toContain('What you entered');
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });
});
