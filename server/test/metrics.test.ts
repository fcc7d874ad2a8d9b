/** Prometheus metrics (issue 12, decision 021): what moves, under which labels, and who may read them. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Patient } from '@hmis/shared';
import { buildApp } from '../src/app';
import { dropDatabase } from '../src/db/client';
import { GroupCommit } from '../src/db/group-commit';
import { readEnv } from '../src/env';
import { Metrics, metricsServer, poolCounts } from '../src/metrics';
import { viewAuditFailures } from '../src/services/audit';
import { createTestEnv, patientInput, TrpcClient, uniqueName, type TestEnv } from './helpers';
import { restLoggedIn } from './rest-helpers';

const TOKEN = randomBytes(32).toString('hex');
/** An id no patient has: it must reach no label. */
const MISSING_ID = 987654321;

let env: TestEnv;
let metrics: Metrics;
let app: FastifyInstance;

beforeAll(async () => {
  env = await createTestEnv();
  metrics = new Metrics({ pool: env.database.pool });
  app = await buildApp({
    db: env.database.db,
    clock: env.clock,
    sessionSecret: env.sessionSecret,
    secureCookies: false,
    metrics,
    metricsToken: TOKEN,
  });
});
afterAll(async () => {
  await app?.close();
  await env?.close();
});

async function scrape(server = app): Promise<string> {
  const res = await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return res.body;
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric in an exposition. */
function samples(text: string, name: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) return [];
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    return [{ labels, value: Number(m[3]) }];
  });
}

