/**
 * Record (or correct) a set of vital signs. Limits come from shared/ (the server's own): an impossible value is
 * refused at the field as it is typed, an abnormal one is flagged while typing. "37,5" is read as 37.5; anything else
 * that is not a number is refused, never misread.
 */
import { Button, Group, Paper, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useWatch } from 'react-hook-form';
import { VITAL_FIELDS, VITAL_LIMITS, VitalCreateInput, vitalFlags, VitalUpdateInput, type Vital, type VitalField } from '@hmis/shared';
import type { DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { formSchema, parseDecimal, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { queryClient, trpc } from '../../trpc';
import { normalRange, VITAL_LABEL } from './labels';

type Values = Record<VitalField, string>;

/** A new set's draft, or a correction of one version of a set. */
export const vitalsDraft = (patientId: number, vital?: Vital): DraftKey => ({
  form: vital ? `vitals-${vital.id}-v${vital.version}` : 'vitals',
  patientId,
});

function measured(v: Values, blank: undefined | null) {
  return Object.fromEntries(VITAL_FIELDS.map((f) => [f, parseDecimal(v[f]) ?? blank]));
}

export function VitalsForm({ patientId, vital, onDone }: { patientId: number; vital?: Vital; onDone: () => void }) {
  const schema = vital
    ? formSchema(VitalUpdateInput, (v: Values) => ({ patientId, id: vital.id, version: vital.version, ...measured(v, null) }))
    : formSchema(VitalCreateInput, (v: Values) => ({ patientId, ...measured(v, undefined) }));
  const form = useSchemaForm<Values>(schema, {
    mode: 'onChange',
    defaultValues: Object.fromEntries(VITAL_FIELDS.map((f) => [f, vital?.[f] != null ? String(vital[f]) : ''])) as Values,
    draft: vitalsDraft(patientId, vital),
  });
  const values = useWatch({ control: form.control }) as Values;
  const numbers = Object.fromEntries(
    VITAL_FIELDS.map((f) => [f, typeof parseDecimal(values[f] ?? '') === 'number' ? (parseDecimal(values[f]!) as number) : null]),
  );
  const flags = vitalFlags(numbers);
  const { topError, onServerError } = useServerErrors(form, VITAL_FIELDS);
  const opts = {
    onSuccess: () => {
      form.draft.saved();
      void queryClient.invalidateQueries({ queryKey: trpc.vitals.pathKey() });
      notifications.show({ color: 'green', message: vital ? 'Vital signs corrected' : 'Vital signs recorded' });
      onDone();
    },
    onError: onServerError,
  };
  const create = useMutation(trpc.vitals.create.mutationOptions(opts));
  const update = useMutation(trpc.vitals.update.mutationOptions(opts));

  return (
    <Paper withBorder p="sm" mb="sm">
      <form
        noValidate
        onSubmit={form.handleSubmit((input) =>
          vital ? update.mutate(input as unknown as VitalUpdateInput) : create.mutate(input as unknown as VitalCreateInput),
        )}
      >
        <Stack gap="xs">
          <DraftNotice draft={form.draft} />
          <SaveAlert error={topError} />
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing={6}>
            {VITAL_FIELDS.map((f, i) => {
              const flag = flags[f];
              const error = form.formState.errors[f]?.message;
              return (
                <TextInput
                  key={f}
                  label={`${VITAL_LABEL[f]} (${VITAL_LIMITS[f].unit})`}
                  inputMode="decimal"
                  autoComplete="off"
                  autoFocus={i === 0}
                  error={error}
                  description={
                    !error && flag ? (
                      <span style={{ color: 'var(--mantine-color-red-9)', fontWeight: 700 }} role="status">
                        {flag === 'high' ? 'High' : 'Low'} ({normalRange(f)})
                      </span>
                    ) : (
                      normalRange(f)
                    )
                  }
                  styles={flag && !error ? { input: { borderColor: 'var(--mantine-color-red-7)', fontWeight: 700 } } : undefined}
                  {...form.register(f)}
                />
              );
            })}
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {vital ? 'Save corrections' : 'Record vital signs'}
            </Button>
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
