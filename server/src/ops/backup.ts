/**
 * `npm run backup`: a consistent dump of the app's database taken while the app runs and writes.
 *
 * The dump program reads every table in one InnoDB snapshot (--single-transaction), streamed through gzip into
 * `hmis-<db>-YYYYMMDD-HHMMSSZ.sql.gz` (written as .partial and renamed when complete). Beside it a manifest holds each
 * table's row count and CHECKSUM TABLE from a second snapshot of the same moment: the app's tables are locked for
 * reading (writes wait, reads go on) while this connection and the dump program each start their snapshot, and
 * unlocked as soon as the dump has begun writing tables — typically tens of milliseconds. When that lock cannot be had
 * (no LOCK TABLES privilege, a long transaction holding a table) or would not hold (a Galera node), the counts are
 * taken right after the dump instead and the manifest says they may differ from the dump on a live system.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Connection } from 'mysql2/promise';
import { asMysqlError } from '../errors';
import {
  connectionSettings,
  exitOf,
  findClientProgram,
  helpOf,
  openDatabase,
  OpsRefusal,
  programNames,
  withOptionFile,
  type ClientProgram,
  type ConnectionSettings,
} from './client-programs';
import { baseTables, manifestPathOf, MANIFEST_FORMAT, tableStates, writeManifest, type Manifest, type TableState } from './manifest';

export const SESSIONS_TABLE = 'sessions';

export interface BackupOptions {
  /** The app's database (mysql://…/name). */
  url: string;
  outDir: string;
  withoutSessions?: boolean;
}

export interface BackupResult {
  file: string;
  manifestFile: string;
  manifest: Manifest;
  ms: number;
  /** How long the app's writes waited for the snapshots to be lined up; null when they were not. */
  writesPausedMs: number | null;
}

/** hmis-<db>-20260304-143200Z.sql.gz in `dir`, with -2, -3… when a backup of the same second is already there. */
function dumpFileName(dir: string, database: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  for (let n = 1; ; n++) {
    const file = path.join(dir, `hmis-${database}-${stamp}${n > 1 ? `-${n}` : ''}.sql.gz`);
    if (!existsSync(file) && !existsSync(manifestPathOf(file))) return file;
  }
}

/** What the dump program prints only once its snapshot is taken (both MariaDB's and MySQL's). */
const AFTER_SNAPSHOT =
  /^-- (Table structure for table|Dumping data for table|Position to start replication|Dumping events|Dumping routines)/m;
const BINLOG_POSITION = /(?:MASTER|SOURCE)_LOG_FILE='([^']+)',\s*(?:MASTER|SOURCE)_LOG_POS=(\d+)/;

/** Passes the dump through, noticing when its snapshot is taken, its binary log position, and its last words. */
class DumpWatch extends Transform {
  private head = '';
  private tail = '';
  snapshotTaken: Promise<void>;
  private markTaken!: () => void;
  binlog: { file: string; position: number } | null = null;

  constructor() {
    super();
    this.snapshotTaken = new Promise((resolve) => (this.markTaken = resolve));
    // A dump that fails before its first table ends the wait too (its error is reported by the pipeline).
    this.once('close', () => this.markTaken());
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    if (this.head.length < 65_536) {
      this.head += chunk.toString('latin1');
      if (AFTER_SNAPSHOT.test(this.head)) this.markTaken();
      const position = BINLOG_POSITION.exec(this.head);
      if (position) this.binlog = { file: position[1] ?? '', position: Number(position[2]) };
    }
    this.tail = (this.tail + chunk.toString('latin1')).slice(-512);
    done(null, chunk);
  }

  override _flush(done: () => void): void {
    this.markTaken();
    done();
  }

  get complete(): boolean {
    return /-- Dump completed/.test(this.tail);
  }
}

/** Counts bytes and hashes what goes to the file. */
class FileDigest extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }
  get sha256(): string {
    return this.hash.copy().digest('hex');
  }
}

