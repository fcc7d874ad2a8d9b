/**
 * Private MariaDB/MySQL server for development and tests, used when no
 * DATABASE_URL is set. It runs from the system's server binaries with its data
 * in a git-ignored folder (e.g. `<repo>/.data/mysql`) and outlives the Node
 * process that started it, so later runs simply reuse it.
 *
 * Layout of `baseDir`:
 *   data/          the data directory
 *   .initialized   written once the data directory is fully initialised
 *   mysqld.pid     pid of the running server
 *   mysqld.sock    unix socket (or under os.tmpdir() when the path is too long)
 *   mysqld.err     server error log
 *   port           TCP port the instance uses (reused by later starts)
 *   .lock          held while checking/starting/stopping
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp, accessSync, constants as fsConstants, existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

export interface LocalInstance {
  /** e.g. mysql://root@127.0.0.1:PORT (no database name in it) */
  url: string;
  dataDir: string;
  /** true if this call started the server process, false if it reused a running one */
  startedHere: boolean;
  /** Stops the server (SIGTERM to the pid in the pid file, waits up to 30 s for it to exit). */
  stop(): Promise<void>;
}

export class NoDatabaseError extends Error {
  constructor(
    message = 'No database: set DATABASE_URL=mysql://user:password@host:3306/hmis, or install a MariaDB/MySQL server (Debian: apt-get install mariadb-server)',
  ) {
    super(message);
    this.name = 'NoDatabaseError';
  }
}

type ServerKind = 'mariadb' | 'mysql';

interface ServerBinaries {
  kind: ServerKind;
  server: string;
  installDb?: string;
}

const DEFAULT_PORT = 3307;
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const STALE_LOCK_MS = 120_000;
// Waiters may legitimately queue behind a first start (init + up to 60 s of
// readiness), so allow a bit more than the stale-lock age before giving up.
const LOCK_WAIT_MS = 180_000;
// sun_path is 108 bytes on Linux and 104 on macOS; stay clearly below both.
const MAX_SOCKET_PATH = 100;

const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/mysql/bin'];

const execFileAsync = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Binary discovery
// ---------------------------------------------------------------------------

