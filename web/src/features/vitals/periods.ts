/**
 * The trend charts' periods, apart from the charts: the router asks for the default period's readings while the
 * chart code is still downloading (routes.tsx), with the same query the chart then finds in the cache.
 */
export const PERIODS = { '7d': 7, '30d': 30, '1y': 365, all: null } as const;
export type Period = keyof typeof PERIODS;
export const DEFAULT_PERIOD: Period = '30d';

/** The start of a period, rounded down to the hour so the query key stays the same while the page is open. */
export function periodStart(period: Period, now = Date.now()): string | undefined {
  const days = PERIODS[period];
  if (days == null) return undefined;
  const d = new Date(now - days * 86_400_000);
  d.setMinutes(0, 0, 0);
  return d.toISOString();
}

type ChartModule = typeof import('./VitalsChart');
let loaded: ChartModule | undefined;

/** The chart's code, fetched once (the router starts it early). */
export const loadVitalsChart = (): Promise<ChartModule> =>
  import('./VitalsChart').then((m) => {
    loaded = m;
    return m;
  });

/**
 * The chart component once its code is here, else undefined (then VitalsTab waits for it in a Suspense). Rendered
 * directly when the router's early fetch has finished: React.lazy would suspend at least once anyway, and React holds a
 * Suspense boundary's content back up to 300 ms after its fallback appeared (issue 13's browser benchmark).
 */
export const loadedVitalsChart = () => loaded?.default;
