/**
 * The patient search, shared by the Patients page and the list beside a chart on wide screens (issue 13: list and
 * detail side by side), so both show the same results for the same words.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { trpc } from '../../trpc';

/**
 * How long typing must pause before the search is sent. Issue 13 wants the results painted within 150 ms of the last
 * key, and every millisecond waited here is spent after that key; the search itself answers in a few ms at 1M
 * patients and writes nothing (a list is not a chart view). People type a key every 100–250 ms, so any wait up to
 * that sends a request per key anyway: the wait only folds key repeat and pasted or dictated bursts (keys < 25 ms
 * apart) into one request. Was 200 ms, then 80 ms.
 */
export const SEARCH_WAIT_MS = 25;

/**
 * The last words searched, by whom: the list beside a chart starts from what the Patients page found. In memory
 * only — it can hold a patient's name — so it goes with a reload, and another user signing in never sees it.
 */
let last = { userId: 0, q: '' };
const listeners = new Set<() => void>();

export function setLastPatientSearch(userId: number, q: string) {
  if (last.userId === userId && last.q === q) return;
  last = { userId, q };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLastPatientSearch(userId: number): string {
  const current = useSyncExternalStore(subscribe, () => last);
  return current.userId === userId ? current.q : '';
}

/** Patients matching `q` (typed text; waited for SEARCH_WAIT_MS), 50 a page, the next page as the list scrolls. */
export function usePatientSearch(q: string) {
  const [search] = useDebouncedValue(q.trim(), SEARCH_WAIT_MS);
  const list = useInfiniteQuery(
    trpc.patients.list.infiniteQueryOptions(
      { q: search || undefined, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const patients = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  /** The pages for DataTable and, where the server gives it (the unfiltered list), how many patients there are. */
  const paged = {
    hasNextPage: list.hasNextPage,
    isFetchingNextPage: list.isFetchingNextPage,
    fetchNextPage: list.fetchNextPage,
    total: list.data?.pages[0]?.total,
  };
  return { search, list, patients, paged };
}
