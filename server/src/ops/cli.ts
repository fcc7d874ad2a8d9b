/** What `npm run backup` and `npm run restore` share: the app's database, the user's paths, one-line failures. */
import path from 'node:path';
import { firstReachableUrl } from '../db/client';
import { NoDatabaseError } from '../db/local-instance';
import { resolveDatabaseUrl } from '../db/resolve';
import { databaseUrls, npmStartedIn, readEnv } from '../env';
import { OpsRefusal } from './client-programs';

/**
 * The database `npm start` uses: DATABASE_URL or HMIS_DB_*, else the private instance (started if need be). Of several
 * hosts (a Galera cluster), the first that answers: a backup or restore is done through one node.
 */
export async function appDatabaseUrl(): Promise<string> {
  const env = readEnv();
  const { url } = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis' });
  return firstReachableUrl(url, env.HMIS_DB_CONNECT_TIMEOUT_MS).catch(() => databaseUrls(url)[0]!); // openDatabase says why none answers
}

/** A path as the user typed it: npm runs workspace scripts in server/ and says where it was started in INIT_CWD. */
export function userPath(given: string): string {
  return path.resolve(npmStartedIn() ?? process.cwd(), given);
}

export class UsageError extends Error {}

/** Runs an operator command: its exit code, or 1 with one line for a refusal or a failure (2 for a usage error). */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const oneLine = err instanceof OpsRefusal || err instanceof UsageError || err instanceof NoDatabaseError;
      const invalidEnv = err instanceof Error && err.message.startsWith('Invalid environment');
      console.error(oneLine || invalidEnv ? (err as Error).message : err instanceof Error ? `error: ${err.message}` : String(err));
      process.exitCode = err instanceof UsageError ? 2 : 1;
    },
  );
}
