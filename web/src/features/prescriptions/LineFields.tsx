/**
 * One drug line as the doctor writes it: the drug (typeahead), dose, frequency, duration, route, quantity. As the
 * drug is chosen the allergy check runs (the server's rule, from shared/) and stock on hand is compared with the
 * quantity.
 */
import { Alert, Group, SimpleGrid, Text, TextInput } from '@mantine/core';
import {
  Controller,
  get,
  useWatch,
  type Control,
  type FieldErrors,
  type UseFormClearErrors,
  type UseFormRegister,
  type UseFormReturn,
  type UseFormSetValue,
} from 'react-hook-form';
import {
  allergiesMatched,
  allergyMatchesMessage,
  checkAllergies,
  listOfAllergies,
  type AllergyMatch,
  type CheckedAllergy,
  type Drug,
} from '@hmis/shared';
import { DrugPicker } from './DrugPicker';

export interface LineValues {
  drug: Drug | null;
  dose: string;
  frequency: string;
  duration: string;
  route: string;
  quantity: string;
  allergyOverrideReason: string;
}

export const emptyLine = (): LineValues => ({
  drug: null,
  dose: '',
  frequency: '',
  duration: '',
  route: '',
  quantity: '',
  allergyOverrideReason: '',
});

/** The API's line input from what the form holds. */
export function lineInput(l: LineValues) {
  return {
    drugId: l.drug?.id,
    dose: l.dose,
    frequency: l.frequency,
    duration: l.duration,
    route: l.route,
    quantity: l.quantity.trim() === '' ? undefined : l.quantity.trim(),
    allergyOverrideReason: l.allergyOverrideReason.trim() || undefined,
  };
}

/** Lines whose drug matches an allergy but have no reason: the form refuses them before asking the server. */
export function missingOverrideReasons(lines: LineValues[], allergies: readonly CheckedAllergy[]): number[] {
  return lines.flatMap((l, i) => (l.drug && checkAllergies(l.drug, allergies).match && !l.allergyOverrideReason.trim() ? [i] : []));
}

/** The alert's title: what the patient is allergic to; only cross-reactivity warnings, it says so. */
function allergyTitle(matches: readonly AllergyMatch[]): string {
  const names = listOfAllergies(allergiesMatched(matches));
  return matches.every((m) => m.kind === 'cross-reactivity')
    ? `Allergy: cross-reactivity warning: the patient is recorded as allergic to ${names}`
    : `Allergy: the patient is recorded as allergic to ${names}`;
}

/**
 * A saved line's reason does not stand for an allergy recorded since it was given: the form starts with an empty
 * reason then, and says what the earlier one was for.
 */
export function reasonStillCovers(
  line: { drugId: number; allergyOverrideReason: string | null; allergyOverrideFor: string[] | null },
  drug: Drug | null | undefined,
  allergies: readonly CheckedAllergy[],
): boolean {
  if (!line.allergyOverrideReason || !drug || !line.allergyOverrideFor) return true;
  const covered = line.allergyOverrideFor;
  return checkAllergies(drug, allergies).matches.every((m) => covered.includes(m.allergy));
}

/** What LineFields takes from the form it is part of. */
export const lineFormProps = (form: UseFormReturn<any, any, any>) => ({
  control: form.control as Control<any, any, any>,
  register: form.register,
  setValue: form.setValue,
  clearErrors: form.clearErrors,
  errors: form.formState.errors,
});

interface Props {
  /** `lines.0.` in a prescription form, '' in a single-line form. */
  prefix: string;
  number?: number;
  control: Control<any, any, any>;
  register: UseFormRegister<any>;
  setValue: UseFormSetValue<any>;
  /** Clears the messages a drug's choice answers ("choose a drug", the route it fills in). */
  clearErrors?: UseFormClearErrors<any>;
  errors: FieldErrors<any>;
  /** The patient's allergies: coded records (`allergyRecords`) are checked by class and ingredient, free text by name. */
  allergies: readonly CheckedAllergy[];
  /** A saved line's reason that no longer covers every allergy its drug matches: what it was given for. */
  earlierReason?: { reason: string; covers: string[] };
  autoFocus?: boolean;
}

