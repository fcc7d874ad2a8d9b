import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { StaffCreateInput } from '@hmis/shared';
import { auditEvents, patients, sessions, staff } from '../src/db/schema';
import { SESSION_CACHE_MS } from '../src/auth/session-store';
import { createStaff } from '../src/services/staff';
import { createTestEnv, loggedIn, PASSWORD, patientInput, TrpcClient, uniqueName, type TestEnv } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => env?.close());

/** A new account of its own, so a test's failed sign-ins throttle no one else. */
async function freshAccount(): Promise<{ username: string; id: number }> {
  const username = uniqueName('thr');
  const created = await createStaff(
    env.database.db,
    { actor: env.staff.admin, clock: env.clock, ip: null },
    StaffCreateInput.parse({
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      role: 'nurse',
      firstName: 'Thr',
      lastName: 'Ottle',
      gender: 'Female',
    }),
  );
  return { username, id: created.id };
}

describe('login', () => {
  it('accepts a username and returns the user without any password hash, plus a CSRF token', async () => {
    const client = new TrpcClient(env.app);
    const res = await client.login('doctor');
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      user: { username: 'doctor', role: 'doctor', staffNumber: `DOC${String(env.staff.doctor.id).padStart(4, '0')}` },
    });
    expect(JSON.stringify(res.data)).not.toMatch(/argon2|passwordHash|password/i);
    expect(client.csrfToken).toMatch(/^[\w-]{40,}$/);
  });

  it('accepts an email instead of a username', async () => {
    const client = new TrpcClient(env.app);
    const res = await client.mutate('auth.login', { email: 'NURSE@test.example', password: PASSWORD });
    expect(res.status).toBe(200);
  });

  it('sets an httpOnly, SameSite=Lax session cookie', async () => {
    const client = new TrpcClient(env.app);
    const res = await client.login('pharmacist');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/hmis_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it('gives the same 401 for an unknown username and a wrong password', async () => {
    const unknown = await new TrpcClient(env.app).login('nobody-here', 'whatever-password');
    const wrong = await new TrpcClient(env.app).login('records', 'wrong-password-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.error).toEqual(wrong.error);
    expect(wrong.error?.code).toBe('UNAUTHENTICATED');
  });

  it('names the missing field when the password is absent', async () => {
    const res = await new TrpcClient(env.app).mutate('auth.login', { username: 'doctor' });
    expect(res.status).toBe(400);
    expect(res.error?.fields?.map((f) => f.path)).toContain('password');
  });

  it('makes each failure past the third wait longer (429 with Retry-After), not a 15-minute lockout of the real user (issue 11, finding 6)', async () => {
    const client = new TrpcClient(env.app);
    for (let i = 0; i < 3; i++) expect((await client.login('doctor2', 'wrong-password-x')).status).toBe(401);
    const first = await client.login('doctor2', PASSWORD);
    expect(first.status).toBe(429);
    expect(first.error?.code).toBe('TOO_MANY_REQUESTS');
    expect(first.headers['retry-after']).toBe('1');
    env.clock.advance(1_000);
    expect((await client.login('doctor2', 'wrong-password-x')).status).toBe(401);
    const second = await client.login('doctor2', PASSWORD);
    expect(second.headers['retry-after']).toBe('2');
    env.clock.advance(2_000);
    expect((await client.login('doctor2', PASSWORD)).status).toBe(200);
  });

  it("counts an account's username and email as one (issue 11, finding 6)", async () => {
    const { username } = await freshAccount();
    const client = new TrpcClient(env.app);
    for (let i = 0; i < 3; i++) expect((await client.login(username, 'wrong-password-x')).status).toBe(401);
    const byEmail = await client.mutate('auth.login', { email: `${username}@test.example`, password: PASSWORD });
    expect(byEmail.status).toBe(429);
  });

  it('lets at most a few of many parallel guesses reach the password check, and audits the refusals (issue 11, finding 6)', async () => {
    const { username, id } = await freshAccount();
    const results = await Promise.all(Array.from({ length: 30 }, () => new TrpcClient(env.app).login(username, 'wrong-password-z')));
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBe(30 - checked);
    const refused = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, id), eq(auditEvents.action, 'login_throttled')));
    expect(refused.length).toBe(30 - checked);
  });

  it('does not lock out everyone behind one address when others there fail (a ward NAT) (issue 11, finding 6)', async () => {
    for (let i = 0; i < 25; i++) expect((await new TrpcClient(env.app).login(`nobody${i}x`, 'wrong-password-n')).status).toBe(401);
    expect((await new TrpcClient(env.app).login('nurse2', PASSWORD)).status).toBe(200);
  });

  it('audits failed and successful logins', async () => {
    await new TrpcClient(env.app).login('nurse2', 'wrong-password-y');
    await loggedIn(env, 'nurse2');
    const rows = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'session'), eq(auditEvents.entityId, env.nurse2.id)));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['login_failed', 'login']));
  });
});

