/** What `npm run backup` and `npm run restore` share: the app's database, the user's paths, one-line failures. */
import path from 'node:path';
import { NoDatabaseError } from '../db/local-instance';
import { resolveDatabaseUrl } from '../db/resolve';
import { readEnv } from '../env';
import { OpsRefusal } from './client-programs';

/** The database `npm start` uses: DATABASE_URL or HMIS_DB_*, else the private instance (started if need be). */
export async function appDatabaseUrl(): Promise<string> {
  const env = readEnv();
  const { url } = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis' });
  return url;
}

/** A path as the user typed it: npm runs workspace scripts in server/ and says where it was started in INIT_CWD. */
export function userPath(given: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
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
