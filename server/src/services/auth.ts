import { and, eq, gte, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { LOGIN_FAILURE_WINDOW_MS, LOGIN_MAX_FAILURES, type LoginInput, type Staff } from '@hmis/shared';
import { verifyPassword } from '../auth/passwords';
import type { Clock } from '../clock';
import type { Executor } from '../db/client';
import { loginFailures, staff } from '../db/schema';
import { AppError } from '../errors';
import { audit } from './audit';
import type { Actor } from './context';
import { toActor, toStaff } from './staff';

interface LoginCtx {
  clock: Clock;
  ip: string | null;
}

const badCredentials = () => new AppError('UNAUTHENTICATED', 'Wrong username or password');

/**
 * Checks credentials. Unknown user and wrong password give the same 401 (and take the same time). After
 * LOGIN_MAX_FAILURES failures for a username, or from one address, within the window, further tries get 429.
 */
export async function login(db: Executor, ctx: LoginCtx, input: z.output<typeof LoginInput>): Promise<{ actor: Actor; user: Staff }> {
  const key = (input.username ?? input.email ?? '').toLowerCase();
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

  const [row] = await db
    .select()
    .from(staff)
    .where(input.username ? eq(staff.username, input.username) : eq(staff.email, input.email!))
    .limit(1);
  const ok = await verifyPassword(row?.active ? row.passwordHash : null, input.password);

  if (!row || !row.active || !ok) {
    await db.transaction(async (tx) => {
      await tx.insert(loginFailures).values({ usernameKey: key.slice(0, 128), ip, at: ctx.clock.now() });
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
