// @vitest-environment jsdom
/**
 * Allergy entry: the substance typeahead offers the server's suggestions in groups (drug classes, drug substances,
 * other allergens) and the typed text as free text; what is picked is sent coded, with reaction and severity; a
 * free-text allergy recorded earlier reads as "not coded" and is coded by picking. The suggestions come from the query
 * cache, as patients.allergySubstances would have answered.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import type { AllergyRecord, AllergySubstance, Patient } from '@hmis/shared';
import { AllergiesDialog } from '../../src/features/patients/AllergiesDialog';
import { AllergyBadges } from '../../src/features/patients/AllergyBadges';
import { RegisterPatientPage } from '../../src/features/patients/RegisterPatientPage';
import { emptyLine, LineFields, type LineValues } from '../../src/features/prescriptions/LineFields';
import { queryClient, trpc } from '../../src/trpc';
import { descriptionOf, errorOf, field } from './fields';
import { drug, proceduresCalled, renderRouted, renderUi, signIn, staff, watchNetwork } from './render';

const SUGGESTIONS: Record<string, AllergySubstance[]> = {
  penic: [
    { kind: 'class', code: 'penicillins', substance: 'Penicillins', detail: 'Drug class: ATC J01C' },
    { kind: 'substance', code: 'J01CE02', substance: 'Phenoxymethylpenicillin', detail: 'Drug substance: ATC J01CE02' },
  ],
  latex: [{ kind: 'allergen', code: 'latex', substance: 'Latex', detail: 'Not a drug' }],
  'cat hair': [],
};

/** The typeahead's answers, as the server would have given them, for each text typed in these tests. */
function cacheSuggestions() {
  for (const [q, items] of Object.entries(SUGGESTIONS)) queryClient.setQueryData(trpc.patients.allergySubstances.queryKey({ q }), items);
}

const substance = (n: number) => field(`Substance (allergy ${n})`);

async function openRegistration() {
  const network = watchNetwork();
  signIn(staff('recordofficer'));
  cacheSuggestions();
  const user = userEvent.setup();
  renderRouted({ page: RegisterPatientPage, path: '/patients/new' });
  const addAllergy = await screen.findByRole('button', { name: 'Add allergy' });
  return { network, user, addAllergy };
}

async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await user.type(field('First name'), 'Amina');
  await user.type(field('Last name'), 'Bello');
  await user.click(field('Sex'));
  await user.click(await screen.findByRole('option', { name: 'Female' }));
  await user.type(field('Date of birth'), '21/05/1988');
}

/**
 * What was sent to `procedure`. Found by its address: a query of the test before may still be retrying into this
 * test's network watch (the cache is cleared before the components are unmounted).
 */
function sent(network: ReturnType<typeof watchNetwork>, procedure: string) {
  const call = network.mock.calls.find(([url]) => String(url).includes(`/trpc/${procedure}`));
  return (JSON.parse(String(call![1]?.body)) as Record<string, Record<string, unknown>>)['0']!;
}

