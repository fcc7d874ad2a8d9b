import { NurseNote, NurseNoteCreateInput, NurseNoteUpdateInput, Page, PatientPageInput, PatientRecordRef } from '@hmis/shared';
import * as notes from '../../services/nurse-notes';
import { Deleted, deleted } from '../outputs';
import { permissionProcedure, router, viewAudited } from '../trpc';

const read = permissionProcedure('nursenote:read');
const write = permissionProcedure('nursenote:write');

export const nurseNotesRouter = router({
  list: read
    .input(PatientPageInput)
    .use(viewAudited('nurse_note', "the patient's nurse notes"))
    .output(Page(NurseNote))
    .query(({ ctx, input }) => notes.listNurseNotes(ctx.db, input)),
  get: read
    .input(PatientRecordRef)
    .use(viewAudited('nurse_note', 'a nurse note'))
    .output(NurseNote)
    .query(({ ctx, input }) => notes.getNurseNote(ctx.db, input.patientId, input.id)),
  create: write
    .input(NurseNoteCreateInput)
    .output(NurseNote)
    .mutation(({ ctx, input }) => notes.createNurseNote(ctx.db, ctx.svc, input)),
  update: write
    .input(NurseNoteUpdateInput)
    .output(NurseNote)
    .mutation(({ ctx, input }) => notes.updateNurseNote(ctx.db, ctx.svc, input)),
  delete: write
    .input(PatientRecordRef)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await notes.deleteNurseNote(ctx.db, ctx.svc, input.patientId, input.id);
      return deleted(input.id);
    }),
});
