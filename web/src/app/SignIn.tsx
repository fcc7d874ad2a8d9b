/** Sign in with a username or an email and a password. The address stays as it is: after an ended session the user
 * lands back where they were; someone else signing in at that screen starts afresh on their own start page. */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { problemOf, setSession, trpc } from '../trpc';
import { sessionActivity } from './session-timeout';

interface Values {
  login: string;
  password: string;
}

export function SignIn() {
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (session) => {
        const previous = sessionActivity().ended?.userId;
        // The page was another user's: nothing of it is shown or kept in memory (the new session's cookie is set).
        if (previous !== undefined && previous !== session.user.id) window.location.replace('/');
        else setSession(session);
      },
    }),
  );
  const form = useForm<Values>({ defaultValues: { login: '', password: '' } });
  const problem = problemOf(login.error);
  const errors = form.formState.errors;

  const submit = form.handleSubmit(({ login: name, password }) => {
    const who = name.trim().toLowerCase();
    login.mutate(who.includes('@') ? { email: who, password } : { username: who, password });
  });

  return (
    <Center mih="100vh" bg="gray.1">
      <Paper component="main" withBorder shadow="sm" p="xl" w={360}>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <div>
              <Title order={1}>HMIS</Title>
              <Text c="dimmed" size="sm">
                Hospital Management Information System
              </Text>
            </div>
            {problem && (
              <Alert color="red" role="alert" variant="light">
                {problem.message}
              </Alert>
            )}
            <TextInput
              label="Username or email"
              autoComplete="username"
              autoFocus
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
      </Paper>
    </Center>
  );
}
