/**
 * Trend charts (Recharts): temperature, pulse, blood pressure, SpO₂ and weight over a chosen period, the normal band
 * shaded and abnormal points marked in red. The server sends the period's readings as one compact series (capped),
 * so a patient with thousands of readings draws in one request. Loaded only when the chart is opened.
 */
import { useMemo, useState } from 'react';
import { Alert, Group, Paper, SegmentedControl, SimpleGrid, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { VITAL_LIMITS, type VitalField } from '@hmis/shared';
import { ErrorState, PageLoader } from '../../components/status';
import { trpc } from '../../trpc';
import { VITAL_LABEL } from './labels';
import { DEFAULT_PERIOD, periodStart, type Period } from './periods';

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dayTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface Point {
  t: number;
  [field: string]: number | null;
}

function outside(field: VitalField, value: number | null | undefined): boolean {
  const normal = VITAL_LIMITS[field].normal;
  return value != null && normal != null && (value < normal[0] || value > normal[1]);
}

/** Dots only where a value is abnormal: thousands of normal points stay a line. */
function abnormalDot(field: VitalField, color: string, everyPoint: boolean) {
  return (props: { cx?: number; cy?: number; payload?: Point; index?: number }) => {
    const v = props.payload?.[field];
    if (props.cx == null || props.cy == null || v == null) return <g key={props.index} />;
    if (outside(field, v))
      return <circle key={props.index} cx={props.cx} cy={props.cy} r={3.5} fill="#c92a2a" stroke="#fff" strokeWidth={1} />;
    return everyPoint ? <circle key={props.index} cx={props.cx} cy={props.cy} r={2.5} fill={color} /> : <g key={props.index} />;
  };
}

/** Points drawn at most per chart: more than one per pixel of a chart's width is not seen, only paid for. */
export const DRAWN_POINTS = 600;

/**
 * The readings a chart draws: all of them up to DRAWN_POINTS; beyond, per slice of time the lowest and highest value
 * of each line (so a spike is never smoothed away), the slice's first and last, and every abnormal reading (each is a
 * red dot). The figures above the chart count every reading.
 */
export function drawnPoints(points: Point[], fields: VitalField[], max = DRAWN_POINTS): Point[] {
  if (points.length <= max) return points;
  const slices = Math.max(1, Math.floor(max / (2 + 2 * fields.length)));
  const size = points.length / slices;
  const keep = new Set<number>();
  for (let s = 0; s < slices; s++) {
    const from = Math.floor(s * size);
    const to = Math.min(points.length, Math.floor((s + 1) * size));
    if (from >= to) continue;
    keep.add(from).add(to - 1);
    for (const f of fields) {
      let lo = -1;
      let hi = -1;
      for (let i = from; i < to; i++) {
        const v = points[i]![f];
        if (v == null) continue;
        if (lo < 0 || v < points[lo]![f]!) lo = i;
        if (hi < 0 || v > points[hi]![f]!) hi = i;
        if (outside(f, v)) keep.add(i);
      }
      if (lo >= 0) keep.add(lo).add(hi);
    }
  }
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}

function TrendChart({ title, fields, data, colors }: { title: string; fields: VitalField[]; data: Point[]; colors: string[] }) {
  const points = useMemo(() => data.filter((p) => fields.some((f) => p[f] != null)), [data, fields]);
  const drawn = useMemo(() => drawnPoints(points, fields), [points, fields]);
  const unit = VITAL_LIMITS[fields[0]!].unit;
  const abnormal = points.filter((p) => fields.some((f) => outside(f, p[f]))).length;
  const latest = points[points.length - 1];
  return (
    <Paper withBorder p="xs" component="figure" m={0} aria-label={`${title} trend`}>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={700} component="figcaption">
          {title}{' '}
          <Text span c="dimmed" size="xs">
            ({unit})
          </Text>
        </Text>
        <Text size="xs" c={abnormal ? 'red.9' : 'dimmed'}>
          {points.length
            ? `${points.length} readings · ${abnormal} abnormal${latest ? ` · latest ${fields.map((f) => latest[f] ?? '–').join('/')}` : ''}`
            : 'no readings in this period'}
        </Text>
      </Group>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={drawn} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e9ecef" />
          {fields.map((f, i) => {
            const normal = VITAL_LIMITS[f].normal;
            return normal ? (
              <ReferenceArea
                key={f}
                y1={normal[0]}
                y2={normal[1]}
                fill={i === 0 ? '#2b8a3e' : '#1971c2'}
                fillOpacity={0.08}
                ifOverflow="extendDomain"
              />
            ) : null;
          })}
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(t: number) => day.format(t)}
            fontSize={11}
            minTickGap={40}
          />
          <YAxis fontSize={11} domain={['auto', 'auto']} width={56} tickFormatter={(v: number) => String(Math.round(v * 10) / 10)} />
          <Tooltip
            labelFormatter={(t) => dayTime.format(Number(t))}
            formatter={(value, name) => [
              `${value} ${unit}${outside(name as VitalField, Number(value)) ? ' (abnormal)' : ''}`,
              VITAL_LABEL[name as VitalField],
            ]}
          />
          {fields.map((f, i) => (
            <Line
              key={f}
              dataKey={f}
              name={f}
              stroke={colors[i]}
              strokeWidth={1.5}
              dot={abnormalDot(f, colors[i]!, points.length <= 60)}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Paper>
  );
}

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
