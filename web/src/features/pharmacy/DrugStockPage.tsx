/**
 * One drug's stock: its lots (first expiry first, the order dispensing takes them) and its stock card (every movement
 * newest first, with the running balance). Pharmacists receive stock here and adjust, write off or return per lot, and
 * see who received a lot; doctors and nurses read.
 */
import { useMemo, useState } from 'react';
import { Badge, Button, Group, Menu, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ColumnDef } from '@tanstack/react-table';
import { can, STOCK_WORDS, type Drug, type DrugLot, type StockMovement } from '@hmis/shared';
import { useUser } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { hasDraft } from '../../components/drafts';
import { AnchorLink } from '../../components/links';
import { ErrorState, PageSkeleton, RowsSkeleton } from '../../components/status';
import { formatDate, formatShortDateTime } from '../../format';
import { trpc } from '../../trpc';
import { Expiry } from './Expiry';
import { LotUsage } from './LotUsage';
import { AdjustForm, ReceiveForm, receiptDraft, ReturnForm, WriteOffForm } from './StockForms';

const route = getRouteApi('/drugs/$drugId');

function unsortable<T>(columns: ColumnDef<T>[]): ColumnDef<T>[] {
  return columns.map((c) => ({ ...c, enableSorting: false }));
}

type LotAction = 'adjust' | 'writeOff' | 'return' | 'usage';
const LOT_DIALOGS = { adjust: AdjustForm, writeOff: WriteOffForm, return: ReturnForm, usage: LotUsage } satisfies Record<
  LotAction,
  unknown
>;

/** "+100", "−10" (a true minus sign, as printed ledgers do). */
export function signed(n: number): string {
  return n > 0 ? `+${n.toLocaleString()}` : n < 0 ? `\u2212${(-n).toLocaleString()}` : '0';
}

function LotActions({ lot, onAction }: { lot: DrugLot; onAction: (a: LotAction) => void }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant="default" aria-label={`Actions for lot ${lot.lotNumber}`}>
          Actions ▾
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => onAction('adjust')}>Adjust count</Menu.Item>
        <Menu.Item onClick={() => onAction('writeOff')} disabled={lot.onHand === 0}>
          Write off
        </Menu.Item>
        <Menu.Item onClick={() => onAction('return')}>Return to stock</Menu.Item>
        <Menu.Divider />
        <Menu.Item onClick={() => onAction('usage')}>Who received this lot</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** What a movement was for: the reason and note, the supplier of a receipt, the prescription of a dispense. */
function Details({ m }: { m: StockMovement }) {
  const reason = m.reason ? (STOCK_WORDS[m.reason as keyof typeof STOCK_WORDS] ?? m.reason) : null;
  const parts = [reason, m.supplier && `from ${m.supplier}`, m.unitCost && `${m.unitCost} per unit`, m.note].filter(Boolean).join(' · ');
  return (
    <Text size="sm" truncate title={parts || undefined}>
      {m.patientId != null && m.prescriptionId != null && (
        <AnchorLink to="/patients/$patientId/medications" params={{ patientId: m.patientId }} size="sm">
          Prescription {m.prescriptionId}
        </AnchorLink>
      )}
      {m.patientId != null && parts && ' · '}
      {parts || (m.patientId == null ? '—' : '')}
    </Text>
  );
}

/** The stock card reads in the server's order (the running balance only makes sense so): no header sorts it. */
const cardColumns = unsortable<StockMovement>([
  { id: 'at', header: 'Date', accessorKey: 'at', size: 120, cell: (c) => formatShortDateTime(c.getValue<string>()) },
  { id: 'kind', header: 'Movement', accessorKey: 'kind', size: 140, cell: (c) => STOCK_WORDS[c.row.original.kind] },
  { id: 'lot', header: 'Lot', accessorKey: 'lotNumber', size: 120 },
  {
    id: 'quantity',
    header: 'Quantity',
    accessorKey: 'quantity',
    size: 90,
    cell: (c) => {
      const q = c.getValue<number>();
      return (
        <Text size="sm" fw={600} c={q < 0 ? 'red.9' : 'var(--hmis-ok-text)'}>
          {signed(q)}
        </Text>
      );
    },
  },
  { id: 'balance', header: 'Balance', accessorKey: 'balance', size: 90, cell: (c) => c.getValue<number>().toLocaleString() },
  { id: 'details', header: 'Reason / note', size: 380, cell: (c) => <Details m={c.row.original} /> },
  { id: 'by', header: 'By', accessorKey: 'actorName', size: 160, cell: (c) => c.getValue<string | null>() ?? '—' },
]);

function DrugHeader({ drug }: { drug: Drug }) {
  return (
    <Group gap="lg" wrap="wrap">
      <Text size="sm">{[drug.genericName, drug.brand, drug.route].filter(Boolean).join(' · ')}</Text>
      <Group gap={6}>
        <Text size="sm">Stock on hand</Text>
        <Text size="sm" fw={700} c={drug.belowReorderLevel ? 'var(--hmis-warn-text)' : undefined}>
          {drug.stockOnHand.toLocaleString()}
        </Text>
        <Badge size="sm" color={drug.belowReorderLevel ? 'orange' : 'gray'} variant="light">
          {drug.belowReorderLevel
            ? `reorder (level ${drug.reorderLevel.toLocaleString()})`
            : `reorder level ${drug.reorderLevel.toLocaleString()}`}
        </Badge>
      </Group>
      <Group gap={6}>
        <Text size="sm">Nearest expiry</Text>
        <Expiry date={drug.expiryDate} status={drug.expiryStatus} />
      </Group>
    </Group>
  );
}

