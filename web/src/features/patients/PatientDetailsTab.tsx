/**
 * Demographics and allergies. Record officers correct them here; the update carries the version that was read, and
 * when someone else saved first the form says so and offers their version.
 */
import { useState } from 'react';
import { Alert, Button, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { can, type Patient, type PatientUpdateInput } from '@hmis/shared';
import { useUser } from '../../app/session';
import { useServerErrors } from '../../components/forms';
import { PageLoader, ProblemAlert } from '../../components/status';
import { formatDate, formatDateTime } from '../../format';
import { problemOf, queryClient, trpc } from '../../trpc';
import { AllergyBadges } from './AllergyBadges';
import { FormActions, PATIENT_FORM_FIELDS, PatientFields, patientFormValues, usePatientForm } from './PatientForm';
import { usePatient } from './usePatient';

const route = getRouteApi('/patients/$patientId/details');

function Details({ patient }: { patient: Patient }) {
  const rows: [string, React.ReactNode][] = [
    ['MRN', patient.mrn],
    ['Sex', patient.gender],
    ['Date of birth', formatDate(patient.dob)],
    ['Marital status', patient.maritalStatus ?? '—'],
    ['Phone', patient.phoneNumber ?? '—'],
    ['Email', patient.email ?? '—'],
    ['Address', patient.address ?? '—'],
    ['Next of kin', [patient.nextOfKin, patient.kinAddress].filter(Boolean).join(', ') || '—'],
    ['Allergies', <AllergyBadges key="a" allergies={patient.allergies} />],
    ['Record', `version ${patient.version}, last changed ${formatDateTime(patient.updatedAt)}`],
  ];
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing={4}>
      {rows.map(([label, value]) => (
        <Group key={label} gap="xs" wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed" w={120}>
            {label}
          </Text>
          <Text size="sm" component="div">
            {value}
          </Text>
        </Group>
      ))}
    </SimpleGrid>
  );
}

function EditPatient({ patient, onDone }: { patient: Patient; onDone: () => void }) {
  const form = usePatientForm(patient);
  const { topError, setTopError, onServerError } = useServerErrors(form, PATIENT_FORM_FIELDS);
  const update = useMutation(
    trpc.patients.update.mutationOptions({
      onSuccess: (p) => {
        queryClient.setQueryData(trpc.patients.get.queryKey({ id: p.id }), p);
        void queryClient.invalidateQueries({ queryKey: trpc.patients.list.pathKey() });
        notifications.show({ color: 'green', message: 'Patient details saved' });
        onDone();
      },
      onError: onServerError,
    }),
  );
  const stale = problemOf(update.error)?.code === 'STALE_VERSION';

  async function takeTheirs() {
    const fresh = await queryClient.fetchQuery(trpc.patients.get.queryOptions({ id: patient.id }, { staleTime: 0 }));
    form.reset(patientFormValues(fresh));
    update.reset();
    setTopError(null);
  }

  return (
    <form noValidate onSubmit={form.handleSubmit((input) => update.mutate(input as unknown as PatientUpdateInput))}>
      {stale ? (
        <Alert color="orange" role="alert" title="Someone else saved this patient first" mb="sm">
          <Text size="sm" mb="xs">
            Your changes were not saved. Load their version, then make your changes again.
          </Text>
          <Button size="xs" onClick={() => void takeTheirs()}>
            Load the latest version
          </Button>
        </Alert>
      ) : (
        topError != null && <ProblemAlert error={topError} />
      )}
      <PatientFields form={form} editing />
      <FormActions pending={update.isPending} submitLabel="Save changes" onCancel={onDone} />
    </form>
  );
}

export function PatientDetailsTab() {
  const { patientId } = route.useParams();
  const user = useUser();
  const patient = usePatient(patientId);
  const [editing, setEditing] = useState(false);
  if (!patient.data) return <PageLoader />;
  const p = patient.data;
  // The form is keyed by version: after a save or a reload it starts from what the server has.
  if (editing) return <EditPatient key={p.version} patient={p} onDone={() => setEditing(false)} />;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Demographics and allergies</Text>
        {can(user.role, 'patient:write') && (
          <Button size="xs" onClick={() => setEditing(true)}>
            Edit details
          </Button>
        )}
      </Group>
      <Details patient={p} />
    </Paper>
  );
}
