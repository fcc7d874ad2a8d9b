/** The patient's medication list across all prescriptions: every drug line with its prescription's status. */
import { AnchorLink } from '../../components/links';
import { useMemo } from 'react';
import { Paper, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ColumnDef } from '@tanstack/react-table';
import type { DrugLine, Prescription } from '@hmis/shared';
import { DataTable } from '../../components/DataTable';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { formatShortDateTime } from '../../format';
import { trpc } from '../../trpc';
import { PrescriptionStatusBadge } from './PrescriptionView';

const route = getRouteApi('/patients/$patientId/medications');

type Row = DrugLine & { prescription: Prescription };

export function MedicationsTab() {
  const { patientId } = route.useParams();
  const list = useInfiniteQuery(
    trpc.prescriptions.listForPatient.infiniteQueryOptions(
      { patientId, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const rows = useMemo<Row[]>(
    () => list.data?.pages.flatMap((page) => page.items.flatMap((p) => p.lines.map((l) => ({ ...l, prescription: p })))) ?? [],
    [list.data],
  );
  const columns = useMemo<ColumnDef<Row>[]>(
    () => [
      {
        id: 'when',
        header: 'Prescribed',
        accessorFn: (r) => r.prescription.createdAt,
        size: 140,
        cell: (c) => formatShortDateTime(c.getValue<string>()),
      },
      {
        id: 'drug',
        header: 'Drug',
        accessorKey: 'drugName',
        size: 220,
        cell: (c) => (
          <Text size="sm" fw={600}>
            {c.getValue<string>()}
          </Text>
        ),
      },
      { id: 'dose', header: 'Dose', accessorKey: 'dose', size: 100 },
      { id: 'frequency', header: 'Frequency', accessorKey: 'frequency', size: 110 },
      { id: 'duration', header: 'Duration', accessorKey: 'duration', size: 90 },
      { id: 'route', header: 'Route', accessorKey: 'route', size: 80 },
      { id: 'quantity', header: 'Qty', accessorKey: 'quantity', size: 60 },
      {
        id: 'status',
        header: 'Status',
        accessorFn: (r) => r.prescription.status,
        size: 100,
        cell: (c) => <PrescriptionStatusBadge status={c.row.original.prescription.status} />,
      },
      { id: 'prescriber', header: 'Prescriber', accessorFn: (r) => r.prescription.prescriberName, size: 150 },
      {
        id: 'open',
        header: 'Consultation',
        enableSorting: false,
        size: 110,
        cell: (c) => (
          <AnchorLink
            to="/patients/$patientId/consultations/$consultationId"
            params={{ patientId, consultationId: c.row.original.prescription.consultationId }}
            size="sm"
          >
            Open
          </AnchorLink>
        ),
      },
    ],
    [patientId],
  );
  return (
    <Paper withBorder p="sm">
      <Title order={2} mb="xs">
        Medications
      </Title>
      {list.isPending ? (
        <RowsSkeleton />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          label="Medications"
          data={rows}
          columns={columns}
          paged={list}
          height={520}
          getRowId={(r) => String(r.id)}
          empty="No medications prescribed yet."
        />
      )}
    </Paper>
  );
}
