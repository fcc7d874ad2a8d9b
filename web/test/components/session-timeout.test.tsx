// @vitest-environment jsdom
/**
 * The warning before the session ends and the sign-in dialog after it (issue 11, finding 7; issue 13). The server ends
 * a session after its idle limit without a request, or 12 hours after sign-in; the client counts from its last
 * request, warns two minutes before with a live countdown, and when time is up signs out on the server and covers the
 * page with the sign-in dialog, keeping what was typed and any refused save for the same user's return. Fake timers
 * stand in for the half hour; the network is a stub that answers as the server would.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionLimits, Staff } from '@hmis/shared';
import { KeptPage } from '../../src/app/App';
import { sessionActivity, sessionDeadline, sessionStarted } from '../../src/app/session-timeout';
import { useMe } from '../../src/app/session';
import { SessionTimeout } from '../../src/app/SessionTimeout';
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

/** The app's own frame (App.tsx): watching who is signed in, the page hidden under the sign-in dialog once the session has ended. */
function Screen({ children }: { children: React.ReactNode }) {
  useMe();
  return <KeptPage>{children}</KeptPage>;
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
// The sign-in dialog is its own chunk (App.tsx loads it once signed in): here too, before the fake clocks start.
beforeAll(async () => {
  await import('../../src/app/SignIn');
});

describe('when the session will end', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: START });
  });

  it('is the idle limit after the last request, less the minute the server may lag in recording use; the warning two minutes before', () => {
    expect(sessionDeadline(limits(), START)).toEqual({ kind: 'idle', warnAt: START + 27 * MINUTE, endsAt: START + 29 * MINUTE });
  });

  it('warns a quarter of a short idle limit before (a test server’s 40 seconds)', () => {
    expect(sessionDeadline(limits({ idleMinutes: 40 / 60 }), START)).toEqual({
      kind: 'idle',
      warnAt: START + 20_000,
      endsAt: START + 30_000,
    });
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

  it('at the idle limit: signs out on the server and covers the page with the sign-in dialog; the page is hidden, not lost', async () => {
    const network = server({ 'auth.logout': { loggedOut: true } });
    signedIn();
    renderUi(<NotesPage />);
    typeNote();
    await wait(29 * MINUTE);
    await settle();

    expect(proceduresCalled(network)).toEqual(['auth.logout']);
    const dialog = screen.getByRole('dialog', { name: 'Your session has ended' });
    expect(dialog.textContent).toContain('Your session ended after 30 minutes without use');
    expect(dialog.textContent).toContain('What you typed is kept. Sign in to continue where you were.');
    within(dialog).getByLabelText('Username or email');
    // Nothing of the page can be seen or reached, but the note is still in its form.
    expect(screen.queryByRole('textbox', { name: 'New note' })).toBeNull();
    expect(screen.getByLabelText<HTMLTextAreaElement>('New note').value).toBe('Patient comfortable');
  });

  it('says nothing is waiting once the page has changed since the typing', async () => {
    server({ 'auth.logout': { loggedOut: true } });
    signedIn();
    const { rerender } = renderUi(<NotesPage />);
    typeNote();
    rerender(<NotesPage page="/patients" />);
    await wait(29 * MINUTE);
    await settle();
    const dialog = screen.getByRole('dialog', { name: 'Your session has ended' });
    expect(dialog.textContent).not.toContain('kept');
  });
});

/** Signs in through the dialog as `who` (the stub server answers auth.login with a new session and CSRF token). */
async function signInAgain(answers: Record<string, unknown>, who: Staff) {
  answers['auth.login'] = { user: who, csrfToken: 'csrf-2', session: limits() };
  const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' });
  fireEvent.input(within(dialog).getByLabelText('Username or email'), { target: { value: who.username } });
  fireEvent.input(within(dialog).getByLabelText('Password'), { target: { value: 'secret' } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
}

/** The CSRF token each request to `procedure` carried. */
function tokensSent(network: ReturnType<typeof server>, procedure: string): unknown[] {
  return network.mock.calls
    .filter(([url]) => String(url).includes(procedure))
    .map(([, init]) => (init?.headers as Record<string, string> | undefined)?.['x-csrf-token']);
}

describe('when the server refuses a request (401)', () => {
  function SaveNote() {
    const save = useMutation(trpc.nurseNotes.create.mutationOptions());
    return (
      <>
        <button onClick={() => save.mutate({ patientId: 1, note: 'Patient comfortable' })}>Save note</button>
        {save.isSuccess && <p>Saved</p>}
      </>
    );
  }

  /** Signed in, a note saved on a server that no longer has the session: it answers what is put in `answers`. */
  function saveRefused() {
    const answers: Record<string, unknown> = {};
    const network = server(answers);
    signedIn();
    renderUi(
      <Screen>
        <SaveNote />
      </Screen>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save note' }));
    return { answers, network };
  }

  it('during a save: the save waits under the sign-in dialog and is sent again, as typed and with the new token, when the same user signs in', async () => {
    const { answers, network } = saveRefused();
    const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' });
    expect(dialog.textContent).toContain('The server ended your session');
    expect(dialog.textContent).toContain('Your change is kept. Sign in and it will be saved.');

    answers['nurseNotes.create'] = { id: 1 };
    await signInAgain(answers, user);
    await screen.findByText('Saved');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(proceduresCalled(network)).toEqual(['nurseNotes.create', 'auth.login', 'nurseNotes.create']);
    const sent = network.mock.calls.filter(([url]) => String(url).includes('nurseNotes.create')).map(([, init]) => String(init?.body));
    expect(sent[1]).toBe(sent[0]);
    expect(tokensSent(network, 'nurseNotes.create')).toEqual(['csrf', 'csrf-2']);
  });

  it('while the dialog is up, nothing else is sent: a query waits for the sign-in, then goes', async () => {
    const { answers, network } = saveRefused();
    await screen.findByRole('dialog', { name: 'Your session has ended' });
    const search = queryClient.fetchQuery(trpc.patients.list.queryOptions({}));
    await new Promise((r) => setTimeout(r, 50));
    expect(proceduresCalled(network)).toEqual(['nurseNotes.create']);

    answers['nurseNotes.create'] = { id: 1 };
    answers['patients.list'] = { items: [], nextCursor: null };
    await signInAgain(answers, user);
    await expect(search).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('after the idle time (a computer woken from sleep): says it was the idle limit', async () => {
    server({});
    signedIn();
    sessionStarted(Date.now() - 45 * MINUTE); // the last request, before the computer went to sleep: no timer ran since
    function Page() {
      return (
        <button onClick={() => void queryClient.fetchQuery(trpc.patients.list.queryOptions({})).catch(() => undefined)}>Search</button>
      );
    }
    renderUi(
      <Screen>
        <Page />
      </Screen>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect((await screen.findByRole('dialog', { name: 'Your session has ended' })).textContent).toContain('after 30 minutes without use');
    expect(sessionActivity().ended?.reason).toBe('idle');
  });
});