export function LineFields({
  prefix,
  number,
  control,
  register,
  setValue,
  clearErrors,
  errors,
  allergies,
  earlierReason,
  autoFocus,
}: Props) {
  const drug = useWatch({ control, name: `${prefix}drug` }) as Drug | null;
  const quantity = useWatch({ control, name: `${prefix}quantity` }) as string;
  const err = (f: string): string | undefined => (get(errors, `${prefix}${f}`) as { message?: string } | undefined)?.message;
  const check = drug ? checkAllergies(drug, allergies) : null;
  const matches = check?.matches ?? [];
  const qty = Number(quantity);
  const overStock = drug && Number.isFinite(qty) && qty > drug.stockOnHand;
  const suffix = number ? ` (drug ${number})` : '';

  return (
    <>
      <SimpleGrid cols={{ base: 2, lg: 6 }} spacing="xs" verticalSpacing={4}>
        <div style={{ gridColumn: 'span 2' }}>
          <Controller
            control={control}
            name={`${prefix}drug`}
            render={({ field }) => (
              <DrugPicker
                label={`Drug${suffix}`}
                value={field.value}
                autoFocus={autoFocus}
                error={err('drugId') && (field.value ? err('drugId') : 'Choose a drug from the formulary')}
                onChange={(d) => {
                  // A reason is given for a drug: another drug needs its own (the server refuses the old one too).
                  if (d?.id !== (field.value as Drug | null)?.id) setValue(`${prefix}allergyOverrideReason`, '', { shouldValidate: false });
                  field.onChange(d);
                  // Choosing a drug suggests its route; the doctor can still change it.
                  if (d) setValue(`${prefix}route`, d.route, { shouldValidate: false });
                  // A blur before the choice (clicking an option) checked the line while it had no drug and no route.
                  if (d) clearErrors?.([`${prefix}drugId`, `${prefix}route`]);
                }}
              />
            )}
          />
        </div>
        <TextInput label={`Dose${suffix}`} withAsterisk placeholder="e.g. 1 tablet" error={err('dose')} {...register(`${prefix}dose`)} />
        <TextInput
          label={`Frequency${suffix}`}
          withAsterisk
          placeholder="e.g. 8-hourly"
          error={err('frequency')}
          {...register(`${prefix}frequency`)}
        />
        <TextInput
          label={`Duration${suffix}`}
          withAsterisk
          placeholder="e.g. 5 days"
          error={err('duration')}
          {...register(`${prefix}duration`)}
        />
        <TextInput label={`Route${suffix}`} withAsterisk error={err('route')} {...register(`${prefix}route`)} />
        <TextInput
          label={`Quantity${suffix}`}
          withAsterisk
          inputMode="numeric"
          error={err('quantity')}
          description={drug ? `${drug.stockOnHand.toLocaleString()} in stock` : undefined}
          {...register(`${prefix}quantity`)}
        />
      </SimpleGrid>
      {overStock && (
        <Text size="sm" c="var(--hmis-warn-text)" mt={4} role="status">
          Only {drug.stockOnHand.toLocaleString()} of {drug.name} in stock: the pharmacy cannot dispense {qty.toLocaleString()} now.
        </Text>
      )}
      {drug && check?.unclassified && allergies.length > 0 && (
        <Text size="sm" c="dimmed" mt={4}>
          Unclassified drug: checked against allergies by name only
        </Text>
      )}
      {(matches.length > 0 || err('allergyOverrideReason')) && (
        <Alert color="red" variant="light" mt="xs" p="xs" title={matches.length > 0 ? allergyTitle(matches) : 'Allergy'}>
          <Group grow>
            <TextInput
              label={`Allergy override reason${suffix}`}
              withAsterisk
              description={`${matches.length > 0 && drug ? allergyMatchesMessage(drug.name, matches) : `${drug?.name ?? 'This drug'} matches a recorded allergy.`}${earlierReason ? ` The reason given before (“${earlierReason.reason}”) was for ${listOfAllergies(earlierReason.covers)} only.` : ''} Prescribe it only with a clinical reason; the pharmacist will see it.`}
              error={err('allergyOverrideReason')}
              {...register(`${prefix}allergyOverrideReason`)}
            />
          </Group>
        </Alert>
      )}
    </>
  );
}
