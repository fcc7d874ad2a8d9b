import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { z } from 'zod';
import { PAGE_SIZE_MAX, type ApiToken, type ApiTokenCreated, type ApiTokenCreateInput } from '@hmis/shared';
import type { Executor } from '../db/client';
import { apiTokens, staff } from '../db/schema';
import { forbidden, invalid, notFound } from '../errors';
import { audit } from './audit';
import type { Actor, Ctx } from './context';
import { isoOrNull, iso } from './rules';
import { fullName } from './staff';

type Row = typeof apiTokens.$inferSelect;

const TOKEN_PREFIX = 'hmis_';
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toApiToken(r: Row): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scope: r.scope,
    createdAt: iso(r.createdAt),
    expiresAt: isoOrNull(r.expiresAt),
    revokedAt: isoOrNull(r.revokedAt),
    lastUsedAt: isoOrNull(r.lastUsedAt),
  };
}

/**
 * A new token for the signed-in caller: only from a session (a token cannot make another, which would outlive its
 * parent's revocation), always with an expiry within the server's maximum lifetime, read-only unless asked.
 */
export async function createApiToken(
  db: Executor,
  ctx: Ctx,
  input: z.output<typeof ApiTokenCreateInput>,
  maxDays: number,
): Promise<ApiTokenCreated> {
  if (ctx.actor.token) throw forbidden('API tokens are created from a signed-in session, not by another API token');
  if (input.expiresInDays > maxDays)
    throw invalid('expiresInDays', `Expires in (days) must be at most ${maxDays}: the longest an API token may live here`);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  return db.transaction(async (tx) => {
    const [res] = await tx.insert(apiTokens).values({
      staffId: ctx.actor.id,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, 12),
      scope: input.scope,
      createdAt: now,
      expiresAt,
    });
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, res.insertId));
    const created = toApiToken(row!);
    await audit(tx, ctx, { action: 'create', entityType: 'api_token', entityId: created.id, after: created });
    return { ...created, token };
  });
}

/** The caller's own tokens, newest first (a person has few; capped all the same). */
export async function listApiTokens(db: Executor, ctx: Ctx): Promise<ApiToken[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.staffId, ctx.actor.id))
    .orderBy(desc(apiTokens.id))
    .limit(PAGE_SIZE_MAX);
  return rows.map(toApiToken);
}

export async function revokeApiToken(db: Executor, ctx: Ctx, id: number): Promise<ApiToken> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), eq(apiTokens.staffId, ctx.actor.id)))
      .for('update');
    if (!row || row.revokedAt) throw notFound('API token');
    await tx.update(apiTokens).set({ revokedAt: ctx.clock.now() }).where(eq(apiTokens.id, id));
    await audit(tx, ctx, { action: 'delete', entityType: 'api_token', entityId: id, before: toApiToken(row) });
    return toApiToken({ ...row, revokedAt: ctx.clock.now() });
  });
}

/** Ends every token of a staff member (password changed or reset, deactivated, role changed), in the caller's transaction. */
export async function revokeTokensOf(tx: Executor, staffId: number, now: Date): Promise<void> {
  await tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.staffId, staffId), isNull(apiTokens.revokedAt)));
}

/** A token's last use is written at most once a minute, after the answer's work (never holding the request up). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The actor a bearer token stands for, or null (unknown, revoked, expired, or its owner deactivated). */
export async function actorForToken(db: Executor, token: string, now: Date): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({
      id: staff.id,
      role: staff.role,
      firstName: staff.firstName,
      lastName: staff.lastName,
      otherNames: staff.otherNames,
      tokenId: apiTokens.id,
      scope: apiTokens.scope,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(staff, eq(staff.id, apiTokens.staffId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
        eq(staff.active, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    void db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(eq(apiTokens.id, row.tokenId))
      .catch(() => undefined);
  }
  return { id: row.id, role: row.role, name: fullName(row), token: { id: row.tokenId, scope: row.scope } };
}
