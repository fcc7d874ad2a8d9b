/**
 * What the benchmark measures: each scenario is one thing a client does, spelled for the three targets — the app's
 * REST adapter (/api/v1), the app's tRPC endpoint (/trpc, GET ?input= for queries, POST for mutations, a batch for
 * the chart as the web client sends it) and the bare baseline server. A scenario builds the list of requests the load
 * runner rotates through, so every request names another patient.
 */
// Request bodies come from a seeded generator, so two runs send the same bodies.
import { mulberry32 } from './seed-large/random';

export type Transport = 'baseline' | 'rest' | 'trpc';
export const TRANSPORTS: readonly Transport[] = ['baseline', 'rest', 'trpc'];
/** Demo accounts the scenarios act as (created by seed-large). */
export type Username = 'admin' | 'doctor' | 'nurse' | 'pharmacist' | 'records';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  /** JSON text; POSTs only. */
  body?: string;
}

/** One autocannon run, as sent to the load runner. */
export interface LoadJob {
  url: string;
  connections: number;
  durationS: number;
  /** Stop after this many requests instead of after durationS (consumable lists). */
  amount?: number;
  headers: Record<string, string>;
  requests: RequestSpec[];
}

export interface LoadResult {
  durationS: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Successful (2xx) requests per second. */
  requestsPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Entries of the request list that were sent (for consumables: how many were used). */
  used: number;
}

/** Data the scenarios rotate through, read from the seeded database. */
export interface Fixtures {
  /** Ordinary patients (the heavy one excluded), random order. */
  patientIds: number[];
  heavyPatientId: number;
  /** Three-letter last-name prefixes of sampled patients. */
  namePrefixes: string[];
  /** MRNs as typed: digits alone, with and without the leading zeros. */
  mrns: string[];
  /** Phone numbers as typed: national form with spaces, international form, last 7 digits. */
  phones: string[];
  /** A consultation opened for the run for each of some sampled patients (vital signs go only into an open one). */
  visits: { patientId: number; consultationId: number }[];
  /** Drugs with lots (so with a stock card), random order. */
  drugIds: number[];
  /** Pending prescriptions created for the dispense scenario (per transport, filled just before its run). */
  dispensable: { patientId: number; consultationId: number }[];
}

export interface Scenario {
  key: string;
  title: string;
  /** Who does it in the app. */
  user: Username;
  write: boolean;
  /** Part of the "search/chart/list p99" target group. */
  latencyGroup?: boolean;
  /** Its own p99 target (ms), judged at light load only (the stock reports). */
  lightP99Ms?: number;
  /** The baseline serves it (dispensing has no baseline). */
  baseline: boolean;
  /** Each entry of the list is used once (dispense). */
  consumable?: boolean;
  /** Only the baseline runs it: a reference row, not a scenario of the app. */
  baselineOnly?: boolean;
  /** HTTP requests per operation, per transport (the REST chart is two requests; everything else one). */
  requestsPerOp?: Partial<Record<Transport, number>>;
  build(transport: Transport, fx: Fixtures): RequestSpec[];
}

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const get = (path: string): RequestSpec => ({ method: 'GET', path });
const post = (path: string, body: unknown): RequestSpec => ({ method: 'POST', path, body: JSON.stringify(body) });
const trpcQuery = (proc: string, input: unknown) => get(`/trpc/${proc}?input=${q(input)}`);
const api = '/api/v1';

const between = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const COMPLAINTS = [
  'Fever for three days',
  'Headache and dizziness',
  'Cough with sputum',
  'Abdominal pain',
  'Joint pain',
  'Follow-up visit',
];
const DIAGNOSES = [
  'Malaria',
  'Upper respiratory tract infection',
  'Hypertension, review',
  'Gastritis',
  'Osteoarthritis',
  'Type 2 diabetes, review',
];

function consultationBodies(fx: Fixtures) {
  const r = mulberry32(7);
  return fx.patientIds.map((patientId) => ({
    patientId,
    presentingComplaint: COMPLAINTS[between(r, 0, COMPLAINTS.length - 1)]!,
    provisionalDiagnosis: DIAGNOSES[between(r, 0, DIAGNOSES.length - 1)]!,
    plan: 'Benchmark: review in two weeks',
  }));
}

