/**
 * Duplicate therapy: two lines of one prescription in the same WHO ATC level-4 group (shared `duplicateTherapies`, the
 * server's rule). A warning, never a refusal: shown as the second drug is picked, and on the saved prescription from
 * its `duplicateTherapy`.
 */
import { Alert, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { duplicateTherapies, type Drug, type DrugLine } from '@hmis/shared';
import { trpc } from '../../trpc';

export function DuplicateTherapyAlert({ warnings }: { warnings: readonly { message: string }[] }) {
  if (warnings.length === 0) return null;
  return (
    <Alert color="orange" variant="light" p="xs" role="status" aria-label="Duplicate therapy">
      <Stack gap={2}>
        {warnings.map((w) => (
          <Text key={w.message} size="sm" c="var(--hmis-warn-text)" fw={600}>
            {w.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

type Picked = Pick<Drug, 'name' | 'atcCodes'> | null;

/** The warnings for the drugs picked so far (a line without a drug yet takes part in none). */
export function duplicatesAmong(drugs: readonly Picked[]) {
  return duplicateTherapies(drugs.map((d) => ({ drugName: d?.name ?? '', atcCodes: d?.atcCodes ?? [] })));
}

/**
 * For one line added to (or changed on) a saved prescription: the warnings that involve it, against the drugs of the
 * prescription's other lines (their ATC codes are the drugs', fetched once and cached).
 */
export function useDuplicatesWith(others: readonly DrugLine[], drug: Picked) {
  const saved = useQueries({ queries: others.map((l) => trpc.drugs.get.queryOptions({ id: l.drugId }, { staleTime: 5 * 60_000 })) });
  const drugs = [...saved.map((q) => q.data ?? null), drug];
  return drug ? duplicatesAmong(drugs).filter((w) => w.lines.includes(drugs.length - 1)) : [];
}
