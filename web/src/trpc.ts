/**
 * The one way to the server: a typed tRPC client over /trpc, wrapped for TanStack Query. Pages use
 * `useQuery(trpc.patients.list.queryOptions(...))` and `useMutation(trpc.patients.create.mutationOptions(...))`.
 * Only the router's *type* comes from the server.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@hmis/server/router';
import type { FieldError, Staff } from '@hmis/shared';

/** What the server says went wrong: `message` for the page, `fields` (path → message) beside the inputs. */
export interface Problem {
  code: string | null;
  message: string;
  fields: Record<string, string>;
}

export function problemOf(error: unknown): Problem | null {
  if (!error) return null;
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; fields?: FieldError[] } | undefined;
    const fields = Object.fromEntries((data?.fields ?? []).map((f) => [f.path, f.message]));
    return { code: data?.code ?? null, message: error.message, fields };
  }
  return { code: null, message: error instanceof Error ? error.message : String(error), fields: {} };
}

/** A 4xx is an answer, not a hiccup: retrying it only delays the message. */
function isClientError(error: unknown): boolean {
  const status = error instanceof TRPCClientError ? (error.data as { httpStatus?: number } | undefined)?.httpStatus : undefined;
  return status !== undefined && status >= 400 && status < 500;
}

/** A session that ended (expired, signed out elsewhere) sends the user back to the sign-in page. */
function onError(error: unknown) {
  if (problemOf(error)?.code === 'UNAUTHENTICATED') setSession(null);
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: { staleTime: 10_000, retry: (count, error) => count < 2 && !isClientError(error) },
    mutations: { retry: false },
  },
});

/** The session's CSRF token lives in the query cache: set by sign-in, fetched with auth.csrf after a reload. */
function csrfHeader(): Record<string, string> {
  const token = queryClient.getQueryData(trpc.auth.csrf.queryKey())?.csrfToken;
  return token ? { 'x-csrf-token': token } : {};
}

export const trpcClient = createTRPCClient<AppRouter>({
  // At most 20 calls a request: the server's default batch limit (HMIS_TRPC_MAX_BATCH).
  links: [httpBatchLink({ url: '/trpc', headers: csrfHeader, maxItems: 20 })],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

/**
 * Signed in (with the token from auth.login) or out: forget everything the previous user saw, then record who is
 * signed in. The auth queries themselves are updated, not removed, because the app is watching them.
 */
export function setSession(session: { user: Staff; csrfToken: string } | null) {
  queryClient.removeQueries({ predicate: (q) => (q.queryKey[0] as string[] | undefined)?.[0] !== 'auth' });
  if (session) queryClient.setQueryData(trpc.auth.csrf.queryKey(), { csrfToken: session.csrfToken });
  else queryClient.removeQueries({ queryKey: trpc.auth.csrf.queryKey() });
  queryClient.setQueryData(trpc.auth.me.queryKey(), { authenticated: session !== null, user: session?.user ?? null });
}
