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
