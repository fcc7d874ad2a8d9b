/**
 * The clinical record kinds as rows of one table, and the two transports, for the table-driven tests of the rules
 * every clinical record shares (decision 003): author-only changes within 24 hours, versions, audit. A new record kind
 * gets those tests by adding a row to KINDS; its own test file keeps only what is particular to it.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { count, eq } from 'drizzle-orm';
import type { AuditEntity } from '@hmis/shared';
import { consultations, nurseNotes, prescriptionDrugs, prescriptions, vitals } from '../src/db/schema';
import { API_ROUTES } from '../src/rest/routes';
import { createTestEnv, drugInput, loggedIn, patientInput, TrpcClient, type CallResult, type TestEnv } from './helpers';
import { RestClient, restLoggedIn } from './rest-helpers';

/** The signed-in staff of a test database, by username: two doctors and two nurses for "not the author" cases. */
export const PEOPLE = ['records', 'doctor', 'doctor2', 'nurse', 'nurse2', 'pharmacist', 'admin'] as const;
export type Who = (typeof PEOPLE)[number];

export interface World {
  env: TestEnv;
  trpc: Record<Who, TrpcClient>;
  /** REST clients sign in on first use: most files never need them. */
  rest(who: Who): Promise<RestClient>;
}

/** Every person of PEOPLE signed in over tRPC, each with a session of their own. */
async function signIn(env: TestEnv): Promise<Record<Who, TrpcClient>> {
  const clients = await Promise.all(PEOPLE.map((who) => loggedIn(env, who)));
  return Object.fromEntries(PEOPLE.map((who, i) => [who, clients[i]])) as Record<Who, TrpcClient>;
}

/**
 * A fresh database with everyone signed in, for the tests of one file: the hooks are registered where this is
 * called; the world is filled in before the first test. The clock goes back to now after each test.
 */
export function clinicalWorld(): World {
  const world = {} as World;
  beforeAll(async () => {
    const env = await createTestEnv();
    const rest = new Map<Who, Promise<RestClient>>();
    Object.assign(world, {
      env,
      trpc: await signIn(env),
      rest(who: Who) {
        if (!rest.has(who)) rest.set(who, restLoggedIn(env.app, who));
        return rest.get(who)!;
      },
    });
  });
  afterEach(() => world.env.clock.reset());
  afterAll(async () => world.env?.close());
  return world;
}

export function staffId(w: World, who: Who): number {
  const { env } = w;
  const ids: Record<Who, number> = {
    records: env.staff.recordofficer.id,
    doctor: env.staff.doctor.id,
    doctor2: env.doctor2.id,
    nurse: env.staff.nurse.id,
    nurse2: env.nurse2.id,
    pharmacist: env.staff.pharmacist.id,
    admin: env.staff.admin.id,
  };
  return ids[who];
}

async function created<T = any>(res: Promise<{ status: number; data: T; error?: unknown }>): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.error)).toBe(200);
  return r.data;
}

export async function newPatient(w: World): Promise<number> {
  return (await created(w.trpc.records.mutate('patients.create', patientInput()))).id as number;
}

/** A consultation by the doctor. */
export async function newConsultation(w: World, patientId: number): Promise<number> {
  return (await created(w.trpc.doctor.mutate('consultations.create', { patientId, provisionalDiagnosis: 'Malaria' }))).id as number;
}

export async function newDrug(w: World): Promise<number> {
  return (await created(w.trpc.pharmacist.mutate('drugs.create', drugInput()))).id as number;
}

export function drugLine(drugId: number, overrides: Record<string, unknown> = {}) {
  return { drugId, dose: '1 tablet', frequency: 'twice daily', duration: '5 days', route: 'oral', quantity: 10, ...overrides };
}

/** Where a record sits: its patient and, for some kinds, the consultation it belongs to. */
export type Parent = { patientId: number; consultationId?: number };
/** Where a new record will sit, and a valid body to create it. */
export type Prepared = { at: Parent; body: Record<string, unknown> };

const recordTables = { consultations, vitals, nurseNotes, prescriptions, prescriptionDrugs };
export type RecordTable = keyof typeof recordTables;

