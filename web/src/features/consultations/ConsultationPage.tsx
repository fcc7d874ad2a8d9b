/** One consultation: what the doctor wrote (editable by its author within the window) and its prescription. */
import { AnchorLink } from '../../components/links';
import { useState } from 'react';
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useUser } from '../../app/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { canChange, EditWindowBadge, ErrorState, PageLoader, ProblemAlert } from '../../components/status';
import { formatDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { usePatient } from '../patients/usePatient';
import { PrescriptionPanel } from '../prescriptions/PrescriptionPanel';
import { hasDraft } from '../../components/drafts';
import { CONSULTATION_FIELDS, consultationDraft, ConsultationForm } from './ConsultationForm';

const route = getRouteApi('/patients/$patientId/consultations/$consultationId');

export function ConsultationPage() {
  const { patientId, consultationId } = route.useParams();
  const navigate = route.useNavigate();
  const user = useUser();
  const patient = usePatient(patientId);
  const consultation = useQuery(trpc.consultations.get.queryOptions({ patientId, id: consultationId }));
  /** Null until asked: then a change not yet saved (a draft) opens the form again. */
  const [editing, setEditing] = useState<boolean | null>(null);
  const remove = useMutation(
    trpc.consultations.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.consultations.pathKey() });
        notifications.show({ color: 'green', message: 'Consultation deleted' });
        void navigate({ to: '/patients/$patientId/consultations', params: { patientId } });
      },
    }),
  );

  if (consultation.isPending || patient.isPending) return <PageLoader />;
  if (consultation.isError) return <ErrorState error={consultation.error} onRetry={() => void consultation.refetch()} />;
  if (patient.isError) return <ErrorState error={patient.error} />;
  const c = consultation.data;
  const mine = canChange(c, user);
  const isEditing = editing ?? (mine && hasDraft(consultationDraft(patientId, c)));

  return (
    <Stack gap="sm">
      <AnchorLink to="/patients/$patientId/consultations" params={{ patientId }} size="sm">
        ← All consultations
      </AnchorLink>
      {isEditing ? (
        <ConsultationForm key={c.version} patient={patient.data} consultation={c} onDone={() => setEditing(false)} />
      ) : (
        <Paper withBorder p="sm" component="section" aria-label="Consultation">
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Title order={2}>Consultation by {c.doctorName}</Title>
              <Text size="sm" c="dimmed">
                {formatDateTime(c.createdAt)}
              </Text>
              <EditWindowBadge record={c} author={c.doctorName} />
            </Group>
            {mine && (
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setEditing(true)}>
                  Edit consultation
                </Button>
                <ConfirmButton
                  size="xs"
                  color="red"
                  variant="light"
                  label="Delete consultation"
                  title="Delete this consultation?"
                  confirmLabel="Delete"
                  pending={remove.isPending}
                  onConfirm={() => remove.mutate({ patientId, id: c.id })}
                >
                  <Text size="sm">The consultation and its notes are removed from the chart. The audit trail keeps a record.</Text>
                </ConfirmButton>
              </Group>
            )}
          </Group>
          <ProblemAlert error={remove.error} />
          <Stack gap={6}>
            {CONSULTATION_FIELDS.map((f) =>
              c[f.name] ? (
                <div key={f.name}>
                  <Text size="xs" c="dimmed" fw={600} tt="uppercase">
                    {f.label}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {c[f.name]}
                  </Text>
                </div>
              ) : null,
            )}
          </Stack>
        </Paper>
      )}
      <PrescriptionPanel patient={patient.data} consultation={c} />
    </Stack>
  );
}
