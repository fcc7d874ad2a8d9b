/**
 * Finds the database server for the whole run: DATABASE_URL's server, or the project's private instance
 * (started here if needed, and stopped again if this run started it). Test files each create their own database.
 */
import type { TestProject } from 'vitest/node';
import { splitDatabaseUrl } from '../src/db/client';
import { resolveDatabaseUrl } from '../src/db/resolve';
import { readEnv } from '../src/env';

declare module 'vitest' {
  export interface ProvidedContext {
    dbServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const env = readEnv({ ...process.env, NODE_ENV: 'test' });
  const resolved = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis_test' });
  project.provide('dbServerUrl', splitDatabaseUrl(resolved.url).serverUrl);
  return async () => {
    if (resolved.local?.startedHere) await resolved.local.stop();
  };
}
