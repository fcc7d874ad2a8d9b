/**
 * Change my own password. The session continues under a new id; every other session of mine ends. No draft: passwords
 * are never written to the browser's storage (decision 024); a save that could not reach the server offers Retry.
 */
import { useState } from 'react';
import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { LIMITS, PasswordChangeInput } from '@hmis/shared';
import { useUser } from '../../app/session';
import { formSchema, useServerErrors, useSchemaForm } from '../../components/forms';
import { SaveAlert } from '../../components/SaveAlert';
import { queryClient, trpc } from '../../trpc';

interface Values {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

export function ChangePassword() {
  const user = useUser();
  const schema = formSchema(PasswordChangeInput, (v: Values) => ({ currentPassword: v.currentPassword, newPassword: v.newPassword }));
  const form = useSchemaForm<Values>(schema, { defaultValues: { currentPassword: '', newPassword: '', repeat: '' } });
  const [done, setDone] = useState(false);
  const { topError, onServerError } = useServerErrors(form, ['currentPassword', 'newPassword']);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: (res) => {
        queryClient.setQueryData(trpc.auth.csrf.queryKey(), { csrfToken: res.csrfToken });
        // A new session, with its own 12 hours: the warning before its end needs them.
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        form.reset();
        setDone(true);
        notifications.show({ color: 'green', message: 'Password changed' });
      },
      onError: onServerError,
    }),
  );
  const e = form.formState.errors;
  return (
    <Paper withBorder p="md" maw={440}>
      <Title order={1} mb="xs">
        Change my password
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Signed in as {user.username}. Your other sessions (other computers) will be signed out.
      </Text>
      <form
        noValidate
        onSubmit={form.handleSubmit(() => {
          const v = form.getValues();
          if (v.repeat !== v.newPassword) {
            form.setError('repeat', { message: 'The two new passwords are not the same' }, { shouldFocus: true });
            return;
          }
          setDone(false);
          change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword });
        })}
      >
        <Stack gap="xs">
          {done && <Alert color="green">Your password has been changed.</Alert>}
          <SaveAlert error={topError} />
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            error={e.currentPassword?.message}
            {...form.register('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description={`At least ${LIMITS.passwordMin} characters`}
            autoComplete="new-password"
            error={e.newPassword?.message}
            {...form.register('newPassword')}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            error={e.repeat?.message}
            {...form.register('repeat')}
          />
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
