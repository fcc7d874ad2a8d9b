/**
 * Signing in: the page when nobody is signed in, and the dialog over the page when a session has ended (issue 13).
 * Loaded only when needed (decision 023). The address stays as it is: after a reload the user lands where they were.
 *
 * The dialog covers the page completely (the page under it is hidden too, App.tsx): a shared ward workstation shows
 * nothing of the previous user's patients to whoever comes to it. The same user signing in gets the page back as it
 * was, with what they typed, and a save that was refused is sent again. Anyone else starts afresh on their own start
 * page: the page, what was typed on it and the previous user's drafts are discarded (decision 024).
 */
import { useEffect } from 'react';
import { Alert, Button, Center, Modal, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { LoginResult } from '@hmis/shared';
import { dropDrafts } from '../components/drafts';
import { problemOf, resumeSession, setSession, trpc } from '../trpc';
import { announceSignedIn, lastTabUser } from './other-tabs';
import { idleLimitText, type SessionEnd } from './session-timeout';

interface Values {
  login: string;
  password: string;
}

function SignInForm({ onSignedIn, autoFocus }: { onSignedIn: (session: LoginResult) => void; autoFocus?: boolean }) {
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess: onSignedIn }));
  const form = useForm<Values>({ defaultValues: { login: '', password: '' } });
  const problem = problemOf(login.error);
  const errors = form.formState.errors;

  const submit = form.handleSubmit(({ login: name, password }) => {
    const who = name.trim().toLowerCase();
    login.mutate(who.includes('@') ? { email: who, password } : { username: who, password });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {problem && (
          <Alert color="red" role="alert" variant="light">
            {problem.message}
          </Alert>
        )}
        <TextInput
          label="Username or email"
          autoComplete="username"
          autoFocus={autoFocus}
          data-autofocus
          error={errors.login?.message}
          {...form.register('login', { validate: (v) => v.trim() !== '' || 'Enter your username or email' })}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          error={errors.password?.message}
          {...form.register('password', { required: 'Enter your password' })}
        />
        <Button type="submit" loading={login.isPending}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}

export function SignIn() {
  return (
    <Center mih="100vh" bg="gray.1">
      <Paper component="main" withBorder shadow="sm" p="xl" w={360}>
        <Stack gap="sm">
          <div>
            <Title order={1}>HMIS</Title>
            <Text c="dimmed" size="sm">
              Hospital Management Information System
            </Text>
          </div>
          <SignInForm
            autoFocus
            onSignedIn={(session) => {
              // Drafts left by someone else in this browser are theirs: never shown to this user, and not kept.
              dropDrafts(session.user.id);
              // Someone else used this tab last: this user starts at their own start page, not on the page (a patient,
              // a search) left in the address bar (other-tabs.ts).
              const previous = lastTabUser();
              announceSignedIn(session.user.id);
              if (previous !== null && previous !== session.user.id && window.location.pathname !== '/') {
                window.location.replace('/');
                return;
              }
              setSession(session);
            }}
          />
        </Stack>
      </Paper>
    </Center>
  );
}

/** After this long with nobody signing in, the page under the dialog is let go (what was typed stays as its draft). */
export const KEEP_PAGE_MS = 30 * 60_000;

function endedBecause(end: SessionEnd): string {
  if (end.reason === 'idle' && end.idleMinutes !== null) {
    return `Your session ended after ${idleLimitText(end.idleMinutes)} without use, to keep patient information private on a shared computer.`;
  }
  if (end.reason === 'lifetime') return 'Your session ended because you had been signed in for 12 hours, the longest a session lasts.';
  return 'The server ended your session: you may have signed out in another window, or your password or account was changed.';
}

/**
 * Everything on the screen but this dialog — the app, and any dialog or toast it had open — becomes inert while it is
 * shown: nothing of it can be focused or is read out, as nothing of it can be seen.
 */
function makeTheRestInert(node: HTMLElement | null) {
  const own = node?.closest('[data-portal]');
  if (!own) return;
  const others = [...document.body.children].filter((el) => el !== own && !el.hasAttribute('inert'));
  for (const el of others) el.setAttribute('inert', '');
  return () => {
    for (const el of others) el.removeAttribute('inert');
  };
}

/**
 * The shell's shortcuts (Ctrl+K, `/`, Ctrl+1…9, Alt+N, Ctrl+S) listen on the document; pressed in this dialog they
 * would act on the hidden page (open the palette under the overlay, change the page). Keys stay here, all but Tab,
 * which the dialog's own focus trap listens for on the document; typing is not affected (only the document's
 * listeners are skipped). Ctrl+S does not become the browser's "save page" either: it would save the hidden page too.
 */
function keepKeysHere(event: React.KeyboardEvent) {
  if (event.key === 'Tab') return;
  event.stopPropagation();
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') event.preventDefault();
}

export function SessionEndedDialog({ end }: { end: SessionEnd }) {
  // Memory is not kept forever on an unattended computer: the page goes, its drafts stay for the same user.
  useEffect(() => {
    const timer = setTimeout(() => window.location.reload(), Math.max(0, end.at + KEEP_PAGE_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [end.at]);

  const signedIn = (session: LoginResult) => {
    if (session.user.id === end.userId) {
      dropDrafts(session.user.id);
      resumeSession(session);
    } else {
      // Someone else: nothing of the previous user's page, pending save or drafts is kept (the new cookie is set).
      dropDrafts(null);
      announceSignedIn(session.user.id);
      window.location.replace('/');
    }
  };

  return (
    <Modal
      opened
      onClose={() => undefined}
      title="Your session has ended"
      centered
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      // Opaque and at once (no fade): nothing of the page shows through, not even for a moment.
      overlayProps={{ backgroundOpacity: 1, color: '#f1f3f5' }}
      transitionProps={{ duration: 0 }}
      zIndex={2000}
      portalProps={{ reuseTargetNode: false }}
      size={420}
      styles={{ title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-xl)' } }}
    >
      <Stack gap="sm" ref={makeTheRestInert} onKeyDown={keepKeysHere}>
        <Text>{endedBecause(end)}</Text>
        {end.unsaved && (
          <Alert color="blue" variant="light" title={end.unsaved === 'save' ? 'Not saved yet' : 'Your work is kept'}>
            {end.unsaved === 'save'
              ? 'Your change is kept. Sign in and it will be saved.'
              : 'What you typed is kept. Sign in to continue where you were.'}
          </Alert>
        )}
        <SignInForm onSignedIn={signedIn} />
        <Text size="sm" c="dimmed">
          Someone else? Sign in with your own account to start afresh; this page closes without saving.
        </Text>
      </Stack>
    </Modal>
  );
}
