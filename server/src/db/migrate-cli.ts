/**
 * `npm run migrate`: apply the pending migrations and exit — the separate step of a rolling upgrade, before the
 * servers of the new release start (with HMIS_MIGRATE_ON_START=false). Takes the same lock as a starting server, so
 * it can run beside them (decision 018). Database: DATABASE_URL, else the private instance, as `npm start`.
 */
import { readEnv } from '../env';
import { connect, createDatabaseIfMissing, migrateDatabase } from './client';
import { NoDatabaseError } from './local-instance';
import { migrationState } from './migration-lock';
import { resolveDatabaseUrl } from './resolve';

async function main(): Promise<void> {
  const env = readEnv();
  const { url } = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis' });
  await createDatabaseIfMissing(url);
  // Two connections: the migrations hold one, the lock's renewal uses the other.
  const database = connect(url, { connectionLimit: 2, connectTimeoutMs: env.HMIS_DB_CONNECT_TIMEOUT_MS });
  try {
    const applied = await migrateDatabase(database.db, { log: (line) => console.log(line) });
    const { total } = await migrationState(database.db);
    console.log(`migrations: applied ${applied}, the database has all ${total}`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof NoDatabaseError || (err instanceof Error && err.message.startsWith('Invalid environment'))) console.error(err.message);
  else console.error(err);
  process.exitCode = 1;
});
