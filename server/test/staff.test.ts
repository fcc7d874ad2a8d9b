import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { formatStaffNumber, type Page, type Role, type Staff, type StaffCounts } from '@hmis/shared';
import { sessions, staff as staffTable } from '../src/db/schema';
import { createTestEnv, drugInput, loggedIn, PASSWORD, patientInput, TrpcClient, uniqueName, type TestEnv } from './helpers';

let env: TestEnv;
let admin: TrpcClient;
let doctor: TrpcClient;
let nurse: TrpcClient;
let pharmacist: TrpcClient;
let records: TrpcClient;

beforeAll(async () => {
  env = await createTestEnv();
  [admin, doctor, nurse, pharmacist, records] = await Promise.all([
    loggedIn(env, 'admin'),
    loggedIn(env, 'doctor'),
    loggedIn(env, 'nurse'),
    loggedIn(env, 'pharmacist'),
    loggedIn(env, 'records'),
  ]);
});
afterAll(async () => env?.close());

const fieldPaths = (res: { error?: { fields?: { path: string }[] } }) => res.error?.fields?.map((f) => f.path) ?? [];

function staffInput(role: Role, overrides: Record<string, unknown> = {}) {
  const username = uniqueName('user');
  return {
    username,
    email: `${username}@test.example`,
    password: PASSWORD,
    role,
    firstName: 'Ngozi',
    lastName: uniqueName('Staff'),
    gender: 'Female',
    ...overrides,
  };
}

/** Creates a staff member through the admin's HTTP session. */
async function hire(role: Role, overrides: Record<string, unknown> = {}): Promise<Staff> {
  const res = await admin.mutate<Staff>('staff.create', staffInput(role, overrides));
  if (res.status !== 200) throw new Error(`staff.create failed: ${res.status} ${JSON.stringify(res.error)}`);
  return res.data;
}

async function staffRow(id: number) {
  const [row] = await env.database.db.select().from(staffTable).where(eq(staffTable.id, id));
  return row;
}

