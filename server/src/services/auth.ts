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
 * one). Atomic: the attempts on one account run one at a time (the account's row is locked from the count to the
 * record of the outcome), so parallel guesses cannot all see "not yet throttled".
 */
const FREE_FAILURES = 3;
const MAX_DELAY_S = 300;
const ADDRESS_FAILURES = 100;

/** Seconds an account must wait after `failures` recent failures (0: may try now). */
export function loginDelaySeconds(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_S);
}

const tooMany = (seconds: number) =>
  new AppError(
    'TOO_MANY_REQUESTS',
    `Too many failed sign-ins; try again in ${seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`}`,
    undefined,
    seconds,
  );

/** How long an attempt on `key` from this address must still wait (0: it may go on). */
async function waitBeforeAttempt(tx: Executor, ctx: LoginCtx, key: string): Promise<number> {
  const ip = ctx.ip ?? 'unknown';
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - LOGIN_FAILURE_WINDOW_MS);
  const [recent] = await tx
    .select({
      byKey: sql<number>`sum(${loginFailures.usernameKey} = ${key})`,
      last: sql<Date | string | null>`max(case when ${loginFailures.usernameKey} = ${key} then ${loginFailures.at} end)`,
      byIp: sql<number>`sum(${loginFailures.ip} = ${ip})`,
    })
    .from(loginFailures)
    .where(and(or(eq(loginFailures.usernameKey, key), eq(loginFailures.ip, ip)), gte(loginFailures.at, since)));
  const failures = Number(recent?.byKey ?? 0);
  const last = recent?.last ? new Date(recent.last) : null;
  let wait = last ? Math.ceil((last.getTime() + loginDelaySeconds(failures) * 1000 - now.getTime()) / 1000) : 0;
  if (Number(recent?.byIp ?? 0) >= ADDRESS_FAILURES) wait = Math.max(wait, 60);
  return Math.max(wait, 0);
}

type Outcome = { kind: 'ok' } | { kind: 'failed' } | { kind: 'throttled'; wait: number };

/**
 * One sign-in attempt on an account, serialised with the others on it: the wait is checked, then the password, and
 * the outcome recorded (a failure row and `login_failed`, or `login_throttled`, or the failures cleared on success).
 */
async function attempt(
  db: Executor,
  ctx: LoginCtx & { actor?: Actor | null },
  key: string,
  staffId: number | null,
  check: () => Promise<boolean>,
  onSuccess: (tx: Executor) => Promise<void>,
  failureDetail: string,
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    if (staffId !== null) await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId)).for('update');
    const wait = await waitBeforeAttempt(tx, ctx, key);
    if (wait > 0) {
      await audit(
        tx,
        { ...ctx, actor: ctx.actor ?? null },
        { action: 'login_throttled', entityType: 'session', entityId: staffId, detail: `sign-in refused for ${wait} s` },
      );
      return { kind: 'throttled', wait } as const;
    }
    if (!(await check())) {
      await tx.insert(loginFailures).values({ usernameKey: key, ip: ctx.ip ?? 'unknown', at: ctx.clock.now() });
      await audit(
        tx,
        { ...ctx, actor: ctx.actor ?? null },
        { action: 'login_failed', entityType: 'session', entityId: staffId, detail: failureDetail },
      );
      return { kind: 'failed' } as const;
    }
    await tx.delete(loginFailures).where(eq(loginFailures.usernameKey, key));
    await onSuccess(tx);
    return { kind: 'ok' } as const;
  });
}

/** The throttling key of what was typed: the account when one has that username or email, else the name itself. */
const accountKey = (typed: string, row: { id: number } | undefined) => (row ? `staff:${row.id}` : `name:${typed}`.slice(0, 128));

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
  const actor = row ? toActor(row) : null;
  const outcome = await attempt(
    db,
    ctx,
    accountKey(typed, row),
    row?.id ?? null,
    async () => !!row && row.active && (await verifyPassword(row.active ? row.passwordHash : null, input.password)),
    (tx) => audit(tx, { ...ctx, actor }, { action: 'login', entityType: 'session', entityId: row!.id }),
    `login as "${typed.slice(0, 200)}"`,
  );
  if (outcome.kind === 'throttled') throw tooMany(outcome.wait);
  if (outcome.kind === 'failed' || !row || !actor) throw badCredentials();
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
  const outcome = await attempt(
    db,
    ctx,
    key,
    row.id,
    () => verifyPassword(row.passwordHash, input.currentPassword),
    async () => undefined,
    'password change: current password wrong',
  );
  if (outcome.kind === 'throttled') throw tooMany(outcome.wait);
  if (outcome.kind === 'failed') throw wrongCurrentPassword();
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    const current = await getStaffRow(tx, row.id, { forUpdate: true });
    // Changed by someone else (an admin reset) since it was verified: the password given is no longer the current one.
    if (current.passwordHash !== row.passwordHash) throw wrongCurrentPassword();
    await tx
      .update(staff)
      .set({ passwordHash, ...updateStamp(ctx, current) })
      .where(eq(staff.id, row.id));
    await tx.delete(loginFailures).where(eq(loginFailures.usernameKey, key));
    await endSessionsOf(tx, row.id, ctx.clock.now());
    await audit(tx, ctx, { action: 'update', entityType: 'staff', entityId: row.id, detail: 'password changed by its owner' });
  });
}
