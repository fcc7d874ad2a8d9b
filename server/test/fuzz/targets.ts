/**
 * What the generated bad-input test calls: every operation of the OpenAPI document (plus the auth routes outside
 * /api/v1, described by the same generator), and every procedure of the tRPC router. Who may call each is found by
 * asking the procedures themselves, as every role, with an input no schema accepts: the permission rungs run before
 * the input is parsed, so 403 means the role may not call it (the permission table in shared/ decides).
 */
import { ROLES, type Role } from '@hmis/shared';
import { buildOpenApiDocument } from '../../src/rest/openapi';
import { API_ROUTES, AUTH_ROUTES, LEGACY_AUTH_ROUTES, type Method } from '../../src/rest/routes';
import { callProcedure, procedureAt, type ProcedureType } from '../../src/trpc/call';
import { inputJsonSchema, type JsonSchema } from '../../src/trpc/introspect';
import { appRouter } from '../../src/trpc/router';
import type { TrpcContext } from '../../src/trpc/trpc';
import type { TestEnv } from '../helpers';
import { Ref, VersionRef, PasswordRef, type Kind } from './values';

/** Who sends a request: a role's signed-in session, nobody, or the account whose session the test may end. */
export type Caller = Role | 'anonymous' | 'self';

interface TargetBase {
  procedure: string;
  type: ProcedureType;
  /** The callers that get past the permission check. */
  allowed: Caller[];
}
export interface RestTarget extends TargetBase {
  transport: 'rest';
  method: Method;
  /** As in the OpenAPI document: /api/v1/patients/{patientId}. */
  path: string;
  /** Path parameter name → the procedure's input key it fills. */
  pathParams: { name: string; key: string }[];
  /** Query parameters (GET, DELETE) as one object schema. */
  query: JsonSchema;
  body: JsonSchema | undefined;
  /** The request example of the OpenAPI document, when it has one. */
  example: unknown;
}
export interface TrpcTarget extends TargetBase {
  transport: 'trpc';
  input: JsonSchema;
}
export type Target = RestTarget | TrpcTarget;

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema; example?: unknown } } };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** Procedures that end or replace the caller's own session: sent from an account kept for that. */
const SELF_PROCEDURES = new Set(['auth.logout', 'auth.changePassword']);
/** Signing in is done by nobody in particular (a signed-in caller would be switched to another account). */
const ANONYMOUS_PROCEDURES = new Set(['auth.login']);

/** Which role may call each procedure: allowed unless the procedure answers FORBIDDEN or UNAUTHORIZED. */
export async function probeCallers(env: TestEnv): Promise<Record<string, Caller[]>> {
  const procedures = Object.keys(appRouter._def.procedures);
  const result: Record<string, Caller[]> = {};
  for (const path of procedures) {
    if (SELF_PROCEDURES.has(path)) {
      result[path] = ['self'];
      continue;
    }
    if (ANONYMOUS_PROCEDURES.has(path)) {
      result[path] = ['anonymous'];
      continue;
    }
    const proc = procedureAt(path)!;
    const callers: Caller[] = [];
    for (const caller of [...ROLES, 'anonymous'] as const) {
      const ctx: TrpcContext = {
        db: env.database.db,
        clock: env.clock,
        ip: null,
        actor: caller === 'anonymous' ? null : env.staff[caller],
        session: null,
      };
      const refused = await callProcedure(proc, path, '\u0000 no schema takes this', ctx).then(
        () => false,
        (e: { code?: string }) => e.code === 'FORBIDDEN' || e.code === 'UNAUTHORIZED',
      );
      if (!refused) callers.push(caller);
    }
    result[path] = callers;
  }
  return result;
}

