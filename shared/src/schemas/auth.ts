import { z } from 'zod';
import { LIMITS } from '../fields';
import { Staff } from './staff';

export const LoginInput = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(LIMITS.email).optional(),
    email: z.string().trim().toLowerCase().min(1).max(LIMITS.email).optional(),
    password: z.string().min(1).max(LIMITS.passwordMax),
  })
  .refine((v) => v.username != null || v.email != null, { message: 'Give a username or an email', path: ['username'] });
export type LoginInput = z.input<typeof LoginInput>;

export const LoginResult = z.object({ user: Staff, csrfToken: z.string() });
export type LoginResult = z.infer<typeof LoginResult>;

export const WhoAmI = z.object({ authenticated: z.boolean(), user: Staff.nullable() });
export type WhoAmI = z.infer<typeof WhoAmI>;

export const CsrfToken = z.object({ csrfToken: z.string() });
