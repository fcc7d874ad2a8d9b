/**
 * Prometheus metrics (issue 12; decision 021): requests and their latency per route pattern, errors by code, the
 * database pool, the group-commit backlog, and prom-client's process metrics (event-loop lag, CPU, memory, GC).
 * Served on a port of their own (HMIS_METRICS_PORT) or at /metrics on the main port behind a bearer token
 * (HMIS_METRICS_TOKEN); off unless one of them is set.
 *
 * Labels never hold a raw URL, an id or anything a request carries: a route is the pattern it matched
 * (`/api/v1/patients/:patientId`), a tRPC procedure its path among the router's (`/trpc/patients.get`), so the
 * number of series is bounded by the route table.
 *
 * The request path (decision 008) pays two Map lookups and a few additions a request: the per-request families are
 * kept in plain arrays and written out at scrape time, because prom-client's labelled `inc`/`observe` build a label
 * hash string and several objects on every call (~1.3 µs a request, measured).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { groupCommitBacklog } from './db/group-commit';
import { viewAuditFailures } from './services/audit';
import { AppError, errorBody, toAppError } from './errors';
import { procedureAt } from './trpc/call';
import { isTrpcUrl } from './trpc/http';

/** Upper bounds of the latency histogram, in seconds: a chart read is 1–50 ms, the request deadline 30 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route label of a request that matched no route (and of an unknown tRPC procedure). */
const UNMATCHED = 'unmatched';
/** The route label of a tRPC batch (one request, several procedures). */
const TRPC_BATCH = '/trpc/batch';

const TRPC_ROUTE = '/trpc/:path';
/** Labels of the tRPC procedures seen so far; only real procedures enter, so it is bounded by the router. */
const trpcRoutes = new Map<string, string>();

function trpcRoute(path: string): string {
  let label = trpcRoutes.get(path);
  if (label === undefined) {
    if (!procedureAt(path)) return UNMATCHED;
    label = `/trpc/${path}`;
    trpcRoutes.set(path, label);
  }
  return label;
}

