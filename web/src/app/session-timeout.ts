/**
 * When the signed-in session will end, as this browser can know it (issue 11, finding 7). The server ends a session
 * after its idle limit without a request, or 12 hours after sign-in; only requests keep it alive, not mouse or keys.
 * So the clock here is the time of the last request that reached the server (any tab: they share the session), kept
 * by the tRPC client's fetch. Nothing here imports the client: trpc.ts reports to it.
 */
import { useSyncExternalStore } from 'react';
import { sessionTouchMs, type SessionLimits } from '@hmis/shared';

/** The warning comes this long before the end (less for a very short idle limit: a quarter of it). */
export const WARN_BEFORE_MS = 2 * 60_000;

export type SessionEndKind = 'idle' | 'lifetime';

export interface SessionDeadline {
  kind: SessionEndKind;
  /** When to warn and when the session ends, in this computer's clock (ms since the epoch). */
  warnAt: number;
  endsAt: number;
}

/**
 * The next end of the session: the idle limit after the last request, or the 12-hour end, whichever comes first.
 * The server records a session's use at most every sessionTouchMs, so its idle clock may have started that much before
 * the last request: the end is taken that much early, never late. `clockOffsetMs` is the server's clock minus ours.
 */
export function sessionDeadline(limits: SessionLimits, lastRequestAt: number, clockOffsetMs = 0): SessionDeadline {
  const lifetimeEnd = Date.parse(limits.expiresAt) - clockOffsetMs;
  const lifetime: SessionDeadline = { kind: 'lifetime', warnAt: lifetimeEnd - WARN_BEFORE_MS, endsAt: lifetimeEnd };
  if (limits.idleMinutes === null) return lifetime;
  const idleMs = limits.idleMinutes * 60_000;
  const idleEnd = lastRequestAt + idleMs - sessionTouchMs(idleMs);
  if (idleEnd >= lifetimeEnd) return lifetime;
  return { kind: 'idle', warnAt: idleEnd - Math.min(WARN_BEFORE_MS, idleMs / 4), endsAt: idleEnd };
}

/** "30 minutes", "1 minute", "40 seconds": the idle limit as the user is told it. */
export function idleLimitText(idleMinutes: number): string {
  const seconds = Math.round(idleMinutes * 60);
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/** "1:59": minutes and seconds left, rounded up (the end is never sooner than it says). */
export function countdownText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Why the sign-in dialog is over the page, and what is waiting to be saved. */
export interface SessionEnd {
  /** 'refused': the server answered that there is no session (signed out elsewhere, password changed, deactivated). */
  reason: SessionEndKind | 'refused';
  idleMinutes: number | null;
  /**
   * 'save': a change was being saved when the server refused it (it is sent again after sign-in); 'typed': text typed
   * since the last save is on the page.
   */
  unsaved: 'save' | 'typed' | null;
  /** Who was signed in: they get the page back, anyone else starts afresh on their own. */
  userId: number;
  /** When it ended (this computer's clock). */
  at: number;
}

export interface SessionActivity {
  /** The last request that reached the server (ms since the epoch, this computer's clock). */
  lastRequestAt: number;
  /** The server's clock minus this computer's (from the Date header), for the 12-hour end. */
  clockOffsetMs: number;
  /** Text typed in a form since the last successful save (or page change), when; null if none. */
  typedAt: number | null;
  ended: SessionEnd | null;
}

const SHARED_KEY = 'hmis.lastRequestAt';

function sharedLastRequest(): number {
  try {
    return Number(window.localStorage.getItem(SHARED_KEY)) || 0;
  } catch {
    return 0;
  }
}

let state: SessionActivity = {
  lastRequestAt: typeof window === 'undefined' ? 0 : sharedLastRequest(),
  clockOffsetMs: 0,
  typedAt: null,
  ended: null,
};
const listeners = new Set<() => void>();

function update(change: Partial<SessionActivity>) {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab's requests keep this tab's session alive too: it is the same session.
  const onStorage = (e: StorageEvent) => {
    if (e.key === SHARED_KEY && Number(e.newValue) > state.lastRequestAt) update({ lastRequestAt: Number(e.newValue) });
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useSessionActivity(): SessionActivity {
  return useSyncExternalStore(subscribe, () => state);
}

export const sessionActivity = (): SessionActivity => state;

function setLastRequest(at: number) {
  update({ lastRequestAt: at });
  try {
    window.localStorage.setItem(SHARED_KEY, String(at));
  } catch {
    // Storage refused (private mode, quota): this tab still keeps its own clock.
  }
}

/** Every answer from the server: a request that got one (other than "not signed in") kept the session alive. */
export function noteResponse(startedAt: number, response: Response) {
  const date = Date.parse(response.headers?.get('date') ?? '');
  const clockOffsetMs = Number.isNaN(date) ? state.clockOffsetMs : date - (startedAt + Date.now()) / 2;
  if (clockOffsetMs !== state.clockOffsetMs) update({ clockOffsetMs });
  if (response.status !== 401 && startedAt > state.lastRequestAt) setLastRequest(startedAt);
}

/** A new session (sign-in): its clock starts now, nothing is pending, nothing has ended. */
export function sessionStarted(at = Date.now()) {
  setLastRequest(at);
  update({ typedAt: null, ended: null });
}

export function noteTyped(at = Date.now()) {
  update({ typedAt: at });
}

/** A save went through, or the page changed: nothing typed is pending any more. */
export function clearTyped() {
  if (state.typedAt !== null) update({ typedAt: null });
}

export function markEnded(end: Omit<SessionEnd, 'at'>) {
  if (!state.ended) update({ ended: { ...end, at: Date.now() }, typedAt: null });
}

/**
 * Resolves when the session is going again (the same user signed in: sessionStarted); rejects if `signal` aborts
 * first. Requests wait here while the sign-in dialog is shown.
 */
export function sessionResumed(signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (state.ended) return;
      stop();
      resolve();
    };
    const abort = () => {
      stop();
      reject(signal?.reason);
    };
    const stop = () => {
      listeners.delete(check);
      signal?.removeEventListener('abort', abort);
    };
    if (signal?.aborted) return reject(signal.reason);
    listeners.add(check);
    signal?.addEventListener('abort', abort, { once: true });
    check();
  });
}
