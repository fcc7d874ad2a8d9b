/** The one place that reads process.env. Everything else receives a validated Config. */
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'drizzle');

/** The folders this process finds programs in (the private database's binaries). */
export const searchPath = (): string => process.env.PATH ?? '';
/** Where the user ran `npm run …` from: npm runs workspace scripts in the workspace's folder and says so here. */
export const npmStartedIn = (): string | undefined => process.env.INIT_CWD;

/** The web client batches at most this many calls (web/src/trpc.ts), well within the default limit. */
export const TRPC_MAX_BATCH_DEFAULT = 20;

/** Trusted proxies as Fastify takes them: false, a number of hops, or a list of addresses and CIDR ranges. */
export type TrustProxy = false | number | string[];

function trustProxyOf(value: string, ctx: z.RefinementCtx): TrustProxy {
  const v = value.trim().toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(v)) return false;
  if (['true', 'yes', 'on'].includes(v)) return 1;
  if (/^\d+$/.test(v) && Number(v) <= 10) return Number(v);
  const list = v
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const valid = (entry: string) => {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  };
  const bad = list.find((entry) => !valid(entry));
  if (list.length && !bad) return list;
  ctx.addIssue({
    code: 'custom',
    message: `HMIS_TRUST_PROXY must be false, true (one hop), a number of hops up to 10, or the proxies' addresses or CIDR ranges separated by commas${bad ? ` ("${bad}" is none of these)` : ''}`,
  });
  return z.NEVER;
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** mysql://user:password@host:port/database. Unset: a private MariaDB/MySQL started from the system binaries.
   * Several hosts, comma-separated (mysql://u:p@db1,db2:3307,db3/hmis): the app uses the first that answers and moves
   * to the next when it is lost (db/failover.ts, decision 022). */
  DATABASE_URL: z
    .string()
    .refine((v) => databaseUrls(v).every((one) => URL.canParse(one)), 'a mysql:// URL, e.g. mysql://hmis:password@db:3306/hmis')
    .optional(),
  /** The database as separate settings instead of DATABASE_URL (docs/deploy.md): HMIS_DB_HOST turns them on, and the
   * URL is built from them with each part escaped, so a password needs no URL encoding.
   * Several hosts, comma-separated, each with an optional :port (`db1,db2:3307`): failover as with DATABASE_URL. */
  HMIS_DB_HOST: z
    .string()
    .regex(/^[A-Za-z0-9._:[\]-]+(,[A-Za-z0-9._:[\]-]+)*$/, 'a host name or IP address, or several separated by commas')
    .optional(),
  HMIS_DB_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  HMIS_DB_USER: z.string().min(1).optional(),
  HMIS_DB_PASSWORD: z.string().optional(),
  HMIS_DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _')
    .optional(),
  /** Signs the session cookie; at least 32 characters. Required in production. */
  SESSION_SECRET: z.string().min(32).optional(),
  HMIS_DEMO_PASSWORD: z.string().min(10).default('demo-password-2026'),
  /** Git-ignored folder for the private database and the development session secret. */
  HMIS_DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  /** Who may say which address a request came from (X-Forwarded-For): `false` (the connection's own address); `true`
   * (one hop: the shipped nginx); a number of hops; or the proxies' addresses or CIDR ranges, comma-separated — the
   * safest, since a client that reaches the app directly is then never believed. Never every hop (issue 12). */
  HMIS_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => trustProxyOf(v, ctx)),
  /** Serve the API docs page at /api/docs; unset: on in development, off in production. */
  HMIS_API_DOCS: z.stringbool().optional(),
  /** A session unused for this many minutes ends (a shared ward workstation); 0: only the 12-hour lifetime. */
  HMIS_SESSION_IDLE_MINUTES: z.coerce.number().int().min(0).max(720).default(30),
  /** How long to wait for a new database connection before answering 503 (issue 11). */
  HMIS_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** A request not answered within this time gets 503 (a frozen database must not hang clients); 0: no limit. */
  HMIS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** Apply pending migrations at start (under the migration lock); false: refuse to start while any is pending and
   * leave them to `npm run migrate`, the separate step of a rolling upgrade (decision 018). */
  HMIS_MIGRATE_ON_START: z.stringbool().default(true),
  /** On SIGTERM/SIGINT the server stops accepting and finishes what it is answering; whatever is still running after
   * this long is cut off and the process exits with code 1 (decision 018). */
  HMIS_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** The longest an API token may live, in days (issue 11). */
  HMIS_API_TOKEN_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** The most calls one tRPC batch request may carry; a larger batch answers 400 (issue 11). */
  HMIS_TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(TRPC_MAX_BATCH_DEFAULT),
  /** Prometheus metrics (docs/deploy.md, decision 021) on a port of their own: GET /metrics there, without a token.
   * Unset: no such port. */
  HMIS_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** The address the metrics port binds: this host only unless Prometheus scrapes from elsewhere. */
  HMIS_METRICS_HOST: z.string().default('127.0.0.1'),
  /** Prometheus metrics at /metrics on the main port, to requests with `Authorization: Bearer <this>`; 32+
   * characters. Unset: /metrics is not served there. */
  HMIS_METRICS_TOKEN: z.string().min(32).optional(),
  /** The console's operator and password (for scripts; interactive use asks). */
  HMIS_CONSOLE_USER: z.string().optional(),
  HMIS_CONSOLE_PASSWORD: z.string().optional(),
  /** A new password for create-admin / reset-password in scripts. */
  HMIS_NEW_PASSWORD: z.string().optional(),
  HMIS_CONSOLE_HISTORY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return withDatabaseUrl(parsed.data);
}

