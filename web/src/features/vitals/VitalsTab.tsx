/** Vital signs as a table (abnormal values marked) or as trend charts; nurses record and correct their own sets. */
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { Button, Group, Paper, SegmentedControl, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ColumnDef } from '@tanstack/react-table';
import { can, VITAL_FIELDS, type Vital, type VitalField } from '@hmis/shared';
import { useUser } from '../../app/session';
import { useNewRecord } from '../../app/shortcuts';
import { EditDeleteActions } from '../../components/ConfirmButton';
import { DataTable } from '../../components/DataTable';
import { canChange, EditWindowBadge, ErrorState, PageLoader, RowsSkeleton } from '../../components/status';
import { formatDateTime, formatShortDateTime } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { normalRange, VITAL_LABEL } from './labels';
import { hasDraft } from '../../components/drafts';
import { loadedVitalsChart, loadVitalsChart } from './periods';
import { vitalsDraft, VitalsForm } from './VitalsForm';
import classes from './VitalsTab.module.css';

const LazyVitalsChart = lazy(loadVitalsChart);
const route = getRouteApi('/patients/$patientId/vitals');

/**
 * One value, with ↑/↓ and red when outside the normal range. A function returning plain spans, not a component (nor
 * Mantine's Text): a table of thousands of sets draws eight of these per row as it scrolls, and each component is one
 * more object to make and collect (issue 13's scrolling benchmark).
 */
function readingText(vital: Vital, field: VitalField): ReactNode {
  const value = vital[field];
  const flag = vital.flags[field];
  if (value == null) return <span className={classes.none}>—</span>;
  // A normal value is its text alone: no element for it (most values are normal).
  if (!flag) return <>{value}</>;
  return (
    <span className={classes.abnormal} title={`${flag === 'high' ? 'High' : 'Low'} (${normalRange(field)})`}>
      {value}
      {flag === 'high' ? ' ↑' : ' ↓'}
    </span>
  );
}

function RowActions({ vital, onEdit }: { vital: Vital; onEdit: () => void }) {
  const remove = useMutation(
    trpc.vitals.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.vitals.pathKey() });
        notifications.show({ color: 'green', message: 'Vital signs deleted' });
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Not deleted', message: e.message }),
    }),
  );
  return (
    <EditDeleteActions
      what="set of vital signs"
      onEdit={onEdit}
      pending={remove.isPending}
      onDelete={() => remove.mutate({ patientId: vital.patientId, id: vital.id })}
      details={<Text size="sm">Recorded {formatDateTime(vital.createdAt)}. The audit trail keeps a record.</Text>}
    />
  );
}

/** The trend charts: drawn at once when their code is already here, else once it has come. */
function ChartView({ patientId }: { patientId: number }) {
  const Loaded = loadedVitalsChart();
  if (Loaded) return <Loaded patientId={patientId} />;
  return (
    <Suspense fallback={<PageLoader what="Drawing the charts" />}>
      <LazyVitalsChart patientId={patientId} />
    </Suspense>
  );
}

