/**
 * The benchmark's results: their JSON shape, the tables printed and written as Markdown, the issue's targets as
 * PASS/MISS, and the side-by-side comparison of two result files. Ratios are only ever taken within one run (or
 * between two runs the reader chose to compare): the machines are noisy, absolute numbers travel badly.
 */
import type { LoadResult, Transport } from './scenarios';

export interface RunRecord extends LoadResult {
  scenario: string;
  title: string;
  transport: Transport;
  requestsPerOp: number;
  /** Operations (a chart over REST is two requests) per second. */
  opsPerS: number;
  /** Max RSS of the app server (or the baseline) during this run, MB. */
  rssMaxMb: number | null;
  /** This run's ops/s divided by the baseline's ops/s for the same scenario in the same size run. */
  vsBaseline: { ops: number; p50: number; p99: number } | null;
  /** Why the run is not to be trusted (the server answered mostly errors, a wrong body…). */
  broken?: string;
  /**
   * The same requests at light load (--latency-connections, scenarios with a latency target only), right after the
   * throughput run: close to what one request costs, where the throughput run's latency is mostly time in the queue.
   * Absent in files written before the light pass existed.
   */
  light?: LightRun;
}

export interface LightRun {
  connections: number;
  durationS: number;
  opsPerS: number;
  latencyMs: LoadResult['latencyMs'];
  /** Non-2xx answers plus connection errors. */
  errors: number;
  /** Why the light run is not to be trusted (mostly errors); the throughput run's figures stand on their own. */
  broken?: string;
  /** No answer at all, and no error, within the pass: a stall longer than the pass, reported but not a breakage. */
  stalled?: boolean;
}

export interface SizeResult {
  patients: number;
  label: string;
  database: string;
  seeding: { status: string; ms: number };
  app: { startMs: number; rssStartMb: number | null; rssMaxMb: number | null };
  baseline: { rssMaxMb: number | null };
  /** Drugs and lots in the database when it was measured (absent in files written before the stock ledger). */
  formulary?: { drugs: number; lots: number };
  runs: RunRecord[];
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  options: {
    connections: number;
    durationS: number;
    warmupS: number;
    auth: string;
    /** The light-load pass (absent in older files; 0 connections when it was off). */
    latencyConnections?: number;
    latencyDurationS?: number;
  };
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; database: string };
  sizes: SizeResult[];
  targets: TargetResult[];
  problems: string[];
}

export interface TargetResult {
  target: string;
  /** Size the figure was taken at; the targets are stated for 1,000,000 patients. */
  at: string;
  measured: string;
  need: string;
  pass: boolean | null;
  /** How far from the target, e.g. "-18% throughput" or "+6.2 ms"; empty on a pass. */
  by: string;
}

// ---- number formatting ---------------------------------------------------------------------------------------------

const fmt = (v: number | null | undefined, digits = 1) =>
  v == null || !Number.isFinite(v) ? '—' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits);
