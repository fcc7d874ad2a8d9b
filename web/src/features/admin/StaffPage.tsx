/**
 * Staff accounts by role: create (every role), edit, deactivate and reactivate, reset a password, and open a staff
 * member's audit trail.
 */
import { useMemo, useState } from 'react';
import { Badge, Button, Group, Menu, Paper, SegmentedControl, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { AnchorLink } from '../../components/links';
import type { ColumnDef } from '@tanstack/react-table';
import { ROLES, type Role, type Staff } from '@hmis/shared';
import { useUser } from '../../app/session';
import { DataTable } from '../../components/DataTable';
import { hasDraft } from '../../components/drafts';
import { unreachable } from '../../components/SaveAlert';
import { ErrorState, RowsSkeleton } from '../../components/status';
import { formatDate, roleLabel } from '../../format';
import { problemOf, queryClient, trpc } from '../../trpc';
import { ResetPassword, StaffForm, staffDraft } from './StaffForm';

const route = getRouteApi('/staff');
const ROLE_TABS: Record<Role, string> = {
  doctor: 'Doctors',
  nurse: 'Nurses',
  pharmacist: 'Pharmacists',
  recordofficer: 'Record officers',
  admin: 'Admins',
};

function Actions({ staff, onEdit, onReset }: { staff: Staff; onEdit: () => void; onReset: () => void }) {
  const me = useUser();
  const navigate = useNavigate();
  const done = (verb: string) => () => {
    void queryClient.invalidateQueries({ queryKey: trpc.staff.pathKey() });
    notifications.show({ color: 'green', message: `${staff.fullName} ${verb}` });
  };
  const fail = (e: unknown) =>
    notifications.show({
      color: 'red',
      title: 'Not changed',
      message: unreachable(e) ? 'The server could not be reached. Check the network connection, then try again.' : problemOf(e)?.message,
    });
  const deactivate = useMutation(
    trpc.staff.delete.mutationOptions({ onSuccess: done('deactivated: they can no longer sign in'), onError: fail }),
  );
  const reactivate = useMutation(trpc.staff.reactivate.mutationOptions({ onSuccess: done('reactivated'), onError: fail }));
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant="default" aria-label={`Actions for ${staff.fullName}`}>
          Actions ▾
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={onEdit}>Edit details</Menu.Item>
        <Menu.Item onClick={onReset}>Reset password</Menu.Item>
        <Menu.Item onClick={() => void navigate({ to: '/audit', search: { staffId: staff.id } })}>Audit trail</Menu.Item>
        {staff.active ? (
          <Menu.Item color="red" disabled={staff.id === me.id} onClick={() => deactivate.mutate({ id: staff.id })}>
            Deactivate
          </Menu.Item>
        ) : (
          <Menu.Item onClick={() => reactivate.mutate({ id: staff.id })}>Reactivate</Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

export function StaffPage() {
  const { role = 'doctor' } = route.useSearch();
  const navigate = route.useNavigate();
  const [active, setActive] = useState(true);
  // A new account not yet created (a draft) opens its dialog again.
  const [editing, setEditing] = useState<Staff | 'new' | null>(() => (hasDraft(staffDraft()) ? 'new' : null));
  const [resetting, setResetting] = useState<Staff | null>(null);
  const counts = useQuery(trpc.staff.counts.queryOptions());
  const list = useInfiniteQuery(
    trpc.staff.list.infiniteQueryOptions({ role, active, limit: 100 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  // The admin gets every account in full (others get directory entries, without personal details).
  const rows = useMemo(() => (list.data?.pages.flatMap((p) => p.items) ?? []).filter((s): s is Staff => 'email' in s), [list.data]);

  const columns = useMemo<ColumnDef<Staff>[]>(
    () => [
      { id: 'number', header: 'Staff no.', accessorKey: 'staffNumber', size: 90 },
      {
        id: 'name',
        header: 'Name',
        accessorKey: 'fullName',
        size: 180,
        cell: (c) => (
          <Text size="sm" fw={600}>
            {c.getValue<string>()}
          </Text>
        ),
      },
      { id: 'username', header: 'Username', accessorKey: 'username', size: 110 },
      { id: 'email', header: 'Email', accessorKey: 'email', size: 200 },
      { id: 'title', header: 'Job title', accessorKey: 'jobTitle', size: 190 },
      { id: 'phone', header: 'Phone', accessorKey: 'phoneNumber', size: 150, cell: (c) => c.getValue<string | null>() ?? '—' },
      { id: 'since', header: 'Since', accessorKey: 'createdAt', size: 100, cell: (c) => formatDate(c.getValue<string>().slice(0, 10)) },
      {
        id: 'status',
        header: 'Status',
        accessorKey: 'active',
        size: 95,
        cell: (c) =>
          c.getValue<boolean>() ? (
            <Badge color="green" variant="light" size="sm">
              active
            </Badge>
          ) : (
            <Badge color="gray" variant="light" size="sm">
              deactivated
            </Badge>
          ),
      },
      {
        id: 'actions',
        header: 'Actions',
        enableSorting: false,
        size: 100,
        cell: (c) => (
          <Actions staff={c.row.original} onEdit={() => setEditing(c.row.original)} onReset={() => setResetting(c.row.original)} />
        ),
      },
    ],
    [],
  );

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={1}>Staff</Title>
        <Button onClick={() => setEditing('new')}>New staff account</Button>
      </Group>
      <Paper withBorder p="sm">
        <Tabs value={role} onChange={(r) => void navigate({ to: '/staff', search: { role: (r ?? 'doctor') as Role } })} keepMounted={false}>
          <Tabs.List mb="sm">
            {ROLES.map((r) => (
              <Tabs.Tab
                key={r}
                value={r}
                rightSection={
                  counts.data ? (
                    <Badge size="xs" variant="light" color="gray">
                      {counts.data[r]}
                    </Badge>
                  ) : null
                }
              >
                {ROLE_TABS[r]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value={role}>
            <SegmentedControl
              size="xs"
              mb="xs"
              aria-label="Accounts"
              value={active ? 'active' : 'inactive'}
              onChange={(v) => setActive(v === 'active')}
              data={[
                { value: 'active', label: 'Active' },
                { value: 'inactive', label: 'Deactivated' },
              ]}
            />
            {list.isPending ? (
              <RowsSkeleton />
            ) : list.isError ? (
              <ErrorState error={list.error} onRetry={() => void list.refetch()} />
            ) : (
              <DataTable
                label={`${ROLE_TABS[role as Role]}${active ? '' : ' (deactivated)'}`}
                data={rows}
                columns={columns}
                paged={list}
                height="calc(100vh - 300px)"
                getRowId={(s) => String(s.id)}
                empty={
                  active
                    ? `No ${roleLabel(role).toLowerCase()} accounts yet. Create one with “New staff account”.`
                    : 'No deactivated accounts.'
                }
              />
            )}
          </Tabs.Panel>
        </Tabs>
        <Text size="xs" c="dimmed" mt={4}>
          Deactivated staff cannot sign in; their records and audit trail stay.{' '}
          <AnchorLink to="/audit" size="xs">
            Audit trail
          </AnchorLink>
        </Text>
      </Paper>
      {editing && <StaffForm staff={editing === 'new' ? undefined : editing} role={role} onClose={() => setEditing(null)} />}
      {resetting && <ResetPassword staff={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}
