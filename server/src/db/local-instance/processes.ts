/**
 * Processes: whether the pid in the pid file is our server (not a reused pid, not a zombie), stopping it, who we run
 * as, and the cross-process lock held around check-and-start and stop.
 */
import { promises as fsp, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { errorCode, readIntFile, removeIfExists, sleep, type Paths } from './files';

const STOP_TIMEOUT_MS = 30_000;
const STALE_LOCK_MS = 120_000;
// Waiters may legitimately queue behind a first start (init + up to 60 s of
// readiness), so allow a bit more than the stale-lock age before giving up.
const LOCK_WAIT_MS = 180_000;

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
export function isOurServer(pid: number, dataDir: string): boolean {
  if (!processExists(pid)) return false;
  if (!HAS_PROC) return true;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(`--datadir=${dataDir}`);
  } catch {
    return false;
  }
}

export function portFromCmdline(pid: number): number | undefined {
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

export async function runningServerPid(paths: Paths): Promise<number | undefined> {
  const pid = await readIntFile(paths.pidFile);
  return pid !== undefined && isOurServer(pid, paths.dataDir) ? pid : undefined;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function currentUser(): string {
  return isRoot() ? 'root' : os.userInfo().username;
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

export async function withLock<T>(paths: Paths, fn: () => Promise<T>): Promise<T> {
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
// Stopping a process
// ---------------------------------------------------------------------------

export async function terminate(pid: number): Promise<void> {
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
