/**
 * `npm run restore -- FILE [--force]`: a backup of `npm run backup` into the app's database.
 *
 * Refused before anything is touched: a file without its manifest, a file whose SHA-256 is not the manifest's (damaged,
 * truncated, or another file), a database that already has tables (unless --force, which drops them first). The file
 * is streamed through gunzip into the database's command-line client; afterwards every table's row count and CHECKSUM
 * TABLE are compared with the manifest's.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Connection } from 'mysql2/promise';
import { createDatabaseIfMissing } from '../db/client';
import { connectionSettings, exitOf, findClientProgram, openDatabase, OpsRefusal, programNames, withOptionFile } from './client-programs';
import { baseTables, readManifest, tableStates, type Manifest } from './manifest';

export interface RestoreOptions {
  url: string;
  file: string;
  /** Drop the database's existing tables first. */
  force?: boolean;
  log?: (line: string) => void;
}

export interface TableCheck {
  name: string;
  expectedRows: number | null;
  rows: number | null;
  expectedChecksum: number | null;
  checksum: number | null;
  /** Present on both sides, and (from a same-snapshot manifest) with the same count and checksum. */
  ok: boolean;
}

export interface RestoreResult {
  manifest: Manifest;
  database: string;
  droppedTables: string[];
  ms: number;
  tables: TableCheck[];
  ok: boolean;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The file is the one its manifest describes, and gzip: or a refusal naming what is wrong. */
async function checkFile(file: string, manifest: Manifest): Promise<void> {
  const handle = await open(file).catch(() => {
    throw new OpsRefusal(`${file} cannot be read`);
  });
  try {
    const { buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    if (buffer[0] !== 0x1f || buffer[1] !== 0x8b) throw new OpsRefusal(`${file} is not gzip: not an HMIS backup`);
  } finally {
    await handle.close();
  }
  if ((await sha256Of(file)) !== manifest.sha256) {
    throw new OpsRefusal(`${file} is damaged or not the file its manifest describes (SHA-256 differs): nothing was restored`);
  }
}

/** Drops every table and view of the connection's database (foreign keys off for the drop). */
async function dropAll(conn: Connection, database: string): Promise<string[]> {
  const [rows] = await conn.query('SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [
    database,
  ]);
  const all = rows as { name: string; type: string }[];
  const quoted = (list: { name: string }[]) => list.map((t) => `\`${t.name.replace(/`/g, '``')}\``).join(', ');
  const views = all.filter((t) => t.type === 'VIEW');
  const tables = all.filter((t) => t.type !== 'VIEW');
  await conn.query('SET SESSION FOREIGN_KEY_CHECKS = 0');
  if (views.length) await conn.query(`DROP VIEW ${quoted(views)}`);
  if (tables.length) await conn.query(`DROP TABLE ${quoted(tables)}`);
  await conn.query('SET SESSION FOREIGN_KEY_CHECKS = 1');
  return all.map((t) => t.name);
}

export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const manifest = await readManifest(opts.file);
  await checkFile(opts.file, manifest);
  const settings = connectionSettings(opts.url);
  await createDatabaseIfMissing(opts.url).catch(() => undefined); // openDatabase says why when it is still missing
  const conn = await openDatabase(opts.url);
  try {
    const [[server]] = (await conn.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
    const client = await findClientProgram(programNames(/mariadb/i.test(server.version)).client);
    const existing = await baseTables(conn, settings.database);
    let droppedTables: string[] = [];
    if (existing.length && !opts.force) {
      throw new OpsRefusal(
        `Database ${settings.database} already has ${existing.length} tables: restore only into an empty database, or add --force to drop them first`,
      );
    }
    if (existing.length) {
      log(`--force: dropping the ${existing.length} existing tables of ${settings.database} first`);
      droppedTables = await dropAll(conn, settings.database);
    }
    log(
      `restoring ${path.basename(opts.file)} (${manifest.database} of ${manifest.finishedAt}) into ${settings.database} on ${settings.host}:${settings.port}`,
    );
    await withOptionFile(settings, async (option) => {
      const child = spawn(client.path, [option, '--binary-mode', '--default-character-set=utf8mb4', `--database=${settings.database}`], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      const done = exitOf(child, path.basename(client.path));
      // The client's own error (the first failing statement) says more than the broken pipe it leaves behind.
      const [fed, exited] = await Promise.allSettled([pipeline(createReadStream(opts.file), createGunzip(), child.stdin), done]);
      if (exited.status === 'rejected') throw exited.reason;
      if (fed.status === 'rejected') throw fed.reason;
    });
    const tables = await verify(conn, settings.database, manifest);
    return { manifest, database: settings.database, droppedTables, ms: performance.now() - started, tables, ok: tables.every((t) => t.ok) };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/**
 * Each table of the manifest and of the restored database, with the manifest's figures beside what is there now. A
 * table missing on either side always fails; the figures must agree exactly when the manifest's were taken in the
 * dump's own snapshot, and are only shown otherwise (taken after the dump, on a live system they may differ).
 */
async function verify(conn: Connection, database: string, manifest: Manifest): Promise<TableCheck[]> {
  const present = await baseTables(conn, database);
  const now = new Map((await tableStates(conn, present)).map((t) => [t.name, t]));
  const expected = new Map(manifest.tables.map((t) => [t.name, t]));
  const names = [...new Set([...expected.keys(), ...now.keys()])].sort();
  return names.map((name) => {
    const want = expected.get(name);
    const got = now.get(name);
    const same = want !== undefined && got !== undefined && want.rows === got.rows && want.checksum === got.checksum;
    return {
      name,
      expectedRows: want?.rows ?? null,
      rows: got?.rows ?? null,
      expectedChecksum: want?.checksum ?? null,
      checksum: got?.checksum ?? null,
      ok: want !== undefined && got !== undefined && (same || !manifest.sameSnapshot),
    };
  });
}
