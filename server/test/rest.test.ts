/** The REST transport: every path of the specification, its OpenAPI document, auth, CSRF, tokens and error shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { and, desc, eq } from 'drizzle-orm';
import { buildApp } from '../src/app';
import { auditEvents } from '../src/db/schema';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Role } from '@hmis/shared';
import { API_ROUTES, AUTH_ROUTES } from '../src/rest/routes';
import { procedureDef } from '../src/trpc/introspect';
import { appRouter } from '../src/trpc/router';
import { createTestEnv, drugInput, HOUR, PASSWORD, patientInput, type TestEnv } from './helpers';
import { RestClient, restLoggedIn } from './rest-helpers';

let env: TestEnv;
const as = {} as Record<Role, RestClient>;
const f = { patient: 0, consultation: 0, line: 0, vital: 0, note: 0, drug: 0 };

beforeAll(async () => {
  env = await createTestEnv();
  for (const role of ['admin', 'doctor', 'nurse', 'pharmacist', 'recordofficer'] as Role[])
    as[role] = await restLoggedIn(env.app, env.staff[role].username);
  f.patient = (await as.recordofficer.post('/api/v1/patients', patientInput())).body.id;
  f.drug = (await as.pharmacist.post('/api/v1/drugs', drugInput({ stockOnHand: 1000 }))).body.id;
  f.consultation = (await as.doctor.post(`/api/v1/patients/${f.patient}/consultations`, { provisionalDiagnosis: 'Malaria' })).body.id;
  const rx = await as.doctor.post(`/api/v1/patients/${f.patient}/consultations/${f.consultation}/prescription`, {
    lines: [{ drugId: f.drug, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity: 10 }],
  });
  f.line = rx.body.lines[0].id;
  f.vital = (await as.nurse.post(`/api/v1/patients/${f.patient}/consultations/${f.consultation}/vitals`, { pulseRate: 80 })).body.id;
  f.note = (await as.nurse.post(`/api/v1/patients/${f.patient}/nursenotes`, { note: 'Settled' })).body.id;
});
afterAll(async () => env?.close());

/** The issue's list of paths, as [method, path template, who calls it]. */
const SPEC: [string, string, Role | null][] = [
  ['GET', '/status', null],
  ['GET', '/stats', 'doctor'],
  ['GET', '/patients', 'recordofficer'],
  ['POST', '/patients', 'recordofficer'],
  ['GET', '/patients/{patient_id}', 'recordofficer'],
  ['PUT', '/patients/{patient_id}', 'recordofficer'],
  ['DELETE', '/patients/{patient_id}', 'recordofficer'],
  ['GET', '/patients/{patient_id}/consultations', 'doctor'],
  ['POST', '/patients/{patient_id}/consultations', 'doctor'],
  ['GET', '/patients/{patient_id}/consultations/{consultation_id}', 'doctor'],
  ['PUT', '/patients/{patient_id}/consultations/{consultation_id}', 'doctor'],
  ['DELETE', '/patients/{patient_id}/consultations/{consultation_id}', 'doctor'],
  ['GET', '/patients/{patient_id}/consultations/{consultation_id}/prescription', 'pharmacist'],
  ['POST', '/patients/{patient_id}/consultations/{consultation_id}/prescription', 'doctor'],
  ['PUT', '/patients/{patient_id}/consultations/{consultation_id}/prescription', 'doctor'],
  ['DELETE', '/patients/{patient_id}/consultations/{consultation_id}/prescription', 'doctor'],
  ['POST', '/patients/{patient_id}/consultations/{consultation_id}/prescription/drugs', 'doctor'],
  ['PUT', '/patients/{patient_id}/consultations/{consultation_id}/prescription/drugs/{id}', 'doctor'],
  ['DELETE', '/patients/{patient_id}/consultations/{consultation_id}/prescription/drugs/{id}', 'doctor'],
  ['POST', '/patients/{patient_id}/consultations/{consultation_id}/prescription/dispense', 'pharmacist'],
  ['GET', '/patients/{patient_id}/consultations/{consultation_id}/vitals', 'nurse'],
  ['POST', '/patients/{patient_id}/consultations/{consultation_id}/vitals', 'nurse'],
  ['GET', '/patients/{patient_id}/consultations/{consultation_id}/vitals/{vital_id}', 'nurse'],
  ['PUT', '/patients/{patient_id}/consultations/{consultation_id}/vitals/{vital_id}', 'nurse'],
  ['DELETE', '/patients/{patient_id}/consultations/{consultation_id}/vitals/{vital_id}', 'nurse'],
  ['GET', '/patients/{patient_id}/vitals', 'doctor'],
  ['GET', '/patients/{patient_id}/nursenotes', 'doctor'],
  ['POST', '/patients/{patient_id}/nursenotes', 'nurse'],
  ['GET', '/patients/{patient_id}/nursenotes/{nursenote_id}', 'nurse'],
  ['PUT', '/patients/{patient_id}/nursenotes/{nursenote_id}', 'nurse'],
  ['DELETE', '/patients/{patient_id}/nursenotes/{nursenote_id}', 'nurse'],
  ['GET', '/staffs', 'nurse'],
  ['GET', '/staffs/{staff_id}', 'admin'],
  ['PUT', '/staffs/{staff_id}', 'admin'],
  ['DELETE', '/staffs/{staff_id}', 'admin'],
  ...(['doctors', 'nurses', 'pharmacists', 'recordofficers', 'admins'] as const).flatMap((p) => [
    ['GET', `/staffs/${p}`, 'nurse'] as [string, string, Role],
    ['POST', `/staffs/${p}`, 'admin'] as [string, string, Role],
  ]),
  ['GET', '/staffs/doctors/{staff_id}/consultations', 'admin'],
  ['GET', '/staffs/doctors/{staff_id}/prescriptions', 'admin'],
  ['GET', '/staffs/nurses/{staff_id}/vitals', 'admin'],
  ['GET', '/staffs/pharmacists/{staff_id}/prescriptions', 'admin'],
  ['GET', '/prescriptions?status=pending', 'pharmacist'],
  ['GET', '/drugs', 'pharmacist'],
  ['POST', '/drugs', 'pharmacist'],
  ['GET', '/drugs/{drug_id}', 'doctor'],
  ['PUT', '/drugs/{drug_id}', 'pharmacist'],
  ['GET', '/audit?patient_id', 'admin'],
  ['POST', '/auth/login', null],
  ['GET', '/auth/isauthenticated', null],
  ['GET', '/auth/csrf', 'doctor'],
  ['GET', '/auth/logout', null],
  ['POST', '/auth/logout', null],
];

