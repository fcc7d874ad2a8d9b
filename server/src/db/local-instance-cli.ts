/**
 * Manage the private development database:
 *   tsx server/src/db/local-instance-cli.ts start|stop|status
 * Prints one line; exit code 0 on success (status: 0 = running, 1 = not running).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NoDatabaseError, startLocalInstance, stopLocalInstance } from './local-instance';

// <repo>/.data/mysql — `.data/` is git-ignored. This file is <repo>/server/src/db/.
const baseDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.data/mysql');

function readInt(file: string): number | undefined {
  try {
    const value = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Read-only check (unlike `start`, never launches anything). */
function status(): number {
  const pid = readInt(path.join(baseDir, 'mysqld.pid'));
  const port = readInt(path.join(baseDir, 'port'));
  let alive = false;
  if (pid !== undefined) {
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
  }
  if (alive && port !== undefined) {
    console.log(`running: mysql://root@127.0.0.1:${port} (pid ${pid}, data ${baseDir})`);
    return 0;
  }
  console.log(`not running (${baseDir})`);
  return 1;
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'start': {
      const instance = await startLocalInstance({ baseDir });
      console.log(`${instance.startedHere ? 'started' : 'already running'}: ${instance.url} (data ${instance.dataDir})`);
      return 0;
    }
    case 'stop': {
      const stopped = await stopLocalInstance(baseDir);
      console.log(stopped ? `stopped (${baseDir})` : `not running (${baseDir})`);
      return 0;
    }
    case 'status':
      return status();
    default:
      console.log('usage: local-instance-cli start|stop|status');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // NoDatabaseError is already a one-line instruction; other errors may carry an error-log tail.
    if (err instanceof NoDatabaseError) console.log(err.message);
    else console.log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
