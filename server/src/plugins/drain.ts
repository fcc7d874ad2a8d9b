/**
 * The connection side of a graceful close (decision 018). Fastify's close stops accepting connections and, with
 * `return503OnClosing: false`, still answers a request that arrives on an open connection, with `Connection: close`
 * (so that connection ends after its response). Two changes to what Node then does:
 * - Node closes the idle keep-alive connections at once; a request a client had just sent on one (already on the
 *   wire, not yet read) was lost with the connection. They are closed after a short grace instead, in which such
 *   requests arrive and are answered.
 * - Node waits for a connection whose request is still arriving (half-sent headers or body), or left idle after its
 *   response, until its own timeouts. Neither holds work of ours: once the grace is over and every request received
 *   in full has been answered, the remaining connections are dropped and the close completes.
 */
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';

/**
 * How long idle keep-alive connections stay open after close begins: longer than the shipped nginx keeps an idle
 * upstream connection (`keepalive_timeout 2s`), so behind it every idle connection is closed by nginx, never by us
 * while nginx is sending a request on it (a POST lost in that race was a 502: the two-server test saw one at load 11).
 */
export const IDLE_GRACE_MS = 3000;

export const drainPlugin = fp(async (app) => {
  const handling = new Set<IncomingMessage>();
  let graceOver = false;
  const dropIfDrained = () => {
    if (!graceOver) return;
    for (const request of handling) if (request.complete) return; // received in full: it is answered first
    app.server.closeAllConnections();
  };
  // The first hook of every request, so a request is counted before its session is read.
  app.addHook('onRequest', async (request, reply) => {
    handling.add(request.raw);
    reply.raw.once('close', () => {
      handling.delete(request.raw);
      dropIfDrained();
    });
  });
  app.addHook('preClose', async () => {
    const server = app.server;
    const closeIdleConnections = server.closeIdleConnections.bind(server);
    // server.close(), called by Fastify after this hook, would close the idle connections at once.
    server.closeIdleConnections = () => undefined;
    setTimeout(() => {
      graceOver = true;
      closeIdleConnections();
      dropIfDrained();
    }, IDLE_GRACE_MS).unref();
  });
});