const toTemplate = (p: string) =>
  p
    .split('?')[0]!
    .replace('{patient_id}', '{patientId}')
    .replace('{consultation_id}', '{consultationId}')
    .replace('{vital_id}', '{vitalId}')
    .replace('{nursenote_id}', '{nursenoteId}')
    .replace('{staff_id}', '{staffId}')
    .replace('{drug_id}', '{drugId}');

function concrete(p: string): string {
  return p
    .replace('{patient_id}', String(999_999))
    .replace('{consultation_id}', String(999_998))
    .replace('{vital_id}', '999997')
    .replace('{nursenote_id}', '999996')
    .replace('{staff_id}', '999994')
    .replace('{drug_id}', String(f.drug))
    .replace('{id}', '999995')
    .replace('?patient_id', `?patientId=${f.patient}`);
}

describe('every path of the specification', () => {
  it.each(SPEC)('%s %s is in the OpenAPI document', async (method, p) => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths[`/api/v1${toTemplate(p)}`]?.[method.toLowerCase()], `${method} ${p}`).toBeDefined();
  });

  it.each(SPEC)('%s %s is routed to its procedure and never answers 5xx', async (method, p, role) => {
    const client = role ? await restLoggedIn(env.app, env.staff[role].username) : new RestClient(env.app);
    const res = await client.call(method as 'GET', `/api/v1${concrete(p)}`, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(res.status).toBeLessThan(500);
    expect(String(res.body?.message ?? '')).not.toMatch(/^No route/);
    if (res.status >= 400) expect(res.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('every protected path without credentials', () => {
  const PUBLIC = new Set(['GET /status', 'POST /auth/login', 'GET /auth/isauthenticated', 'GET /auth/logout', 'POST /auth/logout']);
  it.each(SPEC.filter(([m, p]) => !PUBLIC.has(`${m} ${p}`)))('%s %s → 401 with the error body', async (method, p) => {
    const res = await new RestClient(env.app).call(
      method as 'GET',
      `/api/v1${concrete(p)}`,
      method === 'GET' || method === 'DELETE' ? undefined : {},
    );
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
  });
});

describe('OpenAPI document and docs page', () => {
  it('validates as OpenAPI 3.1', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('declares both security schemes and error responses', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'cookieAuth']);
    const post = doc.paths['/api/v1/patients'].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'gender', 'dob']),
    );
    expect(JSON.stringify(doc)).not.toMatch(/passwordHash/);
  });

  it("publishes a drug's ATC codes in the drug schemas", async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const post = doc.paths['/api/v1/drugs'].post;
    const input = post.requestBody.content['application/json'].schema.properties.atcCodes;
    expect(input.type).toBe('array');
    expect(input.items.pattern).toBeDefined();
    expect(JSON.stringify(post.responses['201'])).toContain('atcCodes');
  });

  it('serves an interactive docs page with its assets', async () => {
    const page = await env.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    for (const asset of ['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css', '/api/docs/init.js']) {
      expect((await env.app.inject({ method: 'GET', url: asset })).statusCode, asset).toBe(200);
    }
  });
});

