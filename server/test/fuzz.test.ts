/**
 * The generated bad-input test (issue 11; decision 017). Every REST operation of the OpenAPI document (and the auth
 * routes at /auth) and every tRPC procedure of the router — queries by GET, mutations by POST, alone and batched — is
 * sent generated inputs: a valid input with one field broken (wrong type, missing, extra, huge, control characters,
 * numbers at INT/BIGINT limits, NaN-ish text, impossible dates, unknown enum values, deep nesting, bad cursors), valid
 * borderline inputs, garbage, malformed JSON and the wrong content type, bad path parameters and query strings, the
 * wrong method; mostly as a caller allowed to make the call (so validation answers, not 403), sometimes as another
 * role, nobody, an API token or a broken one. First one case per target, then cases drawn at random.
 *
 * Each answer: no 5xx; errors in their transport's shape (checks.ts). After every case the checked tables are
 * checksummed (world.ts says which, and why audit_events, sessions and login_failures are not): a refused write
 * must leave them as they were. A tRPC batch in which some calls succeeded has its refused mutations sent again
 * alone, each checked on its own. A checksum of all of them costs about a millisecond, so every write is followed by
 * one rather than checking in batches.
 *
 * HMIS_FUZZ_CASES (default 5000) and HMIS_FUZZ_SEED (default: random, printed) set the run; the same seed sends the
 * same requests (`npm run fuzz` sends 50,000).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestEnv, patientInput, type TestEnv } from './helpers';
import { judge } from './fuzz/checks';
import { caseArb, targetCaseArb, trpcRequest, type FuzzCase, type FuzzRequest } from './fuzz/requests';
import { allTargets, probeCallers, type OpenApiDocument, type Target } from './fuzz/targets';
import { World } from './fuzz/world';

// Test knobs, read here only (the server's own settings are in src/env.ts).
const settings = z
  .object({ HMIS_FUZZ_SEED: z.coerce.number().int().optional(), HMIS_FUZZ_CASES: z.coerce.number().int().positive().default(5000) })
  .parse({ HMIS_FUZZ_SEED: process.env.HMIS_FUZZ_SEED || undefined, HMIS_FUZZ_CASES: process.env.HMIS_FUZZ_CASES || undefined });
const seed = settings.HMIS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31);
const total = settings.HMIS_FUZZ_CASES;
console.log(`fuzz seed ${seed} — replay with HMIS_FUZZ_SEED=${seed}`);

/** Fixtures are made anew this often: requests delete, lock and dispense the ones they are given. */
const RENEW_EVERY = 500;
/** Cases are generated this many at a time (large strings are not all held at once). */
const CHUNK = 250;

interface Finding {
  index: number;
  request: string;
  detail: string;
}

const found = { fiveXx: [] as Finding[], shape: [] as Finding[], changedOnRefusal: [] as Finding[] };
const tally = {
  cases: 0,
  rest: 0,
  trpc: 0,
  batches: 0,
  refusedWrites: 0,
  resent: 0,
  writesSeen: 0,
  statuses: new Map<number, number>(),
  modes: new Map<string, number>(),
};
const covered = new Set<string>();
let targets: Target[] = [];
let env: TestEnv;
let world: World;
let seconds = 0;
let setupSeconds = 0;
let readsSinceCheck = 0;

const targetKey = (t: Target) => (t.transport === 'rest' ? `${t.method} ${t.path}` : `trpc ${t.procedure}`);
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const cut = (text: string | undefined, n = 300) =>
  text === undefined ? '' : text.length > n ? `${text.slice(0, n)}… (${text.length} chars)` : text;
const who = (auth: FuzzRequest['auth']) =>
  auth.kind === 'session'
    ? auth.caller
    : auth.kind === 'noCsrf'
      ? `${auth.caller} without CSRF token`
      : auth.kind === 'token'
        ? `${auth.role}'s ${auth.scope} token`
        : `Authorization: ${cut(auth.value, 40)}`;

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t]);
}

/**
 * Sends one request and judges the answer. After a write the checked tables are checksummed and compared with
 * `before`; reads are not followed by a checksum (they are not meant to change the tables, and one that did would
 * show as a change on the next refused write, which names how many reads came between).
 */