/** A clinical record's row as stored, or undefined (never written, or deleted). */
export async function storedRow(w: World, table: RecordTable, id: number): Promise<Record<string, unknown> | undefined> {
  const t = recordTables[table];
  const [row] = await w.env.database.db.select().from(t).where(eq(t.id, id));
  return row;
}

/** The paths of the fields a refusal names. */
export const fieldPaths = (res: Pick<CallResult, 'error'>) => res.error?.fields?.map((f) => f.path) ?? [];

export interface ClinicalKind {
  /** For test names. */
  name: string;
  /** The entity type of its create, update and delete audit events. */
  entityType: AuditEntity;
  /** The entity type of the view event a read of it writes. */
  viewedAs: AuditEntity;
  /** Who writes it; another staff member of the same role; someone of another role. */
  author: Who;
  rival: Who;
  otherRole: Who;
  /** Fields naming the author besides createdBy and updatedBy (as answered and as stored). */
  authorFields: string[];
  /** The answer's field with the author's name, if it has one. */
  authorName?: string;
  /** Where it is stored. */
  table: RecordTable;
  procedures: { create: string; get: string; update: string; delete: string; list?: string };
  /** Makes what a record hangs on for a patient (a consultation, a prescription) and a valid body to create one. */
  prepare(w: World, patientId: number): Promise<Prepared>;
  /** How a record is named: by its id under its parent, or by its parent alone (one prescription per consultation). */
  namedBy: 'id' | 'parent';
  /** The record in what `get` answers, when it is read through another (a drug line through its prescription). */
  pick?(read: any, id: number): any;
  /** A field an update changes, and two new values for it. */
  edit: { field: string; values: readonly [unknown, unknown] };
  /** When its 24 hours start, if not at its own creation (a drug line's are its prescription's). */
  windowOpensAt?(w: World, made: Made): Promise<string>;
  /** Roles besides the author's that may read it; roles that may not create it; roles that may not read it. */
  alsoReadBy: Who[];
  cannotCreate: Who[];
  cannotRead: Who[];
}

/** A patient's own visit: the consultation a prescription, vital signs or a drug line belongs to. */
async function visit(w: World, patientId: number): Promise<Parent> {
  return { patientId, consultationId: await newConsultation(w, patientId) };
}

