/** A consultation's free-text parts in the order a doctor writes them; for new ones and for edits within the window. */
import { Button, Group, Paper, Stack, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { ConsultationCreateInput, ConsultationUpdateInput, type Consultation, type Patient } from '@hmis/shared';
import type { DraftKey } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { formSchema, fromForm, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { queryClient, trpc } from '../../trpc';

export const CONSULTATION_FIELDS = [
  { name: 'presentingComplaint', label: 'Presenting complaint' },
  { name: 'historyOfPresentingComplaint', label: 'History of presenting complaint' },
  { name: 'pastMedicalHistory', label: 'Past medical history' },
  { name: 'pastObstetricHistory', label: 'Past obstetric history', femaleOnly: true },
  { name: 'pastGynaecologicalHistory', label: 'Past gynaecological history', femaleOnly: true },
  { name: 'provisionalDiagnosis', label: 'Provisional diagnosis', required: true },
  { name: 'plan', label: 'Plan' },
] as const;
type FieldName = (typeof CONSULTATION_FIELDS)[number]['name'];
type Values = Record<FieldName, string>;
const NAMES = CONSULTATION_FIELDS.map((f) => f.name);

/** A new consultation's draft, or a change to one version of a consultation. */
export const consultationDraft = (patientId: number, c?: Consultation): DraftKey => ({
  form: c ? `consultation-${c.id}-v${c.version}` : 'consultation',
  patientId,
});

export function ConsultationForm({
  patient,
  consultation,
  onDone,
}: {
  patient: Patient;
  consultation?: Consultation;
  onDone: (c?: Consultation) => void;
}) {
  const defaults = Object.fromEntries(NAMES.map((n) => [n, consultation?.[n] ?? ''])) as Values;
  const schema = consultation
    ? formSchema(ConsultationUpdateInput, (v: Values) => ({
        ...fromForm(v, null),
        provisionalDiagnosis: v.provisionalDiagnosis,
        patientId: patient.id,
        id: consultation.id,
        version: consultation.version,
      }))
    : formSchema(ConsultationCreateInput, (v: Values) => ({
        ...fromForm(v),
        provisionalDiagnosis: v.provisionalDiagnosis,
        patientId: patient.id,
      }));
  const form = useSchemaForm<Values>(schema, { defaultValues: defaults, draft: consultationDraft(patient.id, consultation) });
  const { topError, onServerError } = useServerErrors(form, NAMES);
  const saved = (c: Consultation) => {
    form.draft.saved();
    void queryClient.invalidateQueries({ queryKey: trpc.consultations.pathKey() });
    notifications.show({ color: 'green', message: consultation ? 'Consultation updated' : 'Consultation saved' });
    onDone(c);
  };
  const onError = onServerError;
  const create = useMutation(trpc.consultations.create.mutationOptions({ onSuccess: saved, onError }));
  const update = useMutation(trpc.consultations.update.mutationOptions({ onSuccess: saved, onError }));
  const fields = CONSULTATION_FIELDS.filter((f) => !('femaleOnly' in f) || patient.gender === 'Female');

  return (
    <Paper withBorder p="sm" mb="sm">
      <form
        noValidate
        onSubmit={form.handleSubmit((input) =>
          consultation
            ? update.mutate(input as unknown as ConsultationUpdateInput)
            : create.mutate(input as unknown as ConsultationCreateInput),
        )}
      >
        <Stack gap="xs">
          <DraftNotice draft={form.draft} />
          <SaveAlert error={topError} />
          {fields.map((f, i) => (
            <Textarea
              key={f.name}
              label={f.label}
              withAsterisk={'required' in f}
              minRows={f.name === 'provisionalDiagnosis' ? 1 : 2}
              autoFocus={i === 0}
              error={form.formState.errors[f.name]?.message}
              {...form.register(f.name)}
            />
          ))}
          <Group>
            <Button type="submit" loading={create.isPending || update.isPending}>
              {consultation ? 'Save changes' : 'Save consultation'}
            </Button>
            <Button variant="default" onClick={() => onDone()}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
