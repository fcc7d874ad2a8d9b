/**
 * How backup and restore reach the app's database: a connection of their own, and the database's own client programs —
 * the dump program (mariadb-dump / mysqldump) and the command-line client (mariadb / mysql) — found on the system the
 * way local-instance.ts finds the server, and run with the app's connection settings. The password goes through an
 * option file only this user can read, never the command line (where `ps` shows it to every user of the machine).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql, { type Connection } from 'mysql2/promise';
import { splitDatabaseUrl } from '../db/client';
import { asMysqlError } from '../errors';

const execFileAsync = promisify(execFile);

/** A backup or restore refused for a reason the operator can act on: printed as one line, exit 1. */
export class OpsRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpsRefusal';
  }
}

export interface ConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The parts of a mysql:// URL the client programs take as options (user and password percent-decoded). */
export function connectionSettings(url: string): ConnectionSettings {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: splitDatabaseUrl(url).database,
  };
}

/** Opens a connection to the app's database, or refuses in one line when there is none to back up or restore. */
export async function openDatabase(url: string): Promise<Connection> {
  const { host, port, database } = connectionSettings(url);
  try {
    return await mysql.createConnection({ uri: url, timezone: 'Z', supportBigNumbers: true, connectTimeout: 10_000 });
  } catch (e) {
    const err = asMysqlError(e);
    if (err?.errno === 1049) throw new OpsRefusal(`Database ${database} does not exist on ${host}:${port}`);
    throw new OpsRefusal(
      `Cannot connect to ${host}:${port} as the app does: ${err?.sqlMessage ?? (e instanceof Error ? e.message : String(e))}`,
    );
  }
}

export interface ClientProgram {
  path: string;
  /** The first line of `--version`, e.g. "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu". */
  version: string;
}

// Where packages put them when PATH (a systemd unit's, a cron job's) does not say.
const FALLBACK_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/local/mysql/bin', '/opt/homebrew/bin'];

/** The first of `names` that runs (`--version`), by PATH and then in the usual folders. */
export async function findClientProgram(names: readonly string[]): Promise<ClientProgram> {
  const candidates = names.flatMap((name) => [name, ...FALLBACK_DIRS.map((dir) => path.join(dir, name))]);
  for (const candidate of candidates) {
    try {
      const { stdout } = await execFileAsync(candidate, ['--version'], { timeout: 10_000 });
      const version = stdout.trim().split('\n')[0] ?? '';
      return { path: candidate, version };
    } catch {
      // not there, or not runnable: the next one
    }
  }
  throw new OpsRefusal(
    `None of ${names.join(', ')} found: install the database's client programs (Debian/Ubuntu: apt-get install mariadb-client, or mysql-client for MySQL)`,
  );
}

/**
 * The dump and client programs for this server: MariaDB's for MariaDB, MySQL's for MySQL, the other's when only those
 * are installed (MySQL's mysqldump stumbles over MariaDB and the other way round; Debian's `mysqldump` is MariaDB's).
 */
export function programNames(serverIsMariaDb: boolean): { dump: string[]; client: string[] } {
  return serverIsMariaDb
    ? { dump: ['mariadb-dump', 'mysqldump'], client: ['mariadb', 'mysql'] }
    : { dump: ['mysqldump', 'mariadb-dump'], client: ['mysql', 'mariadb'] };
}

/** An option-file value in double quotes: backslash escapes as the client library reads them. */
function optionValue(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
  return `"${escaped}"`;
}

/**
 * Runs `fn` with `--defaults-extra-file=<file>` naming the connection: a [client] group (read by the dump program and
 * the client alike) in a folder of its own, mode 0600, removed afterwards. TCP always, as mysql2 connects: to the
 * client programs "localhost" would otherwise mean the Unix socket.
 */
export async function withOptionFile<T>(settings: ConnectionSettings, fn: (option: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hmis-db-'));
  const file = path.join(dir, 'client.cnf');
  try {
    const lines = [
      '[client]',
      `host=${optionValue(settings.host)}`,
      `port=${settings.port}`,
      'protocol=TCP',
      `user=${optionValue(settings.user)}`,
    ];
    if (settings.password) lines.push(`password=${optionValue(settings.password)}`);
    await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return await fn(`--defaults-extra-file=${file}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Resolves when the child exits 0; otherwise rejects with what it said on stderr (its last lines: the error comes
 * last). Keeps at most 64 KiB of stderr.
 */
export function exitOf(child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-65_536);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${what} could not be started: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const said = stderr.trim().split('\n').slice(-3).join(' / ');
        reject(new Error(`${what} failed (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`));
      }
    });
  });
}

/** `--help` of a program, to ask which options this build has (MySQL's and MariaDB's differ). */
export async function helpOf(program: ClientProgram): Promise<string> {
  const { stdout } = await execFileAsync(program.path, ['--no-defaults', '--help'], { timeout: 10_000, maxBuffer: 4 * 1024 * 1024 });
  return stdout;
}