/** `mysql://user:password@host1:port,host2,…/name?options` as one URL per host, in order; a single host: [url]. */
export function databaseUrls(url: string): string[] {
  const m = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?)([^/?#]*)(.*)$/is.exec(url);
  const hosts = m?.[2]?.split(',').map((h) => h.trim()) ?? [];
  if (!m || hosts.length <= 1) return [url];
  return hosts.map((host) => `${m[1]}${host}${m[3]}`);
}

/** An entry of HMIS_DB_HOST as URL authority: `db`, `db:3307`, `[::1]:3307` or a bare IPv6 address `::1`. */
export function hostWithPort(entry: string, defaultPort: number): string {
  if (entry.startsWith('[')) return entry.includes(']:') ? entry : `${entry}:${defaultPort}`;
  const colons = entry.split(':').length - 1;
  if (colons === 0) return `${entry}:${defaultPort}`;
  if (colons === 1) return entry;
  return `[${entry}]:${defaultPort}`;
}

const DB_PARTS = ['HMIS_DB_HOST', 'HMIS_DB_PORT', 'HMIS_DB_USER', 'HMIS_DB_PASSWORD', 'HMIS_DB_NAME'] as const;

/** DATABASE_URL from HMIS_DB_* when given that way; one way or the other, never both (which would win is a guess). */
function withDatabaseUrl(env: Env): Env {
  const given = DB_PARTS.filter((name) => env[name] !== undefined);
  if (given.length === 0) return env;
  if (env.DATABASE_URL) throw new Error(`Invalid environment: set DATABASE_URL or ${given.join(', ')}, not both`);
  const { HMIS_DB_HOST: host, HMIS_DB_USER: user } = env;
  if (!host || !user) throw new Error(`Invalid environment: HMIS_DB_HOST and HMIS_DB_USER are needed with ${given.join(', ')}`);
  return { ...env, DATABASE_URL: databaseUrlFromParts({ ...env, HMIS_DB_HOST: host, HMIS_DB_USER: user }) };
}

/** mysql://user:password@host:port/name with user and password percent-encoded (mysql2 decodes them). */
function databaseUrlFromParts(parts: Pick<Env, (typeof DB_PARTS)[number]> & { HMIS_DB_HOST: string; HMIS_DB_USER: string }): string {
  const hosts = parts.HMIS_DB_HOST.split(',')
    .map((h) => hostWithPort(h, parts.HMIS_DB_PORT ?? 3306))
    .join(',');
  const user = encodeURIComponent(parts.HMIS_DB_USER);
  const password = parts.HMIS_DB_PASSWORD ? `:${encodeURIComponent(parts.HMIS_DB_PASSWORD)}` : '';
  return `mysql://${user}${password}@${hosts}/${parts.HMIS_DB_NAME ?? 'hmis'}`;
}

/** The server (not the console) signs session cookies: in production it must be given the secret. */
export function assertServerEnv(env: Env): void {
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
    throw new Error('Invalid environment: SESSION_SECRET (32+ characters) is required in production');
  }
}