interface DumpPlan {
  program: ClientProgram;
  /** Arguments after the option file. */
  args: string[];
  /** MySQL's mysqldump cannot leave out one table's rows only: the sessions table's structure is dumped by a second run. */
  structureOnly: string[] | null;
}

async function planDump(
  settings: ConnectionSettings,
  serverIsMariaDb: boolean,
  binlogOn: boolean,
  withoutSessions: boolean,
): Promise<DumpPlan> {
  const program = await findClientProgram(programNames(serverIsMariaDb).dump);
  const help = await helpOf(program);
  const has = (option: string) => new RegExp(`^\\s*(-\\w, )?--${option}\\b`, 'm').test(help);
  const db = settings.database;
  const args = [
    '--single-transaction',
    '--quick',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    '--default-character-set=utf8mb4',
    '--no-tablespaces',
  ];
  // The binary log position at the snapshot, as a comment at the top: where point-in-time recovery starts.
  if (binlogOn) args.push(has('source-data') ? '--source-data=2' : '--master-data=2');
  // MySQL with GTIDs would otherwise write SET @@GLOBAL.GTID_PURGED, which fails on a server that has any.
  if (has('set-gtid-purged')) args.push('--set-gtid-purged=OFF');
  // MySQL 8's mysqldump asks for column statistics MariaDB does not keep.
  if (has('column-statistics') && serverIsMariaDb) args.push('--column-statistics=0');
  let structureOnly: string[] | null = null;
  if (withoutSessions) {
    if (has('ignore-table-data')) args.push(`--ignore-table-data=${db}.${SESSIONS_TABLE}`);
    else {
      args.push(`--ignore-table=${db}.${SESSIONS_TABLE}`);
      structureOnly = ['--no-data', '--skip-triggers', '--default-character-set=utf8mb4', '--no-tablespaces', db, SESSIONS_TABLE];
    }
  }
  args.push(db);
  return { program, args, structureOnly };
}

/** How long the read lock may wait for writes in progress (and so hold up the writes queued behind it). */
const LOCK_WAIT_SECONDS = 3;
/** The dump's snapshot is taken within milliseconds; past this the lock goes whatever happens. */
const UNLOCK_AFTER_MS = 15_000;

/**
 * Locks the tables for reading so that no write commits while the two snapshots are started; writes wait, reads go
 * on. Returns why it could not, or null.
 */
