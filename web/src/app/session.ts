/** Who is signed in. The auth queries are the one copy of that: set by sign-in, read after a reload. */
import { useQuery } from '@tanstack/react-query';
import type { Staff } from '@hmis/shared';
import { trpc } from '../trpc';

export function useMe() {
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Infinity }));
}

/** The signed-in user; only for components under the signed-in shell. */
export function useUser(): Staff {
  const me = useMe();
  const user = me.data?.user;
  if (!user) throw new Error('useUser outside the signed-in shell');
  return user;
}
