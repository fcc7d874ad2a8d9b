/**
 * What the browser benchmark measures, in a signed-in page of the production build: patient search from the last
 * keystroke to the results painted, opening the heavy patient's vitals trend charts, and scrolling their vital-sign
 * table. Each figure is taken inside the page (event timestamps, a MutationObserver for the moment the DOM shows the
 * answer, then one animation frame and one task for the paint) so Playwright's round trips are not in it.
 *
 * Beside each wall-clock figure goes the main-thread CPU time the page spent on it (Chrome's Performance metrics in
 * thread ticks): on a shared machine the wall clock also counts the time the browser waited for a core, the CPU time
 * does not, so it says what the page itself costs.
 *
 * The functions given to page.evaluate and addInitScript are sent to the page as source text. tsx compiles them with
 * esbuild's keepNames, which wraps named functions in `__name(…)`; the first init script defines it in the page.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** In-page state, installed before the app's own code in every document. */
interface BenchState {
  /** `timeStamp` of every keydown (capture phase: before the app sees it). */
  keys: number[];
  longTasks: LongTask[];
  /** What the last arm() waits for; resolves when it is painted. */
  pending?: Promise<Painted>;
  arm(spec: WaitSpec): boolean;
}

export interface LongTask {
  start: number;
  duration: number;
}

/** What to wait for in the DOM. */
export type WaitSpec =
  /**
   * The patient table shows the answer to `typed`: every row's name contains it, or the row of `mrn` is there; and the
   * list request for it (its URL holds `needle`) has been answered, so an earlier answer that happens to fit (to a
   * prefix, when keys came slower than the debounce) does not count.
   */
  | { kind: 'patients'; typed: string; match: 'name' | 'mrn'; mrn: string; keys: number; timeoutMs: number; needle: string }
  /** All five vitals trend charts drawn (their lines on the canvas), or the "no readings" text. */
  | { kind: 'charts'; timeoutMs: number }
  /** The charts drawn again with a different reading count than `before` (a period switched). */
  | { kind: 'charts-changed'; before: string; timeoutMs: number };

export interface Painted {
  ok: boolean;
  /** Why not ok (a timeout). */
  error?: string;
  /** The answer was in the DOM (ms since the document's time origin). */
  domAt: number;
  /** The frame after it ran and the next task began: the answer is on screen. */
  paintedAt: number;
  /** The last keydown before the answer, when keys were typed. */
  lastKeyAt: number | null;
  /** The arm found the answer already there: the measurement would be meaningless. */
  alreadyThere: boolean;
}

/** Installs the page-side instruments in every document of the context. */
export async function instrument(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(() => {
    const state: BenchState = { keys: [], longTasks: [], arm };
    (window as unknown as { __bench: BenchState }).__bench = state;
    document.addEventListener('keydown', (e) => state.keys.push(e.timeStamp), true);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    performance.setResourceTimingBufferSize(10_000);

    const CHART_COUNT = 5;
    const chartText = () =>
      [...document.querySelectorAll('figure[aria-label$=" trend"]')]
        .map((f) => f.querySelector('figcaption')?.parentElement?.textContent ?? '')
        .join('|');
    const chartsDrawn = () => {
      const figures = [...document.querySelectorAll('figure[aria-label$=" trend"]')];
      if (figures.length !== CHART_COUNT) return document.body?.textContent?.includes('No vital signs in this period.') ?? false;
      // TrendChart sets data-drawn (the points drawn) on its figure after uPlot has drawn its lines on the canvas, and
      // takes it away when new readings come until they are drawn.
      return figures.every(
        (f) => Number((f as HTMLElement).dataset.drawn ?? 0) > 0 || f.textContent?.includes('no readings in this period'),
      );
    };
    const cellText = (row: Element, i: number) => row.children[i]?.textContent?.trim() ?? '';
    /** A request whose decoded URL holds `needle` has been answered (resource timing lists it once it is). */
    const requested = (needle: string) =>
      performance.getEntriesByType('resource').some((e) => {
        try {
          return decodeURIComponent(e.name).includes(needle);
        } catch {
          return false;
        }
      });

    function answered(spec: WaitSpec): boolean {
      switch (spec.kind) {
        case 'patients': {
          const rows = [...document.querySelectorAll('table[aria-label="Patients"] tbody tr[data-index]')];
          if (rows.length === 0 || !requested(spec.needle)) return false;
          const typed = spec.typed.toLowerCase();
          return spec.match === 'name'
            ? rows.every((r) => cellText(r, 1).toLowerCase().includes(typed))
            : rows.some((r) => cellText(r, 0) === spec.mrn);
        }
        case 'charts':
          return chartsDrawn();
        case 'charts-changed':
          return chartsDrawn() && chartText() !== spec.before;
      }
    }

    /** Starts watching for `spec`'s answer; says whether it is already on the page. */
    function arm(spec: WaitSpec): boolean {
      const keysAtArm = state.keys.length;
      const alreadyThere = document.body != null && answered(spec);
      state.pending = new Promise<Painted>((resolve) => {
        let done = false;
        const observer = new MutationObserver(check);
        const timer = setTimeout(() => finish(`no answer within ${spec.timeoutMs} ms`), spec.timeoutMs);
        function finish(error?: string) {
          if (done) return;
          done = true;
          observer.disconnect();
          clearTimeout(timer);
          const domAt = performance.now();
          const lastKeyAt = state.keys.length > keysAtArm ? state.keys[state.keys.length - 1]! : null;
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () =>
              resolve({ ok: !error, ...(error ? { error } : {}), domAt, paintedAt: performance.now(), lastKeyAt, alreadyThere });
            channel.port2.postMessage(null);
          });
        }
        function check() {
          if (spec.kind === 'patients' && state.keys.length - keysAtArm < spec.keys) return;
          if (document.body != null && answered(spec)) finish();
        }
        observer.observe(document, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
          attributeFilter: ['data-drawn'],
        });
      });
      return alreadyThere;
    }
  });
}

