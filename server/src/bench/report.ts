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
}

export interface SizeResult {
  patients: number;
  label: string;
  database: string;
  seeding: { status: string; ms: number };
  app: { startMs: number; rssStartMb: number | null; rssMaxMb: number | null };
  baseline: { rssMaxMb: number | null };
  runs: RunRecord[];
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  options: { connections: number; durationS: number; warmupS: number; auth: string };
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
  const codes = Object.entries(r.statusCodes).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${n}×${c}`);
  return `${bad} (${[...codes, r.errors ? `${r.errors} conn` : ''].filter(Boolean).join(', ')})`;
}

/** The per-size table: every scenario on every transport, with its ratio to the baseline. */
export function sizeTable(size: SizeResult): string {
  const rows = size.runs.map((r) => [
    `${r.scenario}${r.requestsPerOp > 1 ? ` (${r.requestsPerOp} req)` : ''}${r.scenario === 'dispense' ? ` ×${r.ok}` : ''}`,
    TRANSPORT_NAME[r.transport],
    fmt(r.opsPerS),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p99),
    errorsCell(r) + (r.broken ? ' **BROKEN**' : ''),
    ratio(r.vsBaseline?.ops),
    ratio(r.vsBaseline?.p99),
  ]);
  return table(['scenario', 'via', 'ops/s', 'p50 ms', 'p99 ms', 'errors / non-2xx', 'ops/s ÷ baseline', 'p99 ÷ baseline'], rows, [
    'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r',
  ]);
}

/** For two or more sizes: each scenario's figures at the largest size over the smallest. */
export function sizeRatioTable(sizes: SizeResult[]): string | null {
  if (sizes.length < 2) return null;
  const small = sizes[0]!;
  const large = sizes[sizes.length - 1]!;
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
    ]);
  }
  const l = `${large.label}/${small.label}`;
  return table(['scenario', 'via', `ops/s ${l}`, `p50 ${l}`, `p99 ${l}`], rows, ['l', 'l', 'r', 'r', 'r']);
}

// ---- targets ---------------------------------------------------------------------------------------------------------

const TARGET_SIZE = 1_000_000;
const MIN_THROUGHPUT_RATIO = 0.5;
const P99_LIMIT_MS = 25;
const P99_GROWTH_LIMIT = 1.5;
const STATS_P50_LIMIT_MS = 5;
const RSS_LIMIT_MB = 300;

/**
 * The issue's targets. They are stated at 1,000,000 patients; a run without that size is judged at its largest size
 * and says so in the `at` column (a provisional reading, not the verdict).
 */
export function evaluateTargets(sizes: SizeResult[], latencyGroup: ReadonlySet<string>): TargetResult[] {
  if (sizes.length === 0) return [];
  const judged = sizes.find((s) => s.patients === TARGET_SIZE) ?? sizes[sizes.length - 1]!;
  const smallest = sizes[0]!;
  const at = judged.patients === TARGET_SIZE ? judged.label : `${judged.label} (provisional; target is at 1m)`;
  const out: TargetResult[] = [];
  const find = (size: SizeResult, scenario: string, t: Transport) => size.runs.find((r) => r.scenario === scenario && r.transport === t && !r.broken);
  /** Targets of scenarios left out of the run (--scenarios) are not listed. */
  const ran = (scenario: string) => judged.runs.some((r) => r.scenario === scenario);

  for (const t of ran('get-patient') ? (['rest', 'trpc'] as const) : []) {
    const r = find(judged, 'get-patient', t);
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
      const r = find(judged, scenario, t);
      const p99 = r?.latencyMs.p99;
      out.push({
        target: `${scenario} ${TRANSPORT_NAME[t]} p99 < ${P99_LIMIT_MS} ms`,
        at,
        measured: p99 == null ? 'not measured' : `${ms(p99)} ms`,
        need: `< ${P99_LIMIT_MS} ms`,
        pass: p99 == null ? null : p99 < P99_LIMIT_MS,
        by: p99 == null || p99 < P99_LIMIT_MS ? '' : `+${ms(p99 - P99_LIMIT_MS)} ms (${pct(p99 / P99_LIMIT_MS - 1)})`,
      });
      if (judged !== smallest) {
        const s = find(smallest, scenario, t);
        const growth = p99 != null && s ? p99 / s.latencyMs.p99 : null;
        out.push({
          target: `${scenario} ${TRANSPORT_NAME[t]} p99 ≤ ${P99_GROWTH_LIMIT}× its ${smallest.label} figure`,
          at: `${judged.label} vs ${smallest.label}`,
          measured: growth == null ? 'not measured' : `${growth.toFixed(2)}× (${ms(p99)} vs ${ms(s!.latencyMs.p99)} ms)`,
          need: `≤ ${P99_GROWTH_LIMIT.toFixed(2)}×`,
          pass: growth == null ? null : growth <= P99_GROWTH_LIMIT,
          by: growth == null || growth <= P99_GROWTH_LIMIT ? '' : `${pct(growth / P99_GROWTH_LIMIT - 1)}`,
        });
      }
    }
  }
  for (const t of ran('stats') ? (['rest', 'trpc'] as const) : []) {
    const p50 = find(judged, 'stats', t)?.latencyMs.p50;
    out.push({
      target: `stats ${TRANSPORT_NAME[t]} p50 < ${STATS_P50_LIMIT_MS} ms`,
      at,
      measured: p50 == null ? 'not measured' : `${ms(p50)} ms`,
      need: `< ${STATS_P50_LIMIT_MS} ms`,
      pass: p50 == null ? null : p50 < STATS_P50_LIMIT_MS,
      by: p50 == null || p50 < STATS_P50_LIMIT_MS ? '' : `+${ms(p50 - STATS_P50_LIMIT_MS)} ms (${pct(p50 / STATS_P50_LIMIT_MS - 1)})`,
    });
  }
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

export function targetTable(targets: TargetResult[]): string {
  return table(
    ['target', 'at', 'measured', 'need', 'result', 'misses by'],
    targets.map((t) => [t.target, t.at, t.measured, t.need, t.pass == null ? '—' : t.pass ? 'PASS' : 'MISS', t.by]),
  );
}

// ---- whole report ----------------------------------------------------------------------------------------------------

export function toMarkdown(result: BenchResult): string {
  const o = result.options;
  const m = result.machine;
  const parts = [
    `# HMIS benchmark ${result.startedAt}${result.quick ? ' (quick)' : ''}`,
    '',
    `${o.connections} connections, ${o.warmupS} s warm-up + ${o.durationS} s measured per run, auth: ${o.auth}. ` +
      `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.database}. ` +
      'ops/s counts successful operations; latencies are of successful requests. Compare ratios within a run, not absolute numbers across machines.',
  ];
  for (const s of result.sizes) {
    parts.push(
      '',
      `## ${s.patients.toLocaleString('en-US')} patients (${s.database})`,
      '',
      `Seeding: ${s.seeding.status} (${(s.seeding.ms / 1000).toFixed(1)} s). Server up in ${(s.app.startMs / 1000).toFixed(1)} s. ` +
        `Server RSS: ${fmt(s.app.rssStartMb)} MB idle, **${fmt(s.app.rssMaxMb)} MB max** under load (baseline ${fmt(s.baseline.rssMaxMb)} MB).`,
      '',
      sizeTable(s),
    );
  }
  const ratios = sizeRatioTable(result.sizes);
  if (ratios) parts.push('', `## Between sizes`, '', ratios);
  parts.push('', '## Targets (from the performance issue; printed, never asserted)', '', targetTable(result.targets));
  if (result.problems.length) parts.push('', '## Problems', '', ...result.problems.map((p) => `- ${p}`));
  return `${parts.join('\n')}\n`;
}