describe('creating staff', () => {
  it('an admin creates a doctor: staff number DOC + 4-digit id, default job title, no password or hash in the response', async () => {
    const input = staffInput('doctor');
    const res = await admin.mutate<Staff>('staff.create', input);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ username: input.username, role: 'doctor', jobTitle: 'Doctor', active: true, version: 1 });
    expect(res.data.staffNumber).toMatch(/^DOC\d{4}$/);
    expect(res.data.staffNumber).toBe(`DOC${String(res.data.id).padStart(4, '0')}`);
    expect(res.data.createdBy).toBe(env.staff.admin.id);
    expect(JSON.stringify(res.data)).not.toMatch(/password|hash|argon/i);
  });

  it('the new staff member can log in with the password given', async () => {
    const password = 'a-fresh-password-42';
    const created = await hire('doctor', { password });
    const res = await new TrpcClient(env.app).login(created.username, password);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ user: { id: created.id, role: 'doctor' } });
  });

  it('stores the password only as a hash', async () => {
    const password = 'plain-text-never-42';
    const created = await hire('nurse', { password });
    const row = await staffRow(created.id);
    expect(row!.passwordHash).not.toContain(password);
    expect(row!.passwordHash).toMatch(/^\$argon2/);
  });

  it('keeps a job title that is given', async () => {
    const created = await hire('doctor', { jobTitle: 'Consultant Surgeon' });
    expect(created.jobTitle).toBe('Consultant Surgeon');
  });

  it('refuses a username already in use with 409 DUPLICATE naming username', async () => {
    const existing = await hire('nurse');
    const res = await admin.mutate('staff.create', staffInput('nurse', { username: existing.username.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('DUPLICATE');
    expect(fieldPaths(res)).toEqual(['username']);
  });

  it('refuses an email already in use with 409 DUPLICATE naming email', async () => {
    const existing = await hire('nurse');
    const res = await admin.mutate('staff.create', staffInput('nurse', { email: existing.email.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('DUPLICATE');
    expect(fieldPaths(res)).toEqual(['email']);
  });

  it('refuses a password shorter than 10 characters with 400 naming password, and creates no one', async () => {
    const input = staffInput('pharmacist', { password: '123456789' });
    const res = await admin.mutate('staff.create', input);
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect(fieldPaths(res)).toEqual(['password']);
    expect(await env.database.db.select().from(staffTable).where(eq(staffTable.username, input.username))).toHaveLength(0);
  });

  it('refuses a role outside the enum with 400 naming role', async () => {
    const res = await admin.mutate('staff.create', staffInput('doctor', { role: 'surgeon' }));
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toEqual(['role']);
  });

  it('ignores createdBy in the body: the creator is the session’s admin', async () => {
    const res = await admin.mutate<Staff>('staff.create', { ...staffInput('nurse'), createdBy: env.staff.doctor.id });
    expect(res.status).toBe(200);
    expect(res.data.createdBy).toBe(env.staff.admin.id);
  });
});

describe('only an admin manages staff', () => {
  const clients = () => ({ doctor, nurse, pharmacist, recordofficer: records });
  const nonAdmins = ['doctor', 'nurse', 'pharmacist', 'recordofficer'] as const;

  it.each(nonAdmins)('a %s cannot create staff (403), and no one is created', async (role) => {
    const input = staffInput('doctor');
    const res = await clients()[role].mutate('staff.create', input);
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
    expect(await env.database.db.select().from(staffTable).where(eq(staffTable.username, input.username))).toHaveLength(0);
  });

  it.each(nonAdmins)('a %s cannot update staff, not even themself (403)', async (role) => {
    const self = env.staff[role];
    const row = await staffRow(self.id);
    const res = await clients()[role].mutate('staff.update', { id: self.id, version: row!.version, jobTitle: 'Chief' });
    expect(res.status).toBe(403);
    expect((await staffRow(self.id))!.jobTitle).toBe(row!.jobTitle);
  });

  it.each(nonAdmins)('a %s cannot deactivate staff (403)', async (role) => {
    const target = await hire('nurse');
    const res = await clients()[role].mutate('staff.delete', { id: target.id });
    expect(res.status).toBe(403);
    expect((await staffRow(target.id))!.active).toBe(true);
  });

  it('an anonymous caller gets 401 from create', async () => {
    const res = await new TrpcClient(env.app).mutate('staff.create', staffInput('doctor'));
    expect(res.status).toBe(401);
  });
});

describe('reading one staff record', () => {
  it('an admin can read anyone', async () => {
    const res = await admin.query<Staff>('staff.get', { id: env.staff.pharmacist.id });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: env.staff.pharmacist.id, username: 'pharmacist', role: 'pharmacist' });
    expect(JSON.stringify(res.data)).not.toMatch(/password|hash|argon/i);
  });

  it('a nurse can read her own record', async () => {
    const res = await nurse.query<Staff>('staff.get', { id: env.staff.nurse.id });
    expect(res.status).toBe(200);
    expect(res.data.username).toBe('nurse');
  });

  it('a nurse cannot read another staff member’s record (403)', async () => {
    const res = await nurse.query('staff.get', { id: env.nurse2.id });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
  });

  it('accepts a staff number such as DOC0002 as the id', async () => {
    const ref = formatStaffNumber('doctor', env.staff.doctor.id);
    const res = await admin.query<Staff>('staff.get', { id: ref });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: env.staff.doctor.id, staffNumber: ref });
  });

  it('accepts her own staff number from a nurse', async () => {
    const res = await nurse.query<Staff>('staff.get', { id: formatStaffNumber('nurse', env.staff.nurse.id).toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.data.id).toBe(env.staff.nurse.id);
  });

  it('gives 404 for a staff number whose prefix is not the member’s role (NRS + a doctor’s id)', async () => {
    const res = await admin.query('staff.get', { id: formatStaffNumber('nurse', env.staff.doctor.id) });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });

  it('gives 404 for an unknown id', async () => {
    const res = await admin.query('staff.get', { id: 987654 });
    expect(res.status).toBe(404);
    expect(res.error?.code).toBe('NOT_FOUND');
  });

  it('gives 400 for something that is neither an id nor a staff number', async () => {
    const res = await admin.query('staff.get', { id: 'XYZ-12' });
    expect(res.status).toBe(400);
  });

  it('an anonymous caller gets 401', async () => {
    expect((await new TrpcClient(env.app).query('staff.get', { id: env.staff.nurse.id })).status).toBe(401);
  });
});

describe('updating staff', () => {
  it('with the current version: 200, version 2, the change stored and stamped by the admin', async () => {
    const member = await hire('pharmacist');
    const res = await admin.mutate<Staff>('staff.update', { id: member.id, version: 1, jobTitle: 'Chief Pharmacist', updatedBy: 999 });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: member.id, version: 2, jobTitle: 'Chief Pharmacist', updatedBy: env.staff.admin.id });
    expect((await staffRow(member.id))!.jobTitle).toBe('Chief Pharmacist');
  });

  it('with a stale version: 409 STALE_VERSION and nothing changes', async () => {
    const member = await hire('pharmacist');
    expect((await admin.mutate('staff.update', { id: member.id, version: 1, address: 'First' })).status).toBe(200);
    const res = await admin.mutate('staff.update', { id: member.id, version: 1, address: 'Second' });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('STALE_VERSION');
    expect(await staffRow(member.id)).toMatchObject({ version: 2, address: 'First' });
  });

  it('of an unknown id: 404', async () => {
    const res = await admin.mutate('staff.update', { id: 987654, version: 1, address: 'Nowhere' });
    expect(res.status).toBe(404);
  });

  it('to a username someone else has: 409 DUPLICATE naming username', async () => {
    const a = await hire('nurse');
    const b = await hire('nurse');
    const res = await admin.mutate('staff.update', { id: b.id, version: 1, username: a.username });
    expect(res.status).toBe(409);
    expect(fieldPaths(res)).toEqual(['username']);
  });
});