/** The value of the sample with these labels (0 when there is none yet: a counter not yet moved). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = samples(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}

const moved = (before: string, after: string, name: string, labels: Record<string, string>) =>
  value(after, name, labels) - value(before, name, labels);

describe('request metrics', () => {
  it('count a REST route under its pattern, with its latency, and its errors by code', async () => {
    const records = await restLoggedIn(app, 'records');
    const created = await records.post<Patient>('/api/v1/patients', patientInput());
    expect(created.status).toBe(201);
    const before = await scrape();
    expect((await records.get(`/api/v1/patients/${created.body.id}`)).status).toBe(200);
    expect((await records.get(`/api/v1/patients/${created.body.id}`)).status).toBe(200);
    expect((await records.get(`/api/v1/patients/${MISSING_ID}`)).status).toBe(404);
    const after = await scrape();

    const route = { method: 'GET', route: '/api/v1/patients/:patientId' };
    expect(moved(before, after, 'hmis_http_requests_total', { ...route, status: '200' })).toBe(2);
    expect(moved(before, after, 'hmis_http_requests_total', { ...route, status: '404' })).toBe(1);
    expect(moved(before, after, 'hmis_http_request_duration_seconds_count', route)).toBe(3);
    expect(moved(before, after, 'hmis_http_request_duration_seconds_sum', route)).toBeGreaterThan(0);
    expect(moved(before, after, 'hmis_errors_total', { transport: 'rest', code: 'NOT_FOUND' })).toBe(1);

    // A histogram: cumulative buckets ending in +Inf = count.
    const buckets = samples(after, 'hmis_http_request_duration_seconds_bucket').filter(
      (s) => s.labels.route === route.route && s.labels.method === 'GET',
    );
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    expect(buckets.at(-1)?.value).toBe(value(after, 'hmis_http_request_duration_seconds_count', route));
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
  });

  it('count a tRPC procedure under its path, a batch as /trpc/batch, and a failed call under its code', async () => {
    const records = new TrpcClient(app);
    expect((await records.login('records')).status).toBe(200);
    const created = await records.mutate<Patient>('patients.create', patientInput());
    const before = await scrape();
    expect((await records.query('patients.get', { id: created.data.id })).status).toBe(200);
    expect((await records.query('patients.get', { id: MISSING_ID })).status).toBe(404);
    const batch = await app.inject({
      method: 'GET',
      url: `/trpc/patients.get,patients.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { id: created.data.id }, 1: { id: created.data.id } }))}`,
      headers: { cookie: records.cookie! },
    });
    expect(batch.statusCode).toBe(200);
    const after = await scrape();

    const get = { method: 'GET', route: '/trpc/patients.get' };
    expect(moved(before, after, 'hmis_http_requests_total', { ...get, status: '200' })).toBe(1);
    expect(moved(before, after, 'hmis_http_requests_total', { ...get, status: '404' })).toBe(1);
    expect(moved(before, after, 'hmis_http_request_duration_seconds_count', get)).toBe(2);
    expect(moved(before, after, 'hmis_http_requests_total', { method: 'GET', route: '/trpc/batch', status: '200' })).toBe(1);
    expect(moved(before, after, 'hmis_errors_total', { transport: 'trpc', code: 'NOT_FOUND' })).toBe(1);
  });

  it('count an unknown address and an unknown procedure as unmatched, and a refusal before the procedure under its code', async () => {
    const before = await scrape();
    expect((await app.inject({ method: 'GET', url: `/no/such/place/${MISSING_ID}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/trpc/patients.nothing${MISSING_ID}` })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/trpc/patients.get?input=${encodeURIComponent(JSON.stringify({ id: MISSING_ID }))}` }))
        .statusCode,
    ).toBe(401);
    const after = await scrape();
    expect(moved(before, after, 'hmis_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(2);
    expect(moved(before, after, 'hmis_errors_total', { transport: 'trpc', code: 'UNAUTHENTICATED' })).toBe(1);
  });

  it('put no id, record or raw address in any label: only route patterns, procedure paths and fixed words', async () => {
    const records = await restLoggedIn(app, 'records');
    const input = patientInput();
    const created = await records.post<Patient>('/api/v1/patients', input);
    await records.get(`/api/v1/patients/${created.body.id}`);
    await records.get(`/api/v1/patients?q=${encodeURIComponent(input.lastName)}`);
    await records.get(`/api/v1/patients/${MISSING_ID}/consultations?limit=5`);
    await app.inject({ method: 'GET', url: `/trpc/patients.get?input=${encodeURIComponent(JSON.stringify({ id: MISSING_ID }))}` });
    const text = await scrape();

    expect(text).not.toMatch(new RegExp(`${MISSING_ID}|${input.lastName}|${created.body.mrn}|\\?|input=`, 'i'));
    const routes = new Set(samples(text, 'hmis_http_requests_total').map((s) => s.labels.route!));
    expect(routes.size).toBeGreaterThan(3);
    for (const route of routes) {
      expect(route).toMatch(/^(unmatched|\/trpc\/[A-Za-z]+(\.[A-Za-z]+)*|\/[A-Za-z0-9_/:.*-]*)$/);
      expect(route, 'a numeric path segment').not.toMatch(/\/\d+(\/|$)/);
    }
    expect(routes).toContain('/api/v1/patients/:patientId/consultations');
    // Every line is a comment or a sample of Prometheus' text format.
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      expect(line).toMatch(/^[A-Za-z_:][\w:]*(\{([A-Za-z_]\w*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[\d.]+(e[+-]?\d+)?|NaN|[+-]Inf)$/);
    }
  });
});

describe('gauges', () => {
  it('report the database pool: connections used, free and queued, and its limit', async () => {
    const held = await env.database.pool.getConnection();
    try {
      const text = await scrape();
      expect(value(text, 'hmis_db_pool_connections', { state: 'used' })).toBeGreaterThanOrEqual(1);
      expect(
        samples(text, 'hmis_db_pool_connections')
          .map((s) => s.labels.state)
          .sort(),
      ).toEqual(['free', 'queued', 'used']);
      expect(value(text, 'hmis_db_pool_connection_limit')).toBe(30); // createTestEnv's pool
    } finally {
      held.release();
    }
  });

  it('report the group-commit backlog: rows waiting while a write is in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupCommit<number>(() => gate);
    const rows = [1, 2, 3].map((n) => group.add(n)); // 1 goes out at once; 2 and 3 wait for it
    try {
      expect(value(await scrape(), 'hmis_group_commit_pending')).toBeGreaterThanOrEqual(2);
    } finally {
      release();
      await Promise.all(rows);
    }
    expect(value(await scrape(), 'hmis_group_commit_pending')).toBe(0);
  });

  it('report failed and dropped view-audit writes, as the audit service counts them', async () => {
    const text = await scrape();
    const counts = viewAuditFailures();
    expect(samples(text, 'hmis_view_audit_failed_writes_total')).toEqual([{ labels: {}, value: counts.failedWrites }]);
    expect(samples(text, 'hmis_view_audit_dropped_total')).toEqual([{ labels: {}, value: counts.dropped }]);
    expect(samples(text, 'hmis_db_failovers_total')).toEqual([]); // one database host: no failover count
  });

  it('report the event-loop lag and the process (prom-client default metrics, prefixed hmis_)', async () => {
    const text = await scrape();
    for (const name of [
      'hmis_nodejs_eventloop_lag_seconds',
      'hmis_nodejs_eventloop_lag_p99_seconds',
      'hmis_process_resident_memory_bytes',
    ]) {
      expect(samples(text, name), name).toHaveLength(1);
    }
  });

  it('stay empty rather than wrong when the pool is not a mysql2 pool', () => {
    expect(poolCounts({})).toBeNull();
    expect(poolCounts(null)).toBeNull();
    expect(poolCounts(env.database.pool)).toMatchObject({ limit: 30 });
  });
});

describe('who may read /metrics', () => {
  it("refuses the main port's /metrics without the token, with another token, or another scheme (401)", async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN.slice(1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(res.body).not.toContain('hmis_');
    }
  });

  it('serves no /metrics on the main port when no token is set, nor anything when metrics are off', async () => {
    const untokened = await buildApp({
      db: env.database.db,
      clock: env.clock,
      sessionSecret: env.sessionSecret,
      secureCookies: false,
      metrics,
    });
    try {
      for (const server of [untokened, env.app]) {
        expect((await server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
        // A bearer token there is taken for a personal API token, and refused.
        const res = await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.statusCode).toBe(401);
        expect(res.body).not.toContain('hmis_');
      }
    } finally {
      await untokened.close();
    }
  });

  it('answers GET /metrics on the separate port without a token, and nothing else there', async () => {
    const server = metricsServer(metrics);
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${address}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await res.text()).toMatch(/^hmis_http_requests_total\{/m);
      expect((await fetch(`${address}/api/v1/live`)).status).toBe(404);
      expect((await fetch(`${address}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('settings', () => {
  it('are off by default, the port bound to this host, and a short token refused', () => {
    const defaults = readEnv({});
    expect(defaults.HMIS_METRICS_PORT).toBeUndefined();
    expect(defaults.HMIS_METRICS_TOKEN).toBeUndefined();
    expect(defaults.HMIS_METRICS_HOST).toBe('127.0.0.1');
    expect(() => readEnv({ HMIS_METRICS_TOKEN: 'short' })).toThrow(/^Invalid environment: HMIS_METRICS_TOKEN/);
    expect(() => readEnv({ HMIS_METRICS_PORT: '0' })).toThrow(/HMIS_METRICS_PORT/);
  });

  it('the server started by main.ts serves the metrics port and the token, closes both on SIGTERM, and will not start without its metrics port', {
    timeout: 180_000,
  }, async () => {
    const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_metrics_')}`;
    const server = (metricsPort: number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          NODE_ENV: 'production',
          SESSION_SECRET: 'x'.repeat(48),
          DATABASE_URL: url,
          PORT: '0',
          LOG_LEVEL: 'silent',
          HMIS_METRICS_PORT: String(metricsPort),
          HMIS_METRICS_TOKEN: TOKEN,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const started = (async () => {
        const deadline = Date.now() + 90_000;
        while (!/listening on/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        return /listening on (http:\/\/\S+)/.exec(out)?.[1];
      })();
      return { child, exited, started, output: () => out };
    };
    // A port free a moment ago, then held by someone else.
    const held = net.createServer();
    const port = await new Promise<number>((resolve) =>
      held.listen(0, '127.0.0.1', () => resolve((held.address() as net.AddressInfo).port)),
    );
    await new Promise((resolve) => held.close(resolve));
    const first = server(port);
    try {
      const main = await first.started;
      expect(first.output()).toContain(`Prometheus metrics at http://127.0.0.1:${port}/metrics`);
      await fetch(`${main}/api/v1/live`);
      const own = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(own.status).toBe(200);
      const text = await own.text();
      expect(value(text, 'hmis_http_requests_total', { method: 'GET', route: '/api/v1/live', status: '200' })).toBe(1);
      expect(samples(text, 'hmis_db_pool_connections')).toHaveLength(3);
      expect((await fetch(`${main}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await fetch(`${main}/metrics`)).status).toBe(401);

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();

      await new Promise<void>((resolve) => held.listen(port, '127.0.0.1', resolve));
      const second = server(port);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain('EADDRINUSE');
      expect(second.output()).not.toContain('listening on');
    } finally {
      first.child.kill('SIGKILL');
      held.close();
      await dropDatabase(url);
    }
  });
});
