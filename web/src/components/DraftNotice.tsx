/** "Draft restored from 10:42, not saved yet — Discard draft": shown at the top of a form that opened from its draft. */
import { Alert, Button, Group, Text } from '@mantine/core';
import { formatDateTime } from '../format';
import type { Draft } from './drafts';

export function DraftNotice({ draft }: { draft: Draft }) {
  if (draft.restoredAt === null) return null;
  return (
    <Alert color="blue" variant="light" p="xs" role="status">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm">
          <strong>Draft restored</strong> from {formatDateTime(new Date(draft.restoredAt).toISOString()).replace('Today ', '')}: not saved
          yet.
        </Text>
        <Button size="compact-sm" variant="default" onClick={draft.discard}>
          Discard draft
        </Button>
      </Group>
    </Alert>
  );
}
