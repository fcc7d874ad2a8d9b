/**
 * Calling a procedure of the app router directly: the path is looked up in the router's flat table and the procedure
 * runs its middleware, input parsing and resolver as it would under tRPC's own handlers, without building a caller
 * proxy per request. Used by /trpc and /api/v1 alike.
 */
import type { AnyProcedure } from '@trpc/server';
import { appRouter } from './router';
import type { TrpcContext } from './trpc';

export type ProcedureType = 'query' | 'mutation';

const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure | undefined>;

/** The query or mutation at a dotted path; undefined for anything else (unknown path, subscription). */
export function procedureAt(path: string): (AnyProcedure & { _def: { type: ProcedureType } }) | undefined {
  const proc = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  return proc && (proc._def.type === 'query' || proc._def.type === 'mutation') ? (proc as never) : undefined;
}

/** Runs a procedure with a raw (unparsed) input; throws what the procedure throws (a TRPCError). */
export function callProcedure(proc: AnyProcedure, path: string, input: unknown, ctx: TrpcContext, batchIndex = 0): Promise<unknown> {
  return proc({ ctx, path, type: proc._def.type, getRawInput: async () => input, signal: undefined, batchIndex });
}
