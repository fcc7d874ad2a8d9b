import { z } from 'zod';
import {
  AllergySubstance,
  AllergySubstancesInput,
  Id,
  Page,
  Patient,
  PatientAllergiesInput,
  PatientCreateInput,
  PatientListInput,
  PatientUpdateInput,
} from '@hmis/shared';
import * as allergies from '../../services/allergies';
import * as patients from '../../services/patients';
import { Deleted, deleted } from '../outputs';
import { permissionProcedure, router, viewAudited } from '../trpc';

const read = permissionProcedure('patient:read');
const write = permissionProcedure('patient:write');
const allergyWrite = permissionProcedure('allergy:write');

export const patientsRouter = router({
  /** A search answers with whole records (phone, next of kin, allergies): who searched, and when, is audited. */
  list: read
    .input(PatientListInput)
    .use(viewAudited('patient', 'patient search'))
    .output(Page(Patient))
    .query(({ ctx, input }) => patients.listPatients(ctx.db, input)),
  get: read
    .input(z.object({ id: Id }))
    .output(Patient)
    .query(({ ctx, input }) => patients.getPatient(ctx.db, ctx.svc, input.id)),
  create: write
    .input(PatientCreateInput)
    .output(Patient)
    .mutation(({ ctx, input }) => patients.createPatient(ctx.db, ctx.svc, input)),
  update: write
    .input(PatientUpdateInput)
    .output(Patient)
    .mutation(({ ctx, input }) => patients.updatePatient(ctx.db, ctx.svc, input)),
  /** The allergy list as a whole, coded or free text (record officers and doctors; decision 015). */
  setAllergies: allergyWrite
    .input(PatientAllergiesInput)
    .output(Patient)
    .mutation(({ ctx, input }) => patients.setAllergies(ctx.db, ctx.svc, input)),
  /** The allergy typeahead: classes, formulary substances and non-drug allergens for what was typed. */
  allergySubstances: read
    .input(AllergySubstancesInput)
    .output(z.array(AllergySubstance))
    .query(({ ctx, input }) => allergies.allergySubstances(ctx.db, input)),
  delete: write
    .input(z.object({ id: Id }))
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await patients.deletePatient(ctx.db, ctx.svc, input.id);
      return deleted(input.id);
    }),
});