async function sendAndJudge(index: number, c: Pick<FuzzCase, 'request' | 'calls' | 'targets'>, before: Record<string, string>) {
  const group = world.groups[c.request.group]!;
  const { url, body } = await world.render(c.request, group);
  const res = await world.send(c.request, url, body);
  bump(tally.statuses, res.statusCode);
  const verdict = judge(c.request.method, url, res.statusCode, res.contentType, res.body, c.calls?.length ?? 1);
  const type = body !== undefined && c.request.contentType !== undefined ? ` (${c.request.contentType ?? 'no content type'})` : '';
  const request = `#${index} ${c.request.method} ${cut(url)} as ${who(c.request.auth)}${body === undefined ? '' : ` body ${cut(body)}${type}`} → ${res.statusCode} ${cut(res.body)}`;
  const logged = world.serverErrors.splice(0);
  if (res.statusCode >= 500) found.fiveXx.push({ index, request, detail: [...verdict.problems, ...logged].join('; ') });
  else if (verdict.problems.length) found.shape.push({ index, request, detail: verdict.problems.join('; ') });
  const writes = c.request.method !== 'GET' || c.targets.some((t) => t.type === 'mutation');
  if (!writes) {
    readsSinceCheck++;
    return { verdict, after: before };
  }
  const after = await world.tableState();
  const changed = changedTables(before, after);
  if (verdict.refused.every(Boolean)) {
    tally.refusedWrites++;
    const reads = readsSinceCheck ? ` (${readsSinceCheck} reads since the previous check)` : '';
    if (changed.length) found.changedOnRefusal.push({ index, request, detail: `changed ${changed.join(', ')}${reads}` });
  } else if (changed.length) tally.writesSeen++;
  readsSinceCheck = 0;
  return { verdict, after };
}

async function runCase(index: number, c: FuzzCase, before: Record<string, string>): Promise<Record<string, string>> {
  tally.cases++;
  if (c.transport === 'rest') tally.rest++;
  else tally.trpc++;
  if ((c.calls?.length ?? 1) > 1) tally.batches++;
  bump(tally.modes, c.mode);
  for (const t of c.targets) covered.add(targetKey(t));
  let { verdict, after } = await sendAndJudge(index, c, before);

  // A batch in which some calls succeeded: its refused mutations are sent again alone, each checked on its own.
  if (c.calls && verdict.refused.some(Boolean) && !verdict.refused.every(Boolean)) {
    for (const [i, call] of c.calls.entries()) {
      if (!verdict.refused[i] || call.type !== 'mutation') continue;
      tally.resent++;
      const alone = {
        request: trpcRequest([call], false, c.request.auth, c.request.remoteAddress, c.request.group),
        calls: [call],
        targets: [c.targets[i]!],
      };
      ({ after } = await sendAndJudge(index, alone, after));
    }
  }
  // A signed-in caller told it is not signed in: the request (or an earlier one) ended its session.
  if (
    verdict.unauthenticated &&
    !(c.request.auth.kind === 'session' && c.request.auth.caller === 'anonymous') &&
    c.request.auth.kind !== 'header'
  ) {
    await world.repair(c.request.auth);
    after = await world.tableState();
  }
  return after;
}