function searchDirs(): string[] {
  const fromPath = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  return [...new Set([...fromPath, ...EXTRA_BIN_DIRS])];
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findExecutable(names: readonly string[], dirs: readonly string[]): string | undefined {
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Debian (and others) ship `mysqld` as a symlink to `mariadbd`; only `--version` tells them apart. */
function isMariaDbBinary(server: string): boolean {
  try {
    const out = execFileSync(server, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return /mariadb/i.test(out);
  } catch {
    return false;
  }
}

export function findServerBinaries(): ServerBinaries | null {
  const dirs = searchDirs();
  const mariadbd = findExecutable(['mariadbd'], dirs);
  const mysqld = mariadbd ?? findExecutable(['mysqld'], dirs);
  if (mysqld === undefined) return null;

  const kind: ServerKind = mariadbd !== undefined || isMariaDbBinary(mysqld) ? 'mariadb' : 'mysql';
  if (kind === 'mysql') {
    // MySQL 8 initialises with `mysqld --initialize-insecure`; its old
    // mysql_install_db (if any) must not be used.
    return { kind, server: mysqld };
  }
  // Prefer the install script that belongs to the same installation as the server.
  const serverDir = path.dirname(mysqld);
  const ownDirs = [serverDir, path.join(serverDir, '..', 'bin'), path.join(serverDir, '..', 'scripts')];
  const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db'], [...new Set([...ownDirs, ...dirs])]);
  return installDb === undefined ? { kind, server: mysqld } : { kind, server: mysqld, installDb };
}

// ---------------------------------------------------------------------------
// Paths and small file helpers
// ---------------------------------------------------------------------------

interface Paths {
  baseDir: string;
  dataDir: string;
  initMarker: string;
  pidFile: string;
  socket: string;
  errorLog: string;
  portFile: string;
  lockFile: string;
}

function pathsFor(baseDirInput: string): Paths {
  const baseDir = path.resolve(baseDirInput);
  let socket = path.join(baseDir, 'mysqld.sock');
  if (socket.length > MAX_SOCKET_PATH) {
    const hash = createHash('sha256').update(baseDir).digest('hex').slice(0, 16);
    socket = path.join(os.tmpdir(), `hmis-mysql-${hash}.sock`);
  }
  return {
    baseDir,
    dataDir: path.join(baseDir, 'data'),
    initMarker: path.join(baseDir, '.initialized'),
    pidFile: path.join(baseDir, 'mysqld.pid'),
    socket,
    errorLog: path.join(baseDir, 'mysqld.err'),
    portFile: path.join(baseDir, 'port'),
    lockFile: path.join(baseDir, '.lock'),
  };
}

async function readIntFile(file: string): Promise<number | undefined> {
  try {
    const value = Number.parseInt((await fsp.readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

async function removeIfExists(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function errorLogTail(paths: Paths, lines = 25): Promise<string> {
  try {
    const text = await fsp.readFile(paths.errorLog, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no error log)';
  }
}

// ---------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------

const HAS_PROC = existsSync('/proc/self/cmdline');

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(err) === 'EPERM';
  }
}

/**
 * True when `pid` is a live server for this data dir. Guards against pid reuse
 * after a reboot/crash (an unrelated process could own the old pid) and treats
 * zombies as dead: a server we spawned stays a zombie until Node reaps it.
 */
function isOurServer(pid: number, dataDir: string): boolean {
  if (!processExists(pid)) return false;
  if (!HAS_PROC) return true;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(`--datadir=${dataDir}`);
  } catch {
    return false;
  }
}

function portFromCmdline(pid: number): number | undefined {
  if (!HAS_PROC) return undefined;
  try {
    const arg = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .find((a) => a.startsWith('--port='));
    const port = arg === undefined ? Number.NaN : Number.parseInt(arg.slice('--port='.length), 10);
    return Number.isInteger(port) ? port : undefined;
  } catch {
    return undefined;
  }
}

async function runningServerPid(paths: Paths): Promise<number | undefined> {
  const pid = await readIntFile(paths.pidFile);
  return pid !== undefined && isOurServer(pid, paths.dataDir) ? pid : undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function currentUser(): string {
  return isRoot() ? 'root' : os.userInfo().username;
}

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
async function choosePort(paths: Paths, requested: number | undefined): Promise<number> {
  const remembered = await readIntFile(paths.portFile);
  const candidates = [requested, remembered, DEFAULT_PORT].filter((p): p is number => p !== undefined);
  for (const port of new Set(candidates)) {
    if (await canListen(port)) return port;
  }
  return freePort();
}

// ---------------------------------------------------------------------------
// Lock (cross-process, around check-and-start and stop)
// ---------------------------------------------------------------------------

async function isStaleLock(lockFile: string): Promise<boolean> {
  try {
    const [stat, content] = await Promise.all([fsp.stat(lockFile), fsp.readFile(lockFile, 'utf8')]);
    if (Date.now() - stat.mtimeMs > STALE_LOCK_MS) return true;
    // A lock whose owner died (e.g. Ctrl-C during start) need not block for two minutes.
    const owner = Number.parseInt(content.trim(), 10);
    return Number.isInteger(owner) && owner > 0 && !processExists(owner);
  } catch {
    return false; // vanished in between: just retry
  }
}

async function withLock<T>(paths: Paths, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fsp.writeFile(paths.lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      if (await isStaleLock(paths.lockFile)) {
        await removeIfExists(paths.lockFile);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${paths.lockFile}`);
      await sleep(100 + Math.random() * 150);
    }
  }
  try {
    return await fn();
  } finally {
    await removeIfExists(paths.lockFile);
  }
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
async function waitUntilReady(paths: Paths, target: ConnectTarget, isDead: () => boolean): Promise<void> {
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
      throw new Error(`Local database server exited during startup (${lastError}). Last lines of ${paths.errorLog}:\n${await errorLogTail(paths)}`);
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

async function initialiseDataDir(bins: ServerBinaries, paths: Paths): Promise<void> {
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
      throw new NoDatabaseError('No database: found a MariaDB server but not mariadb-install-db; install the full server package (Debian: apt-get install mariadb-server) or set DATABASE_URL');
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
    throw new Error(`Initialising ${paths.dataDir} with ${path.basename(command)} failed: ${errorMessage(err)}${detail ? `\n${detail}` : ''}`);
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

async function spawnServer(bins: ServerBinaries, paths: Paths, port: number): Promise<void> {
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

// ---------------------------------------------------------------------------
// Stop
// ---------------------------------------------------------------------------

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if (errorCode(err) === 'ESRCH') return;
    throw err;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`Local database server (pid ${pid}) did not exit within ${STOP_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

/** Like processExists(), but a zombie (our own exited, not yet reaped child) counts as gone. */
function isAlive(pid: number): boolean {
  if (!processExists(pid)) return false;
  if (!HAS_PROC) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Format: "pid (comm) state ..."; comm may contain spaces/parens.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function stopLocked(paths: Paths): Promise<boolean> {
  const pid = await runningServerPid(paths);
  if (pid === undefined) {
    await removeIfExists(paths.pidFile);
    return false;
  }
  await terminate(pid);
  // A clean shutdown removes these itself; a killed one may not.
  await removeIfExists(paths.pidFile);
  return true;
}

export async function stopLocalInstance(baseDir: string): Promise<boolean> {
  const paths = pathsFor(baseDir);
  if (!existsSync(paths.baseDir)) return false;
  return withLock(paths, () => stopLocked(paths));
}

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

function makeInstance(paths: Paths, port: number, startedHere: boolean): LocalInstance {
  return {
    url: `mysql://root@${HOST}:${port}`,
    dataDir: paths.dataDir,
    startedHere,
    async stop() {
      await stopLocalInstance(paths.baseDir);
    },
  };
}

export async function startLocalInstance(opts: { baseDir: string; port?: number }): Promise<LocalInstance> {
  const bins = findServerBinaries();
  if (bins === null) throw new NoDatabaseError();
  const paths = pathsFor(opts.baseDir);
  await fsp.mkdir(paths.baseDir, { recursive: true });

  return withLock(paths, async () => {
    const pid = await runningServerPid(paths);
    if (pid !== undefined) {
      const port = (await readIntFile(paths.portFile)) ?? portFromCmdline(pid) ?? opts.port ?? DEFAULT_PORT;
      // It may still be starting (e.g. its starter was killed mid-start); give it the usual time.
      await waitUntilReady(paths, { port }, () => !isOurServer(pid, paths.dataDir));
      return makeInstance(paths, port, false);
    }

    // MySQL checks --secure-file-priv at init and at every start.
    if (bins.kind === 'mysql') await fsp.mkdir(path.join(paths.baseDir, 'files'), { recursive: true });
    await initialiseDataDir(bins, paths);
    const port = await choosePort(paths, opts.port);
    await spawnServer(bins, paths, port);
    return makeInstance(paths, port, true);
  });
}