describe('REST contract', () => {
  it('creates with 201 and the resource with its id; the actor comes from the session, not the body', async () => {
    const res = await as.recordofficer.post('/api/v1/patients', patientInput({ createdBy: env.staff.admin.id }));
    expect(res.status).toBe(201);
    expect(res.body.id).toEqual(expect.any(Number));
    expect(res.body.createdBy).toBe(env.staff.recordofficer.id);
  });

  it('lists as { items, nextCursor } with a capped limit', async () => {
    const res = await as.recordofficer.get('/api/v1/patients?limit=1');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(typeof res.body.nextCursor).toBe('string');
    const next = await as.recordofficer.get(`/api/v1/patients?limit=1&cursor=${res.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(res.body.items[0].id);
    expect((await as.recordofficer.get('/api/v1/patients?limit=1000')).status).toBe(400);
  });

  it('answers 400 naming each failing field', async () => {
    const res = await as.recordofficer.post('/api/v1/patients', { firstName: '', gender: 'X' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION');
    expect(res.body.fields.map((x: { path: string }) => x.path)).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'gender', 'dob']),
    );
  });

  it('answers 400 for a body that is not a JSON object, and for malformed JSON', async () => {
    expect((await as.recordofficer.post('/api/v1/patients', [1, 2])).status).toBe(400);
    const bad = await as.recordofficer.call('POST', '/api/v1/patients', '{"firstName":', {});
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION');
  });

  it("answers 404 for another patient's consultation", async () => {
    const other = (await as.recordofficer.post('/api/v1/patients', patientInput())).body.id;
    const res = await as.doctor.get(`/api/v1/patients/${other}/consultations/${f.consultation}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('takes the version from If-Match and answers 409 for a stale one; ETag carries the version', async () => {
    const created = await as.recordofficer.post('/api/v1/patients', patientInput());
    const url = `/api/v1/patients/${created.body.id}`;
    const read = await as.recordofficer.get(url);
    expect(read.headers.etag).toBe('"1"');
    const ok = await as.recordofficer.put(url, { address: '1 New Road' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    const stale = await as.recordofficer.put(url, { address: '2 Old Road' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    expect((await as.recordofficer.get(url)).body.address).toBe('1 New Road');
  });

  it('locks a consultation after 24 hours with 409 LOCKED', async () => {
    const c = await as.doctor.post(`/api/v1/patients/${f.patient}/consultations`, { provisionalDiagnosis: 'Typhoid' });
    env.clock.advance(24 * HOUR + 60_000);
    try {
      const res = await as.doctor.put(`/api/v1/patients/${f.patient}/consultations/${c.body.id}`, { version: 1, plan: 'changed' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('LOCKED');
    } finally {
      env.clock.reset();
    }
  });

  it('answers 403 for the wrong role and 401 without a session', async () => {
    expect((await as.nurse.post('/api/v1/patients', patientInput())).status).toBe(403);
    expect((await new RestClient(env.app).get('/api/v1/patients')).status).toBe(401);
  });

  it('tells browsers and proxies not to store health data', async () => {
    const res = await as.recordofficer.get(`/api/v1/patients/${f.patient}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const trpc = await env.app.inject({ method: 'GET', url: '/trpc/system.status' });
    expect(trpc.headers['cache-control']).toBe('no-store');
  });

  it('never returns a password hash', async () => {
    const list = await as.admin.get('/api/v1/staffs/doctors');
    const one = await as.admin.get(`/api/v1/staffs/DOC${String(env.staff.doctor.id).padStart(4, '0')}`);
    expect(one.status).toBe(200);
    expect(JSON.stringify([list.body, one.body])).not.toMatch(/argon2|passwordHash/);
  });

  it('dispenses and then refuses a second dispense with 409', async () => {
    const p = (await as.recordofficer.post('/api/v1/patients', patientInput())).body.id;
    const c = (await as.doctor.post(`/api/v1/patients/${p}/consultations`, { provisionalDiagnosis: 'Pain' })).body.id;
    await as.doctor.post(`/api/v1/patients/${p}/consultations/${c}/prescription`, {
      lines: [{ drugId: f.drug, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity: 2 }],
    });
    const first = await as.pharmacist.post(`/api/v1/patients/${p}/consultations/${c}/prescription/dispense`);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('dispensed');
    expect((await as.pharmacist.post(`/api/v1/patients/${p}/consultations/${c}/prescription/dispense`)).status).toBe(409);
    const queue = await as.pharmacist.get('/api/v1/prescriptions?status=dispensed');
    expect(queue.body.items.map((x: { consultationId: number }) => x.consultationId)).toContain(c);
  });
});

describe('REST auth', () => {
  it('logs in with a cookie and a CSRF token; a change without the token is 403', async () => {
    const c = new RestClient(env.app);
    const login = await c.login('records');
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: { username: 'records' }, csrfToken: expect.any(String) });
    const token = c.csrfToken;
    c.csrfToken = undefined;
    const refused = await c.post('/api/v1/patients', patientInput());
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CSRF');
    c.csrfToken = token;
    expect((await c.post('/api/v1/patients', patientInput())).status).toBe(201);
    expect((await c.get('/api/v1/auth/csrf')).body).toEqual({ csrfToken: token });
  });

  it('answers 401 for bad credentials', async () => {
    const res = await new RestClient(env.app).login('records', 'not-the-password');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('logs out server-side: the old cookie is unauthenticated', async () => {
    const c = await restLoggedIn(env.app, 'nurse');
    const cookie = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).status).toBe(200);
    const replay = new RestClient(env.app);
    replay.cookie = cookie;
    expect((await replay.get('/api/v1/auth/isauthenticated')).body).toEqual({ authenticated: false, user: null });
    expect((await replay.get('/api/v1/patients')).status).toBe(401);
  });

  it('serves the auth endpoints where the original system had them', async () => {
    const c = new RestClient(env.app);
    expect((await c.login('doctor', undefined, '')).status).toBe(200);
    expect((await c.get('/auth/isauthenticated')).body.authenticated).toBe(true);
    expect((await c.get('/auth/getcsrf')).body).toEqual({ csrfToken: c.csrfToken });
    expect((await c.get('/auth/logout')).status).toBe(200);
    expect((await c.get('/auth/isauthenticated')).body.authenticated).toBe(false);
  });

  it("accepts a personal API token with exactly its owner's permissions and no CSRF token", async () => {
    const created = await as.recordofficer.post('/api/v1/auth/tokens', { name: 'lab integration', scope: 'write' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^hmis_/);
    const machine = new RestClient(env.app);
    machine.bearer = created.body.token;
    expect((await machine.post('/api/v1/patients', patientInput())).status).toBe(201);
    expect((await machine.post(`/api/v1/patients/${f.patient}/consultations`, { provisionalDiagnosis: 'x' })).status).toBe(403);
    const listed = await as.recordofficer.get('/api/v1/auth/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await as.recordofficer.delete(`/api/v1/auth/tokens/${created.body.id}`)).status).toBe(200);
    expect((await machine.get('/api/v1/patients')).status).toBe(401);
  });

  it('rejects an unknown bearer token with 401 even when a valid cookie is sent too', async () => {
    const c = await restLoggedIn(env.app, 'records');
    c.bearer = 'hmis_not-a-real-token';
    expect((await c.get('/api/v1/patients')).status).toBe(401);
  });
});

describe('every procedure is published in REST', () => {
  it('each tRPC procedure has a route in the table, so OpenAPI documents it', () => {
    const routed = new Set([...API_ROUTES, ...AUTH_ROUTES].map((route) => route.procedure));
    expect(Object.keys(appRouter._def.procedures).filter((p) => !routed.has(p))).toEqual([]);
  });
});

describe('REST paths for the web client', () => {
  async function newStaff(role: 'nurses' | 'doctors' = 'nurses') {
    const username = `rest${Math.random().toString(36).slice(2, 10)}`;
    const res = await as.admin.post(`/api/v1/staffs/${role}`, {
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      firstName: 'Rest',
      lastName: 'Case',
      gender: 'Male',
    });
    expect(res.status).toBe(201);
    return res.body as { id: number; username: string; version: number };
  }

  it('POST /auth/password changes the password; the session continues under a new cookie and CSRF token', async () => {
    const member = await newStaff();
    const c = await restLoggedIn(env.app, member.username);
    const other = await restLoggedIn(env.app, member.username);
    const oldCookie = c.cookie;
    const wrong = await c.post('/api/v1/auth/password', { currentPassword: 'not-the-password', newPassword: 'another-password-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields).toEqual([{ path: 'currentPassword', message: 'Current password is wrong' }]);
    const ok = await c.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'another-password-1' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ changed: true, csrfToken: expect.any(String) });
    expect(c.cookie).not.toBe(oldCookie);
    c.csrfToken = ok.body.csrfToken;
    expect((await c.get('/api/v1/auth/csrf')).body).toEqual({ csrfToken: ok.body.csrfToken });
    expect((await other.get('/api/v1/auth/isauthenticated')).body.authenticated).toBe(false);
    expect((await new RestClient(env.app).login(member.username, 'another-password-1')).status).toBe(200);
  });

  it('POST /auth/password is documented with its body', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/auth/password'].post;
    expect(op.requestBody.content['application/json'].schema.required.sort()).toEqual(['currentPassword', 'newPassword']);
    expect(op.responses['200'].content['application/json'].schema.properties).toHaveProperty('csrfToken');
  });

  it('PUT /staffs/{staffId} with a password (admin reset) ends that person’s sessions', async () => {
    const member = await newStaff();
    const c = await restLoggedIn(env.app, member.username);
    expect((await c.get(`/api/v1/staffs/${member.id}`)).status).toBe(200);
    const reset = await as.admin.put(`/api/v1/staffs/${member.id}`, { password: 'reset-by-admin-1' }, { 'if-match': '"1"' });
    expect(reset.status).toBe(200);
    expect((await c.get(`/api/v1/staffs/${member.id}`)).status).toBe(401);
  });

  it('GET /staffs/{role}?active=false lists the deactivated; POST /staffs/{staffId}/reactivate brings one back', async () => {
    const member = await newStaff('doctors');
    expect((await as.admin.delete(`/api/v1/staffs/${member.id}`)).status).toBe(200);
    const inactive = await as.admin.get('/api/v1/staffs/doctors?active=false&limit=100');
    expect(inactive.status).toBe(200);
    expect(inactive.body.items.map((s: { id: number }) => s.id)).toContain(member.id);
    expect((await as.nurse.get('/api/v1/staffs/doctors?active=false')).status).toBe(403);
    expect((await as.admin.get('/api/v1/staffs/doctors?active=perhaps')).status).toBe(400);
    const back = await as.admin.post(`/api/v1/staffs/DOC${String(member.id).padStart(4, '0')}/reactivate`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: member.id, active: true });
    expect((await as.admin.post(`/api/v1/staffs/${member.id}/reactivate`)).status).toBe(409);
    expect((await as.nurse.post(`/api/v1/staffs/${member.id}/reactivate`)).status).toBe(403);
    expect((await new RestClient(env.app).post(`/api/v1/staffs/${member.id}/reactivate`)).status).toBe(401);
    const active = await as.admin.get('/api/v1/staffs/doctors?limit=100');
    expect(active.body.items.map((s: { id: number }) => s.id)).toContain(member.id);
  });

  it('GET /audit takes action, from and to, and names the actor', async () => {
    const p = (await as.recordofficer.post('/api/v1/patients', patientInput())).body.id;
    expect((await as.doctor.get(`/api/v1/patients/${p}`)).status).toBe(200);
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    const res = await as.admin.get(`/api/v1/audit?patientId=${p}&action=view&from=${day}&to=${day}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { action: string; actorName: string }) => [e.action, e.actorName])).toEqual([
      ['view', env.staff.doctor.name],
    ]);
    expect((await as.admin.get(`/api/v1/audit?patientId=${p}&from=2025-01-02&to=2025-01-01`)).body.fields).toEqual([
      { path: 'to', message: expect.any(String) },
    ]);
    expect((await as.admin.get(`/api/v1/audit?patientId=${p}&action=peek`)).status).toBe(400);
  });

  it('GET /drugs/summary and GET /drugs with filter, sort and dir; every drug has expiryStatus', async () => {
    const summary = await as.nurse.get('/api/v1/drugs/summary');
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      total: expect.any(Number),
      belowReorderLevel: expect.any(Number),
      expired: expect.any(Number),
      expiringSoon: expect.any(Number),
      today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      expiringSoonDays: 90,
    });
    const name = `Restdrug${Math.random().toString(36).slice(2, 8)}`;
    const low = (await as.pharmacist.post('/api/v1/drugs', drugInput({ name: `${name} One`, stockOnHand: 1, reorderLevel: 5 }))).body;
    const lower = (await as.pharmacist.post('/api/v1/drugs', drugInput({ name: `${name} Two`, stockOnHand: 0, reorderLevel: 5 }))).body;
    await as.pharmacist.post('/api/v1/drugs', drugInput({ name: `${name} Three`, stockOnHand: 50, reorderLevel: 5 }));
    const res = await as.pharmacist.get(`/api/v1/drugs?q=${name}&filter=lowStock&sort=stock&dir=desc&limit=1`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { id: number }) => d.id)).toEqual([low.id]);
    const next = await as.pharmacist.get(
      `/api/v1/drugs?q=${name}&filter=lowStock&sort=stock&dir=desc&limit=1&cursor=${res.body.nextCursor}`,
    );
    expect(next.body.items.map((d: { id: number }) => d.id)).toEqual([lower.id]);
    expect(next.body.items[0].expiryStatus).toBe('unknown');
    expect((await as.pharmacist.get('/api/v1/drugs?sort=price')).status).toBe(400);
    expect((await as.recordofficer.get('/api/v1/drugs/summary')).status).toBe(403);
  });

  it('GET /patients/{patientId}/prescriptions lists a patient’s prescriptions', async () => {
    const res = await as.pharmacist.get(`/api/v1/patients/${f.patient}/prescriptions?limit=5`);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      patientId: f.patient,
      consultationId: f.consultation,
      lines: [expect.objectContaining({ drugId: f.drug })],
    });
    expect((await as.pharmacist.get(`/api/v1/patients/${f.patient}/prescriptions?status=pending`)).status).toBe(200);
    expect((await as.recordofficer.get(`/api/v1/patients/${f.patient}/prescriptions`)).status).toBe(403);
    expect((await as.doctor.get('/api/v1/patients/999999/prescriptions')).status).toBe(404);
  });

  it('the OpenAPI document lists the new query parameters', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const params = (path: string) => doc.paths[`/api/v1${path}`].get.parameters.map((p: { name: string }) => p.name);
    expect(params('/drugs')).toEqual(expect.arrayContaining(['q', 'filter', 'sort', 'dir', 'limit', 'cursor']));
    expect(params('/audit')).toEqual(expect.arrayContaining(['patientId', 'staffId', 'action', 'from', 'to']));
    expect(params('/staffs/doctors')).toEqual(expect.arrayContaining(['active']));
    expect(params('/patients/{patientId}/prescriptions')).toEqual(expect.arrayContaining(['patientId', 'status', 'limit', 'cursor']));
    expect(doc.paths['/api/v1/drugs/summary'].get).toBeDefined();
    expect(doc.paths['/api/v1/staffs/{staffId}/reactivate'].post).toBeDefined();
  });
});