describe('an admin resetting a password', () => {
  let member: Staff;
  let memberSession: TrpcClient;
  const newPassword = 'brand-new-password-77';

  beforeAll(async () => {
    member = await hire('nurse');
    memberSession = await loggedIn(env, member.username);
    const res = await admin.mutate('staff.update', { id: member.id, version: 1, password: newPassword });
    expect(res.status).toBe(200);
  });

  it('the old password no longer logs in', async () => {
    expect((await new TrpcClient(env.app).login(member.username, PASSWORD)).status).toBe(401);
  });

  it('the new password logs in', async () => {
    expect((await new TrpcClient(env.app).login(member.username, newPassword)).status).toBe(200);
  });

  it('ends the staff member’s existing session: the old cookie gets 401', async () => {
    const res = await memberSession.query('staff.get', { id: member.id });
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe('UNAUTHENTICATED');
  });

  it('does not put the password or its hash in the response or the audit trail', async () => {
    const other = await hire('nurse');
    const res = await admin.mutate('staff.update', { id: other.id, version: 1, password: 'yet-another-password-9' });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.data)).not.toMatch(/password|hash|argon/i);
    const trail = await admin.query<Page<{ action: string; before: unknown; after: unknown; detail: string | null }>>('audit.list', {
      staffId: env.staff.admin.id,
      limit: 1,
    });
    expect(trail.data.items[0]).toMatchObject({ action: 'update', detail: 'password reset' });
    expect(JSON.stringify(trail.data.items[0])).not.toMatch(/yet-another|argon/i);
  });
});

