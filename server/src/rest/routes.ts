/**
 * Every REST path and the tRPC procedure that serves it: one implementation, two transports. The OpenAPI document
 * is generated from this table and the procedures' zod schemas. To find `POST /patients`: search this file.
 */
import { Liveness, type Role, type Status } from '@hmis/shared';
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RestRoute {
  method: Method;
  /** OpenAPI-style path under the prefix, e.g. /patients/{patientId}. */
  path: string;
  /** Dotted tRPC path, e.g. patients.get. */
  procedure: string;
  summary: string;
  /** Path parameter → input key, when they differ (e.g. {patientId} is the `id` of patients.get). */
  params?: Record<string, string>;
  /** Input values fixed by the path (e.g. the role of /staffs/doctors). */
  fixed?: Record<string, unknown>;
  /** Success status; creates answer 201. */
  status?: 200 | 201;
  /** Needs no authentication. */
  public?: boolean;
  /** An example request body, shown in the OpenAPI document. */
  example?: unknown;
  /** A health check: when this says the result reports a failure, the same body is sent with 503 (load balancers). */
  unhealthy?: (result: unknown) => boolean;
}

/** A REST route with no procedure behind it: answered by the HTTP layer alone, public, never touching the database. */
export interface PlainRoute {
  method: 'GET';
  path: string;
  summary: string;
  output: z.ZodType;
  answer: () => unknown;
}

const r = (method: Method, path: string, procedure: string, summary: string, extra: Partial<RestRoute> = {}): RestRoute => ({
  method,
  path,
  procedure,
  summary,
  ...extra,
});

const P = '/patients/{patientId}';
const C = `${P}/consultations/{consultationId}`;
const RX = `${C}/prescription`;

const STAFF_PATHS: [string, Role][] = [
  ['doctors', 'doctor'],
  ['nurses', 'nurse'],
  ['pharmacists', 'pharmacist'],
  ['recordofficers', 'recordofficer'],
  ['admins', 'admin'],
];

/** The auth endpoints; served under /api/v1 and, as in the original system, at /auth. */
export const AUTH_ROUTES: RestRoute[] = [
  r('POST', '/auth/login', 'auth.login', 'Sign in with username or email and password; returns the user and a CSRF token', {
    public: true,
  }),
  r('GET', '/auth/isauthenticated', 'auth.me', 'Whether the caller is signed in, and as whom', { public: true }),
  r('GET', '/auth/csrf', 'auth.csrf', 'The CSRF token of the current session'),
  r(
    'POST',
    '/auth/password',
    'auth.changePassword',
    'Change your own password: give currentPassword and newPassword. Your other sessions end; this one continues with a new cookie and the returned CSRF token',
  ),
  r('GET', '/auth/logout', 'auth.logout', 'Sign out: the session is destroyed on the server'),
  r('POST', '/auth/logout', 'auth.logout', 'Sign out: the session is destroyed on the server'),
  r('GET', '/auth/tokens', 'apiTokens.list', 'Your personal API tokens (never the token itself)'),
  r('POST', '/auth/tokens', 'apiTokens.create', 'Create a personal API token; it is shown once', { status: 201 }),
  r('DELETE', '/auth/tokens/{id}', 'apiTokens.revoke', 'Revoke one of your API tokens'),
];

/** Under /api/v1 beside API_ROUTES. */
export const PLAIN_ROUTES: PlainRoute[] = [
  {
    method: 'GET',
    path: '/live',
    output: Liveness,
    answer: (): Liveness => ({ status: 'OK' }),
    summary:
      'Liveness: OK while the process serves HTTP, without asking the database (a restart would not mend it; see /status). For probes: send no cookie or token',
  },
];

/** Legacy spelling of the CSRF endpoint, outside /api/v1 only. */
export const LEGACY_AUTH_ROUTES: RestRoute[] = [r('GET', '/auth/getcsrf', 'auth.csrf', 'The CSRF token of the current session')];

