/**
 * Trend charts: temperature, pulse, blood pressure, SpO₂ and weight over a chosen period, the normal band shaded and
 * abnormal points marked in red, each drawn on a canvas (TrendChart, uPlot: decision 028). The server sends the
 * period's readings as one compact series (capped), so a patient with thousands of readings draws in one request.
 * Loaded only when the chart is opened.
 */
import { useMemo, useState } from 'react';
import { Alert, Group, SegmentedControl, SimpleGrid, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { VitalField } from '@hmis/shared';
import { ErrorState, PageLoader } from '../../components/status';
import { trpc } from '../../trpc';
import { DEFAULT_PERIOD, periodStart, type Period } from './periods';
import { TrendChart } from './TrendChart';
import type { Point } from './trend-points';

export { DRAWN_POINTS, drawnPoints } from './trend-points';

/** The charts, fixed (their field lists are memo keys). */
const CHARTS: { title: string; fields: VitalField[]; colors: string[] }[] = [
  { title: 'Temperature', fields: ['temperature'], colors: ['#e8590c'] },
  { title: 'Pulse', fields: ['pulseRate'], colors: ['#364fc7'] },
  { title: 'Blood pressure (systolic / diastolic)', fields: ['systolicBp', 'diastolicBp'], colors: ['#1864ab', '#0b7285'] },
  { title: 'SpO₂', fields: ['spo2'], colors: ['#5f3dc4'] },
  { title: 'Weight', fields: ['weightKg'], colors: ['#495057'] },
];

export default function VitalsChart({ patientId }: { patientId: number }) {
  const [period, setPeriod] = useState<Period>(DEFAULT_PERIOD);
  const from = useMemo(() => periodStart(period), [period]);
  const series = useQuery(trpc.vitals.series.queryOptions({ patientId, from }, { placeholderData: keepPreviousData }));
  const data = useMemo<Point[]>(
    () => (series.data?.items ?? []).map(({ at, ...v }) => ({ t: new Date(at).getTime(), ...v })),
    [series.data],
  );

  return (
    <>
      <Group justify="space-between" mb="xs">
        <SegmentedControl
          size="xs"
          aria-label="Period"
          value={period}
          onChange={(v) => setPeriod(v as Period)}
          data={[
            { value: '7d', label: '7 days' },
            { value: '30d', label: '30 days' },
            { value: '1y', label: '1 year' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Text size="xs" c="dimmed">
          Shaded: normal adult range. Red points: outside it.
        </Text>
      </Group>
      {series.isPending ? (
        <PageLoader what="Loading readings" />
      ) : series.isError ? (
        <ErrorState error={series.error} onRetry={() => void series.refetch()} />
      ) : (
        <>
          {series.data.truncated && (
            <Alert color="gray" mb="xs" p="xs">
              Showing the latest {series.data.items.length.toLocaleString()} readings of this period; choose a shorter period for the rest.
            </Alert>
          )}
          {data.length === 0 ? (
            <Text c="dimmed" size="sm">
              No vital signs in this period.
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
              {CHARTS.map((c) => (
                <TrendChart key={c.title} title={c.title} fields={c.fields} data={data} colors={c.colors} />
              ))}
            </SimpleGrid>
          )}
        </>
      )}
    </>
  );
}
