/**
 * The OpenAPI 3.1 document, generated from the route table and the procedures' own zod schemas (input and output),
 * and the interactive docs page (Swagger UI) at /api/docs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { inputJsonSchema, jsonSchema, procedureDef, type JsonSchema } from '../trpc/introspect';
import { CSRF_HEADER, SESSION_COOKIE } from '../plugins/session';
import { API_ROUTES, AUTH_ROUTES, PLAIN_ROUTES, type PlainRoute, type RestRoute } from './routes';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const pathParams = (p: string) => [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** operationId (e.g. getPatientsByPatientId), summary and tag (the path's first segment). */
const identity = (route: { method: string; path: string; summary: string }) => ({
  operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
  summary: route.summary,
  tags: [route.path.split('/')[1] ?? 'system'],
});

function operation(route: RestRoute) {
  const def = procedureDef(route.procedure);
  const input: JsonSchema = inputJsonSchema(route.procedure);
  const props = { ...(input.properties ?? {}) };
  const required = new Set(input.required ?? []);
  const parameters: unknown[] = [];

  for (const name of pathParams(route.path)) {
    const key = route.params?.[name] ?? name;
    parameters.push({ name, in: 'path', required: true, schema: props[key] ?? { type: 'string' } });
    delete props[key];
    required.delete(key);
  }
  for (const key of Object.keys(route.fixed ?? {})) {
    delete props[key];
    required.delete(key);
  }
  const hasVersion = 'version' in props && (route.method === 'PUT' || route.method === 'POST');
  if (hasVersion) {
    required.delete('version');
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'The version the change is based on, when not in the body',
      schema: { type: 'string' },
    });
  }

  let requestBody: unknown;
  if (route.method === 'GET' || route.method === 'DELETE') {
    for (const [name, schema] of Object.entries(props)) parameters.push({ name, in: 'query', required: required.has(name), schema });
  } else if (Object.keys(props).length > 0) {
    requestBody = {
      required: required.size > 0,
      content: {
        'application/json': {
          schema: { ...input, properties: props, required: [...required] },
          ...(route.example ? { example: route.example } : {}),
        },
      },
    };
  }
  if (route.method !== 'GET' && !route.public) {
    parameters.push({
      name: 'X-CSRF-Token',
      in: 'header',
      required: false,
      description: 'Required when authenticated by the session cookie',
      schema: { type: 'string' },
    });
  }

  const status = String(route.status ?? 200);
  const content = { 'application/json': { schema: def.output ? jsonSchema(def.output, 'output') : {} } };
  return {
    ...identity(route),
    ...(route.public ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [status]: { description: 'Success', content },
      ...(route.unhealthy ? { '503': { description: 'Unhealthy: the same body, reporting the failure', content } } : {}),
      '400': errorResponse('Invalid input: `fields` names each failing field'),
      ...(route.public
        ? {}
        : {
            '401': errorResponse('Not signed in (no valid session or token)'),
            '403': errorResponse('Not allowed: wrong role, not the author, or missing CSRF token'),
          }),
      '404': errorResponse('No such record, or not under this parent'),
      '409': errorResponse('Conflict: locked after 24 hours, stale version, insufficient stock, duplicate'),
      '429': errorResponse('Too many failed logins'),
    },
  };
}

const plainOperation = (route: PlainRoute) => ({
  ...identity(route),
  security: [],
  responses: { '200': { description: 'Success', content: { 'application/json': { schema: jsonSchema(route.output, 'output') } } } },
});

export function buildOpenApiDocument(
  prefix = '/api/v1',
  routes: RestRoute[] = [...API_ROUTES, ...AUTH_ROUTES],
  plain: PlainRoute[] = PLAIN_ROUTES,
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes, ...plain]) {
    const p = `${prefix}${route.path}`;
    paths[p] ??= {};
    paths[p][route.method.toLowerCase()] = 'procedure' in route ? operation(route) : plainOperation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'HMIS API',
      version: '1.0.0',
      description:
        'Hospital Management Information System. Sign in with POST /api/v1/auth/login (session cookie; send the returned ' +
        'csrfToken as X-CSRF-Token on every change) or use a personal API token as `Authorization: Bearer …`.',
    },
    servers: [{ url: '/' }],
    security: [{ cookieAuth: [] }, { bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token (POST /api/v1/auth/tokens)' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            fields: {
              type: 'array',
              items: {
                type: 'object',
                required: ['path', 'message'],
                properties: { path: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HMIS API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

// Remembers the CSRF token from a login response and sends it on every change, so a person can sign in and try calls.
const DOCS_INIT = `let csrf = null;
window.ui = SwaggerUIBundle({
  url: '/api/openapi.json', dom_id: '#ui', withCredentials: true, persistAuthorization: true,
  responseInterceptor: (res) => { try { const b = typeof res.body === 'object' ? res.body : JSON.parse(res.text); if (b && b.csrfToken) csrf = b.csrfToken; } catch (e) {} return res; },
  requestInterceptor: (req) => { if (csrf && req.method !== 'GET') req.headers['${CSRF_HEADER}'] = csrf; return req; },
});`;

/** docsPage: serve the Swagger UI page (the OpenAPI document itself is always served). */
export const openApiPlugin: FastifyPluginAsync<{ docsPage: boolean }> = async (app, opts) => {
  const document = buildOpenApiDocument();
  const uiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets: Record<string, [string, string]> = {
    'swagger-ui.css': ['swagger-ui.css', 'text/css; charset=utf-8'],
    'swagger-ui-bundle.js': ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
  };
  app.get('/api/openapi.json', async () => document);
  if (!opts.docsPage) return;
  app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').send(DOCS_HTML));
  app.get('/api/docs/init.js', async (_req, reply) => reply.type('application/javascript; charset=utf-8').send(DOCS_INIT));
  app.get<{ Params: { file: string } }>('/api/docs/:file', async (req, reply) => {
    const asset = assets[req.params.file];
    if (!asset) return reply.callNotFound();
    return reply
      .type(asset[1])
      .header('cache-control', 'public, max-age=86400')
      .send(await readFile(path.join(uiDir, asset[0])));
  });
};
