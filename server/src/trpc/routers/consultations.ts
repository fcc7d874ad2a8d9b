import { Consultation, ConsultationCreateInput, ConsultationUpdateInput, Page, PatientPageInput, PatientRecordRef } from '@hmis/shared';
import * as consultations from '../../services/consultations';
import { Deleted, deleted } from '../outputs';
import { permissionProcedure, router, viewAudited } from '../trpc';

const read = permissionProcedure('consultation:read');
const write = permissionProcedure('consultation:write');

export const consultationsRouter = router({
  list: read
    .input(PatientPageInput)
    .use(viewAudited('consultation', "the patient's consultations"))
    .output(Page(Consultation))
    .query(({ ctx, input }) => consultations.listConsultations(ctx.db, input)),
  get: read
    .input(PatientRecordRef)
    .use(viewAudited('consultation', 'a consultation'))
    .output(Consultation)
    .query(({ ctx, input }) => consultations.getConsultation(ctx.db, input.patientId, input.id)),
  create: write
    .input(ConsultationCreateInput)
    .output(Consultation)
    .mutation(({ ctx, input }) => consultations.createConsultation(ctx.db, ctx.svc, input)),
  update: write
    .input(ConsultationUpdateInput)
    .output(Consultation)
    .mutation(({ ctx, input }) => consultations.updateConsultation(ctx.db, ctx.svc, input)),
  delete: write
    .input(PatientRecordRef)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await consultations.deleteConsultation(ctx.db, ctx.svc, input.patientId, input.id);
      return deleted(input.id);
    }),
});
