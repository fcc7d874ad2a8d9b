/**
 * The drug inventory: counts over the whole formulary from the server (below reorder level, expired, expiring within
 * 90 days), search, server-side sorting by name, stock or expiry, and pharmacists add and edit drugs. A drug's name
 * opens its stock page; two more tabs report lots by expiry over all drugs.
 */
import { useMemo, useState } from 'react';
import {
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Tabs,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ColumnDef, SortingState } from '@tanstack/react-table';
import { can, type Drug } from '@hmis/shared';
import { useUser } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { hasDraft } from '../../components/drafts';
import { AnchorLink } from '../../components/links';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { trpc } from '../../trpc';
import { DrugForm, drugDraft } from './DrugForm';
import { Expiry } from './Expiry';
import { ExpiredLotsReport, ExpiringLotsReport } from './ExpiryReports';

const route = getRouteApi('/drugs');
type Filter = 'lowStock' | 'expired' | 'expiringSoon';
type View = 'drugs' | 'expiring' | 'expired';
const SORT_OF: Record<string, 'name' | 'stock' | 'expiry'> = { name: 'name', stock: 'stock', expiry: 'expiry' };
const FILTER_WORDS: Record<Filter, string> = {
  lowStock: 'at or below its reorder level',
  expiringSoon: 'expiring soon',
  expired: 'expired',
};

/** What an empty drug list means, and what to do next: clear the search or the filter, or add a drug. */
function NoDrugs({ q, filter, mayWrite, onClear }: { q: string; filter?: Filter; mayWrite: boolean; onClear: () => void }) {
  if (!q && !filter)
    return <>No drugs in the formulary yet.{mayWrite ? ' Add the first one with “Add drug”.' : ' A pharmacist adds them.'}</>;
  const what = [q && `“${q}”`, filter && FILTER_WORDS[filter]].filter(Boolean).join(' and ');
  return (
    <>
      No drug matches {what}.{' '}
      <Anchor component="button" type="button" size="sm" onClick={onClear}>
        Clear the {q && filter ? 'search and filter' : q ? 'search' : 'filter'}
      </Anchor>
      {mayWrite && q ? ', or add it with “Add drug”.' : '.'}
    </>
  );
}

function Tile({
  label,
  value,
  color,
  active,
  onClick,
}: {
  label: string;
  value: number | undefined;
  color?: string;
  active: boolean;
  onClick: () => void;
}) {
  return (
    <UnstyledButton onClick={onClick} aria-pressed={active}>
      <Paper withBorder p="xs" bg={active ? 'blue.0' : undefined}>
        <Text size="xl" fw={700} c={value ? color : undefined}>
          {value?.toLocaleString() ?? '…'}
        </Text>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </Paper>
    </UnstyledButton>
  );
}

