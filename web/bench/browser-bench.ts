/**
 * The browser benchmark (issue 13): what a user of the web client waits for on the 1,000,000-patient database.
 *
 *   npm run bench:web [-- --quick] [--patients 1m] [--database-url URL] [--searches 30] [--chart-runs 5] [--no-build] [--out FILE.json]
 *
 * Seeds (or reuses) the database as the server bench does (hmis_bench_<size> on the private instance, or
 * BENCH_DATABASE_URL_<size>, or --database-url), builds the client and the server, starts the production server
 * (NODE_ENV=production, as `npm start`) on 127.0.0.1 and drives headless Chromium through playwright-core, signed in
 * as the demo doctor. Measures:
 *   - patient search: the last keystroke → the results painted, over names, MRNs and phone numbers (target p95 < 150 ms);
 *   - opening the heavy patient's vitals trend charts (BENCH-HEAVY-1, 7,000 clinical records): navigation → the five
 *     charts drawn, cold and with the app's files cached (target < 1 s), and the period "All" redrawn;
 *   - scrolling that patient's vital-sign table: long tasks (> 50 ms) and late frames (target: none).
 * Prints the figures and the targets as PASS/MISS with the machine's load average, and writes JSON + Markdown to
 * bench-results/. Exits non-zero only when something broke (a process did not start, an answer never came), never
 * because a target is missed. `--quick`: 10,000 patients, fewer repetitions; a smoke test of the bench itself.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { connect, splitDatabaseUrl, type Db } from '@hmis/server/db/client';
import { resolveDatabaseUrl } from '@hmis/server/db/resolve';
import { consultations, nurseNotes, patients, vitals } from '@hmis/server/db/schema';
import { readEnv, REPO_ROOT } from '@hmis/server/env';
import { buildServer, serverScript, startService, type Service } from '../../server/bench/src/processes';
import { sizeLabel } from '../../server/bench/src/report';
import { STOCK_REPORT_FORMULARY } from '../../server/bench/src/scenarios';
import { HEAVY_PATIENT_MRN, redactUrl, seedLarge } from '../../server/bench/src/seed-large';
import { browserExecutable } from '../test/browser-executable';
import {
  cpuProbe,
  instrument,
  KEY_DELAY_MS,
  measureScroll,
  measureSearch,
  openCharts,
  switchPeriod,
  type ScrollRun,
  type SearchQuery,
  type SearchRun,
} from './measure';
import { evaluateTargets, toMarkdown, type BrowserBenchResult } from './report';

const USAGE = `usage: bench:web [--quick] [--patients 1m] [--database-url URL] [--searches 30] [--chart-runs 5] [--no-build] [--out FILE.json]`;
/** Queries typed first and not counted: the first ones pay for compiling the code paths. */
const SEARCH_WARMUP = 2;
/** The heavy patient's demo sign-in: the doctor reads every record and changes none here. */
const USER = 'doctor';
const VIEWPORT = { width: 1440, height: 900 };
/** As the end-to-end harness launches it (web/test/browser.ts). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

class UsageError extends Error {}
const say = (text: string) => process.stderr.write(`bench:web: ${text}\n`);
/** Where the user ran the command: npm runs workspace scripts in web/ and says where it was started in INIT_CWD. */
const userCwd = process.env.INIT_CWD ?? process.cwd();

interface Options {
  quick: boolean;
  patients: number;
  databaseUrl?: string;
  searches: number;
  chartRuns: number;
  build: boolean;
  out: string;
}