describe('deactivating staff', () => {
  it('returns {id, deleted: true} and marks the person inactive', async () => {
    const member = await hire('doctor');
    const res = await admin.mutate('staff.delete', { id: member.id });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: member.id, deleted: true });
    expect((await staffRow(member.id))!.active).toBe(false);
  });

  it('accepts a staff number as the id', async () => {
    const member = await hire('doctor');
    const res = await admin.mutate('staff.delete', { id: member.staffNumber });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id: member.id, deleted: true });
  });

  it('refuses a staff number with another role’s prefix (404), and the member stays active', async () => {
    const member = await hire('doctor');
    const res = await admin.mutate('staff.delete', { id: formatStaffNumber('nurse', member.id) });
    expect(res.status).toBe(404);
    expect((await staffRow(member.id))!.active).toBe(true);
  });

  it('the person cannot log in any more (401)', async () => {
    const member = await hire('doctor');
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    const res = await new TrpcClient(env.app).login(member.username);
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe('UNAUTHENTICATED');
  });

  it('ends the person’s session: their old cookie gets 401', async () => {
    const member = await hire('nurse');
    const session = await loggedIn(env, member.username);
    expect((await session.query('staff.get', { id: member.id })).status).toBe(200);
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    expect((await session.query('staff.get', { id: member.id })).status).toBe(401);
    expect(await env.database.db.select().from(sessions).where(eq(sessions.staffId, member.id))).toHaveLength(0);
  });

  it('the person vanishes from staff.list', async () => {
    const member = await hire('pharmacist');
    const listed = async () => {
      const res = await admin.query<Page<Staff>>('staff.list', { role: 'pharmacist', limit: 100 });
      return res.data.items.map((s) => s.id);
    };
    expect(await listed()).toContain(member.id);
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    expect(await listed()).not.toContain(member.id);
  });

  it('the count for the role drops by one', async () => {
    const member = await hire('recordofficer');
    const before = (await admin.query<StaffCounts>('staff.counts')).data;
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    const after = (await admin.query<StaffCounts>('staff.counts')).data;
    expect(after).toEqual({ ...before, recordofficer: before.recordofficer - 1 });
  });

  it('an admin cannot deactivate themself (400), and stays active', async () => {
    const res = await admin.mutate('staff.delete', { id: env.staff.admin.id });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('VALIDATION');
    expect((await staffRow(env.staff.admin.id))!.active).toBe(true);
  });

  it('deactivating someone already deactivated gives 404', async () => {
    const member = await hire('doctor');
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(404);
  });

  it('a deactivated staff member cannot be updated (409)', async () => {
    const member = await hire('doctor');
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    const version = (await staffRow(member.id))!.version;
    const res = await admin.mutate('staff.update', { id: member.id, version, jobTitle: 'Back again' });
    expect(res.status).toBe(409);
  });
});

describe('staff counts and lists', () => {
  it('any signed-in user gets the counts by role, and a new hire adds one to its role', async () => {
    const before = await nurse.query<StaffCounts>('staff.counts');
    expect(before.status).toBe(200);
    await hire('pharmacist');
    const after = await records.query<StaffCounts>('staff.counts');
    expect(after.data).toEqual({ ...before.data, pharmacist: before.data.pharmacist + 1 });
  });

  it('the counts match the active staff in the database', async () => {
    const res = await doctor.query<StaffCounts>('staff.counts');
    const rows = await env.database.db.select().from(staffTable).where(eq(staffTable.active, true));
    for (const role of ['admin', 'doctor', 'nurse', 'pharmacist', 'recordofficer'] as const) {
      expect(res.data[role]).toBe(rows.filter((r) => r.role === role).length);
    }
  });

  it('any signed-in user lists the staff of one role, and only that role', async () => {
    const res = await pharmacist.query<Page<Staff>>('staff.list', { role: 'doctor', limit: 100 });
    expect(res.status).toBe(200);
    const ids = res.data.items.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([env.staff.doctor.id, env.doctor2.id]));
    expect(res.data.items.every((s) => s.role === 'doctor')).toBe(true);
    expect(JSON.stringify(res.data)).not.toMatch(/password|hash|argon/i);
  });

  it('pages through a role with nextCursor, each member exactly once', async () => {
    for (let i = 0; i < 3; i++) await hire('recordofficer');
    const all = (await admin.query<Page<Staff>>('staff.list', { role: 'recordofficer', limit: 100 })).data.items.map((s) => s.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await nurse.query<Page<Staff>>('staff.list', { role: 'recordofficer', limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.data.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.data.items.map((s) => s.id));
      cursor = res.data.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 50);
    expect(cursor).toBeUndefined();
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(seen).toEqual(all);
  });

  it('refuses a list without a role (400 naming role)', async () => {
    const res = await nurse.query('staff.list', {});
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('role');
  });

  it('refuses a limit above 100', async () => {
    expect((await nurse.query('staff.list', { role: 'nurse', limit: 101 })).status).toBe(400);
  });

  it('an anonymous caller gets 401 from counts and list', async () => {
    const anonymous = new TrpcClient(env.app);
    expect((await anonymous.query('staff.counts')).status).toBe(401);
    expect((await anonymous.query('staff.list', { role: 'doctor' })).status).toBe(401);
  });
});

