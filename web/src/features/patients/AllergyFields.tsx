/**
 * A patient's allergies as a list of rows: substance (typeahead: drug class, drug substance, other allergen, or free
 * text), reaction and severity. Used by the patient form (registration and edit) and by the allergy dialog of the
 * chart. The form holds `allergies: AllergyValues[]`; the shared schema's messages land beside each row's fields.
 */
import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import {
  Controller,
  get,
  useFieldArray,
  useWatch,
  type Control,
  type FieldErrors,
  type UseFormRegister,
  type UseFormSetValue,
} from 'react-hook-form';
import { LIMITS, type AllergySeverity } from '@hmis/shared';
import { useUser } from '../../app/session';
import { codedAs, emptyAllergy, recordedText, SEVERITY_OPTIONS, type AllergyValues } from './allergies';
import { AllergySubstancePicker } from './AllergySubstancePicker';

interface AllergyForm {
  allergies: AllergyValues[];
}

interface Props {
  control: Control<AllergyForm>;
  register: UseFormRegister<AllergyForm>;
  setValue: UseFormSetValue<AllergyForm>;
  errors: FieldErrors<AllergyForm>;
}

const message = (errors: FieldErrors<AllergyForm>, path: string) => (get(errors, path) as { message?: string } | undefined)?.message;

function AllergyRow({ index, control, register, setValue, errors, onRemove }: Props & { index: number; onRemove: () => void }) {
  const user = useUser();
  const n = index + 1;
  const row = useWatch({ control, name: `allergies.${index}` });
  const coded = row.kind !== 'text';
  const suffix = <VisuallyHidden> (allergy {n})</VisuallyHidden>;
  return (
    <Paper withBorder p="xs" role="group" aria-label={`Allergy ${n}`}>
      <Group align="flex-start" gap="xs" wrap="nowrap">
        <Controller
          control={control}
          name={`allergies.${index}.substance`}
          render={({ field }) => (
            <div style={{ flex: 3, minWidth: 0 }}>
              <AllergySubstancePicker
                ref={field.ref}
                label={<>Substance{suffix}</>}
                value={{ kind: row.kind, code: row.code, substance: field.value }}
                error={message(errors, `allergies.${index}.substance`) ?? message(errors, `allergies.${index}.code`)}
                description={
                  row.substance.trim() && (
                    <Group gap={6} component="span">
                      {coded ? (
                        <Badge size="xs" variant="light" color="blue" component="span">
                          coded
                        </Badge>
                      ) : (
                        <Badge size="xs" variant="light" color="orange" component="span">
                          not coded
                        </Badge>
                      )}
                      <span>
                        {coded ? codedAs(row) : 'Free text: pick a match from the list to code it'}
                        {row.saved ? ` · ${recordedText(row, user)}` : ''}
                      </span>
                    </Group>
                  )
                }
                onBlur={field.onBlur}
                onChange={(v) => {
                  field.onChange(v.substance);
                  setValue(`allergies.${index}.kind`, v.kind);
                  setValue(`allergies.${index}.code`, v.code);
                  // Picked or retyped, it is a new record: the server records who and when on saving.
                  setValue(`allergies.${index}.saved`, false);
                }}
              />
            </div>
          )}
        />
        <TextInput
          style={{ flex: 3 }}
          label={<>Reaction{suffix}</>}
          placeholder="e.g. rash, wheeze, anaphylaxis"
          maxLength={LIMITS.allergyReaction}
          error={message(errors, `allergies.${index}.reaction`)}
          {...register(`allergies.${index}.reaction`)}
        />
        <Controller
          control={control}
          name={`allergies.${index}.severity`}
          render={({ field }) => (
            <Select
              w={140}
              label={<>Severity{suffix}</>}
              data={SEVERITY_OPTIONS}
              allowDeselect={false}
              error={message(errors, `allergies.${index}.severity`)}
              value={field.value}
              onChange={(v) => field.onChange((v ?? 'unknown') as AllergySeverity)}
              onBlur={field.onBlur}
              ref={field.ref}
            />
          )}
        />
        <Button mt={22} size="sm" variant="subtle" color="red" aria-label={`Remove allergy ${n}`} onClick={onRemove}>
          Remove
        </Button>
      </Group>
    </Paper>
  );
}

export function AllergyFields(props: Props) {
  const list = useFieldArray({ control: props.control, name: 'allergies' });
  const listError = message(props.errors, 'allergies') ?? message(props.errors, 'allergies.root');
  return (
    <Stack gap={6} component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
      <Text component="legend" fw={600} size="sm" mb={4}>
        Allergies
      </Text>
      {list.fields.length === 0 && (
        <Text size="sm" c="dimmed">
          No allergies recorded. Add each allergy the patient reports: pick the drug class, drug or allergen from the list, or keep what was
          said as free text.
        </Text>
      )}
      {list.fields.map((f, i) => (
        <AllergyRow key={f.id} index={i} {...props} onRemove={() => list.remove(i)} />
      ))}
      {listError && (
        <Text size="sm" c="red.9" role="alert">
          {listError}
        </Text>
      )}
      <Group>
        <Button
          size="xs"
          variant="default"
          disabled={list.fields.length >= LIMITS.allergiesMax}
          onClick={() => list.append(emptyAllergy(), { shouldFocus: true, focusName: `allergies.${list.fields.length}.substance` })}
        >
          Add allergy
        </Button>
      </Group>
    </Stack>
  );
}
