/**
 * Several database hosts (issue 12, "Database failover"; decision 022). The app reaches one database server through two
 * TCP proxies the test controls, named as two hosts; stopping a proxy is a host lost. The Galera cluster test
 * (test/cluster) does the same with a real node killed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { connect, firstReachableUrl, type Database } from '../src/db/client';
import type { FailoverEvent } from '../src/db/failover';
import { databaseUrls, readEnv } from '../src/env';
import { Metrics, poolCounts } from '../src/metrics';
import { databaseProxy, type DatabaseProxy } from './database-proxy';
import { createTestEnv, patientInput, type TestEnv } from './helpers';
import { RestClient } from './rest-helpers';

let env: TestEnv;
let proxies: DatabaseProxy[];
let database: Database;
let app: FastifyInstance;
let url: string;
const moves: FailoverEvent[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  const target = new URL(env.url);
  proxies = [
    await databaseProxy({ host: target.hostname, port: Number(target.port || 3306) }),
    await databaseProxy({ host: target.hostname, port: Number(target.port || 3306) }),
  ];
  url = env.url.replace(`@${target.host}/`, `@${proxies.map((p) => `127.0.0.1:${p.port}`).join(',')}/`);
  database = connect(url, { connectionLimit: 5, connectTimeoutMs: 800, onFailover: (event) => moves.push(event) });
  app = await buildApp({
    db: database.db,
    clock: env.clock,
    sessionSecret: env.sessionSecret,
    secureCookies: false,
    requestTimeoutMs: 3000,
  });
});
afterAll(async () => {
  await app?.close();
  await database?.close().catch(() => undefined);
  for (const p of proxies ?? []) await p.close();
  await env?.close();
});

const host = (i: number) => `127.0.0.1:${proxies[i]!.port}`;

/** `count` registrations one after another; the ids of those acknowledged, and the statuses of the rest. */
async function register(rest: RestClient, count: number) {
  const ids: number[] = [];
  const refused: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await rest.post('/api/v1/patients', patientInput());
    if (res.status === 201) ids.push(res.body.id as number);
    else refused.push(res.status);
  }
  return { ids, refused };
}

async function saved(ids: number[]): Promise<number> {
  const [rows] = (await env.database.pool.query('SELECT COUNT(*) AS n FROM patients WHERE id IN (?)', [ids])) as unknown as [
    { n: number }[],
  ];
  return Number(rows[0]!.n);
}

describe('several database hosts (issue 12)', () => {
  it('DATABASE_URL and HMIS_DB_HOST take a comma-separated list of hosts, each with its own port', () => {
    expect(databaseUrls('mysql://u:p%40ss@db1,db2:3307,[::1]:3308/hmis?ssl=x')).toEqual([
      'mysql://u:p%40ss@db1/hmis?ssl=x',
      'mysql://u:p%40ss@db2:3307/hmis?ssl=x',
      'mysql://u:p%40ss@[::1]:3308/hmis?ssl=x',
    ]);
    expect(databaseUrls('mysql://u@db/hmis')).toEqual(['mysql://u@db/hmis']);
    expect(readEnv({ HMIS_DB_HOST: 'db1,db2:3307,::1', HMIS_DB_PORT: '3310', HMIS_DB_USER: 'hmis' }).DATABASE_URL).toBe(
      'mysql://hmis@db1:3310,db2:3307,[::1]:3310/hmis',
    );
    expect(readEnv({ DATABASE_URL: 'mysql://hmis@db1:3306,db2:3306/hmis' }).DATABASE_URL).toBe('mysql://hmis@db1:3306,db2:3306/hmis');
    expect(() => readEnv({ DATABASE_URL: 'mysql://hmis@db1:3306,db2:notaport/hmis' })).toThrow(
      /^Invalid environment: DATABASE_URL: a mysql:\/\/ URL/,
    );
    expect(() => readEnv({ HMIS_DB_HOST: 'db1,,db2', HMIS_DB_USER: 'hmis' })).toThrow(/^Invalid environment: HMIS_DB_HOST/);
  });

  it('uses the first host while it answers, and moves to the next when it is lost, without a restart; nothing acknowledged is lost', async () => {
    const rest = new RestClient(app);
    expect((await rest.login('records')).status).toBe(200);
    const before = await register(rest, 5);
    expect(before.refused).toEqual([]);
    expect(moves).toEqual([]);
    expect((database.pool as { host?: string }).host).toBe(host(0));

    proxies[0]!.set('refuse'); // the first host stops: its connections are dropped, new ones refused
    const after = await register(rest, 20);
    // Only a request already running on the lost host may be refused (its outcome cannot be known): 503, never 500.
    expect(after.refused.length).toBeLessThanOrEqual(1);
    expect(after.refused.every((s) => s === 503)).toBe(true);
    expect(after.ids.length).toBeGreaterThanOrEqual(19);
    expect(moves).toMatchObject([{ from: host(0), to: host(1) }]);
    expect((await rest.get('/api/v1/patients?limit=5')).status).toBe(200); // the session (in the database) survived the move
    expect(await saved([...before.ids, ...after.ids])).toBe(before.ids.length + after.ids.length);
    expect(poolCounts(database.pool)).toMatchObject({ limit: 5 }); // the pool gauge reads the host in use
    const text = await new Metrics({ pool: database.pool }).exposition();
    expect(text).toMatch(/^hmis_db_failovers_total 1$/m);
  });

  it('stays on the host it moved to when the first comes back, and moves back when that one is lost in turn', async () => {
    const rest = new RestClient(app);
    expect((await rest.login('doctor')).status).toBe(200);
    proxies[0]!.set('pass');
    expect((await rest.get('/api/v1/patients?limit=1')).status).toBe(200);
    expect(moves).toHaveLength(1);

    proxies[1]!.set('refuse');
    const reads = await Promise.all(Array.from({ length: 10 }, () => rest.get('/api/v1/patients?limit=1')));
    expect(reads.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect((await rest.get('/api/v1/patients?limit=1')).status).toBe(200);
    expect(moves).toMatchObject([
      { from: host(0), to: host(1) },
      { from: host(1), to: host(0) },
    ]);
  });

  it('with every host lost it answers 503 at once, and serves again as soon as one is back', async () => {
    const rest = new RestClient(app);
    expect((await rest.login('records')).status).toBe(200);
    proxies[0]!.set('refuse');
    proxies[1]!.set('refuse');
    const started = performance.now();
    const res = await rest.post('/api/v1/patients', patientInput());
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'UNAVAILABLE' });
    expect(performance.now() - started).toBeLessThan(3000);

    proxies[1]!.set('pass');
    await expect
      .poll(async () => (await rest.post('/api/v1/patients', patientInput())).status, { timeout: 10_000, interval: 200 })
      .toBe(201);
    proxies[0]!.set('pass');
  });

  it('work done on one server (creating the database, backup, restore) goes to the first host that answers', async () => {
    proxies[0]!.set('refuse');
    const chosen = await firstReachableUrl(url, 800);
    expect(chosen).toContain(`@${host(1)}/`);
    proxies[0]!.set('pass');
    expect(await firstReachableUrl(url, 800)).toContain(`@${host(0)}/`);
  });
});
