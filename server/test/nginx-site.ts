/**
 * Debian's nginx serving the shipped site (docker/nginx/hmis-site.conf with snippets/hmis-servers.conf) on this
 * machine, in front of app servers on 127.0.0.1, and HTTP/2 clients for it. Only what must differ here is changed: the
 * upstream servers' addresses, the listening ports and the log folder; the certificate is self-signed. Used by
 * deploy-config.test.ts (stand-in app servers) and two-servers.test.ts (the production server).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from '../src/env';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

export function run(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, ...opts });
  return { status: result.status, out: `${result.stdout ?? ''}${result.stderr ?? ''}`, stdout: result.stdout ?? '' };
}

/** A tool from PATH or the sbin folders (root's PATH has them, a developer's may not). */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== ''), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file));
}

export function requireTool(name: string, debianPackage: string): string {
  const found = findTool(name);
  if (!found) throw new Error(`${name} is not installed: apt-get install ${debianPackage} (.ci/run installs it)`);
  return found;
}

export const NGINX_SITES = ['hmis.conf', 'hmis-site.conf'] as const;

/**
 * The site as nginx would load it here, with only what must differ on this machine changed: the upstream servers'
 * addresses, the listening ports and the log folder.
 */
export function adaptedSite(
  dir: string,
  site: (typeof NGINX_SITES)[number],
  upstreamPorts: number[],
  ports: { http: number; https: number },
): string {
  mkdirSync(path.join(dir, 'snippets'), { recursive: true });
  mkdirSync(path.join(dir, 'tls'), { recursive: true });
  const tls = run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-keyout',
    path.join(dir, 'tls/hmis.key'),
    '-out',
    path.join(dir, 'tls/hmis.crt'),
  ]);
  expect(tls.status, tls.out).toBe(0);

  const servers = read('docker/nginx/snippets/hmis-servers.conf')
    .replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${ports.http};`)
    .replace(/^(\s*)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${ports.https} ssl http2;`)
    .replaceAll('/var/log/nginx/', `${dir}/`);
  expect(servers).toContain(`listen 127.0.0.1:${ports.https} ssl http2;`);
  writeFileSync(path.join(dir, 'snippets/hmis-servers.conf'), servers);

  let n = 0;
  const conf = read(`docker/nginx/${site}`).replace(/^upstream hmis_app \{[^}]*\}/m, (block) =>
    block.replace(
      /^(\s*)server [^;]+;/gm,
      (_line, indent: string) => `${indent}server 127.0.0.1:${upstreamPorts[n++ % upstreamPorts.length]};`,
    ),
  );
  expect(n, `the upstream servers of ${site}`).toBeGreaterThanOrEqual(2);
  writeFileSync(path.join(dir, 'site.conf'), conf);
  const main = path.join(dir, 'nginx.conf');
  writeFileSync(
    main,
    [
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log;`,
      'events {}',
      `http { client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; include site.conf; }`,
      '',
    ].join('\n'),
  );
  return main;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Answer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

/** An HTTP/2 client of the site over one connection; `localAddress` is the client's own address (127.0.0.0/8). */
function h2Client(httpsPort: number, localAddress?: string) {
  const session = http2.connect(`https://127.0.0.1:${httpsPort}`, { rejectUnauthorized: false, ...(localAddress && { localAddress }) });
  session.on('error', () => undefined); // a failed connection fails its requests, which say so
  let ids = 0;
  const request = (requestPath: string, opts: RequestOptions = {}) =>
    new Promise<Answer & { id: string }>((resolve, reject) => {
      const id = `r${++ids}`;
      const stream = session.request({ ':method': opts.method ?? 'GET', ':path': requestPath, 'x-test-id': id, ...opts.headers });
      const chunks: Buffer[] = [];
      let headers: http2.IncomingHttpHeaders = {};
      stream.on('response', (h) => (headers = h));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ id, status: Number(headers[':status']), headers, body: Buffer.concat(chunks) }));
      stream.on('error', reject);
      stream.end(opts.body);
    });
  return { request, alpn: () => session.alpnProtocol, close: () => session.close() };
}
export type SiteClient = ReturnType<typeof h2Client>;

/** nginx serving docker/nginx/hmis-site.conf in front of the given app servers on 127.0.0.1, and HTTP/2 clients for it. */
export async function servedSite(upstreamPorts: number[]) {
  const nginx = requireTool('nginx', 'nginx');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hmis-nginx-'));
  // nginx's workers (nobody, when started as root) buffer large request bodies in folders under it.
  chmodSync(dir, 0o755);
  const ports = { http: await freePort(), https: await freePort() };
  const conf = adaptedSite(dir, 'hmis-site.conf', upstreamPorts, ports);
  const child: ChildProcess = spawn(nginx, ['-c', conf, '-p', `${dir}/`, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const logFile = (name: string) => (existsSync(`${dir}/${name}`) ? readFileSync(`${dir}/${name}`, 'utf8') : '');
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(ports.https, '127.0.0.1');
      socket.on('connect', () => resolve(true)).on('error', () => resolve(false));
      socket.end();
    });
    if (up) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}${logFile('error.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const clients: SiteClient[] = [];
  /** A client on a connection of its own, from `localAddress` if given. */
  const client = (localAddress?: string) => {
    const c = h2Client(ports.https, localAddress);
    clients.push(c);
    return c;
  };
  const main = client();
  const plainHttp = (requestPath: string) =>
    new Promise<{ status: number; location?: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: ports.http, path: requestPath, headers: { host: 'hmis.example.org' } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: res.headers.location });
        })
        .on('error', reject);
    });
  const stop = async () => {
    for (const c of clients) c.close();
    child.kill('SIGQUIT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    request: main.request,
    alpn: main.alpn,
    client,
    plainHttp,
    /** nginx's access log so far (the site's `hmis` format: … $upstream_addr $upstream_status "$http_user_agent"). */
    accessLog: () => logFile('access.log'),
    errorLog: () => logFile('error.log'),
    stop,
  };
}
