/**
 * Issue 11, finding 5: with the database stopped every request answered 500 INTERNAL; with it frozen, requests hung
 * as long as it did. The app here reaches the test database through a TCP proxy the test controls: passing, refusing
 * (a stopped database) or holding every byte (a frozen one).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { connect, type Database } from '../src/db/client';
import { databaseProxy, type DatabaseProxy } from './database-proxy';
import { createTestEnv, patientInput, TrpcClient, type TestEnv } from './helpers';
import { RestClient } from './rest-helpers';

let env: TestEnv;
let proxy: DatabaseProxy;
let proxied: Database;
let app: FastifyInstance;
const DEADLINE = 1500;

beforeAll(async () => {
  env = await createTestEnv();
  const url = new URL(env.url);
  proxy = await databaseProxy({ host: url.hostname, port: Number(url.port || 3306) });
  url.host = `127.0.0.1:${proxy.port}`;
  proxied = connect(url.toString(), { connectionLimit: 5, connectTimeoutMs: 800 });
  app = await buildApp({
    db: proxied.db,
    clock: env.clock,
    sessionSecret: env.sessionSecret,
    secureCookies: false,
    requestTimeoutMs: DEADLINE,
  });
});
afterAll(async () => {
  await app?.close();
  await proxied?.close().catch(() => undefined);
  await proxy?.close();
  await env?.close();
});

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await f();
  return { value, ms: performance.now() - start };
}

describe('database faults (issue 11, finding 5)', () => {
  it('answers 503 UNAVAILABLE quickly while the database is stopped or frozen, on both transports, and recovers by itself', async () => {
    const rest = new RestClient(app);
    expect((await rest.login('records')).status).toBe(200);
    const trpc = new TrpcClient(app);
    expect((await trpc.login('records')).status).toBe(200);
    expect((await rest.get('/api/v1/patients')).status).toBe(200);

    proxy.set('refuse');
    for (const call of [() => rest.get('/api/v1/patients'), () => rest.post('/api/v1/patients', patientInput())]) {
      const { value, ms } = await timed(call);
      expect(value.status).toBe(503);
      expect(value.body).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/cannot be reached/) });
      expect(ms).toBeLessThan(DEADLINE + 1000);
    }
    const viaTrpc = await trpc.query('patients.list', {});
    expect(viaTrpc.status).toBe(503);
    expect(viaTrpc.error?.code).toBe('UNAVAILABLE');

    proxy.set('freeze');
    const frozen = await timed(() => rest.get('/api/v1/patients'));
    expect(frozen.value.status).toBe(503);
    expect(frozen.ms).toBeLessThan(DEADLINE + 1500);

    proxy.set('pass');
    await expect.poll(async () => (await rest.get('/api/v1/patients')).status, { timeout: 15_000, interval: 300 }).toBe(200);
    expect((await rest.post('/api/v1/patients', patientInput())).status).toBe(201);
  });
});

describe('health endpoints (issue 12)', () => {
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('/api/v1/status answers 503 with its body while the database is stopped or frozen, /api/v1/live 200 meanwhile; both 200 again after', async () => {
    expect((await get('/api/v1/status')).json()).toEqual({ status: 'OK' });
    expect((await get('/api/v1/status')).statusCode).toBe(200);

    proxy.set('refuse');
    const stopped = await get('/api/v1/status');
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toEqual({ status: 'FAIL' });
    const live = await get('/api/v1/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'OK' });

    proxy.set('freeze');
    expect((await get('/api/v1/status')).statusCode).toBe(503);
    // A request that waited on the frozen database would get the deadline's 503.
    expect((await get('/api/v1/live')).statusCode).toBe(200);

    proxy.set('pass');
    await expect.poll(async () => (await get('/api/v1/status')).statusCode, { timeout: 15_000, interval: 300 }).toBe(200);
    expect((await get('/api/v1/live')).statusCode).toBe(200);
  });

  it('both are in the OpenAPI document, public; the 503 of /status is declared', async () => {
    const doc = (await get('/api/openapi.json')).json();
    const live = doc.paths['/api/v1/live'].get;
    expect(live.security).toEqual([]);
    expect(live.responses['200'].content['application/json'].schema).toMatchObject({ properties: { status: { const: 'OK' } } });
    const status = doc.paths['/api/v1/status'].get;
    expect(status.security).toEqual([]);
    expect(Object.keys(status.responses)).toEqual(expect.arrayContaining(['200', '503']));
  });
});
