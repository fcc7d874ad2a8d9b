/** Loading, empty, error and "who may still change this" states, the same on every screen. */
import type { ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Skeleton, Stack, Text } from '@mantine/core';
import type { Staff } from '@hmis/shared';
import { editWindow, formatDateTime } from '../format';
import { problemOf } from '../trpc';
import classes from './status.module.css';

export function PageLoader({ what = 'Loading' }: { what?: string }) {
  return (
    <Center mih={200} role="status" aria-live="polite">
      <Group gap="xs">
        <Loader size="sm" />
        <Text c="dimmed">{what}…</Text>
      </Group>
    </Center>
  );
}

/** Placeholder rows while a list loads. */
export function RowsSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <Stack gap={6} role="status" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={22} />
      ))}
    </Stack>
  );
}

/** Placeholder for a page while its record loads: a title, a line under it, then rows. */
export function PageSkeleton() {
  return (
    <Stack gap="sm" role="status" aria-label="Loading">
      <Skeleton height={30} width="40%" />
      <Skeleton height={16} width="60%" />
      {Array.from({ length: 5 }, (_, i) => (
        <Skeleton key={i} height={22} />
      ))}
    </Stack>
  );
}

/** A failed load: what happened, and a way to try again. */
export function ErrorState({ title = 'Could not load this', error, onRetry }: { title?: string; error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{problemOf(error)?.message ?? 'Unknown error'}</Text>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** A server refusal shown at the top of a form (field messages go beside their fields). */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const problem = problemOf(error);
  if (!problem) return null;
  return (
    <Alert color="red" variant="light" role="alert" title={title}>
      {problem.message}
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm" py="sm">
      {children}
    </Text>
  );
}

interface Authored {
  createdBy: number | null;
  createdAt: string;
  editableUntil: string;
}

/** Only the author, within the 24-hour window, may change or delete a clinical record. */
export function canChange(record: Authored, user: Staff): boolean {
  return record.createdBy === user.id && editWindow(record.editableUntil).open;
}

/**
 * "editable until 14:05 by Dr X" while open; "locked" for everyone after. A styled span with a native tooltip, not
 * Mantine's Badge in a Tooltip: tables draw one per row as they scroll (issue 13's scrolling benchmark).
 */
export function EditWindowBadge({ record, author }: { record: Authored; author?: string }) {
  const w = editWindow(record.editableUntil);
  if (!w.open)
    return (
      <span
        className={`${classes.badge} ${classes.locked}`}
        title="Clinical records can be changed only by their author within 24 hours of creation"
      >
        locked
      </span>
    );
  return (
    <span
      className={`${classes.badge} ${classes.open}`}
      title={`Created ${formatDateTime(record.createdAt)}${author ? ` by ${author}` : ''}; only the author can change it`}
    >
      {w.label}
    </span>
  );
}