// ---- --compare A B ---------------------------------------------------------------------------------------------------

const delta = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? pct(b / a - 1) : '—');

export function compareResults(a: BenchResult, b: BenchResult, aName: string, bName: string): string {
  const parts = [`# ${aName} (A: ${a.startedAt}) vs ${bName} (B: ${b.startedAt})`];
  for (const sb of b.sizes) {
    const sa = a.sizes.find((s) => s.patients === sb.patients);
    if (!sa) {
      parts.push('', `## ${sb.label}: only in B`);
      continue;
    }
    const rows: string[][] = [];
    for (const rb of sb.runs) {
      const ra = sa.runs.find((r) => r.scenario === rb.scenario && r.transport === rb.transport);
      if (!ra) continue;
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
      ]);
    }
    rows.push(['server RSS max (MB)', '', fmt(sa.app.rssMaxMb), fmt(sb.app.rssMaxMb), delta(sa.app.rssMaxMb ?? NaN, sb.app.rssMaxMb ?? NaN), '', '', '', '', '']);
    parts.push(
      '',
      `## ${sb.patients.toLocaleString('en-US')} patients`,
      '',
      table(
        ['scenario', 'via', 'ops/s A', 'ops/s B', 'Δ ops/s', 'p99 A', 'p99 B', 'Δ p99', '÷ baseline A', '÷ baseline B'],
        rows,
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  const names = [...new Set([...b.targets, ...a.targets].map((t) => t.target))];
  const verdict = (t?: TargetResult) => (t?.pass == null ? '—' : t.pass ? 'PASS' : 'MISS');
  const targetRows = names.map((name) => {
    const ta = a.targets.find((t) => t.target === name);
    const tb = b.targets.find((t) => t.target === name);
    return [name, ta?.measured ?? '—', verdict(ta), tb?.measured ?? '—', verdict(tb)];
  });
  parts.push('', '## Targets', '', table(['target', 'A', 'A result', 'B', 'B result'], targetRows));
  parts.push('', 'Absolute figures from different runs move with the machine; the ÷ baseline columns are each measured within one run.');
  return `${parts.join('\n')}\n`;
}
