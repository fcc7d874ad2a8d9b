// @vitest-environment jsdom
/**
 * The warning before the session ends and the screen after it (issue 11, finding 7). The server ends a session after
 * its idle limit without a request, or 12 hours after sign-in; the client counts from its last request, warns two
 * minutes before with a live countdown, and when time is up signs out on the server and says why and what was not
 * saved. Fake timers stand in for the half hour; the network is a stub that answers as the server would.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionLimits } from '@hmis/shared';
import { sessionActivity, sessionDeadline, sessionStarted, useSessionActivity } from '../../src/app/session-timeout';
import { useMe } from '../../src/app/session';
import { SessionEnded, SessionTimeout } from '../../src/app/SessionTimeout';
import { queryClient, setSession, trpc } from '../../src/trpc';
import { proceduresCalled, renderUi, staff } from './render';

const MINUTE = 60_000;
const START = Date.parse('2026-11-03T08:00:00Z');
/** A session just started: 30 minutes' idle limit, 12 hours from now. */
const limits = (overrides: Partial<SessionLimits> = {}): SessionLimits => ({
  idleMinutes: 30,
  expiresAt: new Date(Date.now() + 12 * 60 * MINUTE).toISOString(),
  ...overrides,
});

/** The server: answers each procedure of a batch from `answers`; a procedure not there is refused as signed out (401). */
function server(answers: Record<string, unknown>) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
    const paths = decodeURIComponent(/\/trpc\/([^?]+)/.exec(String(url))?.[1] ?? '').split(',');
    const refused = paths.some((p) => !(p in answers));
    const body = paths.map((p) =>
      p in answers
        ? { result: { data: answers[p] } }
        : { error: { message: 'Not signed in', code: -32001, data: { code: 'UNAUTHENTICATED', httpStatus: 401 } } },
    );
    return new Response(JSON.stringify(body), { status: refused ? 401 : 200, headers: { 'content-type': 'application/json' } });
  });
}

/** The app's own switch (App.tsx): watching who is signed in, the ended screen instead of the page once the session has ended. */
function Screen({ children }: { children: React.ReactNode }) {
  useMe();
  const { ended } = useSessionActivity();
  return ended ? <SessionEnded end={ended} /> : children;
}

/** A page with a form to type into, and the session timeout as the shell mounts it (`page`: the address). */
function NotesPage({ page = '/patients/1/notes' }: { page?: string }) {
  return (
    <Screen>
      <form>
        <textarea aria-label="New note" />
        <SessionTimeout page={page} />
      </form>
    </Screen>
  );
}
const typeNote = () => fireEvent.input(screen.getByLabelText('New note'), { target: { value: 'Patient comfortable' } });

const user = staff('nurse');
function signedIn(session = limits()) {
  setSession({ user, csrfToken: 'csrf', session });
}

const wait = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
/** Lets a request to the stub server and its answer go through (a few turns of the fake clock). */
async function settle() {
  for (let i = 0; i < 5; i++) await wait(20);
}
const timer = () => screen.getByRole('timer').textContent;

afterEach(() => {
  vi.useRealTimers();
});

describe('when the session will end', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  it('is the idle limit after the last request, less the minute the server may lag in recording use; the warning two minutes before', () => {
    expect(sessionDeadline(limits(), START)).toEqual({ kind: 'idle', warnAt: START + 27 * MINUTE, endsAt: START + 29 * MINUTE });
  });

  it('warns a quarter of a short idle limit before (a test server’s 40 seconds)', () => {
    expect(sessionDeadline(limits({ idleMinutes: 40 / 60 }), START)).toEqual({ kind: 'idle', warnAt: START + 20_000, endsAt: START + 30_000 });
  });

  it('is the 12-hour end when that comes first, or when there is no idle limit; in this computer’s clock', () => {
    const end = START + 12 * 60 * MINUTE;
    expect(sessionDeadline(limits(), end - 10 * MINUTE)).toEqual({ kind: 'lifetime', warnAt: end - 2 * MINUTE, endsAt: end });
    expect(sessionDeadline(limits({ idleMinutes: null }), START).kind).toBe('lifetime');
    // The server's clock is 5 minutes ahead: its 12-hour end comes 5 minutes sooner here.
    expect(sessionDeadline(limits({ idleMinutes: null }), START, 5 * MINUTE).endsAt).toBe(end - 5 * MINUTE);
  });
});

