import { and, eq, gte, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { LOGIN_FAILURE_WINDOW_MS, type LoginInput, type PasswordChangeInput, type Staff } from '@hmis/shared';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { Clock } from '../clock';
import type { Executor } from '../db/client';
import { loginFailures, staff } from '../db/schema';
import { AppError } from '../errors';
import { audit } from './audit';
import type { Actor, Ctx } from './context';
import { updateStamp } from './rules';
import { endSessionsOf, getStaffRow, toActor, toStaff } from './staff';

interface LoginCtx {
  clock: Clock;
  ip: string | null;
}

const badCredentials = () => new AppError('UNAUTHENTICATED', 'Wrong username or password');

/**
 * Login throttling (issue 11, finding 6; decision 016). Failures are counted per account — its username and email are
 * one key, `staff:<id>` — or per name typed when no account has it, and per client address. Instead of locking the
 * real user out for long, each failure past the first few makes the next try wait longer (1 s, 2 s, 4 s … at most
 * 5 minutes); a 429 says how long (Retry-After). An address is refused only after many failures (a ward's NAT shares
 * one). Atomic: an attempt is recorded *before* it is counted and its password checked, so parallel attempts see
 * each other and at most a few reach the password check.
 */
const FREE_FAILURES = 3;
const MAX_DELAY_S = 300;
const ADDRESS_FAILURES = 100;

/** Seconds an account must wait after `failures` recent failures (0: may try now). */
export function loginDelaySeconds(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_S);
}

const tooMany = (seconds: number) =>
  new AppError('TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`}`, undefined, seconds);

/**
 * Records an attempt for the key and address and decides whether it may go on to the password check. Refused
 * attempts are taken back (they do not lengthen the wait) and audited. Returns the attempt's row id.
 */
async function beginAttempt(db: Executor, ctx: LoginCtx & { actor?: Actor | null }, key: string, staffId: number | null): Promise<number> {
  const ip = ctx.ip ?? 'unknown';
  const now = ctx.clock.now();
  const [res] = await db.insert(loginFailures).values({ usernameKey: key.slice(0, 128), ip, at: now });
  const attemptId = res.insertId;
  const since = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS);
  const [recent] = await db
    .select({
      byKey: sql<number>`sum(${loginFailures.usernameKey} = ${key.slice(0, 128)})`,
      last: sql<Date | null>`max(case when ${loginFailures.usernameKey} = ${key.slice(0, 128)} and ${loginFailures.id} <> ${attemptId} then ${loginFailures.at} end)`,
      byIp: sql<number>`sum(${loginFailures.ip} = ${ip})`,
    })
    .from(loginFailures)
    .where(and(or(eq(loginFailures.usernameKey, key.slice(0, 128)), eq(loginFailures.ip, ip)), gte(loginFailures.at, since)));
  const others = Number(recent?.byKey ?? 1) - 1;
  const last = recent?.last ? new Date(recent.last as unknown as string | Date) : null;
  const waitUntil = last ? last.getTime() + loginDelaySeconds(others) * 1000 : 0;
  let wait = Math.ceil((waitUntil - now.getTime()) / 1000);
  if (Number(recent?.byIp ?? 0) > ADDRESS_FAILURES) wait = Math.max(wait, 60);
  if (wait <= 0) return attemptId;
  await db.transaction(async (tx) => {
    await tx.delete(loginFailures).where(eq(loginFailures.id, attemptId));
    await audit(tx, { ...ctx, actor: ctx.actor ?? null }, {
      action: 'login_throttled', entityType: 'session', entityId: staffId, detail: `sign-in refused for ${wait} s after ${others} recent failures`,
    });
  });
  throw tooMany(wait);
}

/** The throttling key of what was typed: the account when one has that username or email, else the name itself. */
const accountKey = (typed: string, row: { id: number } | undefined) => (row ? `staff:${row.id}` : `name:${typed}`);

/**
 * Checks credentials. Unknown user and wrong password give the same 401 (and take the same time); throttled as above.
 */
export async function login(db: Executor, ctx: LoginCtx, input: z.output<typeof LoginInput>): Promise<{ actor: Actor; user: Staff }> {
  const typed = (input.username ?? input.email ?? '').toLowerCase();
  const [row] = await db
    .select()
    .from(staff)
    .where(input.username ? eq(staff.username, input.username) : eq(staff.email, input.email!))
    .limit(1);
  const key = accountKey(typed, row);
  const attemptId = await beginAttempt(db, ctx, key, row?.id ?? null);
  const ok = await verifyPassword(row?.active ? row.passwordHash : null, input.password);

  if (!row || !row.active || !ok) {
    // The attempt's row stays: it is the failure.
    await audit(db, { ...ctx, actor: null }, {
      action: 'login_failed', entityType: 'session', entityId: row?.id ?? null, detail: `login as "${typed.slice(0, 200)}"`,
    });
    throw badCredentials();
  }

  const actor = toActor(row);
  await db.transaction(async (tx) => {
    await tx.delete(loginFailures).where(or(eq(loginFailures.usernameKey, key), eq(loginFailures.id, attemptId)));
    await audit(tx, { ...ctx, actor }, { action: 'login', entityType: 'session', entityId: row.id });
  });
  return { actor, user: toStaff(row) };
}

export async function recordLogout(db: Executor, ctx: LoginCtx & { actor: Actor }): Promise<void> {
  await audit(db, ctx, { action: 'logout', entityType: 'session', entityId: ctx.actor.id });
}

const wrongCurrentPassword = () =>
  new AppError('VALIDATION', 'Current password is wrong', [{ path: 'currentPassword', message: 'Current password is wrong' }]);

/**
 * A signed-in user changes their own password. A wrong current password counts as a failed login for their account
 * (so a borrowed session is throttled like a guesser) and is audited like one. On success the new password is stored
 * as an argon2id hash and every session and API token of the user ends, in the transaction that is audited; the
 * caller then continues in a new session (see the auth router).
 */
export async function changePassword(db: Executor, ctx: Ctx, input: z.output<typeof PasswordChangeInput>): Promise<void> {
  const row = await getStaffRow(db, ctx.actor.id);
  const key = accountKey(row.username, row);
  await beginAttempt(db, ctx, key, row.id);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await audit(db, ctx, { action: 'login_failed', entityType: 'session', entityId: row.id, detail: 'password change: current password wrong' });
    throw wrongCurrentPassword();
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    const current = await getStaffRow(tx, row.id, { forUpdate: true });
    // Changed by someone else (an admin reset) since it was verified: the password given is no longer the current one.
    if (current.passwordHash !== row.passwordHash) throw wrongCurrentPassword();
    await tx.update(staff).set({ passwordHash, ...updateStamp(ctx, current) }).where(eq(staff.id, row.id));
    await tx.delete(loginFailures).where(eq(loginFailures.usernameKey, key));
    await endSessionsOf(tx, row.id, ctx.clock.now());
    await audit(tx, ctx, { action: 'update', entityType: 'staff', entityId: row.id, detail: 'password changed by its owner' });
  });
}
