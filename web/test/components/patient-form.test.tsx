// @vitest-environment jsdom
/**
 * The registration form validates with shared/'s PatientCreateInput before anything is sent: the messages beside the
 * fields are the schema's own, and an invalid form never reaches the network.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RegisterPatientPage } from '../../src/features/patients/RegisterPatientPage';
import { errorOf, field } from './fields';
import { proceduresCalled, renderRouted, watchNetwork } from './render';

async function openForm() {
  const network = watchNetwork();
  const user = userEvent.setup();
  renderRouted({ page: RegisterPatientPage, path: '/patients/new' });
  const submit = await screen.findByRole('button', { name: 'Register patient' });
  return { network, user, submit };
}

describe('the patient registration form', () => {
  it('names every missing required field beside it when submitted empty', async () => {
    const { user, submit } = await openForm();
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('First name'))).toBe('First name is required'));
    expect(errorOf(field('Last name'))).toBe('Last name is required');
    expect(errorOf(field('Sex'))).toBe('Sex is required');
    expect(errorOf(field('Date of birth'))).toBe('Date of birth is required');
  });

  it('marks the missing fields invalid and leaves the optional ones alone', async () => {
    const { user, submit } = await openForm();
    await user.click(submit);
    await waitFor(() => expect(field('First name').getAttribute('aria-invalid')).toBe('true'));
    expect(field('Last name').getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(field('Other names'))).toBeNull();
    expect(errorOf(field('Phone'))).toBeNull();
  });

  it('puts the focus on the first field in error', async () => {
    const { user, submit } = await openForm();
    await user.click(submit);
    await waitFor(() => expect(document.activeElement).toBe(field('First name')));
  });

  it('sends nothing when submitted empty', async () => {
    const { network, user, submit } = await openForm();
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('First name'))).not.toBeNull());
    expect(network).not.toHaveBeenCalled();
  });

  it('refuses a phone number with letters with the shared phone message', async () => {
    const { network, user, submit } = await openForm();
    await user.type(field('Phone'), '0803 CALL ME');
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('Phone'))).toBe('Phone may contain only digits, spaces, dashes, brackets and a leading +'));
    expect(network).not.toHaveBeenCalled();
  });

  it('refuses a first name longer than 128 characters', async () => {
    const { network, user, submit } = await openForm();
    await user.click(field('First name'));
    await user.paste('A'.repeat(129));
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('First name'))).toBe('First name can be at most 128 characters'));
    expect(network).not.toHaveBeenCalled();
  });

  it('accepts a first name of exactly 128 characters', async () => {
    const { user, submit } = await openForm();
    await user.click(field('First name'));
    await user.paste('A'.repeat(128));
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('Last name'))).toBe('Last name is required'));
    expect(errorOf(field('First name'))).toBeNull();
  });

  it('sends a complete registration as patients.create, with the date typed day first', async () => {
    const { network, user, submit } = await openForm();
    await user.type(field('First name'), 'Amina');
    await user.type(field('Last name'), 'Bello');
    await user.click(field('Sex'));
    await user.click(await screen.findByRole('option', { name: 'Female' }));
    await user.type(field('Date of birth'), '21/05/1988');
    await user.type(field('Phone'), '0803 555 0101');
    await user.click(submit);
    await waitFor(() => expect(proceduresCalled(network)).toEqual(['patients.create']));
    const body = JSON.parse(String(network.mock.calls[0]![1]?.body)) as Record<string, unknown>;
    // What is sent is the schema's output: the phone number as stored, without its spaces.
    expect(body['0']).toMatchObject({
      firstName: 'Amina',
      lastName: 'Bello',
      gender: 'Female',
      dob: '1988-05-21',
      phoneNumber: '08035550101',
    });
  });
});
