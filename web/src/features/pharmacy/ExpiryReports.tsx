/**
 * Expiry reports over all drugs, by lot (the server pages them, nearest expiry first): lots expiring within a chosen
 * number of days, and expired stock still on the shelf, which a pharmacist writes off from here.
 */
import { useMemo, useState } from 'react';
import { Button, Group, SegmentedControl, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { can, type DrugLot, type Page } from '@hmis/shared';
import { useUser } from '../../app/session';
import { DataTable, type PagedSource } from '../../components/DataTable';
import { AnchorLink } from '../../components/links';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { trpc } from '../../trpc';
import { Expiry } from './Expiry';
import { WriteOffForm } from './StockForms';

export const EXPIRY_WINDOWS = [30, 60, 90, 180, 365] as const;
const HEIGHT = 'calc(100vh - 400px)';

const lotColumns: ColumnDef<DrugLot>[] = [
  {
    id: 'drug',
    header: 'Drug',
    accessorKey: 'drugName',
    size: 260,
    cell: (c) => (
      <AnchorLink to="/drugs/$drugId" params={{ drugId: c.row.original.drugId }} size="sm" fw={600} underline="hover">
        {c.row.original.drugName}
      </AnchorLink>
    ),
  },
  { id: 'lot', header: 'Lot', accessorKey: 'lotNumber', size: 140 },
  {
    id: 'expiry',
    header: 'Expiry',
    accessorKey: 'expiryDate',
    size: 180,
    cell: (c) => <Expiry date={c.row.original.expiryDate} status={c.row.original.expiryStatus} />,
  },
  { id: 'onHand', header: 'On hand', accessorKey: 'onHand', size: 100, cell: (c) => c.getValue<number>().toLocaleString() },
  { id: 'supplier', header: 'Supplier', accessorKey: 'supplier', size: 220, cell: (c) => c.getValue<string | null>() ?? '—' },
];

interface LotPages extends PagedSource {
  data?: { pages: Page<DrugLot>[] };
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

function LotReport({
  label,
  query,
  columns = lotColumns,
  empty,
}: {
  label: string;
  query: LotPages;
  columns?: ColumnDef<DrugLot>[];
  empty: string;
}) {
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  if (query.isPending) return <RowsSkeleton />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <DataTable label={label} data={rows} columns={columns} paged={query} height={HEIGHT} getRowId={(l) => String(l.id)} empty={empty} />
  );
}

export function ExpiringLotsReport({ days, onDays }: { days: number; onDays: (days: number) => void }) {
  const query = useInfiniteQuery(
    trpc.drugs.expiringLots.infiniteQueryOptions({ days, limit: 100 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  return (
    <>
      <Group mb="sm" gap="sm">
        <Text size="sm" id="expiry-window">
          Lots with stock expiring within
        </Text>
        <SegmentedControl
          aria-labelledby="expiry-window"
          size="xs"
          value={String(days)}
          onChange={(v) => onDays(Number(v))}
          data={EXPIRY_WINDOWS.map((d) => ({ value: String(d), label: `${d} days` }))}
        />
      </Group>
      <LotReport
        label="Expiring lots"
        query={query}
        empty={`No lot with stock expires within ${days} days.${days < Math.max(...EXPIRY_WINDOWS) ? ' Choose a longer window above to look further ahead.' : ''}`}
      />
    </>
  );
}

export function ExpiredLotsReport() {
  const user = useUser();
  const [writingOff, setWritingOff] = useState<DrugLot | null>(null);
  const query = useInfiniteQuery(
    trpc.drugs.expiredLots.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const columns = useMemo<ColumnDef<DrugLot>[]>(
    () =>
      can(user.role, 'drug:write')
        ? [
            ...lotColumns,
            {
              id: 'actions',
              header: 'Actions',
              size: 100,
              enableSorting: false,
              cell: (c) => (
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => setWritingOff(c.row.original)}
                  aria-label={`Write off lot ${c.row.original.lotNumber} of ${c.row.original.drugName}`}
                >
                  Write off
                </Button>
              ),
            },
          ]
        : lotColumns,
    [user.role],
  );
  return (
    <>
      <Text size="sm" mb="sm">
        Lots past their expiry date that still have stock on hand, oldest first: never dispensed, to be written off.
      </Text>
      <LotReport label="Expired stock on hand" query={query} columns={columns} empty="No expired stock on hand: nothing to write off." />
      {writingOff && <WriteOffForm lot={writingOff} onClose={() => setWritingOff(null)} />}
    </>
  );
}
