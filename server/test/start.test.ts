/** `npm start` as a user runs it: a real process, a real port, the demo data, and the production guards. */
import { spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StaffCreateInput } from '@hmis/shared';
import { systemClock } from '../src/clock';
import { connect, dropDatabase } from '../src/db/client';
import { createFirstAdmin, createStaff, getStaffRow, toActor } from '../src/services/staff';
import { databaseProxy } from './database-proxy';
import { PASSWORD, patientInput, uniqueName } from './helpers';
import { buildServerBundle, listeningAddress, startServer, type ServerProcess } from './server-process';

const serverDir = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
const databases: string[] = [];

function freshDatabaseUrl(): string {
  const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_start_')}`;
  databases.push(url);
  return url;
}

function start(env: Record<string, string>): ServerProcess {
  const server = startServer(env);
  children.push(server.child);
  return server;
}

// What `npm start` runs: the server's prestart builds dist/main.mjs.
beforeAll(buildServerBundle);

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  for (const url of databases) await dropDatabase(url);
});

describe('npm start', () => {
  it('creates the database, migrates it, adds demo accounts and serves the API', { timeout: 90_000 }, async () => {
    const server = start({ DATABASE_URL: freshDatabaseUrl(), NODE_ENV: 'development', HMIS_DEMO_PASSWORD: 'demo-password-for-test' });
    const base = await listeningAddress(server.output, server.exited);
    expect(await (await fetch(`${base}/trpc/system.status`)).json()).toEqual({ result: { data: { status: 'OK' } } });
    for (const username of ['admin', 'doctor', 'nurse', 'pharmacist', 'records']) {
      const res = await fetch(`${base}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'demo-password-for-test' }),
      });
      expect(res.status, username).toBe(200);
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses to start in production without a session secret, in one line', { timeout: 60_000 }, async () => {
    const server = start({ DATABASE_URL: freshDatabaseUrl(), NODE_ENV: 'production' });
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toMatch(/^Invalid environment: SESSION_SECRET/);
    expect(server.output().trim().split('\n')).toHaveLength(1);
  });

  it('creates no demo data in production', { timeout: 90_000 }, async () => {
    const server = start({ DATABASE_URL: freshDatabaseUrl(), NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    const base = await listeningAddress(server.output, server.exited);
    const res = await fetch(`${base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'demo-password-2026' }),
    });
    expect(res.status).toBe(401);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  // Two servers started together on an empty database: two-servers.test.ts (migrated once, 5 times of 5).

  it('with HMIS_MIGRATE_ON_START=false refuses an unmigrated database in one line, and starts once `npm run migrate` has run', {
    timeout: 120_000,
  }, async () => {
    const env = {
      DATABASE_URL: freshDatabaseUrl(),
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      HMIS_MIGRATE_ON_START: 'false',
    };
    const refused = start(env);
    expect(await refused.exited).toBe(1);
    expect(refused.output().trim()).toMatch(/^The database lacks \d+ migration\(s\): run `npm run migrate` first/);
    expect(refused.output().trim().split('\n')).toHaveLength(1);

    const migrate = spawnSync('npm', ['run', '-s', 'migrate'], {
      cwd: serverDir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: env.DATABASE_URL },
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/migrations: applied [1-9]\d*, the database has all/);

    const server = start(env);
    const base = await listeningAddress(server.output, server.exited);
    expect((await fetch(`${base}/api/v1/status`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

/** How one request of the burst ended, as its client saw it. */
type Outcome =
  | { kind: 'complete'; status: number; method: string }
  /** No connection (the server no longer listens): never reached the server. */
  | { kind: 'refused' }
  /** The connection ended before any byte of a response: the request was not taken (a proxy retries these). */
  | { kind: 'reset' }
  /** A response began and did not finish: what must never happen. */
  | { kind: 'truncated' };

function send(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    let responded = false;
    const settle = (o: Outcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        responded = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            JSON.parse(text);
            settle(res.complete ? { kind: 'complete', status: res.statusCode ?? 0, method } : { kind: 'truncated' });
          } catch {
            settle({ kind: 'truncated' });
          }
        });
        res.on('close', () => settle({ kind: 'truncated' }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      settle(responded ? { kind: 'truncated' } : e.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset' }),
    );
    req.end(payload);
  });
}

/** A production server on a fresh database with a record officer signed in over HTTP: its cookie and CSRF token. */
async function productionServerWithRecordOfficer() {
  const url = freshDatabaseUrl();
  const server = start({ DATABASE_URL: url, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'info' });
  const base = new URL(await listeningAddress(server.output, server.exited));
  const database = connect(url, { connectionLimit: 2 });
  const person = (role: 'admin' | 'recordofficer', username: string) =>
    StaffCreateInput.parse({
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      role,
      firstName: username,
      lastName: 'Tester',
      gender: 'Female',
    });
  const admin = await createFirstAdmin(database.db, { clock: systemClock, ip: null }, person('admin', 'admin'));
  await createStaff(
    database.db,
    { actor: toActor(await getStaffRow(database.db, admin.id)), clock: systemClock, ip: null },
    person('recordofficer', 'records'),
  );
  const login = await fetch(new URL('/api/v1/auth/login', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'records', password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const headers = {
    cookie: login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken,
  };
  return { server, base, database, headers };
}

const logLines = (output: string, msg: string) =>
  output.split('\n').filter((line) => line.startsWith('{') && line.includes(`"msg":"${msg}"`)).length;

describe('graceful shutdown (issue 12)', () => {
  it('SIGTERM during a burst of 200 requests from 4 keep-alive clients: every request the server took is answered in full, no write is lost, exit 0 within the deadline', {
    timeout: 120_000,
  }, async () => {
    const { server, base, database, headers } = await productionServerWithRecordOfficer();
    try {
      const outcomes: (Outcome & { afterSignal: boolean })[] = [];
      let signalledAt = 0;
      const client = async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; i < 50; i++) {
          const afterSignal = signalledAt > 0;
          const outcome =
            i % 3 === 0
              ? await send(agent, base, 'POST', '/api/v1/patients', headers, patientInput())
              : i % 3 === 1
                ? await send(agent, base, 'GET', '/api/v1/status', {})
                : await send(agent, base, 'GET', '/api/v1/patients?limit=5', headers);
          outcomes.push({ ...outcome, afterSignal });
          if (!signalledAt && outcomes.length >= 60) {
            signalledAt = performance.now();
            server.child.kill('SIGTERM');
          }
        }
        agent.destroy();
      };
      const exited = server.exited.then((code) => ({ code, ms: performance.now() - signalledAt }));
      await Promise.all([client(), client(), client(), client()]);
      const { code, ms } = await exited;

      const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
      const complete = outcomes.filter(
        (o): o is Extract<Outcome, { kind: 'complete' }> & { afterSignal: boolean } => o.kind === 'complete',
      );
      console.log(
        `shutdown: exit ${code} after ${Math.round(ms)} ms; of 200 requests ${complete.length} answered ` +
          `(${complete.filter((o) => o.afterSignal).length} sent after SIGTERM), ${count('refused')} refused, ` +
          `${count('reset')} reset before any response (${outcomes.filter((o) => o.kind === 'reset' && !o.afterSignal).length} of them sent before SIGTERM), ` +
          `${count('truncated')} truncated`,
      );
      expect(outcomes).toHaveLength(200);
      expect(count('truncated')).toBe(0);
      // A request already sent when the signal came is answered, even on a connection that was idle (decision 018).
      expect(outcomes.filter((o) => o.kind === 'reset' && !o.afterSignal)).toEqual([]);
      // Nothing refused with a 503 or failed: only the answers of a healthy server.
      expect(complete.filter((o) => ![200, 201].includes(o.status))).toEqual([]);
      // Every request the server took (its log says "incoming request"; +1: the login) got its whole answer.
      expect(logLines(server.output(), 'incoming request')).toBe(complete.length + 1);
      expect(logLines(server.output(), 'request completed')).toBe(complete.length + 1);
      // Every acknowledged registration is in the database, and nothing else was written.
      const [[{ n }]] = (await database.db.execute(sql`SELECT COUNT(*) AS n FROM patients`)) as unknown as [[{ n: number }]];
      expect(n).toBe(complete.filter((o) => o.method === 'POST' && o.status === 201).length);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000); // HMIS_SHUTDOWN_TIMEOUT_MS's default
    } finally {
      await database.close();
    }
  });

  it('a client holding a half-sent request (headers or body) or an idle keep-alive connection does not keep the server alive: exit 0 within the deadline', {
    timeout: 90_000,
  }, async () => {
    const server = start({ DATABASE_URL: freshDatabaseUrl(), NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    const base = new URL(await listeningAddress(server.output, server.exited));
    const open = async (bytes: string) => {
      const socket = net.connect(Number(base.port), base.hostname);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.on('error', () => undefined).resume();
      socket.write(bytes);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      return { socket, closed };
    };
    const held = [
      await open('GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '),
      await open(
        'POST /api/v1/patients HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"firstName":',
      ),
      await open('GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), // answered, then idle and kept alive
    ];
    await new Promise((r) => setTimeout(r, 500)); // the server has read what was sent
    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const ms = performance.now() - signalledAt;
    console.log(`shutdown with half-sent requests held: exit ${code} after ${Math.round(ms)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    await Promise.all(held.map((h) => h.closed));
  });

  it('a request still running at the deadline (a frozen database) is cut off: exit 1 at HMIS_SHUTDOWN_TIMEOUT_MS, saying so', {
    timeout: 90_000,
  }, async () => {
    const target = new URL(inject('dbServerUrl'));
    const proxy = await databaseProxy({ host: target.hostname, port: Number(target.port || 3306) });
    try {
      const url = new URL(freshDatabaseUrl());
      url.host = `127.0.0.1:${proxy.port}`;
      const server = start({
        DATABASE_URL: url.toString(),
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        HMIS_SHUTDOWN_TIMEOUT_MS: '2000',
      });
      const base = await listeningAddress(server.output, server.exited);
      expect((await fetch(`${base}/api/v1/status`)).status).toBe(200);
      proxy.set('freeze');
      const hanging = fetch(`${base}/api/v1/status`).then(
        (r) => r.status,
        () => 'no answer',
      );
      await new Promise((r) => setTimeout(r, 500)); // the request is waiting on the database
      const signalledAt = performance.now();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(1);
      const ms = performance.now() - signalledAt;
      console.log(`shutdown with a request hanging on a frozen database: exit 1 after ${Math.round(ms)} ms (deadline 2000 ms)`);
      expect(ms).toBeLessThan(10_000);
      expect(server.output()).toMatch(/Shutdown: requests still running after 2000 ms were cut off/);
      expect(await hanging).toBe('no answer');
    } finally {
      await proxy.close();
    }
  });
});
