import { z } from 'zod';
import { Id, requiredText } from '../fields';

export const ApiTokenCreateInput = z.object({
  name: requiredText(64),
  /** Days until the token stops working; omit for a token that lasts until revoked. */
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export type ApiTokenCreateInput = z.input<typeof ApiTokenCreateInput>;

export const ApiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Returned once, at creation: the token itself is never shown again (only its hash is stored). */
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>;

export const ApiTokenRef = z.object({ id: Id });
