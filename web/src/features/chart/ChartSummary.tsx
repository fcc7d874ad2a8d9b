/** The chart's first page: the newest of each kind of record and the allergies at a glance, each linking to its tab. */
import { Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { AnchorLink } from '../../components/links';
import { can } from '@hmis/shared';
import { useUser } from '../../app/session';
import { Empty, RowsSkeleton } from '../../components/status';
import { formatDateTime } from '../../format';
import { trpc } from '../../trpc';
import { AllergyList } from '../patients/AllergyBadges';
import { usePatient } from '../patients/usePatient';
import { PrescriptionStatusBadge } from '../prescriptions/PrescriptionView';

const route = getRouteApi('/patients/$patientId/');

function Card({
  title,
  to,
  children,
}: {
  title: string;
  to: '/patients/$patientId/consultations' | '/patients/$patientId/medications' | '/patients/$patientId/details';
  children: React.ReactNode;
}) {
  const { patientId } = route.useParams();
  return (
    <Paper withBorder p="sm" h="100%">
      <Group justify="space-between" mb={6}>
        <Title order={2}>{title}</Title>
        <AnchorLink to={to} params={{ patientId }} size="sm">
          Open
        </AnchorLink>
      </Group>
      {children}
    </Paper>
  );
}

function RecentConsultations({ patientId }: { patientId: number }) {
  const q = useQuery(trpc.consultations.list.queryOptions({ patientId, limit: 5 }));
  if (q.isPending) return <RowsSkeleton rows={3} />;
  const items = q.data?.items ?? [];
  if (!items.length) return <Empty>No consultations yet.</Empty>;
  return (
    <Stack gap={4}>
      {items.map((c) => (
        <Text key={c.id} size="sm">
          <Text span c="dimmed">
            {formatDateTime(c.createdAt)}
          </Text>{' '}
          · <strong>{c.provisionalDiagnosis}</strong> · {c.doctorName}
        </Text>
      ))}
    </Stack>
  );
}

function RecentMedications({ patientId }: { patientId: number }) {
  const q = useQuery(trpc.prescriptions.listForPatient.queryOptions({ patientId, limit: 5 }));
  if (q.isPending) return <RowsSkeleton rows={3} />;
  const items = q.data?.items ?? [];
  if (!items.length) return <Empty>No prescriptions yet.</Empty>;
  return (
    <Stack gap={4}>
      {items.flatMap((p) =>
        p.lines.map((l) => (
          <Text key={l.id} size="sm" component="div">
            <PrescriptionStatusBadge status={p.status} /> <strong>{l.drugName}</strong> {l.dose}, {l.frequency}, {l.duration}
          </Text>
        )),
      )}
    </Stack>
  );
}

/** Each allergy in full (coding, reaction, severity, who recorded it): the header shows only their names. */
function PatientAllergies({ patientId }: { patientId: number }) {
  const patient = usePatient(patientId);
  if (!patient.data) return <RowsSkeleton rows={2} />;
  return <AllergyList allergies={patient.data.allergyRecords} />;
}

export function ChartSummary() {
  const { patientId } = route.useParams();
  const user = useUser();
  const cards = [
    can(user.role, 'consultation:read') && (
      <Card key="c" title="Recent consultations" to="/patients/$patientId/consultations">
        <RecentConsultations patientId={patientId} />
      </Card>
    ),
    can(user.role, 'prescription:read') && (
      <Card key="m" title="Medications" to="/patients/$patientId/medications">
        <RecentMedications patientId={patientId} />
      </Card>
    ),
    <Card key="a" title="Allergies" to="/patients/$patientId/details">
      <PatientAllergies patientId={patientId} />
    </Card>,
  ].filter(Boolean);
  return (
    <Grid>
      {cards.map((c, i) => (
        <Grid.Col key={i} span={{ base: 12, lg: 6 }}>
          {c}
        </Grid.Col>
      ))}
    </Grid>
  );
}
