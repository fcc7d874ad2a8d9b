// @vitest-environment jsdom
/**
 * Drafts (issue 13, "no lost work"): what a form holds is kept in this browser per user, patient and form until it is
 * saved or discarded; the form opens from it with a visible notice; another user's drafts are never read, and go when
 * someone else signs in; signing out removes them all. The vital-signs form stands in for every form with a draft.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dropDrafts, DRAFT_MAX_AGE_MS } from '../../src/components/drafts';
import { VitalsForm } from '../../src/features/vitals/VitalsForm';
import { field } from './fields';
import { proceduresCalled, renderUi, signIn, staff, watchNetwork } from './render';

// Before, not after: the last test's form writes what was pending as it is unmounted.
beforeEach(() => localStorage.clear());

const nurse = staff('nurse');
const otherNurse = staff('nurse');
const PATIENT = 12;
const keyOf = (userId: number, patientId = PATIENT) => `hmis-draft:${userId}:vitals:${patientId}`;

function stored(key: string): { savedAt: number; values: Record<string, string> } | null {
  return JSON.parse(localStorage.getItem(key) ?? 'null');
}

function putDraft(userId: number, values: Record<string, string>, savedAt = Date.now()) {
  localStorage.setItem(keyOf(userId), JSON.stringify({ savedAt, values }));
}

function openForm(patientId = PATIENT) {
  const onDone = vi.fn();
  const view = renderUi(<VitalsForm patientId={patientId} onDone={onDone} />);
  return { onDone, pulse: field(/^Pulse/), ...view };
}

const type = (input: HTMLElement, value: string) => fireEvent.input(input, { target: { value } });

describe('a form with a draft', () => {
  it('keeps what is typed under the user, the patient and the form', async () => {
    signIn(nurse);
    const { pulse } = openForm();
    type(pulse, '88');
    await waitFor(() => expect(stored(keyOf(nurse.id))?.values.pulseRate).toBe('88'));
    expect(stored(keyOf(nurse.id, 13))).toBeNull();
  });

  it('writes what is pending when the form closes, without waiting', () => {
    signIn(nurse);
    const { pulse, unmount } = openForm();
    type(pulse, '91');
    unmount();
    expect(stored(keyOf(nurse.id))?.values.pulseRate).toBe('91');
  });

  it('opens from the draft with a visible notice; Discard draft empties the form and removes the draft', async () => {
    signIn(nurse);
    putDraft(nurse.id, { pulseRate: '88', temperature: '37,5' });
    const { pulse } = openForm();
    expect(pulse.value).toBe('88');
    expect(field(/^Temperature/).value).toBe('37,5');
    expect(screen.getByRole('status').textContent).toMatch(/Draft restored from .*not saved yet/);

    fireEvent.click(screen.getByRole('button', { name: 'Discard draft' }));
    await waitFor(() => expect(field(/^Pulse/).value).toBe(''));
    expect(screen.queryByRole('button', { name: 'Discard draft' })).toBeNull();
    expect(localStorage.getItem(keyOf(nurse.id))).toBeNull();
  });

  it('keeps the draft on Cancel (or Esc, which presses it): closing a form is not discarding it', async () => {
    signIn(nurse);
    const { onDone, pulse } = openForm();
    type(pulse, '88');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onDone).toHaveBeenCalled();
    await waitFor(() => expect(stored(keyOf(nurse.id))?.values.pulseRate).toBe('88'));
  });

  it('removes the draft when what is typed is taken back to where the form started', async () => {
    signIn(nurse);
    const { pulse } = openForm();
    type(pulse, '88');
    await waitFor(() => expect(stored(keyOf(nurse.id))).not.toBeNull());
    type(pulse, '');
    await waitFor(() => expect(stored(keyOf(nurse.id))).toBeNull());
  });

  it('never opens another user’s draft', () => {
    putDraft(otherNurse.id, { pulseRate: '88' });
    signIn(nurse);
    const { pulse } = openForm();
    expect(pulse.value).toBe('');
    expect(screen.queryByText(/Draft restored/)).toBeNull();
  });

  it('does not open a draft older than 24 hours', () => {
    signIn(nurse);
    putDraft(nurse.id, { pulseRate: '88' }, Date.now() - DRAFT_MAX_AGE_MS - 1000);
    expect(openForm().pulse.value).toBe('');
  });

  it('removes the draft once the save went through', async () => {
    signIn(nurse);
    putDraft(nurse.id, { pulseRate: '88' });
    const network = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(
        new Response(JSON.stringify([{ result: { data: { id: 1 } } }]), { headers: { 'content-type': 'application/json' } }),
      );
    const { onDone } = openForm();
    fireEvent.click(screen.getByRole('button', { name: 'Record vital signs' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(proceduresCalled(network)).toEqual(['vitals.create']);
    expect(localStorage.getItem(keyOf(nurse.id))).toBeNull();
  });

  it('is kept when the save fails', async () => {
    signIn(nurse);
    watchNetwork();
    const { pulse } = openForm();
    type(pulse, '88');
    fireEvent.click(screen.getByRole('button', { name: 'Record vital signs' }));
    await screen.findByRole('alert');
    await waitFor(() => expect(stored(keyOf(nurse.id))?.values.pulseRate).toBe('88'));
  });

  it('is not kept when nobody is signed in', async () => {
    const { pulse } = openForm();
    type(pulse, '88');
    await new Promise((r) => setTimeout(r, 400));
    expect(localStorage.length).toBe(0);
  });
});

describe('dropping drafts', () => {
  it('when someone signs in: every other user’s drafts go, theirs stay', () => {
    putDraft(nurse.id, { pulseRate: '88' });
    putDraft(otherNurse.id, { pulseRate: '90' });
    localStorage.setItem('hmis.lastRequestAt', '1');
    dropDrafts(otherNurse.id);
    expect(localStorage.getItem(keyOf(nurse.id))).toBeNull();
    expect(stored(keyOf(otherNurse.id))?.values.pulseRate).toBe('90');
    expect(localStorage.getItem('hmis.lastRequestAt')).toBe('1');
  });

  it('at sign-out: all of them, and the page being left writes none back', () => {
    signIn(nurse);
    putDraft(nurse.id, { pulseRate: '88' });
    const { pulse, unmount } = openForm();
    type(pulse, '89');
    dropDrafts(null);
    expect(localStorage.getItem(keyOf(nurse.id))).toBeNull();
    unmount();
    window.dispatchEvent(new Event('pagehide'));
    expect(localStorage.getItem(keyOf(nurse.id))).toBeNull();
  });
});
