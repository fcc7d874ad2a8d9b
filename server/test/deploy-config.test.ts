/**
 * The deployment files of issue 12 (docker/, .env.example; docs/deploy.md) checked with what runs here: Debian's nginx
 * validates both nginx configurations and then serves the site in front of two stand-in app servers; Debian's
 * docker-compose validates the compose file; a Dockerfile linter from npm; systemd-analyze the units; MariaDB's option
 * parser the Galera settings. There is no Docker engine and no MySQL 8 server here (docs/deploy.md says what that
 * leaves unchecked). nginx and docker-compose are required: .ci/run installs them.
 */
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEnv, REPO_ROOT } from '../src/env';
import { IDLE_GRACE_MS } from '../src/plugins/drain';
import { adaptedSite, findTool, NGINX_SITES, requireTool, run, servedSite, type Answer } from './nginx-site';

const DOCKER = path.join(REPO_ROOT, 'docker');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** server/package.json's start script: the command every way of running the server must use. */
const START = (JSON.parse(read('server/package.json')) as { scripts: { start: string } }).scripts.start;
const START_ARGS = START.split(' ')
  .slice(1)
  .map((arg) => (arg === 'dist/main.mjs' ? 'server/dist/main.mjs' : arg));
const SHUTDOWN_MS = readEnv({}).HMIS_SHUTDOWN_TIMEOUT_MS;

// ---------------------------------------------------------------------------------------------------------------- nginx

interface Seen {
  id: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bytes: number;
}

