import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/env';

const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
const sqlOf = (f: string) => readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8');

/**
 * Tests run on MariaDB, production is MySQL 8. These forms are accepted by MariaDB and rejected by MySQL 8, so
 * they must never reach a migration.
 */
describe('migrations stay MySQL 8 compatible', () => {
  it('there are migrations to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s: fractional timestamps default and update with matching precision (MySQL error 1294)', (f) => {
    for (const line of sqlOf(f).split('\n')) {
      const fsp = /datetime\((\d)\)|timestamp\((\d)\)/i.exec(line);
      if (!fsp) continue;
      const precision = fsp[1] ?? fsp[2];
      expect(line, line).not.toMatch(/ON UPDATE CURRENT_TIMESTAMP(?!\()/i);
      expect(line, line).not.toMatch(/ON UPDATE (now|current_timestamp)\(\)/i);
      expect(line, line).not.toMatch(/DEFAULT \(?now\(\)\)?/i);
      for (const m of line.matchAll(/CURRENT_TIMESTAMP\((\d)\)/gi)) expect(m[1], line).toBe(precision);
    }
  });

  it.each(files)('%s: no MariaDB-only syntax', (f) => {
    const sql = sqlOf(f);
    expect(sql).not.toMatch(/\bIF NOT EXISTS\b.*\bADD COLUMN\b/i); // MariaDB-only ADD COLUMN IF NOT EXISTS
    expect(sql).not.toMatch(/\bCREATE OR REPLACE TABLE\b/i);
    expect(sql).not.toMatch(/\bRETURNING\b/i);
    expect(sql).not.toMatch(/\bSEQUENCE\b/i);
    expect(sql).not.toMatch(/\bINET[46]\b|\bUUID\b(?!\()/);
  });

  it.each(files)('%s: JSON columns are plain JSON (MariaDB aliases it to LONGTEXT; MySQL has the real type)', (f) => {
    expect(sqlOf(f)).not.toMatch(/longtext.*json_valid/i);
  });
});