export const API_ROUTES: RestRoute[] = [
  r(
    'GET',
    '/status',
    'system.status',
    'Readiness: OK when the server and its database answer; FAIL with HTTP 503 when the database does not',
    {
      public: true,
      unhealthy: (result) => (result as Status).status !== 'OK',
    },
  ),
  r('GET', '/stats', 'system.stats', 'How many records of each kind exist'),

  r(
    'GET',
    '/patients',
    'patients.list',
    'List patients, newest first, or search (q) as the user types: a name prefix (surname matches first, then first-name matches; "first last" both ways); an MRN prefix ("hmis-00"); digits alone ("0000001", "1", "5550101"), matched as an MRN first (its start, or the number of an HMIS MRN with or without leading zeros), then as a phone number; a phone number in any common form ("0803 555 0101", "+234 803…", "08035550101"), by its start, and without a leading + also by its last 7 or more digits',
  ),
  r('POST', '/patients', 'patients.create', 'Register a patient', { status: 201 }),
  r('GET', P, 'patients.get', "Open a patient's record (audited)", { params: { patientId: 'id' } }),
  r(
    'PUT',
    `${P}/allergies`,
    'patients.setAllergies',
    "Replace a patient's allergy list (record officers and doctors): each allergy free text, or coded as an allergy class, a drug substance (WHO ATC code) or a non-drug allergen, with reaction and severity; give the patient's version",
    {
      params: { patientId: 'id' },
      example: {
        version: 4,
        allergies: [
          { kind: 'class', code: 'penicillins', substance: 'Penicillins', reaction: 'Urticaria', severity: 'moderate' },
          { kind: 'allergen', code: 'latex', substance: 'Latex', severity: 'severe' },
          'dust',
        ],
      },
    },
  ),
  r(
    'GET',
    '/allergy-substances',
    'patients.allergySubstances',
    'What an allergy can be coded as, for what was typed (q): allergy classes of the shipped table, drug substances of the formulary, non-drug allergens',
  ),
  r('PUT', P, 'patients.update', "Update a patient's details", { params: { patientId: 'id' } }),
  r('DELETE', P, 'patients.delete', 'Delete a patient who has no clinical records', { params: { patientId: 'id' } }),

  r('GET', `${P}/consultations`, 'consultations.list', "A patient's consultations, newest first"),
  r('POST', `${P}/consultations`, 'consultations.create', 'Record a consultation', { status: 201 }),
  r('GET', C, 'consultations.get', 'One consultation', { params: { consultationId: 'id' } }),
  r('PUT', C, 'consultations.update', 'Change a consultation (author, within 24 hours)', { params: { consultationId: 'id' } }),
  r('DELETE', C, 'consultations.delete', 'Delete a consultation (author, within 24 hours)', { params: { consultationId: 'id' } }),

  r('GET', RX, 'prescriptions.get', "The consultation's prescription with its drug lines"),
  r('POST', RX, 'prescriptions.create', 'Write the prescription of a consultation', { status: 201 }),
  r('PUT', RX, 'prescriptions.update', 'Change the notes or cancel a pending prescription (author, within 24 hours)'),
  r('DELETE', RX, 'prescriptions.delete', 'Delete a pending prescription (author, within 24 hours)'),
  r('POST', `${RX}/drugs`, 'prescriptions.addLine', 'Add a drug line', { status: 201 }),
  r('PUT', `${RX}/drugs/{id}`, 'prescriptions.updateLine', 'Change a drug line (author, within 24 hours)'),
  r('DELETE', `${RX}/drugs/{id}`, 'prescriptions.deleteLine', 'Remove a drug line (author, within 24 hours)'),
  r('POST', `${RX}/dispense`, 'prescriptions.dispense', 'Dispense the prescription: stock of every line is taken at once'),

  r('GET', `${C}/vitals`, 'vitals.list', 'The vital signs recorded in a consultation'),
  r('POST', `${C}/vitals`, 'vitals.create', 'Record vital signs in a consultation', { status: 201 }),
  r('GET', `${C}/vitals/{vitalId}`, 'vitals.get', 'One set of vital signs', { params: { vitalId: 'id' } }),
  r('PUT', `${C}/vitals/{vitalId}`, 'vitals.update', 'Change vital signs (author, within 24 hours)', { params: { vitalId: 'id' } }),
  r('DELETE', `${C}/vitals/{vitalId}`, 'vitals.delete', 'Delete vital signs (author, within 24 hours)', { params: { vitalId: 'id' } }),
  r('GET', `${P}/vitals`, 'vitals.list', "All of a patient's vital signs, newest first"),
  r(
    'GET',
    `${P}/vitals/series`,
    'vitals.series',
    "A patient's readings for trend charts, oldest first (at most 5,000; `from` limits the period)",
  ),

  r(
    'GET',
    `${P}/prescriptions`,
    'prescriptions.listForPatient',
    "A patient's prescriptions across consultations with their drug lines, newest first; optionally by status (audited as a view)",
  ),

  r('GET', `${P}/nursenotes`, 'nurseNotes.list', "A patient's nurse notes, newest first"),
  r('POST', `${P}/nursenotes`, 'nurseNotes.create', 'Write a nurse note', { status: 201 }),
  r('GET', `${P}/nursenotes/{nursenoteId}`, 'nurseNotes.get', 'One nurse note', { params: { nursenoteId: 'id' } }),
  r('PUT', `${P}/nursenotes/{nursenoteId}`, 'nurseNotes.update', 'Change a nurse note (author, within 24 hours)', {
    params: { nursenoteId: 'id' },
  }),
  r('DELETE', `${P}/nursenotes/{nursenoteId}`, 'nurseNotes.delete', 'Delete a nurse note (author, within 24 hours)', {
    params: { nursenoteId: 'id' },
  }),

  r('GET', '/staffs', 'staff.counts', 'How many active staff of each role'),
  ...STAFF_PATHS.flatMap(([path, role]) => [
    r('GET', `/staffs/${path}`, 'staff.list', `Active ${path}; with active=false the deactivated ones (admin)`, { fixed: { role } }),
    r('POST', `/staffs/${path}`, 'staff.create', `Create a staff account with the role ${role} (admin)`, { fixed: { role }, status: 201 }),
  ]),
  r('GET', '/staffs/{staffId}', 'staff.get', 'One staff record (admin, or that person); staffId may be 12 or DOC0012', {
    params: { staffId: 'id' },
  }),
  r('PUT', '/staffs/{staffId}', 'staff.update', 'Update a staff account, or reset its password (admin)', { params: { staffId: 'id' } }),
  r('DELETE', '/staffs/{staffId}', 'staff.delete', 'Deactivate a staff account; its sessions end (admin)', { params: { staffId: 'id' } }),
  r(
    'POST',
    '/staffs/{staffId}/reactivate',
    'staff.reactivate',
    'Reactivate a deactivated staff account; it signs in with its old password (admin)',
    { params: { staffId: 'id' } },
  ),
  r('GET', '/staffs/doctors/{staffId}/consultations', 'staff.doctorConsultations', "A doctor's consultations (admin, or that doctor)"),
  r('GET', '/staffs/doctors/{staffId}/prescriptions', 'staff.doctorPrescriptions', "A doctor's prescriptions (admin, or that doctor)"),
  r('GET', '/staffs/nurses/{staffId}/vitals', 'staff.nurseVitals', 'Vital signs a nurse recorded (admin, or that nurse)'),
  r(
    'GET',
    '/staffs/pharmacists/{staffId}/prescriptions',
    'staff.pharmacistDispensed',
    'Prescriptions a pharmacist dispensed (admin, or that pharmacist)',
  ),

  r('GET', '/prescriptions', 'prescriptions.queue', 'The pharmacy queue: prescriptions by status (pending by default), oldest first'),

  r(
    'GET',
    '/drugs',
    'drugs.list',
    'The drug catalogue: search (q: a name or generic name, or a word in it, starting with q), filter (lowStock, expired, expiringSoon), sort (name, stock, expiry) and dir (asc, desc)',
  ),
  r(
    'GET',
    '/drugs/summary',
    'drugs.summary',
    'Inventory counts over the whole catalogue: total, at or below reorder level, expired, expiring within 90 days',
  ),
  r('POST', '/drugs', 'drugs.create', 'Add a drug to the catalogue', { status: 201 }),
  r('GET', '/drugs/{drugId}', 'drugs.get', 'One drug', { params: { drugId: 'id' } }),
  r(
    'PUT',
    '/drugs/{drugId}',
    'drugs.update',
    "Update a drug's catalogue fields and reorder level. Stock on hand and expiry dates are not edited here: they change only through the stock ledger (receipts, adjustments, write-offs, returns, dispensing); sent unchanged they are accepted, changed they are refused with 400",
    { params: { drugId: 'id' } },
  ),
  r(
    'GET',
    '/drugs/reports/expiring',
    'drugs.expiringLots',
    'Lots with stock expiring from today up to days ahead (default 90), nearest expiry first, over all drugs',
  ),
  r('GET', '/drugs/reports/expired', 'drugs.expiredLots', 'Expired lots still on hand (to write off), oldest expiry first, over all drugs'),
  r('GET', '/drugs/movements/{id}', 'drugs.movement', 'One stock movement by its id'),
  r(
    'GET',
    '/drugs/{drugId}/lots',
    'drugs.lots',
    "A drug's lots with stock, in the order dispensing takes them (first expiry first); includeEmpty=true adds used-up lots",
  ),
  r(
    'GET',
    '/drugs/{drugId}/stock-card',
    'drugs.stockCard',
    "A drug's stock card: every movement, newest first, with the running balance after it",
  ),
  r(
    'GET',
    '/drugs/{drugId}/lots/{lotId}/dispenses',
    'drugs.lotUsage',
    'Who received a lot (for a recall): its dispenses with patient and prescription, newest first (pharmacist; audited as a view)',
  ),
  r(
    'POST',
    '/drugs/{drugId}/receipts',
    'drugs.receive',
    'Receive stock of one lot: lotNumber, expiryDate (today or later), quantity, supplier, optional unitCost',
    {
      status: 201,
      example: {
        lotNumber: 'AMX2611B',
        expiryDate: '2028-06-30',
        quantity: 500,
        supplier: 'Central Medical Stores, Lagos',
        unitCost: '12.50',
        note: 'Invoice CMS-4471',
      },
    },
  ),
  r(
    'POST',
    '/drugs/{drugId}/adjustments',
    'drugs.adjust',
    "Correct a lot's count with a reason: count_correction (+ or −), damage or loss (−)",
    { status: 201, example: { lotId: 17, quantity: -24, reason: 'damage', note: 'Carton crushed in the store' } },
  ),
  r(
    'POST',
    '/drugs/{drugId}/write-offs',
    'drugs.writeOff',
    "Write off a lot's stock: expired (the lot must have expired) or recalled; all of it unless quantity is given",
    { status: 201, example: { lotId: 17, reason: 'expired' } },
  ),
  r('POST', '/drugs/{drugId}/returns', 'drugs.returnToStock', 'Return unused units to the lot they came from; the note says from where', {
    status: 201,
    example: { lotId: 17, quantity: 6, note: 'Unused, returned by Ward 3' },
  }),

  r(
    'GET',
    '/audit',
    'audit.list',
    'Audit events about a patient (patientId) or by a staff member (staffId), newest first; optionally of one action and from/to a day (server time zone) or instant; admin',
  ),
];