describe('sessions', () => {
  it('gives a new session id at each login and the old one stops working', async () => {
    const client = await loggedIn(env, 'doctor');
    const first = client.cookie;
    await client.login('doctor');
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(first);
    const stale = new TrpcClient(env.app);
    stale.cookie = first;
    expect((await stale.query('patients.list', {})).status).toBe(401);
  });

  it('says who is signed in', async () => {
    const anonymous = await new TrpcClient(env.app).query('auth.me');
    expect(anonymous.data).toEqual({ authenticated: false, user: null });
    const client = await loggedIn(env, 'records');
    const me = await client.query('auth.me');
    expect(me.data).toMatchObject({ authenticated: true, user: { username: 'records', role: 'recordofficer' } });
    expect((await client.query('auth.csrf')).data).toEqual({ csrfToken: client.csrfToken });
  });

  it('destroys the session at logout: replaying the cookie is unauthenticated', async () => {
    const client = await loggedIn(env, 'nurse');
    const cookie = client.cookie;
    expect((await client.mutate('auth.logout')).status).toBe(200);
    const replay = new TrpcClient(env.app);
    replay.cookie = cookie;
    const res = await replay.query('patients.list', {});
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe('UNAUTHENTICATED');
  });

  it('lives in the database: a second server process accepts it and it survives a restart', async () => {
    const client = await loggedIn(env, 'records');
    const other = await env.anotherServer();
    try {
      const viaOther = new TrpcClient(other);
      viaOther.cookie = client.cookie;
      expect((await viaOther.query('patients.list', {})).status).toBe(200);
    } finally {
      await other.close();
    }
    const [row] = await env.database.db.select().from(sessions).where(eq(sessions.staffId, env.staff.recordofficer.id));
    expect(row).toBeDefined();
  });

  it('a logout on one server ends the session on another within SESSION_CACHE_MS (and at once on its own)', async () => {
    const client = await loggedIn(env, 'records');
    const other = await env.anotherServer();
    try {
      const viaOther = new TrpcClient(other);
      viaOther.cookie = client.cookie;
      expect((await viaOther.query('auth.me')).data.authenticated).toBe(true); // now cached on the other server
      const cookie = client.cookie;
      expect((await client.mutate('auth.logout')).status).toBe(200);
      const replay = new TrpcClient(env.app);
      replay.cookie = cookie;
      expect((await replay.query('auth.me')).data.authenticated).toBe(false);
      await new Promise((r) => setTimeout(r, SESSION_CACHE_MS + 100));
      const res = await viaOther.query('patients.list', {});
      expect(res.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('a logout on one server refuses a write on another at once, its cache notwithstanding, and the write does not revive the session (issue 12)', async () => {
    const client = await loggedIn(env, 'records');
    const other = await env.anotherServer();
    try {
      const viaOther = new TrpcClient(other);
      viaOther.cookie = client.cookie;
      viaOther.csrfToken = client.csrfToken;
      expect((await viaOther.query('auth.me')).data.authenticated).toBe(true); // now cached on the other server
      const before = (await env.database.db.select().from(patients)).length;
      const sessionsBefore = await sessionsOf(env.staff.recordofficer.id);
      expect((await client.mutate('auth.logout')).status).toBe(200);
      // At once, well inside SESSION_CACHE_MS: the registration is refused and nothing is written.
      const res = await viaOther.mutate('patients.create', patientInput());
      expect(res.status).toBe(401);
      expect((await env.database.db.select().from(patients)).length).toBe(before);
      // Nor did anything the other server saved bring the session back.
      expect(await sessionsOf(env.staff.recordofficer.id)).toBe(sessionsBefore - 1);
    } finally {
      await other.close();
    }
  });

  it('a session whose idle clock moves on, on a server that still caches it after a logout elsewhere, stays ended', async () => {
    const client = await loggedIn(env, 'nurse');
    // Last used 59.5 s ago: the idle clock (saved at most once a minute) moves on half a second from now.
    await env.database.db.execute(
      sql`update sessions set data = json_set(data, '$.lastSeenAt', ${Date.now() - 59_500}) where staff_id = ${env.staff.nurse.id}`,
    );
    const other = await env.anotherServer();
    try {
      const viaOther = new TrpcClient(other);
      viaOther.cookie = client.cookie;
      expect((await viaOther.query('auth.me')).data.authenticated).toBe(true); // cached there, not yet due a save
      const sessionsBefore = await sessionsOf(env.staff.nurse.id);
      expect((await client.mutate('auth.logout')).status).toBe(200);
      await new Promise((r) => setTimeout(r, 600));
      // Within the cache, past the minute: the other server saves the session's last use — an update of a row that
      // is gone, never an insert that would bring the session back.
      await viaOther.query('auth.me');
      expect(await sessionsOf(env.staff.nurse.id)).toBe(sessionsBefore - 1);
    } finally {
      await other.close();
    }
  });
});

/** How many sessions a staff member has in the table (other tests of this file sign the same accounts in). */
async function sessionsOf(staffId: number): Promise<number> {
  return (await env.database.db.select().from(sessions).where(eq(sessions.staffId, staffId))).length;
}

describe('CSRF', () => {
  it('refuses a cookie-authenticated mutation without the token (403) and writes nothing', async () => {
    const client = await loggedIn(env, 'records');
    const res = await client.mutate(
      'patients.create',
      { firstName: 'No', lastName: 'Token', gender: 'Male', dob: '1990-01-01' },
      { 'x-csrf-token': '' },
    );
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('CSRF');
    const list = await client.query('patients.list', { q: 'Token' });
    expect(list.data.items).toHaveLength(0);
  });

  it('refuses a wrong token', async () => {
    const client = await loggedIn(env, 'records');
    client.csrfToken = 'x'.repeat(43);
    expect((await client.mutate('auth.logout')).status).toBe(403);
  });

  it('accepts the right token', async () => {
    const client = await loggedIn(env, 'records');
    const res = await client.mutate('patients.create', { firstName: 'With', lastName: 'Token', gender: 'Male', dob: '1990-01-01' });
    expect(res.status).toBe(200);
  });
});

describe('anonymous callers', () => {
  it('get 401 from a protected procedure and 200 from status', async () => {
    const client = new TrpcClient(env.app);
    expect((await client.query('patients.list', {})).status).toBe(401);
    expect((await client.query('system.stats')).status).toBe(401);
    const status = await client.query('system.status');
    expect(status).toMatchObject({ status: 200, data: { status: 'OK' } });
  });

  it('get a JSON 404 for an unknown route', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('get a JSON 400, not a 500, for a malformed body', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('changing one’s own password', () => {
  /** A staff member of their own, so failures and sessions of one test touch no other. */
  async function member(): Promise<{ username: string; id: number }> {
    const username = uniqueName('pw');
    const created = await createStaff(
      env.database.db,
      { actor: env.staff.admin, clock: env.clock, ip: null },
      StaffCreateInput.parse({
        username,
        email: `${username}@test.example`,
        password: PASSWORD,
        role: 'nurse',
        firstName: 'Pat',
        lastName: 'Word',
        gender: 'Female',
      }),
    );
    return { username, id: created.id };
  }
  const NEW = 'a-new-password-2027';

  it('with the right current password: 200, the new password signs in and the old one does not', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    const res = await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ changed: true, csrfToken: expect.stringMatching(/^[\w-]{40,}$/) });
    expect((await new TrpcClient(env.app).login(username, PASSWORD)).status).toBe(401);
    expect((await new TrpcClient(env.app).login(username, NEW)).status).toBe(200);
  });

  it('stores the new password as an argon2id hash', async () => {
    const { username, id } = await member();
    const client = await loggedIn(env, username);
    expect((await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(200);
    const [row] = await env.database.db.select().from(staff).where(eq(staff.id, id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(NEW);
  });

  it('the caller continues in a new session (new cookie, new CSRF token); the old cookie is dead', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    const oldCookie = client.cookie;
    const oldToken = client.csrfToken;
    const res = await client.mutate<{ csrfToken: string }>('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW });
    expect(res.status).toBe(200);
    expect(client.cookie).toBeDefined();
    expect(client.cookie).not.toBe(oldCookie);
    expect(res.data.csrfToken).not.toBe(oldToken);
    client.csrfToken = res.data.csrfToken;
    expect((await client.query('auth.me')).data).toMatchObject({ authenticated: true, user: { username } });
    expect((await client.mutate('apiTokens.create', { name: 'after the change' })).status).toBe(200);
    const replay = new TrpcClient(env.app);
    replay.cookie = oldCookie;
    expect((await replay.query('auth.me')).data.authenticated).toBe(false);
  });

  it('ends the user’s other sessions', async () => {
    const { username, id } = await member();
    const laptop = await loggedIn(env, username);
    const phone = await loggedIn(env, username);
    expect((await laptop.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(200);
    const res = await phone.query('staff.get', { id });
    expect(res.status).toBe(401);
    expect((await laptop.query('staff.get', { id })).status).toBe(200);
    expect(await env.database.db.select().from(sessions).where(eq(sessions.staffId, id))).toHaveLength(1);
  });

  it('ends the user’s API tokens too (issue 11, finding 1)', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    const token = (await client.mutate<{ token: string }>('apiTokens.create', { name: 'integration' })).data.token;
    expect((await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(200);
    const res = await env.app.inject({ method: 'GET', url: '/trpc/auth.me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
  });

  it('is audited as an update of the staff member by themself, without the password', async () => {
    const { username, id } = await member();
    const client = await loggedIn(env, username);
    expect((await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(200);
    const rows = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, 'staff'), eq(auditEvents.entityId, id), eq(auditEvents.action, 'update')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: id, detail: 'password changed by its owner' });
    expect(JSON.stringify(rows[0])).not.toMatch(/a-new-password|argon/);
  });

  it('a wrong current password: 400 naming currentPassword, nothing changes, and a failure is audited', async () => {
    const { username, id } = await member();
    const client = await loggedIn(env, username);
    const res = await client.mutate('auth.changePassword', { currentPassword: 'not-my-password-1', newPassword: NEW });
    expect(res.status).toBe(400);
    expect(res.error?.fields).toEqual([{ path: 'currentPassword', message: 'Current password is wrong' }]);
    expect((await new TrpcClient(env.app).login(username, PASSWORD)).status).toBe(200);
    expect((await client.query('auth.me')).data.authenticated).toBe(true);
    const failures = await env.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'login_failed'), eq(auditEvents.entityId, id)));
    expect(failures).toHaveLength(1);
  });

  it('wrong current passwords count as failed logins: past the third, 429 even with the right one', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    for (let i = 0; i < 3; i++) {
      expect((await client.mutate('auth.changePassword', { currentPassword: `wrong-password-${i}`, newPassword: NEW })).status).toBe(400);
    }
    const res = await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW });
    expect(res.status).toBe(429);
    expect(res.error?.code).toBe('TOO_MANY_REQUESTS');
    expect((await new TrpcClient(env.app).login(username, PASSWORD)).status).toBe(429);
  });

  it('a new password that breaks the password rules is a 400 naming newPassword', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    const res = await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(res.status).toBe(400);
    expect(res.error?.fields?.map((f) => f.path)).toEqual(['newPassword']);
  });

  it('the same password again is a 400 naming newPassword', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    const res = await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.error?.fields?.map((f) => f.path)).toEqual(['newPassword']);
  });

  it('missing fields are a 400 naming each', async () => {
    const client = await loggedIn(env, (await member()).username);
    const res = await client.mutate('auth.changePassword', {});
    expect(res.status).toBe(400);
    expect(res.error?.fields?.map((f) => f.path).sort()).toEqual(['currentPassword', 'newPassword']);
  });

  it('needs the CSRF token (403) and a session (401)', async () => {
    const client = await loggedIn(env, (await member()).username);
    const res = await client.mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW }, { 'x-csrf-token': '' });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('CSRF');
    expect((await new TrpcClient(env.app).mutate('auth.changePassword', { currentPassword: PASSWORD, newPassword: NEW })).status).toBe(401);
  });

  it('an API token cannot change the password (403)', async () => {
    const { username } = await member();
    const client = await loggedIn(env, username);
    const token = (await client.mutate<{ token: string }>('apiTokens.create', { name: 'robot' })).data.token;
    const res = await env.app.inject({
      method: 'POST',
      url: '/trpc/auth.changePassword',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ currentPassword: PASSWORD, newPassword: NEW }),
    });
    expect(res.statusCode).toBe(403);
    expect((await new TrpcClient(env.app).login(username, PASSWORD)).status).toBe(200);
  });
});
