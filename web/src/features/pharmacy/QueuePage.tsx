/**
 * The pharmacy queue: prescriptions waiting to be dispensed, oldest first, each line with the stock on hand; a
 * dispense is confirmed first and takes the stock in one transaction on the server.
 */
import { ButtonLink } from '../../components/links';
import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueries } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { can, listOfAllergies, PRESCRIPTION_STATUSES, type Drug, type Prescription } from '@hmis/shared';
import { useUser } from '../../app/session';
import { SaveAlert } from '../../components/SaveAlert';
import { Empty, ErrorState, RowsSkeleton } from '../../components/status';
import { fullName } from '../../format';
import { queryClient, trpc } from '../../trpc';
import { AllergyBadges } from '../patients/AllergyBadges';
import { usePatient } from '../patients/usePatient';
import { DrugLinesTable, lotText, PrescriptionMeta } from '../prescriptions/PrescriptionView';

const route = getRouteApi('/pharmacy');

function useLineDrugs(p: Prescription): Map<number, Drug> {
  const results = useQueries({ queries: p.lines.map((l) => trpc.drugs.get.queryOptions({ id: l.drugId }, { staleTime: 5_000 })) });
  return new Map(results.flatMap((r) => (r.data ? [[r.data.id, r.data] as const] : [])));
}

