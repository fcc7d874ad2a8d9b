/**
 * Before the session ends, a warning with a countdown (Stay signed in / Sign out) (issue 11, finding 7). After it has
 * ended, the sign-in dialog over the page says why (SignIn.tsx). A shared ward workstation must never greet the next
 * person, or the clinician coming back, with a page of failing requests.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, VisuallyHidden } from '@mantine/core';
import { endSession, problemOf, queryClient, trpc, trpcClient } from '../trpc';
import { useMe, useSignOut } from './session';
import {
  clearTyped,
  countdownText,
  idleLimitText,
  noteTyped,
  sessionDeadline,
  useSessionActivity,
  type SessionDeadline,
} from './session-timeout';

export interface SessionCountdown {
  deadline: SessionDeadline;
  remainingMs: number;
  idleMinutes: number | null;
}

/** The countdown while the session is about to end, null otherwise. When time is up, the session is ended here. */
export function useSessionCountdown(): SessionCountdown | null {
  const limits = useMe().data?.session;
  const { lastRequestAt, clockOffsetMs } = useSessionActivity();
  const [now, setNow] = useState(Date.now);
  const deadline = limits ? sessionDeadline(limits, lastRequestAt, clockOffsetMs) : null;
  const { kind, warnAt, endsAt } = deadline ?? {};

  useEffect(() => {
    if (kind === undefined || warnAt === undefined || endsAt === undefined) return;
    const t = Date.now();
    if (t >= endsAt) {
      endSession(kind);
      return;
    }
    // Wake at the warning, then on each second of the countdown.
    const timer = setTimeout(() => setNow(Date.now()), t < warnAt ? warnAt - t : (endsAt - t) % 1000 || 1000);
    return () => clearTimeout(timer);
  }, [now, kind, warnAt, endsAt]);

  // A computer woken from sleep or a tab brought back has timers that fired late, or not yet: look at the clock now.
  useEffect(() => {
    const look = () => setNow(Date.now());
    document.addEventListener('visibilitychange', look);
    window.addEventListener('focus', look);
    return () => {
      document.removeEventListener('visibilitychange', look);
      window.removeEventListener('focus', look);
    };
  }, []);

  if (!deadline || now < deadline.warnAt || now >= deadline.endsAt) return null;
  return { deadline, remainingMs: deadline.endsAt - now, idleMinutes: limits?.idleMinutes ?? null };
}

/** What a screen reader says while the countdown runs: not every second, only as the end comes near. */
function spokenCountdown(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s <= 10) return '10 seconds left';
  if (s <= 30) return '30 seconds left';
  if (s <= 60) return '1 minute left';
  return '';
}

/** Mounted once in the signed-in shell; `page` is the current address (a new page leaves nothing typed pending). */
export function SessionTimeout({ page }: { page: string }) {
  const countdown = useSessionCountdown();
  const { typedAt } = useSessionActivity();
  const signOut = useSignOut();
  const [staying, setStaying] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** The 12-hour warning, put aside with Continue (it cannot be put off): the end it was about. */
  const [dismissed, setDismissed] = useState<number | null>(null);

  // Text typed into a form is lost if the session ends before it is saved: the warning and the ended screen say so.
  useEffect(() => {
    const onInput = (e: Event) => {
      if (e.target instanceof Element && e.target.closest('form')) noteTyped();
    };
    document.addEventListener('input', onInput, true);
    return () => document.removeEventListener('input', onInput, true);
  }, []);
  useEffect(() => clearTyped(), [page]);

  const open = countdown !== null && !(countdown.deadline.kind === 'lifetime' && dismissed === countdown.deadline.endsAt);
  useEffect(() => {
    if (!open) setProblem(null);
  }, [open]);
  if (!countdown) return null;
  const { deadline, remainingMs, idleMinutes } = countdown;

  /** Any answer from the server restarts its idle clock; me also brings the session's limits up to date. */
  const stay = async () => {
    setStaying(true);
    setProblem(null);
    try {
      const me = await trpcClient.auth.me.query();
      if (me.user) queryClient.setQueryData(trpc.auth.me.queryKey(), me);
      else endSession('refused');
    } catch (error) {
      setProblem(problemOf(error)?.message ?? 'The server did not answer');
    } finally {
      setStaying(false);
    }
  };

  const idle = deadline.kind === 'idle';
  return (
    <Modal
      opened={open}
      onClose={() => (idle ? void stay() : setDismissed(deadline.endsAt))}
      title={idle ? 'Are you still there?' : 'Your session is about to end'}
      centered
      closeOnClickOutside={false}
      withCloseButton={false}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      <Stack gap="sm">
        <Text size="lg">
          You will be signed out in{' '}
          <Text span inherit fw={700} role="timer">
            {countdownText(remainingMs)}
          </Text>
          {idle ? ' for inactivity.' : '.'}
        </Text>
        <Text size="sm" c="dimmed">
          {idle
            ? `HMIS signs you out after ${idleLimitText(idleMinutes ?? 0)} without use, to keep patient information private on a shared computer.`
            : 'A session lasts at most 12 hours: save your work now, then sign in again.'}
        </Text>
        <VisuallyHidden aria-live="polite">{spokenCountdown(remainingMs)}</VisuallyHidden>
        {typedAt !== null && (
          <Alert color="orange" variant="light">
            Text you typed on this page is not saved yet.{idle ? ' Stay signed in, then save it.' : ' Save it now.'}
          </Alert>
        )}
        {problem && (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            Sign out
          </Button>
          {idle ? (
            <Button data-autofocus onClick={() => void stay()} loading={staying}>
              Stay signed in
            </Button>
          ) : (
            <Button data-autofocus onClick={() => setDismissed(deadline.endsAt)}>
              Continue
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
