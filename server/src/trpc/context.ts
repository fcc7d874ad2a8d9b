import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import { sessionControl } from '../plugins/session';
import type { TrpcContext } from './trpc';

export interface ContextDeps {
  db: Db;
  clock: Clock;
}

/**
 * The client's address as the audit trail and login throttling keep it: an IPv4 or IPv6 address, or null. Behind a
 * proxy it comes from X-Forwarded-For, which a client can fill with anything (issue 11: 46+ characters gave a 500).
 */
export const clientAddress = (ip: string | undefined): string | null => (ip && isIP(ip) ? ip : null);

/** The procedure context of an HTTP request, for /trpc and /api/v1 alike. The actor was set by the session plugin. */
export function contextForRequest(deps: ContextDeps, req: FastifyRequest): TrpcContext {
  return { db: deps.db, clock: deps.clock, ip: clientAddress(req.ip), actor: req.actor, session: sessionControl(req) };
}
