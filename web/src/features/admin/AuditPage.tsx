/**
 * The audit trail of one patient or one staff member: who did what, when, with before and after; filtered by action
 * and dates, newest first, loaded as the admin scrolls.
 */
import { useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ColumnDef } from '@tanstack/react-table';
import { AUDIT_ACTIONS, fieldLabel, type AuditAction, type AuditEvent } from '@hmis/shared';
import { DataTable } from '../../components/DataTable';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { formatDateTime, formatShortDateTime, parseTypedDate } from '../../format';
import { problemOf, trpc } from '../../trpc';

const route = getRouteApi('/audit');

const ACTION_LABEL: Record<AuditAction, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  dispense: 'dispensed',
  view: 'viewed',
  login: 'signed in',
  logout: 'signed out',
  login_failed: 'failed sign-in',
  login_throttled: 'sign-in refused (too many failures)',
};
const ENTITY_LABEL: Record<string, string> = {
  patient: 'patient record',
  staff: 'staff account',
  consultation: 'consultation',
  prescription: 'prescription',
  drug_line: 'prescription line',
  vital: 'vital signs',
  nurse_note: 'nurse note',
  drug: 'drug',
  stock_movement: 'stock movement',
  session: 'session',
  api_token: 'API token',
};

/** "HMIS-0000012", "12" → 12. */
function patientNumber(text: string): number | undefined {
  const m = /^(?:HMIS-)?0*(\d{1,15})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

function Change({ event, onClose }: { event: AuditEvent; onClose: () => void }) {
  const title = `${ENTITY_LABEL[event.entityType] ?? event.entityType} ${ACTION_LABEL[event.action]} — ${formatDateTime(event.at)}`;
  if (event.changedFields) {
    return (
      <Modal opened onClose={onClose} title={title} size="lg">
        <Text size="sm">Fields: {event.changedFields.map(fieldLabel).join(', ') || '—'}</Text>
        <Text size="sm" c="dimmed" mt="xs">
          The values of patient and clinical records are not shown in the audit trail: it says who did what and when.
        </Text>
      </Modal>
    );
  }
  return (
    <Modal opened onClose={onClose} title={title} size="xl">
      <SimpleGrid cols={2}>
        <div>
          <Text fw={600} size="sm">
            Before
          </Text>
          <Code block>{event.before == null ? '—' : JSON.stringify(event.before, null, 2)}</Code>
        </div>
        <div>
          <Text fw={600} size="sm">
            After
          </Text>
          <Code block>{event.after == null ? '—' : JSON.stringify(event.after, null, 2)}</Code>
        </div>
      </SimpleGrid>
    </Modal>
  );
}

export function AuditPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [by, setBy] = useState<'patient' | 'staff'>(search.patientId ? 'patient' : 'staff');
  const [who, setWho] = useState(search.patientId ? String(search.patientId) : search.staffId ? String(search.staffId) : '');
  const [open, setOpen] = useState<AuditEvent | null>(null);

  const staff = useQuery(trpc.staff.get.queryOptions({ id: search.staffId ?? 0 }, { enabled: !!search.staffId }));
  const input = {
    patientId: search.patientId,
    staffId: search.staffId,
    action: search.action,
    from: search.from,
    to: search.to,
    limit: 100,
  };
  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, {
      enabled: !!(search.patientId || search.staffId),
      getNextPageParam: (p) => p.nextCursor ?? undefined,
      placeholderData: keepPreviousData,
    }),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  function show() {
    if (by === 'patient') {
      const id = patientNumber(who);
      void navigate({ to: '/audit', search: (s) => ({ ...s, patientId: id, staffId: undefined }) });
    } else {
      const m = /^(?:(ADM|DOC|NRS|PHM|REC)0*)?(\d{1,15})$/i.exec(who.trim());
      void navigate({ to: '/audit', search: (s) => ({ ...s, staffId: m ? Number(m[2]) : undefined, patientId: undefined }) });
    }
  }

  const columns = useMemo<ColumnDef<AuditEvent>[]>(
    () => [
      { id: 'at', header: 'When', accessorKey: 'at', size: 140, cell: (c) => formatShortDateTime(c.getValue<string>()) },
      {
        id: 'who',
        header: 'Who',
        accessorKey: 'actorName',
        size: 160,
        cell: (c) =>
          c.getValue<string | null>() ?? (
            <Text span c="dimmed" size="sm">
              no one signed in
            </Text>
          ),
      },
      {
        id: 'action',
        header: 'Action',
        accessorKey: 'action',
        size: 110,
        cell: (c) => (
          <Badge
            size="sm"
            variant="light"
            color={c.getValue<string>() === 'delete' ? 'red' : c.getValue<string>() === 'view' ? 'gray' : 'blue'}
          >
            {ACTION_LABEL[c.getValue<AuditAction>()]}
          </Badge>
        ),
      },
      {
        id: 'what',
        header: 'What',
        accessorFn: (e) => `${ENTITY_LABEL[e.entityType] ?? e.entityType}${e.entityId ? ` #${e.entityId}` : ''}`,
        size: 170,
      },
      { id: 'patient', header: 'Patient', accessorKey: 'patientId', size: 80, cell: (c) => c.getValue<number | null>() ?? '—' },
      {
        id: 'detail',
        header: 'Detail',
        accessorKey: 'detail',
        size: 200,
        enableSorting: false,
        cell: (c) => c.getValue<string | null>() ?? '',
      },
      {
        id: 'change',
        header: 'Before / after',
        enableSorting: false,
        size: 120,
        cell: (c) =>
          c.row.original.before != null || c.row.original.after != null || (c.row.original.changedFields?.length ?? 0) > 0 ? (
            <Button size="compact-xs" variant="default" onClick={() => setOpen(c.row.original)}>
              View change
            </Button>
          ) : null,
      },
    ],
    [],
  );

  return (
    <>
      <Title order={1} mb="sm">
        Audit trail
      </Title>
      <Paper withBorder p="sm" mb="sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            show();
          }}
        >
          <Group align="flex-end" gap="sm" wrap="wrap">
            <SegmentedControl
              aria-label="Trail of"
              value={by}
              onChange={(v) => setBy(v as 'patient' | 'staff')}
              data={[
                { value: 'staff', label: 'A staff member' },
                { value: 'patient', label: 'A patient' },
              ]}
            />
            <TextInput
              label={by === 'patient' ? 'Patient ID or MRN' : 'Staff number or ID'}
              placeholder={by === 'patient' ? 'e.g. HMIS-0000012' : 'e.g. DOC0002'}
              value={who}
              onChange={(e) => setWho(e.currentTarget.value)}
              w={200}
            />
            <Button type="submit">Show trail</Button>
            <Select
              label="Action"
              clearable
              placeholder="Any"
              w={160}
              data={AUDIT_ACTIONS.map((a) => ({ value: a, label: ACTION_LABEL[a] }))}
              value={search.action ?? null}
              onChange={(v) => void navigate({ to: '/audit', search: (s) => ({ ...s, action: (v as AuditAction | null) ?? undefined }) })}
            />
            <DateInput
              label="From"
              clearable
              w={150}
              valueFormat="DD MMM YYYY"
              dateParser={parseTypedDate}
              value={search.from ?? null}
              onChange={(v) => void navigate({ to: '/audit', search: (s) => ({ ...s, from: v ?? undefined }) })}
            />
            <DateInput
              label="To"
              clearable
              w={150}
              valueFormat="DD MMM YYYY"
              dateParser={parseTypedDate}
              value={search.to ?? null}
              onChange={(v) => void navigate({ to: '/audit', search: (s) => ({ ...s, to: v ?? undefined }) })}
            />
          </Group>
        </form>
      </Paper>
      <Paper withBorder p="sm">
        {!search.patientId && !search.staffId ? (
          <Text c="dimmed" size="sm">
            Choose a staff member or a patient to see their trail. From the Staff page, “Actions → Audit trail” opens a staff member’s
            trail.
          </Text>
        ) : (
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {search.patientId
                ? `Patient #${search.patientId}`
                : staff.data
                  ? `${staff.data.fullName} (${staff.data.staffNumber})`
                  : `Staff #${search.staffId}`}
            </Text>
            {list.isPending ? (
              <RowsSkeleton />
            ) : list.isError ? (
              problemOf(list.error)?.code === 'VALIDATION' ? (
                <Alert color="orange">{problemOf(list.error)?.message}</Alert>
              ) : (
                <ErrorState error={list.error} onRetry={() => void list.refetch()} />
              )
            ) : (
              <DataTable
                label="Audit events"
                data={rows as AuditEvent[]}
                columns={columns}
                paged={list}
                height="calc(100vh - 330px)"
                getRowId={(e) => String(e.id)}
                empty={
                  search.action || search.from || search.to
                    ? 'No events match these filters: clear the action or the dates to see more.'
                    : `Nothing recorded for this ${search.patientId ? 'patient' : 'staff member'} yet.`
                }
              />
            )}
          </Stack>
        )}
      </Paper>
      {open && <Change event={open} onClose={() => setOpen(null)} />}
    </>
  );
}
