/**
 * Every role against the permission table in shared/: for each permission, one procedure that needs it, called by
 * every role. Allowed roles must get through (no 401/403); the others must get 403; anonymous callers 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, can, type Permission, type Role } from '@hmis/shared';
import { createTestEnv, drugInput, loggedIn, patientInput, TrpcClient, type TestEnv } from './helpers';

let env: TestEnv;
const clients = {} as Record<Role, TrpcClient>;
const ids = { patient: 0, consultation: 0, drug: 0, vital: 0, note: 0 };

beforeAll(async () => {
  env = await createTestEnv();
  for (const role of ROLES) clients[role] = await loggedIn(env, env.staff[role].username);
  ids.patient = (await clients.recordofficer.mutate('patients.create', patientInput())).data.id;
  ids.consultation = (
    await clients.doctor.mutate('consultations.create', { patientId: ids.patient, provisionalDiagnosis: 'Malaria' })
  ).data.id;
  ids.drug = (await clients.pharmacist.mutate('drugs.create', drugInput())).data.id;
  ids.vital = (await clients.nurse.mutate('vitals.create', { patientId: ids.patient, pulseRate: 80 })).data.id;
  ids.note = (await clients.nurse.mutate('nurseNotes.create', { patientId: ids.patient, note: 'Comfortable' })).data.id;
});
afterAll(async () => env?.close());

type Call = { kind: 'query' | 'mutate'; path: string; input: () => unknown };
const q = (path: string, input: () => unknown = () => undefined): Call => ({ kind: 'query', path, input });
const m = (path: string, input: () => unknown): Call => ({ kind: 'mutate', path, input });

/** One representative procedure per permission. */
const CALLS: Record<Permission, Call> = {
  'patient:read': q('patients.get', () => ({ id: ids.patient })),
  'patient:write': m('patients.create', () => patientInput()),
  // A stale version: allowed roles get 409, the others 403 before the version is looked at.
  'allergy:write': m('patients.setAllergies', () => ({ id: ids.patient, version: 999, allergies: ['latex'] })),
  'consultation:read': q('consultations.list', () => ({ patientId: ids.patient })),
  'consultation:write': m('consultations.create', () => ({ patientId: ids.patient, provisionalDiagnosis: 'Review' })),
  'prescription:read': q('prescriptions.queue', () => ({})),
  'prescription:write': m('prescriptions.create', () => ({ patientId: ids.patient, consultationId: ids.consultation, lines: [] })),
  'prescription:dispense': m('prescriptions.dispense', () => ({ patientId: ids.patient, consultationId: ids.consultation })),
  'vital:read': q('vitals.get', () => ({ patientId: ids.patient, id: ids.vital })),
  'vital:write': m('vitals.create', () => ({ patientId: ids.patient, temperature: 37 })),
  'nursenote:read': q('nurseNotes.get', () => ({ patientId: ids.patient, id: ids.note })),
  'nursenote:write': m('nurseNotes.create', () => ({ patientId: ids.patient, note: 'Seen' })),
  'drug:read': q('drugs.get', () => ({ id: ids.drug })),
  'drug:write': m('drugs.create', () => drugInput()),
  'staff:list': q('staff.counts'),
  'staff:manage': m('staff.update', () => ({ id: 999_999, version: 1 })),
  'stats:read': q('system.stats'),
  'audit:read': q('audit.list', () => ({ patientId: ids.patient })),
};

const cases = (Object.keys(PERMISSIONS) as Permission[]).flatMap((p) => ROLES.map((role) => ({ p, role, allowed: can(role, p) })));

describe('the permission table is enforced on the server', () => {
  it.each(cases)('$p as $role → allowed: $allowed', async ({ p, role, allowed }) => {
    const call = CALLS[p];
    const res = await clients[role][call.kind](call.path, call.input());
    if (allowed) {
      expect([401, 403], `${call.path}: ${JSON.stringify(res.error)}`).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    } else {
      expect(res.status, `${call.path}: ${JSON.stringify(res.error)}`).toBe(403);
      expect(res.error?.code).toBe('FORBIDDEN');
    }
  });

  it.each(Object.keys(CALLS) as Permission[])('%s without signing in → 401', async (p) => {
    const call = CALLS[p];
    const res = await new TrpcClient(env.app)[call.kind](call.path, call.input());
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe('UNAUTHENTICATED');
  });

  it('a refused write changes nothing', async () => {
    const before = (await clients.admin.query('system.stats')).data;
    await clients.nurse.mutate('patients.create', patientInput());
    await clients.doctor.mutate('drugs.create', drugInput());
    expect((await clients.admin.query('system.stats')).data).toEqual(before);
  });
});
