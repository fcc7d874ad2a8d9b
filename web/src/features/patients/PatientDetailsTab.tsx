/**
 * Demographics and allergies. Record officers correct them here; the update carries the version that was read, and
 * when someone else saved first the form says so and offers their version.
 */
import { useState } from 'react';
import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { can, type Patient, type PatientUpdateInput } from '@hmis/shared';
import { useUser } from '../../app/session';
import { hasDraft } from '../../components/drafts';
import { DraftNotice } from '../../components/DraftNotice';
import { useServerErrors } from '../../components/forms';
import { PageLoader } from '../../components/status';
import { formatDate, formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { AllergyList } from './AllergyBadges';
import { FormActions, PATIENT_FORM_FIELDS, patientDraft, PatientFields, patientFormValues, usePatientForm } from './PatientForm';
import { SaveProblem } from './SaveProblem';
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
    ['Record', `version ${patient.version}, last changed ${formatDateTime(patient.updatedAt)}`],
  ];
  return (
    <>
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
      <Title order={2} mt="md" mb={6}>
        Allergies
      </Title>
      <AllergyList allergies={patient.allergyRecords} />
    </>
  );
}

function EditPatient({ patient, onDone }: { patient: Patient; onDone: () => void }) {
  const form = usePatientForm(patient);
  const { topError, setTopError, onServerError } = useServerErrors(form, PATIENT_FORM_FIELDS);
  const update = useMutation(
    trpc.patients.update.mutationOptions({
      onSuccess: (p) => {
        form.draft.saved();
        queryClient.setQueryData(trpc.patients.get.queryKey({ id: p.id }), p);
        void queryClient.invalidateQueries({ queryKey: trpc.patients.list.pathKey() });
        notifications.show({ color: 'green', message: 'Patient details saved' });
        onDone();
      },
      onError: onServerError,
    }),
  );
  return (
    <form noValidate onSubmit={form.handleSubmit((input) => update.mutate(input as unknown as PatientUpdateInput))}>
      <Stack gap="sm">
        <SaveProblem
          patientId={patient.id}
          save={update}
          topError={topError}
          title="Someone else saved this patient first"
          notSaved="Your changes were not saved. Load their version, then make your changes again."
          onLatest={(latest) => {
            form.reset(patientFormValues(latest));
            setTopError(null);
          }}
        />
        <DraftNotice draft={form.draft} />
        <PatientFields form={form} editing />
      </Stack>
      <FormActions pending={update.isPending} submitLabel="Save changes" onCancel={onDone} />
    </form>
  );
}

export function PatientDetailsTab() {
  const { patientId } = route.useParams();
  const user = useUser();
  const patient = usePatient(patientId);
  /** Null until asked: then a change not yet saved (a draft) opens the form again. */
  const [editing, setEditing] = useState<boolean | null>(null);
  if (!patient.data) return <PageLoader />;
  const p = patient.data;
  const mayEdit = can(user.role, 'patient:write');
  // The form is keyed by version: after a save or a reload it starts from what the server has.
  if (editing ?? (mayEdit && hasDraft(patientDraft(p))))
    return <EditPatient key={p.version} patient={p} onDone={() => setEditing(false)} />;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Demographics and allergies</Text>
        {mayEdit && (
          <Button size="xs" onClick={() => setEditing(true)}>
            Edit details
          </Button>
        )}
      </Group>
      <Details patient={p} />
    </Paper>
  );
}