function waitPainted(page: Page): Promise<Painted> {
  return page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench.pending!);
}

/** Long tasks the page recorded since `from` (ms since its time origin). */
export function longTasksSince(page: Page, from: number): Promise<LongTask[]> {
  return page.evaluate(async (t) => {
    await new Promise((r) => setTimeout(r, 100)); // the observer reports a task after it ends
    return (window as unknown as { __bench: BenchState }).__bench.longTasks.filter((e) => e.start >= t);
  }, from);
}

const now = (page: Page) => page.evaluate(() => performance.now());

/**
 * The CPU time of the page's main thread, in ms, since its document began (Chrome starts the count again at each
 * navigation). Taken with Performance.getMetrics in thread ticks, which the domain must have been enabled with.
 */
export class CpuMeter {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<CpuMeter> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    return new CpuMeter(cdp);
  }

  async ms(): Promise<number> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN) * 1000;
  }
}

// ---- patient search --------------------------------------------------------------------------------------------------

export interface SearchQuery {
  /** How it is typed and what it is: a surname, an MRN's number, a phone number. */
  kind: 'name' | 'mrn' | 'phone';
  typed: string;
  /** The MRN of the patient it was taken from (the row the answer must hold for mrn and phone). */
  mrn: string;
}

export interface SearchSample {
  kind: SearchQuery['kind'];
  typed: string;
  /** Last keystroke → results painted. */
  totalMs: number;
  /** Last keystroke → the list request sent (the debounce, the router and React before it). */
  waitMs: number | null;
  /** The request, as the browser's resource timing has it. */
  requestMs: number | null;
  /** The response in → the rows painted. */
  renderMs: number | null;
  /** Main-thread CPU from the first key of the query to its answer painted (every key's handling and the results'). */
  cpuMs: number;
}

export interface SearchRun {
  samples: SearchSample[];
  problems: string[];
  longTasks: LongTask[];
}

/** Milliseconds between keystrokes: a quick typist, well under the search box's debounce. */
export const KEY_DELAY_MS = 60;

/**
 * Types each query into the search box of /patients (the previous text selected, so the first key replaces it) and
 * times it from the last keydown to the answer painted. The first `warmup` queries are not counted.
 */
