/**
 * The frame around every page: the open patients and who is signed in at the top, what this role can do on the left,
 * and the keyboard shortcuts (shortcuts.ts) with the command palette they open.
 */
import { lazy, Suspense, useEffect, useLayoutEffect, useState } from 'react';
import { AppShell, Badge, Group, NavLink, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { can, type Permission } from '@hmis/shared';
import { trpc } from '../trpc';
import { AccountButton } from './AccountButton';
import { setTabsOwner } from './open-patients';
import { PatientTabs } from './PatientTabs';
import { useUser } from './session';
import { SessionTimeout } from './SessionTimeout';
import { usePaletteOpen, useShortcuts } from './shortcuts';

const CommandPalette = lazy(() => import('./CommandPalette').then((m) => ({ default: m.CommandPalette })));

/**
 * The palette is downloaded the first time it is opened, then stays mounted. What is typed while it downloads is kept
 * for its box (shortcuts.ts), so it need not be fetched ahead.
 */
function LazyPalette() {
  const opened = usePaletteOpen();
  const [wanted, setWanted] = useState(false);
  if (opened && !wanted) setWanted(true);
  return wanted ? (
    <Suspense fallback={null}>
      <CommandPalette />
    </Suspense>
  ) : null;
}

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

const AccountMenu = lazy(() => import('./AccountMenu').then((m) => ({ default: m.AccountMenu })));
const loadAccountMenu = () => void import('./AccountMenu');

/** The account button; its menu arrives when first pointed at or focused, and opens if it was the click. */
function Account() {
  const [clicked, setClicked] = useState<boolean | null>(null);
  const placeholder = (
    <AccountButton onPointerEnter={loadAccountMenu} onFocus={loadAccountMenu} onClick={() => setClicked(true)} aria-haspopup="menu" />
  );
  if (clicked === null) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <AccountMenu defaultOpened={clicked} />
    </Suspense>
  );
}

/**
 * The window's title from the matched routes, innermost first: "Vital signs · Patient chart — HMIS". No patient's
 * name: titles go into the browser's history and the taskbar of a shared computer.
 */
function usePageTitle() {
  const title = useRouterState({
    select: (s) =>
      s.matches
        .map((m) => m.staticData.title)
        .filter(Boolean)
        .reverse()
        .join(' · '),
  });
  useEffect(() => {
    document.title = title ? `${title} — HMIS` : 'HMIS';
  }, [title]);
}

export function Shell() {
  const user = useUser();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  useLayoutEffect(() => setTabsOwner(user.id), [user.id]);
  useShortcuts();
  usePageTitle();

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: 196, breakpoint: 0 }} padding="md">
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <AppShell.Header bg="dark.8" c="white">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="md">
          <Text fw={700} size="lg" c="white">
            HMIS
          </Text>
          <PatientTabs />
          <Account />
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
      <AppShell.Main bg="gray.1" id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
      <SessionTimeout page={pathname} />
      <LazyPalette />
    </AppShell>
  );
}
