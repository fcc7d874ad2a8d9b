import {
  Page,
  PatientRecordRef,
  Vital,
  VitalCreateInput,
  VitalListInput,
  VitalSeries,
  VitalSeriesInput,
  VitalUpdateInput,
} from '@hmis/shared';
import * as vitals from '../../services/vitals';
import { Deleted, deleted } from '../outputs';
import { permissionProcedure, router, viewAudited } from '../trpc';

const read = permissionProcedure('vital:read');
const write = permissionProcedure('vital:write');

export const vitalsRouter = router({
  list: read
    .input(VitalListInput)
    .use(viewAudited('vital', "the patient's vital signs"))
    .output(Page(Vital))
    .query(({ ctx, input }) => vitals.listVitals(ctx.db, input)),
  /** Readings for the trend charts, oldest first (capped; audited as a view). */
  series: read
    .input(VitalSeriesInput)
    .output(VitalSeries)
    .query(({ ctx, input }) => vitals.vitalSeries(ctx.db, ctx.svc, input)),
  get: read
    .input(PatientRecordRef)
    .use(viewAudited('vital', 'vital signs'))
    .output(Vital)
    .query(({ ctx, input }) => vitals.getVital(ctx.db, input.patientId, input.id)),
  create: write
    .input(VitalCreateInput)
    .output(Vital)
    .mutation(({ ctx, input }) => vitals.createVital(ctx.db, ctx.svc, input)),
  update: write
    .input(VitalUpdateInput)
    .output(Vital)
    .mutation(({ ctx, input }) => vitals.updateVital(ctx.db, ctx.svc, input)),
  delete: write
    .input(PatientRecordRef)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await vitals.deleteVital(ctx.db, ctx.svc, input.patientId, input.id);
      return deleted(input.id);
    }),
});
