/**
 * The one way to the server: a typed tRPC client over /trpc, wrapped for TanStack Query. Pages use
 * `useQuery(trpc.patients.list.queryOptions(...))` and `useMutation(trpc.patients.create.mutationOptions(...))`.
 * Only the router's *type* comes from the server.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import type { AppRouter } from '@hmis/server/router';
import type { FieldError, LoginResult } from '@hmis/shared';
import {
  clearTyped,
  markEnded,
  noteResponse,
  sessionActivity,
  sessionDeadline,
  sessionResumed,
  sessionStarted,
  type SessionEndKind,
} from './app/session-timeout';
import { announceSignedIn } from './app/other-tabs';

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

/** A refusal as signed out that the session link let through (signing in and out themselves): the sign-in dialog. */
const onError = (duringSave: boolean) => (error: unknown) => {
  if (problemOf(error)?.code === 'UNAUTHENTICATED') endSession('refused', duringSave);
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onError(false) }),
  mutationCache: new MutationCache({ onError: onError(true), onSuccess: clearTyped }),
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

/** Every request passes here: each answer keeps the session alive, and the warning before it ends counts from it. */
async function fetchNotingActivity(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const startedAt = Date.now();
  const response = await fetch(input, init);
  noteResponse(startedAt, response);
  return response;
}

/** Signing in and out, and asking who is signed in: never held back (the sign-in dialog uses them). */
const SESSION_CALLS = new Set(['auth.login', 'auth.logout', 'auth.me', 'auth.csrf']);

/**
 * While the session has ended a call waits for the same user to sign in again, then goes, with the new session's
 * CSRF token (the batch link asks for the headers as it sends). A call the server refuses as signed out ends the
 * session here (the sign-in dialog) and waits the same way. So a save refused because the session had ended goes
 * through after sign-in with what was typed, and the pages under the dialog neither fail nor empty meanwhile. If
 * someone else signs in, the page is replaced and the waiting calls with it.
 */
const sessionLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) => {
      let sub: Unsubscribable | undefined;
      let stopped = false;
      const send = () => {
        sub = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => {
            if (problemOf(error)?.code !== 'UNAUTHENTICATED' || SESSION_CALLS.has(op.path)) return observer.error(error);
            endSession('refused', op.type === 'mutation');
            // Nobody was signed in (no dialog to wait for): the refusal stands.
            if (!sessionActivity().ended) return observer.error(error);
            void waitThenSend();
          },
        });
      };
      const waitThenSend = () =>
        sessionResumed(op.signal).then(
          () => !stopped && send(),
          (reason: unknown) => observer.error(TRPCClientError.from(reason instanceof Error ? reason : new Error('Aborted'))),
        );
      const go = () => {
        if (stopped) return;
        if (SESSION_CALLS.has(op.path) || !sessionActivity().ended) send();
        else void waitThenSend();
      };
      // A change needs the session's CSRF token. After a reload the pages show before it has come (App.tsx): a save
      // made in that moment waits for it rather than being refused.
      if (op.type === 'mutation' && op.path !== 'auth.login' && !csrfHeader()['x-csrf-token']) {
        queryClient.fetchQuery(trpc.auth.csrf.queryOptions(undefined, { staleTime: Infinity, retry: false })).then(go, go);
      } else go();
      return () => {
        stopped = true;
        sub?.unsubscribe();
      };
    });

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    sessionLink,
    // At most 20 calls a request: the server's default batch limit (HMIS_TRPC_MAX_BATCH).
    httpBatchLink({ url: '/trpc', headers: csrfHeader, maxItems: 20, fetch: fetchNotingActivity }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

// The CSRF token is kept for as long as the session, whether or not a component is watching it.
queryClient.setQueryDefaults(trpc.auth.csrf.queryKey(), { gcTime: Infinity, staleTime: Infinity });

/**
 * Signed in (with the token from auth.login) or out: forget everything the previous user saw, then record who is
 * signed in. The auth queries themselves are updated, not removed, because the app is watching them.
 */
export function setSession(session: LoginResult | null) {
  queryClient.removeQueries({ predicate: (q) => (q.queryKey[0] as string[] | undefined)?.[0] !== 'auth' });
  if (session) {
    sessionStarted();
    queryClient.setQueryData(trpc.auth.csrf.queryKey(), { csrfToken: session.csrfToken });
    queryClient.setQueryData(trpc.auth.me.queryKey(), { authenticated: true, user: session.user, session: session.session });
  } else {
    queryClient.removeQueries({ queryKey: trpc.auth.csrf.queryKey() });
    queryClient.setQueryData(trpc.auth.me.queryKey(), { authenticated: false, user: null });
  }
}

/**
 * The same user signed in again over the page (the sign-in dialog): the new session's token and limits, the calls
 * that waited go, and what the page shows is fetched again. Nothing is forgotten: it is their page.
 */
export function resumeSession(session: LoginResult) {
  announceSignedIn(session.user.id);
  queryClient.setQueryData(trpc.auth.csrf.queryKey(), { csrfToken: session.csrfToken });
  queryClient.setQueryData(trpc.auth.me.queryKey(), { authenticated: true, user: session.user, session: session.session });
  sessionStarted();
  void queryClient.invalidateQueries({ predicate: (q) => (q.queryKey[0] as string[] | undefined)?.[0] !== 'auth' });
}

/**
 * The session has ended: 'idle' or 'lifetime' when this browser's clock says so (then it is ended on the server too,
 * at once, so a reload cannot bring it back), 'refused' when the server answered that there is none. The page stays
 * mounted (its forms keep what was typed) but hidden under the sign-in dialog, which says why (App.tsx).
 */
export function endSession(reason: SessionEndKind | 'refused', duringSave = false) {
  const me = queryClient.getQueryData(trpc.auth.me.queryKey());
  if (!me?.user) {
    setSession(null);
    return;
  }
  const activity = sessionActivity();
  if (activity.ended) return; // already said (several requests can be refused at once)
  // A refusal after the idle time or the 12 hours is that end, not a mystery.
  const due = me.session ? sessionDeadline(me.session, activity.lastRequestAt, activity.clockOffsetMs) : null;
  const why = reason === 'refused' && due && Date.now() >= due.endsAt ? due.kind : reason;
  markEnded({
    reason: why,
    idleMinutes: me.session?.idleMinutes ?? null,
    unsaved: duringSave ? 'save' : activity.typedAt !== null ? 'typed' : null,
    userId: me.user.id,
  });
  if (reason !== 'refused') void trpcClient.auth.logout.mutate().catch(() => undefined);
}
