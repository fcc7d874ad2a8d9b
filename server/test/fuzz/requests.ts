/**
 * The generated requests. Each case is one HTTP request to one target (a REST operation, or a tRPC procedure alone or
 * in a batch), as a caller that may make it most of the time (so validation is what answers, not 403), and sometimes
 * as another role, nobody, an API token or a broken one. Its input is a valid one with one field broken, a valid one
 * as it is (borderline values included), garbage, a malformed body, a bad path parameter or a bad query string.
 */
import fc from 'fast-check';
import { ROLES, type Role } from '@hmis/shared';
import type { JsonSchema } from '../../src/trpc/introspect';
import { exampleWithRefs, refFor, type Accounts, type Caller, type RestTarget, type Target, type TrpcTarget } from './targets';
import {
  badContentType,
  badCursor,
  badIfMatch,
  badPathParam,
  badQueryTail,
  badRawBody,
  badToken,
  badValue,
  Ref,
  validObject,
} from './values';

export type Auth =
  | { kind: 'session'; caller: Caller }
  /** Signed in, but the CSRF token missing or wrong. */
  | { kind: 'noCsrf'; caller: Role; token: string | undefined }
  | { kind: 'token'; role: Role; scope: 'read' | 'write' }
  /** An Authorization header that names no valid token. */
  | { kind: 'header'; value: string };

/** A query parameter: rendered as text, a JSON document (tRPC's input), or several times (an array). */
export class JsonParam {
  constructor(readonly value: unknown) {}
}

/** One tRPC call of a request, kept so a refused mutation of a batch can be re-sent alone. */
export interface TrpcCall {
  procedure: string;
  type: 'query' | 'mutation';
  input: unknown;
}

export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  /** Path pieces; placeholders become ids when sent. */
  path: (string | Ref)[];
  query: [string, unknown][];
  /** Appended to the query string as it is (already encoded, or deliberately not). */
  queryTail?: string;
  body?: { json: unknown } | { raw: string };
  /** Undefined: application/json when there is a body. */
  contentType?: string | null;
  headers: Record<string, string>;
  auth: Auth;
  remoteAddress: string;
  /** Which group of fixture records the placeholders point at. */
  group: number;
}

export interface FuzzCase {
  /** The targets it calls (one, or a batch's). */
  targets: Target[];
  transport: 'rest' | 'trpc';
  /** How the input was made, for the summary. */
  mode: string;
  request: FuzzRequest;
  /** The tRPC calls, when it is a batch. */
  calls?: TrpcCall[];
}

function authArb(target: Target): fc.Arbitrary<Auth> {
  const allowed = target.allowed.length ? target.allowed : (['admin'] as Caller[]);
  const allowedRoles = allowed.filter((c): c is Role => (ROLES as readonly string[]).includes(c));
  const others = ROLES.filter((r) => !allowed.includes(r));
  const options: fc.WeightedArbitrary<Auth>[] = [
    { weight: 85, arbitrary: fc.constantFrom(...allowed).map((caller): Auth => ({ kind: 'session', caller })) },
    { weight: 3, arbitrary: fc.constant<Auth>({ kind: 'session', caller: 'anonymous' }) },
    { weight: 2, arbitrary: badToken.map((value): Auth => ({ kind: 'header', value })) },
  ];
  if (others.length)
    options.push({ weight: 5, arbitrary: fc.constantFrom(...others).map((caller): Auth => ({ kind: 'session', caller })) });
  const signedIn = allowedRoles.length ? allowedRoles : [...ROLES];
  options.push({
    weight: 3,
    arbitrary: fc
      .record({ role: fc.constantFrom(...signedIn), scope: fc.constantFrom<'read' | 'write'>('read', 'write') })
      .map((t): Auth => ({ kind: 'token', ...t })),
  });
  if (target.type === 'mutation') {
    options.push({
      weight: 2,
      arbitrary: fc
        .record({ role: fc.constantFrom(...signedIn), token: fc.constantFrom(undefined, '', 'x', 'a'.repeat(43)) })
        .map(({ role, token }): Auth => ({ kind: 'noCsrf', caller: role, token })),
    });
  }
  return fc.oneof(...options);
}

