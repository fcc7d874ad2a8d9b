/**
 * A 3-node MariaDB Galera cluster on loopback for the cluster test (issue 12), from the system's binaries: Debian's
 * `mariadb-server`, `galera-4` and `mariadb-backup`. Same ideas as the private instance (src/db/local-instance.ts):
 * data directories made with mariadb-install-db, nothing read from the system's option files, socket and pid in a
 * temp dir, run as root with --user=root. Each node has its own option file (given with --defaults-file, which reads
 * no other file): the state-transfer scripts the server runs read the node's settings from it.
 *
 * The first node bootstraps the cluster (--wsrep-new-cluster); the others join with an empty data directory and get
 * the data by a real state transfer (mariabackup; rsync fails as root here). A node is killed like a crashed machine:
 * SIGKILL to its process group (the server and any state-transfer script it runs). stop() kills every node and removes
 * the temp dir, and a leftover of a test process that died (its owner pid gone) is swept away by the next start.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { findServerBinaries } from '../../src/db/local-instance';

const PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const HOST = '127.0.0.1';
const DIR_PREFIX = 'hmis-galera-';
/** Preferred first ports; a port in use moves to the next free one. */
const BASE = { client: 3311, wsrep: 4567, ist: 4568, sst: 4444 } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const execFileAsync = promisify(execFile);

export interface GaleraNode {
  /** 1-based, as in node1 … node3. */
  index: number;
  name: string;
  port: number;
  /** mysql://root@127.0.0.1:PORT (no database). */
  serverUrl: string;
  dir: string;
  socket: string;
  errorLog: string;
  /** Pid of the running server (also its process group), undefined when not running. */
  pid: number | undefined;
}

export interface NodeStatus {
  clusterSize: number;
  state: string;
  ready: boolean;
}

export interface GaleraCluster {
  dir: string;
  nodes: GaleraNode[];
  /** SIGKILL to the node's process group, as a crashed machine; resolves once the server is gone. */
  kill(index: number): Promise<void>;
  /** Starts a killed node again; it rejoins (by incremental state transfer when the others still have what it missed). */
  restart(index: number, timeoutMs: number): Promise<void>;
  /** wsrep status of one node, over its socket. */
  status(index: number): Promise<NodeStatus>;
  /** Waits until each given node is Synced in a primary component of `size` nodes. */
  waitSynced(indexes: number[], size: number, timeoutMs: number): Promise<void>;
  /** Galera's counters of one node (wsrep_local_cert_failures, wsrep_local_bf_aborts, …) as numbers. */
  counters(index: number): Promise<Record<string, number>>;
  /** Kills every node and removes the temp dir. Safe to call more than once. */
  stop(): Promise<void>;
  logTail(index: number, lines?: number): string;
}

