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

/**
 * `onRetry` is for an action outside a form (a button such as Dispense): Retry calls it. In a form, Retry submits the
 * form. `notDone` names what did not happen ("Not dispensed").
 */
export function SaveAlert({ error, onRetry, notDone = 'Not saved' }: { error: unknown; onRetry?: () => void; notDone?: string }) {
  if (error == null) return null;
  if (!unreachable(error)) return <ProblemAlert error={error} />;
  const problem = problemOf(error);
  return (
    <Alert color="orange" variant="light" role="alert" title={`${notDone}: the server could not be reached`}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm">
          {problem?.code === 'UNAVAILABLE' ? problem.message : 'Nothing was saved. Check the network connection, then try again.'}
          {onRetry ? '' : ' What you entered is still here.'}
        </Text>
        {onRetry ? (
          <Button size="compact-sm" style={{ flexShrink: 0 }} onClick={onRetry}>
            Retry
          </Button>
        ) : (
          // A submit button: it sends the form again, through its own validation.
          <Button type="submit" size="compact-sm" style={{ flexShrink: 0 }}>
            Retry
          </Button>
        )}
      </Group>
    </Alert>
  );
}
