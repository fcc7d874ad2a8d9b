import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  can,
  DEFAULT_JOB_TITLE,
  ROLES,
  STAFF_NUMBER_PREFIX,
  formatStaffNumber,
  parseStaffNumber,
  type Page,
  type Role,
  type Staff,
  type StaffCounts,
  type StaffCreateInput,
  type StaffListEntry,
  type StaffListInput,
  type StaffUpdateInput,
} from '@hmis/shared';
import { hashPassword } from '../auth/passwords';
import { forgetSessionsOf } from '../auth/session-store';
import type { Executor } from '../db/client';
import { sessions, staff } from '../db/schema';
import { AppError, forbidden, invalid, notFound } from '../errors';
import { revokeTokensOf } from './api-tokens';
import { audit } from './audit';
import type { Actor, Ctx } from './context';
import { bumpCount } from './counts';
import { cursorId, pageOf } from './paging';
import { assertVersion, createStamp, definedOnly, diff, found, personOf, recordMetaOf, updateStamp } from './rules';

export type StaffRow = typeof staff.$inferSelect;

export function fullName(r: { firstName: string; lastName: string; otherNames: string | null }): string {
  return [r.firstName, r.otherNames, r.lastName].filter(Boolean).join(' ');
}

/** The staff record as it may leave the server: built field by field, so the password hash never can. */
export function toStaff(r: StaffRow): Staff {
  return {
    id: r.id,
    staffNumber: formatStaffNumber(r.role, r.id),
    username: r.username,
    role: r.role,
    jobTitle: r.jobTitle,
    fullName: fullName(r),
    active: r.active,
    ...personOf(r),
    email: r.email,
    ...recordMetaOf(r),
  };
}

export function toActor(r: StaffRow): Actor {
  return { id: r.id, role: r.role, name: fullName(r) };
}

/** `12` or `DOC0012` → 12; anything else is a 404 (there is no such staff member). */
export function staffIdOf(ref: number | string): number {
  const id = typeof ref === 'number' ? ref : parseStaffNumber(ref);
  if (id == null) throw notFound('Staff member');
  return id;
}

export async function getStaffRow(db: Executor, id: number, opts: { forUpdate?: boolean } = {}): Promise<StaffRow> {
  const q = db.select().from(staff).where(eq(staff.id, id));
  const [row] = await (opts.forUpdate ? q.for('update') : q);
  return found(row, 'Staff member');
}

/** Loads the staff member a ref names. A staff number encodes the role: `NRS0012` for a doctor names no one (404). */
async function getStaffRowByRef(db: Executor, ref: number | string, opts: { forUpdate?: boolean } = {}): Promise<StaffRow> {
  const row = await getStaffRow(db, staffIdOf(ref), opts);
  const prefix = typeof ref === 'string' ? /^[A-Z]+/.exec(ref.trim().toUpperCase())?.[0] : undefined;
  if (prefix && prefix !== STAFF_NUMBER_PREFIX[row.role]) throw notFound('Staff member');
  return row;
}

/** The id of the staff member with this username, or null. */
export async function findStaffIdByUsername(db: Executor, username: string): Promise<number | null> {
  const [row] = await db.select({ id: staff.id }).from(staff).where(eq(staff.username, username.trim().toLowerCase())).limit(1);
  return row?.id ?? null;
}

/** One staff record: the admin, or that person. */
export async function getStaff(db: Executor, ctx: Ctx, ref: number | string): Promise<Staff> {
  const id = staffIdOf(ref);
  if (ctx.actor.role !== 'admin' && ctx.actor.id !== id) throw forbidden('Only an admin or that person can see this record');
  return toStaff(await getStaffRowByRef(db, ref));
}

export async function createStaff(db: Executor, ctx: Ctx, input: z.output<typeof StaffCreateInput>): Promise<Staff> {
  const { password, jobTitle, ...fields } = input;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [res] = await tx.insert(staff).values({
      ...fields,
      passwordHash,
      jobTitle: jobTitle ?? DEFAULT_JOB_TITLE[input.role],
      ...createStamp(ctx),
    });
    const created = toStaff(await getStaffRow(tx, res.insertId));
    await bumpCount(tx, 'staff', 1);
    await audit(tx, ctx, { action: 'create', entityType: 'staff', entityId: created.id, after: created });
    return created;
  });
}

/**
 * Creates the first admin of an empty installation (console, demo data). There is no actor yet: the account has no
 * creator and the audit event none either. Refused once any admin exists.
 */
export async function createFirstAdmin(db: Executor, ctx: Omit<Ctx, 'actor'>, input: z.output<typeof StaffCreateInput>): Promise<Staff> {
  if (input.role !== 'admin') throw invalid('role', 'Role must be Admin for the first account');
  const passwordHash = await hashPassword(input.password);
  const { password: _password, jobTitle, ...fields } = input;
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.role, 'admin')).limit(1).for('update');
    if (existing) throw new AppError('CONFLICT', 'An admin already exists; sign in as an admin to create staff');
    const now = ctx.clock.now();
    const [res] = await tx.insert(staff).values({
      ...fields,
      passwordHash,
      jobTitle: jobTitle ?? DEFAULT_JOB_TITLE.admin,
      createdAt: now,
      updatedAt: now,
    });
    const created = toStaff(await getStaffRow(tx, res.insertId));
    await bumpCount(tx, 'staff', 1);
    await audit(
      tx,
      { ...ctx, actor: null },
      { action: 'create', entityType: 'staff', entityId: created.id, after: created, detail: 'first admin' },
    );
    return created;
  });
}