export function DrugStockPage() {
  const { drugId } = route.useParams();
  const user = useUser();
  const mayWrite = can(user.role, 'drug:write');
  const [includeEmpty, setIncludeEmpty] = useState(false);
  // A receipt not yet saved (a draft) opens its dialog again.
  const [receiving, setReceiving] = useState(() => mayWrite && hasDraft(receiptDraft(drugId)));
  const [dialog, setDialog] = useState<{ action: LotAction; lot: DrugLot } | null>(null);
  const drug = useQuery(trpc.drugs.get.queryOptions({ id: drugId }));
  const lots = useQuery(trpc.drugs.lots.queryOptions({ drugId, includeEmpty }));
  const card = useInfiniteQuery(
    trpc.drugs.stockCard.infiniteQueryOptions({ drugId, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const movements = useMemo(() => card.data?.pages.flatMap((p) => p.items) ?? [], [card.data]);

  const lotColumns = useMemo<ColumnDef<DrugLot>[]>(
    () => [
      {
        id: 'lot',
        header: 'Lot',
        accessorKey: 'lotNumber',
        size: 140,
        cell: (c) => (
          <Text size="sm" fw={600}>
            {c.getValue<string>()}
          </Text>
        ),
      },
      {
        id: 'expiry',
        header: 'Expiry',
        accessorKey: 'expiryDate',
        size: 170,
        cell: (c) => <Expiry date={c.row.original.expiryDate} status={c.row.original.expiryStatus} />,
      },
      { id: 'onHand', header: 'On hand', accessorKey: 'onHand', size: 100, cell: (c) => c.getValue<number>().toLocaleString() },
      { id: 'supplier', header: 'Supplier', accessorKey: 'supplier', size: 220, cell: (c) => c.getValue<string | null>() ?? '—' },
      {
        id: 'received',
        header: 'First received',
        accessorKey: 'receivedAt',
        size: 130,
        cell: (c) => formatDate(c.getValue<string>().slice(0, 10)),
      },
      ...(mayWrite
        ? [
            {
              id: 'actions',
              header: 'Actions',
              size: 100,
              enableSorting: false,
              cell: (c: { row: { original: DrugLot } }) => (
                <LotActions lot={c.row.original} onAction={(action) => setDialog({ action, lot: c.row.original })} />
              ),
            } satisfies ColumnDef<DrugLot>,
          ]
        : []),
    ],
    [mayWrite],
  );

  if (drug.isPending) return <PageSkeleton />;
  if (drug.isError) return <ErrorState error={drug.error} onRetry={() => void drug.refetch()} />;
  const d = drug.data;
  const Dialog = dialog && LOT_DIALOGS[dialog.action];

  return (
    <Stack gap="sm">
      <AnchorLink to="/drugs" size="sm">
        ← Drug inventory
      </AnchorLink>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>
            {d.name} {d.strength} {d.formulation}
          </Title>
          <DrugHeader drug={d} />
        </Stack>
        {mayWrite && <Button onClick={() => setReceiving(true)}>Receive stock</Button>}
      </Group>

      <Paper withBorder p="sm" component="section" aria-labelledby="lots-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} id="lots-title">
            Lots
          </Title>
          <Switch label="Show used-up lots" checked={includeEmpty} onChange={(e) => setIncludeEmpty(e.currentTarget.checked)} />
        </Group>
        {lots.isPending ? (
          <RowsSkeleton rows={2} />
        ) : lots.isError ? (
          <ErrorState error={lots.error} onRetry={() => void lots.refetch()} />
        ) : (
          <DataTable
            label="Lots"
            data={lots.data}
            columns={lotColumns}
            height={220}
            getRowId={(l) => String(l.id)}
            empty={
              (includeEmpty ? 'No lots recorded.' : 'No lot has stock on hand.') +
              (mayWrite ? ' “Receive stock” adds a lot.' : '') +
              (includeEmpty ? '' : ' “Show used-up lots” lists the earlier ones.')
            }
          />
        )}
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="card-title">
        <Title order={2} id="card-title" mb="xs">
          Stock card
        </Title>
        {card.isPending ? (
          <RowsSkeleton />
        ) : card.isError ? (
          <ErrorState error={card.error} onRetry={() => void card.refetch()} />
        ) : (
          <DataTable
            label="Stock card"
            data={movements}
            columns={cardColumns}
            paged={card}
            height="max(320px, calc(100vh - 520px))"
            getRowId={(m) => String(m.id)}
            empty="No stock movements yet: receipts, dispensing, adjustments and write-offs are listed here as they happen."
          />
        )}
      </Paper>

      {receiving && <ReceiveForm drug={d} onClose={() => setReceiving(false)} />}
      {Dialog && <Dialog lot={dialog.lot} onClose={() => setDialog(null)} />}
    </Stack>
  );
}