/** A stand-in app server that records what reaches it; `reset` drops each request unanswered, `assets404` lacks assets. */
async function standIn(name: string, behaviour: { reset?: boolean; assets404?: boolean } = {}) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      seen.push({ id: String(req.headers['x-test-id'] ?? ''), method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes });
      if (behaviour.reset) return req.socket.destroy();
      const url = req.url ?? '/';
      if (url.startsWith('/assets/')) {
        if (behaviour.assets404) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND"}');
        return res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' }).end('export {};');
      }
      if (url.startsWith('/api/') || url.startsWith('/trpc/') || url.startsWith('/auth/')) {
        const body = JSON.stringify({ server: name, items: Array.from({ length: 100 }, (_, i) => ({ i, text: 'a patient list row' })) });
        return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      }
      return res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, max-age=600' }).end('<!doctype html>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('nginx (docker/nginx)', () => {
  it.each(NGINX_SITES)('%s passes `nginx -t` with a self-signed certificate, only the upstream addresses adapted', (site) => {
    const nginx = requireTool('nginx', 'nginx');
    const dir = tempDir('hmis-nginx-t-');
    const conf = adaptedSite(dir, site, [3000, 3001], { http: 80, https: 443 });
    const result = run(nginx, ['-t', '-c', conf, '-p', `${dir}/`, '-e', `${dir}/error.log`]);
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain('test is successful');
  });

  it('the Docker configuration sends to the app services of compose.yaml', () => {
    const upstream = /^upstream hmis_app \{([^}]*)\}/m.exec(read('docker/nginx/hmis.conf'))?.[1] ?? '';
    expect([...upstream.matchAll(/server (\S+)/g)].map((m) => m[1])).toEqual(['app1:3000', 'app2:3000']);
  });

  type Site = Awaited<ReturnType<typeof servedSite>>;
  type StandIn = Awaited<ReturnType<typeof standIn>>;

  /** nginx in front of two stand-ins with the given behaviours, all stopped after `check`. */
  async function withSite(
    behaviours: [Parameters<typeof standIn>[1], Parameters<typeof standIn>[1]],
    check: (site: Site, a: StandIn, b: StandIn) => Promise<void>,
  ) {
    const a = await standIn('a', behaviours[0]);
    const b = await standIn('b', behaviours[1]);
    const site = await servedSite([a.port, b.port]);
    try {
      await check(site, a, b);
    } finally {
      await site.stop();
      await Promise.all([a.close(), b.close()]);
    }
  }
  const reached = (standIns: StandIn[], id: string) => standIns.flatMap((s) => s.seen).find((s) => s.id === id);

  /** Sends requests until the failing stand-in has received one (round robin: within a few), returns that one. */
  async function untilReached(failing: StandIn, send: () => Promise<Answer & { id: string }>) {
    for (let i = 0; i < 6; i++) {
      const answer = await send();
      if (reached([failing], answer.id)) return answer;
    }
    throw new Error('the failing app server was never tried');
  }

  it('serves the site over HTTP/2 and TLS, redirects HTTP, and sets the client address itself', () =>
    withSite([{}, {}], async (site, a, b) => {
      expect(await site.plainHttp('/patients/5?tab=vitals')).toEqual({
        status: 301,
        location: 'https://hmis.example.org/patients/5?tab=vitals',
      });
      // Let's Encrypt's challenge is answered over HTTP (here: no such file), not redirected.
      expect((await site.plainHttp('/.well-known/acme-challenge/token')).status).toBe(404);

      const forged = await site.request('/api/v1/patients?q=x', {
        headers: { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' },
      });
      expect(site.alpn()).toBe('h2');
      expect(forged.status).toBe(200);
      expect(reached([a, b], forged.id)?.headers).toMatchObject({
        'x-forwarded-for': '127.0.0.1',
        'x-real-ip': '127.0.0.1',
        'x-forwarded-proto': 'https',
      });
      for (const prefix of ['/trpc/patients.list', '/auth/login', '/api/v1/live']) expect((await site.request(prefix)).status).toBe(200);
    }));

  it('caches hashed assets for a year, never index.html, passes the API its own Cache-Control, and compresses JSON', () =>
    withSite([{}, {}], async (site) => {
      const asset = await site.request('/assets/index-3f9a1c.js');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      for (const page of ['/', '/patients/5']) expect((await site.request(page)).headers['cache-control']).toBe('no-cache');
      const api = await site.request('/api/v1/patients', { headers: { 'accept-encoding': 'gzip' } });
      expect(api.headers['cache-control']).toBe('no-store');
      expect(api.headers['content-encoding']).toBe('gzip');
    }));

  it("refuses a body over the app's 1 MiB limit itself and passes one of exactly 1 MiB", () =>
    withSite([{}, {}], async (site, a, b) => {
      const limit = 1024 * 1024;
      const over = await site.request('/api/v1/patients', { method: 'POST', body: Buffer.alloc(limit + 1) });
      expect(over.status).toBe(413);
      expect(reached([a, b], over.id)).toBeUndefined();
      const at = await site.request('/api/v1/patients', { method: 'POST', body: Buffer.alloc(limit) });
      expect(at.status).toBe(200);
      expect(reached([a, b], at.id)?.bytes).toBe(limit);
    }));

  it('tries the other app server for a GET that failed', () =>
    withSite([{ reset: true }, {}], async (site, broken, healthy) => {
      const answer = await untilReached(broken, () => site.request('/api/v1/patients'));
      expect(answer.status).toBe(200);
      expect(reached([healthy], answer.id)).toBeDefined();
    }));

  it('never resends a POST that reached an app server', () =>
    withSite([{ reset: true }, {}], async (site, broken, healthy) => {
      const answer = await untilReached(broken, () => site.request('/api/v1/patients', { method: 'POST', body: Buffer.from('{}') }));
      expect(answer.status).toBe(502);
      expect(reached([healthy], answer.id)).toBeUndefined();
    }));

  it('asks the other app server for an asset one of them lacks (a rolling upgrade half done)', () =>
    withSite([{ assets404: true }, {}], async (site, old, upgraded) => {
      const answer = await untilReached(old, () => site.request('/assets/index-new.js'));
      expect(answer.status).toBe(200);
      expect(reached([upgraded], answer.id)).toBeDefined();
    }));
});

// ------------------------------------------------------------------------------------------------------- compose file

type ComposeService = {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  restart?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  volumes?: string[];
  entrypoint?: string[];
  command?: string[];
};