export async function measureSearch(page: Page, base: string, queries: SearchQuery[], warmup: number): Promise<SearchRun> {
  await page.goto(`${base}/patients`);
  const box = page.getByRole('textbox', { name: 'Search patients' });
  await box.waitFor();
  await page.locator('table[aria-label="Patients"] tbody tr[data-index]').first().waitFor();
  const out: SearchRun = { samples: [], problems: [], longTasks: [] };
  const cpu = await CpuMeter.attach(page);
  let from = 0;
  for (const [i, q] of queries.entries()) {
    if (i === warmup) from = await now(page);
    await box.click();
    await box.press('ControlOrMeta+a');
    const needle = `"q":${JSON.stringify(q.typed.trim())}`;
    const spec: WaitSpec = {
      kind: 'patients',
      typed: q.typed,
      match: q.kind === 'name' ? 'name' : 'mrn',
      mrn: q.mrn,
      keys: q.typed.length,
      timeoutMs: 10_000,
      needle,
    };
    const already = await page.evaluate((s) => {
      performance.clearResourceTimings();
      return (window as unknown as { __bench: BenchState }).__bench.arm(s);
    }, spec);
    const cpuBefore = await cpu.ms();
    await page.keyboard.type(q.typed, { delay: KEY_DELAY_MS });
    const painted = await waitPainted(page);
    const cpuMs = (await cpu.ms()) - cpuBefore;
    if (!painted.ok || painted.lastKeyAt == null) {
      out.problems.push(`search ${JSON.stringify(q.typed)} (${q.kind}): ${painted.error ?? 'no keystroke seen'}`);
      continue;
    }
    if (already) {
      out.problems.push(`search ${JSON.stringify(q.typed)} (${q.kind}): the previous results already matched; not counted`);
      continue;
    }
    const request = await page.evaluate((needle) => {
      const entries = performance.getEntriesByType('resource').filter((e) => {
        try {
          const url = decodeURIComponent(e.name);
          return url.includes('patients.list') && url.includes(needle);
        } catch {
          return false;
        }
      });
      const e = entries[entries.length - 1];
      return e ? { start: e.startTime, end: (e as PerformanceResourceTiming).responseEnd } : null;
    }, needle);
    if (i < warmup) continue;
    out.samples.push({
      kind: q.kind,
      typed: q.typed,
      totalMs: painted.paintedAt - painted.lastKeyAt,
      waitMs: request ? request.start - painted.lastKeyAt : null,
      requestMs: request ? request.end - request.start : null,
      renderMs: request ? painted.paintedAt - request.end : null,
      cpuMs,
    });
    await page.waitForTimeout(150);
  }
  out.longTasks = await longTasksSince(page, from);
  return out;
}

// ---- opening the vitals charts ---------------------------------------------------------------------------------------

export interface ChartOpen {
  /** Navigation start (or the click) → the five charts drawn. */
  ms: number;
  longTasks: number;
  longestTaskMs: number;
  /** The readings' request (vitals.series): its duration, and when its answer was in (same origin as `ms`). */
  series: { ms: number; endAt: number } | null;
  /** Main-thread CPU over the same span (for a page load: since the document began, up to a little after the paint). */
  cpuMs: number;
}

/** The last request of a tRPC procedure the page made since `from`, from the browser's resource timing. */
function lastRequest(page: Page, procedure: string, from: number): Promise<{ ms: number; endAt: number } | null> {
  return page.evaluate(
    ({ procedure, from }) => {
      const e = performance
        .getEntriesByType('resource')
        .filter((r) => r.name.includes(`/trpc/`) && r.name.includes(procedure) && r.startTime >= from)
        .pop() as PerformanceResourceTiming | undefined;
      return e ? { ms: e.responseEnd - e.startTime, endAt: e.responseEnd - from } : null;
    },
    { procedure, from },
  );
}

/**
 * Loads /patients/<id>/vitals?view=chart in a new page of `context` (the session's cookie in it; the HTTP cache
 * as the context has it) and times from the navigation's start to the charts drawn. Returns the page, left open.
 */
export async function openCharts(
  context: BrowserContext,
  base: string,
  patientId: number,
): Promise<{ page: Page; open: ChartOpen; error?: string }> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.addInitScript(() => {
    (window as unknown as { __bench: BenchState }).__bench.arm({ kind: 'charts', timeoutMs: 20_000 });
  });
  const cpu = await CpuMeter.attach(page);
  await page.goto(`${base}/patients/${patientId}/vitals?view=chart`, { waitUntil: 'commit' });
  const painted = await waitPainted(page);
  const cpuMs = await cpu.ms();
  const tasks = await longTasksSince(page, 0);
  const series = await lastRequest(page, 'vitals.series', 0);
  return {
    page,
    open: { ms: painted.paintedAt, longTasks: tasks.length, longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)), series, cpuMs },
    ...(painted.ok ? {} : { error: painted.error }),
  };
}

