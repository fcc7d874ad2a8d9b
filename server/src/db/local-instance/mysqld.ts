/**
 * Starting a server on a data directory: the port, initialising the data directory, the server's options, spawning
 * it detached, and waiting until root can connect over the socket and TCP.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promises as fsp, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { NoDatabaseError, type ServerBinaries } from './binaries';
import { errorCode, errorLogTail, errorMessage, readIntFile, removeIfExists, sleep, type Paths } from './files';
import { currentUser, isRoot, terminate } from './processes';

export const DEFAULT_PORT = 3307;
export const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;

const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/** Requested port first, then the one remembered from an earlier start, then the default; else any free one. */
export async function choosePort(paths: Paths, requested: number | undefined): Promise<number> {
  const remembered = await readIntFile(paths.portFile);
  const candidates = [requested, remembered, DEFAULT_PORT].filter((p): p is number => p !== undefined);
  for (const port of new Set(candidates)) {
    if (await canListen(port)) return port;
  }
  return freePort();
}

// ---------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------

type ConnectTarget = { port: number } | { socketPath: string };

async function tryConnect(target: ConnectTarget): Promise<void> {
  const where = 'port' in target ? { host: HOST, port: target.port } : { socketPath: target.socketPath };
  const conn = await mysql.createConnection({ ...where, user: 'root', password: '', connectTimeout: 3_000 });
  try {
    await conn.query('SELECT 1');
  } finally {
    await conn.end().catch(() => undefined);
  }
}

// mysql2 error codes meaning "the server answered but refused root@127.0.0.1".
const AUTH_ERRORS = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_HOST_NOT_PRIVILEGED', 'ER_NOT_SUPPORTED_AUTH_MODE']);

/**
 * Polls until a root connection succeeds. `isDead` lets a caller fail fast
 * when the server process already exited instead of waiting the full timeout.
 */
export async function waitUntilReady(paths: Paths, target: ConnectTarget, isDead: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = '';
  for (;;) {
    try {
      await tryConnect(target);
      return;
    } catch (err) {
      lastError = errorMessage(err);
      // An auth error means the server is up; let the caller handle accounts.
      if (AUTH_ERRORS.has(errorCode(err) ?? '')) throw err;
    }
    if (isDead()) {
      throw new Error(
        `Local database server exited during startup (${lastError}). Last lines of ${paths.errorLog}:\n${await errorLogTail(paths)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Local database server did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${lastError}). Last lines of ${paths.errorLog}:\n${await errorLogTail(paths)}`,
      );
    }
    await sleep(250);
  }
}

/**
 * With --skip-name-resolve, 'root'@'localhost' only matches socket logins, so
 * TCP from 127.0.0.1 needs its own account. mariadb-install-db with
 * --auth-root-authentication-method=normal creates it; MySQL's
 * --initialize-insecure does not, so add it over the socket.
 */
async function ensureTcpRoot(paths: Paths, port: number): Promise<void> {
  try {
    await tryConnect({ port });
    return;
  } catch (err) {
    if (!AUTH_ERRORS.has(errorCode(err) ?? '')) throw err;
  }
  const conn = await mysql.createConnection({ socketPath: paths.socket, user: 'root', password: '' });
  try {
    await conn.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''");
    await conn.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
  } finally {
    await conn.end().catch(() => undefined);
  }
  await tryConnect({ port });
}

// ---------------------------------------------------------------------------
// Initialisation and start
// ---------------------------------------------------------------------------

export async function initialiseDataDir(bins: ServerBinaries, paths: Paths): Promise<void> {
  if (existsSync(paths.initMarker)) return;
  // No marker means a previous initialisation was interrupted; its leftovers
  // would make the installer fail, and there is no user data in it yet.
  await fsp.rm(paths.dataDir, { recursive: true, force: true });
  await fsp.mkdir(paths.dataDir, { recursive: true });

  const user = `--user=${currentUser()}`;
  let command: string;
  let args: string[];
  if (bins.kind === 'mariadb') {
    if (bins.installDb === undefined) {
      throw new NoDatabaseError(
        'No database: found a MariaDB server but not mariadb-install-db; install the full server package (Debian: apt-get install mariadb-server) or set DATABASE_URL',
      );
    }
    command = bins.installDb;
    args = [
      '--no-defaults',
      `--datadir=${paths.dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      // Avoids hostname lookups, which fail or hang in containers without DNS.
      '--skip-name-resolve',
      user,
    ];
  } else {
    command = bins.server;
    args = ['--no-defaults', '--initialize-insecure', `--datadir=${paths.dataDir}`, ...mysqlOnlyFlags(paths), user];
  }
  try {
    await execFileAsync(command, args, { timeout: 180_000, maxBuffer: 10 * 1024 * 1024 });
  } catch (err) {
    const detail = err instanceof Error && 'stderr' in err ? String((err as { stderr: unknown }).stderr).trim() : '';
    throw new Error(
      `Initialising ${paths.dataDir} with ${path.basename(command)} failed: ${errorMessage(err)}${detail ? `\n${detail}` : ''}`,
    );
  }
  await fsp.writeFile(paths.initMarker, `${new Date().toISOString()}\n`);
}

/** MySQL 8 defaults that would clash with other instances or missing system dirs. */
function mysqlOnlyFlags(paths: Paths): string[] {
  return [
    // X Protocol would otherwise grab port 33060 for every instance.
    '--mysqlx=OFF',
    // Packaged default (/var/lib/mysql-files) may not exist and aborts startup.
    `--secure-file-priv=${path.join(paths.baseDir, 'files')}`,
  ];
}

function serverArgs(bins: ServerBinaries, paths: Paths, port: number): string[] {
  const args = [
    '--no-defaults',
    `--datadir=${paths.dataDir}`,
    `--socket=${paths.socket}`,
    `--port=${port}`,
    `--bind-address=${HOST}`,
    `--pid-file=${paths.pidFile}`,
    `--log-error=${paths.errorLog}`,
    '--skip-name-resolve',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--default-time-zone=+00:00',
    '--sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=256M',
    '--max-connections=500',
    '--innodb-flush-log-at-trx-commit=2',
  ];
  if (bins.kind === 'mysql') args.push(...mysqlOnlyFlags(paths));
  // mysqld refuses to run as root unless told to explicitly.
  if (isRoot()) args.push('--user=root');
  return args;
}

export async function spawnServer(bins: ServerBinaries, paths: Paths, port: number): Promise<void> {
  // Leftovers of a crashed server would confuse the reuse check or the server itself.
  await removeIfExists(paths.pidFile);
  await removeIfExists(paths.socket);
  await fsp.writeFile(paths.portFile, `${port}\n`);

  // Detached with ignored stdio so the server outlives this Node process.
  const child: ChildProcess = spawn(bins.server, serverArgs(bins, paths, port), { detached: true, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  child.unref();
  if (child.pid === undefined) {
    throw new Error(`Could not start ${bins.server}: ${errorMessage(await spawnError)}`);
  }
  // Write the pid ourselves too: the server only writes it well into startup,
  // and if this process dies before then (lock goes stale) the next caller must
  // find this server rather than start a second one on the same data dir.
  await fsp.writeFile(paths.pidFile, `${child.pid}\n`);

  // Wait on the socket first: it proves the server is up even before the
  // TCP root account is known to exist.
  try {
    await waitUntilReady(paths, { socketPath: paths.socket }, () => exited);
    await ensureTcpRoot(paths, port);
  } catch (err) {
    // Don't leave a half-started server holding the data dir.
    if (!exited) await terminate(child.pid).catch(() => undefined);
    throw err;
  }
}