describe('request examples in the OpenAPI document', () => {
  const withExamples = API_ROUTES.filter((r) => r.example !== undefined);

  it('there are examples', () => {
    expect(withExamples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(withExamples.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: the example is a valid input', (_name, route) => {
    const input = procedureDef(route.procedure).inputs[0]!;
    const pathValues = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [route.params?.[m[1]!] ?? m[1]!, 1]));
    const parsed = input.safeParse({ ...(route.example as object), ...pathValues, ...route.fixed });
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});

describe('client address behind a proxy (issue 11, finding 11)', () => {
  it('takes the address the proxy appended, not one the client wrote; an X-Forwarded-For of 46+ characters is no 500', async () => {
    const proxied = await buildApp({
      db: env.database.db,
      clock: env.clock,
      sessionSecret: env.sessionSecret,
      secureCookies: false,
      trustProxy: 1,
    });
    try {
      const login = (xff: string) =>
        proxied.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
          payload: JSON.stringify({ username: 'nurse', password: PASSWORD }),
        });
      const spoofed = await login('6.6.6.6, 203.0.113.7');
      expect(spoofed.statusCode).toBe(200);
      const long = await login(`${'9'.repeat(60)}, ${'x'.repeat(80)}`);
      expect(long.statusCode).toBe(200);
      const events = await env.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'login'), eq(auditEvents.actorId, env.staff.nurse.id)))
        .orderBy(desc(auditEvents.id))
        .limit(2);
      expect(events.map((e) => e.ip)).toEqual([null, '203.0.113.7']);
    } finally {
      await proxied.close();
    }
  });
});

