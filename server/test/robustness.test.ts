/**
 * Never a 500 for anything a client can send: every REST route with a body gets each of its fields replaced by
 * values of the wrong kind, as a role that may call it. Every answer must be a 2xx or a 4xx with the error body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@hmis/shared';
import { API_ROUTES } from '../src/rest/routes';
import { createTestEnv, drugInput, patientInput, type TestEnv } from './helpers';
import { RestClient, restLoggedIn } from './rest-helpers';

let env: TestEnv;
const as = {} as Record<Role, RestClient>;
let doc: {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } }>
  >;
};
const ids: Record<string, number> = {};

/** Who may call each write (the role the permission table allows). */
const ROLE_FOR: Record<string, Role> = {
  patients: 'recordofficer',
  consultations: 'doctor',
  prescriptions: 'doctor',
  vitals: 'nurse',
  nurseNotes: 'nurse',
  drugs: 'pharmacist',
  staff: 'admin',
  dispense: 'pharmacist',
};

beforeAll(async () => {
  env = await createTestEnv();
  for (const role of ['admin', 'doctor', 'nurse', 'pharmacist', 'recordofficer'] as Role[])
    as[role] = await restLoggedIn(env.app, env.staff[role].username);
  doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  ids.patientId = (await as.recordofficer.post('/api/v1/patients', patientInput())).body.id;
  ids.consultationId = (await as.doctor.post(`/api/v1/patients/${ids.patientId}/consultations`, { provisionalDiagnosis: 'x' })).body.id;
  ids.drugId = (await as.pharmacist.post('/api/v1/drugs', drugInput())).body.id;
  ids.vitalId = (
    await as.nurse.post(`/api/v1/patients/${ids.patientId}/consultations/${ids.consultationId}/vitals`, { pulseRate: 70 })
  ).body.id;
  ids.nursenoteId = (await as.nurse.post(`/api/v1/patients/${ids.patientId}/nursenotes`, { note: 'ok' })).body.id;
  ids.staffId = env.nurse2.id;
  ids.id = 1;
});
afterAll(async () => env?.close());

const BAD_VALUES: unknown[] = [null, [], { nested: true }, 'x'.repeat(5000), -1, 1e308, true, '2024-02-30', '<script>'];

const writes = API_ROUTES.filter((r) => r.method === 'POST' || r.method === 'PUT');

describe('no 500 for any body a client can send', () => {
  it.each(writes.map((r) => [r.method, r.path, r.procedure] as const))('%s %s', async (method, path, procedure) => {
    const url = `/api/v1${path.replace(/\{(\w+)\}/g, (_m, name: string) => String(ids[name] ?? 1))}`;
    const role = ROLE_FOR[procedure.endsWith('dispense') ? 'dispense' : procedure.split('.')[0]!] ?? 'admin';
    const schema = doc.paths[`/api/v1${path}`]?.[method.toLowerCase()]?.requestBody?.content['application/json'].schema;
    const fields = Object.keys(schema?.properties ?? {});
    const bodies: unknown[] = ['not json at all', [1, 2], {}, ...fields.flatMap((f) => BAD_VALUES.map((v) => ({ [f]: v })))];
    for (const body of bodies) {
      const res = await as[role].call(method as 'POST', url, typeof body === 'string' ? body : body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(res.body).slice(0, 200)}`).toBeLessThan(
        500,
      );
      if (res.status >= 400) expect(res.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('a query string of the wrong kind is a 400, not a 500', async () => {
    for (const qs of ['limit=abc', 'limit=1&limit=2', 'cursor=%%%', 'q=' + 'x'.repeat(500), 'patientId=-5', 'status=bogus']) {
      for (const url of ['/api/v1/patients', '/api/v1/drugs', '/api/v1/prescriptions', '/api/v1/audit']) {
        const role: Role = url.includes('audit')
          ? 'admin'
          : url.includes('drugs') || url.includes('prescriptions')
            ? 'pharmacist'
            : 'recordofficer';
        const res = await as[role].get(`${url}?${qs}`);
        expect(res.status, `${url}?${qs}`).toBeLessThan(500);
      }
    }
  });

  it('tRPC input that is not JSON is a 400', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/trpc/patients.list?input=%7Bnot-json',
      headers: { cookie: as.recordofficer.cookie! },
    });
    expect(res.statusCode).toBe(400);
  });
});
