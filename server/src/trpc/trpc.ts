/**
 * The one tRPC setup. Exports the procedure ladder — public → authed → permission — and the router helpers;
 * the raw `t` stays here. Errors of every kind leave as one shape: { code, message, fields }.
 */
import { initTRPC } from '@trpc/server';
import { can, type AuditEntity, type Permission, type SessionLimits } from '@hmis/shared';
import type { Clock } from '../clock';
import type { Executor } from '../db/client';
import { AppError, errorBody, toAppError, toTRPCError } from '../errors';
import { audit } from '../services/audit';
import type { Actor, Ctx } from '../services/context';

/** What the transport (HTTP session, API token, console) lets a procedure do with the caller's session. */
export interface SessionControl {
  /** Starts an authenticated session with a new id; returns its CSRF token and when it ends. */
  establish(actor: Actor): Promise<{ csrfToken: string; session: SessionLimits }>;
  end(): Promise<void>;
  csrfToken(): string | null;
  /** When the signed-in cookie session ends; null without one (signed out, or an API token). */
  limits(): SessionLimits | null;
}

export interface TrpcContext {
  /** The pool, or an open transaction (the console's unit of work). */
  db: Executor;
  clock: Clock;
  ip: string | null;
  actor: Actor | null;
  session: SessionControl | null;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const app = toAppError(error);
    return { ...shape, message: app.message, data: { ...shape.data, httpStatus: app.status, ...errorBody(app), stack: undefined } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Domain and database errors thrown by services become typed tRPC errors with the right status. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const app = toAppError(result.error);
    if (app.code !== 'INTERNAL') throw toTRPCError(app);
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

/** Below this rung the caller is known: ctx.actor is non-null and ctx.svc is ready for service calls. */
export const authedProcedure = publicProcedure.use(({ ctx, next, type }) => {
  if (!ctx.actor) throw toTRPCError(new AppError('UNAUTHENTICATED', 'Sign in first'));
  if (ctx.actor.token?.scope === 'read' && type === 'mutation') {
    throw toTRPCError(new AppError('FORBIDDEN', 'This API token is read-only: create a token with scope write to change records'));
  }
  const svc: Ctx = { actor: ctx.actor, clock: ctx.clock, ip: ctx.ip };
  return next({ ctx: { ...ctx, actor: ctx.actor, svc } });
});

/** Signed in and the role has the permission in the shared table; otherwise 403. */
export function permissionProcedure(permission: Permission) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!can(ctx.actor.role, permission)) {
      throw toTRPCError(new AppError('FORBIDDEN', `Your role (${ctx.actor.role}) may not ${permission.replace(':', ' ')}`));
    }
    return next();
  });
}

/**
 * Reading clinical records leaves a trace (issue 11, finding 4): after a successful read, one view event for the
 * request — the patient and record from the input, what was read in `detail` — written through the audit's group
 * commit, so many concurrent reads share a few inserts. Put it after `.input()`, so the input is parsed.
 */
export function viewAudited(entityType: AuditEntity, detail: string) {
  return t.middleware(async ({ ctx, input, next }) => {
    const result = await next();
    if (result.ok && ctx.actor) {
      const ref = (input ?? {}) as { patientId?: unknown; id?: unknown; staffId?: unknown };
      const num = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
      await audit(
        ctx.db,
        { actor: ctx.actor, clock: ctx.clock, ip: ctx.ip },
        {
          action: 'view',
          entityType,
          entityId: num(ref.id),
          patientId: num(ref.patientId),
          detail,
        },
      );
    }
    return result;
  });
}
