/**
 * @fastify/session store backed by the `sessions` table: sessions survive a restart, are shared by every server
 * process, and a destroyed session is gone for all of them. Expiry is wall-clock time (infrastructure, not a
 * clinical rule), matching the cookie's own expiry.
 */
import { and, eq, gt, lt } from 'drizzle-orm';
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

export class DbSessionStore implements SessionStore {
  constructor(private readonly db: Db) {}

  set(sessionId: string, session: unknown, callback: Callback): void {
    const s = session as StoredSession;
    const expires = s.cookie?.expires ? new Date(s.cookie.expires) : new Date(Date.now() + SESSION_TTL_MS);
    const data = JSON.stringify(session);
    this.db
      .insert(sessions)
      .values({ id: sessionId, staffId: s.actor?.id ?? null, data, expiresAt: expires })
      .onDuplicateKeyUpdate({ set: { staffId: s.actor?.id ?? null, data, expiresAt: expires } })
      .then(() => callback(), callback);
  }

  get(sessionId: string, callback: GetCallback): void {
    this.db
      .select({ data: sessions.data })
      .from(sessions)
      .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date())))
      .limit(1)
      .then(([row]) => callback(null, row ? (JSON.parse(row.data) as Session) : null), (err: unknown) => callback(err));
  }

  destroy(sessionId: string, callback: Callback): void {
    this.db
      .delete(sessions)
      .where(eq(sessions.id, sessionId))
      .then(() => callback(), callback);
  }

  /** Removes expired sessions; run periodically. */
  async prune(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  }
}
