/**
 * The app factory: external plugins (cookie, session) → auth → routes (tRPC at /trpc). Tests build it with their
 * own database and clock and close it; main.ts builds it for production.
 */
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { ERROR_STATUS, SESSION_IDLE_DEFAULT_MS, type ErrorBody } from '@hmis/shared';
import type { Clock } from './clock';
import type { Db } from './db/client';
import { AppError, errorBody, isDatabaseUnreachable, UNAVAILABLE_MESSAGE } from './errors';
import { TRPC_MAX_BATCH_DEFAULT, type TrustProxy } from './env';
import { safeLogger } from './log';
import { metricsPlugin, type Metrics } from './metrics';
import { drainPlugin } from './plugins/drain';
import { sessionPlugin } from './plugins/session';
import { webPlugin } from './plugins/web';
import { openApiPlugin } from './rest/openapi';
import { restPlugin } from './rest/plugin';
import { API_ROUTES, AUTH_ROUTES, LEGACY_AUTH_ROUTES, PLAIN_ROUTES } from './rest/routes';
import { isTrpcUrl, trpcErrorEnvelope, trpcHttpPlugin } from './trpc/http';

export interface AppConfig {
  db: Db;
  clock: Clock;
  sessionSecret: string;
  secureCookies: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Trusted proxies (HMIS_TRUST_PROXY): false, a number of hops, or their addresses and CIDR ranges. */
  trustProxy?: TrustProxy;
  /** The most calls in one tRPC batch (HMIS_TRPC_MAX_BATCH, default 20). */
  trpcMaxBatch?: number;
  /** Serve the API docs page (Swagger UI) at /api/docs (HMIS_API_DOCS; off by default in production). */
  apiDocs?: boolean;
  /** A session unused this long ends (HMIS_SESSION_IDLE_MINUTES, default 30); 0: no idle timeout. */
  sessionIdleMs?: number;
  /** Answer 503 to a request still unanswered after this many ms (HMIS_REQUEST_TIMEOUT_MS); 0 or absent: no limit. */
  requestTimeoutMs?: number;
  /** Count requests, latency and errors into these (main.ts: HMIS_METRICS_PORT or HMIS_METRICS_TOKEN set). */
  metrics?: Metrics;
  /** With metrics: also serve GET /metrics here, to `Authorization: Bearer <this>` (HMIS_METRICS_TOKEN). */
  metricsToken?: string;
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * What Node's HTTP parser refuses (headers too large, a malformed request, a request too slow to arrive) is answered
 * on the raw socket, before Fastify: still in the one error shape, with the security headers.
 */
function rawClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive']
        : [400, 'Bad Request', 'The request is not valid HTTP'];
  const body = JSON.stringify(errorBody(new AppError('VALIDATION', message)));
  if (socket.writable) {
    socket.write(
      [
        `HTTP/1.1 ${status} ${reason}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'X-Content-Type-Options: nosniff',
        'X-Frame-Options: DENY',
        `Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`,
        'Cache-Control: no-store',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy(err);
}

/** On every response. Scripts only from this origin, never inline (issue 11); Mantine sets inline styles. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'content-security-policy': CONTENT_SECURITY_POLICY,
};

/** Trusts the nearest `hops` proxies: the socket's peer, and so on, counted from the app. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

const isErrorBody = (v: unknown): v is ErrorBody =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  typeof (v as ErrorBody).code === 'string' &&
  typeof (v as ErrorBody).message === 'string';

const LOGIN_PATHS = /^\/(trpc\/auth\.login|api\/v1\/auth\/login|auth\/login)(\?|$)/;

export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: safeLogger(config.logger),
    // Behind reverse proxies (docker/nginx): the client is the address the last trusted proxy put in X-Forwarded-For.
    // A number trusts that many hops, a list only those addresses; never every hop, which would take the left-most
    // entry, which the client writes itself.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy || false,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 5000 },
    // Errors raised before a route runs keep the one error shape too (issue 11, finding 11).
    frameworkErrors: (_error, request, reply) => {
      const error = errorBody(new AppError('VALIDATION', 'The address of this request is not valid'));
      const body = JSON.stringify(isTrpcUrl(request.url) ? trpcErrorEnvelope(error) : error);
      const r = reply as FastifyReply;
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) r.header(name, value);
      void r.code(400).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
    },
    clientErrorHandler: rawClientError,
    // Closing, a request that reaches an open connection is still answered (with Connection: close), not refused:
    // behind a proxy a 503 would reach the client (decision 018).
    return503OnClosing: false,
  });
  await app.register(drainPlugin);
  // Before every other hook and route: it sees each response, and errors before /trpc wraps them in its envelope.
  if (config.metrics) await app.register(metricsPlugin, { metrics: config.metrics, token: config.metricsToken });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    // Fastify's own client errors (bad JSON, body too large, …) keep their 4xx; the rest are 500s whose
    // message never leaves the server.
    if (isDatabaseUnreachable(error)) return reply.code(503).send(errorBody(new AppError('UNAVAILABLE', UNAVAILABLE_MESSAGE)));
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send(errorBody(new AppError('INTERNAL', 'Internal server error')));
    }
    const code =
      status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : status === 429
            ? 'TOO_MANY_REQUESTS'
            : status === 404
              ? 'NOT_FOUND'
              : 'VALIDATION';
    return reply.code(ERROR_STATUS[code] === status ? status : 400).send(errorBody(new AppError(code, error.message)));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(new AppError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`))),
  );

  // A request the database leaves hanging (frozen, unreachable network) is answered 503 rather than never (issue 11).
  const deadline = config.requestTimeoutMs ?? 0;
  if (deadline > 0) {
    app.addHook('onRequest', async (request, reply) => {
      const timer = setTimeout(() => {
        if (reply.sent) return;
        request.log.warn({ deadlineMs: deadline }, 'request timed out');
        void reply.code(503).send(errorBody(new AppError('UNAVAILABLE', UNAVAILABLE_MESSAGE)));
      }, deadline);
      timer.unref();
      reply.raw.once('close', () => clearTimeout(timer));
    });
  }

  // Under /trpc every error is in tRPC's envelope (issue 11, finding 11): the errors this file and the session plugin
  // send before a procedure runs are `{ code, message, fields? }` objects, turned into the envelope here, in one place.
  // (tRPC's own answers are written as strings and pass untouched.)
  app.addHook('preSerialization', async (request, reply, payload) => {
    if (reply.statusCode < 400 || !isTrpcUrl(request.url) || !isErrorBody(payload)) return payload;
    return trpcErrorEnvelope(payload);
  });

  // Health data must not be kept by browsers or proxies, sniffed into another type, or framed by another site.
  app.addHook('onSend', async (request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (config.secureCookies) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (/^\/(api|trpc|auth)(\/|$)/.test(request.url) && !request.url.startsWith('/api/docs')) reply.header('cache-control', 'no-store');
  });

  await app.register(sessionPlugin, {
    db: config.db,
    secret: config.sessionSecret,
    secureCookies: config.secureCookies,
    csrfExempt: (url) => LOGIN_PATHS.test(url),
    idleMs: config.sessionIdleMs ?? SESSION_IDLE_DEFAULT_MS,
  });

  await app.register(trpcHttpPlugin, {
    prefix: '/trpc',
    maxBatchSize: config.trpcMaxBatch ?? TRPC_MAX_BATCH_DEFAULT,
    db: config.db,
    clock: config.clock,
    onError(error, path) {
      config.metrics?.trpcError(error);
      if (error.code === 'INTERNAL_SERVER_ERROR') app.log.error({ err: error.cause ?? error, path }, 'procedure failed');
    },
  });

  // REST: the same procedures at /api/v1, the auth endpoints also where the original system had them.
  await app.register(restPlugin, {
    prefix: '/api/v1',
    db: config.db,
    clock: config.clock,
    routes: [...API_ROUTES, ...AUTH_ROUTES],
    plain: PLAIN_ROUTES,
  });
  await app.register(restPlugin, { db: config.db, clock: config.clock, routes: [...AUTH_ROUTES, ...LEGACY_AUTH_ROUTES] });
  await app.register(openApiPlugin, { docsPage: config.apiDocs ?? true });
  await app.register(webPlugin);

  return app;
}
