/**
 * What a patient form shows when the server refused a save: when someone else saved the record first, an offer to load
 * their version (the form starts again from it); otherwise the refusal that names none of the form's fields.
 */
import { Alert, Button, Text } from '@mantine/core';
import type { Patient } from '@hmis/shared';
import { SaveAlert } from '../../components/SaveAlert';
import { problemOf, queryClient, trpc } from '../../trpc';

interface Props {
  patientId: number;
  /** The save's mutation: its error, and reset once their version is loaded. */
  save: { error: unknown; reset: () => void };
  topError: unknown;
  /** Puts the latest record into the form. */
  onLatest: (latest: Patient) => void;
  title: string;
  notSaved: string;
}

export function SaveProblem({ patientId, save, topError, onLatest, title, notSaved }: Props) {
  if (problemOf(save.error)?.code !== 'STALE_VERSION') return <SaveAlert error={topError} />;

  async function loadLatest() {
    const latest = await queryClient.fetchQuery(trpc.patients.get.queryOptions({ id: patientId }, { staleTime: 0 }));
    onLatest(latest);
    save.reset();
  }

  return (
    <Alert color="orange" role="alert" title={title}>
      <Text size="sm" mb="xs">
        {notSaved}
      </Text>
      <Button size="xs" onClick={() => void loadLatest()}>
        Load the latest version
      </Button>
    </Alert>
  );
}
