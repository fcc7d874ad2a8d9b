/**
 * `npm start`: find or start the database, create it if missing, migrate (unless HMIS_MIGRATE_ON_START=false), add demo
 * data (not in production), serve.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { systemClock } from './clock';
import { connect, createDatabaseIfMissing, type Db } from './db/client';
import { NoDatabaseError } from './db/local-instance';
import { applyMigrations, migrationState, withMigrationLock } from './db/migration-lock';
import { resolveDatabaseUrl } from './db/resolve';
import { DEMO_USERNAMES, seedDemoData } from './demo-data';
import { assertServerEnv, readEnv, type Env } from './env';
import { Metrics, metricsServer } from './metrics';

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

/** A start refused for a reason the operator can fix: said in one line. */
class StartRefused extends Error {}

/** Migrations and demo data, by one starter of many at a time (decision 018). */
async function prepareDatabase(db: Db, env: Env): Promise<void> {
  const prepare = async () => {
    if (env.HMIS_MIGRATE_ON_START) {
      await applyMigrations(db);
    } else {
      const { pending } = await migrationState(db);
      if (pending > 0)
        throw new StartRefused(`The database lacks ${pending} migration(s): run \`npm run migrate\` first (HMIS_MIGRATE_ON_START=false)`);
    }
    if (env.NODE_ENV !== 'production' && (await seedDemoData(db, systemClock, env.HMIS_DEMO_PASSWORD))) {
      console.log(`Demo data created. Sign in as ${Object.values(DEMO_USERNAMES).join(', ')} with HMIS_DEMO_PASSWORD.`);
    }
  };
  // Not migrating needs no lock, and so no right to create tables: the app's database user may be without DDL.
  if (env.HMIS_MIGRATE_ON_START) await withMigrationLock(db, prepare, { log: (line) => console.log(line) });
  else await prepare();
}

async function main() {
  const env = readEnv();
  assertServerEnv(env);
  const production = env.NODE_ENV === 'production';
  const { url } = await resolveDatabaseUrl({ databaseUrl: env.DATABASE_URL, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis' });
  await createDatabaseIfMissing(url);
  const database = connect(url, {
    connectTimeoutMs: env.HMIS_DB_CONNECT_TIMEOUT_MS,
    // Several database hosts (decision 022): say when the server moves to another one.
    onFailover: ({ from, to, reason }) => console.error(`Database host ${from} lost (${reason}): now using ${to}`),
  });
  await prepareDatabase(database.db, env);
  // Metrics only when they are served somewhere: on their own port, or on this one behind a token.
  const metrics =
    env.HMIS_METRICS_PORT !== undefined || env.HMIS_METRICS_TOKEN !== undefined ? new Metrics({ pool: database.pool }) : undefined;
  const metricsApp = metrics && env.HMIS_METRICS_PORT !== undefined ? metricsServer(metrics) : undefined;

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
    metrics,
    metricsToken: env.HMIS_METRICS_TOKEN,
  });
  app.addHook('onClose', () => database.close());
  // SIGTERM/SIGINT: stop accepting, answer what is in flight, close the pool, exit 0; past the deadline, exit 1.
  // A second signal, or an uncaught error, ends it with 1 too (close-with-grace; decision 018).
  closeWithGrace(
    {
      delay: env.HMIS_SHUTDOWN_TIMEOUT_MS,
      logger: { error: (message: unknown) => console.error(message) },
      onTimeout: (ms) => console.error(`Shutdown: requests still running after ${ms} ms were cut off (exit 1)`),
    },
    async ({ err }) => {
      if (err) console.error(err);
      await Promise.all([app.close(), metricsApp?.close()]);
    },
  );
  // The metrics port first: a server that cannot be watched (the port taken) stops before it takes any request.
  if (metricsApp) {
    const metricsAddress = await metricsApp.listen({ port: env.HMIS_METRICS_PORT, host: env.HMIS_METRICS_HOST });
    console.log(`Prometheus metrics at ${metricsAddress}/metrics`);
  }
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  console.log(`HMIS API listening on ${address} (tRPC at /trpc)`);
}

main().catch((err: unknown) => {
  // One line for what a person can fix; a stack only for what they cannot.
  if (
    err instanceof NoDatabaseError ||
    err instanceof StartRefused ||
    (err instanceof Error && err.message.startsWith('Invalid environment'))
  ) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