function vitalBodies(fx: Fixtures) {
  const r = mulberry32(11);
  return fx.visits.map(({ patientId, consultationId }) => {
    const systolicBp = between(r, 100, 138);
    return {
      patientId,
      consultationId,
      pulseRate: between(r, 60, 100),
      respiratoryRate: between(r, 12, 20),
      systolicBp,
      diastolicBp: between(r, 60, Math.min(88, systolicBp - 10)),
      temperature: between(r, 362, 376) / 10,
      spo2: between(r, 95, 100),
    };
  });
}

/** The target for the stock reports: p99 at light load, over a formulary of STOCK_REPORT_FORMULARY. */
export const STOCK_REPORT_P99_MS = 50;
export const STOCK_REPORT_FORMULARY = { drugs: 5_000, lots: 50_000 } as const;
/** The expiry report's horizons, 90 (its default) most often. */
const EXPIRING_DAYS = [30, 60, 90, 90, 90, 180, 365];

const withoutPatient = <T extends { patientId: number }>({ patientId: _, ...rest }: T) => rest;
const withoutVisit = <T extends { patientId: number; consultationId: number }>({ patientId: _, consultationId: __, ...rest }: T) => rest;

export const SCENARIOS: Scenario[] = [
  {
    key: 'get-patient',
    title: 'get patient by id',
    user: 'records',
    write: false,
    baseline: true,
    build: (t, fx) =>
      fx.patientIds.map((id) =>
        t === 'rest' ? get(`${api}/patients/${id}`) : t === 'trpc' ? trpcQuery('patients.get', { id }) : get(`/patients/${id}`),
      ),
  },
  {
    key: 'get-patient-bare',
    title: 'get patient, read only (no view audit)',
    user: 'records',
    write: false,
    baseline: true,
    baselineOnly: true,
    build: (_t, fx) => fx.patientIds.map((id) => get(`/patients/${id}/bare`)),
  },
  ...(
    [
      ['search-name', 'search patients by name prefix', (fx: Fixtures) => fx.namePrefixes],
      ['search-mrn', 'search patients by MRN digits (0001234, 1234)', (fx: Fixtures) => fx.mrns],
      ['search-phone', 'search patients by phone (0803 555 0101, last 7 digits)', (fx: Fixtures) => fx.phones],
    ] as const
  ).map(
    ([key, title, terms]): Scenario => ({
      key,
      title,
      user: 'records',
      write: false,
      latencyGroup: true,
      baseline: true,
      build: (t, fx) =>
        terms(fx).map((term) =>
          t === 'rest'
            ? get(`${api}/patients?q=${encodeURIComponent(term)}`)
            : t === 'trpc'
              ? trpcQuery('patients.list', { q: term })
              : get(`/patients?q=${encodeURIComponent(term)}`),
        ),
    }),
  ),
  ...(
    [
      ['chart', "patient's chart (20 consultations + latest vitals)", (fx: Fixtures) => fx.patientIds],
      ['chart-heavy', 'chart of the heavy patient (7,000 records)', (fx: Fixtures) => [fx.heavyPatientId]],
    ] as const
  ).map(
    ([key, title, ids]): Scenario => ({
      key,
      title,
      user: 'doctor',
      write: false,
      latencyGroup: true,
      baseline: true,
      requestsPerOp: { rest: 2 },
      build: (t, fx) =>
        ids(fx).flatMap((patientId) =>
          t === 'rest'
            ? [get(`${api}/patients/${patientId}/consultations?limit=20`), get(`${api}/patients/${patientId}/vitals?limit=1`)]
            : t === 'trpc'
              ? [
                  get(
                    `/trpc/consultations.list,vitals.list?batch=1&input=${q({ 0: { patientId, limit: 20 }, 1: { patientId, limit: 1 } })}`,
                  ),
                ]
              : [get(`/patients/${patientId}/chart`)],
        ),
    }),
  ),
  {
    key: 'vitals-list',
    title: "list a patient's vital signs (page of 20)",
    user: 'nurse',
    write: false,
    latencyGroup: true,
    baseline: true,
    build: (t, fx) =>
      fx.patientIds.map((patientId) =>
        t === 'rest'
          ? get(`${api}/patients/${patientId}/vitals?limit=20`)
          : t === 'trpc'
            ? trpcQuery('vitals.list', { patientId, limit: 20 })
            : get(`/patients/${patientId}/vitals?limit=20`),
      ),
  },
  {
    key: 'create-consultation',
    title: 'create a consultation',
    user: 'doctor',
    write: true,
    baseline: true,
    build: (t, fx) =>
      consultationBodies(fx).map((b) =>
        t === 'rest'
          ? post(`${api}/patients/${b.patientId}/consultations`, withoutPatient(b))
          : t === 'trpc'
            ? post('/trpc/consultations.create', b)
            : post(`/patients/${b.patientId}/consultations`, withoutPatient(b)),
      ),
  },
  {
    key: 'record-vitals',
    title: 'record vital signs in a consultation',
    user: 'nurse',
    write: true,
    baseline: true,
    build: (t, fx) =>
      vitalBodies(fx).map((b) =>
        t === 'rest'
          ? post(`${api}/patients/${b.patientId}/consultations/${b.consultationId}/vitals`, withoutVisit(b))
          : t === 'trpc'
            ? post('/trpc/vitals.create', b)
            : post(`/patients/${b.patientId}/consultations/${b.consultationId}/vitals`, withoutVisit(b)),
      ),
  },
  {
    key: 'dispense',
    title: 'dispense a prescription',
    user: 'pharmacist',
    write: true,
    baseline: false,
    consumable: true,
    build: (t, fx) =>
      fx.dispensable.map(({ patientId, consultationId }) =>
        t === 'rest'
          ? post(`${api}/patients/${patientId}/consultations/${consultationId}/prescription/dispense`, {})
          : post('/trpc/prescriptions.dispense', { patientId, consultationId }),
      ),
  },
  ...(
    [
      [
        'lots-expiring',
        'lots expiring within 30–365 days, over all drugs (first page)',
        'expiringLots',
        () => EXPIRING_DAYS.map((days) => [{ days }, `/drugs/reports/expiring?days=${days}`]),
      ],
      ['lots-expired', 'expired lots still on hand, over all drugs (first page)', 'expiredLots', () => [[{}, '/drugs/reports/expired']]],
      [
        'stock-card',
        "a drug's stock card (newest 20 movements)",
        'stockCard',
        (fx: Fixtures) => fx.drugIds.map((drugId) => [{ drugId }, `/drugs/${drugId}/stock-card`]),
      ],
    ] as const satisfies readonly (readonly [string, string, string, (fx: Fixtures) => [object, string][]])[]
  ).map(
    ([key, title, proc, requests]): Scenario => ({
      key,
      title,
      user: 'pharmacist',
      write: false,
      lightP99Ms: STOCK_REPORT_P99_MS,
      baseline: false,
      build: (t, fx) => requests(fx).map(([input, path]) => (t === 'trpc' ? trpcQuery(`drugs.${proc}`, input) : get(`${api}${path}`))),
    }),
  ),
  {
    key: 'stats',
    title: 'stats (record counts)',
    user: 'admin',
    write: false,
    baseline: true,
    build: (t) => [t === 'rest' ? get(`${api}/stats`) : t === 'trpc' ? get('/trpc/system.stats') : get('/stats')],
  },
];

export const requestsPerOp = (s: Scenario, t: Transport) => s.requestsPerOp?.[t] ?? 1;

/**
 * Whether one response is the right answer (checked once per scenario before the load): a 2xx with the body the
 * transport promises. Returns what is wrong, or null.
 */
export function checkResponse(s: Scenario, t: Transport, status: number, body: unknown): string | null {
  if (status < 200 || status >= 300) return `status ${status}: ${JSON.stringify(body).slice(0, 300)}`;
  if (t === 'trpc') {
    const ok = (b: unknown) => typeof b === 'object' && b !== null && 'result' in b;
    if (s.key.startsWith('chart'))
      return Array.isArray(body) && body.length === 2 && body.every(ok)
        ? null
        : `not a 2-item tRPC batch: ${JSON.stringify(body).slice(0, 300)}`;
    return ok(body) ? null : `not a tRPC result: ${JSON.stringify(body).slice(0, 300)}`;
  }
  return typeof body === 'object' && body !== null ? null : `not a JSON object: ${String(body).slice(0, 300)}`;
}
