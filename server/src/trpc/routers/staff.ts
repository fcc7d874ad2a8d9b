import { z } from 'zod';
import {
  can,
  Consultation,
  ConsultationMeta,
  Page,
  Prescription,
  PrescriptionMeta,
  Staff,
  StaffActivityInput,
  StaffCounts,
  StaffCreateInput,
  StaffListEntry,
  StaffListInput,
  StaffRef,
  StaffRefInput,
  StaffUpdateInput,
  Vital,
  VitalMeta,
  type Permission,
} from '@hmis/shared';
import { listConsultationsByDoctor } from '../../services/consultations';
import { listPrescriptionsByDispenser, listPrescriptionsByPrescriber } from '../../services/prescriptions';
import * as staff from '../../services/staff';
import { listVitalsByNurse } from '../../services/vitals';
import { Deleted, deleted } from '../outputs';
import { authedProcedure, permissionProcedure, router, viewAudited } from '../trpc';

const list = permissionProcedure('staff:list');
const manage = permissionProcedure('staff:manage');

/**
 * What a reader without clinical access (the admin) gets of a staff member's activity list: each record cut to the
 * fields of its `…Meta` schema — who did what for which patient when — with `clinicalTextWithheld`. A reader with
 * `permission` (that clinician reading their own list) gets the records in full.
 */
function withheldUnless<T extends object, M extends z.ZodObject>(
  ctx: { actor: { role: Parameters<typeof can>[0] } },
  permission: Permission,
  meta: M,
  page: Page<T>,
): Page<T> | Page<z.output<M>> {
  if (can(ctx.actor.role, permission)) return page;
  // A zod object drops the keys it does not name: what is left is the metadata.
  return { ...page, items: page.items.map((r) => meta.parse({ ...r, clinicalTextWithheld: true })) };
}

export const staffRouter = router({
  counts: list.output(StaffCounts).query(({ ctx }) => staff.staffCounts(ctx.db)),
  list: list
    .input(StaffListInput)
    .output(Page(StaffListEntry))
    .query(({ ctx, input }) => staff.listStaff(ctx.db, ctx.svc, input)),
  /** One staff record: the admin, or that person. */
  get: authedProcedure
    .input(z.object({ id: StaffRef }))
    .output(Staff)
    .query(({ ctx, input }) => staff.getStaff(ctx.db, ctx.svc, input.id)),
  create: manage
    .input(StaffCreateInput)
    .output(Staff)
    .mutation(({ ctx, input }) => staff.createStaff(ctx.db, ctx.svc, input)),
  update: manage
    .input(StaffUpdateInput)
    .output(Staff)
    .mutation(({ ctx, input }) => staff.updateStaff(ctx.db, ctx.svc, input)),
  delete: manage
    .input(z.object({ id: StaffRef }))
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await staff.deactivateStaff(ctx.db, ctx.svc, input.id);
      return deleted(staff.staffIdOf(input.id));
    }),
  /** The inverse of delete: a deactivated account becomes active again. */
  reactivate: manage
    .input(StaffRefInput)
    .output(Staff)
    .mutation(({ ctx, input }) => staff.reactivateStaff(ctx.db, ctx.svc, input.id)),

  // Per-staff listings: the admin or that person.
  doctorConsultations: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('consultation', "a doctor's consultations"))
    .output(Page(z.union([Consultation, ConsultationMeta])))
    .query(async ({ ctx, input }) => {
      const doctorId = await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'doctor');
      return withheldUnless(ctx, 'consultation:read', ConsultationMeta, await listConsultationsByDoctor(ctx.db, doctorId, input));
    }),
  doctorPrescriptions: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('prescription', "a doctor's prescriptions"))
    .output(Page(z.union([Prescription, PrescriptionMeta])))
    .query(async ({ ctx, input }) => {
      const doctorId = await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'doctor');
      return withheldUnless(ctx, 'prescription:read', PrescriptionMeta, await listPrescriptionsByPrescriber(ctx.db, doctorId, input));
    }),
  nurseVitals: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('vital', 'vital signs a nurse recorded'))
    .output(Page(z.union([Vital, VitalMeta])))
    .query(async ({ ctx, input }) => {
      const nurseId = await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'nurse');
      return withheldUnless(ctx, 'vital:read', VitalMeta, await listVitalsByNurse(ctx.db, nurseId, input));
    }),
  pharmacistDispensed: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('prescription', 'prescriptions a pharmacist dispensed'))
    .output(Page(z.union([Prescription, PrescriptionMeta])))
    .query(async ({ ctx, input }) => {
      const pharmacistId = await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'pharmacist');
      return withheldUnless(ctx, 'prescription:read', PrescriptionMeta, await listPrescriptionsByDispenser(ctx.db, pharmacistId, input));
    }),
});