/** One edit of a valid object: a field broken, removed, nulled, or an unknown one added. */
function breakOneField(valid: Record<string, unknown>, schema: JsonSchema | undefined): fc.Arbitrary<Record<string, unknown>> {
  const keys = [...new Set([...Object.keys(schema?.properties ?? {}), ...Object.keys(valid)])];
  return fc.oneof(
    {
      weight: 6,
      arbitrary: keys.length
        ? fc.constantFrom(...keys).chain((k) => badValue(schema?.properties?.[k]).map((v) => ({ ...valid, [k]: v })))
        : fc.constant(valid),
    },
    {
      weight: 2,
      arbitrary: keys.length
        ? fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([x]) => x !== k)))
        : fc.constant(valid),
    },
    { weight: 1, arbitrary: keys.length ? fc.constantFrom(...keys).map((k) => ({ ...valid, [k]: null })) : fc.constant(valid) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('extra', 'role', 'createdBy', 'staffId', 'active', 'passwordHash', 'id', '__proto__', ''),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([k, v]) => ({ ...valid, [k]: v })),
    },
    { weight: schema?.properties?.cursor ? 2 : 0, arbitrary: badCursor.map((cursor) => ({ ...valid, cursor })) },
  );
}

type InputMode = 'valid' | 'mutated' | 'garbage';

/** A valid input (or the OpenAPI example), then maybe broken. */
function inputArb(
  schema: JsonSchema | undefined,
  procedure: string,
  accounts: Accounts,
  example?: unknown,
): fc.Arbitrary<{ mode: InputMode; value: unknown }> {
  const refOf = (key: string) => refFor(procedure, key, accounts);
  const fromExample = exampleWithRefs(example, procedure, accounts);
  const valid = schema ? validObject(schema, refOf) : fc.constant({});
  const base = fromExample ? fc.oneof(valid, fc.constant(fromExample)) : valid;
  return fc.oneof(
    { weight: 2, arbitrary: base.map((value) => ({ mode: 'valid' as const, value })) },
    { weight: 7, arbitrary: base.chain((v) => breakOneField(v, schema)).map((value) => ({ mode: 'mutated' as const, value })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(badValue(undefined), fc.dictionary(fc.string({ maxLength: 12 }), badValue(undefined), { maxKeys: 5 }))
        .map((value) => ({ mode: 'garbage' as const, value })),
    },
  );
}

const pathPieces = (target: RestTarget, params: Record<string, string | Ref>): (string | Ref)[] =>
  target.path
    .split(/(\{\w+\})/)
    .filter((p) => p !== '')
    .map((p) => (/^\{\w+\}$/.test(p) ? params[p.slice(1, -1)]! : p));

function restCase(target: RestTarget, accounts: Accounts): fc.Arbitrary<FuzzCase> {
  const hasBody = target.method === 'POST' || target.method === 'PUT';
  const validParams = Object.fromEntries(target.pathParams.map((p) => [p.name, refFor(target.procedure, p.key, accounts) as Ref]));
  const input = inputArb(hasBody ? target.body : target.query, target.procedure, accounts, target.example);
  const badParam = target.pathParams.length
    ? fc.tuple(fc.constantFrom(...target.pathParams), badPathParam).map(([p, v]) => ({ ...validParams, [p.name]: v }))
    : fc.constant(validParams);
  return fc
    .record({
      auth: authArb(target),
      remoteAddress: fc.ipV4(),
      group: fc.nat({ max: 2 }),
      input,
      shape: fc.oneof(
        { weight: 8, arbitrary: fc.constant('plain' as const) },
        { weight: target.pathParams.length ? 2 : 0, arbitrary: fc.constant('badPath' as const) },
        { weight: 2, arbitrary: fc.constant('raw' as const) },
        { weight: 1, arbitrary: fc.constant('method' as const) },
      ),
      params: badParam,
      raw: hasBody ? badRawBody : badQueryTail,
      contentType: badContentType,
      ifMatch: fc.option(badIfMatch, { freq: 10 }),
      method: fc.constantFrom<FuzzRequest['method']>('PATCH', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'GET'),
    })
    .map(({ auth, remoteAddress, group, input, shape, params, raw, contentType, ifMatch, method }): FuzzCase => {
      const request: FuzzRequest = {
        method: shape === 'method' ? method : target.method,
        path: pathPieces(target, shape === 'badPath' ? params : validParams),
        query: [],
        headers: ifMatch ? { 'if-match': ifMatch } : {},
        auth,
        remoteAddress,
        group,
      };
      if (hasBody) {
        if (shape === 'raw') {
          // Half malformed JSON as JSON, half a well-formed body under another content type.
          request.body = raw.length % 2 ? { raw } : { json: input.value };
          if (!(raw.length % 2)) request.contentType = contentType ?? null;
        } else request.body = { json: input.value };
      } else {
        const value = input.value;
        if (value && typeof value === 'object' && !Array.isArray(value)) request.query = Object.entries(value);
        else request.query = [['input', value]];
        if (shape === 'raw') request.queryTail = raw;
      }
      return { targets: [target], transport: 'rest', mode: shape === 'plain' ? input.mode : shape, request };
    });
}

function trpcCase(target: TrpcTarget, sameType: TrpcTarget[], accounts: Accounts): fc.Arbitrary<FuzzCase> {
  const call = (t: TrpcTarget) => inputArb(t.input, t.procedure, accounts).map((input) => ({ target: t, input }));
  const batchOthers = sameType.filter((t) => t.allowed.some((c) => target.allowed.includes(c)) && t.allowed[0] !== 'self');
  return fc
    .record({
      auth: authArb(target),
      remoteAddress: fc.ipV4(),
      group: fc.nat({ max: 2 }),
      first: call(target),
      others: fc.oneof(
        { weight: 4, arbitrary: fc.constant([]) },
        {
          weight: 1,
          arbitrary: batchOthers.length
            ? fc.array(fc.constantFrom(...batchOthers).chain(call), { minLength: 1, maxLength: 3 })
            : fc.constant([]),
        },
      ),
      shape: fc.oneof(
        { weight: 12, arbitrary: fc.constant('plain' as const) },
        { weight: 2, arbitrary: fc.constant('raw' as const) },
        { weight: 1, arbitrary: fc.constant('method' as const) },
        { weight: 1, arbitrary: fc.constant('singleAsBatch' as const) },
      ),
      raw: badRawBody,
      contentType: badContentType,
      method: fc.constantFrom<FuzzRequest['method']>('PATCH', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', target.type === 'query' ? 'POST' : 'GET'),
    })
    .map(({ auth, remoteAddress, group, first, others, shape, raw, contentType, method }): FuzzCase => {
      const parts = [first, ...others];
      const batch = parts.length > 1 || shape === 'singleAsBatch';
      const calls: TrpcCall[] = parts.map((p) => ({ procedure: p.target.procedure, type: p.target.type, input: p.input.value }));
      const request = trpcRequest(calls, batch, auth, remoteAddress, group);
      if (shape === 'method') request.method = method;
      if (shape === 'raw') {
        // A query's input that is not JSON; a mutation's body that is not JSON, or JSON under another content type.
        if (target.type === 'query') {
          request.query = batch ? [['batch', '1']] : [];
          request.queryTail = `input=${percentEncode(raw)}`;
        } else if (raw.length % 2) request.body = { raw };
        else request.contentType = contentType ?? null;
      }
      const mode = shape === 'plain' || shape === 'singleAsBatch' ? (batch ? `batch-${first.input.mode}` : first.input.mode) : shape;
      return { targets: parts.map((p) => p.target), transport: 'trpc', mode, request, calls };
    });
}

/** encodeURIComponent that does not throw on lone surrogates (they are sent as U+FFFD, as a browser would). */
export const percentEncode = (text: string) => encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));

