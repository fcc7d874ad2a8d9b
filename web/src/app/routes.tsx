/**
 * Every route in one place (as Medplum's AppRoutes). Search parameters and ids in the path are cleaned by
 * search-params.ts, so a bookmarked or hand-edited address cannot put a page in a state it does not expect.
 */
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { AUDIT_ACTIONS, can, DRUG_FILTERS, PRESCRIPTION_STATUSES, ROLES, type Permission, type Role, type Staff } from '@hmis/shared';
import { idParam, isoDate, oneOf, present, text, wholeNumber, type Search } from './search-params';
import { DEFAULT_PERIOD, loadVitalsChart, periodStart } from '../features/vitals/periods';
import { queryClient, trpc } from '../trpc';
import { Shell } from './Shell';
import { NotAllowed, NotFound } from './NotAllowed';

/** Each page is its own chunk, loaded when first visited (or when a link to it is hovered). */
const ChangePassword = lazyRouteComponent(() => import('../features/account/ChangePassword'), 'ChangePassword');
const AuditPage = lazyRouteComponent(() => import('../features/admin/AuditPage'), 'AuditPage');
const OverviewPage = lazyRouteComponent(() => import('../features/admin/OverviewPage'), 'OverviewPage');
const StaffPage = lazyRouteComponent(() => import('../features/admin/StaffPage'), 'StaffPage');
const ChartLayout = lazyRouteComponent(() => import('../features/chart/ChartLayout'), 'ChartLayout');
const ChartSummary = lazyRouteComponent(() => import('../features/chart/ChartSummary'), 'ChartSummary');
const ConsultationPage = lazyRouteComponent(() => import('../features/consultations/ConsultationPage'), 'ConsultationPage');
const ConsultationsTab = lazyRouteComponent(() => import('../features/consultations/ConsultationsTab'), 'ConsultationsTab');
const NurseNotesTab = lazyRouteComponent(() => import('../features/nurse-notes/NurseNotesTab'), 'NurseNotesTab');
const PatientDetailsTab = lazyRouteComponent(() => import('../features/patients/PatientDetailsTab'), 'PatientDetailsTab');
const PatientSearchPage = lazyRouteComponent(() => import('../features/patients/PatientSearchPage'), 'PatientSearchPage');
const RegisterPatientPage = lazyRouteComponent(() => import('../features/patients/RegisterPatientPage'), 'RegisterPatientPage');
const DrugsPage = lazyRouteComponent(() => import('../features/pharmacy/DrugsPage'), 'DrugsPage');
const DrugStockPage = lazyRouteComponent(() => import('../features/pharmacy/DrugStockPage'), 'DrugStockPage');
const QueuePage = lazyRouteComponent(() => import('../features/pharmacy/QueuePage'), 'QueuePage');
const MedicationsTab = lazyRouteComponent(() => import('../features/prescriptions/MedicationsTab'), 'MedicationsTab');
const VitalsTab = lazyRouteComponent(() => import('../features/vitals/VitalsTab'), 'VitalsTab');

declare module '@tanstack/react-router' {
  interface StaticDataRouteOption {
    /** The page's title; the window's title joins those of the matched routes (Shell). Never a patient's name. */
    title?: string;
  }
}

export interface RouterContext {
  user: Staff;
}

/** Where each role starts its day. */
export function homeOf(role: Role): string {
  if (role === 'pharmacist') return '/pharmacy';
  if (role === 'admin') return '/staff';
  return '/patients';
}

/** A page for some roles only: others get a plain explanation, never a broken page. */
function guarded(permission: Permission, Page: React.ComponentType) {
  return function Guarded() {
    const { user } = rootRoute.useRouteContext();
    return can(user.role, permission) ? <Page /> : <NotAllowed />;
  };
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Shell,
  notFoundComponent: NotFound,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: ({ context }) => {
    throw redirect({ to: homeOf(context.user.role) });
  },
});

const patientsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/patients',
  staticData: { title: 'Patients' },
  validateSearch: (s: Search) => present({ q: text(s.q) }),
  component: guarded('patient:read', PatientSearchPage),
});

const registerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/patients/new',
  staticData: { title: 'Register a patient' },
  component: guarded('patient:write', RegisterPatientPage),
});

export const chartRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/patients/$patientId',
  staticData: { title: 'Patient chart' },
  params: {
    parse: (p) => ({ patientId: idParam(p.patientId) }),
    stringify: (p) => ({ patientId: String(p.patientId) }),
  },
  // The patient is asked for while the chart's code downloads, not after (issue 13's browser benchmark). Not when a
  // link is only pointed at (`preload`): a read of a patient is audited as a view, and pointing is not viewing.
  loader: ({ params, preload }) => {
    if (!preload && params.patientId > 0)
      void queryClient.prefetchQuery(trpc.patients.get.queryOptions({ id: params.patientId }, { staleTime: 60_000 }));
  },
  component: guarded('patient:read', ChartLayout),
});

const chartIndexRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: '/',
  staticData: { title: 'Summary' },
  component: ChartSummary,
});
const consultationsRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: 'consultations',
  staticData: { title: 'Consultations' },
  component: guarded('consultation:read', ConsultationsTab),
});
const consultationRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: 'consultations/$consultationId',
  staticData: { title: 'Consultation' },
  params: {
    parse: (p) => ({ consultationId: idParam(p.consultationId) }),
    stringify: (p) => ({ consultationId: String(p.consultationId) }),
  },
  component: guarded('consultation:read', ConsultationPage),
});
const vitalsRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: 'vitals',
  staticData: { title: 'Vital signs' },
  validateSearch: (s: Search) => present({ view: oneOf(s.view, ['table', 'chart'] as const) }),
  loaderDeps: ({ search }) => ({ view: search.view }),
  // The tab's own code, the trend charts' code and the default period's readings, fetched together as the page opens.
  // The tab's code is asked for here because `guarded` hides it from the router's preloading: it would otherwise be
  // fetched only once the chart's layout has the patient and renders the tab (issue 13's browser benchmark).
  loader: ({ params, deps, preload }) => {
    void VitalsTab.preload?.();
    if (preload || deps.view !== 'chart' || params.patientId <= 0) return;
    void loadVitalsChart();
    void queryClient.prefetchQuery(trpc.vitals.series.queryOptions({ patientId: params.patientId, from: periodStart(DEFAULT_PERIOD) }));
  },
  component: guarded('vital:read', VitalsTab),
});
const notesRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: 'notes',
  staticData: { title: 'Nurse notes' },
  component: guarded('nursenote:read', NurseNotesTab),
});
const medicationsRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: 'medications',
  staticData: { title: 'Medications' },
  component: guarded('prescription:read', MedicationsTab),
});
const detailsRoute = createRoute({
  getParentRoute: () => chartRoute,
  path: 'details',
  staticData: { title: 'Patient details' },
  component: PatientDetailsTab,
});

const pharmacyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/pharmacy',
  staticData: { title: 'Pharmacy queue' },
  validateSearch: (s: Search) => present({ status: oneOf(s.status, PRESCRIPTION_STATUSES) }),
  component: guarded('prescription:read', QueuePage),
});

const drugsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/drugs',
  staticData: { title: 'Drug inventory' },
  validateSearch: (s: Search) =>
    present({
      q: text(s.q),
      filter: oneOf(s.filter, DRUG_FILTERS),
      /** The drug list (default) or an expiry report by lot. */
      view: oneOf(s.view, ['expiring', 'expired'] as const),
      /** The expiring-lots report's window (90 days when absent). */
      days: wholeNumber(s.days, 1, 3650),
    }),
  component: guarded('drug:read', DrugsPage),
});

/** One drug's lots and stock card; receipts and lot changes for pharmacists. */
const drugStockRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/drugs/$drugId',
  staticData: { title: 'Drug stock' },
  params: {
    parse: (p) => ({ drugId: idParam(p.drugId) }),
    stringify: (p) => ({ drugId: String(p.drugId) }),
  },
  component: guarded('drug:read', DrugStockPage),
});

const staffRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/staff',
  staticData: { title: 'Staff' },
  validateSearch: (s: Search) => present({ role: oneOf(s.role, ROLES) }),
  component: guarded('staff:manage', StaffPage),
});

const auditRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/audit',
  staticData: { title: 'Audit trail' },
  validateSearch: (s: Search) =>
    present({
      patientId: wholeNumber(s.patientId),
      staffId: wholeNumber(s.staffId),
      action: oneOf(s.action, AUDIT_ACTIONS),
      from: isoDate(s.from),
      to: isoDate(s.to),
    }),
  component: guarded('audit:read', AuditPage),
});

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/overview',
  staticData: { title: 'Facility statistics' },
  component: guarded('stats:read', OverviewPage),
});
const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account',
  staticData: { title: 'Change my password' },
  component: ChangePassword,
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  patientsRoute,
  registerRoute,
  chartRoute.addChildren([chartIndexRoute, consultationsRoute, consultationRoute, vitalsRoute, notesRoute, medicationsRoute, detailsRoute]),
  pharmacyRoute,
  drugsRoute,
  drugStockRoute,
  staffRoute,
  auditRoute,
  overviewRoute,
  accountRoute,
]);

export const router = createRouter({
  routeTree,
  context: { user: undefined as unknown as Staff },
  defaultPreload: 'intent',
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

export { Outlet };