/** On an open chart page: choose the period `label` ("All") and time until the charts are drawn anew. */
export async function switchPeriod(page: Page, label: string): Promise<{ open: ChartOpen; readings: string; error?: string }> {
  const before = await page.evaluate(() =>
    [...document.querySelectorAll('figure[aria-label$=" trend"]')]
      .map((f) => f.querySelector('figcaption')?.parentElement?.textContent ?? '')
      .join('|'),
  );
  const segment = page.getByRole('radiogroup', { name: 'Period' }).getByText(label, { exact: true });
  await segment.waitFor();
  const cpu = await CpuMeter.attach(page);
  const cpuBefore = await cpu.ms();
  const t0 = await page.evaluate((b) => {
    (window as unknown as { __bench: BenchState }).__bench.arm({ kind: 'charts-changed', before: b, timeoutMs: 20_000 });
    return performance.now();
  }, before);
  // The click is dispatched in the page so its time is the start, not Playwright's round trip before it.
  const clickedAt = await segment.evaluate((el) => {
    const t = performance.now();
    (el as HTMLElement).click();
    return t;
  });
  const painted = await waitPainted(page);
  const cpuMs = (await cpu.ms()) - cpuBefore;
  const tasks = await longTasksSince(page, t0);
  const series = await lastRequest(page, 'vitals.series', clickedAt);
  const readings = await page.locator('figure[aria-label="Temperature trend"] figcaption').locator('xpath=..').innerText();
  return {
    open: {
      ms: painted.paintedAt - clickedAt,
      longTasks: tasks.length,
      longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
      series,
      cpuMs,
    },
    readings: readings.replace(/\s+/g, ' ').trim(),
    ...(painted.ok ? {} : { error: painted.error }),
  };
}

// ---- scrolling the vital-sign table ----------------------------------------------------------------------------------

export interface ScrollRun {
  /** Rows in the table when scrolling began. */
  rows: number;
  /** Scrolling to the end until every page was fetched (the table asks for 50 more near its end): loading, not scrolling. */
  load: {
    ms: number;
    cpuMs: number;
    complete: boolean;
    longTasks: number;
    longestTaskMs: number;
    requests: number;
    medianRequestMs: number | null;
  };
  /** Scrolling the loaded rows one step a frame: top → bottom (→ top), or as far as the time allowed. */
  scroll: {
    ms: number;
    cpuMs: number;
    px: number;
    rowsPassed: number;
    complete: boolean;
    frames: number;
    medianFrameMs: number;
    p95FrameMs: number;
    maxFrameMs: number;
    droppedFrames: number;
    longTasks: LongTask[];
  };
}

/** Pixels per animation frame: a brisk fling, ~6 rows a frame. */
export const SCROLL_STEP_PX = 240;

/**
 * The vitals table of the patient: first scrolled to its end until all pages are in (timed on its own: that is
 * loading), then scrolled through the loaded rows one step per animation frame, counting long tasks and the frames
 * that came late (from the gaps between animation frames). Each phase stops at its time limit, and says so.
 */