/** docker/ and .env.example (as .env) copied to a folder of their own, where `docker-compose config` resolves them. */
function composeConfig(envFile: string) {
  const compose = requireTool('docker-compose', 'docker-compose');
  const dir = tempDir('hmis-compose-');
  cpSync(DOCKER, path.join(dir, 'docker'), { recursive: true });
  writeFileSync(path.join(dir, '.env'), envFile);
  return run(compose, ['-f', 'docker/compose.yaml', '--env-file', '.env', 'config'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
}

/** YAML → JSON with the PyYAML that Debian's docker-compose package depends on. */
function yamlToJson(yaml: string): { services: Record<string, ComposeService> } {
  const result = run('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml });
  expect(result.status, result.out).toBe(0);
  return JSON.parse(result.stdout) as { services: Record<string, ComposeService> };
}

const seconds = (duration = '0s') => Number(/^(\d+)s$/.exec(duration)?.[1] ?? NaN);

describe('docker/compose.yaml', () => {
  it('validates with `docker-compose config` and .env.example, and has what issue 12 asks for', () => {
    const result = composeConfig(read('.env.example'));
    expect(result.status, result.out).toBe(0);
    const { services } = yamlToJson(result.stdout);
    expect(Object.keys(services).sort()).toEqual(['app1', 'app2', 'db', 'galera1', 'galera2', 'galera3', 'migrate', 'nginx']);

    expect(services.db?.image).toBe('mysql:8.4');
    expect(services.db?.profiles).toEqual(['mysql']);
    expect(services.db?.healthcheck?.test.join(' ')).toContain('mysqladmin ping');
    // The database's credentials are the app's separate settings, not a URL.
    const env = Object.fromEntries(
      read('.env.example')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    expect(services.db?.environment).toMatchObject({
      MYSQL_USER: env.HMIS_DB_USER,
      MYSQL_PASSWORD: env.HMIS_DB_PASSWORD,
      MYSQL_DATABASE: env.HMIS_DB_NAME,
    });

    for (const name of ['galera1', 'galera2', 'galera3']) {
      const node = services[name];
      expect(node?.profiles).toEqual(['galera']);
      expect(node?.image).toMatch(/^mariadb:/);
      expect(node?.healthcheck?.test.join(' ')).toContain('wsrep_local_state_comment');
      expect(node?.volumes?.some((v) => v.endsWith('docker/galera:/etc/mysql/conf.d:ro'))).toBe(true);
    }
    expect(services.galera1?.environment?.GALERA_FIRST).toBe('1');
    expect(services.galera2?.environment?.GALERA_FIRST).toBeUndefined();

    for (const name of ['migrate', 'app1', 'app2']) {
      const app = services[name];
      expect(app?.build?.dockerfile).toBe('docker/Dockerfile');
      expect(app?.environment).toMatchObject({
        NODE_ENV: 'production',
        HMIS_TRUST_PROXY: 'true',
        HMIS_MIGRATE_ON_START: 'false',
        HOST: '0.0.0.0',
      });
    }
    expect(services.migrate?.restart).toBe('no');
    expect(services.migrate?.command?.join(' ')).toContain('npm run -s migrate');
    for (const name of ['app1', 'app2']) {
      expect(services[name]?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(services[name]?.restart).toBe('unless-stopped');
      // Docker's SIGKILL must come after the server's own shutdown deadline.
      expect(seconds(services[name]?.stop_grace_period) * 1000).toBeGreaterThan(SHUTDOWN_MS + IDLE_GRACE_MS);
    }
    expect(services.nginx?.depends_on).toEqual({ app1: { condition: 'service_healthy' }, app2: { condition: 'service_healthy' } });
    expect(services.nginx?.volumes?.some((v) => v.endsWith('docker/nginx/hmis.conf:/etc/nginx/conf.d/default.conf:ro'))).toBe(true);
    for (const [name, service] of Object.entries(services)) expect(service.restart, name).toBeDefined();
  });

  it('refuses to start without a database password', () => {
    const result = composeConfig(read('.env.example').replace(/^HMIS_DB_PASSWORD=.*$/m, ''));
    expect(result.status).not.toBe(0);
    expect(result.out).toContain('set HMIS_DB_PASSWORD in .env');
  });
});

// ---------------------------------------------------------------------------------------------------- Galera settings

describe('docker/galera', () => {
  const cnf = read('docker/galera/galera.cnf');

  it('has the settings Galera needs, with mariabackup state transfer', () => {
    const settings = Object.fromEntries(
      cnf
        .split('\n')
        .filter((l) => /^\w+\s*=/.test(l))
        .map((l) => l.split(/\s*=\s*(.*)/s).slice(0, 2)),
    );
    expect(settings).toMatchObject({
      wsrep_on: 'ON',
      wsrep_sst_method: 'mariabackup',
      binlog_format: 'ROW',
      default_storage_engine: 'InnoDB',
      innodb_autoinc_lock_mode: '2',
      wsrep_cluster_address: 'gcomm://galera1,galera2,galera3',
    });
    // MariaDB's own option parser knows every setting (the check the image's entrypoint makes), where it is installed.
    const mariadbd = findTool('mariadbd');
    if (mariadbd) {
      const result = run(mariadbd, [`--defaults-file=${path.join(DOCKER, 'galera/galera.cnf')}`, '--verbose', '--help']);
      expect(result.status, result.out).toBe(0);
      expect(result.stdout).toMatch(/^wsrep-sst-method\s+mariabackup$/m);
    }
  });

  it("bootstraps a new cluster only on galera1's first start or from the node that left last", () => {
    const bin = tempDir('hmis-galera-bin-');
    writeFileSync(path.join(bin, 'docker-entrypoint.sh'), '#!/bin/sh\necho "entrypoint: $*"\n', { mode: 0o755 });
    const start = (env: Record<string, string>, datadir: (dir: string) => void) => {
      const dir = tempDir('hmis-galera-data-');
      datadir(dir);
      const result = run('bash', [path.join(DOCKER, 'galera/start-node.sh'), 'mariadbd', '--wsrep-node-name=n'], {
        env: { PATH: `${bin}:${process.env.PATH}`, HMIS_GALERA_DATADIR: dir, ...env },
      });
      expect(result.status, result.out).toBe(0);
      return result.out.includes('--wsrep-new-cluster');
    };
    const empty = () => {};
    const initialised = (state: 0 | 1) => (dir: string) => {
      mkdirSync(path.join(dir, 'mysql'));
      writeFileSync(path.join(dir, 'grastate.dat'), `# GALERA saved state\nversion: 2.1\nseqno: 42\nsafe_to_bootstrap: ${state}\n`);
    };
    expect(start({ GALERA_FIRST: '1' }, empty)).toBe(true);
    expect(start({}, empty)).toBe(false);
    expect(start({ GALERA_FIRST: '1' }, initialised(0))).toBe(false);
    expect(start({}, initialised(1))).toBe(true);
    expect(start({}, initialised(0))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------- Dockerfile

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => /^[A-Z]+\s/.test(l))
    .map((l) => ({ op: l.split(/\s/)[0] ?? '', args: l.replace(/^[A-Z]+\s+/, '') }));
  const lastStage = instructions.slice(instructions.map((i) => i.op).lastIndexOf('FROM'));

  it('passes the dockerfile-utils linter (npm)', () => {
    const result = run('npx', ['--yes', 'dockerfile-utils@0.16.3', 'lint', path.join(DOCKER, 'Dockerfile')], { cwd: os.tmpdir() });
    expect(result.status, result.out).toBe(0);
    expect(result.out.trim()).toBe('');
  }, 120_000); // the first run fetches the linter from the npm registry

  it('is multi-stage on a Node LTS, runs as a non-root user what `npm start` runs, with a liveness health check', () => {
    const froms = instructions.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s/)[0]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const image of froms) expect(image).toMatch(/^node:(22|24)-bookworm-slim$/);
    expect(dockerfile).toMatch(/RUN npm ci /);

    const last = (op: string) => lastStage.filter((i) => i.op === op).at(-1)?.args;
    expect(last('USER')).toBe('node');
    expect(last('EXPOSE')).toBe('3000');
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    expect(last('HEALTHCHECK')).toContain('/api/v1/live');
    expect(JSON.parse(last('CMD') ?? '[]')).toEqual(['node', ...START_ARGS]);
    // Production dependencies only in the final stage.
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('copies only what exists and what .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const required of ['.git', '**/node_modules', '**/dist', '**/test-results', 'bench-results', '.env', '.data'])
      expect(ignored).toContain(required);
    // The patterns used there: a path from the root, or `**/name` for a file or folder of that name anywhere.
    const matches = (file: string, pattern: string) =>
      pattern.startsWith('**/') ? file.split('/').includes(pattern.slice(3)) : file === pattern || file.startsWith(`${pattern}/`);
    const sources = instructions
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(path.join(REPO_ROOT, source)), source).toBe(true);
      expect(
        ignored.filter((p) => matches(source, p)),
        source,
      ).toEqual([]);
    }
  });
});

// ------------------------------------------------------------------------------------------------------------ systemd

describe('docker/systemd', () => {
  const unit = read('docker/systemd/hmis@.service');
  const setting = (text: string, key: string) => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]);

  it("runs what `npm start` runs, as its own user, stops it within the server's deadline, and is hardened", () => {
    expect(setting(unit, 'ExecStart')).toEqual([`/usr/bin/node ${START_ARGS.join(' ')}`]);
    expect(setting(unit, 'EnvironmentFile')).toEqual(['/etc/hmis/hmis.env']);
    expect(setting(unit, 'User')).toEqual(['hmis']);
    expect(setting(unit, 'Restart')).toEqual(['on-failure']);
    expect(setting(unit, 'KillSignal')).toEqual(['SIGTERM']);
    expect(seconds(setting(unit, 'TimeoutStopSec')[0]) * 1000).toBeGreaterThan(SHUTDOWN_MS + IDLE_GRACE_MS);
    for (const key of ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp']) expect(setting(unit, key), key).toHaveLength(1);
    expect(setting(unit, 'MemoryDenyWriteExecute')).toEqual([]);
  });

  it('passes `systemd-analyze verify` where systemd is installed', () => {
    const analyze = findTool('systemd-analyze');
    const dir = tempDir('hmis-units-');
    writeFileSync(path.join(dir, 'hmis@3000.service'), unit);
    cpSync(path.join(DOCKER, 'systemd/hmis-migrate.service'), path.join(dir, 'hmis-migrate.service'));
    expect(setting(read('docker/systemd/hmis-migrate.service'), 'ExecStart')).toEqual(['/usr/bin/node --import tsx src/db/migrate-cli.ts']);
    if (!analyze) return;
    const result = run(analyze, ['verify', path.join(dir, 'hmis@3000.service'), path.join(dir, 'hmis-migrate.service')]);
    expect(result.status, result.out).toBe(0);
    // Unknown keys are only warned about, with exit 0: the unit must produce no warning at all.
    expect(result.out.trim()).toBe('');
  });
});

// -------------------------------------------------------------------------------------------------------- .env.example

describe('.env.example', () => {
  const example = read('.env.example');
  const active = Object.fromEntries(
    example
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  const commented = Object.fromEntries([...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]])) as Record<
    string,
    string
  >;

  it('lists every setting server/src/env.ts reads', () => {
    const schema = /const EnvSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(read('server/src/env.ts'))?.[1] ?? '';
    const names = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '');
    expect(names).toContain('DATABASE_URL');
    expect(names).toContain('HMIS_DB_PASSWORD');
    const listed = new Set([...Object.keys(active), ...Object.keys(commented)]);
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('holds no usable secret: the placeholder session secret stops the server until replaced', () => {
    expect(() => readEnv(active)).toThrow(/SESSION_SECRET/);
    const env = readEnv({ ...active, SESSION_SECRET: 'x'.repeat(48) });
    expect(env.DATABASE_URL).toBe(
      `mysql://${active.HMIS_DB_USER}:${active.HMIS_DB_PASSWORD}@${active.HMIS_DB_HOST}:3306/${active.HMIS_DB_NAME}`,
    );
    expect(env.HMIS_TRUST_PROXY).toBe(1); // one hop: the shipped nginx
  });

  it('shows the real default on each commented-out setting', () => {
    const defaults = readEnv({}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(commented)) {
      if (value === '' || defaults[name] === undefined) continue;
      expect(String((readEnv({ [name]: value }) as Record<string, unknown>)[name]), name).toBe(String(defaults[name]));
    }
  });
});
