import { z } from 'zod';
import { LIMITS, Password } from '../fields';
import { Staff } from './staff';

export const LoginInput = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(LIMITS.email).optional(),
    email: z.string().trim().toLowerCase().min(1).max(LIMITS.email).optional(),
    password: z.string().min(1).max(LIMITS.passwordMax),
  })
  .refine((v) => v.username != null || v.email != null, { message: 'Give a username or an email', path: ['username'] });
export type LoginInput = z.input<typeof LoginInput>;

/**
 * When a cookie session ends, so a client can warn before it does (issue 11, finding 7). It ends after `idleMinutes`
 * without a request (null: no idle limit), and at `expiresAt` however much it is used.
 */
export const SessionLimits = z.object({
  idleMinutes: z.number().positive().nullable(),
  expiresAt: z.iso.datetime(),
});
export type SessionLimits = z.infer<typeof SessionLimits>;

export const LoginResult = z.object({ user: Staff, csrfToken: z.string(), session: SessionLimits });
export type LoginResult = z.infer<typeof LoginResult>;

/** `session` only for a cookie session: absent when signed out, or signed in with an API token (which has its own expiry). */
export const WhoAmI = z.object({ authenticated: z.boolean(), user: Staff.nullable(), session: SessionLimits.optional() });
export type WhoAmI = z.infer<typeof WhoAmI>;

export const CsrfToken = z.object({ csrfToken: z.string() });

/** A signed-in user changes their own password: the current one, and a new one under the shared Password rules. */
export const PasswordChangeInput = z
  .object({
    currentPassword: z.string().min(1).max(LIMITS.passwordMax),
    newPassword: Password,
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    message: 'Choose a new password different from the current one',
    path: ['newPassword'],
  });
export type PasswordChangeInput = z.input<typeof PasswordChangeInput>;

/**
 * After a password change the caller's session continues under a new id with a new CSRF token (send it from now on);
 * every other session of the user has ended.
 */
export const PasswordChangeResult = z.object({ changed: z.literal(true), csrfToken: z.string() });
export type PasswordChangeResult = z.infer<typeof PasswordChangeResult>;