export const KINDS: ClinicalKind[] = [
  {
    name: 'consultation',
    entityType: 'consultation',
    viewedAs: 'consultation',
    table: 'consultations',
    author: 'doctor',
    rival: 'doctor2',
    otherRole: 'nurse',
    authorFields: ['doctorId'],
    authorName: 'doctorName',
    procedures: {
      create: 'consultations.create',
      get: 'consultations.get',
      update: 'consultations.update',
      delete: 'consultations.delete',
      list: 'consultations.list',
    },
    prepare: async (_w, patientId) => ({
      at: { patientId },
      body: { provisionalDiagnosis: 'Malaria', plan: 'Malaria RDT, review in 48 hours' },
    }),
    namedBy: 'id',
    edit: { field: 'plan', values: ['Admit for IV artesunate', 'Oral ACT, review in 24 hours'] },
    alsoReadBy: ['nurse'],
    cannotCreate: ['nurse', 'pharmacist', 'records', 'admin'],
    cannotRead: ['pharmacist', 'records', 'admin'],
  },
  {
    // Over REST vital signs are recorded in a consultation, so each record here belongs to one (over tRPC too).
    name: 'vital signs',
    entityType: 'vital',
    viewedAs: 'vital',
    table: 'vitals',
    author: 'nurse',
    rival: 'nurse2',
    otherRole: 'doctor',
    authorFields: ['nurseId'],
    authorName: 'nurseName',
    procedures: { create: 'vitals.create', get: 'vitals.get', update: 'vitals.update', delete: 'vitals.delete', list: 'vitals.list' },
    prepare: async (w, patientId) => ({ at: await visit(w, patientId), body: { pulseRate: 72, temperature: 36.8 } }),
    namedBy: 'id',
    edit: { field: 'pulseRate', values: [90, 110] },
    alsoReadBy: ['doctor'],
    cannotCreate: ['doctor', 'pharmacist', 'records', 'admin'],
    cannotRead: ['pharmacist', 'records', 'admin'],
  },
  {
    name: 'nurse note',
    entityType: 'nurse_note',
    viewedAs: 'nurse_note',
    table: 'nurseNotes',
    author: 'nurse',
    rival: 'nurse2',
    otherRole: 'doctor',
    authorFields: ['nurseId'],
    authorName: 'nurseName',
    procedures: {
      create: 'nurseNotes.create',
      get: 'nurseNotes.get',
      update: 'nurseNotes.update',
      delete: 'nurseNotes.delete',
      list: 'nurseNotes.list',
    },
    prepare: async (_w, patientId) => ({ at: { patientId }, body: { note: 'Patient comfortable, took oral fluids well.' } }),
    namedBy: 'id',
    edit: { field: 'note', values: ['Corrected: took 500 ml oral fluids.', 'Corrected: vomited once after fluids.'] },
    alsoReadBy: ['doctor'],
    cannotCreate: ['doctor', 'pharmacist', 'records', 'admin'],
    cannotRead: ['pharmacist', 'records', 'admin'],
  },
  {
    name: 'prescription',
    entityType: 'prescription',
    viewedAs: 'prescription',
    table: 'prescriptions',
    author: 'doctor',
    rival: 'doctor2',
    otherRole: 'pharmacist',
    authorFields: ['prescriberId'],
    authorName: 'prescriberName',
    procedures: {
      create: 'prescriptions.create',
      get: 'prescriptions.get',
      update: 'prescriptions.update',
      delete: 'prescriptions.delete',
      list: 'prescriptions.listForPatient',
    },
    prepare: async (w, patientId) => ({
      at: await visit(w, patientId),
      body: { notes: 'after meals', lines: [drugLine(await newDrug(w))] },
    }),
    namedBy: 'parent',
    edit: { field: 'notes', values: ['take with water', 'take at bedtime'] },
    alsoReadBy: ['nurse', 'pharmacist'],
    cannotCreate: ['nurse', 'pharmacist', 'records', 'admin'],
    cannotRead: ['records', 'admin'],
  },
  {
    // A drug line is changed as part of its prescription (decision 003): the prescription's author and window.
    name: 'drug line',
    entityType: 'drug_line',
    viewedAs: 'prescription',
    table: 'prescriptionDrugs',
    author: 'doctor',
    rival: 'doctor2',
    otherRole: 'pharmacist',
    authorFields: [],
    procedures: {
      create: 'prescriptions.addLine',
      get: 'prescriptions.get',
      update: 'prescriptions.updateLine',
      delete: 'prescriptions.deleteLine',
    },
    prepare: async (w, patientId) => {
      const at = await visit(w, patientId);
      await created(w.trpc.doctor.mutate('prescriptions.create', { ...at, lines: [drugLine(await newDrug(w))] }));
      return { at, body: drugLine(await newDrug(w)) };
    },
    namedBy: 'id',
    pick: (read: { lines: { id: number }[] }, id) => read.lines.find((l) => l.id === id),
    windowOpensAt: async (w, made) => (await created(w.trpc.doctor.query<{ createdAt: string }>('prescriptions.get', made.at))).createdAt,
    edit: { field: 'dose', values: ['2 tablets', '3 tablets'] },
    alsoReadBy: ['nurse', 'pharmacist'],
    cannotCreate: ['nurse', 'pharmacist', 'records', 'admin'],
    cannotRead: ['records', 'admin'],
  },
];

/** What either transport answered, in one shape. */
export interface Answer {
  status: number;
  /** The result on success. */
  data: any;
  /** The error code on failure. */
  code: string | undefined;
  /** The failing fields' paths. */
  fields: string[];
  headers: Record<string, string | string[] | number | undefined>;
}

type Call = (
  w: World,
  as: Who | null,
  type: 'query' | 'mutation',
  procedure: string,
  input: Record<string, unknown>,
  headers?: Record<string, string>,
) => Promise<Answer>;

export interface Transport {
  name: string;
  /** What a successful create answers. */
  createdStatus: number;
  call: Call;
}

