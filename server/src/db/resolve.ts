/**
 * Where the database comes from, in this order: DATABASE_URL; otherwise a private MariaDB/MySQL instance started
 * from the system's server binaries under the data dir; otherwise NoDatabaseError with one line saying what to do.
 */
import path from 'node:path';
import { startLocalInstance } from './local-instance';

export interface ResolvedDatabase {
  url: string;
  /** Set when the private instance is used; stop() is for whoever started it. */
  local?: { startedHere: boolean; stop(): Promise<void> };
}

export async function resolveDatabaseUrl(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  databaseName: string;
}): Promise<ResolvedDatabase> {
  if (opts.databaseUrl) return { url: opts.databaseUrl };
  const instance = await startLocalInstance({ baseDir: path.join(opts.dataDir, 'mysql') });
  return {
    url: `${instance.url.replace(/\/$/, '')}/${opts.databaseName}`,
    local: { startedHere: instance.startedHere, stop: () => instance.stop() },
  };
}
