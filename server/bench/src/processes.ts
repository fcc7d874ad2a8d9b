/**
 * The benchmark's processes: the production server (compiled, as `npm start` runs it) and the baseline (through
 * tsx), each known to be up when it prints its "listening on" line, the load runner (IPC), and a sampler of a process's
 * resident memory from /proc/<pid>/status.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@hmis/server/env';
import type { LoadJob, LoadResult } from './scenarios';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 90_000;

export interface Service {
  name: string;
  url: string;
  pid: number;
  /** The last lines it wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Stops a child we started: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Node flags of server/package.json's start script (and docker/Dockerfile): a smaller V8 young generation (decision 008). */
const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=8'];

/** BENCH_CPU_PROFILE=DIR: the production server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools). */
const profileFlags = () => (process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []);

/** How a script is run: TypeScript through tsx, or the compiled production server with the flags of `npm start`. */
const nodeArgs = (script: string) =>
  script.endsWith('.ts') ? ['--import', 'tsx', script] : ['--enable-source-maps', ...PRODUCTION_NODE_FLAGS, ...profileFlags(), script];

/** Starts `node <script>` and resolves with its URL once it prints "listening on <url>". */
export function startService(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Service> {
  const child = spawn(process.execPath, [...nodeArgs(script), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stopChild(child, 2_000);
      reject(new Error(`${name} did not start: ${why}\n${lines.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`no "listening on" line within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      const m = /listening on (https?:\/\/\S+)/.exec(chunk.toString());
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        name,
        url: m[1]!.replace(/\/$/, ''),
        pid: child.pid!,
        output: () => lines.join('\n'),
        stop: () => stopChild(child),
      });
    });
  });
}

export const baselineScript = path.join(BENCH_DIR, 'baseline-server.ts');
/** The production server as `npm start` runs it (built by buildServer). */
export const serverScript = path.join(REPO_ROOT, 'server/dist/main.mjs');

/** Builds server/dist/main.mjs, as `npm start` does before it starts. */
export function buildServer(): void {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'server/scripts/build.mjs')], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`building the server failed:\n${res.stderr}`);
}

/** The load generator process; one job at a time. */
export class LoadRunner {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; result?: LoadResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(`load runner: ${m.error}`));
      else p.resolve(m.result!);
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`load runner exited (${code})`));
      this.pending.clear();
    });
  }

  static start(): Promise<LoadRunner> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'load-runner.ts')], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`load runner exited (${code}) before it was ready`)));
      child.once('message', () => {
        child.removeAllListeners('exit');
        resolve(new LoadRunner(child));
      });
    });
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job });
    });
  }

  stop(): Promise<void> {
    this.child.disconnect();
    return stopChild(this.child, 5_000);
  }
}

/** Resident set size of a process in MB (Linux /proc), or null where that is not available. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` and keeps the maximum; `take()` returns the max since the last take. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  private windowMax: number | null = null;
  overallMax: number | null = null;
  constructor(
    private readonly pid: number,
    everyMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  private sample() {
    const v = rssMb(this.pid);
    if (v == null) return;
    this.windowMax = Math.max(this.windowMax ?? 0, v);
    this.overallMax = Math.max(this.overallMax ?? 0, v);
  }
  take(): number | null {
    this.sample();
    const v = this.windowMax;
    this.windowMax = null;
    return v;
  }
  stop() {
    clearInterval(this.timer);
  }
}
