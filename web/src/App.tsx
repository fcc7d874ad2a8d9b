/**
 * Layout and routing. A hash router (#/patients/12/vitals) keeps deep links working with any static server.
 * Signed out → the sign-in page; signed in → header, sidebar and the page for the current hash.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { can, type Permission, type Role, type Staff } from '@hmis/shared';
import { roleLabel } from './format';
import { Consultation } from './pages/Consultation';
import { Drugs } from './pages/Drugs';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { PatientChart, type ChartTab } from './pages/PatientChart';
import { Patients } from './pages/Patients';
import { Pharmacy } from './pages/Pharmacy';
import { RegisterPatient } from './pages/RegisterPatient';
import { setSession, trpc } from './trpc';
import { Loading } from './ui';

export interface Route {
  path: string[];
  query: URLSearchParams;
}

function currentRoute(): Route {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean), query: new URLSearchParams(query) };
}

function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function navigate(to: string) {
  window.location.hash = to;
}

/** Where each role starts its day. */
function homeOf(role: Role): string {
  if (role === 'pharmacist') return '/pharmacy';
  if (can(role, 'patient:read')) return '/patients';
  return '/overview';
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}

const NAV: { to: string; label: string; permission: Permission }[] = [
  { to: '/overview', label: 'Overview', permission: 'stats:read' },
  { to: '/patients', label: 'Patients', permission: 'patient:read' },
  { to: '/pharmacy', label: 'Pharmacy queue', permission: 'prescription:dispense' },
  { to: '/drugs', label: 'Drugs', permission: 'drug:read' },
];

function Page({ route, user }: { route: Route; user: Staff }) {
  const [section, id, sub, subId] = route.path;
  const role = user.role;
  switch (section) {
    case 'overview':
      return <Overview />;
    case 'patients':
      if (!can(role, 'patient:read')) break;
      if (id === 'new') return <RegisterPatient />;
      if (id && sub === 'consultations' && subId) return <Consultation patientId={Number(id)} consultationId={Number(subId)} user={user} />;
      if (id) return <PatientChart patientId={Number(id)} tab={sub as ChartTab | undefined} user={user} />;
      return <Patients user={user} initialQuery={route.query.get('q') ?? ''} />;
    case 'pharmacy':
      if (can(role, 'prescription:read')) return <Pharmacy user={user} />;
      break;
    case 'drugs':
      if (can(role, 'drug:read')) return <Drugs />;
      break;
    case undefined:
      return <Redirect to={homeOf(role)} />;
  }
  return <div className="muted pad">There is no page here for your role. Choose one on the left.</div>;
}

function Shell({ user, route, children }: { user: Staff; route: Route; children: ReactNode }) {
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        setSession(null);
        navigate('/');
      },
    }),
  );
  const active = `/${route.path[0] ?? ''}`;
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark">+</span> HMIS
        </div>
        <div className="whoami">
          <span className="who-name">{user.fullName}</span>
          <span className="who-role">
            {roleLabel(user.role)} · {user.staffNumber}
          </span>
          <button type="button" className="topbar-button" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidebar">
        {NAV.filter((n) => can(user.role, n.permission)).map((n) => (
          <a key={n.to} href={`#${n.to}`} className={active === n.to ? 'active' : undefined}>
            {n.label}
          </a>
        ))}
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}

export function App() {
  const route = useRoute();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Infinity }));
  const user = me.data?.user ?? null;
  // After a reload the cookie is still there but the CSRF token is not: ask for it once.
  const csrf = useQuery(trpc.auth.csrf.queryOptions(undefined, { enabled: user !== null, staleTime: Infinity }));

  if (me.isPending) return <Loading />;
  if (me.isError) return <div className="error-box pad">The server did not answer: {me.error.message}</div>;
  if (!user) return <Login />;
  if (csrf.isPending) return <Loading what="Restoring your session" />;
  return (
    <Shell user={user} route={route}>
      <Page key={route.path.join('/')} route={route} user={user} />
    </Shell>
  );
}
