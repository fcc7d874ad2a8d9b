import {
  DispenseInput,
  DrugLine,
  DrugLineCreateInput,
  DrugLineRef,
  DrugLineUpdateInput,
  Page,
  PatientPrescriptionsInput,
  Prescription,
  PrescriptionCreateInput,
  PrescriptionQueueInput,
  PrescriptionRef,
  PrescriptionUpdateInput,
} from '@hmis/shared';
import * as prescriptions from '../../services/prescriptions';
import { Deleted, deleted } from '../outputs';
import { permissionProcedure, router, viewAudited } from '../trpc';

const read = permissionProcedure('prescription:read');
const write = permissionProcedure('prescription:write');
const dispense = permissionProcedure('prescription:dispense');

export const prescriptionsRouter = router({
  get: read
    .input(PrescriptionRef)
    .use(viewAudited('prescription', "a consultation's prescription"))
    .output(Prescription)
    .query(({ ctx, input }) => prescriptions.getPrescription(ctx.db, input.patientId, input.consultationId)),
  create: write
    .input(PrescriptionCreateInput)
    .output(Prescription)
    .mutation(({ ctx, input }) => prescriptions.createPrescription(ctx.db, ctx.svc, input)),
  update: write
    .input(PrescriptionUpdateInput)
    .output(Prescription)
    .mutation(({ ctx, input }) => prescriptions.updatePrescription(ctx.db, ctx.svc, input)),
  delete: write
    .input(PrescriptionRef)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await prescriptions.deletePrescription(ctx.db, ctx.svc, input.patientId, input.consultationId);
      return deleted(input.consultationId);
    }),
  addLine: write
    .input(DrugLineCreateInput)
    .output(DrugLine)
    .mutation(({ ctx, input }) => prescriptions.addDrugLine(ctx.db, ctx.svc, input)),
  updateLine: write
    .input(DrugLineUpdateInput)
    .output(DrugLine)
    .mutation(({ ctx, input }) => prescriptions.updateDrugLine(ctx.db, ctx.svc, input)),
  deleteLine: write
    .input(DrugLineRef)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await prescriptions.deleteDrugLine(ctx.db, ctx.svc, input.patientId, input.consultationId, input.id);
      return deleted(input.id);
    }),
  dispense: dispense
    .input(DispenseInput)
    .output(Prescription)
    .mutation(({ ctx, input }) => prescriptions.dispensePrescription(ctx.db, ctx.svc, input)),
  /** A patient's prescriptions across consultations, newest first, with lines and status (audited as a view). */
  listForPatient: read
    .input(PatientPrescriptionsInput)
    .output(Page(Prescription))
    .query(({ ctx, input }) => prescriptions.listPatientPrescriptions(ctx.db, ctx.svc, input)),
  /** The pharmacy queue (pending by default), oldest first. */
  queue: read
    .input(PrescriptionQueueInput)
    .use(viewAudited('prescription', 'the pharmacy queue'))
    .output(Page(Prescription))
    .query(({ ctx, input }) => prescriptions.prescriptionQueue(ctx.db, input)),
});
