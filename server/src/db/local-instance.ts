/**
 * Private MariaDB/MySQL server for development and tests, used when no
 * DATABASE_URL is set. It runs from the system's server binaries with its data
 * in a git-ignored folder (e.g. `<repo>/.data/mysql`) and outlives the Node
 * process that started it, so later runs simply reuse it.
 *
 * Layout of `baseDir`:
 *   data/          the data directory
 *   .initialized   written once the data directory is fully initialised
 *   mysqld.pid     pid of the running server
 *   mysqld.sock    unix socket (or under os.tmpdir() when the path is too long)
 *   mysqld.err     server error log
 *   port           TCP port the instance uses (reused by later starts)
 *   .lock          held while checking/starting/stopping
 *
 * The parts: finding the binaries (local-instance/binaries.ts), the files (files.ts), processes and the lock
 * (processes.ts), initialising and starting a server (mysqld.ts).
 */
import { promises as fsp, existsSync } from 'node:fs';
import path from 'node:path';
import { findServerBinaries, NoDatabaseError } from './local-instance/binaries';
import { pathsFor, readIntFile, removeIfExists, type Paths } from './local-instance/files';
import { choosePort, DEFAULT_PORT, HOST, initialiseDataDir, spawnServer, waitUntilReady } from './local-instance/mysqld';
import { isOurServer, portFromCmdline, runningServerPid, terminate, withLock } from './local-instance/processes';

export { findServerBinaries, NoDatabaseError };

export interface LocalInstance {
  /** e.g. mysql://root@127.0.0.1:PORT (no database name in it) */
  url: string;
  dataDir: string;
  /** true if this call started the server process, false if it reused a running one */
  startedHere: boolean;
  /** Stops the server (SIGTERM to the pid in the pid file, waits up to 30 s for it to exit). */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Stop
// ---------------------------------------------------------------------------

async function stopLocked(paths: Paths): Promise<boolean> {
  const pid = await runningServerPid(paths);
  if (pid === undefined) {
    await removeIfExists(paths.pidFile);
    return false;
  }
  await terminate(pid);
  // A clean shutdown removes these itself; a killed one may not.
  await removeIfExists(paths.pidFile);
  return true;
}

export async function stopLocalInstance(baseDir: string): Promise<boolean> {
  const paths = pathsFor(baseDir);
  if (!existsSync(paths.baseDir)) return false;
  return withLock(paths, () => stopLocked(paths));
}

// ---------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------

function makeInstance(paths: Paths, port: number, startedHere: boolean): LocalInstance {
  return {
    url: `mysql://root@${HOST}:${port}`,
    dataDir: paths.dataDir,
    startedHere,
    async stop() {
      await stopLocalInstance(paths.baseDir);
    },
  };
}

export async function startLocalInstance(opts: { baseDir: string; port?: number }): Promise<LocalInstance> {
  const bins = findServerBinaries();
  if (bins === null) throw new NoDatabaseError();
  const paths = pathsFor(opts.baseDir);
  await fsp.mkdir(paths.baseDir, { recursive: true });

  return withLock(paths, async () => {
    const pid = await runningServerPid(paths);
    if (pid !== undefined) {
      const port = (await readIntFile(paths.portFile)) ?? portFromCmdline(pid) ?? opts.port ?? DEFAULT_PORT;
      // It may still be starting (e.g. its starter was killed mid-start); give it the usual time.
      await waitUntilReady(paths, { port }, () => !isOurServer(pid, paths.dataDir));
      return makeInstance(paths, port, false);
    }

    // MySQL checks --secure-file-priv at init and at every start.
    if (bins.kind === 'mysql') await fsp.mkdir(path.join(paths.baseDir, 'files'), { recursive: true });
    await initialiseDataDir(bins, paths);
    const port = await choosePort(paths, opts.port);
    await spawnServer(bins, paths, port);
    return makeInstance(paths, port, true);
  });
}
