/**
 * Publishes procedures as REST routes: each route in the table becomes a native Fastify route that assembles the
 * procedure's input from path, query, body and If-Match, calls the procedure (the same call /trpc makes), and answers
 * with its result or the shared error body.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError, errorBody, toAppError } from '../errors';
import { callProcedure, procedureAt } from '../trpc/call';
import { contextForRequest, type ContextDeps } from '../trpc/context';
import type { PlainRoute, RestRoute } from './routes';

/** `"3"`, `W/"3"` or `3` → 3. */
function versionFromIfMatch(header: string | undefined): number | undefined {
  const m = header ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  return m?.[1] ? Number(m[1]) : undefined;
}

function inputFor(route: RestRoute, request: FastifyRequest): Record<string, unknown> {
  const input: Record<string, unknown> = { ...(route.fixed ?? {}) };
  if (route.method === 'GET' || route.method === 'DELETE') {
    Object.assign(input, request.query as Record<string, unknown>);
  } else if (request.body != null) {
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      throw new AppError('VALIDATION', 'The body must be a JSON object', [{ path: '(body)', message: 'Expected a JSON object' }]);
    }
    Object.assign(input, request.body);
  }
  if (input.version === undefined) {
    const version = versionFromIfMatch(request.headers['if-match']);
    if (version !== undefined) input.version = version;
  }
  // Path parameters win over the body: a body cannot move a record to another patient.
  for (const [name, value] of Object.entries(request.params as Record<string, string>)) {
    input[route.params?.[name] ?? name] = value;
  }
  Object.assign(input, route.fixed ?? {});
  return input;
}

export const toFastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export interface RestPluginOptions extends ContextDeps {
  routes: RestRoute[];
  plain?: PlainRoute[];
}

export const restPlugin: FastifyPluginAsync<RestPluginOptions> = async (app, opts) => {
  for (const route of opts.routes) {
    const proc = procedureAt(route.procedure);
    if (!proc) throw new Error(`REST route ${route.method} ${route.path}: no procedure ${route.procedure}`);
    app.route({
      method: route.method,
      url: toFastifyPath(route.path),
      handler: async (request, reply) => {
        try {
          const data = await callProcedure(proc, route.procedure, inputFor(route, request), contextForRequest(opts, request));
          const version = (data as { version?: unknown } | null)?.version;
          if (typeof version === 'number') reply.header('etag', `"${version}"`);
          return reply.code(route.unhealthy?.(data) ? 503 : (route.status ?? 200)).send(data);
        } catch (e) {
          const err = toAppError(e);
          if (err.code === 'INTERNAL') request.log.error({ err: e, route: route.path }, 'REST route failed');
          if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
          return reply.code(err.status).send(errorBody(err));
        }
      },
    });
  }
  for (const route of opts.plain ?? []) app.route({ method: route.method, url: route.path, handler: async () => route.answer() });
};