/** The route pattern a request matched: never its URL. */
function routeOf(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  if (url === undefined) return UNMATCHED;
  if (url !== TRPC_ROUTE) return url;
  if ((request.query as { batch?: unknown }).batch === '1') return TRPC_BATCH;
  return trpcRoute((request.params as { path: string }).path);
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** One method and route: its latency histogram and its answers by status. */
class RouteSeries {
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  sum = 0;
  count = 0;
  readonly byStatus = new Map<number, number>();
  /** `method="GET",route="/api/v1/…"`, written once. */
  constructor(readonly labels: string) {}
}

/** hmis_http_requests_total and hmis_http_request_duration_seconds, kept in arrays and written at scrape time. */
class HttpStats {
  private readonly routes = new Map<string, Map<string, RouteSeries>>();

  record(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.routes.get(route);
    if (byMethod === undefined) this.routes.set(route, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined) {
      series = new RouteSeries(`method="${escapeLabel(method)}",route="${escapeLabel(route)}"`);
      byMethod.set(method, series);
    }
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    series.buckets[i]!++;
    series.sum += seconds;
    series.count++;
    series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1);
  }

  /** The two families in Prometheus' text format. */
  text(): string {
    const all = [...this.routes.values()].flatMap((byMethod) => [...byMethod.values()]);
    const lines = [
      '# HELP hmis_http_requests_total HTTP requests answered, by method, route pattern and status.',
      '# TYPE hmis_http_requests_total counter',
    ];
    for (const s of all) {
      for (const [status, n] of s.byStatus) lines.push(`hmis_http_requests_total{${s.labels},status="${status}"} ${n}`);
    }
    lines.push(
      '# HELP hmis_http_request_duration_seconds Time from receiving a request to its response, by method and route pattern.',
      '# TYPE hmis_http_request_duration_seconds histogram',
    );
    for (const s of all) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += s.buckets[i]!;
        lines.push(`hmis_http_request_duration_seconds_bucket{${s.labels},le="${bound}"} ${cumulative}`);
      });
      lines.push(
        `hmis_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`,
        `hmis_http_request_duration_seconds_sum{${s.labels}} ${s.sum}`,
        `hmis_http_request_duration_seconds_count{${s.labels}} ${s.count}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Process metrics (event-loop lag, CPU, memory, GC, handles): one collector per process, shared by every Metrics. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'hmis_' });
  }
  return processRegistry;
}

/** A counter whose value is kept elsewhere (a plain number, cheap on the path that counts): read at scrape time. */
function countFrom(registers: Registry[], name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** What the pool gauge reads of a mysql2 pool. */
export interface PoolCounts {
  used: number;
  free: number;
  queued: number;
  limit: number;
}

/**
 * Connections of a mysql2 pool (the promise wrapper or the pool itself). mysql2 has no public API for them: these
 * are its internal queues, so anything unexpected gives null and the gauge stays empty rather than wrong.
 */
export function poolCounts(pool: unknown): PoolCounts | null {
  const core = (pool as { pool?: unknown } | null)?.pool ?? pool;
  const p = core as {
    _allConnections?: { length?: unknown };
    _freeConnections?: { length?: unknown };
    _connectionQueue?: { length?: unknown };
    config?: { connectionLimit?: unknown };
  } | null;
  const all = p?._allConnections?.length;
  const free = p?._freeConnections?.length;
  const queued = p?._connectionQueue?.length;
  const limit = p?.config?.connectionLimit;
  if (typeof all !== 'number' || typeof free !== 'number' || typeof queued !== 'number' || typeof limit !== 'number') return null;
  return { used: all - free, free, queued, limit };
}

export interface MetricsOptions {
  /** The mysql2 pool whose connections are reported. */
  pool?: unknown;
}

export class Metrics {
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  private readonly http = new HttpStats();
  private readonly registry = new Registry();
  private readonly errors: Counter<'transport' | 'code'>;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.errors = new Counter({
      name: 'hmis_errors_total',
      help: 'Error answers by transport (rest, trpc) and error code (NOT_FOUND, CONFLICT, INTERNAL, …); one per failed call of a tRPC batch.',
      labelNames: ['transport', 'code'],
      registers,
    });
    new Gauge({
      name: 'hmis_group_commit_pending',
      help: 'Audit rows (view events) waiting for the next group-committed INSERT.',
      registers,
      collect() {
        this.set(groupCommitBacklog());
      },
    });
    countFrom(
      registers,
      'hmis_view_audit_failed_writes_total',
      'Writes of view audit events (reads of clinical data) that failed; the events are written again with the next read, which waits for them.',
      () => viewAuditFailures().failedWrites,
    );
    countFrom(
      registers,
      'hmis_view_audit_dropped_total',
      'View audit events given up after 3 failed writes: reads whose trace is missing from the audit trail. Should stay 0.',
      () => viewAuditFailures().dropped,
    );
    const { pool } = opts;
    const moves = (pool as { moves?: unknown } | undefined)?.moves;
    if (typeof moves === 'number') {
      countFrom(
        registers,
        'hmis_db_failovers_total',
        'Moves to the next of several database hosts after the one in use was lost (decision 022).',
        () => (pool as { moves: number }).moves,
      );
    }
    if (pool !== undefined) {
      new Gauge({
        name: 'hmis_db_pool_connections',
        help: 'Database pool: connections in use, idle connections, and requests queued for a connection.',
        labelNames: ['state'],
        registers,
        collect() {
          const counts = poolCounts(pool);
          if (!counts) return;
          this.set({ state: 'used' }, counts.used);
          this.set({ state: 'free' }, counts.free);
          this.set({ state: 'queued' }, counts.queued);
        },
      });
      new Gauge({
        name: 'hmis_db_pool_connection_limit',
        help: 'The most connections the database pool opens.',
        registers,
        collect() {
          const counts = poolCounts(pool);
          if (counts) this.set(counts.limit);
        },
      });
    }
  }

  /** One answered request (the onResponse hook). */
  request(method: string, route: string, status: number, seconds: number): void {
    this.http.record(method, route, status, seconds);
  }

  error(transport: 'rest' | 'trpc', code: string): void {
    this.errors.inc({ transport, code });
  }

  /** A failed tRPC call, counted under the same codes REST answers with. */
  trpcError(error: unknown): void {
    this.error('trpc', toAppError(error).code);
  }

  /** Everything, in Prometheus' text format. */
  async exposition(): Promise<string> {
    const [own, node] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${this.http.text()}\n${own}\n${node}`;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** Also serve GET /metrics on this server, to requests with `Authorization: Bearer <token>`. */
  token?: string;
}

/** Records every response; registered before the routes. With a token, also serves /metrics behind it. */
export const metricsPlugin = fp<MetricsPluginOptions>(async (app, { metrics, token }) => {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.method, routeOf(request), reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  // Errors sent as the shared error body (REST, and what stops a /trpc request before its procedure runs); a
  // procedure's error under /trpc is counted by the tRPC plugin's onError (Metrics.trpcError).
  app.addHook('preSerialization', (request, reply, payload: unknown, done) => {
    if (reply.statusCode >= 400 && typeof (payload as { code?: unknown } | null)?.code === 'string') {
      metrics.error(isTrpcUrl(request.url) ? 'trpc' : 'rest', (payload as { code: string }).code);
    }
    done(null, payload);
  });

  if (!token) return;
  // Both sides hashed: equal lengths for the constant-time compare, and the token's length is not given away.
  const expected = digest(`Bearer ${token}`);
  // Answered in onRequest: the session plugin's preHandler takes every bearer token for a personal API token.
  app.get(
    '/metrics',
    {
      onRequest: async (request, reply) => {
        const given = request.headers.authorization;
        if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .send(errorBody(new AppError('UNAUTHENTICATED', 'The metrics token is missing or wrong')));
        }
        return reply
          .header('cache-control', 'no-store')
          .type(metrics.contentType)
          .send(await metrics.exposition());
      },
    },
    async (_request, reply) => reply,
  );
});

/** The server of HMIS_METRICS_PORT: GET /metrics and nothing else, no token (bind it where only Prometheus reaches). */
export function metricsServer(metrics: Metrics): FastifyInstance {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .type(metrics.contentType)
      .send(await metrics.exposition()),
  );
  return server;
}