const ms = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '—' : v >= 100 ? String(Math.round(v)) : v.toFixed(1));
const ratio = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '—' : `${v.toFixed(2)}×`);
const pct = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)}%`;
export const sizeLabel = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1_000 === 0 ? `${n / 1_000}k` : String(n));

function table(head: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rule = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [line(head), line(rule), ...rows.map(line)].join('\n');
}

const TRANSPORT_NAME: Record<Transport, string> = { baseline: 'baseline', rest: 'REST', trpc: 'tRPC' };

function errorsCell(r: RunRecord): string {
  const bad = r.non2xx + r.errors;
  if (bad === 0) return '0';
  const codes = Object.entries(r.statusCodes)
    .filter(([c]) => !c.startsWith('2'))
    .map(([c, n]) => `${n}×${c}`);
  return `${bad} (${[...codes, r.errors ? `${r.errors} conn` : ''].filter(Boolean).join(', ')})`;
}

/** Connections of the light-load pass in these runs, or null when none has one (older files, the pass turned off). */
const lightConnections = (runs: RunRecord[]): number | null => runs.find((r) => r.light)?.light?.connections ?? null;

/** The per-size table: every scenario on every transport, with its ratio to the baseline, and its light-load latency. */
export function sizeTable(size: SizeResult): string {
  const light = lightConnections(size.runs);
  const rows = size.runs.map((r) => [
    `${r.scenario}${r.requestsPerOp > 1 ? ` (${r.requestsPerOp} req)` : ''}${r.scenario === 'dispense' ? ` ×${r.ok}` : ''}`,
    TRANSPORT_NAME[r.transport],
    fmt(r.opsPerS),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p99),
    errorsCell(r) + (r.broken ? ' **BROKEN**' : ''),
    ratio(r.vsBaseline?.ops),
    ratio(r.vsBaseline?.p99),
    ...(light == null ? [] : [ms(r.light?.latencyMs.p50), ms(r.light?.latencyMs.p99)]),
  ]);
  const head = ['scenario', 'via', 'ops/s', 'p50 ms', 'p99 ms', 'errors / non-2xx', 'ops/s ÷ baseline', 'p99 ÷ baseline'];
  if (light != null) head.push(`p50 ms @${light}`, `p99 ms @${light}`);
  return table(head, rows, ['l', 'l', ...head.slice(2).map(() => 'r' as const)]);
}

/** For two or more sizes: each scenario's figures at the largest size over the smallest. */
export function sizeRatioTable(sizes: SizeResult[]): string | null {
  if (sizes.length < 2) return null;
  const small = sizes[0]!;
  const large = sizes[sizes.length - 1]!;
  const light = lightConnections(large.runs) ?? lightConnections(small.runs);
  const rows: string[][] = [];
  for (const r of large.runs) {
    const s = small.runs.find((x) => x.scenario === r.scenario && x.transport === r.transport);
    if (!s) continue;
    rows.push([
      r.scenario,
      TRANSPORT_NAME[r.transport],
      ratio(r.opsPerS / s.opsPerS),
      ratio(r.latencyMs.p50 / s.latencyMs.p50),
      ratio(r.latencyMs.p99 / s.latencyMs.p99),
      ...(light == null ? [] : [ratio(r.light && s.light ? r.light.latencyMs.p99 / s.light.latencyMs.p99 : null)]),
    ]);
  }
  const l = `${large.label}/${small.label}`;
  const head = ['scenario', 'via', `ops/s ${l}`, `p50 ${l}`, `p99 ${l}`];
  if (light != null) head.push(`p99 ${l} @${light}`);
  return table(head, rows, ['l', 'l', ...head.slice(2).map(() => 'r' as const)]);
}

// ---- targets ---------------------------------------------------------------------------------------------------------

const TARGET_SIZE = 1_000_000;
const MIN_THROUGHPUT_RATIO = 0.5;
const P99_LIMIT_MS = 25;
const P99_GROWTH_LIMIT = 1.5;
const STATS_P50_LIMIT_MS = 5;
const RSS_LIMIT_MB = 300;
/** Dispensing through the stock ledger against dispensing before it (issue 10). */
const DISPENSE_MIN_RATIO = 0.8;

/** What the targets beyond the performance issue's are judged with. */
export interface TargetInputs {
  /** Scenarios with their own p99 target at light load (ms): the stock reports. */
  lightP99Ms: ReadonlyMap<string, number>;
  /** The formulary the stock reports' target is stated over. */
  formulary: { drugs: number; lots: number };
  /** A run of the code before the stock ledger: its dispense throughput is the one to stay within 0.8× of. */
  reference?: { name: string; result: BenchResult };
}

const findRun = (size: SizeResult, scenario: string, t: Transport) =>
  size.runs.find((r) => r.scenario === scenario && r.transport === t && !r.broken);
const int = (n: number) => n.toLocaleString('en-US');

/** A load the latency targets are judged at: the throughput run's, or the light pass's. */
interface Load {
  /** "(50 conns)", appended to the target's name. */
  tag: string;
  latency(r: RunRecord): LoadResult['latencyMs'] | undefined;
}

/**
 * The issue's targets. They are stated at 1,000,000 patients; a run without that size is judged at its largest size
 * and says so in the `at` column (a provisional reading, not the verdict). The latency targets are judged twice: at
 * the throughput run's `connections`, and at the light pass's (when the runs have one).
 */
export function evaluateTargets(
  sizes: SizeResult[],
  latencyGroup: ReadonlySet<string>,
  connections: number,
  inputs: TargetInputs,
): TargetResult[] {
  if (sizes.length === 0) return [];
  const judged = sizes.find((s) => s.patients === TARGET_SIZE) ?? sizes[sizes.length - 1]!;
  const smallest = sizes[0]!;
  const at = judged.patients === TARGET_SIZE ? judged.label : `${judged.label} (provisional; target is at 1m)`;
  const out: TargetResult[] = [];
  /** Targets of scenarios left out of the run (--scenarios) are not listed. */
  const ran = (scenario: string) => judged.runs.some((r) => r.scenario === scenario);
  const lightConns = lightConnections(judged.runs);
  const loads: Load[] = [
    { tag: `(${connections} conns)`, latency: (r) => r.latencyMs },
    ...(lightConns == null
      ? []
      : [{ tag: `(${lightConns} conns)`, latency: (r: RunRecord) => (r.light && !r.light.broken ? r.light.latencyMs : undefined) }]),
  ];

  for (const t of ran('get-patient') ? (['rest', 'trpc'] as const) : []) {
    const r = findRun(judged, 'get-patient', t);
    const v = r?.vsBaseline?.ops;
    out.push({
      target: `${TRANSPORT_NAME[t]} get-patient throughput ≥ ${MIN_THROUGHPUT_RATIO}× baseline`,
      at,
      measured: v == null ? 'not measured' : `${v.toFixed(2)}× (${fmt(r!.opsPerS)} vs ${fmt(r!.opsPerS / v)} ops/s)`,
      need: `≥ ${MIN_THROUGHPUT_RATIO.toFixed(2)}×`,
      pass: v == null ? null : v >= MIN_THROUGHPUT_RATIO,
      by: v == null || v >= MIN_THROUGHPUT_RATIO ? '' : `${pct(v / MIN_THROUGHPUT_RATIO - 1)} throughput`,
    });
  }
  for (const scenario of [...latencyGroup].filter(ran)) {
    for (const t of ['rest', 'trpc'] as const) {
      const p99At = (size: SizeResult, load: Load) => {
        const r = findRun(size, scenario, t);
        return r ? load.latency(r)?.p99 : undefined;
      };
      for (const load of loads) {
        const p99 = p99At(judged, load);
        out.push({
          target: `${scenario} ${TRANSPORT_NAME[t]} p99 < ${P99_LIMIT_MS} ms ${load.tag}`,
          at,
          measured: p99 == null ? 'not measured' : `${ms(p99)} ms`,
          need: `< ${P99_LIMIT_MS} ms`,
          pass: p99 == null ? null : p99 < P99_LIMIT_MS,
          by: p99 == null || p99 < P99_LIMIT_MS ? '' : `+${ms(p99 - P99_LIMIT_MS)} ms (${pct(p99 / P99_LIMIT_MS - 1)})`,
        });
      }
      if (judged === smallest) continue;
      for (const load of loads) {
        const p99 = p99At(judged, load);
        const before = p99At(smallest, load);
        const growth = p99 != null && before != null ? p99 / before : null;
        out.push({
          target: `${scenario} ${TRANSPORT_NAME[t]} p99 ≤ ${P99_GROWTH_LIMIT}× its ${smallest.label} figure ${load.tag}`,
          at: `${judged.label} vs ${smallest.label}`,
          measured: growth == null ? 'not measured' : `${growth.toFixed(2)}× (${ms(p99)} vs ${ms(before)} ms)`,
          need: `≤ ${P99_GROWTH_LIMIT.toFixed(2)}×`,
          pass: growth == null ? null : growth <= P99_GROWTH_LIMIT,
          by: growth == null || growth <= P99_GROWTH_LIMIT ? '' : `${pct(growth / P99_GROWTH_LIMIT - 1)}`,
        });
      }
    }
  }
  for (const t of ran('stats') ? (['rest', 'trpc'] as const) : []) {
    for (const load of loads) {
      const r = findRun(judged, 'stats', t);
      const p50 = r ? load.latency(r)?.p50 : undefined;
      out.push({
        target: `stats ${TRANSPORT_NAME[t]} p50 < ${STATS_P50_LIMIT_MS} ms ${load.tag}`,
        at,
        measured: p50 == null ? 'not measured' : `${ms(p50)} ms`,
        need: `< ${STATS_P50_LIMIT_MS} ms`,
        pass: p50 == null ? null : p50 < STATS_P50_LIMIT_MS,
        by: p50 == null || p50 < STATS_P50_LIMIT_MS ? '' : `+${ms(p50 - STATS_P50_LIMIT_MS)} ms (${pct(p50 / STATS_P50_LIMIT_MS - 1)})`,
      });
    }
  }
  out.push(...stockReportTargets(judged, at, lightConns, inputs), ...dispenseTargets(judged, at, inputs));
  const rss = judged.app.rssMaxMb;
  out.push({
    target: `server RSS < ${RSS_LIMIT_MB} MB`,
    at,
    measured: rss == null ? 'not measured (no /proc)' : `${fmt(rss)} MB max under load`,
    need: `< ${RSS_LIMIT_MB} MB`,
    pass: rss == null ? null : rss < RSS_LIMIT_MB,
    by: rss == null || rss < RSS_LIMIT_MB ? '' : `+${fmt(rss - RSS_LIMIT_MB)} MB`,
  });
  return out;
}

/** The stock reports: p99 at light load, over the stated formulary (a smaller one makes the reading provisional). */
function stockReportTargets(judged: SizeResult, at: string, lightConns: number | null, inputs: TargetInputs): TargetResult[] {
  const f = judged.formulary;
  const stated = inputs.formulary;
  const over =
    f == null
      ? 'formulary not recorded'
      : f.drugs >= stated.drugs && f.lots >= stated.lots
        ? `${int(f.drugs)} drugs, ${int(f.lots)} lots`
        : `provisional: ${int(f.drugs)} drugs, ${int(f.lots)} lots; target is over ${int(stated.drugs)} and ${int(stated.lots)}`;
  const out: TargetResult[] = [];
  for (const [scenario, limit] of inputs.lightP99Ms) {
    if (!judged.runs.some((r) => r.scenario === scenario)) continue;
    for (const t of ['rest', 'trpc'] as const) {
      const r = findRun(judged, scenario, t);
      const p99 = r?.light && !r.light.broken ? r.light.latencyMs.p99 : undefined;
      out.push({
        target: `${scenario} ${TRANSPORT_NAME[t]} p99 < ${limit} ms ${lightConns == null ? '(light load)' : `(${lightConns} conns)`}`,
        at: `${at}; ${over}`,
        measured: p99 != null ? `${ms(p99)} ms` : r && !r.light ? 'not measured (no light pass: --latency-connections 0)' : 'not measured',
        need: `< ${limit} ms`,
        pass: p99 == null ? null : p99 < limit,
        by: p99 == null || p99 < limit ? '' : `+${ms(p99 - limit)} ms (${pct(p99 / limit - 1)})`,
      });
    }
  }
  return out;
}

/**
 * Dispensing through the ledger against a reference run of the code before it (--reference), at the same size. The
 * two figures come from two runs: on a shared machine they differ by more than the 20 % at stake (runs of the same
 * code moved 3× here), so a verdict needs runs of both alternated on a quiet machine; the row names the file.
 */
function dispenseTargets(judged: SizeResult, at: string, inputs: TargetInputs): TargetResult[] {
  if (!judged.runs.some((r) => r.scenario === 'dispense')) return [];
  const ref = inputs.reference;
  const refSize = ref?.result.sizes.find((s) => s.patients === judged.patients);
  return (['rest', 'trpc'] as const).map((t): TargetResult => {
    const target = `dispense ${TRANSPORT_NAME[t]} throughput ≥ ${DISPENSE_MIN_RATIO}× before the stock ledger`;
    const need = `≥ ${DISPENSE_MIN_RATIO.toFixed(2)}×`;
    const r = findRun(judged, 'dispense', t);
    const before = refSize && findRun(refSize, 'dispense', t);
    if (!r || !ref || !before) {
      const why = !r
        ? 'not measured'
        : `${fmt(r.opsPerS)} ops/s; ${!ref ? 'no figure from before the ledger to compare (none is recorded; --reference FILE.json of a run of the earlier code)' : `${ref.name} has no ${judged.label} ${TRANSPORT_NAME[t]} dispense run`}`;
      return { target, at, measured: why, need, pass: null, by: '' };
    }
    const v = r.opsPerS / before.opsPerS;
    return {
      target,
      at: `${at}; vs ${ref.name}, another run`,
      measured: `${v.toFixed(2)}× (${fmt(r.opsPerS)} vs ${fmt(before.opsPerS)} ops/s)`,
      need,
      pass: v >= DISPENSE_MIN_RATIO,
      by: v >= DISPENSE_MIN_RATIO ? '' : `${pct(v / DISPENSE_MIN_RATIO - 1)} throughput`,
    };
  });
}

export function targetTable(targets: TargetResult[]): string {
  return table(
    ['target', 'at', 'measured', 'need', 'result', 'misses by'],
    targets.map((t) => [t.target, t.at, t.measured, t.need, t.pass == null ? '—' : t.pass ? 'PASS' : 'MISS', t.by]),
  );
}

// ---- whole report ----------------------------------------------------------------------------------------------------

/** Why latency is reported at two loads (null when the run had no light pass). */
export function loadNote(result: Pick<BenchResult, 'options' | 'machine' | 'sizes'>): string | null {
  const light = result.sizes.map((s) => lightConnections(s.runs)).find((n) => n != null);
  if (light == null) return null;
  const o = result.options;
  const cores = `${result.machine.cpus} core${result.machine.cpus === 1 ? '' : 's'}`;
  return (
    `Latency is measured at two loads. At ${o.connections} connections (the throughput runs) requests mostly wait in a queue: ` +
    `by Little's law mean latency ≈ connections ÷ throughput, and on ${cores} shared with the load generator those figures say ` +
    `how saturated the machine is, not how long one request takes. The light pass (${light} connections, ` +
    `${o.latencyDurationS ?? '?'} s right after each throughput run, for the scenarios with a latency target) is close to ` +
    `the cost of one request. The latency targets are judged at both loads; each row says which.`
  );
}

