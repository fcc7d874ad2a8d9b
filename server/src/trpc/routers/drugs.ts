import { z } from 'zod';
import { Drug, DrugCreateInput, DrugListInput, DrugSummary, DrugUpdateInput, Id, Page } from '@hmis/shared';
import * as drugs from '../../services/drugs';
import { permissionProcedure, router } from '../trpc';

const read = permissionProcedure('drug:read');
const write = permissionProcedure('drug:write');

export const drugsRouter = router({
  list: read.input(DrugListInput).output(Page(Drug)).query(({ ctx, input }) => drugs.listDrugs(ctx.db, ctx.svc, input)),
  /** Inventory counts over the whole catalogue: total, at or below reorder level, expired, expiring soon. */
  summary: read.output(DrugSummary).query(({ ctx }) => drugs.drugSummary(ctx.db, ctx.svc)),
  get: read.input(z.object({ id: Id })).output(Drug).query(({ ctx, input }) => drugs.getDrug(ctx.db, ctx.svc, input.id)),
  create: write.input(DrugCreateInput).output(Drug).mutation(({ ctx, input }) => drugs.createDrug(ctx.db, ctx.svc, input)),
  update: write.input(DrugUpdateInput).output(Drug).mutation(({ ctx, input }) => drugs.updateDrug(ctx.db, ctx.svc, input)),
});
