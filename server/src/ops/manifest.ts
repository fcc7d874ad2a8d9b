/**
 * What a backup holds, written beside it as JSON: which database and server, the file's own SHA-256 (a damaged or
 * foreign file is refused before anything is dropped), and every table's row count and CHECKSUM TABLE value, which a
 * restore must reproduce.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Connection } from 'mysql2/promise';
import { OpsRefusal } from './client-programs';

export const MANIFEST_FORMAT = 'hmis-backup/1';

export interface TableState {
  name: string;
  rows: number;
  /** CHECKSUM TABLE; null where the server could not compute one. */
  checksum: number | null;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** The dump's file name (the manifest lies in the same folder). */
  file: string;
  bytes: number;
  sha256: string;
  database: string;
  server: { version: string; host: string; port: number };
  dumpProgram: string;
  startedAt: string;
  finishedAt: string;
  /** The sessions table's rows were left out (its structure is in the dump). */
  withoutSessions: boolean;
  /**
   * true: the counts and checksums were taken in a snapshot of the same moment as the dump's, so a restore must
   * reproduce them exactly. false: they were taken right after the dump and may differ on a live system (see note).
   */
  sameSnapshot: boolean;
  note: string;
  /** Where to start replaying binary logs after restoring this dump; null when the server's binary logging is off. */
  binlog: { file: string; position: number } | null;
  tables: TableState[];
}

/** hmis-<db>-20260304-143200Z.sql.gz → hmis-<db>-20260304-143200Z.manifest.json */
export function manifestPathOf(dumpFile: string): string {
  return `${dumpFile.replace(/\.sql\.gz$/, '')}.manifest.json`;
}

export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  const partial = `${file}.partial`;
  await writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, file);
}

/** The manifest of `dumpFile`, or a refusal saying why the file is not a backup of ours. */
export async function readManifest(dumpFile: string): Promise<Manifest> {
  const file = manifestPathOf(dumpFile);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new OpsRefusal(`${dumpFile} is not an HMIS backup: its manifest ${file} is missing (npm run backup writes both)`);
  }
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw new OpsRefusal(`${file} is not an HMIS backup manifest (not JSON)`);
  }
  if (manifest.format !== MANIFEST_FORMAT || typeof manifest.sha256 !== 'string' || !Array.isArray(manifest.tables)) {
    throw new OpsRefusal(`${file} is not an HMIS backup manifest (format ${JSON.stringify(manifest.format)}, expected ${MANIFEST_FORMAT})`);
  }
  return manifest as Manifest;
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** The database's tables (not views), by name. */
export async function baseTables(conn: Connection, database: string): Promise<string[]> {
  const [rows] = await conn.query(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    [database],
  );
  return (rows as { name: string }[]).map((r) => r.name);
}

/**
 * Row count and CHECKSUM TABLE of each table, as `conn` sees them: inside a consistent-snapshot transaction that is
 * the snapshot's state (InnoDB computes the checksum from the snapshot's rows; checked on MariaDB 10.11).
 */
export async function tableStates(conn: Connection, tables: readonly string[]): Promise<TableState[]> {
  if (!tables.length) return [];
  const [sums] = await conn.query(`CHECKSUM TABLE ${tables.map(quoteName).join(', ')}`);
  const checksumOf = new Map(
    (sums as { Table: string; Checksum: number | string | null }[]).map((r) => [r.Table.split('.').pop(), r.Checksum]),
  );
  const states: TableState[] = [];
  for (const name of tables) {
    const [[count]] = (await conn.query(`SELECT COUNT(*) AS n FROM ${quoteName(name)}`)) as unknown as [[{ n: number | string }]];
    const checksum = checksumOf.get(name);
    states.push({ name, rows: Number(count.n), checksum: checksum === null || checksum === undefined ? null : Number(checksum) });
  }
  return states;
}

/** Bytes as people read them: 1.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1000;
    unit++;
  } while (value >= 1000 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** A fixed-width table: the first row is the heading; columns of numbers are right-aligned, heading included. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const [heading = [], ...body] = rows;
  const widths = heading.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const numeric = heading.map((_, i) => body.length > 0 && body.every((r) => /^(-?[\d,]+|—|missing)$/.test(r[i] ?? '')));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}
