import { z } from 'zod';
import { ApiToken, ApiTokenCreated, ApiTokenCreateInput, ApiTokenRef } from '@hmis/shared';
import { readEnv } from '../../env';
import * as tokens from '../../services/api-tokens';
import { authedProcedure, router } from '../trpc';

/** Personal API tokens: any signed-in user manages their own. */
export const apiTokensRouter = router({
  list: authedProcedure.output(z.array(ApiToken)).query(({ ctx }) => tokens.listApiTokens(ctx.db, ctx.svc)),
  create: authedProcedure
    .input(ApiTokenCreateInput)
    .output(ApiTokenCreated)
    .mutation(({ ctx, input }) => tokens.createApiToken(ctx.db, ctx.svc, input, readEnv().HMIS_API_TOKEN_MAX_DAYS)),
  revoke: authedProcedure
    .input(ApiTokenRef)
    .output(ApiToken)
    .mutation(({ ctx, input }) => tokens.revokeApiToken(ctx.db, ctx.svc, input.id)),
});
