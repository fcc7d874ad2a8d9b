/**
 * Domain errors. Services throw AppError; the tRPC layer maps it (and zod and database errors) to one JSON body
 * { code, message, fields } and an HTTP status from the shared table.
 */
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { ERROR_STATUS, fieldLabel, type ErrorBody, type ErrorCode, type FieldError } from '@hmis/shared';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldError[] | undefined;
  /** For 429: when the client may try again (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: ErrorCode, message: string, fields?: FieldError[], retryAfterSeconds?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);
export const LOCKED_MESSAGE = 'This record is locked: records can be changed only by their author within 24 hours of creation.';
export const locked = (_what: string, message = LOCKED_MESSAGE) => new AppError('LOCKED', message);
export const STALE_VERSION_MESSAGE =
  'Someone else saved this record since you opened it. Reload to see their changes, then make yours again.';
/** 409: the record changed since the client read it. `fields[].path` stays `version`; the words are for people. */
export const staleVersion = (_what?: string) =>
  new AppError('STALE_VERSION', STALE_VERSION_MESSAGE, [{ path: 'version', message: STALE_VERSION_MESSAGE }]);
/** 400 for one field. `message` names the field by its label (shared labels.ts): it is shown beside the field and as the summary. */
export const invalid = (path: string, message: string) => new AppError('VALIDATION', message, [{ path, message }]);

type TRPCCode = TRPCError['code'];
const TRPC_CODE: Record<ErrorCode, TRPCCode> = {
  VALIDATION: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CSRF: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  DUPLICATE: 'CONFLICT',
  LOCKED: 'CONFLICT',
  STALE_VERSION: 'CONFLICT',
  INSUFFICIENT_STOCK: 'CONFLICT',
  ALLERGY_OVERRIDE_REQUIRED: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};
const APP_CODE: Partial<Record<TRPCCode, ErrorCode>> = {
  BAD_REQUEST: 'VALIDATION',
  PARSE_ERROR: 'VALIDATION',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

/** Unique index → the input field a client should fix. */
const UNIQUE_FIELDS: Record<string, string> = {
  staff_username_uq: 'username',
  staff_email_uq: 'email',
  patients_mrn_uq: 'mrn',
  prescriptions_consultation_uq: 'consultationId',
};

/** Where "<Label> is already in use" would not say it plainly. */
const DUPLICATE_MESSAGES: Record<string, string> = {
  consultationId: 'This consultation already has a prescription; add drugs to that one',
  id: 'This record already exists',
};

interface MysqlError {
  errno: number;
  sqlMessage?: string;
}
/** The driver's error behind drizzle's wrapping, if there is one. */
export function asMysqlError(e: unknown): MysqlError | null {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (typeof cur === 'object' && cur !== null && 'errno' in cur && typeof cur.errno === 'number' && 'sqlMessage' in cur) {
      return cur as MysqlError;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/** Socket and server codes that mean the database cannot be reached (stopped, restarting, network gone). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_CLOSED',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
/** MySQL/MariaDB errnos of the same: too many connections, shutdown in progress, server gone, lost connection, and a
 * Galera node cut off from its cluster ("WSREP has not yet prepared node for application use"). */
const UNREACHABLE_ERRNOS = new Set([1040, 1047, 1053, 2002, 2003, 2006, 2013, 1927]);

export const UNAVAILABLE_MESSAGE = 'The database cannot be reached just now; nothing was changed. Try again in a moment.';

/**
 * Whether an error (or one of its causes) says the database cannot be reached. mysql2 marks an error that ended the
 * connection `fatal`: when a transaction's connection dies (its database node killed, issue 12), drizzle's ROLLBACK on
 * it fails with "Can't add new command when connection is in closed state", which has only that mark, and it hides the
 * original connection error.
 */
export function isDatabaseUnreachable(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const { code, errno, fatal } = cur as { code?: unknown; errno?: unknown; fatal?: unknown };
    if ((typeof code === 'string' && UNREACHABLE_CODES.has(code)) || (typeof errno === 'number' && UNREACHABLE_ERRNOS.has(errno)))
      return true;
    if (fatal === true) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** Turns what a client can provoke in the database into a 4xx, and an unreachable database into 503; else null (500). */
export function fromDatabaseError(e: unknown): AppError | null {
  if (isDatabaseUnreachable(e)) return new AppError('UNAVAILABLE', UNAVAILABLE_MESSAGE);
  const err = asMysqlError(e);
  if (!err) return null;
  switch (err.errno) {
    case 1062: {
      const index = /for key '(?:[^.']+\.)?([^']+)'/.exec(err.sqlMessage ?? '')?.[1] ?? '';
      const field = UNIQUE_FIELDS[index] ?? 'id';
      const message = DUPLICATE_MESSAGES[field] ?? `${fieldLabel(field)} is already in use`;
      return new AppError('DUPLICATE', message, [{ path: field, message }]);
    }
    case 1451:
      return new AppError('CONFLICT', 'Other records refer to this record, so it cannot be deleted');
    case 1452:
      return new AppError('NOT_FOUND', 'A referenced record does not exist');
    case 1213:
    case 1205:
      return new AppError('CONFLICT', 'Someone else is saving this record at the same moment; try again');
    default:
      return null;
  }
}

function zodFields(e: ZodError): FieldError[] {
  return e.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** Normalises any thrown value to an AppError (unknown errors become INTERNAL, their message hidden). */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof ZodError) {
    const fields = zodFields(e);
    // Each message names its field's label, so the summary is the messages themselves (once each).
    return new AppError('VALIDATION', [...new Set(fields.map((f) => f.message))].join('; '), fields);
  }
  if (e instanceof TRPCError) {
    if (e.cause && e.cause !== e && !(e.cause instanceof TRPCError)) {
      const inner = e.cause instanceof ZodError || e.cause instanceof AppError ? toAppError(e.cause) : fromDatabaseError(e.cause);
      if (inner) return inner;
    }
    const code = APP_CODE[e.code];
    if (code) return new AppError(code, e.message);
    return new AppError('INTERNAL', 'Internal server error');
  }
  return fromDatabaseError(e) ?? new AppError('INTERNAL', 'Internal server error');
}

export function toTRPCError(e: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[e.code], message: e.message, cause: e });
}

export function errorBody(e: AppError): ErrorBody {
  return e.fields ? { code: e.code, message: e.message, fields: e.fields } : { code: e.code, message: e.message };
}
