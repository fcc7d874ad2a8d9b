/**
 * Rendering a component as the app does (Mantine theme, the app's own query client), with its data put in the query
 * cache the way the server's answers would be, and a watch on the network: nothing here answers a request.
 */
import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  RouterProvider,
  type RouteComponent,
} from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { DEFAULT_JOB_TITLE, formatStaffNumber, type Drug, type Role, type Staff } from '@hmis/shared';
import { theme } from '../../src/app/theme';
import { queryClient, trpc } from '../../src/trpc';

// Each test starts signed out, with nothing cached and the real fetch back.
afterEach(() => {
  queryClient.clear();
  vi.restoreAllMocks();
});

let nextId = 100;

export function staff(role: Role, overrides: Partial<Staff> = {}): Staff {
  const id = nextId++;
  const now = new Date().toISOString();
  return {
    id,
    staffNumber: formatStaffNumber(role, id),
    username: `${role}${id}`,
    role,
    jobTitle: DEFAULT_JOB_TITLE[role],
    fullName: `Test ${DEFAULT_JOB_TITLE[role]}`,
    active: true,
    firstName: 'Test',
    lastName: DEFAULT_JOB_TITLE[role],
    otherNames: null,
    gender: 'Female',
    dob: null,
    maritalStatus: null,
    address: null,
    phoneNumber: null,
    email: `${role}${id}@hospital.test`,
    nextOfKin: null,
    kinAddress: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: null,
    updatedBy: null,
    ...overrides,
  };
}

export function drug(overrides: Partial<Drug> = {}): Drug {
  const now = new Date().toISOString();
  return {
    id: nextId++,
    name: 'Paracetamol',
    genericName: 'Paracetamol',
    brand: null,
    formulation: 'tablet',
    strength: '500 mg',
    route: 'oral',
    stockOnHand: 1000,
    reorderLevel: 100,
    belowReorderLevel: false,
    expiryDate: null,
    expiryStatus: 'ok',
    atcCodes: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: null,
    updatedBy: null,
    ...overrides,
  };
}

/** Signed in as this user, as auth.me would have answered. */
export function signIn(user: Staff) {
  queryClient.setQueryData(trpc.auth.me.queryKey(), { authenticated: true, user });
}

/**
 * Every request the client tries to send, refused: a test that expects none asserts `not.toHaveBeenCalled()`, and one
 * that expects a request sees where it went.
 */
export function watchNetwork() {
  return vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('No server in component tests'));
}

/** The trpc procedure paths a fetch spy saw ("patients.create"). */
export function proceduresCalled(spy: ReturnType<typeof watchNetwork>): string[] {
  return spy.mock.calls.flatMap(([url]) => {
    const path = /\/trpc\/([^?]+)/.exec(String(url))?.[1];
    return path ? decodeURIComponent(path).split(',') : [];
  });
}

function Providers({ children }: { children: ReactNode }) {
  // env="test": Mantine without transitions and portals, so dropdowns open at once and in place.
  return (
    <MantineProvider theme={theme} env="test">
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}

/**
 * The session's CSRF token, as a signed-in page has it (from sign-in, or fetched after a reload), unless the test set
 * one: changes are sent with it. Without it a change first asks for it (trpc.ts), a request these tests do not expect.
 */
function withCsrfToken() {
  if (!queryClient.getQueryData(trpc.auth.csrf.queryKey()))
    queryClient.setQueryData(trpc.auth.csrf.queryKey(), { csrfToken: 'csrf-token' });
}

/** A component that needs no router. Starts from an empty query cache. */
export function renderUi(ui: ReactNode) {
  withCsrfToken();
  return render(ui, { wrapper: Providers });
}

/**
 * A component that uses the router (links, navigation, route params): rendered on a small router with a memory
 * history at `at`. `page` is the component of the one route, at `path` (a route id the component may name, such as
 * '/patients/$patientId/notes'; numeric params are parsed as the app's routes do); `shell`, if given, is the root
 * route's component around it.
 */
export function renderRouted({
  page,
  path,
  at = path,
  shell = Outlet,
}: {
  page: RouteComponent;
  path: string;
  at?: string;
  shell?: RouteComponent;
}) {
  const root = createRootRoute({ component: shell });
  const child = createRoute({
    getParentRoute: () => root,
    path,
    params: {
      parse: (p: Record<string, string>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v])),
      stringify: (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])),
    },
    component: page,
  });
  const router = createRouter({ routeTree: root.addChildren([child]), history: createMemoryHistory({ initialEntries: [at] }) });
  withCsrfToken();
  return { router, ...render(<RouterProvider router={router} />, { wrapper: Providers }) };
}