// Typing a whole registration form in jsdom takes a few seconds on a small machine.
describe('the allergy typeahead', { timeout: 20_000 }, () => {
  it('offers drug classes, drug substances and other allergens in their groups, and the text as free text', async () => {
    const { user, addAllergy } = await openRegistration();
    await user.click(addAllergy);
    await user.type(substance(1), 'penic');
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getByRole('group', { name: 'Drug classes' }).textContent).toContain('Penicillins'));
    expect(within(listbox).getByRole('group', { name: 'Drug substances' }).textContent).toContain('Phenoxymethylpenicillin');
    expect(within(listbox).queryByRole('group', { name: 'Other allergens' })).toBeNull();
    expect(within(listbox).getByRole('option', { name: 'Record “penic” as free text' })).toBeTruthy();
  });

  it('says when nothing coded matches, and still offers the text as free text', async () => {
    const { user, addAllergy } = await openRegistration();
    await user.click(addAllergy);
    await user.type(substance(1), 'cat hair');
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getByRole('group', { name: 'Nothing coded matches “cat hair”' })).toBeTruthy());
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Record “cat hair” as free text']);
  });

  it('sends the picked class coded, with the reaction and the severity', async () => {
    const { network, user, addAllergy } = await openRegistration();
    await fillRequired(user);
    await user.click(addAllergy);
    await user.type(substance(1), 'penic');
    await user.click(await screen.findByRole('option', { name: /^Penicillins/ }));
    expect(substance(1).value).toBe('Penicillins');
    expect(descriptionOf(substance(1))).toContain('Drug class (ATC J01C)');
    await user.type(field('Reaction (allergy 1)'), 'Urticaria');
    await user.click(field('Severity (allergy 1)'));
    await user.click(await screen.findByRole('option', { name: 'Severe' }));
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(proceduresCalled(network)).toContain('patients.create'));
    expect(sent(network, 'patients.create').allergies).toEqual([
      { kind: 'class', code: 'penicillins', substance: 'Penicillins', reaction: 'Urticaria', severity: 'severe' },
    ]);
  });

  it('picks with the arrow keys and Enter', async () => {
    const { user, addAllergy } = await openRegistration();
    await user.click(addAllergy);
    await user.type(substance(1), 'latex');
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getByRole('group', { name: 'Other allergens' })).toBeTruthy());
    await user.keyboard('{ArrowDown}{Enter}');
    await waitFor(() => expect(descriptionOf(substance(1))).toContain('Other allergen (not a drug)'));
    expect(substance(1).value).toBe('Latex');
  });

  it('keeps the typed text as free text on Enter, without sending the form', async () => {
    const { network, user, addAllergy } = await openRegistration();
    await fillRequired(user);
    await user.click(addAllergy);
    await user.type(substance(1), 'cat hair{Enter}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(descriptionOf(substance(1))).toContain('not coded');
    expect(proceduresCalled(network)).not.toContain('patients.create');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(proceduresCalled(network)).toContain('patients.create'));
    expect(sent(network, 'patients.create').allergies).toEqual([
      { kind: 'text', code: null, substance: 'cat hair', reaction: null, severity: 'unknown' },
    ]);
  });

  it('turns a picked allergy back into free text when its text is changed', async () => {
    const { user, addAllergy } = await openRegistration();
    await user.click(addAllergy);
    await user.type(substance(1), 'latex');
    await user.click(await screen.findByRole('option', { name: /^Latex/ }));
    expect(descriptionOf(substance(1))).toContain('Other allergen');
    await user.type(substance(1), ' gloves');
    expect(descriptionOf(substance(1))).toContain('not coded');
  });

  it('names a blank allergy beside it and sends nothing', async () => {
    const { network, user, addAllergy } = await openRegistration();
    await fillRequired(user);
    await user.click(addAllergy);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(errorOf(substance(1))).toBe('Substance (allergy 1) is required'));
    expect(proceduresCalled(network)).not.toContain('patients.create');
  });

  it('removes an allergy row by its numbered button', async () => {
    const { user, addAllergy } = await openRegistration();
    await user.click(addAllergy);
    await user.click(addAllergy);
    await user.type(substance(2), 'cat hair{Enter}');
    await user.click(screen.getByRole('button', { name: 'Remove allergy 1' }));
    expect(substance(1).value).toBe('cat hair');
    expect(screen.queryByRole('group', { name: 'Allergy 2' })).toBeNull();
  });
});

const LEGACY: AllergyRecord = {
  kind: 'text',
  code: null,
  substance: 'penicillin',
  reaction: null,
  severity: 'unknown',
  recordedBy: null,
  recordedByName: null,
  recordedAt: null,
};

function patient(allergyRecords: AllergyRecord[]): Patient {
  const now = new Date().toISOString();
  return {
    id: 7,
    mrn: 'HMIS-0000007',
    firstName: 'Ada',
    lastName: 'Obi',
    otherNames: null,
    gender: 'Female',
    dob: '1990-04-16',
    maritalStatus: null,
    address: null,
    phoneNumber: null,
    email: null,
    nextOfKin: null,
    kinAddress: null,
    allergies: allergyRecords.map((a) => a.substance),
    allergyRecords,
    version: 3,
    createdAt: now,
    updatedAt: now,
    createdBy: null,
    updatedBy: null,
  };
}

