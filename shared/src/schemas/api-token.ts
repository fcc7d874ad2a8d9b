import { z } from 'zod';
import { Id, requiredText } from '../fields';

/** read: the token may only read (queries); write: everything its owner's role may do. */
export const API_TOKEN_SCOPES = ['read', 'write'] as const;
/** A token's lifetime when none is asked for, in days; the server's maximum is HMIS_API_TOKEN_MAX_DAYS (365). */
export const API_TOKEN_DEFAULT_DAYS = 90;

export const ApiTokenCreateInput = z.object({
  name: requiredText(64),
  /** Days until the token stops working (90 when omitted); at most the server's maximum lifetime. */
  expiresInDays: z.coerce.number().int().min(1).max(3650).default(API_TOKEN_DEFAULT_DAYS),
  /** read (the default) or write. */
  scope: z.enum(API_TOKEN_SCOPES).default('read'),
});
export type ApiTokenCreateInput = z.input<typeof ApiTokenCreateInput>;

export const ApiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  scope: z.enum(API_TOKEN_SCOPES),
  lastUsedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Returned once, at creation: the token itself is never shown again (only its hash is stored). */
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

export const ApiTokenRef = z.object({ id: Id });
