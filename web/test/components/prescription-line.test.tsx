// @vitest-environment jsdom
/**
 * One prescription line as the doctor writes it: choosing a drug that matches a recorded allergy asks for a reason
 * (shared/'s allergy rule), and a quantity above stock on hand is warned about. The formulary comes from the query
 * cache, as the server's drug search would have answered.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import type { Drug } from '@hmis/shared';
import { emptyLine, LineFields, type LineValues } from '../../src/features/prescriptions/LineFields';
import { queryClient, trpc } from '../../src/trpc';
import { descriptionOf, field } from './fields';
import { drug, renderUi, watchNetwork } from './render';

const penicillinV = drug({ name: 'Penicillin V', genericName: 'Phenoxymethylpenicillin', strength: '250 mg', stockOnHand: 400 });
const paracetamol = drug({ name: 'Paracetamol', genericName: 'Paracetamol', strength: '500 mg', stockOnHand: 20 });
const amoxicillin = drug({ name: 'Amoxicillin', genericName: 'Amoxicillin', strength: '500 mg', stockOnHand: 90, atcCodes: ['J01CA04'] });

function Line({ allergies }: { allergies: string[] }) {
  const form = useForm<LineValues>({ defaultValues: emptyLine() });
  // As the prescription forms pass it: LineFields takes any form's control, with `prefix` naming its fields.
  return (
    <LineFields
      prefix=""
      control={form.control as never}
      register={form.register}
      setValue={form.setValue}
      errors={form.formState.errors}
      allergies={allergies}
    />
  );
}

function renderLine(allergies: string[]) {
  const network = watchNetwork();
  // The drug search's first page (nothing typed yet), as the server would have answered it.
  queryClient.setQueryData(trpc.drugs.list.queryKey({ q: undefined, limit: 20 }), {
    items: [penicillinV, paracetamol, amoxicillin],
    nextCursor: null,
  });
  const user = userEvent.setup();
  renderUi(<Line allergies={allergies} />);
  return {
    network,
    user,
    async choose(d: Drug) {
      await user.click(field(/^Drug/));
      await user.click(await screen.findByRole('option', { name: new RegExp(`^${d.name} ${d.strength}`) }));
      await waitFor(() => expect(field(/^Drug/).value).toBe(`${d.name} ${d.strength} ${d.formulation}`));
    },
  };
}

const overrideField = () => screen.queryByLabelText<HTMLInputElement>(/^Allergy override reason/, { selector: 'input' });

describe('a prescription line', () => {
  it('asks for an allergy override reason when the chosen drug matches a recorded allergy', async () => {
    const { choose } = renderLine(['Penicillin']);
    await choose(penicillinV);
    expect(overrideField()).not.toBeNull();
    expect(screen.getByText('Allergy: the patient is recorded as allergic to Penicillin')).toBeTruthy();
  });

  it('asks for no reason when the chosen drug matches none of the allergies', async () => {
    const { choose } = renderLine(['Penicillin']);
    await choose(paracetamol);
    expect(overrideField()).toBeNull();
  });

  it('asks for no reason when the patient has no recorded allergy', async () => {
    const { choose } = renderLine([]);
    await choose(penicillinV);
    expect(overrideField()).toBeNull();
  });

  it('asks for no reason before a drug is chosen', () => {
    renderLine(['Penicillin']);
    expect(overrideField()).toBeNull();
  });

  it('takes the reason field away when the matching drug is replaced by one that does not match', async () => {
    const { user, choose } = renderLine(['Penicillin']);
    await choose(penicillinV);
    expect(overrideField()).not.toBeNull();
    await user.clear(field(/^Drug/));
    await choose(paracetamol);
    expect(overrideField()).toBeNull();
  });

  it('names every allergy the drug matches, not only the first', async () => {
    const { choose } = renderLine(['Penicillin', 'Amoxicillin']);
    await choose(amoxicillin);
    expect(screen.getByText('Allergy: the patient is recorded as allergic to Penicillin and Amoxicillin')).toBeTruthy();
    expect(descriptionOf(overrideField()!)).toMatch(
      /^Amoxicillin is a penicillin; the patient is recorded as allergic to Penicillin\. Amoxicillin matches the patient's recorded allergy to Amoxicillin\./,
    );
  });

  it('empties the reason when the drug is replaced: a reason is given for one drug', async () => {
    const { user, choose } = renderLine(['Penicillin']);
    await choose(penicillinV);
    await user.type(overrideField()!, 'Rash only, tolerated in 2024');
    await user.clear(field(/^Drug/));
    await choose(amoxicillin);
    expect(overrideField()!.value).toBe('');
  });

  it('shows the stock on hand under the quantity once a drug is chosen', async () => {
    const { choose } = renderLine([]);
    await choose(paracetamol);
    expect(descriptionOf(field(/^Quantity/))).toBe('20 in stock');
  });

  it('warns when the quantity is more than the stock on hand', async () => {
    const { user, choose } = renderLine([]);
    await choose(paracetamol);
    await user.type(field(/^Quantity/), '30');
    expect((await screen.findByRole('status')).textContent).toBe('Only 20 of Paracetamol in stock: the pharmacy cannot dispense 30 now.');
  });

  it('does not warn when the quantity is exactly the stock on hand', async () => {
    const { user, choose } = renderLine([]);
    await choose(paracetamol);
    await user.type(field(/^Quantity/), '20');
    await waitFor(() => expect(field(/^Quantity/).value).toBe('20'));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('chooses from the cached formulary without asking the server', async () => {
    const { network, choose } = renderLine(['Penicillin']);
    await choose(penicillinV);
    expect(network).not.toHaveBeenCalled();
  });
});
