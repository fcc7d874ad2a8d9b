/**
 * Signed out → the sign-in page; signed in → the router (shell and pages); a session that has ended → the page stays
 * mounted (its forms keep what was typed) but hidden, under the sign-in dialog. After a reload the cookie is still
 * there but the CSRF token is not: it is fetched once, beside the page's own requests (not before them: opening a
 * chart waited for it, issue 13's browser benchmark); a change made before it has come waits for it (trpc.ts).
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { trpc } from '../trpc';
import { ErrorState, PageLoader } from '../components/status';
import { router } from './routes';
import { useMe } from './session';
import { whenIdle } from './idle';
import { followOtherTabs, rememberTabUser } from './other-tabs';
import { useSessionActivity } from './session-timeout';

/**
 * Loaded when needed: a signed-in user reloading the page never downloads the sign-in form (decision 023). Signed in,
 * it is fetched once the first screen is up (idle.ts), so the dialog can open when the session ends even if the network
 * has gone.
 */
const loadSignIn = () => import('./SignIn');
const SignIn = lazy(() => loadSignIn().then((m) => ({ default: m.SignIn })));
const SessionEndedDialog = lazy(() => loadSignIn().then((m) => ({ default: m.SessionEndedDialog })));

/** The signed-in page; while the session has ended, hidden (not unmounted: its state is kept) under the sign-in dialog. */
export function KeptPage({ children }: { children: ReactNode }) {
  const { ended } = useSessionActivity();
  return (
    <>
      <div style={ended ? { display: 'none' } : undefined}>{children}</div>
      {ended && (
        <Suspense fallback={<PageLoader what="Your session has ended" />}>
          <SessionEndedDialog end={ended} />
        </Suspense>
      )}
    </>
  );
}

export function App() {
  const me = useMe();
  const user = me.data?.user ?? null;
  useQuery(trpc.auth.csrf.queryOptions(undefined, { enabled: user !== null, staleTime: Infinity }));
  const signedIn = user !== null;
  useEffect(() => (signedIn ? whenIdle(() => void loadSignIn()) : undefined), [signedIn]);
  // A sign-out or another user's sign-in in another tab of this browser ends this tab's page too (other-tabs.ts).
  const userId = user?.id ?? null;
  useEffect(() => {
    if (userId !== null) rememberTabUser(userId);
    return followOtherTabs(() => userId);
  }, [userId]);

  if (me.isPending) return <PageLoader />;
  if (me.isError) return <ErrorState title="The server did not answer" error={me.error} onRetry={() => void me.refetch()} />;
  if (!user) {
    return (
      <Suspense fallback={<PageLoader />}>
        <SignIn />
      </Suspense>
    );
  }
  return (
    <KeptPage>
      <RouterProvider router={router} context={{ user }} />
    </KeptPage>
  );
}
