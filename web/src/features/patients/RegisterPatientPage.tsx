/** Register a new patient; the chart opens when saved. */
import { Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { PatientCreateInput } from '@hmis/shared';
import { DraftNotice } from '../../components/DraftNotice';
import { useServerErrors } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { fullName } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { FormActions, PATIENT_FORM_FIELDS, PatientFields, usePatientForm } from './PatientForm';

export function RegisterPatientPage() {
  const navigate = useNavigate();
  const form = usePatientForm();
  const { topError, onServerError } = useServerErrors(form, PATIENT_FORM_FIELDS);
  const create = useMutation(
    trpc.patients.create.mutationOptions({
      onSuccess: (p) => {
        form.draft.saved();
        queryClient.setQueryData(trpc.patients.get.queryKey({ id: p.id }), p);
        void queryClient.invalidateQueries({ queryKey: trpc.patients.list.pathKey() });
        notifications.show({ color: 'green', title: 'Patient registered', message: `${fullName(p)} · ${p.mrn}` });
        void navigate({ to: '/patients/$patientId', params: { patientId: p.id } });
      },
      onError: onServerError,
    }),
  );

  return (
    <>
      <Title order={1} mb="sm">
        Register patient
      </Title>
      <form noValidate onSubmit={form.handleSubmit((input) => create.mutate(input as unknown as PatientCreateInput))}>
        <Stack gap="sm">
          <DraftNotice draft={form.draft} />
          <SaveAlert error={topError} />
          <PatientFields form={form} editing={false} />
        </Stack>
        <FormActions pending={create.isPending} submitLabel="Register patient" onCancel={() => void navigate({ to: '/patients' })} />
      </form>
    </>
  );
}
