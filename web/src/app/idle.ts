/**
 * Work that can wait until the first screen is up: code fetched ahead for later (the sign-in dialog, the toasts).
 * Fetched while a page opens, it took the main thread from the page (issue 13's browser benchmark: the vitals charts
 * opened 100–200 ms later).
 */
export function whenIdle(work: () => void, afterMs = 2_000): () => void {
  // Not before `afterMs`: the browser is idle for moments while a page's requests are out, and those are not the time.
  let idle: number | undefined;
  const timer = window.setTimeout(() => {
    if (typeof window.requestIdleCallback === 'function') idle = window.requestIdleCallback(work, { timeout: 2_000 });
    else work();
  }, afterMs);
  return () => {
    window.clearTimeout(timer);
    if (idle !== undefined) window.cancelIdleCallback(idle);
  };
}