export function toMarkdown(result: BenchResult): string {
  const o = result.options;
  const m = result.machine;
  const parts = [
    `# HMIS benchmark ${result.startedAt}${result.quick ? ' (quick)' : ''}`,
    '',
    `${o.connections} connections, ${o.warmupS} s warm-up + ${o.durationS} s measured per run` +
      (o.latencyConnections ? `, then ${o.latencyDurationS} s at ${o.latencyConnections} connections for latency` : '') +
      `, auth: ${o.auth}. ` +
      `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.database}. ` +
      'ops/s counts successful operations; latencies are of successful requests. Compare ratios within a run, not absolute numbers across machines.',
  ];
  for (const s of result.sizes) {
    parts.push(
      '',
      `## ${s.patients.toLocaleString('en-US')} patients (${s.database})`,
      '',
      `Seeding: ${s.seeding.status} (${(s.seeding.ms / 1000).toFixed(1)} s). Server up in ${(s.app.startMs / 1000).toFixed(1)} s. ` +
        (s.formulary ? `Formulary: ${int(s.formulary.drugs)} drugs, ${int(s.formulary.lots)} lots. ` : '') +
        `Server RSS: ${fmt(s.app.rssStartMb)} MB idle, **${fmt(s.app.rssMaxMb)} MB max** under load (baseline ${fmt(s.baseline.rssMaxMb)} MB).`,
      '',
      sizeTable(s),
    );
  }
  const ratios = sizeRatioTable(result.sizes);
  if (ratios) parts.push('', `## Between sizes`, '', ratios);
  const note = loadNote(result);
  parts.push(
    '',
    '## Targets (from the performance issue; printed, never asserted)',
    '',
    ...(note ? [note, ''] : []),
    targetTable(result.targets),
  );
  if (result.problems.length) parts.push('', '## Problems', '', ...result.problems.map((p) => `- ${p}`));
  return `${parts.join('\n')}\n`;
}