/** The request of tRPC calls: a query by GET with ?input=, a mutation by POST with a JSON body; ?batch=1 for several. */
export function trpcRequest(calls: TrpcCall[], batch: boolean, auth: Auth, remoteAddress: string, group: number): FuzzRequest {
  const path = `/trpc/${calls.map((c) => c.procedure).join(',')}`;
  const input = batch ? Object.fromEntries(calls.map((c, i) => [String(i), c.input])) : calls[0]!.input;
  const query: [string, unknown][] = batch ? [['batch', '1']] : [];
  if (calls[0]!.type === 'query') {
    return { method: 'GET', path: [path], query: [...query, ['input', new JsonParam(input)]], headers: {}, auth, remoteAddress, group };
  }
  return { method: 'POST', path: [path], query, body: { json: input }, headers: {}, auth, remoteAddress, group };
}

/** The cases of one target. */
export function targetCaseArb(target: Target, targets: Target[], accounts: Accounts): fc.Arbitrary<FuzzCase> {
  if (target.transport === 'rest') return restCase(target, accounts);
  const sameType = targets.filter((o): o is TrpcTarget => o.transport === 'trpc' && o.type === target.type);
  return trpcCase(target, sameType, accounts);
}

/** Signing in, out and changing a password each cost a password hash (and a new session): drawn less often. */
const COSTLY = new Set(['auth.login', 'auth.logout', 'auth.changePassword']);

/** Any case: targets drawn with equal weight, except the costly ones. */
export function caseArb(targets: Target[], accounts: Accounts): fc.Arbitrary<FuzzCase> {
  return fc.oneof(...targets.map((t) => ({ weight: COSTLY.has(t.procedure) ? 1 : 4, arbitrary: targetCaseArb(t, targets, accounts) })));
}
