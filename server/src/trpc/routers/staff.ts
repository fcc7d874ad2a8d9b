import { z } from 'zod';
import {
  can, Consultation, ConsultationMeta, Page, Prescription, Staff, StaffActivityInput, StaffCounts, StaffCreateInput, StaffListEntry, StaffListInput, StaffRef,
  StaffRefInput, StaffUpdateInput, Vital,
} from '@hmis/shared';
import { listConsultationsByDoctor } from '../../services/consultations';
import { listPrescriptionsByDispenser, listPrescriptionsByPrescriber } from '../../services/prescriptions';
import * as staff from '../../services/staff';
import { listVitalsByNurse } from '../../services/vitals';
import { Deleted, deleted } from '../outputs';
import { authedProcedure, permissionProcedure, router, viewAudited } from '../trpc';

const list = permissionProcedure('staff:list');
const manage = permissionProcedure('staff:manage');

/** The consultation fields an admin may see in a doctor's activity list. */
const META_KEYS = ['id', 'patientId', 'doctorId', 'doctorName', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'editableUntil'] as const;
const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

export const staffRouter = router({
  counts: list.output(StaffCounts).query(({ ctx }) => staff.staffCounts(ctx.db)),
  list: list.input(StaffListInput).output(Page(StaffListEntry)).query(({ ctx, input }) => staff.listStaff(ctx.db, ctx.svc, input)),
  /** One staff record: the admin, or that person. */
  get: authedProcedure
    .input(z.object({ id: StaffRef }))
    .output(Staff)
    .query(({ ctx, input }) => staff.getStaff(ctx.db, ctx.svc, input.id)),
  create: manage.input(StaffCreateInput).output(Staff).mutation(({ ctx, input }) => staff.createStaff(ctx.db, ctx.svc, input)),
  update: manage.input(StaffUpdateInput).output(Staff).mutation(({ ctx, input }) => staff.updateStaff(ctx.db, ctx.svc, input)),
  delete: manage
    .input(z.object({ id: StaffRef }))
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await staff.deactivateStaff(ctx.db, ctx.svc, input.id);
      return deleted(staff.staffIdOf(input.id));
    }),
  /** The inverse of delete: a deactivated account becomes active again. */
  reactivate: manage.input(StaffRefInput).output(Staff).mutation(({ ctx, input }) => staff.reactivateStaff(ctx.db, ctx.svc, input.id)),

  // Per-staff listings: the admin or that person.
  doctorConsultations: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('consultation', "a doctor's consultations"))
    .output(Page(z.union([Consultation, ConsultationMeta])))
    .query(async ({ ctx, input }) => {
      const doctorId = await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'doctor');
      const page = await listConsultationsByDoctor(ctx.db, doctorId, input);
      // The doctor reads their own in full; an admin sees who saw which patient when, not the clinical text.
      if (can(ctx.actor.role, 'consultation:read')) return page;
      return { ...page, items: page.items.map((c) => ({ ...pick(c, META_KEYS), clinicalTextWithheld: true as const })) };
    }),
  doctorPrescriptions: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('prescription', "a doctor's prescriptions"))
    .output(Page(Prescription))
    .query(async ({ ctx, input }) =>
      listPrescriptionsByPrescriber(ctx.db, await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'doctor'), input),
    ),
  nurseVitals: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('vital', "vital signs a nurse recorded"))
    .output(Page(Vital))
    .query(async ({ ctx, input }) =>
      listVitalsByNurse(ctx.db, await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'nurse'), input),
    ),
  pharmacistDispensed: authedProcedure
    .input(StaffActivityInput)
    .use(viewAudited('prescription', "prescriptions a pharmacist dispensed"))
    .output(Page(Prescription))
    .query(async ({ ctx, input }) =>
      listPrescriptionsByDispenser(ctx.db, await staff.assertStaffListing(ctx.db, ctx.svc, input.staffId, 'pharmacist'), input),
    ),
});