/** Ends every session of a staff member (password change, deactivation). */
/** Ends every session and API token of a staff member (password changed or reset, deactivated, role changed). */
export async function endSessionsOf(tx: Executor, staffId: number, now: Date): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.staffId, staffId));
  await revokeTokensOf(tx, staffId, now);
  forgetSessionsOf(staffId);
}

export async function updateStaff(db: Executor, ctx: Ctx, input: z.output<typeof StaffUpdateInput>): Promise<Staff> {
  const { id: ref, version, password, ...fields } = input;
  const passwordHash = password ? await hashPassword(password) : undefined;
  return db.transaction(async (tx) => {
    const row = await getStaffRowByRef(tx, ref, { forUpdate: true });
    const id = row.id;
    if (!row.active) throw new AppError('CONFLICT', 'This staff member is deactivated');
    assertVersion(row, version, 'Staff member');
    const changes = definedOnly({ ...fields, jobTitle: fields.jobTitle ?? undefined });
    await tx
      .update(staff)
      .set({ ...changes, ...(passwordHash ? { passwordHash } : {}), ...updateStamp(ctx, row) })
      .where(eq(staff.id, id));
    // A new password: the sessions and tokens made under the old one end. (A role is never changed: staff.update has
    // no role; a new role is a new account.)
    if (passwordHash) await endSessionsOf(tx, id, ctx.clock.now());
    const updated = toStaff(await getStaffRow(tx, id));
    const change = diff(toStaff(row), changes);
    await audit(tx, ctx, {
      action: 'update',
      entityType: 'staff',
      entityId: id,
      ...change,
      detail: passwordHash ? 'password reset' : null,
    });
    return updated;
  });
}

/** Staff are deactivated, not erased: their name stays on the records they wrote. Their sessions end. */
export async function deactivateStaff(db: Executor, ctx: Ctx, ref: number | string): Promise<void> {
  const id = staffIdOf(ref);
  if (id === ctx.actor.id) throw invalid('id', 'You cannot deactivate your own account');
  await db.transaction(async (tx) => {
    const row = await getStaffRowByRef(tx, ref, { forUpdate: true });
    if (!row.active) throw notFound('Staff member');
    await tx
      .update(staff)
      .set({ active: false, deactivatedAt: ctx.clock.now(), ...updateStamp(ctx, row) })
      .where(eq(staff.id, id));
    await endSessionsOf(tx, id, ctx.clock.now());
    await bumpCount(tx, 'staff', -1);
    await audit(tx, ctx, { action: 'delete', entityType: 'staff', entityId: id, before: toStaff(row) });
  });
}

/**
 * The inverse of deactivation: the account can sign in again with its old password (reset it with staff.update if
 * needed). 409 if the account is already active.
 */
export async function reactivateStaff(db: Executor, ctx: Ctx, ref: number | string): Promise<Staff> {
  return db.transaction(async (tx) => {
    const row = await getStaffRowByRef(tx, ref, { forUpdate: true });
    if (row.active) throw new AppError('CONFLICT', 'This staff member is already active');
    await tx
      .update(staff)
      .set({ active: true, deactivatedAt: null, ...updateStamp(ctx, row) })
      .where(eq(staff.id, row.id));
    await bumpCount(tx, 'staff', 1);
    const updated = toStaff(await getStaffRow(tx, row.id));
    await audit(tx, ctx, {
      action: 'update',
      entityType: 'staff',
      entityId: row.id,
      before: { active: false },
      after: { active: true },
      detail: 'reactivated',
    });
    return updated;
  });
}

/**
 * The staff of one role in id order: the active ones, or (active: false, admin only) the deactivated ones, so an admin
 * can find and reactivate them. Either way one walk of (role, active, id).
 */
/** The full record to admins and to the person themself; the directory entry to everyone else. */
function listEntry(ctx: Ctx, r: StaffRow): StaffListEntry {
  const full = toStaff(r);
  if (can(ctx.actor.role, 'staff:manage') || r.id === ctx.actor.id) return full;
  return {
    id: full.id,
    staffNumber: full.staffNumber,
    role: full.role,
    jobTitle: full.jobTitle,
    fullName: full.fullName,
    active: full.active,
  };
}

export async function listStaff(db: Executor, ctx: Ctx, input: z.output<typeof StaffListInput>): Promise<Page<StaffListEntry>> {
  if (!input.active && !can(ctx.actor.role, 'staff:manage')) throw forbidden('Only an admin can list deactivated staff');
  const after = cursorId(input.cursor);
  const rows = await db
    .select()
    .from(staff)
    .where(and(eq(staff.role, input.role), eq(staff.active, input.active), after ? gt(staff.id, after) : undefined))
    .orderBy(asc(staff.id))
    .limit(input.limit + 1);
  return pageOf(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => listEntry(ctx, r),
  );
}

export async function staffCounts(db: Executor): Promise<StaffCounts> {
  const rows = await db
    .select({ role: staff.role, n: sql<number>`count(*)` })
    .from(staff)
    .where(eq(staff.active, true))
    .groupBy(staff.role);
  const counts = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const r of rows) counts[r.role] = Number(r.n);
  return counts;
}

/** Per-staff listings (a doctor's consultations…): the admin or that person, and the staff member must have the role. */
export async function assertStaffListing(db: Executor, ctx: Ctx, ref: number | string, role: Role): Promise<number> {
  const id = staffIdOf(ref);
  if (ctx.actor.role !== 'admin' && ctx.actor.id !== id) throw forbidden('Only an admin or that person can see this list');
  const row = await getStaffRowByRef(db, ref);
  if (row.role !== role) throw notFound(`${DEFAULT_JOB_TITLE[role]}`);
  return id;
}
