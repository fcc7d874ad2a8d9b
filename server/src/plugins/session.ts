/**
 * Who the caller is: a personal API token (Authorization: Bearer) or a cookie session (database-backed).
 * State-changing requests authenticated by the cookie must carry the session's CSRF token in X-CSRF-Token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_TTL_MS } from '@hmis/shared';
import { DbSessionStore } from '../auth/session-store';
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
  }
  interface FastifyRequest {
    actor: Actor | null;
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
  /** A session unused for this long ends (HMIS_SESSION_IDLE_MINUTES); 0: only the absolute lifetime. */
  idleMs?: number;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sessionControl(request: FastifyRequest): SessionControl {
  return {
    async establish(actor) {
      await request.session.regenerate(); // a new id at login: no session fixation
      const token = randomBytes(32).toString('base64url');
      request.session.actor = actor;
      request.session.csrfToken = token;
      request.session.lastSeenAt = Date.now();
      await request.session.save();
      request.actor = actor;
      return token;
    },
    async end() {
      await request.session.destroy();
      request.actor = null;
    },
    csrfToken: () => request.session.csrfToken ?? null,
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

  const idleMs = opts.idleMs ?? 0;
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
    if (request.actor && idleMs > 0) {
      // A shared ward workstation left signed in: after the idle time the session ends, as if signed out.
      const now = Date.now();
      const lastSeen = request.session.lastSeenAt ?? now;
      if (now - lastSeen > idleMs) {
        await request.session.destroy();
        request.actor = null;
        return;
      }
      // Written at most every minute (or quarter of the idle time), so a busy session is not saved on every request.
      if (request.session.lastSeenAt === undefined || now - lastSeen > Math.min(60_000, idleMs / 4)) request.session.lastSeenAt = now;
    }
    if (!request.actor || SAFE_METHODS.has(request.method) || opts.csrfExempt(request.url)) return;
    const sent = request.headers[CSRF_HEADER];
    const expected = request.session.csrfToken;
    if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) {
      const err = new AppError('CSRF', `Missing or wrong CSRF token: send the session's token in the ${CSRF_HEADER} header`);
      return reply.code(err.status).send(errorBody(err));
    }
  });
});
