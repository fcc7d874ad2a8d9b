/** How dates, people and the edit window read on screen. */
import { DEFAULT_JOB_TITLE, type Role } from '@hmis/shared';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function sameDay(a: Date, b: Date) {
  return a.toDateString() === b.toDateString();
}

/** "14:05" today, "3 Nov 2026, 14:05" otherwise. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return sameDay(d, new Date()) ? `Today ${time.format(d)}` : `${date.format(d)}, ${time.format(d)}`;
}

/** A calendar date (YYYY-MM-DD) as "14 Mar 1985", without time-zone drift. */
export function formatDate(isoDate: string | null): string {
  if (!isoDate) return '—';
  const [y, m, d] = isoDate.split('-').map(Number);
  return date.format(new Date(y!, m! - 1, d!));
}

export function age(isoDate: string | null): string {
  if (!isoDate) return '';
  const dob = new Date(`${isoDate}T00:00:00`);
  const now = new Date();
  let years = now.getFullYear() - dob.getFullYear();
  if (now < new Date(now.getFullYear(), dob.getMonth(), dob.getDate())) years -= 1;
  return `${years} y`;
}

/** Clinical records can be changed by their author for 24 hours: "editable until 14:05" or "locked". */
export function editWindow(editableUntil: string): { open: boolean; label: string } {
  const until = new Date(editableUntil);
  if (until.getTime() <= Date.now()) return { open: false, label: 'locked' };
  const when = sameDay(until, new Date()) ? time.format(until) : `${dayMonth.format(until)} ${time.format(until)}`;
  return { open: true, label: `editable until ${when}` };
}

export function roleLabel(role: Role): string {
  return DEFAULT_JOB_TITLE[role];
}

export function fullName(p: { firstName: string; lastName: string; otherNames?: string | null }): string {
  return [p.firstName, p.otherNames, p.lastName].filter(Boolean).join(' ');
}

/**
 * A date as a person types it: 1988-05-21, 21/05/1988, 21.05.1988 or 21-05-1988 (day first, as in Nigeria and the UK).
 * Returns YYYY-MM-DD, or null when it is not a real date.
 */
export function parseTypedDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else {
    // "1985" or "1985-06" alone is not a date (and Date reads them as UTC midnight: 31 Dec 1984 west of Greenwich).
    if (/^\d{4}(-\d{1,2})?$/.test(t)) return null;
    const parsed = new Date(t);
    if (Number.isNaN(parsed.getTime()) || !/\d{4}/.test(t)) return null;
    [y, m, d] = [parsed.getFullYear(), parsed.getMonth() + 1, parsed.getDate()];
  }
  const date = new Date(y, m - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "3 h ago", "2 days ago": for the latest vitals and the last visit. */
export function timeAgo(iso: string): string {
  const minutes = Math.round((Date.now() - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

const dayMonthTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** For dense tables: "Today 14:05", "30 Nov, 23:56" this year, otherwise with the year. */
export function formatShortDateTime(iso: string): string {
  const d = new Date(iso);
  const now = new Date();
  if (sameDay(d, now)) return `Today ${time.format(d)}`;
  return d.getFullYear() === now.getFullYear() ? dayMonthTime.format(d) : formatDateTime(iso);
}
