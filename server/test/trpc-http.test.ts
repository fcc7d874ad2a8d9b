/**
 * /trpc answers plain queries and mutations itself (server/src/trpc/http.ts) and leaves the rest to tRPC's own
 * Fastify handler. The same requests are sent to the app and to a reference server running tRPC's handler for every
 * request, over the same database and sessions: status, content type and body must be the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyRequest, type InjectOptions } from 'fastify';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { sessionPlugin } from '../src/plugins/session';
import { contextForRequest } from '../src/trpc/context';
import { appRouter } from '../src/trpc/router';
import { createTestEnv, loggedIn, patientInput, type TestEnv, type TrpcClient } from './helpers';

let env: TestEnv;
let reference: FastifyInstance;
let doctor: TrpcClient;
let patientId: number;

beforeAll(async () => {
  env = await createTestEnv();
  reference = Fastify({ logger: false });
  await reference.register(sessionPlugin, {
    db: env.database.db,
    secret: env.sessionSecret,
    secureCookies: false,
    csrfExempt: () => false,
  });
  await reference.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }: { req: FastifyRequest }) => contextForRequest({ db: env.database.db, clock: env.clock }, req),
    },
  });
  const records = await loggedIn(env, 'records');
  patientId = (await records.mutate<{ id: number }>('patients.create', patientInput())).data.id;
  doctor = await loggedIn(env, 'doctor');
  await doctor.mutate('consultations.create', { patientId, presentingComplaint: 'Cough', provisionalDiagnosis: 'URTI' });
});
afterAll(async () => {
  await reference?.close();
  await env?.close();
});

interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  url: string;
  body?: string;
  headers?: Record<string, string>;
  signedIn?: boolean;
}

async function both(req: Req) {
  const send = (app: FastifyInstance) =>
    app.inject({
      method: req.method,
      url: req.url,
      headers: {
        ...(req.signedIn === false ? {} : { cookie: doctor.cookie!, 'x-csrf-token': doctor.csrfToken! }),
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...req.headers,
      },
      ...(req.body !== undefined ? { payload: req.body } : {}),
    });
  const [ours, theirs] = [await send(env.app), await send(reference)];
  const parse = (text: string) => (text ? JSON.parse(text) : text);
  return {
    ours: { status: ours.statusCode, type: ours.headers['content-type'], body: parse(ours.body) },
    theirs: { status: theirs.statusCode, type: theirs.headers['content-type'], body: parse(theirs.body) },
  };
}

const q = (v: unknown) => encodeURIComponent(JSON.stringify(v));

describe('/trpc answers exactly as tRPC’s own handler', () => {
  const reads: [string, () => Req, number][] = [
    ['a query', () => ({ method: 'GET', url: `/trpc/patients.get?input=${q({ id: patientId })}` }), 200],
    ['a query with no input', () => ({ method: 'GET', url: '/trpc/auth.me' }), 200],
    ['a query of a missing record (404)', () => ({ method: 'GET', url: `/trpc/patients.get?input=${q({ id: 999_999_999 })}` }), 404],
    ['a query with an invalid input (400)', () => ({ method: 'GET', url: `/trpc/patients.get?input=${q({ id: 'abc' })}` }), 400],
    [
      'a query without a session (401)',
      () => ({ method: 'GET', url: `/trpc/patients.get?input=${q({ id: patientId })}`, signedIn: false }),
      401,
    ],
    ['a query the role may not make (403)', () => ({ method: 'GET', url: `/trpc/audit.list?input=${q({ patientId })}` }), 403],
    [
      'a batch of two queries',
      () => ({
        method: 'GET',
        url: `/trpc/consultations.list,vitals.list?batch=1&input=${q({ 0: { patientId, limit: 20 }, 1: { patientId, limit: 1 } })}`,
      }),
      200,
    ],
    [
      'a batch with one failing call (207)',
      () => ({
        method: 'GET',
        url: `/trpc/patients.get,patients.get?batch=1&input=${q({ 0: { id: patientId }, 1: { id: 999_999_999 } })}`,
      }),
      207,
    ],
    [
      'a batch whose calls all fail alike (404)',
      () => ({
        method: 'GET',
        url: `/trpc/patients.get,patients.get?batch=1&input=${q({ 0: { id: 999_999_998 }, 1: { id: 999_999_999 } })}`,
      }),
      404,
    ],
    ['a batch without input', () => ({ method: 'GET', url: '/trpc/auth.me,auth.csrf?batch=1' }), 200],
    [
      'a mutation with an invalid body (400)',
      () => ({ method: 'POST', url: '/trpc/consultations.create', body: JSON.stringify({ patientId: 'x' }) }),
      400,
    ],
    [
      'a batched mutation with an invalid body (400)',
      () => ({
        method: 'POST',
        url: '/trpc/consultations.create?batch=1',
        body: JSON.stringify({ 0: { patientId, presentingComplaint: 7 } }),
      }),
      400,
    ],
    [
      'a mutation the role may not make (403)',
      () => ({ method: 'POST', url: '/trpc/patients.create', body: JSON.stringify(patientInput()) }),
      403,
    ],
    // A write without its CSRF token is refused before tRPC runs: see "errors raised before any procedure runs" below.
    // Left to tRPC's handler:
    ['an unknown procedure (404)', () => ({ method: 'GET', url: '/trpc/patients.nope' }), 404],
    ['a mutation called by GET (405)', () => ({ method: 'GET', url: `/trpc/consultations.create?input=${q({ patientId })}` }), 405],
    ['a query called by POST (405)', () => ({ method: 'POST', url: '/trpc/patients.get', body: JSON.stringify({ id: patientId }) }), 405],
    ['malformed input JSON (400)', () => ({ method: 'GET', url: '/trpc/patients.get?input=%7Bnot-json' }), 400],
    ['malformed body JSON (400)', () => ({ method: 'POST', url: '/trpc/consultations.create', body: '{"patientId":' }), 400],
    ['a batch input that is not an object (400)', () => ({ method: 'GET', url: `/trpc/patients.get?batch=1&input=${q([1])}` }), 400],
    [
      'a body that is not JSON (415)',
      () => ({
        method: 'POST',
        url: '/trpc/consultations.create',
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    ],
    ['PUT without a body (415)', () => ({ method: 'PUT', url: `/trpc/patients.get?input=${q({ id: patientId })}` }), 415],
  ];

  it.each(reads)('%s', async (_name, make, status) => {
    const { ours, theirs } = await both(make());
    expect(ours.status).toBe(status);
    expect(ours).toEqual(theirs);
  });

  it('a successful mutation: same status and envelope, one record written per request', async () => {
    const input = { patientId, presentingComplaint: 'Fever', provisionalDiagnosis: 'Malaria' };
    const { ours, theirs } = await both({ method: 'POST', url: '/trpc/consultations.create', body: JSON.stringify(input) });
    expect([ours.status, theirs.status]).toEqual([200, 200]);
    expect(ours.type).toBe(theirs.type);
    expect(Object.keys(ours.body.result.data).sort()).toEqual(Object.keys(theirs.body.result.data).sort());
    expect(ours.body.result.data).toMatchObject({ patientId, presentingComplaint: 'Fever' });
    expect(ours.body.result.data.id).not.toBe(theirs.body.result.data.id);
  });

  it('a batched mutation answers as an array', async () => {
    const body = JSON.stringify({ 0: { patientId, presentingComplaint: 'Rash', provisionalDiagnosis: 'Eczema' } });
    const { ours, theirs } = await both({ method: 'POST', url: '/trpc/consultations.create?batch=1', body });
    expect([ours.status, theirs.status]).toEqual([200, 200]);
    expect(Array.isArray(ours.body) && Array.isArray(theirs.body)).toBe(true);
    expect(ours.body[0].result.data).toMatchObject({ patientId, presentingComplaint: 'Rash' });
  });
});

describe('batch size limit (issue 11, finding 10)', () => {
  const batchOf = async (n: number) => {
    const records = await loggedIn(env, 'records');
    const inputs = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [i, patientInput({ lastName: `Batchlimit${'x'.repeat(i % 5)}` })]),
    );
    return env.app.inject({
      method: 'POST',
      url: `/trpc/${Array.from({ length: n }, () => 'patients.create').join(',')}?batch=1`,
      headers: { 'content-type': 'application/json', cookie: records.cookie!, 'x-csrf-token': records.csrfToken! },
      payload: JSON.stringify(inputs),
    });
  };
  const count = async () => (await (await loggedIn(env, 'admin')).query<{ patients: number }>('system.stats')).data.patients;

  it("refuses a batch of more than 20 calls with 400 in tRPC's envelope and creates nothing", async () => {
    const before = await count();
    const res = await batchOf(21);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toMatch(/Batch call exceeds maximum size/);
    expect(await count()).toBe(before);
  });

  it('answers a batch of 20', async () => {
    const before = await count();
    const res = await batchOf(20);
    expect(res.statusCode).toBe(200);
    expect(await count()).toBe(before + 20);
  });
});

describe("errors raised before any procedure runs answer in tRPC's envelope under /trpc (issue 11, finding 11)", () => {
  type Envelope = { error: { message: string; code: number; data: { code: string; httpStatus: number } } };
  const signedIn = () => ({ cookie: doctor.cookie!, 'x-csrf-token': doctor.csrfToken!, 'content-type': 'application/json' });
  const cases: [string, () => InjectOptions, number, string][] = [
    [
      'a body past the size limit',
      () => ({ method: 'POST', url: '/trpc/patients.create', headers: signedIn(), payload: JSON.stringify({ x: 'y'.repeat(1_100_000) }) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a cookie write without the CSRF token',
      () => ({
        method: 'POST',
        url: '/trpc/patients.create',
        headers: { cookie: doctor.cookie!, 'content-type': 'application/json' },
        payload: '{}',
      }),
      403,
      'CSRF',
    ],
    [
      'a cookie write with a wrong CSRF token',
      () => ({
        method: 'POST',
        url: '/trpc/consultations.create',
        headers: { ...signedIn(), 'x-csrf-token': 'wrong' },
        payload: JSON.stringify({ patientId }),
      }),
      403,
      'CSRF',
    ],
    ['an address that is not valid percent-encoding', () => ({ method: 'GET', url: '/trpc/%E0%A4%A' }), 400, 'VALIDATION'],
  ];

  it.each(cases)('%s', async (_name, request, status, code) => {
    const res = await env.app.inject(request());
    expect(res.statusCode).toBe(status);
    const body = res.json() as Envelope;
    expect(body.error).toMatchObject({ message: expect.any(String), code: expect.any(Number), data: { code, httpStatus: status } });
    expect(body).not.toHaveProperty('code');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the same refusals under /api keep the REST shape { code, message }', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: { cookie: doctor.cookie!, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CSRF', message: expect.any(String) });
    expect(res.json()).not.toHaveProperty('error');
  });
});
