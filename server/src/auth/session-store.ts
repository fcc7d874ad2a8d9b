/**
 * @fastify/session store backed by the `sessions` table: sessions survive a restart, are shared by every server
 * process, and a destroyed session is gone for all of them. Expiry is wall-clock time (infrastructure, not a
 * clinical rule), matching the cookie's own expiry.
 *
 * Reads go through a small in-process cache: a session read from the table is trusted for SESSION_CACHE_MS, so a
 * busy client costs one session query a second rather than one per request. Writes never trust the cache (`isLive`):
 * ending a session (logout, password reset, deactivation) stops writes on every server at once, and reads in this
 * process at once and in another server process within SESSION_CACHE_MS (docs/decisions/008-hot-path.md).
 */
import { EventEmitter } from 'node:events';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import { SESSION_TTL_MS } from '@hmis/shared';
import type { Db } from '../db/client';
import { sessions } from '../db/schema';

type Callback = (err?: unknown) => void;
type GetCallback = (err: unknown, session?: Session | null) => void;

interface StoredSession {
  actor?: { id: number };
  cookie?: { expires?: string | Date | null };
}

/** How long a session read from the table is trusted without reading it again. */
export const SESSION_CACHE_MS = 1_000;
const CACHE_MAX_ENTRIES = 10_000;

/** Process-wide: "every session of this staff member has ended" (the rows are deleted by the caller). */
const ended = new EventEmitter().setMaxListeners(0);
export function forgetSessionsOf(staffId: number): void {
  ended.emit('staff', staffId);
}

/** Sessions just established (sign-in, password change) in this process: the only ones `set` may insert. */
const established = new WeakSet<object>();
/** Marks a session just established, before it is saved: its row is created (any other save only updates a row). */
export function markEstablished(session: object): void {
  established.add(session);
}

interface Cached {
  data: string;
  staffId: number | null;
  expiresAt: number;
  readAt: number;
}

export class DbSessionStore implements SessionStore {
  private readonly cache = new Map<string, Cached>();
  /** Staff whose sessions ended lately: their sessions are not cached while the deleting transaction may be open. */
  private readonly endedAt = new Map<number, number>();
  private readonly onStaffEnded = (staffId: number) => {
    this.endedAt.set(staffId, Date.now());
    for (const [id, c] of this.cache) if (c.staffId === staffId) this.cache.delete(id);
  };
  private readonly select;

  constructor(private readonly db: Db) {
    ended.on('staff', this.onStaffEnded);
    this.select = db
      .select({ data: sessions.data, staffId: sessions.staffId, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.id, sql.placeholder('id')), gt(sessions.expiresAt, sql.placeholder('now'))))
      .limit(1)
      .prepare();
  }

  /** Stops listening for ended sessions (the app is closing). */
  close(): void {
    ended.off('staff', this.onStaffEnded);
    this.cache.clear();
    this.endedAt.clear();
  }

  set(sessionId: string, session: unknown, callback: Callback): void {
    const s = session as StoredSession;
    const expires = s.cookie?.expires ? new Date(s.cookie.expires) : new Date(Date.now() + SESSION_TTL_MS);
    const data = JSON.stringify(session);
    this.cache.delete(sessionId);
    const values = { staffId: s.actor?.id ?? null, data, expiresAt: expires };
    // Only a session just established is inserted. Any other save (the idle clock moved on) updates its row if it is
    // still there: a server whose cache still held a session ended elsewhere must not bring it back (issue 12).
    const write = established.delete(session as object)
      ? this.db
          .insert(sessions)
          .values({ id: sessionId, ...values })
          .onDuplicateKeyUpdate({ set: values })
      : this.db.update(sessions).set(values).where(eq(sessions.id, sessionId));
    write.then(() => callback(), callback);
  }

  get(sessionId: string, callback: GetCallback): void {
    const now = Date.now();
    const hit = this.cache.get(sessionId);
    if (hit && now - hit.readAt < SESSION_CACHE_MS && hit.expiresAt > now) {
      callback(null, JSON.parse(hit.data) as Session);
      return;
    }
    this.select.execute({ id: sessionId, now: new Date(now) }).then(
      ([row]) => {
        if (!row) {
          this.cache.delete(sessionId);
          callback(null, null);
          return;
        }
        this.remember(sessionId, { data: row.data, staffId: row.staffId, expiresAt: row.expiresAt.getTime(), readAt: now });
        callback(null, JSON.parse(row.data) as Session);
      },
      (err: unknown) => callback(err),
    );
  }

  /**
   * Whether the session is still in the table, read now and never from the cache: a write is accepted only on a
   * session that has not ended on any server (issue 12). A session found ended leaves the cache too.
   */
  async isLive(sessionId: string): Promise<boolean> {
    const now = Date.now();
    const [row] = await this.select.execute({ id: sessionId, now: new Date(now) });
    if (!row) this.cache.delete(sessionId);
    return row !== undefined;
  }

  destroy(sessionId: string, callback: Callback): void {
    this.cache.delete(sessionId);
    this.db
      .delete(sessions)
      .where(eq(sessions.id, sessionId))
      .then(() => callback(), callback);
  }

  /** Removes expired sessions; run periodically. */
  async prune(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  }

  private remember(id: string, entry: Cached): void {
    this.cache.delete(id);
    if (entry.staffId !== null) {
      const ended = this.endedAt.get(entry.staffId);
      if (ended !== undefined && entry.readAt - ended < 10 * SESSION_CACHE_MS) return;
      if (ended !== undefined) this.endedAt.delete(entry.staffId);
    }
    if (this.cache.size >= CACHE_MAX_ENTRIES) {
      // Oldest first: Map keeps insertion order and every write re-inserts.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(id, entry);
  }
}