/** The REST route of a procedure whose path parameters the input fills, with the path filled in and the rest of the input. */
function restRoute(procedure: string, input: Record<string, unknown>) {
  for (const route of API_ROUTES.filter((r) => r.procedure === procedure)) {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const keyOf = (name: string) => route.params?.[name] ?? name;
    if (!names.every((name) => input[keyOf(name)] !== undefined)) continue;
    const rest = { ...input };
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      delete rest[keyOf(name)];
      return String(input[keyOf(name)]);
    });
    return { method: route.method, url: `/api/v1${path}`, rest };
  }
  throw new Error(`No REST route for ${procedure} with ${Object.keys(input).join(', ')}`);
}

export const TRANSPORTS: Transport[] = [
  {
    name: 'tRPC',
    createdStatus: 200,
    async call(w, as, type, procedure, input, headers) {
      const client = as ? w.trpc[as] : new TrpcClient(w.env.app);
      const res = type === 'query' ? await client.query(procedure, input) : await client.mutate(procedure, input, headers);
      return { status: res.status, data: res.data, code: res.error?.code, fields: fieldPaths(res), headers: res.headers };
    },
  },
  {
    name: 'REST',
    createdStatus: 201,
    async call(w, as, _type, procedure, input, headers) {
      const client = as ? await w.rest(as) : new RestClient(w.env.app);
      const { method, url, rest } = restRoute(procedure, input);
      const query = new URLSearchParams(Object.entries(rest).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const res =
        method === 'GET' || method === 'DELETE'
          ? await client.call(method, query ? `${url}?${query}` : url, undefined, headers)
          : await client.call(method, url, rest, headers);
      const failed = res.status >= 400;
      return {
        status: res.status,
        data: failed ? undefined : res.body,
        code: failed ? res.body?.code : undefined,
        fields: failed ? (res.body?.fields ?? []).map((f: { path: string }) => f.path) : [],
        headers: res.headers,
      };
    },
  },
];

/** A record made for a test: where it sits and what its create answered. */
export interface Made {
  at: Parent;
  record: any;
}

/** The operations on one kind over one transport, by whoever is named (null: nobody signed in). */
export function recordsOf(w: World, t: Transport, kind: ClinicalKind) {
  const ref = (at: Parent, id: number) => (kind.namedBy === 'parent' ? { ...at } : { ...at, id });
  const read = async (as: Who | null, at: Parent, id: number) => {
    const res = await t.call(w, as, 'query', kind.procedures.get, ref(at, id));
    return kind.pick && res.status === 200 ? { ...res, data: kind.pick(res.data, id) } : res;
  };
  return {
    /** Creates a record where `prepare` made room for it, by the author unless someone else is named; extra goes in the body. */
    create: ({ at, body }: Prepared, as: Who | null = kind.author, extra: Record<string, unknown> = {}) =>
      t.call(w, as, 'mutation', kind.procedures.create, { ...at, ...body, ...extra }),
    /** A new record by the author, of a new patient unless one is given. */
    async make(patientId?: number): Promise<Made> {
      const prepared = await kind.prepare(w, patientId ?? (await newPatient(w)));
      const res = await this.create(prepared);
      expect(res.status, JSON.stringify(res)).toBe(t.createdStatus);
      return { at: prepared.at, record: res.data };
    },
    read: (made: Made, as: Who | null = kind.author, at: Parent = made.at) => read(as, at, made.record.id),
    update: (
      made: Made,
      version: number | undefined,
      value: unknown,
      as: Who | null = kind.author,
      at: Parent = made.at,
      headers?: Record<string, string>,
    ) =>
      t.call(
        w,
        as,
        'mutation',
        kind.procedures.update,
        { ...ref(at, made.record.id), ...(version === undefined ? {} : { version }), [kind.edit.field]: value },
        headers,
      ),
    remove: (made: Made, as: Who | null = kind.author, at: Parent = made.at) =>
      t.call(w, as, 'mutation', kind.procedures.delete, ref(at, made.record.id)),
    list: (as: Who | null, patientId: number, page: Record<string, unknown> = {}) =>
      t.call(w, as, 'query', kind.procedures.list!, { patientId, ...page }),
    /** The row as stored, or undefined once deleted. */
    stored: (made: Pick<Made, 'record'>) => storedRow(w, kind.table, made.record.id),
    async storedCount(): Promise<number> {
      const [row] = await w.env.database.db.select({ n: count() }).from(recordTables[kind.table]);
      return row!.n;
    },
  };
}
