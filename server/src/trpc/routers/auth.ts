import { z } from 'zod';
import { CsrfToken, LoginInput, LoginResult, PasswordChangeInput, PasswordChangeResult, WhoAmI } from '@hmis/shared';
import { AppError, toTRPCError } from '../../errors';
import * as auth from '../../services/auth';
import { getStaffRow, toStaff } from '../../services/staff';
import { authedProcedure, publicProcedure, router } from '../trpc';

export const authRouter = router({
  /** Username or email plus password. Starts a session with a new id and returns its CSRF token. */
  login: publicProcedure
    .input(LoginInput)
    .output(LoginResult)
    .mutation(async ({ ctx, input }) => {
      if (!ctx.session) throw toTRPCError(new AppError('VALIDATION', 'This transport has no sessions; use an API token'));
      const { actor, user } = await auth.login(ctx.db, ctx, input);
      const { csrfToken, session } = await ctx.session.establish(actor);
      return { user, csrfToken, session };
    }),
  /** Ends the session on the server: the old cookie is worthless afterwards. */
  logout: authedProcedure.output(z.object({ loggedOut: z.literal(true) })).mutation(async ({ ctx }) => {
    await auth.recordLogout(ctx.db, ctx.svc);
    await ctx.session?.end();
    return { loggedOut: true as const };
  }),
  /**
   * Changes the caller's own password (cookie sessions only: an API token cannot change the password it is not).
   * Every session of the user ends; the caller continues in a new session — a new cookie and a new CSRF token.
   */
  changePassword: authedProcedure
    .input(PasswordChangeInput)
    .output(PasswordChangeResult)
    .mutation(async ({ ctx, input }) => {
      if (!ctx.session?.csrfToken()) {
        throw toTRPCError(new AppError('FORBIDDEN', 'Change your password while signed in with your password, not with an API token'));
      }
      await auth.changePassword(ctx.db, ctx.svc, input);
      const { csrfToken } = await ctx.session.establish(ctx.actor);
      return { changed: true as const, csrfToken };
    }),
  me: publicProcedure.output(WhoAmI).query(async ({ ctx }) => {
    if (!ctx.actor) return { authenticated: false, user: null };
    const session = ctx.session?.limits() ?? undefined;
    return { authenticated: true, user: toStaff(await getStaffRow(ctx.db, ctx.actor.id)), ...(session && { session }) };
  }),
  csrf: authedProcedure.output(CsrfToken).query(({ ctx }) => {
    const token = ctx.session?.csrfToken();
    if (!token) throw toTRPCError(new AppError('VALIDATION', 'This session has no CSRF token (API tokens need none)'));
    return { csrfToken: token };
  }),
});
