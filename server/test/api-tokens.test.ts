/**
 * Issue 11, finding 1: an API token survived its owner's password reset; a token could create another, without
 * expiry, which survived revocation of its parent. Decision 016.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiTokenCreated } from '@hmis/shared';
import { createTestEnv, loggedIn, patientInput, TrpcClient, uniqueWord, type TestEnv } from './helpers';

let env: TestEnv;
let admin: TrpcClient;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnv();
  admin = await loggedIn(env, 'admin');
});
afterAll(async () => env?.close());

/** A new record officer with a session, so each test ends only its own tokens. */
async function newOfficer() {
  const username = uniqueWord('tok');
  const res = await admin.mutate('staff.create', {
    username,
    email: `${username}@test.example`,
    password: 'a-long-password-1',
    role: 'recordofficer',
    firstName: 'Tok',
    lastName: 'En',
    gender: 'Male',
  });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  const session = new TrpcClient(env.app);
  expect((await session.login(username, 'a-long-password-1')).status).toBe(200);
  return { id: res.data.id as number, version: res.data.version as number, session };
}

async function tokenOf(session: TrpcClient, input: Record<string, unknown> = {}) {
  const res = await session.mutate<ApiTokenCreated>('apiTokens.create', { name: 'lab link', ...input });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data;
}

const bearer = (token: string) => ({
  get: (path: string) => env.app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { authorization: `Bearer ${token}` } }),
  post: (path: string, body: unknown) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1${path}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    }),
});

describe('API tokens (issue 11, finding 1)', () => {
  it('carry the hmis_ prefix, expire in 90 days by default, and are read-only unless write is asked for', async () => {
    const { session } = await newOfficer();
    const t = await tokenOf(session);
    expect(t.token).toMatch(/^hmis_[A-Za-z0-9_-]{40,}$/);
    expect(t.scope).toBe('read');
    expect(Date.parse(t.expiresAt!) - env.clock.now().getTime()).toBeGreaterThan(89 * DAY);
    expect(Date.parse(t.expiresAt!) - env.clock.now().getTime()).toBeLessThanOrEqual(90 * DAY);
    const api = bearer(t.token);
    expect((await api.get('/patients')).statusCode).toBe(200);
    const write = await api.post('/patients', patientInput());
    expect(write.statusCode).toBe(403);
    expect(write.json().message).toMatch(/read-only/);
    const writer = bearer((await tokenOf(session, { scope: 'write' })).token);
    expect((await writer.post('/patients', patientInput())).statusCode).toBe(201);
  });

  it('refuses a lifetime beyond the maximum (400 naming expiresInDays)', async () => {
    const { session } = await newOfficer();
    const res = await session.mutate('apiTokens.create', { name: 'forever', expiresInDays: 400 });
    expect(res.status).toBe(400);
    expect(res.error?.fields?.map((f) => f.path)).toEqual(['expiresInDays']);
  });

  it('cannot be created by a token, even one with write scope (403)', async () => {
    const { session } = await newOfficer();
    const parent = bearer((await tokenOf(session, { scope: 'write' })).token);
    const child = await parent.post('/auth/tokens', { name: 'child', scope: 'write' });
    expect(child.statusCode).toBe(403);
    expect(child.json().message).toMatch(/signed-in session/);
  });

  it("end when an admin resets the owner's password, and when the owner is deactivated", async () => {
    const a = await newOfficer();
    const ta = bearer((await tokenOf(a.session)).token);
    expect((await ta.get('/patients')).statusCode).toBe(200);
    expect((await admin.mutate('staff.update', { id: a.id, version: a.version, password: 'another-password-2' })).status).toBe(200);
    expect((await ta.get('/patients')).statusCode).toBe(401);

    const b = await newOfficer();
    const tb = bearer((await tokenOf(b.session)).token);
    expect((await admin.mutate('staff.delete', { id: b.id })).status).toBe(200);
    expect((await admin.mutate('staff.reactivate', { id: b.id })).status).toBe(200);
    expect((await tb.get('/patients')).statusCode).toBe(401);
  });

  it('show when they were last used', async () => {
    const { session } = await newOfficer();
    const t = await tokenOf(session);
    expect(t.lastUsedAt).toBeNull();
    expect((await bearer(t.token).get('/patients')).statusCode).toBe(200);
    await expect
      .poll(
        async () =>
          (await session.query<{ id: number; lastUsedAt: string | null }[]>('apiTokens.list')).data.find((x) => x.id === t.id)?.lastUsedAt,
      )
      .not.toBeNull();
  });
});
