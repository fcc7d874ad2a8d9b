import { z } from 'zod';
import { CsrfToken, LoginInput, LoginResult, WhoAmI } from '@hmis/shared';
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
      const csrfToken = await ctx.session.establish(actor);
      return { user, csrfToken };
    }),
  /** Ends the session on the server: the old cookie is worthless afterwards. */
  logout: authedProcedure.output(z.object({ loggedOut: z.literal(true) })).mutation(async ({ ctx }) => {
    await auth.recordLogout(ctx.db, ctx.svc);
    await ctx.session?.end();
    return { loggedOut: true as const };
  }),
  me: publicProcedure.output(WhoAmI).query(async ({ ctx }) => {
    if (!ctx.actor) return { authenticated: false, user: null };
    return { authenticated: true, user: toStaff(await getStaffRow(ctx.db, ctx.actor.id)) };
  }),
  csrf: authedProcedure.output(CsrfToken).query(({ ctx }) => {
    const token = ctx.session?.csrfToken();
    if (!token) throw toTRPCError(new AppError('VALIDATION', 'This session has no CSRF token (API tokens need none)'));
    return { csrfToken: token };
  }),
});