async function lockForSnapshots(locker: Connection, tables: readonly string[]): Promise<string | null> {
  try {
    await locker.query('SET SESSION lock_wait_timeout = ?', [LOCK_WAIT_SECONDS]);
    await locker.query(`LOCK TABLES ${tables.map((t) => `\`${t.replace(/`/g, '``')}\` READ`).join(', ')}`);
    return null;
  } catch (e) {
    return `LOCK TABLES: ${asMysqlError(e)?.sqlMessage ?? (e instanceof Error ? e.message : String(e))}`;
  }
}

/** Unlocks the tables once `snapshotTaken` resolves, or after UNLOCK_AFTER_MS at the latest. */
async function unlockWhen(
  locker: Connection,
  snapshotTaken: Promise<void>,
  lockedAt: number,
): Promise<{ inTime: boolean; pausedMs: number }> {
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    snapshotTaken.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), UNLOCK_AFTER_MS))),
  ]);
  clearTimeout(timer);
  await locker.query('UNLOCK TABLES');
  return { inTime, pausedMs: performance.now() - lockedAt };
}

export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const startedAt = new Date();
  const settings = connectionSettings(opts.url);
  const conn = await openDatabase(opts.url);
  const locker = await openDatabase(opts.url);
  let file = '';
  try {
    const [[server]] = (await conn.query('SELECT VERSION() AS version, @@log_bin AS logBin')) as unknown as [
      [{ version: string; logBin: number | string }],
    ];
    const tables = await baseTables(conn, settings.database);
    if (!tables.length) throw new OpsRefusal(`Database ${settings.database} has no tables: nothing to back up (is it the app's database?)`);
    const plan = await planDump(settings, /mariadb/i.test(server.version), Number(server.logBin) === 1, opts.withoutSessions ?? false);

    await mkdir(opts.outDir, { recursive: true });
    file = dumpFileName(opts.outDir, settings.database, startedAt);
    const partial = `${file}.partial`;

    const [wsrep] = (await conn.query("SHOW VARIABLES LIKE 'wsrep_on'")) as unknown as [{ Value: string }[]];
    const lockProblem =
      wsrep[0]?.Value === 'ON'
        ? 'a Galera node: a read lock on one node does not hold back writes through the others'
        : await lockForSnapshots(locker, tables);
    const lockedAt = performance.now();
    await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');

    const { watch, digest, unlock, counted } = await withOptionFile(settings, async (option) => {
      const watch = new DumpWatch();
      const digest = new FileDigest();
      const run = (args: string[]) => {
        const child = spawn(plan.program.path, [option, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        return { stdout: child.stdout, done: exitOf(child, path.basename(plan.program.path)) };
      };
      async function* output() {
        const main = run(plan.args);
        yield* main.stdout;
        await main.done;
        if (!plan.structureOnly) return;
        const second = run(plan.structureOnly);
        yield* second.stdout;
        await second.done;
      }
      const written = pipeline(output, watch, createGzip(), digest, createWriteStream(partial, { mode: 0o600 }));
      // Unlocked once the dump has its snapshot, or after UNLOCK_AFTER_MS (the dump may itself want a global lock —
      // MySQL's FLUSH TABLES WITH READ LOCK for --source-data — that would wait for ours).
      const unlocking = lockProblem ? Promise.resolve(null) : unlockWhen(locker, watch.snapshotTaken, lockedAt);
      // Counted in this connection's snapshot while the dump runs, when the two snapshots are of one moment.
      const counting = unlocking.then((u) => (u?.inTime ? tableStates(conn, tables) : null));
      // All three settled before anything is thrown: no query may still run on a connection about to be closed.
      const failed = (await Promise.allSettled([written, unlocking, counting])).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      return { watch, digest, unlock: await unlocking, counted: await counting };
    });
    if (!watch.complete) throw new Error(`${path.basename(plan.program.path)} ended without "-- Dump completed": the dump is incomplete`);
    await conn.query('COMMIT');

    const sameSnapshot = counted !== null;
    let tablesState: TableState[];
    let note: string;
    if (counted) {
      tablesState = counted;
      note = 'Counts and checksums are from a snapshot of the same moment as the dump: a restore reproduces them exactly.';
    } else {
      tablesState = await tableStates(conn, tables);
      note = `Counts and checksums were taken right after the dump and may differ from it on a live system (${lockProblem ?? `the dump did not start within ${UNLOCK_AFTER_MS / 1000} s of the read lock`}).`;
    }
    if (opts.withoutSessions) {
      // What the file holds: the table, empty (CHECKSUM TABLE of an empty table is 0).
      tablesState = tablesState.map((t) => (t.name === SESSIONS_TABLE ? { ...t, rows: 0, checksum: 0 } : t));
    }
    await rename(partial, file);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      file: path.basename(file),
      bytes: digest.bytes,
      sha256: digest.sha256,
      database: settings.database,
      server: { version: server.version, host: settings.host, port: settings.port },
      dumpProgram: plan.program.version,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      withoutSessions: opts.withoutSessions ?? false,
      sameSnapshot,
      note,
      binlog: watch.binlog,
      tables: tablesState,
    };
    const manifestFile = manifestPathOf(file);
    await writeManifest(manifestFile, manifest);
    return { file, manifestFile, manifest, ms: performance.now() - started, writesPausedMs: unlock?.pausedMs ?? null };
  } catch (e) {
    if (file) await rm(`${file}.partial`, { force: true });
    throw e;
  } finally {
    await Promise.allSettled([conn.end(), locker.end()]);
  }
}
