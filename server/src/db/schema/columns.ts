/** Column helpers shared by every table: one id type, one timestamp type, authorship and version. */
import { sql } from 'drizzle-orm';
import { bigint, customType, datetime, int } from 'drizzle-orm/mysql-core';

/** Primary and foreign keys: BIGINT UNSIGNED, read as JS numbers (safe below 2^53). */
export const idColumn = () => bigint({ mode: 'number', unsigned: true });
export const primaryId = () => idColumn().autoincrement().primaryKey();

/**
 * UTC with milliseconds. The default is written as CURRENT_TIMESTAMP(3) explicitly: drizzle's defaultNow()/
 * onUpdateNow() on a fractional column produce SQL that MySQL 8 rejects (error 1294). updatedAt is set by services.
 */
export const timestamp3 = () => datetime({ mode: 'date', fsp: 3 });
export const timestamps = () => ({
  createdAt: timestamp3().notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  updatedAt: timestamp3().notNull().default(sql`CURRENT_TIMESTAMP(3)`),
});

/** Optimistic locking: every update must match the version it read, and increments it. */
export const version = () => int().notNull().default(1);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * Half of a surrogate pair (a client that cut an emoji in two) is written as U+FFFD, as the text columns store it:
 * JSON.stringify writes it as `\ud800`, which the JSON column's check refuses (a 500 on saving the audit row).
 */
const wellFormed = (_key: string, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\ufffd') : value);

/**
 * JSON stored as a JSON column. MySQL 8 returns it parsed; MariaDB (where JSON is LONGTEXT) returns a string,
 * so reading parses when needed.
 */
export const jsonColumn = <T>() =>
  customType<{ data: T; driverData: string | null }>({
    dataType: () => 'json',
    // null is SQL NULL, also when the value comes through a prepared query's placeholder.
    toDriver: (value) => (value === null || value === undefined ? null : JSON.stringify(value, wellFormed)),
    fromDriver: (value) => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T)),
  })();