describe('coding allergies from the chart', { timeout: 20_000 }, () => {
  it('shows a free-text allergy recorded earlier as not coded, codes it by picking, and saves the list with the version read', async () => {
    const network = watchNetwork();
    signIn(staff('doctor'));
    queryClient.setQueryData(trpc.patients.allergySubstances.queryKey({ q: 'penicillin' }), SUGGESTIONS.penic!);
    const user = userEvent.setup();
    renderUi(<AllergiesDialog patient={patient([LEGACY])} onClose={() => {}} />);
    expect(descriptionOf(substance(1))).toMatch(/not coded.*Recorded before allergies were coded/);
    await user.click(substance(1));
    await user.click(await screen.findByRole('option', { name: /^Penicillins/ }));
    expect(descriptionOf(substance(1))).toMatch(/^coded/);
    await user.click(screen.getByRole('button', { name: 'Save allergies' }));

    await waitFor(() => expect(proceduresCalled(network)).toContain('patients.setAllergies'));
    expect(sent(network, 'patients.setAllergies')).toEqual({
      id: 7,
      version: 3,
      allergies: [{ kind: 'class', code: 'penicillins', substance: 'Penicillins', reaction: null, severity: 'unknown' }],
    });
  });
});

describe('allergy badges', () => {
  const severe: AllergyRecord = {
    kind: 'class',
    code: 'penicillins',
    substance: 'Penicillins',
    reaction: 'Anaphylaxis',
    severity: 'severe',
    recordedBy: 1,
    recordedByName: 'Grace Okafor',
    recordedAt: '2026-11-03T10:00:00.000Z',
  };

  it('fills a severe allergy in red and marks free text as not coded', () => {
    signIn(staff('nurse'));
    renderUi(<AllergyBadges allergies={[severe, LEGACY]} />);
    const [first, second] = screen.getAllByText(/Penicillins|penicillin/).map((el) => el.closest('.mantine-Badge-root')!);
    expect(first!.textContent).toMatch(/^Penicillins · severe/);
    expect(first!.getAttribute('data-variant')).toBe('filled');
    expect(second!.getAttribute('data-variant')).toBe('light');
    expect(second!.textContent).toContain('not coded');
  });

  it('describes each badge with its coding, reaction, severity and recorder for screen readers', () => {
    signIn(staff('nurse', { id: 1 }));
    renderUi(<AllergyBadges allergies={[severe]} />);
    const badge = screen.getByText(/^Penicillins · severe/).closest('.mantine-Badge-root')!;
    const description = document.getElementById(badge.getAttribute('aria-describedby')!)!.textContent;
    expect(description).toMatch(/^Drug class \(ATC J01C\)\. Reaction: Anaphylaxis\. Severity: severe\. Recorded by you, /);
  });

  it('names the recorder to everyone else, and by staff ID only where an older record kept no name', () => {
    signIn(staff('nurse', { id: 2 }));
    renderUi(
      <AllergyBadges allergies={[severe, { ...severe, code: 'nsaids', substance: 'NSAIDs', recordedBy: 9, recordedByName: null }]} />,
    );
    const describe = (text: RegExp) =>
      document.getElementById(screen.getByText(text).closest('.mantine-Badge-root')!.getAttribute('aria-describedby')!)!.textContent;
    expect(describe(/^Penicillins · severe/)).toMatch(/Recorded by Grace Okafor, /);
    expect(describe(/^NSAIDs · severe/)).toMatch(/Recorded by staff ID 9, /);
  });
});

describe('prescribing against coded allergies', () => {
  const amoxicillin = drug({ name: 'Amoxicillin', genericName: 'Amoxicillin', strength: '500 mg', atcCodes: ['J01CA04'] });

  function Line({ allergies }: { allergies: AllergyRecord[] }) {
    const form = useForm<LineValues>({ defaultValues: { ...emptyLine(), drug: amoxicillin } });
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

  it('names the class when a coded class allergy matches the drug', () => {
    renderUi(<Line allergies={[{ ...LEGACY, kind: 'class', code: 'penicillins', substance: 'Penicillins' }]} />);
    expect(screen.getByText('Allergy: the patient is recorded as allergic to Penicillins')).toBeTruthy();
    expect(descriptionOf(field(/^Allergy override reason/))).toContain('Amoxicillin is a penicillin');
  });

  it('asks for no reason for a coded non-drug allergen', () => {
    renderUi(<Line allergies={[{ ...LEGACY, kind: 'allergen', code: 'latex', substance: 'Latex' }]} />);
    expect(screen.queryByLabelText(/^Allergy override reason/)).toBeNull();
  });
});
