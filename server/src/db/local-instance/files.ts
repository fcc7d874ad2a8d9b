/** The private instance's files under its base directory, small helpers around them, and error helpers. */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// sun_path is 108 bytes on Linux and 104 on macOS; stay clearly below both.
const MAX_SOCKET_PATH = 100;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// Paths and small file helpers
// ---------------------------------------------------------------------------

export interface Paths {
  baseDir: string;
  dataDir: string;
  initMarker: string;
  pidFile: string;
  socket: string;
  errorLog: string;
  portFile: string;
  lockFile: string;
}

export function pathsFor(baseDirInput: string): Paths {
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

export async function readIntFile(file: string): Promise<number | undefined> {
  try {
    const value = Number.parseInt((await fsp.readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function removeIfExists(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function errorLogTail(paths: Paths, lines = 25): Promise<string> {
  try {
    const text = await fsp.readFile(paths.errorLog, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no error log)';
  }
}
