/**
 * The demo's time machine. Every demo record is written by the real service at a moment in the past: the step runs
 * with a clock stopped at that moment, so createdAt, editableUntil, versions and the audit event's time agree, exactly
 * as if the person had done it then. Steps run in time order, so ids and the audit trail read as one journey.
 */
import type { Clock } from '../clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Step {
  at: number;
  seq: number;
  run: (clock: Clock) => Promise<void>;
}

export class Timeline {
  private readonly steps: Step[] = [];
  /** The real time the demo is written at; every step is before it. */
  readonly now: number;

  constructor(now: Date) {
    this.now = now.getTime();
  }

  /** A wall-clock time on a past calendar day (server time zone), e.g. day(3, '09:40'). Only for days ≥ 1. */
  day(daysAgo: number, hhmm: string): number {
    if (daysAgo < 1) throw new Error('demo: use hoursAgo() for today, so nothing lands in the future');
    const [h, m] = hhmm.split(':').map(Number);
    const d = new Date(this.now - daysAgo * DAY);
    d.setHours(h!, m!, 0, 0);
    return d.getTime();
  }

  hoursAgo(hours: number): number {
    return this.now - Math.round(hours * HOUR);
  }

  /** The calendar date (YYYY-MM-DD, server time zone, as the hospital's day) this many days from now. */
  date(daysFromNow: number): string {
    const d = new Date(this.now);
    d.setDate(d.getDate() + daysFromNow);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  }

  /** Schedules a step. Steps at the same moment keep the order they were scheduled in. */
  at(at: number, run: (clock: Clock) => Promise<void>): void {
    if (!(at < this.now)) throw new Error(`demo: a step at ${new Date(at).toISOString()} would be in the future`);
    this.steps.push({ at, seq: this.steps.length, run });
  }

  /** Runs every step in time order, each with the clock stopped at its moment. */
  async play(): Promise<number> {
    const ordered = [...this.steps].sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const step of ordered) {
      const moment = new Date(step.at);
      await step.run({ now: () => new Date(moment) });
    }
    return ordered.length;
  }
}

export const minutes = (n: number) => n * MINUTE;
export const hours = (n: number) => n * HOUR;

/** A small seeded generator (mulberry32), so the demo is the same on every first start. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
