/** The facility at a glance: how many of everything, and staff by role as a chart. */
import { lazy, type ReactNode, Suspense } from 'react';
import { Box, Grid, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ROLES, STAT_KINDS, type StatKind } from '@hmis/shared';
import { Empty, ErrorState, RowsSkeleton } from '../../components/status';
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

/** A chart's panel: a placeholder of its size while its numbers (or the chart's code) load. */
function ChartPanel({ title, bars, children }: { title: string; bars: number; children: ReactNode }) {
  const placeholder = <Skeleton height={30 * bars} aria-label="Loading" role="status" />;
  return (
    <Paper withBorder p="sm">
      <Title order={2} mb="xs">
        {title}
      </Title>
      <Suspense fallback={placeholder}>{children ?? placeholder}</Suspense>
    </Paper>
  );
}

export function OverviewPage() {
  const stats = useQuery(trpc.system.stats.queryOptions());
  const staff = useQuery(trpc.staff.counts.queryOptions());
  return (
    <>
      <Title order={1} mb="sm">
        Facility statistics
      </Title>
      <Box mb="sm">
        {stats.isPending ? (
          <RowsSkeleton rows={2} />
        ) : stats.isError ? (
          <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
        ) : (
          <SimpleGrid cols={{ base: 2, md: 4, xl: 7 }} spacing="sm">
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
      </Box>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartPanel title="Clinical records" bars={4}>
            {stats.isError ? (
              <Empty>Not shown: the counts could not be loaded (Try again above).</Empty>
            ) : (
              stats.data && (
                <BarsChart
                  label="Clinical records by kind"
                  data={(['consultations', 'vitals', 'nurseNotes', 'prescriptions'] as const).map((k) => ({
                    name: LABEL[k],
                    value: stats.data[k],
                  }))}
                />
              )
            )}
          </ChartPanel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartPanel title="Staff by role" bars={ROLES.length}>
            {staff.isError ? (
              <ErrorState error={staff.error} onRetry={() => void staff.refetch()} />
            ) : (
              staff.data && (
                <BarsChart label="Active staff by role" data={ROLES.map((r) => ({ name: roleLabel(r), value: staff.data[r] }))} />
              )
            )}
          </ChartPanel>
        </Grid.Col>
      </Grid>
    </>
  );
}
