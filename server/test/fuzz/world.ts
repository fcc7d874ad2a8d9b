/**
 * The world the generated requests run in: signed-in sessions and API tokens for every role, the records their
 * placeholders point at (renewed every few hundred cases, as the requests delete some), the accounts the test may
 * damage, the table checksums, and sending a request with its placeholders filled in.
 */
import { sql } from 'drizzle-orm';
import { request as httpRequest } from 'node:http';
import { ROLES, type Role } from '@hmis/shared';
import { callProcedure, procedureAt } from '../../src/trpc/call';
import type { TrpcContext } from '../../src/trpc/trpc';
import { drugInput, PASSWORD, patientInput, uniqueName, type TestEnv } from '../helpers';
import { JsonParam, percentEncode, type FuzzRequest } from './requests';
import type { Accounts, Caller } from './targets';
import { PasswordRef, Raw, Ref, toJson, VersionRef, type Kind } from './values';

/**
 * The tables whose content a refused request must leave alone. Not checked, because refused and read-only requests
 * change them by design: audit_events (refused sign-ins, throttling and every read of a clinical record are audited),
 * sessions (sign-in, sign-out, last use), login_failures (a refused sign-in is recorded to throttle the next).
 * api_tokens is checked without last_used_at, which any request with a token updates, refused or not.
 */
export const CHECKED_TABLES = [
  'patients',
  'consultations',
  'vitals',
  'nurse_notes',
  'prescriptions',
  'prescription_drugs',
  'drugs',
  'drug_lots',
  'stock_movements',
  'staff',
  'record_counts',
] as const;
const TOKEN_COLUMNS = 'id, staff_id, name, token_hash, prefix, scope, created_at, expires_at, revoked_at';

/** A logged error and its causes: type, message, database code, where it was thrown. */
function describeLogged(obj: unknown): string {
  const parts: string[] = [];
  let cur = (obj as { err?: unknown } | null)?.err ?? obj;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const e = cur as { name?: string; message?: string; code?: unknown; errno?: unknown; sqlMessage?: string; stack?: string };
    const frames = e.stack?.split('\n').filter((l) => l.trim().startsWith('at ')) ?? [];
    const at = (frames.find((l) => l.includes('/src/')) ?? frames.slice(0, 4).join(' '))?.trim();
    parts.push(
      `${e.name ?? 'Error'}: ${(e.sqlMessage ?? e.message ?? '').slice(0, 200)}${e.code ? ` [${String(e.code)}${e.errno ? ` ${String(e.errno)}` : ''}]` : ''}${at ? ` ${at}` : ''}`,
    );
    cur = (cur as { cause?: unknown }).cause;
  }
  return parts.join(' ← ');
}

/** The records placeholders of one group point at; a case uses one group throughout. */
export type Group = Record<Kind, number>;

/** What came back: status, content type, body text. */
export interface Answer {
  statusCode: number;
  contentType: string | undefined;
  body: string;
}

/** A signed-in session: its cookie and CSRF token. */
interface SessionKeys {
  cookie: string;
  csrf: string;
}

export class World {
  readonly sessions = new Map<Caller, SessionKeys>();
  readonly tokens = new Map<string, string>();
  groups: Group[] = [];
  /** The accounts staff.update, staff.delete and staff.reactivate may change: never one the test signs in as. */
  victims: number[] = [];
  /** The accounts the test signs in as: id, username, and the password hash to put back. */
  private readonly own = new Map<Caller, { id: number; username: string; hash: string }>();
  private address: Promise<URL> | undefined;
  readonly accounts: Accounts = { loginVictim: { username: uniqueName('fuzzlogin'), email: '' } };

  /** The errors the app logged: the test app logs nothing, so its error lines are kept to explain a 5xx. */
  readonly serverErrors: string[] = [];

  constructor(readonly env: TestEnv) {
    this.accounts.loginVictim.email = `${this.accounts.loginVictim.username}@test.example`;
    // Without a logger Fastify gives the app and every request one no-op logger object: its error method is ours.
    (env.app.log as unknown as { error: (obj: unknown) => void }).error = (obj) => this.serverErrors.push(describeLogged(obj));
  }

