/**
 * The patients open as tabs (issue 13): a clinician keeps several charts at hand all shift, as browser tabs are kept.
 * Kept in this browser tab's sessionStorage under the user's id: they survive a reload, are never shown to another
 * user, and go when the browser tab closes or the user signs out (the name and MRN shown on a tab are not left on a
 * shared ward computer). Each tab remembers the chart page it was on.
 */
import { useSyncExternalStore } from 'react';

export interface OpenPatient {
  id: number;
  /** As the tab shows it: "Okafor, Ada". */
  name: string;
  mrn: string;
  /** The chart page last seen, e.g. /patients/12/vitals. */
  path: string;
}

/** More than this and the oldest tab closes: a strip of 12 is already hard to read. */
export const MAX_OPEN_PATIENTS = 12;
const PREFIX = 'hmis-open-patients:';

let userId: number | null = null;
let tabs: OpenPatient[] = [];
const listeners = new Set<() => void>();

function storageKey(): string | null {
  return userId === null ? null : `${PREFIX}${userId}`;
}

function save(next: OpenPatient[]) {
  tabs = next;
  const key = storageKey();
  if (key) {
    try {
      sessionStorage.setItem(key, JSON.stringify(next));
    } catch {
      // Storage full or refused (private mode): the tabs still work until the reload.
    }
  }
  for (const listener of listeners) listener();
}

function parse(text: string | null): OpenPatient[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    if (!Array.isArray(value)) return [];
    return value
      .filter(
        (t): t is OpenPatient =>
          typeof t === 'object' &&
          t !== null &&
          Number.isSafeInteger(t.id) &&
          t.id > 0 &&
          typeof t.name === 'string' &&
          typeof t.mrn === 'string' &&
          typeof t.path === 'string' &&
          t.path.startsWith(`/patients/${t.id}`),
      )
      .slice(0, MAX_OPEN_PATIENTS);
  } catch {
    return [];
  }
}

/** Removes the stored tabs of every user but `keep`. */
function forgetOthers(keep: number | null) {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (key?.startsWith(PREFIX) && key !== `${PREFIX}${keep}`) sessionStorage.removeItem(key);
  }
}

/**
 * The signed-in user's tabs are loaded (the same user signing in again after a session ended gets them back); the
 * tabs another user left in this browser tab are deleted unread.
 */
export function setTabsOwner(id: number) {
  if (id === userId) return;
  forgetOthers(id);
  userId = id;
  save(parse(sessionStorage.getItem(`${PREFIX}${id}`)));
}

/** Signing out: every user's tabs in this browser tab go. */
export function clearOpenPatients() {
  forgetOthers(null);
  userId = null;
  save([]);
}

/** Opens (or refreshes) a patient's tab, at the end of the strip when new. */
export function openPatient(patient: Omit<OpenPatient, 'path'> & { path?: string }) {
  const existing = tabs.find((t) => t.id === patient.id);
  const tab: OpenPatient = { ...patient, path: patient.path ?? existing?.path ?? `/patients/${patient.id}` };
  if (existing && existing.name === tab.name && existing.mrn === tab.mrn && existing.path === tab.path) return;
  const next = existing ? tabs.map((t) => (t.id === tab.id ? tab : t)) : [...tabs, tab];
  save(next.slice(-MAX_OPEN_PATIENTS));
}

/** Closes a tab; returns the tab to show instead (the one after it, else before it), or null when none is left. */
export function closePatient(id: number): OpenPatient | null {
  const index = tabs.findIndex((t) => t.id === id);
  if (index < 0) return null;
  const next = tabs.filter((t) => t.id !== id);
  save(next);
  return next[index] ?? next[index - 1] ?? null;
}

/** The patient whose chart is on screen, from the address; null elsewhere. */
export function currentPatientId(pathname: string): number | null {
  const m = /^\/patients\/(\d+)(?:\/|$)/.exec(pathname);
  return m ? Number(m[1]) : null;
}

export function openPatients(): OpenPatient[] {
  return tabs;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useOpenPatients(): OpenPatient[] {
  return useSyncExternalStore(subscribe, openPatients);
}