describe('per-staff listings', () => {
  /** Items each person made, recorded in beforeAll: the listings must show these and nothing of anyone else's. */
  const made: Record<string, number[]> = {};
  let pharmacist2: Staff;

  beforeAll(async () => {
    pharmacist2 = await hire('pharmacist');
    const pharmacist2Session = await loggedIn(env, pharmacist2.username);
    const [doctor2, nurse2] = await Promise.all([loggedIn(env, 'doctor2'), loggedIn(env, 'nurse2')]);
    const ok = <T>(res: { status: number; data: T; error?: unknown }) => {
      if (res.status !== 200) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.error)}`);
      return res.data;
    };
    const patient = ok(await records.mutate<{ id: number }>('patients.create', patientInput()));
    const drug = ok(await pharmacist.mutate<{ id: number }>('drugs.create', drugInput()));
    const line = { drugId: drug.id, dose: '1 tab', frequency: 'tds', duration: '3 days', route: 'oral', quantity: 2 };

    for (const [who, session] of [
      ['doctor', doctor],
      ['doctor2', doctor2],
    ] as const) {
      const c = ok(
        await session.mutate<{ id: number }>('consultations.create', { patientId: patient.id, provisionalDiagnosis: `Malaria (${who})` }),
      );
      const p = ok(
        await session.mutate<{ id: number }>('prescriptions.create', { patientId: patient.id, consultationId: c.id, lines: [line] }),
      );
      made[`${who}:consultations`] = [c.id];
      made[`${who}:prescriptions`] = [p.id];
      const dispenser = who === 'doctor' ? pharmacist : pharmacist2Session;
      ok(await dispenser.mutate('prescriptions.dispense', { patientId: patient.id, consultationId: c.id }));
      made[`${who === 'doctor' ? 'pharmacist' : 'pharmacist2'}:dispensed`] = [p.id];
    }
    for (const [who, session] of [
      ['nurse', nurse],
      ['nurse2', nurse2],
    ] as const) {
      const v = ok(await session.mutate<{ id: number }>('vitals.create', { patientId: patient.id, pulseRate: 72 }));
      made[`${who}:vitals`] = [v.id];
    }
  });

  const listings = [
    {
      procedure: 'staff.doctorConsultations',
      owner: 'doctor',
      peer: 'doctor2',
      wrongRole: 'nurse',
      kind: 'consultations',
      ownerField: 'doctorId',
    },
    {
      procedure: 'staff.doctorPrescriptions',
      owner: 'doctor',
      peer: 'doctor2',
      wrongRole: 'nurse',
      kind: 'prescriptions',
      ownerField: 'prescriberId',
    },
    { procedure: 'staff.nurseVitals', owner: 'nurse', peer: 'nurse2', wrongRole: 'doctor', kind: 'vitals', ownerField: 'nurseId' },
    {
      procedure: 'staff.pharmacistDispensed',
      owner: 'pharmacist',
      peer: 'pharmacist2',
      wrongRole: 'nurse',
      kind: 'dispensed',
      ownerField: 'dispensedBy',
    },
  ] as const;

  const idOf = (who: string): number =>
    who === 'pharmacist2'
      ? pharmacist2.id
      : who === 'doctor2'
        ? env.doctor2.id
        : who === 'nurse2'
          ? env.nurse2.id
          : env.staff[who as Role].id;
  const sessionOf = (who: 'doctor' | 'nurse' | 'pharmacist') => ({ doctor, nurse, pharmacist })[who];

  describe.each(listings)('$procedure', ({ procedure, owner, peer, wrongRole, kind, ownerField }) => {
    it('that person gets their own items only', async () => {
      const res = await sessionOf(owner).query<Page<Record<string, unknown>>>(procedure, { staffId: idOf(owner) });
      expect(res.status).toBe(200);
      expect(res.data.items.map((i) => i.id)).toEqual(made[`${owner}:${kind}`]);
      expect(res.data.items.every((i) => i[ownerField] === idOf(owner))).toBe(true);
    });

    it('an admin gets that person’s items', async () => {
      const res = await admin.query<Page<Record<string, unknown>>>(procedure, { staffId: formatStaffNumber(owner, idOf(owner)) });
      expect(res.status).toBe(200);
      expect(res.data.items.map((i) => i.id)).toEqual(made[`${owner}:${kind}`]);
    });

    it('a colleague of the same role gets 403', async () => {
      const res = await sessionOf(owner).query(procedure, { staffId: idOf(peer) });
      expect(res.status).toBe(403);
      expect(res.error?.code).toBe('FORBIDDEN');
    });

    it('a staff member of the wrong role for the listing gives 404', async () => {
      const res = await admin.query(procedure, { staffId: idOf(wrongRole) });
      expect(res.status).toBe(404);
      expect(res.error?.code).toBe('NOT_FOUND');
    });

    it('a staff number with another role’s prefix gives 404', async () => {
      const res = await admin.query(procedure, { staffId: formatStaffNumber(wrongRole, idOf(owner)) });
      expect(res.status).toBe(404);
    });

    it('an unknown staff member gives 404', async () => {
      expect((await admin.query(procedure, { staffId: 987654 })).status).toBe(404);
    });
  });

  it('a nurse asking for a doctor’s listing with her own id gets 404 (she is no doctor)', async () => {
    const res = await nurse.query('staff.doctorConsultations', { staffId: env.staff.nurse.id });
    expect(res.status).toBe(404);
  });

  it('an anonymous caller gets 401', async () => {
    expect((await new TrpcClient(env.app).query('staff.doctorConsultations', { staffId: env.staff.doctor.id })).status).toBe(401);
  });
});

describe('reactivating staff', () => {
  async function deactivated(role: Role = 'nurse'): Promise<Staff> {
    const member = await hire(role);
    expect((await admin.mutate('staff.delete', { id: member.id })).status).toBe(200);
    return member;
  }

  it('an admin reactivates a deactivated account: active again, version up, stamped by the admin', async () => {
    const member = await deactivated();
    const before = (await staffRow(member.id))!;
    const res = await admin.mutate<Staff>('staff.reactivate', { id: member.id });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: member.id, active: true, version: before.version + 1, updatedBy: env.staff.admin.id });
    const row = (await staffRow(member.id))!;
    expect(row.active).toBe(true);
    expect(row.deactivatedAt).toBeNull();
  });

  it('the person signs in again with their old password', async () => {
    const member = await deactivated();
    expect((await new TrpcClient(env.app).login(member.username)).status).toBe(401);
    expect((await admin.mutate('staff.reactivate', { id: member.id })).status).toBe(200);
    expect((await new TrpcClient(env.app).login(member.username)).status).toBe(200);
  });

  it('accepts a staff number as the id', async () => {
    const member = await deactivated('doctor');
    const res = await admin.mutate<Staff>('staff.reactivate', { id: member.staffNumber });
    expect(res.status).toBe(200);
    expect(res.data.active).toBe(true);
  });

  it('the person is listed and counted again', async () => {
    const member = await deactivated('pharmacist');
    const before = (await admin.query<StaffCounts>('staff.counts')).data;
    expect((await admin.mutate('staff.reactivate', { id: member.id })).status).toBe(200);
    expect((await admin.query<StaffCounts>('staff.counts')).data).toEqual({ ...before, pharmacist: before.pharmacist + 1 });
    const listed = await admin.query<Page<Staff>>('staff.list', { role: 'pharmacist', limit: 100 });
    expect(listed.data.items.map((s) => s.id)).toContain(member.id);
  });

  it('is audited as an update by the admin, from inactive to active', async () => {
    const member = await deactivated();
    expect((await admin.mutate('staff.reactivate', { id: member.id })).status).toBe(200);
    const trail = await admin.query<Page<{ action: string; entityId: number; before: unknown; after: unknown; detail: string | null }>>(
      'audit.list',
      {
        staffId: env.staff.admin.id,
        limit: 1,
      },
    );
    expect(trail.data.items[0]).toMatchObject({
      action: 'update',
      entityId: member.id,
      before: { active: false },
      after: { active: true },
      detail: 'reactivated',
    });
  });

  it('reactivating an active account is a 409 and changes nothing', async () => {
    const member = await hire('nurse');
    const res = await admin.mutate('staff.reactivate', { id: member.id });
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe('CONFLICT');
    expect((await staffRow(member.id))!.version).toBe(1);
  });

  it('an unknown id is a 404, and a staff number with another role’s prefix too', async () => {
    expect((await admin.mutate('staff.reactivate', { id: 987_654 })).status).toBe(404);
    const member = await deactivated('doctor');
    expect((await admin.mutate('staff.reactivate', { id: formatStaffNumber('nurse', member.id) })).status).toBe(404);
    expect((await staffRow(member.id))!.active).toBe(false);
  });

  it('something that is not a staff id is a 400 naming id', async () => {
    const res = await admin.mutate('staff.reactivate', { id: 'bogus' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('id');
  });

  it('only an admin may reactivate (403), and the account stays inactive', async () => {
    const member = await deactivated();
    for (const client of [doctor, nurse, pharmacist, records]) {
      const res = await client.mutate('staff.reactivate', { id: member.id });
      expect(res.status).toBe(403);
      expect(res.error?.code).toBe('FORBIDDEN');
    }
    expect((await staffRow(member.id))!.active).toBe(false);
    expect((await new TrpcClient(env.app).mutate('staff.reactivate', { id: member.id })).status).toBe(401);
  });
});

describe('listing deactivated staff', () => {
  it('an admin lists the deactivated staff of a role with active: false, and only those', async () => {
    const gone = await hire('recordofficer');
    const still = await hire('recordofficer');
    expect((await admin.mutate('staff.delete', { id: gone.id })).status).toBe(200);
    const res = await admin.query<Page<Staff>>('staff.list', { role: 'recordofficer', active: false, limit: 100 });
    expect(res.status).toBe(200);
    const ids = res.data.items.map((s) => s.id);
    expect(ids).toContain(gone.id);
    expect(ids).not.toContain(still.id);
    expect(res.data.items.every((s) => !s.active && s.role === 'recordofficer')).toBe(true);
  });

  it('pages through the deactivated staff with nextCursor', async () => {
    const members = [await hire('admin'), await hire('admin'), await hire('admin')];
    for (const m of members) expect((await admin.mutate('staff.delete', { id: m.id })).status).toBe(200);
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await admin.query<Page<Staff>>('staff.list', { role: 'admin', active: false, limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...res.data.items.map((s) => s.id));
      if (!res.data.nextCursor) break;
      cursor = res.data.nextCursor;
    }
    expect(seen).toEqual(expect.arrayContaining(members.map((m) => m.id)));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('active: true is the default and lists only active staff', async () => {
    const res = await admin.query<Page<Staff>>('staff.list', { role: 'nurse', limit: 100 });
    expect(res.data.items.every((s) => s.active)).toBe(true);
  });

  it('a non-admin may list active staff but gets 403 for the deactivated ones', async () => {
    expect((await nurse.query('staff.list', { role: 'doctor', active: true })).status).toBe(200);
    const res = await nurse.query('staff.list', { role: 'doctor', active: false });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('FORBIDDEN');
  });

  it('active that is not a boolean is a 400 naming active', async () => {
    const res = await admin.query('staff.list', { role: 'doctor', active: 'maybe' });
    expect(res.status).toBe(400);
    expect(fieldPaths(res)).toContain('active');
  });
});

describe('the staff directory (issue 11, finding 3)', () => {
  it("shows every other role a colleague's name, role, staff number and job title, never their personal details", async () => {
    const PERSONAL = ['dob', 'address', 'phoneNumber', 'email', 'nextOfKin', 'kinAddress', 'username', 'maritalStatus', 'gender'];
    for (const client of [records, nurse, pharmacist, doctor]) {
      const admins = await client.query('staff.list', { role: 'admin' });
      expect(admins.status).toBe(200);
      expect(admins.data.items.length).toBeGreaterThan(0);
      for (const entry of admins.data.items) {
        expect(Object.keys(entry).sort()).toEqual(['active', 'fullName', 'id', 'jobTitle', 'role', 'staffNumber']);
        for (const key of PERSONAL) expect(entry).not.toHaveProperty(key);
      }
    }
  });

  it('gives the admin the full records, and each person their own', async () => {
    const full = await admin.query('staff.list', { role: 'doctor' });
    expect(full.data.items[0]).toHaveProperty('email');
    const mine = (await doctor.query('staff.list', { role: 'doctor', limit: 100 })).data.items as { id: number; email?: string }[];
    expect(mine.find((s) => s.id === env.staff.doctor.id)).toHaveProperty('email');
    expect(mine.find((s) => s.id === env.doctor2.id)).not.toHaveProperty('email');
  });
});

describe('staff activity lists give an admin who did what when, not clinical data (issue 11, finding 8)', () => {
  it('gives the admin who saw which patient when, without clinical text; the doctor their consultations in full', async () => {
    const patient = (await records.mutate('patients.create', { firstName: 'Act', lastName: 'Ivity', gender: 'Male', dob: '1980-01-01' }))
      .data;
    await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'Secret diagnosis', plan: 'Secret plan' });
    const forAdmin = await admin.query('staff.doctorConsultations', { staffId: env.staff.doctor.id });
    expect(forAdmin.status).toBe(200);
    expect(JSON.stringify(forAdmin.data)).not.toContain('Secret');
    expect(forAdmin.data.items[0]).toMatchObject({
      patientId: expect.any(Number),
      doctorId: env.staff.doctor.id,
      clinicalTextWithheld: true,
    });
    expect(forAdmin.data.items[0]).not.toHaveProperty('provisionalDiagnosis');
    const own = await doctor.query('staff.doctorConsultations', { staffId: env.staff.doctor.id });
    expect(own.data.items[0]).toMatchObject({ provisionalDiagnosis: 'Secret diagnosis', plan: 'Secret plan' });
  });

  it("a doctor's prescriptions, a pharmacist's dispensing and a nurse's vital signs reach the admin without drugs, notes or readings", async () => {
    const patient = (await records.mutate('patients.create', patientInput())).data;
    const consultation = (await doctor.mutate('consultations.create', { patientId: patient.id, provisionalDiagnosis: 'x' })).data;
    const ref = { patientId: patient.id, consultationId: consultation.id };
    const drug = (await pharmacist.mutate('drugs.create', drugInput({ name: uniqueName('Secretdrug'), stockOnHand: 50 }))).data;
    const rx = await doctor.mutate('prescriptions.create', {
      ...ref,
      notes: 'Secret note',
      lines: [{ drugId: drug.id, dose: 'Secret dose', frequency: 'daily', duration: '5 days', route: 'oral', quantity: 5 }],
    });
    expect(rx.status, JSON.stringify(rx.error)).toBe(200);
    expect((await pharmacist.mutate('prescriptions.dispense', ref)).status).toBe(200);
    expect((await nurse.mutate('vitals.create', { ...ref, temperature: 39.4, pulseRate: 131 })).status).toBe(200);

    const lists = [
      ['staff.doctorPrescriptions', env.staff.doctor.id, doctor, { prescriberId: env.staff.doctor.id, status: 'dispensed' }, 'notes'],
      ['staff.pharmacistDispensed', env.staff.pharmacist.id, pharmacist, { dispensedBy: env.staff.pharmacist.id }, 'lines'],
      ['staff.nurseVitals', env.staff.nurse.id, nurse, { nurseId: env.staff.nurse.id }, 'temperature'],
    ] as const;
    for (const [procedure, staffId, self, meta, clinical] of lists) {
      const forAdmin = await admin.query(procedure, { staffId });
      expect(forAdmin.status, procedure).toBe(200);
      const text = JSON.stringify(forAdmin.data);
      expect(text, procedure).not.toContain('Secret');
      // The readings as JSON values, not as digits anywhere (a timestamp's milliseconds can read "131").
      for (const reading of ['39.4', '131'])
        expect(text, procedure).not.toMatch(new RegExp(`[:,\\[]${reading.replace('.', '\\.')}[,}\\]]`));
      expect(forAdmin.data.items[0], procedure).toMatchObject({ patientId: patient.id, ...meta, clinicalTextWithheld: true });
      expect(forAdmin.data.items[0], procedure).not.toHaveProperty(clinical);
      const own = await self.query(procedure, { staffId });
      expect(own.data.items[0], procedure).toHaveProperty(clinical);
      expect(own.data.items[0], procedure).not.toHaveProperty('clinicalTextWithheld');
    }
  });
});
