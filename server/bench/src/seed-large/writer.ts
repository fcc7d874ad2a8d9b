/**
 * The bulk writer: rows as TSV streamed into LOAD DATA LOCAL INFILE (or multi-row INSERTs), on load sessions with the
 * checks off, and the few queries around it.
 */
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';
import { drizzle } from 'drizzle-orm/mysql2';
import type { Db } from '@hmis/server/db/client';
import * as schema from '@hmis/server/db/schema';
import { COLUMNS, DATA_TABLES, type TableName } from './model';
import { NULL } from './random';

export type Conn = mysql.Connection;
const BATCH_CHARS = 1 << 20;
const INSERT_BATCH_CHARS = 4 << 20;

/** Streams the rows into the table; returns how many. LOAD DATA turns errors into warnings, so warnings fail it. */
export async function loadRows(
  conn: Conn,
  method: 'load-data' | 'insert',
  table: TableName,
  rows: Iterator<string>,
  onRows: (n: number) => void,
): Promise<number> {
  const columns = COLUMNS[table].map((c) => `\`${c}\``).join(', ');
  let sent = 0;
  if (method === 'insert') {
    let batch: string[] = [];
    let size = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await conn.query(`INSERT INTO \`${table}\` (${columns}) VALUES ${batch.join(',')}`);
      onRows(batch.length);
      sent += batch.length;
      batch = [];
      size = 0;
    };
    for (let next = rows.next(); !next.done; next = rows.next()) {
      const values = next.value
        .slice(0, -1)
        .split('\t')
        .map((v) => (v === NULL ? 'NULL' : `'${v.replaceAll("'", "''")}'`));
      const tuple = `(${values.join(',')})`;
      batch.push(tuple);
      size += tuple.length;
      if (size >= INSERT_BATCH_CHARS) await flush();
    }
    await flush();
    return sent;
  }

  const stream = new Readable({
    read() {
      try {
        let text = '';
        let n = 0;
        for (;;) {
          const next = rows.next();
          if (next.done) {
            sent += n;
            onRows(n);
            if (text) this.push(text);
            this.push(null);
            return;
          }
          text += next.value;
          n++;
          if (text.length >= BATCH_CHARS) break;
        }
        sent += n;
        onRows(n);
        this.push(text);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
  const [result] = await conn.query<mysql.ResultSetHeader>({
    sql: `LOAD DATA LOCAL INFILE '${table}.tsv' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${columns})`,
    infileStreamFactory: () => stream,
  });
  if (result.warningStatus > 0) {
    const [warnings] = await conn.query<mysql.RowDataPacket[]>('SHOW WARNINGS LIMIT 3');
    throw new Error(`Loading ${table} gave ${result.warningStatus} warning(s): ${warnings.map((w) => w.Message as string).join('; ')}`);
  }
  if (result.affectedRows !== sent) throw new Error(`Loading ${table}: sent ${sent} rows, the server took ${result.affectedRows}`);
  return sent;
}

export async function rowsOf<T extends mysql.RowDataPacket>(conn: Conn, sql: string, values: unknown[] = []): Promise<T[]> {
  const [rows] = await conn.query<T[]>(sql, values);
  return rows;
}

/** Fails early, and clearly, if the schema gained a required column this generator does not write. */
export async function checkColumns(conn: Conn): Promise<void> {
  const cols = await rowsOf(
    conn,
    `SELECT table_name AS t, column_name AS c, is_nullable AS nullable, column_default AS def, extra
    FROM information_schema.columns WHERE table_schema = DATABASE()`,
  );
  const byTable = new Map<string, { c: string; required: boolean }[]>();
  for (const col of cols) {
    const required = col.nullable === 'NO' && col.def === null && !String(col.extra).includes('auto_increment');
    byTable.set(col.t as string, [...(byTable.get(col.t as string) ?? []), { c: col.c as string, required }]);
  }
  for (const [table, written] of Object.entries(COLUMNS)) {
    const actual = byTable.get(table) ?? [];
    const missing = written.filter((c) => !actual.some((a) => a.c === c));
    const unknown = actual.filter((a) => a.required && !written.includes(a.c)).map((a) => a.c);
    if (missing.length || unknown.length) {
      throw new Error(
        `seed-large is out of date with the schema of ${table} (${[...missing.map((c) => `no column ${c}`), ...unknown.map((c) => `required column ${c} not written`)].join(', ')}): update COLUMNS in server/bench/src/seed-large/model.ts`,
      );
    }
  }
}

export interface Session {
  conn: Conn;
  /** Drizzle over the same connection, so the kept counts and the audit row use the services' own functions. */
  db: Db;
}

export async function openSession(url: string): Promise<Session> {
  const conn = await mysql.createConnection({
    uri: url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    dateStrings: true,
    supportBigNumbers: true,
    flags: ['+LOCAL_FILES'],
  });
  try {
    await conn.query(
      "SET time_zone = '+00:00', sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
    );
    // Ids and references are right by construction. With both checks off, MariaDB also loads an empty table in
    // bulk (indexes built sorted, table-level undo). A table of an interrupted run may still be rolling back on
    // the server when we retry it: wait for its locks rather than fail.
    await conn.query('SET foreign_key_checks = 0, unique_checks = 0, innodb_lock_wait_timeout = 3600');
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
  return { conn, db: drizzle(conn, { schema, mode: 'default', casing: 'snake_case' }) };
}

export async function nextIdOf(conn: Conn, table: TableName): Promise<number> {
  const [row] = await rowsOf(conn, `SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \`${table}\``);
  return Number(row?.next);
}

export async function setStatsAutoRecalc(conn: Conn, on: boolean): Promise<void> {
  for (const table of DATA_TABLES) await conn.query(`ALTER TABLE \`${table}\` STATS_AUTO_RECALC = ${on ? 'DEFAULT' : '0'}`);
}
