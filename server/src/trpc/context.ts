import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import { sessionControl } from '../plugins/session';
import type { TrpcContext } from './trpc';

export interface ContextDeps {
  db: Db;
  clock: Clock;
}

/** The procedure context of an HTTP request, for /trpc and /api/v1 alike. The actor was set by the session plugin. */
export function contextForRequest(deps: ContextDeps, req: FastifyRequest): TrpcContext {
  return { db: deps.db, clock: deps.clock, ip: req.ip, actor: req.actor, session: sessionControl(req) };
}