function count(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(value.replace(/[_,]/g, '').trim());
  const n = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be a whole number ≥ ${min} (10000, 10k, 1m); ${USAGE}`);
  return n;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      patients: { type: 'string' },
      'database-url': { type: 'string' },
      searches: { type: 'string' },
      'chart-runs': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    quick,
    patients: count(values.patients, '--patients', quick ? 10_000 : 1_000_000, 100),
    ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
    searches: count(values.searches, '--searches', quick ? 10 : 30),
    chartRuns: count(values['chart-runs'], '--chart-runs', quick ? 2 : 5),
    build: !values['no-build'],
    out: path.resolve(userCwd, values.out ?? path.join(REPO_ROOT, 'bench-results', `browser-${stamp}${quick ? '-quick' : ''}.json`)),
  };
}

/** The server bench's database for this size, unless one is named. Bench-only settings are read here, not in env.ts. */
async function databaseUrlFor(o: Options, dataDir: string): Promise<string> {
  if (o.databaseUrl) return o.databaseUrl;
  const label = sizeLabel(o.patients);
  const given = process.env[`BENCH_DATABASE_URL_${label.toUpperCase()}`] ?? process.env[`BENCH_DATABASE_URL_${o.patients}`];
  if (given) return given;
  return (await resolveDatabaseUrl({ databaseUrl: undefined, dataDir, databaseName: `hmis_bench_${label}` })).url;
}

/** A small deterministic generator, so every run types the same queries. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Queries as a record officer types them, taken from patients spread over the table: surnames (letters only, each
 * once), MRN numbers (with and without the leading zeros) and phone numbers (national form with spaces), in turn so
 * that one query's results never already answer the next.
 */
async function searchQueries(db: Db, n: number): Promise<SearchQuery[]> {
  const [range] = await db
    .select({ lo: sql<number>`min(${patients.id})`.mapWith(Number), hi: sql<number>`max(${patients.id})`.mapWith(Number) })
    .from(patients);
  const r = rng(13);
  const ids = Array.from({ length: n * 4 }, () => Math.floor(range!.lo + r() * (range!.hi - range!.lo)));
  const rows = await db
    .select({ id: patients.id, lastName: patients.lastName, mrn: patients.mrn, phone: patients.phoneNumber })
    .from(patients)
    .where(and(inArray(patients.id, ids), sql`${patients.mrn} like 'HMIS-%'`));
  const names = new Set<string>();
  const byKind: Record<SearchQuery['kind'], SearchQuery[]> = { name: [], mrn: [], phone: [] };
  // Each kind from its own patients: an MRN query followed by the same patient's phone would find the answer there.
  for (const [i, p] of rows.entries()) {
    if (!p.mrn) continue;
    const kind = (['name', 'mrn', 'phone'] as const)[i % 3]!;
    if (kind === 'name' && /^[A-Za-z]{3,}$/.test(p.lastName) && !names.has(p.lastName.toLowerCase())) {
      names.add(p.lastName.toLowerCase());
      byKind.name.push({ kind, typed: p.lastName, mrn: p.mrn });
    } else if (kind === 'mrn') {
      const digits = p.mrn.replace(/^HMIS-/, '');
      byKind.mrn.push({ kind, typed: byKind.mrn.length % 2 ? digits.replace(/^0+(?=\d)/, '') : digits, mrn: p.mrn });
    } else if (kind === 'phone' && p.phone?.startsWith('+234')) {
      const national = `0${p.phone.slice(4)}`;
      byKind.phone.push({ kind, typed: `${national.slice(0, -7)} ${national.slice(-7, -4)} ${national.slice(-4)}`, mrn: p.mrn });
    }
  }
  const out: SearchQuery[] = [];
  for (let i = 0; out.length < n && i < rows.length; i++) {
    for (const kind of ['name', 'mrn', 'phone'] as const) if (out.length < n && byKind[kind][i]) out.push(byKind[kind][i]!);
  }
  return out;
}

async function heavyPatient(db: Db) {
  const [p] = await db.select({ id: patients.id }).from(patients).where(eq(patients.mrn, HEAVY_PATIENT_MRN));
  if (!p) throw new Error(`No patient with MRN ${HEAVY_PATIENT_MRN}: the database was not made by seed-large`);
  const countOf = async (table: typeof vitals | typeof consultations | typeof nurseNotes) =>
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(table)
        .where(eq(table.patientId, p.id))
    )[0]!.n;
  const v = await countOf(vitals);
  return { id: p.id, mrn: HEAVY_PATIENT_MRN, vitals: v, records: v + (await countOf(consultations)) + (await countOf(nurseNotes)) };
}

function buildClient(): void {
  const webDir = path.join(REPO_ROOT, 'web');
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`vite build failed:\n${res.stdout}\n${res.stderr}`);
}

async function signedInContext(browser: Browser, base: string, password: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await instrument(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(base);
  await page.getByLabel('Username or email').fill(USER);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /account menu$/ }).waitFor();
  await page.close();
  return context;
}

/** Runs one measurement; a failure is a problem of the run, and the others still run. */
async function attempt<T>(what: string, problems: string[], work: () => Promise<T>): Promise<T | null> {
  const t0 = Date.now();
  say(`${what}…`);
  try {
    const out = await work();
    say(`${what}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  } catch (err) {
    problems.push(`${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    say(`${what}: FAILED ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}

async function main() {
  const o = options();
  const env = readEnv();
  const startedAt = new Date().toISOString();
  const loadAvgStart = os.loadavg();
  const problems: string[] = [];
  const url = await databaseUrlFor(o, env.HMIS_DATA_DIR);
  say(`${o.patients.toLocaleString('en-US')} patients: database ${redactUrl(url)}`);
  const seeded = await seedLarge({
    databaseUrl: url,
    patients: o.patients,
    demoPassword: env.HMIS_DEMO_PASSWORD,
    ...STOCK_REPORT_FORMULARY,
  });
  const seeding = seeded.status === 'already-seeded' ? 'already seeded' : `seeded in ${(seeded.ms / 1000).toFixed(0)} s`;
  const database = connect(url, { connectionLimit: 2 });
  let heavy: Awaited<ReturnType<typeof heavyPatient>>;
  let queries: SearchQuery[];
  try {
    heavy = await heavyPatient(database.db);
    queries = await searchQueries(database.db, o.searches + SEARCH_WARMUP);
  } finally {
    await database.close();
  }
  if (o.build) {
    say('building the client (vite) and the server');
    buildClient();
    buildServer();
  }

  let server: Service | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  process.once('SIGINT', () => {
    say('interrupted; stopping the server and the browser');
    void stop().then(() => process.exit(130));
  });

  let search: SearchRun = { samples: [], problems: [], longTasks: [] };
  const charts: BrowserBenchResult['charts'] = { cold: null, warm: [], all: null };
  let scroll: ScrollRun | null = null;
  let browserName = 'Chromium';
  const cpuProbeMs: (number | null)[] = [null, null];
  try {
    // The production server, as `npm start` runs it; migrations pending on the database are applied at its start.
    const t0 = Date.now();
    server = await startService('server', serverScript, [], {
      ...process.env,
      NODE_ENV: 'production',
      SESSION_SECRET: randomBytes(48).toString('base64url'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
    });
    say(`server ${server.url} (pid ${server.pid}) up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const executable = await browserExecutable();
    browser = await chromium.launch({ executablePath: executable.path, headless: true, args: CHROMIUM_ARGS });
    browserName = `Chromium ${browser.version()} (${executable.label})`;
    const base = server.url;
    const context = await signedInContext(browser, base, env.HMIS_DEMO_PASSWORD);

    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(base);
    cpuProbeMs[0] = await cpuProbe(page);
    search =
      (await attempt(`typing ${queries.length} searches`, problems, () => measureSearch(page, base, queries, SEARCH_WARMUP))) ?? search;
    problems.push(...search.problems);
    await page.close();

    // Cold: a new context holds the session's cookie but an empty HTTP cache.
    const cold = await browser.newContext({ viewport: VIEWPORT, storageState: await context.storageState() });
    await instrument(cold);
    const coldOpen = await attempt('opening the charts, cold cache', problems, () => openCharts(cold, base, heavy.id));
    if (coldOpen?.error) problems.push(`charts, cold: ${coldOpen.error}`);
    charts.cold = coldOpen && !coldOpen.error ? coldOpen.open : null;
    await cold.close();

    await attempt(`opening the charts ${o.chartRuns}× with the files cached`, problems, async () => {
      const warmUp = await openCharts(context, base, heavy.id); // fills the HTTP cache of this context
      await warmUp.page.close();
      for (let i = 0; i < o.chartRuns; i++) {
        const run = await openCharts(context, base, heavy.id);
        if (run.error) problems.push(`charts, warm run ${i + 1}: ${run.error}`);
        else charts.warm.push(run.open);
        if (i < o.chartRuns - 1) await run.page.close();
        else {
          const all = await switchPeriod(run.page, 'All');
          if (all.error) problems.push(`charts, period All: ${all.error}`);
          else charts.all = { ...all.open, readings: all.readings };
          await run.page.close();
        }
      }
    });

    const scrollPage = await context.newPage();
    scrollPage.setDefaultTimeout(20_000);
    scroll = await attempt('scrolling the vital-sign table', problems, () =>
      measureScroll(scrollPage, base, heavy.id, {
        roundTrip: !o.quick,
        loadLimitMs: o.quick ? 20_000 : 40_000,
        scrollLimitMs: o.quick ? 10_000 : 25_000,
      }),
    );
    if (scroll && !scroll.load.complete)
      problems.push(`scrolling: not every page of the table loaded within the time limit (${scroll.rows} rows)`);
    cpuProbeMs[1] = await cpuProbe(scrollPage).catch(() => null);
    await context.close();
  } catch (err) {
    problems.push(err instanceof Error ? err.message.split('\n')[0]! : String(err));
    say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await stop();
  }

  const cpus = os.cpus();
  const partial: Omit<BrowserBenchResult, 'targets'> = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: o.quick,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      browser: browserName,
      loadAvgStart,
      loadAvgEnd: os.loadavg(),
      cpuProbeMs,
    },
    database: { name: splitDatabaseUrl(url).database, patients: o.patients, seeding, heavy },
    keyDelayMs: KEY_DELAY_MS,
    search,
    charts,
    scroll,
    problems,
  };
  const result: BrowserBenchResult = { ...partial, targets: evaluateTargets(partial) };
  const markdown = toMarkdown(result);
  process.stdout.write(`\n${markdown}`);
  await mkdir(path.dirname(o.out), { recursive: true });
  await writeFile(o.out, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(o.out.replace(/\.json$/, '') + '.md', markdown);
  say(`wrote ${path.relative(userCwd, o.out)} and its .md`);
  // Broken, not slow: a measurement with no figure at all.
  const broken = !search.samples.length || !charts.cold || !charts.warm.length || !scroll;
  process.exitCode = broken ? 1 : 0;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:web: ${err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
