/**
 * The load generator, in its own process so it does not share an event loop with the orchestrator: bench.ts sends a
 * job over IPC, this runs autocannon and answers with the summary. Each request takes the next entry of the job's
 * request list (one counter for all connections), so consecutive requests hit different patients and a consumable
 * list (prescriptions to dispense) is used exactly once per entry. Latency is recorded per response with
 * sub-millisecond precision (autocannon's own histogram keeps whole milliseconds).
 */
import autocannon from 'autocannon';
import type { LoadJob, LoadResult } from './scenarios';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const list = job.requests;
  let next = 0;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const statusCodes: Record<string, number> = {};

  // autocannon's own duration is counted in whole ticks of a second: a run of a fixed amount that takes 3.1 s reads
  // as 4 s, ±25% on the short dispense runs. The run is timed here instead, from start to the last answer.
  const startedAt = performance.now();
  let lastAnswerAt = startedAt;
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    ...(job.amount ? { amount: job.amount } : { duration: job.durationS }),
    timeout: 10,
    headers: job.headers,
    requests: [
      {
        setupRequest(req) {
          const r = list[next++ % list.length]!;
          return {
            ...req,
            method: r.method,
            path: r.path,
            ...(r.body !== undefined ? { body: r.body, headers: { ...req.headers, 'content-type': 'application/json' } } : {}),
          };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastAnswerAt = performance.now();
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode < 200 || statusCode >= 300) return;
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = responseTime;
  });
  const result = await instance;
  const sorted = latencies.slice(0, count).sort();
  const ok = result['2xx'];
  const durationS = job.amount ? (lastAnswerAt - startedAt) / 1000 : result.duration;
  return {
    durationS,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    requestsPerS: durationS > 0 ? ok / durationS : 0,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: count ? sorted[count - 1]! : Number.NaN,
      mean: count ? sorted.reduce((s, v) => s + v, 0) / count : Number.NaN,
    },
    used: Math.min(next, list.length),
  };
}

process.on('message', (message: { id: number; job: LoadJob }) => {
  run(message.job).then(
    (result) => process.send!({ id: message.id, result }),
    (err: unknown) => process.send!({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
