// @vitest-environment jsdom
/**
 * The vital-signs form checks shared/'s limits as the nurse types: impossible values are refused at the field,
 * abnormal ones are flagged with the normal range, a decimal comma is read as a decimal point, and nothing is sent
 * while the form is invalid.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { VitalsForm } from '../../src/features/vitals/VitalsForm';
import { descriptionOf, errorOf, field } from './fields';
import { proceduresCalled, renderUi, watchNetwork } from './render';

function openForm() {
  const network = watchNetwork();
  const user = userEvent.setup();
  renderUi(<VitalsForm patientId={12} onDone={vi.fn()} />);
  const submit = screen.getByRole('button', { name: 'Record vital signs' });
  return { network, user, submit, pulse: field(/^Pulse/), temperature: field(/^Temperature/) };
}

/** The JSON input of the first request the client tried to send. */
function firstInput(network: ReturnType<typeof watchNetwork>): Record<string, unknown> {
  return (JSON.parse(String(network.mock.calls[0]![1]?.body)) as Record<string, Record<string, unknown>>)['0']!;
}

describe('the vital signs form', () => {
  it('refuses an impossible pulse at the field while it is typed, before any submit', async () => {
    const { user, pulse } = openForm();
    await user.type(pulse, '400');
    await waitFor(() => expect(errorOf(pulse)).toBe('Pulse must be between 1 and 300 beats/min'));
  });

  it('takes the message away again when the pulse is corrected', async () => {
    const { user, pulse } = openForm();
    await user.type(pulse, '400');
    await waitFor(() => expect(errorOf(pulse)).not.toBeNull());
    await user.clear(pulse);
    await user.type(pulse, '88');
    await waitFor(() => expect(errorOf(pulse)).toBeNull());
  });

  it('flags a high pulse with the normal range while typing, without refusing it', async () => {
    const { user, pulse } = openForm();
    await user.type(pulse, '130');
    await waitFor(() => expect(descriptionOf(pulse)).toContain('High (normal 60–100 beats/min)'));
    expect(errorOf(pulse)).toBeNull();
    expect(screen.getByRole('status')).toHaveProperty('textContent', 'High (normal 60–100 beats/min)');
  });

  it('flags a low pulse as low', async () => {
    const { user, pulse } = openForm();
    await user.type(pulse, '45');
    await waitFor(() => expect(descriptionOf(pulse)).toContain('Low (normal 60–100 beats/min)'));
  });

  it('shows a normal pulse with only its normal range', async () => {
    const { user, pulse } = openForm();
    await user.type(pulse, '72');
    await waitFor(() => expect(errorOf(pulse)).toBeNull());
    expect(descriptionOf(pulse)).toBe('normal 60–100 beats/min');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('accepts a temperature typed with a decimal comma', async () => {
    const { user, temperature } = openForm();
    await user.type(temperature, '37,5');
    await user.tab();
    expect(errorOf(temperature)).toBeNull();
    expect(descriptionOf(temperature)).not.toMatch(/High|Low/);
  });

  it('sends a temperature typed with a decimal comma as 37.5, never 375', async () => {
    const { network, user, submit, temperature } = openForm();
    await user.type(temperature, '37,5');
    await user.click(submit);
    await waitFor(() => expect(proceduresCalled(network)).toEqual(['vitals.create']));
    expect(firstInput(network)).toEqual({ patientId: 12, temperature: 37.5 });
  });

  it('refuses "37..5" as a temperature with a message instead of misreading it', async () => {
    const { user, temperature } = openForm();
    await user.type(temperature, '37..5');
    await waitFor(() => expect(errorOf(temperature)).toBe('Temperature must be a number'));
  });

  it('refuses an empty form with the "at least one vital sign" message', async () => {
    const { user, submit, pulse } = openForm();
    await user.click(submit);
    await waitFor(() => expect(errorOf(pulse)).toBe('Record at least one vital sign, such as the pulse'));
  });

  it('sends nothing when submitted empty', async () => {
    const { network, user, submit, pulse } = openForm();
    await user.click(submit);
    await waitFor(() => expect(errorOf(pulse)).not.toBeNull());
    expect(network).not.toHaveBeenCalled();
  });

  it('sends nothing while a value is impossible, even with other values valid', async () => {
    const { network, user, submit, pulse, temperature } = openForm();
    await user.type(temperature, '37,5');
    await user.type(pulse, '400');
    await user.click(submit);
    await waitFor(() => expect(errorOf(pulse)).not.toBeNull());
    expect(network).not.toHaveBeenCalled();
  });
});