function QueueItem({ prescription: p, canDispense }: { prescription: Prescription; canDispense: boolean }) {
  const patient = usePatient(p.patientId);
  const drugs = useLineDrugs(p);
  // What the confirmation shows is what is sent: the prescription as it was when Dispense was pressed. A refetch (the
  // window refocused) may bring the prescriber's change meanwhile; its version would have passed the server's check.
  const [reviewed, setReviewed] = useState<Prescription | null>(null);
  const sentVersion = useRef<number | null>(null);
  const dispense = useMutation(
    trpc.prescriptions.dispense.mutationOptions({
      onSuccess: (done) => {
        void queryClient.invalidateQueries({ queryKey: trpc.prescriptions.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.drugs.pathKey() });
        // The lots that went out stay on screen long enough to label the packs (also under "Dispensed").
        notifications.show({
          color: 'green',
          title: `Dispensed to ${patient.data ? fullName(patient.data) : 'the patient'}`,
          autoClose: 15_000,
          message: (
            <Stack gap={2}>
              {done.lines.map((l) => (
                <Text key={l.id} size="sm">
                  {l.drugName}: {l.dispensedLots.map(lotText).join(', ') || `× ${l.quantity}`}
                </Text>
              ))}
            </Stack>
          ),
        });
      },
    }),
  );
  // The version makes a second send safe: if the first did arrive, the second is refused, not doubled; and a retry
  // sends the version that was confirmed, so a prescription changed since is refused, not dispensed unseen.
  const send = (version: number) => {
    sentVersion.current = version;
    dispense.mutate({ patientId: p.patientId, consultationId: p.consultationId, version });
  };
  const short = (reviewed ?? p).lines.filter((l) => (drugs.get(l.drugId)?.stockOnHand ?? Infinity) < l.quantity);
  const changedMeanwhile = reviewed !== null && reviewed.version !== p.version;
  const name = patient.data ? fullName(patient.data) : `Patient ${p.patientId}`;

  return (
    <Paper withBorder p="sm" component="article" aria-label={`Prescription for ${name}`}>
      <Group justify="space-between" mb={6}>
        <Group gap="xs">
          <Text fw={700}>{name}</Text>
          {patient.data && (
            <Badge variant="outline" color="gray" tt="none" ff="monospace">
              {patient.data.mrn}
            </Badge>
          )}
          {patient.data && <AllergyBadges allergies={patient.data.allergyRecords} none="no known allergies" />}
        </Group>
        {canDispense && p.status === 'pending' && (
          <Button onClick={() => setReviewed(p)} loading={dispense.isPending}>
            Dispense
          </Button>
        )}
      </Group>
      <Stack gap={6}>
        <PrescriptionMeta prescription={p} />
        <SaveAlert
          error={dispense.error}
          notDone="Not dispensed"
          onRetry={() => sentVersion.current !== null && send(sentVersion.current)}
        />
        {p.notes && <Text size="sm">Note: {p.notes}</Text>}
        <DrugLinesTable
          lines={p.lines}
          extra={
            p.status === 'pending'
              ? {
                  header: 'In stock',
                  cell: (l) => {
                    const d = drugs.get(l.drugId);
                    if (!d) return '…';
                    const low = d.stockOnHand < l.quantity;
                    return (
                      <Text span size="sm" c={low ? 'red.9' : undefined} fw={low ? 700 : undefined}>
                        {d.stockOnHand.toLocaleString()}
                        {low ? ' (short)' : ''}
                      </Text>
                    );
                  },
                }
              : undefined
          }
        />
      </Stack>
      <Modal opened={reviewed !== null} onClose={() => setReviewed(null)} title={`Dispense to ${name}?`} centered>
        {reviewed && (
          <Stack gap="sm">
            <Text size="sm">{reviewed.lines.map((l) => `${l.quantity} × ${l.drugName}`).join('; ')}</Text>
            {reviewed.lines.some((l) => l.allergyOverrideReason) && (
              <Text size="sm" c="red.9" fw={600}>
                Allergy override:{' '}
                {reviewed.lines
                  .filter((l) => l.allergyOverrideReason)
                  .map(
                    (l) =>
                      `${l.drugName}${l.allergyOverrideFor ? ` (allergy to ${listOfAllergies(l.allergyOverrideFor)})` : ''} — ${l.allergyOverrideReason}`,
                  )
                  .join('; ')}
              </Text>
            )}
            {short.length > 0 && (
              <Text size="sm" c="red.9">
                Not enough stock for {short.map((l) => l.drugName).join(', ')}: the dispense will be refused and nothing taken.
              </Text>
            )}
            {changedMeanwhile && (
              <Alert color="orange" variant="light" p="xs" title="Changed by the prescriber">
                <Text size="sm">
                  This prescription was changed after you opened this confirmation: review the changed one before dispensing.
                </Text>
                <Button mt="xs" size="xs" variant="default" onClick={() => setReviewed(p)}>
                  Show the changed prescription
                </Button>
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setReviewed(null)}>
                Cancel
              </Button>
              <Button
                data-autofocus
                disabled={changedMeanwhile}
                onClick={() => {
                  setReviewed(null);
                  send(reviewed.version);
                }}
              >
                Confirm dispense
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}

export function QueuePage() {
  const user = useUser();
  const { status = 'pending' } = route.useSearch();
  const navigate = route.useNavigate();
  const queue = useInfiniteQuery(
    trpc.prescriptions.queue.infiniteQueryOptions({ status, limit: 20 }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={1}>Pharmacy queue</Title>
        <ButtonLink to="/drugs" variant="default">
          Drug inventory
        </ButtonLink>
      </Group>
      <SegmentedControl
        mb="sm"
        aria-label="Prescriptions"
        value={status}
        onChange={(v) => void navigate({ to: '/pharmacy', search: { status: v as typeof status } })}
        data={PRESCRIPTION_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))}
      />
      {queue.isPending ? (
        <RowsSkeleton />
      ) : queue.isError ? (
        <ErrorState error={queue.error} onRetry={() => void queue.refetch()} />
      ) : (
        <Stack gap="sm">
          {items.map((p) => (
            <QueueItem key={p.id} prescription={p} canDispense={can(user.role, 'prescription:dispense')} />
          ))}
          {items.length === 0 && (
            <Empty>
              {status === 'pending'
                ? 'The queue is empty: no prescriptions are waiting. New prescriptions appear here as doctors write them.'
                : `No ${status} prescriptions. “Pending” lists those waiting to be dispensed.`}
            </Empty>
          )}
          {queue.hasNextPage && (
            <Button variant="subtle" size="xs" loading={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()}>
              Show more
            </Button>
          )}
        </Stack>
      )}
    </>
  );
}