// ---- --compare A B ---------------------------------------------------------------------------------------------------

const delta = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? pct(b / a - 1) : '—');

/**
 * A result's targets, named as this version names them: files written before the light pass named the latency
 * targets without the load ("search-name REST p99 < 25 ms"); they were judged at the run's connections.
 */
function namedTargets(r: BenchResult): TargetResult[] {
  return r.targets.map((t) =>
    /\b(p50|p99)\b/.test(t.target) && !/ conns\)$/.test(t.target) ? { ...t, target: `${t.target} (${r.options.connections} conns)` } : t,
  );
}

export function compareResults(a: BenchResult, b: BenchResult, aName: string, bName: string): string {
  const parts = [`# ${aName} (A: ${a.startedAt}) vs ${bName} (B: ${b.startedAt})`];
  for (const sb of b.sizes) {
    const sa = a.sizes.find((s) => s.patients === sb.patients);
    if (!sa) {
      parts.push('', `## ${sb.label}: only in B`);
      continue;
    }
    const light = lightConnections(sb.runs) ?? lightConnections(sa.runs);
    const lightA = lightConnections(sa.runs);
    const lightB = lightConnections(sb.runs);
    const rows: string[][] = [];
    for (const rb of sb.runs) {
      const ra = sa.runs.find((r) => r.scenario === rb.scenario && r.transport === rb.transport);
      if (!ra) continue;
      const lightCells =
        light == null
          ? []
          : [
              ms(ra.light?.latencyMs.p99),
              ms(rb.light?.latencyMs.p99),
              delta(ra.light?.latencyMs.p99 ?? NaN, rb.light?.latencyMs.p99 ?? NaN),
            ];
      rows.push([
        rb.scenario,
        TRANSPORT_NAME[rb.transport],
        fmt(ra.opsPerS),
        fmt(rb.opsPerS),
        delta(ra.opsPerS, rb.opsPerS),
        ms(ra.latencyMs.p99),
        ms(rb.latencyMs.p99),
        delta(ra.latencyMs.p99, rb.latencyMs.p99),
        ratio(ra.vsBaseline?.ops),
        ratio(rb.vsBaseline?.ops),
        ...lightCells,
      ]);
    }
    const head = ['scenario', 'via', 'ops/s A', 'ops/s B', 'Δ ops/s', 'p99 A', 'p99 B', 'Δ p99', '÷ baseline A', '÷ baseline B'];
    if (light != null) head.push(`p99 A @${lightA ?? '—'}`, `p99 B @${lightB ?? '—'}`, 'Δ p99 light');
    const rss = [
      'server RSS max (MB)',
      '',
      fmt(sa.app.rssMaxMb),
      fmt(sb.app.rssMaxMb),
      delta(sa.app.rssMaxMb ?? NaN, sb.app.rssMaxMb ?? NaN),
    ];
    rows.push([...rss, ...head.slice(rss.length).map(() => '')]);
    parts.push(
      '',
      `## ${sb.patients.toLocaleString('en-US')} patients`,
      '',
      table(head, rows, ['l', 'l', ...head.slice(2).map(() => 'r' as const)]),
    );
  }
  const targetsA = namedTargets(a);
  const targetsB = namedTargets(b);
  const names = [...new Set([...targetsB, ...targetsA].map((t) => t.target))];
  const verdict = (t?: TargetResult) => (t?.pass == null ? '—' : t.pass ? 'PASS' : 'MISS');
  const targetRows = names.map((name) => {
    const ta = targetsA.find((t) => t.target === name);
    const tb = targetsB.find((t) => t.target === name);
    return [name, ta?.measured ?? '—', verdict(ta), tb?.measured ?? '—', verdict(tb)];
  });
  parts.push('', '## Targets', '', table(['target', 'A', 'A result', 'B', 'B result'], targetRows));
  parts.push('', 'Absolute figures from different runs move with the machine; the ÷ baseline columns are each measured within one run.');
  return `${parts.join('\n')}\n`;
}
