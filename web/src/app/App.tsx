/**
 * Signed out → the sign-in page; signed in → the router (shell and pages); a session that has just ended → the screen
 * that says so, then the sign-in page. After a reload the cookie is still there but the CSRF token is not: it is
 * fetched once before any page can write.
 */
import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { trpc } from '../trpc';
import { ErrorState, PageLoader } from '../components/status';
import { router } from './routes';
import { useMe } from './session';
import { useSessionActivity } from './session-timeout';
import { SessionEnded } from './SessionTimeout';

/** Loaded when needed: a signed-in user reloading the page never downloads the sign-in form (decision 023). */
const SignIn = lazy(() => import('./SignIn').then((m) => ({ default: m.SignIn })));

export function App() {
  const me = useMe();
  const user = me.data?.user ?? null;
  const csrf = useQuery(trpc.auth.csrf.queryOptions(undefined, { enabled: user !== null, staleTime: Infinity }));
  const { ended } = useSessionActivity();

  // Until the sign-in form is asked for (and the ended session is forgotten here), the ended screen stays.
  if (ended && (!ended.signingIn || user)) return <SessionEnded end={ended} />;
  if (me.isPending) return <PageLoader />;
  if (me.isError) return <ErrorState title="The server did not answer" error={me.error} onRetry={() => void me.refetch()} />;
  if (!user) {
    return (
      <Suspense fallback={<PageLoader />}>
        <SignIn />
      </Suspense>
    );
  }
  if (csrf.isPending) return <PageLoader what="Restoring your session" />;
  return <RouterProvider router={router} context={{ user }} />;
}
