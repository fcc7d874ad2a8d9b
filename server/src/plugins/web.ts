/**
 * Serves the built web client (web/dist) at `/`: hashed assets under /assets/, and index.html for `/` and for any
 * other GET a browser makes for a page (Accept: text/html), so deep links work. /trpc, /api and /auth are never
 * answered with the client. Does nothing when the client has not been built, so the API runs alone.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { REPO_ROOT } from '../env';

export const WEB_DIST = path.join(REPO_ROOT, 'web/dist');

/** Paths the client never owns: unknown ones under them stay JSON 404s. */
const API_PATHS = /^\/(trpc|api|auth)(\/|\?|$)/;

export interface WebPluginOptions {
  /** The built client; defaults to web/dist. */
  root?: string;
}

export const webPlugin: FastifyPluginAsync<WebPluginOptions> = async (app, opts) => {
  const root = opts.root ?? WEB_DIST;
  if (!existsSync(path.join(root, 'index.html'))) return;

  // Files are looked up per request, so a rebuild of the client is served without a restart.
  await app.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: '/assets/',
    setHeaders(reply, file) {
      // Vite puts a content hash in every asset name; index.html must be revalidated to pick up a new build.
      reply.header('cache-control', path.basename(file) === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });

  app.get('/*', (request, reply) => {
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (API_PATHS.test(request.url) || !(wantsHtml || request.url === '/')) return reply.callNotFound();
    return reply.sendFile('index.html', root);
  });
};
