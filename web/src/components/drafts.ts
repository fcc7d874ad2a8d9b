/**
 * Drafts (issue 13, "no lost work", decision 024): what a form holds is kept in this browser until it is saved or
 * discarded, so a reload, a closed tab or an ended session does not lose it. A draft is stored under
 * `hmis-draft:<userId>:<form>:<patientId or none>` and read only under the signed-in user's own id. A user's drafts
 * go when they sign out; everyone else's when someone signs in (so one user's drafts at most are at rest in a
 * browser); any draft after 24 hours. A field named in the key's `exclude` (a password) is never written.
 */
import { useEffect, useRef, useState } from 'react';
import type { DefaultValues, FieldValues, UseFormReturn } from 'react-hook-form';
import { queryClient, trpc } from '../trpc';

const PREFIX = 'hmis-draft:';
export const DRAFT_MAX_AGE_MS = 24 * 60 * 60_000;
/** Typing is written at most this often; leaving the page writes at once. */
const WRITE_EVERY_MS = 300;

/** Which draft: the form (with the record and version it edits, if any) and the patient it is about. */
export interface DraftKey {
  form: string;
  patientId?: number | null;
  /** Fields never written to storage (passwords): the form holds them while it is open, its draft never does. */
  exclude?: readonly string[];
}

interface Stored<T> {
  savedAt: number;
  values: T;
}

/** What a form with a draft offers its screen. */
export interface Draft {
  /** When the draft the form started from was written; null when it started from its own values. */
  restoredAt: number | null;
  /** Throw the draft away: the form goes back to where it started. */
  discard(): void;
  /** The form was saved: its draft is no longer needed. */
  saved(): void;
}

/** Set when this page is being left to the next person (sign-out, another user signing in): nothing more is written. */
let stopped = false;

function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage refused (private mode, policy): forms work, without drafts
  }
}

const userOf = (storageKey: string) => Number(storageKey.slice(PREFIX.length).split(':')[0]);

function signedInUser(): number | null {
  return queryClient.getQueryData(trpc.auth.me.queryKey())?.user?.id ?? null;
}

function storageKey(key: DraftKey, userId = signedInUser()): string | null {
  return userId === null ? null : `${PREFIX}${userId}:${key.form}:${key.patientId ?? 'none'}`;
}

function read<T>(k: string): Stored<T> | null {
  try {
    const d = JSON.parse(store()?.getItem(k) ?? 'null') as Stored<T> | null;
    if (d && typeof d.savedAt === 'number' && Date.now() - d.savedAt < DRAFT_MAX_AGE_MS && d.values) return d;
  } catch {
    // not ours, or damaged: treated as none
  }
  return null;
}

function remove(k: string) {
  try {
    store()?.removeItem(k);
  } catch {
    // nothing to do
  }
}

function write(k: string, values: unknown) {
  if (stopped) return;
  try {
    store()?.setItem(k, JSON.stringify({ savedAt: Date.now(), values }));
  } catch {
    // quota or refused: the form still holds the text
  }
}

/** This page writes no more drafts: it is about to be replaced (its user signed out, or another signed in, elsewhere). */
export function stopDraftWrites() {
  stopped = true;
}

/**
 * Removes every draft except `keepUserId`'s, and every expired one. With null: every draft, and this page writes no
 * more (it is about to be replaced for the next person, so leaving it must not write the form back).
 */
export function dropDrafts(keepUserId: number | null) {
  if (keepUserId === null) stopDraftWrites();
  const s = store();
  if (!s) return;
  const keys = Array.from({ length: s.length }, (_, i) => s.key(i) ?? '').filter((k) => k.startsWith(PREFIX));
  for (const k of keys) if (userOf(k) !== keepUserId || !read(k)) remove(k);
}

/** Whether the signed-in user has a draft of this form: a page may open the form to show it. */
export function hasDraft(key: DraftKey): boolean {
  const k = storageKey(key);
  return k !== null && read(k) !== null;
}

/** `values` without the fields a draft must not keep. */
function without<T>(values: T, exclude: readonly string[] | undefined): T {
  if (!exclude?.length || values === null || typeof values !== 'object') return values;
  const kept = { ...values } as Record<string, unknown>;
  for (const field of exclude) delete kept[field];
  return kept as T;
}

/** The draft a form starts from, looked up once as it opens. */
export interface OpenedDraft<T> {
  key: string;
  restored: Stored<T> | null;
  exclude?: readonly string[];
}

export function openDraft<T>(key: DraftKey | undefined): OpenedDraft<T> | null {
  const k = key ? storageKey(key) : null;
  if (k === null) return null;
  const restored = read<T>(k);
  // An excluded field is not taken from storage either, whatever wrote it there.
  return { key: k, exclude: key?.exclude, restored: restored && { ...restored, values: without(restored.values, key?.exclude) } };
}

/**
 * Keeps the form's values as its draft while it is changed (not once it is back to where it started) and writes what
 * is pending when the form closes or the page is left. `start` is what the form holds without a draft.
 */
export function useKeptDraft<T extends FieldValues>(
  form: UseFormReturn<T>,
  opened: OpenedDraft<T> | null,
  start: DefaultValues<T> | undefined,
): Draft {
  const [restoredAt, setRestoredAt] = useState(opened?.restored?.savedAt ?? null);
  const pending = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const startJson = useRef(JSON.stringify(without(start ?? {}, opened?.exclude)));

  useEffect(() => {
    if (!opened) return;
    const flush = () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      if (!pending.current) return;
      pending.current = false;
      const values = without(form.getValues(), opened.exclude);
      if (JSON.stringify(values) === startJson.current) remove(opened.key);
      else write(opened.key, values);
    };
    const subscription = form.watch(() => {
      pending.current = true;
      timer.current ??= setTimeout(flush, WRITE_EVERY_MS);
    });
    window.addEventListener('pagehide', flush);
    return () => {
      flush();
      subscription.unsubscribe();
      window.removeEventListener('pagehide', flush);
    };
  }, [form, opened]);

  const forget = () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    pending.current = false;
    if (opened) remove(opened.key);
    setRestoredAt(null);
  };
  return {
    restoredAt,
    saved: forget,
    discard() {
      forget();
      form.reset(start);
      pending.current = false; // the reset is not typing
    },
  };
}