function restTargets(doc: OpenApiDocument, prefix: string, routes: typeof API_ROUTES, callers: Record<string, Caller[]>): RestTarget[] {
  return routes.map((route) => {
    const path = `${prefix}${route.path}`;
    const op = doc.paths[path]?.[route.method.toLowerCase()];
    if (!op) throw new Error(`The OpenAPI document has no ${route.method} ${path}`);
    const params = op.parameters ?? [];
    const query = params.filter((p) => p.in === 'query');
    const content = op.requestBody?.content['application/json'];
    return {
      transport: 'rest',
      method: route.method,
      path,
      procedure: route.procedure,
      type: procedureAt(route.procedure)!._def.type,
      allowed: callers[route.procedure] ?? [],
      pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, key: route.params?.[p.name] ?? p.name })),
      query: {
        type: 'object',
        properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
        required: query.filter((p) => p.required).map((p) => p.name),
      },
      body: content?.schema,
      example: content?.example,
    } satisfies RestTarget;
  });
}

/**
 * Every REST operation: those of the served OpenAPI document (/api/v1) and the auth routes the server also keeps at
 * /auth (described by the same generator, with no prefix).
 */
export function allTargets(served: OpenApiDocument, callers: Record<string, Caller[]>): Target[] {
  const legacy = [...AUTH_ROUTES, ...LEGACY_AUTH_ROUTES];
  const rest = [
    ...restTargets(served, '/api/v1', [...API_ROUTES, ...AUTH_ROUTES], callers),
    ...restTargets(buildOpenApiDocument('', legacy) as OpenApiDocument, '', legacy, callers),
  ];
  const trpc = Object.keys(appRouter._def.procedures).map(
    (procedure): TrpcTarget => ({
      transport: 'trpc',
      procedure,
      type: procedureAt(procedure)!._def.type,
      allowed: callers[procedure] ?? [],
      input: inputJsonSchema(procedure),
    }),
  );
  return [...rest, ...trpc];
}

/** What `id` means in each router, where it is not the router's own record. */
const ID_KIND: Record<string, Kind> = {
  patients: 'patient',
  consultations: 'consultation',
  vitals: 'vital',
  nurseNotes: 'nurseNote',
  prescriptions: 'line',
  drugs: 'drug',
  staff: 'staff',
  apiTokens: 'token',
  'drugs.movement': 'movement',
  // Accounts the test may change or deactivate: never one it signs in as.
  'staff.update': 'victim',
  'staff.delete': 'victim',
  'staff.reactivate': 'victim',
};
const KEY_KIND: Record<string, Kind> = {
  patientId: 'patient',
  consultationId: 'consultation',
  drugId: 'drug',
  lotId: 'lot',
  staffId: 'staff',
};
/** The record whose version an update sends, where it is not the one named by `id`. */
const VERSION_KIND: Record<string, Kind> = { 'prescriptions.update': 'prescription', 'prescriptions.dispense': 'prescription' };

export interface Accounts {
  /** The account auth.login signs in to (never throttled by anything else). */
  loginVictim: { username: string; email: string };
}

/** The placeholder (or fixed value) a valid input has for `key` of `procedure`; undefined: generate it from the schema. */
export function refFor(procedure: string, key: string, accounts: Accounts): unknown {
  const idKind = () => ID_KIND[procedure] ?? ID_KIND[procedure.split('.')[0]!] ?? 'patient';
  if (key === 'id') return new Ref(idKind());
  if (key === 'version') return new VersionRef(VERSION_KIND[procedure] ?? idKind());
  if (procedure === 'auth.login') {
    if (key === 'username') return accounts.loginVictim.username;
    if (key === 'email') return accounts.loginVictim.email;
    if (key === 'password') return new PasswordRef('loginVictim');
  }
  if (procedure === 'auth.changePassword' && key === 'currentPassword') return new PasswordRef('self');
  const kind = KEY_KIND[key];
  return kind ? new Ref(kind) : undefined;
}

/** Replaces the ids and versions of an OpenAPI example (made-up numbers) by placeholders of real records. */
export function exampleWithRefs(example: unknown, procedure: string, accounts: Accounts): Record<string, unknown> | undefined {
  if (!example || typeof example !== 'object' || Array.isArray(example)) return undefined;
  return Object.fromEntries(Object.entries(example).map(([k, v]) => [k, refFor(procedure, k, accounts) ?? v]));
}