describe('trusted proxies by address or by hop count (issue 12)', () => {
  const loginVia = async (trustProxy: number | string[], xff: string) => {
    const app = await buildApp({
      db: env.database.db,
      clock: env.clock,
      sessionSecret: env.sessionSecret,
      secureCookies: false,
      trustProxy,
    });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.5',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
        payload: JSON.stringify({ username: 'pharmacist', password: PASSWORD }),
      });
      expect(res.statusCode).toBe(200);
      const [event] = await env.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'login'), eq(auditEvents.actorId, env.staff.pharmacist.id)))
        .orderBy(desc(auditEvents.id))
        .limit(1);
      return event!.ip;
    } finally {
      await app.close();
    }
  };

  it('believes X-Forwarded-For only from a listed proxy address: a client reaching the app directly cannot forge it', async () => {
    expect(await loginVia(['10.0.0.0/24'], '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    expect(await loginVia(['10.9.0.1'], '203.0.113.7')).toBe('10.0.0.5');
  });

  it('with two hops trusted, takes the address the outer proxy appended', async () => {
    expect(await loginVia(2, '6.6.6.6, 198.51.100.4, 10.0.0.9')).toBe('198.51.100.4');
  });
});

describe('security headers and the docs page (issue 11, finding 12)', () => {
  it('sends a Content-Security-Policy without inline scripts and the other headers on answers, errors and unknown paths', async () => {
    const anon = new RestClient(env.app);
    for (const res of [
      await anon.get('/api/v1/status'),
      await anon.get('/api/v1/patients'),
      await anon.get('/api/v1/nope'),
      await anon.post('/api/v1/auth/login', '{bad json'),
    ]) {
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined(); // not over plain HTTP in development
    }
  });

  it('sends HSTS in production and serves the docs page only when asked', async () => {
    const prod = await buildApp({
      db: env.database.db,
      clock: env.clock,
      sessionSecret: env.sessionSecret,
      secureCookies: true,
      apiDocs: false,
    });
    try {
      const status = await prod.inject({ method: 'GET', url: '/api/v1/status' });
      expect(status.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      expect((await prod.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(404);
      expect((await prod.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    } finally {
      await prod.close();
    }
    expect((await env.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(200);
  });
});

describe('sign-in throttling over REST (issue 11, finding 6)', () => {
  it('answers 429 with Retry-After in the one error shape', async () => {
    const c = new RestClient(env.app);
    for (let i = 0; i < 3; i++)
      expect((await c.post('/api/v1/auth/login', { username: 'ghost-of-rest', password: 'wrong-password-1' })).status).toBe(401);
    const res = await c.post('/api/v1/auth/login', { username: 'ghost-of-rest', password: 'wrong-password-1' });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/try again in 1 seconds?/) });
  });
});

describe('one error shape before any route runs (issue 11, finding 11)', () => {
  it('answers a malformed URL with 400 in the one shape', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/patients/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'VALIDATION', message: 'The address of this request is not valid' });
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('answers headers too large (431) and a malformed request (400) in the one shape, with the security headers', async () => {
    const server = await buildApp({ db: env.database.db, clock: env.clock, sessionSecret: env.sessionSecret, secureCookies: false });
    try {
      const address = await server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const raw = (request: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
          let text = '';
          socket.on('data', (d) => {
            text += d.toString('utf8');
          });
          socket.on('close', () => resolve(text));
          socket.on('error', reject);
        });
      const big = await raw(`GET /api/v1/status HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 /);
      expect(big).toMatch(/content-security-policy: /i);
      expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toEqual({
        code: 'VALIDATION',
        message: 'The request headers are too large',
      });
      const junk = await raw('THIS IS NOT HTTP\r\n\r\n');
      expect(junk).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(junk.slice(junk.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'VALIDATION' });
    } finally {
      await server.close();
    }
  });
});
