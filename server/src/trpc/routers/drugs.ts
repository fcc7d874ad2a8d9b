import { z } from 'zod';
import {
  Drug,
  DrugCreateInput,
  DrugListInput,
  DrugLot,
  DrugLotsInput,
  DrugSummary,
  DrugUpdateInput,
  ExpiredLotsInput,
  ExpiringLotsInput,
  Id,
  LotDispense,
  LotUsageInput,
  Page,
  StockAdjustmentInput,
  StockCardInput,
  StockChange,
  StockMovement,
  StockReceiptInput,
  StockReturnInput,
  StockWriteOffInput,
} from '@hmis/shared';
import * as drugs from '../../services/drugs';
import * as stock from '../../services/stock';
import { permissionProcedure, router } from '../trpc';

const read = permissionProcedure('drug:read');
const write = permissionProcedure('drug:write');
/** Who received a lot names patients: the pharmacist's recall list. */
const recall = permissionProcedure('prescription:dispense');

export const drugsRouter = router({
  list: read
    .input(DrugListInput)
    .output(Page(Drug))
    .query(({ ctx, input }) => drugs.listDrugs(ctx.db, ctx.svc, input)),
  /** Inventory counts over the whole catalogue: total, at or below reorder level, expired, expiring soon. */
  summary: read.output(DrugSummary).query(({ ctx }) => drugs.drugSummary(ctx.db, ctx.svc)),
  get: read
    .input(z.object({ id: Id }))
    .output(Drug)
    .query(({ ctx, input }) => drugs.getDrug(ctx.db, ctx.svc, input.id)),
  create: write
    .input(DrugCreateInput)
    .output(Drug)
    .mutation(({ ctx, input }) => drugs.createDrug(ctx.db, ctx.svc, input)),
  update: write
    .input(DrugUpdateInput)
    .output(Drug)
    .mutation(({ ctx, input }) => drugs.updateDrug(ctx.db, ctx.svc, input)),

  // The stock ledger (decision 014).
  receive: write
    .input(StockReceiptInput)
    .output(StockChange)
    .mutation(({ ctx, input }) => stock.receiveStock(ctx.db, ctx.svc, input)),
  adjust: write
    .input(StockAdjustmentInput)
    .output(StockChange)
    .mutation(({ ctx, input }) => stock.adjustStock(ctx.db, ctx.svc, input)),
  writeOff: write
    .input(StockWriteOffInput)
    .output(StockChange)
    .mutation(({ ctx, input }) => stock.writeOffStock(ctx.db, ctx.svc, input)),
  returnToStock: write
    .input(StockReturnInput)
    .output(StockChange)
    .mutation(({ ctx, input }) => stock.returnStock(ctx.db, ctx.svc, input)),
  lots: read
    .input(DrugLotsInput)
    .output(z.array(DrugLot))
    .query(({ ctx, input }) => stock.listLots(ctx.db, ctx.svc, input)),
  movement: read
    .input(z.object({ id: Id }))
    .output(StockMovement)
    .query(({ ctx, input }) => stock.getMovement(ctx.db, ctx.svc, input.id)),
  stockCard: read
    .input(StockCardInput)
    .output(Page(StockMovement))
    .query(({ ctx, input }) => stock.stockCard(ctx.db, ctx.svc, input)),
  lotUsage: recall
    .input(LotUsageInput)
    .output(Page(LotDispense))
    .query(({ ctx, input }) => stock.lotUsage(ctx.db, ctx.svc, input)),
  expiringLots: read
    .input(ExpiringLotsInput)
    .output(Page(DrugLot))
    .query(({ ctx, input }) => stock.expiringLots(ctx.db, ctx.svc, input)),
  expiredLots: read
    .input(ExpiredLotsInput)
    .output(Page(DrugLot))
    .query(({ ctx, input }) => stock.expiredLots(ctx.db, ctx.svc, input)),
});
