/**
 * `npm start`: find or start the database, create it if missing, migrate, add demo data (not in production), serve.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApp } from './app';
import { systemClock } from './clock';
import { connect, createDatabaseIfMissing, migrateDatabase } from './db/client';
import { NoDatabaseError } from './db/local-instance';
import { resolveDatabaseUrl } from './db/resolve';
import { DEMO_USERNAMES, seedDemoData } from './demo-data';
import { assertServerEnv, readEnv, type Env } from './env';

/** Production must be given a secret; development keeps a generated one in the git-ignored data dir. */
async function sessionSecret(env: Env): Promise<string> {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  const file = path.join(env.HMIS_DATA_DIR, 'session-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await mkdir(env.HMIS_DATA_DIR, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

async function main() {
  const env = readEnv();
  assertServerEnv(env);
  const production = env.NODE_ENV === 'production';
  const { url } = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis' });
  await createDatabaseIfMissing(url);
  const database = connect(url, { connectTimeoutMs: env.HMIS_DB_CONNECT_TIMEOUT_MS });
  await migrateDatabase(database.db);

  if (!production && (await seedDemoData(database.db, systemClock, env.HMIS_DEMO_PASSWORD))) {
    console.log(`Demo data created. Sign in as ${Object.values(DEMO_USERNAMES).join(', ')} with HMIS_DEMO_PASSWORD.`);
  }

  const app = await buildApp({
    db: database.db,
    clock: systemClock,
    sessionSecret: await sessionSecret(env),
    secureCookies: production,
    trustProxy: env.HMIS_TRUST_PROXY,
    trpcMaxBatch: env.HMIS_TRPC_MAX_BATCH,
    requestTimeoutMs: env.HMIS_REQUEST_TIMEOUT_MS,
    sessionIdleMs: env.HMIS_SESSION_IDLE_MINUTES * 60_000,
    apiDocs: env.HMIS_API_DOCS ?? !production,
    logger: env.LOG_LEVEL === 'silent' ? false : { level: env.LOG_LEVEL },
  });
  app.addHook('onClose', () => database.close());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  }
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  console.log(`HMIS API listening on ${address} (tRPC at /trpc)`);
}

main().catch((err: unknown) => {
  // One line for what a person can fix; a stack only for what they cannot.
  if (err instanceof NoDatabaseError || (err instanceof Error && err.message.startsWith('Invalid environment'))) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
