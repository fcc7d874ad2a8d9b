/**
 * Large-data generator for benchmarks:
 *
 *   npx tsx server/bench/src/seed-large.ts --patients N [--database-url URL] [--seed S] [--drugs N] [--lots N]
 *
 * Fills a database with N patients and a realistic spread of clinical records, ~680 staff of every role (the five
 * demo accounts among them, password HMIS_DEMO_PASSWORD), a ~340-drug catalogue (or a formulary of --drugs, the
 * catalogue again under other makers) whose stock is in lots with their opening movements in the stock ledger (each
 * lot's and each drug's stock the sum of its movements, as the services keep it), and one "heavy" patient (MRN
 * BENCH-HEAVY-1) with 7,000 clinical records, 5,000 of them vital-sign sets. The generated history's dispensed prescriptions have no dispense
 * movements: the ledger starts at each lot's opening balance, as it does on a database migrated to it. Database: --database-url, else DATABASE_URL, else `hmis_large` on the
 * private instance.
 *
 * How it is fast: rows are generated as TSV and streamed into `LOAD DATA LOCAL INFILE` (multi-row INSERTs when the
 * server does not allow it), with explicit ids allocated per table, children written with their parents' ids and
 * every table in primary-key order, foreign-key and unique checks off for the load session. Nothing goes through
 * the services: they audit every row, and the issue asks for one audit row per run.
 *
 * Two connections load different tables at once (biggest first), and on a fresh database every table is loaded
 * into an empty table, which MariaDB does in bulk (indexes built sorted, table-level undo). InnoDB's automatic
 * statistics recalculation is off for the loaded tables while loading (it doubled the server's CPU), then ANALYZE.
 * One run per database at a time (a named lock).
 *
 * How it is safe to re-run: patients are generated in chunks (default 1,000,000, i.e. one chunk for most runs); each
 * table of a chunk is one transaction together with its kept count (`record_counts`) and its bit in the progress
 * row of `seed_progress` (a bench-only table, not in the schema). An interrupted run loses at most the tables being
 * loaded (the server rolls them back) and the next run loads what is missing, with the same data: a chunk's data
 * depends only on the seed, its first patient id and its size. A finished run is a no-op; a larger N adds patients.
 * A database that holds anything this tool did not create is refused, unless it is empty.
 *
 * The parts (seed-large/): model.ts (options, tables, columns), random.ts, vocabulary.ts, drug-catalogue.ts, plan.ts
 * (the world and a chunk's plan), the generators patients.ts, clinical.ts, staff.ts, formulary.ts, the bulk writer
 * writer.ts, progress.ts (progress row and resume, the report) and run.ts (seedLarge); this file is the CLI.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NoDatabaseError } from '@hmis/server/db/local-instance';
import { resolveDatabaseUrl } from '@hmis/server/db/resolve';
import { DEMO_USERNAMES } from '@hmis/server/demo-data';
import { readEnv } from '@hmis/server/env';
import { HEAVY_PATIENT_MRN, SeedRefusedError } from './seed-large/model';
import { seedLarge } from './seed-large/run';

export {
  CLINICAL_TABLES,
  HEAVY_PATIENT_MRN,
  HEAVY_PATIENT_RECORDS,
  SeedRefusedError,
  STAFF_PER_ROLE,
  type ClinicalTable,
  type SeedLargeOptions,
  type SeedLargeResult,
  type TableName,
} from './seed-large/model';
export { seedLarge } from './seed-large/run';

/** A URL fit to print: the password replaced. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

class UsageError extends Error {}

const USAGE =
  'usage: seed-large --patients N [--database-url URL] [--seed S] [--drugs N] [--lots N] [--chunk PATIENTS] [--parallel CONNECTIONS] [--inserts]';

/** 1000000, 1_000_000, 1,000,000, 1e6, 10k, 1m. */
function parseCount(value: string | undefined, what: string): number {
  const m = /^([\d.]+(?:e\d+)?)([km]?)$/i.exec((value ?? '').replace(/[_,]/g, '').trim());
  const n = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${what} must be a positive whole number (got ${JSON.stringify(value ?? '')}); ${USAGE}`);
  return n;
}

function parseSeed(value: string): number {
  if (!/^\d{1,15}$/.test(value.trim())) throw new UsageError(`--seed must be a whole number (got ${JSON.stringify(value)}); ${USAGE}`);
  return Number(value);
}

async function main() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      'database-url': { type: 'string' },
      seed: { type: 'string' },
      drugs: { type: 'string' },
      lots: { type: 'string' },
      chunk: { type: 'string' },
      parallel: { type: 'string' },
      inserts: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const patients = parseCount(values.patients, '--patients');
  const tuning = {
    ...(values.seed !== undefined ? { seed: parseSeed(values.seed) } : {}),
    ...(values.drugs !== undefined ? { drugs: parseCount(values.drugs, '--drugs') } : {}),
    ...(values.lots !== undefined ? { lots: parseCount(values.lots, '--lots') } : {}),
    ...(values.chunk !== undefined ? { chunkPatients: parseCount(values.chunk, '--chunk') } : {}),
    ...(values.parallel !== undefined ? { parallel: parseCount(values.parallel, '--parallel') } : {}),
  };
  const env = readEnv();
  const databaseUrl =
    values['database-url'] ??
    env.DATABASE_URL ??
    (await resolveDatabaseUrl({ databaseUrl: undefined, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis_large' })).url;
  process.stderr.write(`seed-large: database ${redactUrl(databaseUrl)}\n`);
  process.once('SIGINT', () => {
    process.stderr.write(
      '\nseed-large: interrupted; the server rolls back the tables being loaded. Run the same command again to continue.\n',
    );
    process.exit(130);
  });
  const result = await seedLarge({
    databaseUrl,
    patients,
    demoPassword: env.HMIS_DEMO_PASSWORD,
    ...tuning,
    useInserts: values.inserts,
  });
  if (result.status === 'seeded') {
    process.stderr.write(
      `seed-large: sign in as ${Object.values(DEMO_USERNAMES).join(', ')} with HMIS_DEMO_PASSWORD; heavy patient ${HEAVY_PATIENT_MRN} is id ${result.heavyPatientId}\n`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    // One line for what a person can fix; a stack for what they cannot.
    const code = (err as { code?: unknown }).code;
    const known =
      err instanceof SeedRefusedError ||
      err instanceof NoDatabaseError ||
      err instanceof UsageError ||
      (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) ||
      (err instanceof Error && err.message.startsWith('Invalid environment'));
    const hint = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? ` (${USAGE})` : '';
    process.stderr.write(
      `seed-large: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}${hint}\n`,
    );
    process.exit(1);
  });
}
