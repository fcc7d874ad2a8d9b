/** `npm start` as a user runs it: a real process, a real port, the demo data, and the production guards. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, dropDatabase } from '../src/db/client';
import { migrationState } from '../src/db/migration-lock';
import { uniqueName } from './helpers';

const serverDir = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];
const databases: string[] = [];

function freshDatabaseUrl(): string {
  const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_start_')}`;
  databases.push(url);
  return url;
}

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--enable-source-maps', '--max-semi-space-size=8', 'dist/main.mjs'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function listeningAddress(output: () => string, exited: Promise<number | null>): Promise<string> {
  const deadline = Date.now() + 60_000;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    const m = /listening on (http:\/\/\S+)/.exec(output());
    if (m?.[1]) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${output()}`);
}

// What `npm start` runs: the server's prestart builds dist/main.mjs.
beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: serverDir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
});

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

  it('two production servers started at the same moment on an empty database both serve, the schema applied once, 5 times over', { timeout: 240_000 }, async () => {
    for (let run = 1; run <= 5; run++) {
      const url = freshDatabaseUrl();
      const servers = [1, 2].map(() => start({ DATABASE_URL: url, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) }));
      for (const server of servers) {
        const base = await listeningAddress(server.output, server.exited);
        expect((await fetch(`${base}/api/v1/status`)).status).toBe(200);
        expect(server.output()).not.toMatch(/already exists/i);
      }
      const database = connect(url, { connectionLimit: 1 });
      try {
        expect(await migrationState(database.db)).toMatchObject({ pending: 0 });
      } finally {
        await database.close();
      }
      for (const server of servers) {
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      }
    }
  });

  it('with HMIS_MIGRATE_ON_START=false refuses an unmigrated database in one line, and starts once `npm run migrate` has run', { timeout: 120_000 }, async () => {
    const env = { DATABASE_URL: freshDatabaseUrl(), NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), HMIS_MIGRATE_ON_START: 'false' };
    const refused = start(env);
    expect(await refused.exited).toBe(1);
    expect(refused.output().trim()).toMatch(/^The database lacks \d+ migration\(s\): run `npm run migrate` first/);
    expect(refused.output().trim().split('\n')).toHaveLength(1);

    const migrate = spawnSync('npm', ['run', '-s', 'migrate'], { cwd: serverDir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: env.DATABASE_URL } });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/migrations: applied [1-9]\d*, the database has all/);

    const server = start(env);
    const base = await listeningAddress(server.output, server.exited);
    expect((await fetch(`${base}/api/v1/status`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
