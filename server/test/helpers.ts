/**
 * Test harness: a freshly migrated database per test file, the real app on it, a clock the test can move,
 * staff of every role, and a small HTTP client for /trpc that keeps cookies and the CSRF token like a browser.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { StaffCreateInput, type Role } from '@hmis/shared';
import { buildApp } from '../src/app';
import type { Clock } from '../src/clock';
import { connect, createDatabaseIfMissing, dropDatabase, migrateDatabase, type Database } from '../src/db/client';
import { createFirstAdmin, createStaff, getStaffRow, toActor } from '../src/services/staff';
import type { Actor } from '../src/services/context';
import { settleGroupCommits } from '../src/db/group-commit';

export const PASSWORD = 'test-password-123';

/** Starts at the real time; tests move it forward to cross the 24-hour edit window. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export const HOUR = 60 * 60 * 1000;

export interface TestEnv {
  url: string;
  database: Database;
  app: FastifyInstance;
  clock: MovableClock;
  /** One account per role, created through the services. */
  staff: Record<Role, Actor & { username: string }>;
  /** A second doctor and nurse, for "not the author" cases. */
  doctor2: Actor & { username: string };
  nurse2: Actor & { username: string };
  /** The deployment's session secret (a second server signs and reads the same cookies). */
  sessionSecret: string;
  /** A second server process of the same deployment (same database and secret). */
  anotherServer(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export const uniqueName = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;
/** Unique and letters only, so a name search is not mistaken for an MRN or phone search. */
export const uniqueWord = (prefix: string) => prefix + [...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

export async function createTestEnv(): Promise<TestEnv> {
  const url = `${inject('dbServerUrl').replace(/\/$/, '')}/${uniqueName('hmis_t_')}`;
  await createDatabaseIfMissing(url);
  const database = connect(url, { connectionLimit: 30 });
  await migrateDatabase(database.db);
  const clock = new MovableClock();
  const sessionSecret = randomBytes(32).toString('hex');
  const app = await buildApp({ db: database.db, clock, sessionSecret, secureCookies: false });

  const make = async (role: Role, username: string, creator: Actor | null) => {
    const input = StaffCreateInput.parse({
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      role,
      firstName: username,
      lastName: 'Tester',
      gender: 'Female',
    });
    const created = creator
      ? await createStaff(database.db, { actor: creator, clock, ip: null }, input)
      : await createFirstAdmin(database.db, { clock, ip: null }, input);
    return { ...toActor(await getStaffRow(database.db, created.id)), username };
  };
  const admin = await make('admin', 'admin', null);
  const staff = {
    admin,
    doctor: await make('doctor', 'doctor', admin),
    nurse: await make('nurse', 'nurse', admin),
    pharmacist: await make('pharmacist', 'pharmacist', admin),
    recordofficer: await make('recordofficer', 'records', admin),
  };
  const doctor2 = await make('doctor', 'doctor2', admin);
  const nurse2 = await make('nurse', 'nurse2', admin);

  return {
    url,
    database,
    app,
    clock,
    staff,
    doctor2,
    nurse2,
    sessionSecret,
    anotherServer: () => buildApp({ db: database.db, clock, sessionSecret, secureCookies: false }),
    async close() {
      await app.close();
      await database.close();
      await dropDatabase(url);
    },
  };
}

export interface CallResult<T = unknown> {
  status: number;
  /** The procedure's result on success. */
  data: T;
  /** The error body ({ code, message, fields }) on failure. */
  error: { code: string; message: string; fields?: { path: string; message: string }[] } | undefined;
  headers: Record<string, string | string[] | number | undefined>;
}

/** A browser-like client of /trpc: keeps the session cookie and sends the CSRF token on mutations. */
export class TrpcClient {
  cookie: string | undefined;
  csrfToken: string | undefined;
  constructor(private readonly app: FastifyInstance) {}

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    input: unknown,
    headers: Record<string, string> = {},
  ): Promise<CallResult<T>> {
    const url =
      method === 'GET'
        ? `/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
        : `/trpc/${path}`;
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' && this.csrfToken ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(method === 'POST' ? { payload: JSON.stringify(input ?? {}) } : {}),
    });
    // A read's view event is written after it answers (decision 008): let it land before the test looks.
    await settleGroupCommits();
    const setCookie = res.cookies.filter((c) => c.name === 'hmis_session').at(-1);
    if (setCookie) this.cookie = setCookie.value ? `hmis_session=${setCookie.value}` : undefined;
    const body = res.json() as { result?: { data: T }; error?: { data: CallResult['error'] }; code?: string; message?: string };
    const error = body.error ? body.error.data : body.code ? (body as CallResult['error']) : undefined;
    return { status: res.statusCode, data: body.result?.data as T, error, headers: res.headers };
  }

  query<T = any>(path: string, input?: unknown) {
    return this.send<T>('GET', path, input);
  }
  mutate<T = any>(path: string, input?: unknown, headers?: Record<string, string>) {
    return this.send<T>('POST', path, input, headers);
  }

  async login(username: string, password = PASSWORD): Promise<CallResult> {
    const res = await this.mutate<{ csrfToken: string }>('auth.login', { username, password });
    if (res.status === 200) this.csrfToken = res.data.csrfToken;
    return res;
  }
}

export async function loggedIn(env: TestEnv, username: string): Promise<TrpcClient> {
  const client = new TrpcClient(env.app);
  const res = await client.login(username);
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.error)}`);
  return client;
}

/** A valid patient registration; override what the test is about. */
export function patientInput(overrides: Record<string, unknown> = {}) {
  return {
    firstName: 'Jane',
    lastName: uniqueWord('Doe'),
    gender: 'Female',
    dob: '1990-04-16',
    phoneNumber: `+2348${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
    ...overrides,
  };
}

export function drugInput(overrides: Record<string, unknown> = {}) {
  return {
    name: uniqueName('Drug'),
    formulation: 'tablet',
    strength: '500 mg',
    route: 'oral',
    stockOnHand: 100,
    reorderLevel: 10,
    ...overrides,
  };
}
