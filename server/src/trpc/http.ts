/**
 * tRPC over HTTP at /trpc.
 *
 * The everyday requests — queries by GET and mutations by POST with a JSON body, single or batched (the web client's
 * httpBatchLink) — are answered here: the procedures are called directly and the answer is written as one JSON
 * string, in tRPC's own envelope, error shape and status codes. tRPC's Fastify handler, which turns every request into
 * a Fetch Request and streams a Fetch Response back, cost more than the procedure itself on a simple read.
 *
 * Everything else goes to tRPC's own handler unchanged, so the protocol's edges stay exactly tRPC's: unknown paths,
 * a procedure called with the wrong method, malformed input JSON, streaming (trpc-accept) and other content types,
 * method override, connection params, HEAD. The tests run the same requests through both and compare the answers.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AnyProcedure } from '@trpc/server';
import { fastifyRequestHandler } from '@trpc/server/adapters/fastify';
import { getErrorShape, getHTTPStatusCode, getTRPCErrorFromUnknown } from '@trpc/server/unstable-core-do-not-import';
import type { ErrorBody } from '@hmis/shared';
import { AppError, toTRPCError } from '../errors';
import { contextForRequest, type ContextDeps } from './context';
import { callProcedure, procedureAt, type ProcedureType } from './call';
import { appRouter } from './router';
import type { TrpcContext } from './trpc';

interface Call {
  path: string;
  proc: AnyProcedure;
  input: unknown;
}

type Query = Record<string, string | string[] | undefined>;

/** Query keys tRPC's handler gives a meaning to besides input and batch: those requests go to it. */
const SPECIAL_QUERY_KEYS = ['connectionParams', 'methodOverride', 'lastEventId', 'Last-Event-Id'];

function isJson(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && type.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The calls of a request this handler answers itself, or null to leave it to tRPC's handler. */
function plainCalls(request: FastifyRequest, pathParam: string, maxBatchSize: number): Call[] | null {
  const type: ProcedureType | null = request.method === 'GET' ? 'query' : request.method === 'POST' ? 'mutation' : null;
  if (!type || request.headers['trpc-accept'] !== undefined) return null;
  if (type === 'mutation' && !isJson(request)) return null;
  const query = request.query as Query;
  if (SPECIAL_QUERY_KEYS.some((k) => query[k] !== undefined)) return null;
  const batch = query.batch === '1';

  let raw: string | undefined;
  if (type === 'query') {
    if (Array.isArray(query.input)) return null;
    raw = query.input || undefined;
  } else {
    if (typeof request.body !== 'string') return null;
    raw = request.body || undefined;
  }
  let inputs: unknown;
  if (raw !== undefined) {
    const parsed = parseJson(raw);
    if (!parsed.ok) return null;
    inputs = parsed.value;
  }

  let path: string;
  try {
    path = decodeURIComponent(pathParam);
  } catch {
    return null;
  }
  const paths = batch ? path.split(',') : [path];
  if (paths.length > maxBatchSize) return null; // tRPC's handler refuses it (400) in its own envelope
  if (batch && inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return null;
  const calls: Call[] = [];
  for (const [i, p] of paths.entries()) {
    const proc = procedureAt(p);
    if (!proc || proc._def.type !== type) return null;
    const input = batch ? (inputs as Record<string, unknown> | undefined)?.[i] : inputs;
    calls.push({ path: p, proc, input });
  }
  return calls;
}

type Envelope = { result: { data: unknown } } | { error: unknown };

/** A 429's wait (AppError.retryAfterSeconds), for the Retry-After header. */
function retryAfterOf(error: { cause?: unknown }): number | undefined {
  const app = error.cause instanceof AppError ? error.cause : undefined;
  return app?.retryAfterSeconds;
}

async function answer(
  call: Call,
  ctx: TrpcContext,
  batchIndex: number,
  onError: TrpcHttpOptions['onError'],
  retry: { after?: number },
): Promise<Envelope> {
  try {
    return { result: { data: await callProcedure(call.proc, call.path, call.input, ctx, batchIndex) } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    retry.after = retryAfterOf(error) ?? retry.after;
    onError?.(error, call.path);
    const type = call.proc._def.type as ProcedureType;
    return { error: getErrorShape({ config: appRouter._def._config, error, type, path: call.path, input: call.input, ctx }) };
  }
}

/** Whether a URL is under /trpc: its errors answer in tRPC's envelope, whatever raised them (issue 11, finding 11). */
export const isTrpcUrl = (url: string) => /^\/trpc(\/|\?|$)/.test(url);

/**
 * An error raised before any procedure ran (the body parser, the size limit, the CSRF check, the session lookup, the
 * request deadline, an unknown address) in tRPC's envelope, as tRPC's own handler answers an error of the whole
 * request: one `{ error }`, not one per call of a batch. The shape comes from the router's error formatter, so it is
 * the same as a procedure's.
 */
export function trpcErrorEnvelope(body: ErrorBody) {
  const error = toTRPCError(new AppError(body.code, body.message, body.fields));
  return {
    error: getErrorShape({ config: appRouter._def._config, error, type: 'unknown', path: undefined, input: undefined, ctx: undefined }),
  };
}

export interface TrpcHttpOptions extends ContextDeps {
  /** The most calls one batch may carry; a larger batch is answered 400 by tRPC's own handler. */
  maxBatchSize: number;
  onError?: (error: ReturnType<typeof getTRPCErrorFromUnknown>, path: string) => void;
}

export const trpcHttpPlugin: FastifyPluginAsync<TrpcHttpOptions> = async (app, opts) => {
  // As tRPC's own plugin: bodies arrive as text, parsed here (or by tRPC's handler) with tRPC's own error answers.
  app.removeContentTypeParser(['application/json', 'multipart/form-data']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('multipart/form-data', (_req, body, done) => done(null, body));

  const trpcOptions = {
    router: appRouter,
    maxBatchSize: opts.maxBatchSize,
    createContext: ({ req }: { req: FastifyRequest }): TrpcContext => contextForRequest(opts, req),
    onError: ({ error, path }: { error: ReturnType<typeof getTRPCErrorFromUnknown>; path?: string }) => opts.onError?.(error, path ?? ''),
    responseMeta: ({ errors }: { errors: ReturnType<typeof getTRPCErrorFromUnknown>[] }) => {
      const after = errors.map(retryAfterOf).find((s) => s !== undefined);
      return after ? { headers: { 'retry-after': String(after) } } : {};
    },
  };

  app.all<{ Params: { path: string } }>('/:path', async (request: FastifyRequest<{ Params: { path: string } }>, reply: FastifyReply) => {
    const calls = plainCalls(request, request.params.path, opts.maxBatchSize);
    if (!calls) {
      await fastifyRequestHandler({ ...trpcOptions, req: request, res: reply, path: request.params.path });
      return reply;
    }
    const ctx = contextForRequest(opts, request);
    const retry: { after?: number } = {};
    const envelopes = await Promise.all(calls.map((call, i) => answer(call, ctx, i, opts.onError, retry)));
    const body = (request.query as Query).batch === '1' ? envelopes : envelopes[0]!;
    if (retry.after) reply.header('retry-after', String(retry.after));
    return reply
      .code(getHTTPStatusCode(body as never))
      .header('vary', 'trpc-accept, accept')
      .header('content-type', 'application/json')
      .send(Buffer.from(JSON.stringify(body)));
  });
};