  /** Calls a procedure as a role, as the services see it (no HTTP): for fixtures. */
  private async call<T = any>(role: Role, path: string, input: unknown): Promise<T> {
    const ctx: TrpcContext = { db: this.env.database.db, clock: this.env.clock, ip: null, actor: this.env.staff[role], session: null };
    return callProcedure(procedureAt(path)!, path, input, ctx) as Promise<T>;
  }

  private staffInput(role: Role, username: string) {
    return {
      username,
      email: `${username}@test.example`,
      password: PASSWORD,
      role,
      firstName: 'Fuzz',
      lastName: 'Account',
      gender: 'Male',
    };
  }

  async setUp(): Promise<void> {
    for (const role of ['doctor', 'nurse', 'pharmacist'] as const) {
      this.victims.push((await this.call<{ id: number }>('admin', 'staff.create', this.staffInput(role, uniqueName(`victim${role}`)))).id);
    }
    await this.call('admin', 'staff.create', this.staffInput('recordofficer', this.accounts.loginVictim.username));
    const self = await this.call<{ id: number; username: string }>(
      'admin',
      'staff.create',
      this.staffInput('nurse', uniqueName('fuzzself')),
    );
    const accounts: [Caller, { id: number; username: string }][] = [
      ...ROLES.map((r) => [r, this.env.staff[r]] as [Caller, { id: number; username: string }]),
      ['self', self],
    ];
    for (const [caller, { id, username }] of accounts) {
      this.own.set(caller, { id, username, hash: await this.scalar<string>(sql`select password_hash from staff where id = ${id}`) });
      await this.signIn(caller);
    }
    for (const role of ROLES) for (const scope of ['read', 'write'] as const) await this.newToken(role, scope);
    await this.renewFixtures();
  }

  private async scalar<T>(query: ReturnType<typeof sql>): Promise<T> {
    const [rows] = (await this.env.database.db.execute(query)) as unknown as [Record<string, unknown>[]];
    return Object.values(rows[0]!)[0] as T;
  }

