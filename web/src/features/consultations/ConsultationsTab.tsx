/** A patient's consultations as a timeline, newest first; doctors add new ones. Each opens to its notes and prescription. */
import { AnchorLink } from '../../components/links';
import { useState } from 'react';
import { Button, Group, Paper, Text, Timeline, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { can } from '@hmis/shared';
import { useUser } from '../../app/session';
import { useNewRecord } from '../../app/shortcuts';
import { EditWindowBadge, Empty, ErrorState, RowsSkeleton } from '../../components/status';
import { formatDateTime } from '../../format';
import { trpc } from '../../trpc';
import { usePatient } from '../patients/usePatient';
import { hasDraft } from '../../components/drafts';
import { consultationDraft, ConsultationForm } from './ConsultationForm';

const route = getRouteApi('/patients/$patientId/consultations');

export function ConsultationsTab() {
  const { patientId } = route.useParams();
  const navigate = route.useNavigate();
  const user = useUser();
  const patient = usePatient(patientId);
  // A new consultation not yet saved (a draft) opens again where it was left.
  const [adding, setAdding] = useState(() => can(user.role, 'consultation:write') && hasDraft(consultationDraft(patientId)));
  const list = useInfiniteQuery(
    trpc.consultations.list.infiniteQueryOptions({ patientId, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  useNewRecord('consultation', 'New consultation', can(user.role, 'consultation:write') ? () => setAdding(true) : null);

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Title order={2}>Consultations</Title>
        {can(user.role, 'consultation:write') && !adding && <Button onClick={() => setAdding(true)}>New consultation</Button>}
      </Group>
      {adding && patient.data && (
        <ConsultationForm
          patient={patient.data}
          onDone={(c) => {
            setAdding(false);
            if (c) void navigate({ to: '/patients/$patientId/consultations/$consultationId', params: { patientId, consultationId: c.id } });
          }}
        />
      )}
      <Paper withBorder p="md">
        {list.isPending ? (
          <RowsSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Empty>No consultations yet.{can(user.role, 'consultation:write') && ' Start one with “New consultation”.'}</Empty>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} active={-1} role="list" aria-label="Consultations">
            {rows.map((c) => (
              <Timeline.Item
                key={c.id}
                role="listitem"
                title={
                  <Group gap="xs">
                    <AnchorLink
                      to="/patients/$patientId/consultations/$consultationId"
                      params={{ patientId, consultationId: c.id }}
                      fw={600}
                    >
                      {c.provisionalDiagnosis}
                    </AnchorLink>
                    <EditWindowBadge record={c} author={c.doctorName} />
                  </Group>
                }
              >
                <Text size="xs" c="dimmed">
                  {formatDateTime(c.createdAt)} · {c.doctorName}
                </Text>
                {c.presentingComplaint && (
                  <Text size="sm" lineClamp={2}>
                    <Text span c="dimmed">
                      Complaint:
                    </Text>{' '}
                    {c.presentingComplaint}
                  </Text>
                )}
                {c.plan && (
                  <Text size="sm" lineClamp={2}>
                    <Text span c="dimmed">
                      Plan:
                    </Text>{' '}
                    {c.plan}
                  </Text>
                )}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        {list.hasNextPage && (
          <Button variant="subtle" size="xs" mt="sm" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Show older consultations
          </Button>
        )}
      </Paper>
    </>
  );
}
