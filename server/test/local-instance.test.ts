import { describe, it, expect } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { findServerBinaries, startLocalInstance, stopLocalInstance } from '../src/db/local-instance';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface SettingsRow {
  charset: string;
  tz: string;
  sqlMode: string;
}

describe('local database instance', () => {
  it('finds the server binaries the test machine must have (CI installs mariadb-server)', () => {
    expect(findServerBinaries()).not.toBeNull();
  });

  it('starts, is reused, and stops', { timeout: 120_000 }, async () => {
    const baseDir = await mkdtemp(path.join(os.tmpdir(), 'hmis-local-db-'));
    let stopped = false;
    try {
      const port = await freePort();
      const first = await startLocalInstance({ baseDir, port });
      expect(first.startedHere).toBe(true);
      expect(first.url).toBe(`mysql://root@127.0.0.1:${port}`);
      expect(first.dataDir).toBe(path.join(baseDir, 'data'));

      const conn = await mysql.createConnection(first.url);
      try {
        const [rows] = await conn.query<(SettingsRow & mysql.RowDataPacket)[]>(
          'SELECT @@character_set_server AS charset, @@time_zone AS tz, @@sql_mode AS sqlMode',
        );
        const row = rows[0];
        expect(row?.charset).toBe('utf8mb4');
        expect(row?.tz).toBe('+00:00');
        expect(row?.sqlMode.split(',')).toContain('STRICT_TRANS_TABLES');
      } finally {
        await conn.end();
      }

      const second = await startLocalInstance({ baseDir });
      expect(second.startedHere).toBe(false);
      expect(second.url).toBe(first.url);

      await second.stop();
      stopped = true;
      await expect(mysql.createConnection({ uri: first.url, connectTimeout: 2_000 })).rejects.toThrow();
      expect(await stopLocalInstance(baseDir)).toBe(false);
    } finally {
      if (!stopped) await stopLocalInstance(baseDir).catch(() => undefined);
      await rm(baseDir, { recursive: true, force: true });
    }
  });
});
