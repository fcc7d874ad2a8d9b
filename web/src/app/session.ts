/** Who is signed in. The auth queries are the one copy of that: set by sign-in, read after a reload. */
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Staff } from '@hmis/shared';
import { dropDrafts } from '../components/drafts';
import { clearOpenPatients } from './open-patients';
import { announceSignedIn } from './other-tabs';
import { setSession, trpc } from '../trpc';

/** Asked once a page load; sign-in and sign-out set it (trpc.ts setSession). */
export const meQuery = () => trpc.auth.me.queryOptions(undefined, { staleTime: Infinity });

export function useMe() {
  return useQuery(meQuery());
}

/** The signed-in user; only for components under the signed-in shell. */
export function useUser(): Staff {
  const me = useMe();
  const user = me.data?.user;
  if (!user) throw new Error('useUser outside the signed-in shell');
  return user;
}

/**
 * Signs out on the server, then starts a fresh page for the next person at this screen: nothing of this user's stays
 * in memory or, as drafts, in the browser, and they start on their own start page rather than on what this user had
 * open.
 */
export function useSignOut() {
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        clearOpenPatients();
        dropDrafts(null);
        setSession(null);
        announceSignedIn(null);
        window.location.replace('/');
      },
    }),
  );
}