export function DrugsPage() {
  const user = useUser();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [q, setQ] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(q.trim(), 200);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const mayWrite = can(user.role, 'drug:write');
  // A new drug not yet added (a draft) opens its dialog again.
  const [editing, setEditing] = useState<Drug | 'new' | null>(() => (mayWrite && hasDraft(drugDraft()) ? 'new' : null));
  const filter = search.filter;
  const view: View = search.view ?? 'drugs';
  const sort = SORT_OF[sorting[0]?.id ?? 'name'] ?? 'name';
  const summary = useQuery(trpc.drugs.summary.queryOptions());
  const list = useInfiniteQuery(
    trpc.drugs.list.infiniteQueryOptions(
      { q: debounced || undefined, filter, sort, dir: sorting[0]?.desc ? 'desc' : 'asc', limit: 100 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined, placeholderData: keepPreviousData, enabled: view === 'drugs' },
    ),
  );
  const drugs = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const setFilter = (f: Filter | undefined) =>
    void navigate({ to: '/drugs', search: (s) => ({ ...s, filter: f, view: undefined }), replace: true });
  const setView = (v: View) =>
    void navigate({ to: '/drugs', search: (s) => ({ ...s, view: v === 'drugs' ? undefined : v }), replace: true });

  const columns = useMemo<ColumnDef<Drug>[]>(
    () => [
      {
        id: 'name',
        header: 'Drug',
        accessorKey: 'name',
        size: 230,
        cell: (c) => (
          <Text size="sm" fw={600} truncate>
            <AnchorLink to="/drugs/$drugId" params={{ drugId: c.row.original.id }} inherit underline="hover">
              {c.row.original.name}
            </AnchorLink>
          </Text>
        ),
      },
      {
        id: 'generic',
        header: 'Generic name',
        accessorKey: 'genericName',
        size: 180,
        enableSorting: false,
        cell: (c) => c.getValue<string | null>() ?? '—',
      },
      { id: 'strength', header: 'Strength', accessorKey: 'strength', size: 100, enableSorting: false },
      { id: 'formulation', header: 'Form', accessorKey: 'formulation', size: 130, enableSorting: false },
      { id: 'route', header: 'Route', accessorKey: 'route', size: 70, enableSorting: false },
      {
        id: 'stock',
        header: 'Stock on hand',
        accessorKey: 'stockOnHand',
        size: 170,
        cell: (c) => {
          const d = c.row.original;
          return (
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={d.belowReorderLevel ? 700 : undefined} c={d.belowReorderLevel ? 'var(--hmis-warn-text)' : undefined}>
                {d.stockOnHand.toLocaleString()}
              </Text>
              {d.belowReorderLevel && (
                <Badge size="xs" color="orange" variant="light" tt="none">
                  reorder (level {d.reorderLevel})
                </Badge>
              )}
            </Group>
          );
        },
      },
      {
        id: 'expiry',
        header: 'Expiry',
        accessorKey: 'expiryDate',
        size: 170,
        cell: (c) => <Expiry date={c.row.original.expiryDate} status={c.row.original.expiryStatus} />,
      },
      ...(mayWrite
        ? [
            {
              id: 'actions',
              header: 'Actions',
              size: 80,
              enableSorting: false,
              cell: (c: { row: { original: Drug } }) => (
                <Button size="compact-xs" variant="default" onClick={() => setEditing(c.row.original)}>
                  Edit
                </Button>
              ),
            } satisfies ColumnDef<Drug>,
          ]
        : []),
    ],
    [mayWrite],
  );

  const s = summary.data;
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={1}>Drug inventory</Title>
        {mayWrite && <Button onClick={() => setEditing('new')}>Add drug</Button>}
      </Group>
      <SimpleGrid cols={4} spacing="sm" mb="sm" aria-label="Inventory summary">
        <Tile label="Drugs in the formulary" value={s?.total} active={view === 'drugs' && !filter} onClick={() => setFilter(undefined)} />
        <Tile
          label="At or below reorder level"
          value={s?.belowReorderLevel}
          color="var(--hmis-warn-text)"
          active={view === 'drugs' && filter === 'lowStock'}
          onClick={() => setFilter('lowStock')}
        />
        <Tile
          label={`Expiring within ${s?.expiringSoonDays ?? 90} days`}
          value={s?.expiringSoon}
          color="var(--hmis-warn-text)"
          active={view === 'drugs' && filter === 'expiringSoon'}
          onClick={() => setFilter('expiringSoon')}
        />
        <Tile
          label="Expired"
          value={s?.expired}
          color="red.9"
          active={view === 'drugs' && filter === 'expired'}
          onClick={() => setFilter('expired')}
        />
      </SimpleGrid>
      {summary.isError && (
        <Box mb="sm">
          <ErrorState title="Could not count the inventory" error={summary.error} onRetry={() => void summary.refetch()} />
        </Box>
      )}
      <Paper withBorder p="sm">
        <Tabs value={view} onChange={(v) => setView((v ?? 'drugs') as View)} keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="drugs">Drugs</Tabs.Tab>
            <Tabs.Tab value="expiring">Expiring lots</Tabs.Tab>
            <Tabs.Tab value="expired">Expired stock on hand</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="expiring">
            <ExpiringLotsReport
              days={search.days ?? 90}
              onDays={(days) =>
                void navigate({ to: '/drugs', search: (s) => ({ ...s, days: days === 90 ? undefined : days }), replace: true })
              }
            />
          </Tabs.Panel>
          <Tabs.Panel value="expired">
            <ExpiredLotsReport />
          </Tabs.Panel>
          <Tabs.Panel value="drugs">
            <Group mb="sm" align="flex-end">
              <TextInput
                label="Search drugs"
                placeholder="Name or generic name"
                value={q}
                onChange={(e) => {
                  setQ(e.currentTarget.value);
                  void navigate({ to: '/drugs', search: (s) => ({ ...s, q: e.currentTarget.value.trim() || undefined }), replace: true });
                }}
                w={320}
              />
              <SegmentedControl
                aria-label="Show"
                value={filter ?? 'all'}
                onChange={(v) => setFilter(v === 'all' ? undefined : (v as Filter))}
                data={[
                  { value: 'all', label: 'All' },
                  { value: 'lowStock', label: 'Low stock' },
                  { value: 'expiringSoon', label: 'Expiring soon' },
                  { value: 'expired', label: 'Expired' },
                ]}
              />
            </Group>
            {list.isPending ? (
              <RowsSkeleton />
            ) : list.isError ? (
              <ErrorState error={list.error} onRetry={() => void list.refetch()} />
            ) : (
              <DataTable
                label="Drugs"
                data={drugs}
                columns={columns}
                paged={list}
                sorting={sorting}
                onSortingChange={setSorting}
                height="calc(100vh - 380px)"
                getRowId={(d) => String(d.id)}
                empty={
                  <NoDrugs
                    q={debounced}
                    filter={filter}
                    mayWrite={mayWrite}
                    onClear={() => {
                      setQ('');
                      void navigate({ to: '/drugs', search: (s) => ({ ...s, q: undefined, filter: undefined }), replace: true });
                    }}
                  />
                }
              />
            )}
          </Tabs.Panel>
        </Tabs>
      </Paper>
      {editing && <DrugForm drug={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
