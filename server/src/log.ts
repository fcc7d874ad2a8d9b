/**
 * What the server's log may say (issue 11): no health data and no personal data at any level. A request is logged
 * by id, method and path (never the query string: a patient search is ?q=<name>); a failure by its kind, codes, the
 * statement's shape and stack frames — never its message, SQL values, parameters or the database's own message,
 * which quote the values ("Duplicate entry 'HMIS-0000012'", "Failed query … params: <diagnosis>").
 */
import type { FastifyServerOptions } from 'fastify';

type Obj = Record<string, unknown>;

/** The SQL text of a failed query with every literal replaced: the statement's shape. */
function statementShape(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.)*'/g, '?')
    .replace(/"(?:[^"\\]|\\.)*"/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

/** Stack frames only: the first line of a stack is the message, which may quote values. */
const framesOf = (stack: unknown) =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((l) => /^\s+at /.test(l))
        .slice(0, 12)
        .join('\n')
    : undefined;

interface SafeError {
  [key: string]: unknown;
  type: string;
  /** Not the error's message (it may quote values): its kind and code. */
  message: string;
  stack: string;
}

/** An error as the log may show it. */
export function logSafeError(e: unknown, depth = 0): SafeError {
  if (!(e instanceof Error) || depth > 3) return { type: typeof e, message: 'not an Error', stack: '' };
  const x = e as Error & Obj;
  const type = x.name || x.constructor?.name || 'Error';
  const out: SafeError = { type, message: typeof x.code === 'string' ? `${type} ${x.code}` : type, stack: framesOf(x.stack) ?? '' };
  for (const key of ['code', 'errno', 'sqlState', 'statusCode'] as const) {
    if (typeof x[key] === 'string' || typeof x[key] === 'number') out[key] = x[key];
  }
  // Drizzle's query error carries the statement (with placeholders) as `query`; mysql2's as `sql` (values inlined).
  const sql = typeof x.query === 'string' ? x.query : typeof x.sql === 'string' ? x.sql : undefined;
  if (sql) out.statement = statementShape(sql);
  if (x.cause !== undefined) out.cause = logSafeError(x.cause, depth + 1);
  return out;
}

interface LoggedRequest {
  id: string;
  method: string;
  url: string;
}

/** The serializers every logger of the app uses. */
export const LOG_SERIALIZERS = {
  req: (req: LoggedRequest) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
  res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  err: (e: unknown) => logSafeError(e),
};

/** The app's logger options: the caller's (level, stream), with the safe serializers. */
export function safeLogger(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  return { ...(logger === true ? {} : logger), serializers: LOG_SERIALIZERS };
}
