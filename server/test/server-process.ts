/** The production server as `npm start` runs it (dist/main.mjs, built first), as a child process of a test. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const serverDir = path.resolve(import.meta.dirname, '..');

/** What the server's prestart does: builds dist/main.mjs. */
export function buildServerBundle(): void {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: serverDir, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
}

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts dist/main.mjs with the start script's options, on a port of its own (PORT=0) unless `env` names one. */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', '--max-semi-space-size=8', 'dist/main.mjs'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** The address the server says it listens on, once it does; throws if it exits or is not listening within a minute. */
export async function listeningAddress(output: () => string, exited: Promise<number | null>): Promise<string> {
  const deadline = Date.now() + 60_000;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline && !done) {
    const m = /listening on (http:\/\/\S+)/.exec(output());
    if (m?.[1]) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${output()}`);
}
