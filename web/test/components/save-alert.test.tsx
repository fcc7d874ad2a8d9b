// @vitest-environment jsdom
/**
 * A save that could not reach the server is not a dead end (issue 13): the form says nothing was saved, keeps what was
 * typed, and its Retry button sends the same form again. A refusal by the server is shown as it was worded, without
 * a Retry that could only be refused again. The vital-signs form stands in for every form.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { VitalsForm } from '../../src/features/vitals/VitalsForm';
import { field } from './fields';
import { queryClient, trpc } from '../../src/trpc';
import { proceduresCalled, renderUi } from './render';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refusal = (code: string, httpStatus: number, message: string) =>
  json([{ error: { message, code: -32000, data: { code, httpStatus } } }], httpStatus);

function openForm() {
  const onDone = vi.fn();
  renderUi(<VitalsForm patientId={12} onDone={onDone} />);
  fireEvent.input(field(/^Pulse/), { target: { value: '88' } });
  fireEvent.click(screen.getByRole('button', { name: 'Record vital signs' }));
  return { onDone };
}

const bodies = (network: { mock: { calls: unknown[][] } }) =>
  network.mock.calls.map((c) => String((c[1] as RequestInit | undefined)?.body));

describe('a save that did not go through', () => {
  it('with no answer from the server: says so, keeps the form, and Retry sends it again', async () => {
    const network = vi
      .spyOn(globalThis, 'fetch')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(json([{ result: { data: { id: 1 } } }]));
    const { onDone } = openForm();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Not saved: the server could not be reached');
    expect(alert.textContent).toContain('What you entered is still here');
    expect(field(/^Pulse/).value).toBe('88');

    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(proceduresCalled(network)).toEqual(['vitals.create', 'vitals.create']);
    expect(bodies(network)[1]).toBe(bodies(network)[0]);
  });

  it('when the database is unavailable (503): the server’s words, and Retry', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      refusal('UNAVAILABLE', 503, 'The database cannot be reached just now; nothing was changed. Try again in a moment.'),
    );
    openForm();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The database cannot be reached just now');
    within(alert).getByRole('button', { name: 'Retry' });
  });

  it('refused by the server (403): its message, and no Retry', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(refusal('FORBIDDEN', 403, 'Only nurses record vital signs'));
    openForm();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Only nurses record vital signs');
    expect(within(alert).queryByRole('button')).toBeNull();
  });
});

describe('a save made before the session’s CSRF token has come (just after a reload)', () => {
  it('waits for the token, then goes with it in its header', async () => {
    const network = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(json([{ result: { data: { csrfToken: 'token-after-reload' } } }]))
      .mockResolvedValueOnce(json([{ result: { data: { id: 1 } } }]));
    const onDone = vi.fn();
    renderUi(<VitalsForm patientId={12} onDone={onDone} />);
    queryClient.removeQueries({ queryKey: trpc.auth.csrf.queryKey() }); // the page shows before the token is here
    fireEvent.input(field(/^Pulse/), { target: { value: '88' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record vital signs' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(proceduresCalled(network)).toEqual(['auth.csrf', 'vitals.create']);
    const headers = new Headers((network.mock.calls[1]![1] as RequestInit).headers);
    expect(headers.get('x-csrf-token')).toBe('token-after-reload');
  });
});
