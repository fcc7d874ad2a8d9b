/**
 * Issue 11, finding 5: with the database stopped every request answered 500 INTERNAL; with it frozen, requests hung
 * as long as it did. The app here reaches the test database through a TCP proxy the test controls: passing, refusing
 * (a stopped database) or holding every byte (a frozen one).
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { connect, type Database } from '../src/db/client';
import { createTestEnv, patientInput, TrpcClient, type TestEnv } from './helpers';
import { RestClient } from './rest-helpers';

type Mode = 'pass' | 'refuse' | 'freeze';

/** A proxy to the database server: new connections and their bytes pass, are refused, or are held. */
async function databaseProxy(target: { host: string; port: number }) {
  let mode: Mode = 'pass';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const forward = (from: net.Socket, to: net.Socket) => from.on('data', (chunk) => { if (mode === 'pass') to.write(chunk); });
    forward(client, upstream);
    forward(upstream, client);
    for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => { client.destroy(); upstream.destroy(); sockets.delete(s); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    set(next: Mode) {
      mode = next;
      // A stopped database drops the connections it had; a frozen one keeps them open and silent.
      if (next === 'refuse') for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

let env: TestEnv;
let proxy: Awaited<ReturnType<typeof databaseProxy>>;
let proxied: Database;
let app: FastifyInstance;
const DEADLINE = 1500;

beforeAll(async () => {
  env = await createTestEnv();
  const url = new URL(env.url);
  proxy = await databaseProxy({ host: url.hostname, port: Number(url.port || 3306) });
  url.host = `127.0.0.1:${proxy.port}`;
  proxied = connect(url.toString(), { connectionLimit: 5, connectTimeoutMs: 800 });
  app = await buildApp({ db: proxied.db, clock: env.clock, sessionSecret: env.sessionSecret, secureCookies: false, requestTimeoutMs: DEADLINE });
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