export async function measureScroll(
  page: Page,
  base: string,
  patientId: number,
  o: { roundTrip: boolean; loadLimitMs: number; scrollLimitMs: number },
): Promise<ScrollRun> {
  await page.goto(`${base}/patients/${patientId}/vitals`);
  await page.locator('table[aria-label="Vital signs"] tbody tr[data-index]').first().waitFor();
  const cpu = await CpuMeter.attach(page);
  const loadStart = await now(page);
  const loadCpu = await cpu.ms();
  const loaded = await page.evaluate(async (limitMs) => {
    const table = document.querySelector('table[aria-label="Vital signs"]')!;
    const box = table.parentElement!;
    const footer = () => box.nextElementSibling?.textContent ?? '';
    const rows = () => Number(/([\d,]+) shown/.exec(footer())?.[1]?.replace(/,/g, '') ?? 0);
    const t0 = performance.now();
    while (performance.now() - t0 < limitMs) {
      box.scrollTop = box.scrollHeight;
      await new Promise(requestAnimationFrame);
      const text = footer();
      if (/shown/.test(text) && !/more load/.test(text) && !box.nextElementSibling?.querySelector('[aria-label="Loading more"]')) {
        return { complete: true, ms: performance.now() - t0, rows: rows() };
      }
    }
    return { complete: false, ms: performance.now() - t0, rows: rows() };
  }, o.loadLimitMs);
  const loadCpuMs = (await cpu.ms()) - loadCpu;
  const loadTasks = await longTasksSince(page, loadStart);
  const requests = await page.evaluate((from) => {
    return performance
      .getEntriesByType('resource')
      .filter((r) => r.name.includes('/trpc/') && r.name.includes('vitals.list') && r.startTime >= from)
      .map((r) => (r as PerformanceResourceTiming).responseEnd - r.startTime)
      .sort((a, b) => a - b);
  }, loadStart);

  const scrollCpu = await cpu.ms();
  const scrolled = await page.evaluate(
    async ({ step, both, limitMs }) => {
      const box = document.querySelector('table[aria-label="Vital signs"]')!.parentElement!;
      box.scrollTop = 0;
      for (let i = 0; i < 5; i++) await new Promise(requestAnimationFrame);
      const frames: number[] = [];
      let px = 0;
      let complete = false;
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        let dir = 1;
        const tick = (t: number) => {
          frames.push(t);
          const max = box.scrollHeight - box.clientHeight;
          if (dir === 1 && box.scrollTop >= max - 1) {
            if (!both) {
              complete = true;
              return resolve();
            }
            dir = -1;
          } else if (dir === -1 && box.scrollTop <= 0) {
            complete = true;
            return resolve();
          }
          if (t - t0 > limitMs) return resolve();
          const before = box.scrollTop;
          box.scrollTop += dir * step;
          px += Math.abs(box.scrollTop - before);
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const rowHeight =
        box.scrollHeight /
        Math.max(1, Number(/([\d,]+) shown/.exec(box.nextElementSibling?.textContent ?? '')?.[1]?.replace(/,/g, '') ?? 1));
      return { t0, ms: performance.now() - t0, frames, px, complete, rowsPassed: Math.round(px / rowHeight) };
    },
    { step: SCROLL_STEP_PX, both: o.roundTrip, limitMs: o.scrollLimitMs },
  );
  const scrollCpuMs = (await cpu.ms()) - scrollCpu;
  const tasks = (await longTasksSince(page, scrolled.t0)).filter((t) => t.start <= scrolled.t0 + scrolled.ms);
  const gaps = scrolled.frames.slice(1).map((t, i) => t - scrolled.frames[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  // A display refreshes every 1000/60 ms; a gap of n refreshes means n − 1 frames were not drawn.
  const dropped = gaps.reduce((n, g) => n + Math.max(0, Math.round(g / FRAME_MS) - 1), 0);
  return {
    rows: loaded.rows,
    load: {
      ms: loaded.ms,
      cpuMs: loadCpuMs,
      complete: loaded.complete,
      longTasks: loadTasks.length,
      longestTaskMs: Math.max(0, ...loadTasks.map((t) => t.duration)),
      requests: requests.length,
      medianRequestMs: requests[Math.floor(requests.length / 2)] ?? null,
    },
    scroll: {
      ms: scrolled.ms,
      cpuMs: scrollCpuMs,
      px: scrolled.px,
      rowsPassed: scrolled.rowsPassed,
      complete: scrolled.complete,
      frames: scrolled.frames.length,
      medianFrameMs: at(0.5),
      p95FrameMs: at(0.95),
      maxFrameMs: sorted[sorted.length - 1] ?? 0,
      droppedFrames: dropped,
      longTasks: tasks,
    },
  };
}

/** The frame interval of a 60 Hz display, which headless Chromium's animation frames follow. */
export const FRAME_MS = 1000 / 60;

/** A fixed piece of work timed in the page: how much CPU the browser gets right now (the machine is shared). */
export function cpuProbe(page: Page): Promise<number> {
  return page.evaluate(() => {
    const t0 = performance.now();
    let x = 1;
    const values = Array.from({ length: 200_000 }, () => (x = (x * 48271) % 2147483647));
    values.sort((a, b) => a - b);
    return performance.now() - t0;
  });
}
