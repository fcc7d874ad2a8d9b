/** The frame around every page: who is signed in at the top, what this role can do on the left. */
import { AppShell, Avatar, Badge, Group, Menu, NavLink, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { can, type Permission } from '@hmis/shared';
import { roleLabel } from '../format';
import { trpc } from '../trpc';
import { useSignOut, useUser } from './session';
import { SessionTimeout } from './SessionTimeout';

const NAV: { to: string; label: string; permission: Permission }[] = [
  { to: '/patients', label: 'Patients', permission: 'patient:read' },
  { to: '/pharmacy', label: 'Pharmacy queue', permission: 'prescription:read' },
  { to: '/drugs', label: 'Drug inventory', permission: 'drug:read' },
  { to: '/staff', label: 'Staff', permission: 'staff:manage' },
  { to: '/audit', label: 'Audit trail', permission: 'audit:read' },
  { to: '/overview', label: 'Facility statistics', permission: 'stats:read' },
];

/** Low-stock count beside "Drug inventory": the server counts over all drugs. */
function LowStockBadge() {
  const summary = useQuery(trpc.drugs.summary.queryOptions(undefined, { staleTime: 60_000 }));
  const low = summary.data?.belowReorderLevel ?? 0;
  if (!low) return null;
  return (
    <Badge size="xs" color="orange" variant="light" aria-label={`${low} below reorder level`}>
      {low} low
    </Badge>
  );
}

export function Shell() {
  const user = useUser();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const logout = useSignOut();
  const initials = `${user.firstName[0] ?? ''}${user.lastName[0] ?? ''}`;

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: 196, breakpoint: 0 }} padding="md">
      <AppShell.Header bg="dark.8" c="white">
        <Group h="100%" px="md" justify="space-between">
          <Text fw={700} size="lg" c="white">
            HMIS
          </Text>
          <Menu position="bottom-end" width={220}>
            <Menu.Target>
              <UnstyledButton c="white">
                <Group gap={8}>
                  <Avatar size={26} color="blue" variant="filled" aria-hidden>
                    {initials}
                  </Avatar>
                  <div>
                    <Text size="sm" fw={600} lh={1.1}>
                      {user.fullName}
                    </Text>
                    <Text size="xs" c="gray.4" lh={1.1}>
                      {roleLabel(user.role)} · {user.staffNumber}
                    </Text>
                  </div>
                  <VisuallyHidden>, account menu</VisuallyHidden>
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                Signed in as {user.username} ({roleLabel(user.role)})
              </Menu.Label>
              <Menu.Item component={Link} to="/account">
                Change my password
              </Menu.Item>
              <Menu.Item color="red" onClick={() => logout.mutate()} disabled={logout.isPending}>
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6} bg="gray.0" aria-label="Main">
        {NAV.filter((n) => can(user.role, n.permission)).map((n) => (
          <NavLink
            key={n.to}
            component={Link}
            to={n.to}
            label={n.label}
            active={pathname === n.to || pathname.startsWith(`${n.to}/`)}
            rightSection={n.to === '/drugs' ? <LowStockBadge /> : undefined}
            variant="filled"
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main bg="gray.1">
        <Outlet />
      </AppShell.Main>
      <SessionTimeout page={pathname} />
    </AppShell>
  );
}