  private async signIn(caller: Caller): Promise<void> {
    const { username } = this.own.get(caller)!;
    const res = await this.env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`fuzz: sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'hmis_session')!;
    this.sessions.set(caller, { cookie: `hmis_session=${cookie.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken });
  }

  private async newToken(role: Role, scope: 'read' | 'write'): Promise<void> {
    const created = await this.call<{ token: string }>(role, 'apiTokens.create', { name: uniqueName('fuzz'), scope });
    this.tokens.set(`${role}:${scope}`, created.token);
  }

  /**
   * After an answer of 401 to a caller that was signed in: its session or token was ended by the request or an earlier
   * one (sign-out, a password changed or reset, the account deactivated: generated ids reach these accounts too).
   * The account is put back as it was, then signed in again or given a new token.
   */
  async repair(auth: FuzzRequest['auth']): Promise<void> {
    const caller: Caller =
      auth.kind === 'token' ? auth.role : auth.kind === 'session' || auth.kind === 'noCsrf' ? auth.caller : 'anonymous';
    const account = this.own.get(caller);
    if (!account) return;
    await this.reactivate(account.id);
    const { db } = this.env.database;
    await db.execute(sql`update staff set password_hash = ${account.hash}, username = ${account.username} where id = ${account.id}`);
    await db.execute(sql`delete from login_failures where username_key = ${`staff:${account.id}`}`);
    if (auth.kind === 'token') await this.newToken(auth.role, auth.scope);
    else await this.signIn(caller);
  }

  /** Through the procedure, so the staff count stays right. */
  private async reactivate(id: number): Promise<void> {
    if (!(await this.scalar<number>(sql`select active from staff where id = ${id}`))) await this.call('admin', 'staff.reactivate', { id });
  }

  /**
   * New records for the placeholders: the requests delete, lock, dispense and cancel the ones they are given. Three
   * groups: one fully charted (prescription with a line, stock in a lot), one without a prescription, one written
   * by the second doctor and nurse (so the caller is not the author).
   */
  async renewFixtures(): Promise<void> {
    const { doctor2, nurse2 } = this.env;
    const { db } = this.env.database;
    await db.execute(sql`delete from login_failures`);
    for (const id of this.victims) await this.reactivate(id);
    this.groups = [];
    for (let g = 0; g < 3; g++) {
      const patient = (await this.call<{ id: number }>('recordofficer', 'patients.create', patientInput())).id;
      const author = g === 2 ? doctor2 : this.env.staff.doctor;
      const nurse = g === 2 ? nurse2 : this.env.staff.nurse;
      const as = <T = any>(actor: typeof author, path: string, input: unknown) =>
        callProcedure(procedureAt(path)!, path, input, { db, clock: this.env.clock, ip: null, actor, session: null }) as Promise<T>;
      const consultation = (await as<{ id: number }>(author, 'consultations.create', { patientId: patient, provisionalDiagnosis: 'Fuzz' }))
        .id;
      const drug = (await this.call<{ id: number }>('pharmacist', 'drugs.create', drugInput({ stockOnHand: 0 }))).id;
      const received = await this.call<{ movements: { id: number; lotId: number }[] }>('pharmacist', 'drugs.receive', {
        drugId: drug,
        lotNumber: `FZ${g}${Date.now() % 100000}`,
        expiryDate: '2099-12-31',
        quantity: 1000,
        supplier: 'Fuzz supplies',
      });
      const line = { drugId: drug, dose: '1 tab', frequency: 'bd', duration: '5 days', route: 'oral', quantity: 10 };
      const prescription =
        g === 1
          ? null
          : await as<{ id: number; lines: { id: number }[] }>(author, 'prescriptions.create', {
              patientId: patient,
              consultationId: consultation,
              lines: [line],
            });
      const vital = (await as<{ id: number }>(nurse, 'vitals.create', { patientId: patient, consultationId: consultation, pulseRate: 72 }))
        .id;
      const nurseNote = (await as<{ id: number }>(nurse, 'nurseNotes.create', { patientId: patient, note: 'Fuzz note' })).id;
      const owner = (['doctor', 'nurse', 'pharmacist'] as const)[g]!;
      const token = (await this.call<{ id: number }>(owner, 'apiTokens.create', { name: uniqueName('spare') })).id;
      this.groups.push({
        patient,
        consultation,
        prescription: consultation,
        line: prescription?.lines[0]?.id ?? 0,
        vital,
        nurseNote,
        drug,
        lot: received.movements[0]!.lotId,
        movement: received.movements[0]!.id,
        staff: this.env.staff[owner].id,
        victim: this.victims[g]!,
        token,
      });
    }
  }

  /** One checksum per checked table, and a hash of api_tokens without last_used_at. */
  async tableState(): Promise<Record<string, string>> {
    const { pool } = this.env.database;
    const [[sums], [[tokens]]] = await Promise.all([
      pool.query(`CHECKSUM TABLE ${CHECKED_TABLES.join(', ')}`) as Promise<[{ Table: string; Checksum: number | string }[], unknown]>,
      pool.query(
        `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS('|', ${TOKEN_COLUMNS.split(', ')
          .map((c) => `QUOTE(${c})`)
          .join(', ')}))), 0) AS h FROM api_tokens`,
      ) as Promise<[{ n: number; h: number | string }[], unknown]>,
    ]);
    const state: Record<string, string> = Object.fromEntries(sums.map((r) => [r.Table.split('.').pop()!, String(r.Checksum)]));
    state.api_tokens = `${tokens!.n}:${tokens!.h}`;
    return state;
  }

  /** Fills in the placeholders of a value for one group. */
  async resolve(value: unknown, group: Group): Promise<unknown> {
    if (value instanceof Ref) return group[value.kind];
    if (value instanceof VersionRef) return this.versionOf(value.kind, group);
    // Both accounts keep the test password: a changed one is put back (repair) before its next use.
    if (value instanceof PasswordRef) return PASSWORD;
    if (value instanceof Raw || value instanceof JsonParam)
      return value instanceof JsonParam ? new JsonParam(await this.resolve(value.value, group)) : value;
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.resolve(v, group)));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await this.resolve(v, group);
      return out;
    }
    return value;
  }

  private async versionOf(kind: Kind, group: Group): Promise<number> {
    const table: Partial<Record<Kind, string>> = {
      patient: 'patients',
      consultation: 'consultations',
      line: 'prescription_drugs',
      vital: 'vitals',
      nurseNote: 'nurse_notes',
      drug: 'drugs',
      victim: 'staff',
      staff: 'staff',
    };
    const query =
      kind === 'prescription'
        ? sql`select version from prescriptions where consultation_id = ${group.consultation}`
        : sql`select version from ${sql.identifier(table[kind] ?? 'patients')} where id = ${group[kind]}`;
    const [rows] = (await this.env.database.db.execute(query)) as unknown as [{ version: number }[]];
    return rows[0]?.version ?? 1;
  }

  /** The URL and body of a request, placeholders filled in: what is sent, and what a failure prints. */
  async render(request: FuzzRequest, group: Group): Promise<{ url: string; body: string | undefined }> {
    const path = (
      await Promise.all(request.path.map(async (p) => (typeof p === 'string' ? p : String(await this.resolve(p, group)))))
    ).join('');
    const pairs: string[] = [];
    for (const [key, raw] of request.query) {
      const value = await this.resolve(raw, group);
      for (const v of Array.isArray(value) && !(raw instanceof JsonParam) ? value : [value]) {
        if (v === undefined) continue;
        const text =
          v instanceof JsonParam
            ? (toJson(v.value) ?? '')
            : v instanceof Raw
              ? v.json
              : v === null
                ? ''
                : typeof v === 'object'
                  ? (toJson(v) ?? '')
                  : String(v);
        pairs.push(`${percentEncode(key)}=${percentEncode(text)}`);
      }
    }
    if (request.queryTail !== undefined) pairs.push(request.queryTail);
    const url = pairs.length ? `${path}?${pairs.join('&')}` : path;
    const body =
      request.body === undefined
        ? undefined
        : 'raw' in request.body
          ? request.body.raw
          : toJson(await this.resolve(request.body.json, group));
    return { url, body };
  }

  async send(request: FuzzRequest, url: string, body: string | undefined): Promise<Answer> {
    const headers: Record<string, string> = { ...request.headers };
    if (body !== undefined && request.contentType !== null) headers['content-type'] = request.contentType ?? 'application/json';
    const { auth } = request;
    if (auth.kind === 'session' || auth.kind === 'noCsrf') {
      const keys = this.sessions.get(auth.caller);
      if (keys) {
        headers.cookie = keys.cookie;
        if (auth.kind === 'session') headers['x-csrf-token'] = keys.csrf;
        else if (auth.token !== undefined) headers['x-csrf-token'] = auth.token;
      }
    } else if (auth.kind === 'token') headers.authorization = `Bearer ${this.tokens.get(`${auth.role}:${auth.scope}`)}`;
    else headers.authorization = auth.value;
    // A multipart body reaches tRPC's adapter as the request stream, which under app.inject is not an IncomingMessage:
    // the adapter then turns it into JSON and fails (a 500 no real client can cause). Those go over a real socket.
    if (/^multipart\//i.test(headers['content-type'] ?? '')) return this.overSocket(request.method, url, headers, body);
    const res = await this.env.app.inject({
      method: request.method,
      url,
      headers,
      remoteAddress: request.remoteAddress,
      ...(body !== undefined ? { payload: body } : {}),
    });
    return { statusCode: res.statusCode, contentType: res.headers['content-type'] as string | undefined, body: res.body };
  }

  private async overSocket(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
    this.address ??= this.env.app.listen({ port: 0, host: '127.0.0.1' }).then((a) => new URL(a));
    const { hostname, port } = await this.address;
    return new Promise((resolve, reject) => {
      // A real client must escape what HTTP does not allow in a request line (spaces, raw Unicode).
      const path = url.replace(/[^\u0021-\u007e]/gu, (ch) => percentEncode(ch));
      const req = httpRequest({ host: hostname, port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