export interface GaleraOptions {
  nodes?: number;
  /** For the start: data dirs, bootstrap, state transfers, all Synced. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Whether this machine can run the cluster; otherwise a sentence saying what to install. */
export function galeraMissing(): string | null {
  const missing: string[] = [];
  const bins = findServerBinaries();
  if (bins?.kind !== 'mariadb' || bins.installDb === undefined) missing.push('mariadb-server');
  if (!existsSync(PROVIDER)) missing.push('galera-4');
  if (!onPath('mariadb-backup') && !onPath('mariabackup')) missing.push('mariadb-backup');
  if (!onPath('socat')) missing.push('socat');
  return missing.length ? `The Galera cluster test needs ${missing.join(', ')} (Debian: apt-get install ${missing.join(' ')})` : null;
}

function onPath(name: string): boolean {
  return [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin'].some((d) => d && existsSync(path.join(d, name)));
}

/** For processes that are not this one's children (a dead test's leftovers): those never stay zombies here. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first free port at or after `from` that is not already taken by this cluster. */
async function portFrom(from: number, taken: Set<number>): Promise<number> {
  for (let port = from; port < from + 1000; port++) {
    if (!taken.has(port) && (await canListen(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`No free port from ${from}`);
}

/** Removes the cluster dirs of test processes that died without stopping their nodes (and kills those nodes). */
function sweepLeftovers(): void {
  const tmp = os.tmpdir();
  for (const entry of readdirSync(tmp)) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(tmp, entry);
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(path.join(dir, 'owner'), 'utf8'));
    } catch {
      // no owner file: a start that died at once
    }
    if (Number.isInteger(owner) && exists(owner)) continue;
    for (const node of existsSync(dir) ? readdirSync(dir) : []) {
      const pidFile = path.join(dir, node, 'pid');
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, 'utf8'));
      // Only a server of this dir: the pid may have been reused by anything since.
      if (Number.isInteger(pid) && exists(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) killGroup(pid);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Ports {
  client: number;
  wsrep: number;
  ist: number;
  sst: number;
}

function optionFile(node: GaleraNode, ports: Ports, all: Ports[], clusterName: string): string {
  const gcomm = all.map((p) => `${HOST}:${p.wsrep}`).join(',');
  const provider = [`gmcast.listen_addr=tcp://${HOST}:${ports.wsrep}`, `ist.recv_addr=${HOST}:${ports.ist}`, 'gcache.size=64M'].join(';');
  return `[mysqld]
datadir=${node.dir}/data
socket=${node.socket}
port=${ports.client}
bind-address=${HOST}
pid-file=${node.dir}/mysqld.pid
log-error=${node.errorLog}
user=root
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+00:00
sql-mode=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION
max-connections=400
innodb-buffer-pool-size=128M
innodb-log-file-size=48M
innodb-flush-log-at-trx-commit=2
# What Galera needs: row-based replication, InnoDB, interleaved auto-increment locks.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=${PROVIDER}
wsrep_cluster_name=${clusterName}
wsrep_cluster_address=gcomm://${gcomm}
wsrep_node_name=${node.name}
wsrep_node_address=${HOST}:${ports.wsrep}
wsrep_provider_options="${provider}"
wsrep_slave_threads=4
# State transfer by mariabackup, which reads the donor over its socket as root (no password on a fresh data dir).
wsrep_sst_method=mariabackup
wsrep_sst_auth=root:
wsrep_sst_receive_address=${HOST}:${ports.sst}

[sst]
# The script would otherwise keep each transfer's log in /tmp/sst_log_archive, outliving the test.
sst-log-archive=0
`;
}

export async function startGaleraCluster(opts: GaleraOptions = {}): Promise<GaleraCluster> {
  const missing = galeraMissing();
  if (missing) throw new Error(missing);
  const bins = findServerBinaries()!;
  const count = opts.nodes ?? 3;
  const timeoutMs = opts.timeoutMs ?? 150_000;
  const log = opts.log ?? (() => undefined);
  sweepLeftovers();

  const dir = await mkdtemp(path.join(os.tmpdir(), DIR_PREFIX));
  await writeFile(path.join(dir, 'owner'), String(process.pid));
  const taken = new Set<number>();
  const ports: Ports[] = [];
  for (let i = 0; i < count; i++) {
    ports.push({
      client: await portFrom(BASE.client + i, taken),
      wsrep: await portFrom(BASE.wsrep + 10 * i, taken),
      ist: await portFrom(BASE.ist + 10 * i, taken),
      sst: await portFrom(BASE.sst + i, taken),
    });
  }
  const clusterName = path.basename(dir);
  const nodes: GaleraNode[] = ports.map((p, i) => {
    const nodeDir = path.join(dir, `node${i + 1}`);
    return {
      index: i + 1,
      name: `node${i + 1}`,
      port: p.client,
      serverUrl: `mysql://root@${HOST}:${p.client}`,
      dir: nodeDir,
      socket: path.join(nodeDir, 'mysqld.sock'),
      errorLog: path.join(nodeDir, 'mysqld.err'),
      pid: undefined,
    };
  });
  /** Each server's exit, from its 'exit' event (so a killed one is known gone, not a zombie still in /proc). */
  const exited = new Map<number, boolean>();
  const exits = new Map<number, Promise<void>>();
  const stopped = { done: false };

  const spawnNode = async (node: GaleraNode, bootstrap: boolean, extra: string[] = []) => {
    const args = [`--defaults-file=${node.dir}/my.cnf`, ...(bootstrap ? ['--wsrep-new-cluster'] : []), ...extra];
    // Its own process group, so that a kill takes the state-transfer scripts and their children with it.
    const child = spawn(bins.server, args, { detached: true, stdio: 'ignore' });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`Could not start ${bins.server} for ${node.name}`);
    node.pid = pid;
    exited.set(pid, false);
    exits.set(
      pid,
      new Promise((resolve) =>
        child.once('exit', () => {
          exited.set(pid, true);
          resolve();
        }),
      ),
    );
    child.unref();
    await writeFile(path.join(node.dir, 'pid'), String(pid));
  };

  const query = async <T>(node: GaleraNode, sql: string): Promise<T[]> => {
    const conn = await mysql.createConnection({ socketPath: node.socket, user: 'root', password: '', connectTimeout: 2000 });
    try {
      return (await conn.query(sql))[0] as T[];
    } finally {
      await conn.end().catch(() => undefined);
    }
  };

  const status = async (index: number): Promise<NodeStatus> => {
    const rows = await query<{ Variable_name: string; Value: string }>(
      nodes[index - 1]!,
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment', 'wsrep_ready', 'wsrep_cluster_status')",
    );
    const v = Object.fromEntries(rows.map((r) => [r.Variable_name, r.Value]));
    return {
      clusterSize: Number(v.wsrep_cluster_size ?? 0),
      state: v.wsrep_local_state_comment ?? '?',
      ready: v.wsrep_ready === 'ON' && v.wsrep_cluster_status === 'Primary',
    };
  };

  const logTail = (index: number, lines = 30) => {
    try {
      return readFileSync(nodes[index - 1]!.errorLog, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no error log)';
    }
  };

  const waitSynced = async (indexes: number[], size: number, waitMs: number) => {
    const deadline = Date.now() + waitMs;
    const last = new Map<number, string>();
    for (;;) {
      let all = true;
      for (const i of indexes) {
        const node = nodes[i - 1]!;
        if (node.pid === undefined || exited.get(node.pid)) {
          throw new Error(`${node.name} exited while starting; last lines of ${node.errorLog}:\n${logTail(i)}`);
        }
        try {
          const s = await status(i);
          last.set(i, `${s.state}, cluster of ${s.clusterSize}`);
          if (!(s.ready && s.state === 'Synced' && s.clusterSize === size)) all = false;
        } catch (e) {
          last.set(i, e instanceof Error ? e.message : String(e));
          all = false;
        }
      }
      if (all) return;
      if (Date.now() > deadline) {
        const states = indexes.map((i) => `node${i}: ${last.get(i)}`).join('; ');
        throw new Error(
          `The cluster was not Synced at ${size} nodes within ${waitMs / 1000} s (${states}); last lines of node${indexes.at(-1)}:\n${logTail(indexes.at(-1)!)}`,
        );
      }
      await sleep(250);
    }
  };

  const kill = async (index: number) => {
    const node = nodes[index - 1]!;
    if (node.pid === undefined) return;
    const pid = node.pid;
    killGroup(pid);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`mariadbd ${pid} still running 10 s after SIGKILL`)), 10_000);
    });
    try {
      await Promise.race([exits.get(pid), timeout]);
    } finally {
      clearTimeout(timer);
    }
    node.pid = undefined;
  };

  const restart = async (index: number, waitMs: number) => {
    const node = nodes[index - 1]!;
    if (node.pid !== undefined) throw new Error(`${node.name} is running`);
    // As Debian's galera_recovery does before a start: a crashed node's grastate.dat has no position, so read it back
    // from InnoDB; given it, the node asks for the write sets it missed (IST) instead of a whole copy (SST).
    const recoverLog = path.join(node.dir, 'recover.err');
    await execFileAsync(bins.server, [`--defaults-file=${node.dir}/my.cnf`, '--wsrep-recover', `--log-error=${recoverLog}`], {
      timeout: 60_000,
    });
    const position = /WSREP: Recovered position:\s*(\S+)/.exec(readFileSync(recoverLog, 'utf8'))?.[1];
    await spawnNode(node, false, position ? [`--wsrep-start-position=${position}`] : []);
    const up = nodes.filter((n) => n.pid !== undefined).map((n) => n.index);
    await waitSynced(up, up.length, waitMs);
  };

  const stop = async () => {
    if (stopped.done) return;
    stopped.done = true;
    process.removeListener('exit', onExit);
    const errors: string[] = [];
    for (const node of nodes) await kill(node.index).catch((e: Error) => errors.push(e.message));
    await rm(dir, { recursive: true, force: true });
    if (errors.length) throw new Error(errors.join('; '));
  };
  // A test process that ends without calling stop() (an error in a hook, a timeout) still leaves no server behind.
  const onExit = () => {
    for (const node of nodes) if (node.pid !== undefined) killGroup(node.pid);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const counters = async (index: number) => {
    const rows = await query<{ Variable_name: string; Value: string }>(nodes[index - 1]!, "SHOW GLOBAL STATUS LIKE 'wsrep_%'");
    return Object.fromEntries(rows.filter((r) => /^-?\d+(\.\d+)?$/.test(r.Value)).map((r) => [r.Variable_name, Number(r.Value)]));
  };

  const cluster: GaleraCluster = {
    dir,
    nodes,
    kill,
    restart,
    status,
    waitSynced,
    counters,
    stop,
    logTail,
  };

  try {
    const started = Date.now();
    for (const [i, node] of nodes.entries()) {
      await mkdir(path.join(node.dir, 'data'), { recursive: true });
      await writeFile(path.join(node.dir, 'my.cnf'), optionFile(node, ports[i]!, ports, clusterName));
    }
    // Only the first node's data dir is made here: the others get theirs by state transfer.
    await execFileAsync(
      bins.installDb!,
      [
        '--no-defaults',
        `--datadir=${nodes[0]!.dir}/data`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        '--user=root',
      ],
      { timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
    ).catch((e: Error & { stderr?: string }) => {
      throw new Error(`mariadb-install-db failed: ${e.message}\n${e.stderr ?? ''}`);
    });
    await spawnNode(nodes[0]!, true);
    await waitSynced([1], 1, Math.min(timeoutMs, 60_000));
    log(`galera: node1 bootstrapped on port ${nodes[0]!.port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The joiners start together; the donor serves one state transfer at a time, so the second waits for the first.
    for (const node of nodes.slice(1)) await spawnNode(node, false);
    await waitSynced(
      nodes.map((n) => n.index),
      count,
      Math.max(1000, timeoutMs - (Date.now() - started)),
    );
    log(
      `galera: ${count} nodes Synced (ports ${nodes.map((n) => n.port).join(', ')}) after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return cluster;
}
