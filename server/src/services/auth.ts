import { and, eq, gte, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { LOGIN_FAILURE_WINDOW_MS, LOGIN_MAX_FAILURES, type LoginInput, type PasswordChangeInput, type Staff } from '@hmis/shared';
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
 * After LOGIN_MAX_FAILURES failures for a username (or 4× that from one address) within the window, further tries
 * get 429: logins and password changes alike.
 */
async function assertNotThrottled(db: Executor, ctx: LoginCtx, key: string): Promise<void> {
  const ip = ctx.ip ?? 'unknown';
  const since = new Date(ctx.clock.now().getTime() - LOGIN_FAILURE_WINDOW_MS);
  const [recent] = await db
    .select({
      byUser: sql<number>`sum(${loginFailures.usernameKey} = ${key})`,
      byIp: sql<number>`sum(${loginFailures.ip} = ${ip})`,
    })
    .from(loginFailures)
    .where(and(or(eq(loginFailures.usernameKey, key), eq(loginFailures.ip, ip)), gte(loginFailures.at, since)));
  if (Number(recent?.byUser ?? 0) >= LOGIN_MAX_FAILURES || Number(recent?.byIp ?? 0) >= LOGIN_MAX_FAILURES * 4) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many failed logins; wait 15 minutes and try again');
  }
}

/**
 * Checks credentials. Unknown user and wrong password give the same 401 (and take the same time). After
 * LOGIN_MAX_FAILURES failures for a username, or from one address, within the window, further tries get 429.
 */
export async function login(db: Executor, ctx: LoginCtx, input: z.output<typeof LoginInput>): Promise<{ actor: Actor; user: Staff }> {
  const key = (input.username ?? input.email ?? '').toLowerCase();
  await assertNotThrottled(db, ctx, key);

  const [row] = await db
    .select()
    .from(staff)
    .where(input.username ? eq(staff.username, input.username) : eq(staff.email, input.email!))
    .limit(1);
  const ok = await verifyPassword(row?.active ? row.passwordHash : null, input.password);

  if (!row || !row.active || !ok) {
    await db.transaction(async (tx) => {
      await tx.insert(loginFailures).values({ usernameKey: key.slice(0, 128), ip: ctx.ip ?? 'unknown', at: ctx.clock.now() });
      await audit(tx, { ...ctx, actor: null }, {
        action: 'login_failed', entityType: 'session', entityId: row?.id ?? null, detail: `login as "${key.slice(0, 200)}"`,
      });
    });
    throw badCredentials();
  }

  const actor = toActor(row);
  await db.transaction(async (tx) => {
    await tx.delete(loginFailures).where(eq(loginFailures.usernameKey, key));
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
 * A signed-in user changes their own password. A wrong current password counts as a failed login for their username
 * (so a borrowed session cannot guess it more than LOGIN_MAX_FAILURES times) and is audited like one. On success the
 * new password is stored as an argon2id hash and every session of the user ends, in the transaction that is audited;
 * the caller then continues in a new session (see the auth router). API tokens stay valid.
 */
export async function changePassword(db: Executor, ctx: Ctx, input: z.output<typeof PasswordChangeInput>): Promise<void> {
  const row = await getStaffRow(db, ctx.actor.id);
  await assertNotThrottled(db, ctx, row.username);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await db.transaction(async (tx) => {
      await tx.insert(loginFailures).values({ usernameKey: row.username, ip: ctx.ip ?? 'unknown', at: ctx.clock.now() });
      await audit(tx, ctx, { action: 'login_failed', entityType: 'session', entityId: row.id, detail: 'password change: current password wrong' });
    });
    throw wrongCurrentPassword();
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    const current = await getStaffRow(tx, row.id, { forUpdate: true });
    // Changed by someone else (an admin reset) since it was verified: the password given is no longer the current one.
    if (current.passwordHash !== row.passwordHash) throw wrongCurrentPassword();
    await tx.update(staff).set({ passwordHash, ...updateStamp(ctx, current) }).where(eq(staff.id, row.id));
    await tx.delete(loginFailures).where(eq(loginFailures.usernameKey, row.username));
    await endSessionsOf(tx, row.id, ctx.clock.now());
    await audit(tx, ctx, { action: 'update', entityType: 'staff', entityId: row.id, detail: 'password changed by its owner' });
  });
}
