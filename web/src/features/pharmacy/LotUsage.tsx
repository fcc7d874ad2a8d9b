/** Who received a lot: its dispenses newest first, each with the patient (a recall's list). Reading it is audited. */
import { useMemo } from 'react';
import { Modal, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import type { DrugLot, LotDispense } from '@hmis/shared';
import { DataTable } from '../../components/DataTable';
import { AnchorLink } from '../../components/links';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { formatShortDateTime } from '../../format';
import { trpc } from '../../trpc';

const columns: ColumnDef<LotDispense>[] = [
  { id: 'at', header: 'Dispensed', accessorKey: 'at', size: 120, cell: (c) => formatShortDateTime(c.getValue<string>()) },
  {
    id: 'patient',
    header: 'Patient',
    accessorKey: 'patientName',
    size: 230,
    cell: (c) => (
      <AnchorLink to="/patients/$patientId/medications" params={{ patientId: c.row.original.patientId }} size="sm">
        {c.row.original.patientName}
      </AnchorLink>
    ),
  },
  { id: 'mrn', header: 'MRN', accessorKey: 'mrn', size: 120 },
  { id: 'quantity', header: 'Quantity', accessorKey: 'quantity', size: 80 },
  { id: 'by', header: 'Dispensed by', accessorKey: 'dispensedBy', size: 160, cell: (c) => c.getValue<string | null>() ?? '—' },
];

export function LotUsage({ lot, onClose }: { lot: DrugLot; onClose: () => void }) {
  const usage = useInfiniteQuery(
    trpc.drugs.lotUsage.infiniteQueryOptions(
      { drugId: lot.drugId, lotId: lot.id, limit: 50 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
  );
  const rows = useMemo(() => usage.data?.pages.flatMap((p) => p.items) ?? [], [usage.data]);
  return (
    <Modal opened onClose={onClose} title={`Who received lot ${lot.lotNumber} of ${lot.drugName}`} size="xl">
      <Stack gap="xs">
        <Text size="sm">Patients this lot was dispensed to, newest first: the list to contact if the lot is recalled.</Text>
        {usage.isPending ? (
          <RowsSkeleton />
        ) : usage.isError ? (
          <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />
        ) : (
          <DataTable
            label={`Dispenses of lot ${lot.lotNumber}`}
            data={rows}
            columns={columns}
            paged={usage}
            height={400}
            getRowId={(d) => String(d.movementId)}
            empty="No one has received this lot."
          />
        )}
      </Stack>
    </Modal>
  );
}