export function VitalsTab() {
  const { patientId } = route.useParams();
  const { view = 'table' } = route.useSearch();
  const navigate = route.useNavigate();
  const user = useUser();
  // A new set not yet saved (a draft) opens again where it was left.
  const [adding, setAdding] = useState(() => can(user.role, 'vital:write') && hasDraft(vitalsDraft(patientId)));
  useNewRecord('vitals', 'Record vital signs', can(user.role, 'vital:write') ? () => setAdding(true) : null);
  const [editing, setEditing] = useState<Vital | null>(null);
  const list = useInfiniteQuery(
    trpc.vitals.list.infiniteQueryOptions(
      { patientId, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined, enabled: view === 'table' },
    ),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  // The widths add up to 1,140 px: the whole row, the Edit and Delete buttons included, fits beside the navigation on a
  // 1440 px screen (at 310 px for Status alone, Delete was out of view).
  const columns = useMemo<ColumnDef<Vital>[]>(() => {
    const reading = (f: VitalField, size = 70): ColumnDef<Vital> => ({
      id: f,
      header: VITAL_LABEL[f],
      accessorKey: f,
      size,
      cell: (c) => readingText(c.row.original, f),
    });
    return [
      { id: 'when', header: 'When', accessorKey: 'createdAt', size: 120, cell: (c) => formatShortDateTime(c.getValue<string>()) },
      { ...reading('temperature', 78), header: 'Temp °C' },
      { ...reading('pulseRate', 66), header: 'Pulse' },
      { ...reading('respiratoryRate', 62), header: 'Resp.' },
      {
        id: 'bp',
        header: 'BP mmHg',
        accessorKey: 'systolicBp',
        size: 96,
        cell: (c) => (
          <>
            {readingText(c.row.original, 'systolicBp')}
            {(c.row.original.systolicBp != null || c.row.original.diastolicBp != null) && ' / '}
            {readingText(c.row.original, 'diastolicBp')}
          </>
        ),
      },
      { ...reading('spo2', 72), header: 'SpO₂ %' },
      { ...reading('heightCm', 62), header: 'Ht cm' },
      { ...reading('weightKg', 68), header: 'Wt kg' },
      {
        id: 'flags',
        header: 'Abnormal',
        enableSorting: false,
        size: 111,
        accessorFn: (v) =>
          VITAL_FIELDS.filter((f) => v.flags[f])
            .map((f) => `${VITAL_LABEL[f]} ${v.flags[f]}`)
            .join(', '),
        cell: (c) =>
          c.getValue<string>() ? (
            <span className={classes.abnormal}>{c.getValue<string>()}</span>
          ) : (
            <span className={classes.none}>none</span>
          ),
      },
      { id: 'nurse', header: 'Nurse', accessorKey: 'nurseName', size: 105 },
      {
        id: 'status',
        header: 'Status',
        enableSorting: false,
        size: 300,
        // Plain spans, not Mantine's Group: one per row, drawn as rows scroll into view.
        cell: (c) =>
          canChange(c.row.original, user) ? (
            <span className={classes.status}>
              <EditWindowBadge record={c.row.original} author={c.row.original.nurseName} />
              <RowActions vital={c.row.original} onEdit={() => setEditing(c.row.original)} />
            </span>
          ) : (
            <EditWindowBadge record={c.row.original} author={c.row.original.nurseName} />
          ),
      },
    ];
  }, [user]);

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Group>
          <Title order={2}>Vital signs</Title>
          <SegmentedControl
            size="xs"
            aria-label="Show vital signs as"
            value={view}
            onChange={(v) =>
              void navigate({
                to: '/patients/$patientId/vitals',
                params: { patientId },
                search: { view: v as 'table' | 'chart' },
                replace: true,
              })
            }
            data={[
              { value: 'table', label: 'Table' },
              { value: 'chart', label: 'Trend charts' },
            ]}
          />
        </Group>
        {can(user.role, 'vital:write') && !adding && !editing && <Button onClick={() => setAdding(true)}>Record vitals</Button>}
      </Group>
      {adding && <VitalsForm patientId={patientId} onDone={() => setAdding(false)} />}
      {editing && <VitalsForm key={editing.id} patientId={patientId} vital={editing} onDone={() => setEditing(null)} />}
      <Paper withBorder p="sm">
        {view === 'chart' ? (
          <ChartView patientId={patientId} />
        ) : list.isPending ? (
          <RowsSkeleton />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <DataTable
            label="Vital signs"
            data={rows}
            columns={columns}
            paged={list}
            height={520}
            getRowId={(v) => String(v.id)}
            rowProps={(v) => (v.abnormal ? { 'data-state': 'abnormal' } : {})}
            empty={
              can(user.role, 'vital:write')
                ? 'No vital signs recorded yet. Record the first set with “Record vitals”.'
                : 'No vital signs recorded yet.'
            }
          />
        )}
      </Paper>
    </>
  );
}
