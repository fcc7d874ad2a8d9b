/**
 * Who the caller is: a personal API token (Authorization: Bearer) or a cookie session (database-backed).
 * State-changing requests authenticated by the cookie must carry the session's CSRF token in X-CSRF-Token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_IDLE_DEFAULT_MS, SESSION_TTL_MS, sessionTouchMs, type SessionLimits } from '@hmis/shared';
import { DbSessionStore, markEstablished } from '../auth/session-store';
import type { Db } from '../db/client';
import { actorForToken } from '../services/api-tokens';
import { AppError, errorBody } from '../errors';
import type { Actor } from '../services/context';
import type { SessionControl } from '../trpc/trpc';

declare module 'fastify' {
  interface Session {
    actor?: Actor;
    csrfToken?: string;
    /** When the session was last used (ms since the epoch), kept to within a minute: the idle timeout's clock. */
    lastSeenAt?: number;
    /** When the session ends however much it is used (ms since the epoch): 12 hours after sign-in. */
    expiresAt?: number;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** A session unused this long ends; 0: no idle timeout. */
    sessionIdleMs: number;
  }
}

export const SESSION_COOKIE = 'hmis_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionPluginOptions {
  db: Db;
  secret: string;
  secureCookies: boolean;
  /** Paths that start a session and so cannot carry a token yet. */
  csrfExempt: (url: string) => boolean;
  /** A session unused for this long ends (HMIS_SESSION_IDLE_MINUTES; absent: 30 minutes); 0: only the absolute lifetime. */
  idleMs?: number;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** When the session ends, for a client to warn before it does. */
function limitsOf(request: FastifyRequest, expiresAt: number): SessionLimits {
  const idleMs = request.server.sessionIdleMs;
  return { idleMinutes: idleMs > 0 ? idleMs / 60_000 : null, expiresAt: new Date(expiresAt).toISOString() };
}

export function sessionControl(request: FastifyRequest): SessionControl {
  return {
    async establish(actor) {
      await request.session.regenerate(); // a new id at login: no session fixation
      const csrfToken = randomBytes(32).toString('base64url');
      const now = Date.now();
      request.session.actor = actor;
      request.session.csrfToken = csrfToken;
      request.session.lastSeenAt = now;
      request.session.expiresAt = now + SESSION_TTL_MS;
      request.session.cookie.expires = new Date(request.session.expiresAt);
      markEstablished(request.session);
      await request.session.save();
      request.actor = actor;
      return { csrfToken, session: limitsOf(request, request.session.expiresAt) };
    },
    async end() {
      await request.session.destroy();
      request.actor = null;
    },
    csrfToken: () => request.session.csrfToken ?? null,
    limits() {
      const { actor, expiresAt } = request.session;
      return request.headers.authorization || !actor || expiresAt === undefined ? null : limitsOf(request, expiresAt);
    },
  };
}

export const sessionPlugin = fp<SessionPluginOptions>(async (app, opts) => {
  const store = new DbSessionStore(opts.db);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: opts.secret,
    cookieName: SESSION_COOKIE,
    store,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/', maxAge: SESSION_TTL_MS },
  });

  const pruner = setInterval(() => void store.prune().catch(() => undefined), 10 * 60 * 1000);
  pruner.unref();
  app.addHook('onClose', async () => {
    clearInterval(pruner);
    store.close();
  });

  const idleMs = opts.idleMs ?? SESSION_IDLE_DEFAULT_MS;
  app.decorate('sessionIdleMs', idleMs);
  app.decorateRequest('actor', null);
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    // A bearer token (machine clients) wins over a cookie and needs no CSRF token: browsers never send it by themselves.
    const authorization = request.headers.authorization;
    if (authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      request.actor = token ? await actorForToken(opts.db, token, new Date()) : null;
      if (!request.actor) {
        const err = new AppError('UNAUTHENTICATED', 'Invalid, expired or revoked API token');
        return reply.code(err.status).send(errorBody(err));
      }
      return;
    }
    request.actor = request.session.actor ?? null;
    if (request.actor) {
      const session = request.session;
      const now = Date.now();
      session.expiresAt ??= now + SESSION_TTL_MS; // a session from before its lifetime was kept
      const lastSeen = session.lastSeenAt ?? now;
      // A shared ward workstation left signed in: after the idle time, or 12 hours after sign-in however much it was
      // used, the session ends, as if signed out.
      if (now >= session.expiresAt || (idleMs > 0 && now - lastSeen > idleMs)) {
        await session.destroy();
        request.actor = null;
        return;
      }
      // @fastify/session would move the expiry on by the whole lifetime whenever the session is saved.
      session.cookie.expires = new Date(session.expiresAt);
      // Written at most every minute (or quarter of the idle time), so a busy session is not saved on every request.
      if (idleMs > 0 && (session.lastSeenAt === undefined || now - lastSeen > sessionTouchMs(idleMs))) session.lastSeenAt = now;
    }
    if (!request.actor || SAFE_METHODS.has(request.method)) return;
    // A write is accepted only on a session that is still in the table: ended on another server (logout, password
    // reset, deactivation) a second ago is ended here too, whatever this server's cache remembers (issue 12).
    if (!(await store.isLive(request.session.sessionId))) {
      request.actor = null;
      return;
    }
    if (opts.csrfExempt(request.url)) return;
    const sent = request.headers[CSRF_HEADER];
    const expected = request.session.csrfToken;
    if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) {
      const err = new AppError('CSRF', `Missing or wrong CSRF token: send the session's token in the ${CSRF_HEADER} header`);
      return reply.code(err.status).send(errorBody(err));
    }
  });
});