beforeAll(
  async () => {
    const started = performance.now();
    env = await createTestEnv();
    world = new World(env);
    await world.setUp();
    const served = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<OpenApiDocument>();
    targets = allTargets(served, await probeCallers(env));
    setupSeconds = (performance.now() - started) / 1000;
    const anyCase = caseArb(targets, world.accounts);
    let state = await world.tableState();
    // Never fewer cases than targets: the first pass calls each once.
    const count = Math.max(total, targets.length);
    for (let start = 0; start < count; start += CHUNK) {
      if (start > 0 && start % RENEW_EVERY === 0) {
        await world.renewFixtures();
        state = await world.tableState();
      }
      const n = Math.min(CHUNK, count - start);
      const cases = fc.sample(anyCase, { seed: (seed + start) | 0, numRuns: n });
      for (const [j, random] of cases.entries()) {
        const index = start + j;
        // First one case per target, so every route and procedure is called however few cases are asked for.
        const c =
          index < targets.length
            ? fc.sample(targetCaseArb(targets[index]!, targets, world.accounts), { seed: (seed + index) | 0, numRuns: 1 })[0]!
            : random;
        state = await runCase(index, c, state);
      }
    }
    seconds = (performance.now() - started) / 1000;
    const changed = found.changedOnRefusal.length;
    console.log(
      `fuzz: ${tally.cases} cases (REST ${tally.rest}, tRPC ${tally.trpc} of which ${tally.batches} batches) in ${seconds.toFixed(1)} s; ` +
        `5xx: ${found.fiveXx.length}; refused writes: ${tally.refusedWrites} (${tally.resent} re-sent from batches), that changed data: ${changed}; ` +
        `successful writes that changed data: ${tally.writesSeen}; ` +
        `wrong error shape: ${found.shape.length}; seed ${seed} (setup ${setupSeconds.toFixed(1)} s)`,
    );
    console.log(
      `fuzz statuses: ${[...tally.statuses]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}; modes: ${[...tally.modes].map(([m, n]) => `${m}×${n}`).join(' ')}`,
    );
  },
  Math.max(300_000, total * 40),
);

afterAll(async () => env?.close());

/** The findings as lines a person can replay: seed, case number, request, answer. */
const report = (list: Finding[]) =>
  list
    .slice(0, 20)
    .map((f) => `${f.request}\n    ${f.detail}`)
    .concat(list.length > 20 ? [`… and ${list.length - 20} more`] : []);
const replay = `(seed ${seed}: replay with HMIS_FUZZ_SEED=${seed} HMIS_FUZZ_CASES=${total})`;

describe('generated bad input', () => {
  it(`sends at least ${total} cases, calling every REST route and tRPC procedure`, () => {
    expect(tally.cases).toBeGreaterThanOrEqual(total);
    expect(targets.filter((t) => !covered.has(targetKey(t))).map(targetKey)).toEqual([]);
    expect(targets.filter((t) => t.transport === 'trpc').length).toBeGreaterThan(60);
  });

  it('no answer is a 5xx', () => {
    expect(report(found.fiveXx), replay).toEqual([]);
  });

  it('every error is in the shape of its transport: { code, message, fields? } under /api, the tRPC envelope under /trpc', () => {
    expect(report(found.shape), replay).toEqual([]);
  });

  it('no refused write changed the checked tables', () => {
    expect(tally.refusedWrites).toBeGreaterThan(total / 10);
    // The checksums do see changes: successful writes changed them.
    expect(tally.writesSeen).toBeGreaterThan(0);
    expect(report(found.changedOnRefusal), replay).toEqual([]);
  });
});

describe('found by the generated test', () => {
  it('a clinical text of 20,000 emoji (too many bytes for its column) is refused with 400 naming the field, not a 500', async () => {
    await world.repair({ kind: 'session', caller: 'nurse' }); // a signed-in nurse, whatever the cases did to the account
    const nurse = world.sessions.get('nurse')!;
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/patients/${world.groups[0]!.patient}/nursenotes`,
      headers: { cookie: nurse.cookie, 'x-csrf-token': nurse.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({ note: '😀'.repeat(20_000) }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION', fields: [{ path: 'note' }] });
  });

  it('half an emoji (a lone surrogate) in a changed text is stored, not a 500 on writing its audit row', async () => {
    await world.repair({ kind: 'session', caller: 'recordofficer' });
    const records = world.sessions.get('recordofficer')!;
    const send = (method: 'POST' | 'PUT', url: string, body: unknown) =>
      env.app.inject({
        method,
        url,
        headers: { cookie: records.cookie, 'x-csrf-token': records.csrf, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const patient = (await send('POST', '/api/v1/patients', patientInput())).json<{ id: number; version: number }>();
    const res = await send('PUT', `/api/v1/patients/${patient.id}`, { version: patient.version, otherNames: 'Ann \ud83d' });
    expect(res.statusCode, res.body).toBe(200);
  });
});
