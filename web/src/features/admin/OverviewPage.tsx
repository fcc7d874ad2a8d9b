/** The facility at a glance: how many of everything, and staff by role as a chart. */
import { lazy, Suspense } from 'react';
import { Grid, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ROLES, STAT_KINDS, type StatKind } from '@hmis/shared';
import { ErrorState, PageLoader, RowsSkeleton } from '../../components/status';
import { roleLabel } from '../../format';
import { trpc } from '../../trpc';

const BarsChart = lazy(() => import('./BarsChart'));

const LABEL: Record<StatKind, string> = {
  patients: 'Patients',
  staff: 'Staff',
  consultations: 'Consultations',
  prescriptions: 'Prescriptions',
  vitals: 'Vital sign records',
  nurseNotes: 'Nurse notes',
  drugs: 'Drugs in the formulary',
};

export function OverviewPage() {
  const stats = useQuery(trpc.system.stats.queryOptions());
  const staff = useQuery(trpc.staff.counts.queryOptions());
  return (
    <>
      <Title order={1} mb="sm">
        Facility statistics
      </Title>
      {stats.isPending ? (
        <RowsSkeleton rows={2} />
      ) : stats.isError ? (
        <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 2, md: 4, xl: 7 }} spacing="sm" mb="sm">
          {STAT_KINDS.map((k) => (
            <Paper key={k} withBorder p="xs">
              <Text size="xl" fw={700}>
                {stats.data[k].toLocaleString()}
              </Text>
              <Text size="xs" c="dimmed">
                {LABEL[k]}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="sm">
            <Title order={2} mb="xs">
              Clinical records
            </Title>
            <Suspense fallback={<PageLoader />}>
              {stats.data && (
                <BarsChart
                  label="Clinical records by kind"
                  data={(['consultations', 'vitals', 'nurseNotes', 'prescriptions'] as const).map((k) => ({
                    name: LABEL[k],
                    value: stats.data[k],
                  }))}
                />
              )}
            </Suspense>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="sm">
            <Title order={2} mb="xs">
              Staff by role
            </Title>
            <Suspense fallback={<PageLoader />}>
              {staff.data && (
                <BarsChart label="Active staff by role" data={ROLES.map((r) => ({ name: roleLabel(r), value: staff.data[r] }))} />
              )}
            </Suspense>
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
