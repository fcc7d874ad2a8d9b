/**
 * A save that did not go through, at the top of its form. When the server could not be reached (no answer, a proxy's
 * 502/504, the database unavailable) nothing was saved and trying again may work: the alert says so and its Retry
 * button sends the form again, with what is typed in it. Any other refusal is shown as the server worded it.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { TRPCClientError } from '@trpc/client';
import { problemOf } from '../trpc';
import { ProblemAlert } from './status';

/** No answer from the application, or one that says it could not reach its database. */
export function unreachable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data = error.data as { code?: string; httpStatus?: number } | undefined;
  return !data || data.code === 'UNAVAILABLE' || (data.httpStatus ?? 0) >= 502;
}

export function SaveAlert({ error }: { error: unknown }) {
  if (error == null) return null;
  if (!unreachable(error)) return <ProblemAlert error={error} />;
  const problem = problemOf(error);
  return (
    <Alert color="orange" variant="light" role="alert" title="Not saved: the server could not be reached">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm">
          {problem?.code === 'UNAVAILABLE' ? problem.message : 'Nothing was saved. Check the network connection, then try again.'} What you
          entered is still here.
        </Text>
        {/* A submit button: it sends the form again, through its own validation. */}
        <Button type="submit" size="compact-sm">
          Retry
        </Button>
      </Group>
    </Alert>
  );
}