describe('the warning', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  it('appears two minutes before the idle limit with a countdown; Stay signed in asks the server and puts it off', async () => {
    const network = server({ 'auth.me': { authenticated: true, user, session: limits() } });
    signedIn();
    renderUi(<SessionTimeout page="/patients" />);

    await wait(27 * MINUTE - 1000);
    expect(screen.queryByRole('dialog')).toBeNull();
    await wait(1000);
    const dialog = screen.getByRole('dialog', { name: 'Are you still there?' });
    expect(timer()).toBe('2:00');
    expect(dialog.textContent).toContain('after 30 minutes without use');
    await wait(1000);
    expect(timer()).toBe('1:59');
    expect(network).not.toHaveBeenCalled(); // the countdown itself sends nothing: a request would keep the session alive

    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    await settle();
    expect(proceduresCalled(network)).toEqual(['auth.me']);
    expect(screen.queryByRole('dialog')).toBeNull();
    // Counted again from that request: the next warning 27 minutes later.
    await wait(27 * MINUTE - 1000);
    expect(screen.queryByRole('dialog')).toBeNull();
    await wait(1000);
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('is put off by any request that reaches the server, not by typing alone', async () => {
    const network = server({ 'patients.list': { items: [], nextCursor: null } });
    signedIn();
    renderUi(<NotesPage />);
    await wait(20 * MINUTE);
    typeNote();
    await wait(7 * MINUTE);
    // Typing did not reach the server: the warning comes, and says the text is not saved yet.
    expect(screen.getByRole('dialog').textContent).toContain('Text you typed on this page is not saved yet');

    const search = queryClient.fetchQuery(trpc.patients.list.queryOptions({}));
    await settle();
    await search;
    expect(proceduresCalled(network)).toEqual(['patients.list']);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('for the 12-hour end, cannot be put off: Continue closes it until the end', async () => {
    server({});
    signedIn(limits({ idleMinutes: null, expiresAt: new Date(START + 10 * MINUTE).toISOString() }));
    renderUi(<SessionTimeout page="/patients" />);
    await wait(8 * MINUTE);
    expect(screen.getByRole('dialog', { name: 'Your session is about to end' }).textContent).toContain('at most 12 hours');
    expect(screen.queryByRole('button', { name: 'Stay signed in' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await wait(MINUTE);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('when the session has ended', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  it('at the idle limit: signs out on the server, forgets the page, says why and that typed text was not saved', async () => {
    const network = server({ 'auth.logout': { loggedOut: true } });
    signedIn();
    renderUi(<NotesPage />);
    typeNote();
    await wait(29 * MINUTE);
    await settle();

    expect(proceduresCalled(network)).toEqual(['auth.logout']);
    expect(screen.queryByLabelText('New note')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Your session has ended' })).toBeTruthy();
    expect(screen.getByRole('main').textContent).toContain('Your session ended after 30 minutes without use');
    expect(screen.getByRole('alert').textContent).toContain('Text you had typed on this page and not saved could not be kept');
    // The button a screen reader lands on says why the page has gone.
    fireEvent.click(screen.getByRole('button', { name: 'Sign in', description: /ended after 30 minutes without use/ }));
    expect(sessionActivity().ended?.signingIn).toBe(true);
  });

  it('forgets typed text once the page changes: the ended screen then has nothing to own up to', async () => {
    server({ 'auth.logout': { loggedOut: true } });
    signedIn();
    const { rerender } = renderUi(<NotesPage />);
    typeNote();
    rerender(<NotesPage page="/patients" />);
    await wait(29 * MINUTE);
    await settle();
    expect(screen.getByRole('heading', { name: 'Your session has ended' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('when the server refuses a request (401)', () => {
  it('during a save: says the session was ended and the change was not saved', async () => {
    server({});
    signedIn();
    function SaveNote() {
      const save = useMutation(trpc.nurseNotes.create.mutationOptions());
      return <button onClick={() => save.mutate({ patientId: 1, note: 'Patient comfortable' })}>Save note</button>;
    }
    renderUi(
      <Screen>
        <SaveNote />
      </Screen>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save note' }));
    expect((await screen.findByRole('main')).textContent).toContain('The server ended your session');
    expect(screen.getByRole('alert').textContent).toContain('The change you were saving could not be saved');
  });

  it('after the idle time (a computer woken from sleep): says it was the idle limit', async () => {
    server({});
    signedIn();
    sessionStarted(Date.now() - 45 * MINUTE); // the last request, before the computer went to sleep: no timer ran since
    function Page() {
      return <button onClick={() => void queryClient.fetchQuery(trpc.patients.list.queryOptions({})).catch(() => undefined)}>Search</button>;
    }
    renderUi(
      <Screen>
        <Page />
      </Screen>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect((await screen.findByRole('main')).textContent).toContain('after 30 minutes without use');
  });
});
