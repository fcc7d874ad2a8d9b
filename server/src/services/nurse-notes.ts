import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { NurseNote, NurseNoteCreateInput, NurseNoteUpdateInput, Page, PatientPageInput } from '@hmis/shared';
import type { Executor } from '../db/client';
import { nurseNotes, staff } from '../db/schema';
import { audit } from './audit';
import { authorName, checkChange, clinicalMetaOf } from './clinical';
import type { Ctx } from './context';
import { bumpCount } from './counts';
import { cursorId, pageOf } from './paging';
import { getPatientRow } from './patients';
import { createStamp, diff, found, unchanged, updateStamp } from './rules';

type Row = typeof nurseNotes.$inferSelect;

function toNurseNote({ n, nurseName }: { n: Row; nurseName: string }): NurseNote {
  return { id: n.id, patientId: n.patientId, nurseId: n.nurseId, nurseName, note: n.note, ...clinicalMetaOf(n) };
}

const select = (db: Executor) =>
  db.select({ n: nurseNotes, nurseName: authorName }).from(nurseNotes).innerJoin(staff, eq(staff.id, nurseNotes.nurseId));

async function read(db: Executor, where: SQL | undefined): Promise<NurseNote> {
  const [row] = await select(db).where(where);
  return toNurseNote(found(row, 'Nurse note'));
}

export function getNurseNote(db: Executor, patientId: number, id: number) {
  return read(db, and(eq(nurseNotes.id, id), eq(nurseNotes.patientId, patientId)));
}

export async function createNurseNote(db: Executor, ctx: Ctx, input: z.output<typeof NurseNoteCreateInput>) {
  return db.transaction(async (tx) => {
    await getPatientRow(tx, input.patientId);
    const [res] = await tx.insert(nurseNotes).values({ ...input, nurseId: ctx.actor.id, ...createStamp(ctx) });
    const created = await read(tx, eq(nurseNotes.id, res.insertId));
    await bumpCount(tx, 'nurseNotes', 1);
    await audit(tx, ctx, { action: 'create', entityType: 'nurse_note', entityId: created.id, patientId: input.patientId, after: created });
    return created;
  });
}

async function lockNote(tx: Executor, patientId: number, id: number) {
  const [row] = await tx
    .select()
    .from(nurseNotes)
    .where(and(eq(nurseNotes.id, id), eq(nurseNotes.patientId, patientId)))
    .for('update');
  return row;
}

export async function updateNurseNote(db: Executor, ctx: Ctx, input: z.output<typeof NurseNoteUpdateInput>) {
  const { patientId, id, version, note } = input;
  return db.transaction(async (tx) => {
    const row = checkChange(ctx, await lockNote(tx, patientId, id), 'Nurse note', version);
    const change = diff(row, { note });
    if (unchanged(change)) return read(tx, eq(nurseNotes.id, id));
    await tx
      .update(nurseNotes)
      .set({ note, ...updateStamp(ctx, row) })
      .where(eq(nurseNotes.id, id));
    const updated = await read(tx, eq(nurseNotes.id, id));
    await audit(tx, ctx, { action: 'update', entityType: 'nurse_note', entityId: id, patientId, ...change });
    return updated;
  });
}

export async function deleteNurseNote(db: Executor, ctx: Ctx, patientId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = checkChange(ctx, await lockNote(tx, patientId, id), 'Nurse note');
    await tx.delete(nurseNotes).where(eq(nurseNotes.id, id));
    await bumpCount(tx, 'nurseNotes', -1);
    await audit(tx, ctx, { action: 'delete', entityType: 'nurse_note', entityId: id, patientId, before: row });
  });
}

/** A patient's nurse notes, newest first. */
export async function listNurseNotes(db: Executor, input: z.output<typeof PatientPageInput>): Promise<Page<NurseNote>> {
  const after = cursorId(input.cursor);
  const rows = await select(db)
    .where(and(eq(nurseNotes.patientId, input.patientId), after != null ? lt(nurseNotes.id, after) : undefined))
    .orderBy(desc(nurseNotes.id))
    .limit(input.limit + 1);
  return pageOf(rows, input.limit, (r) => [r.n.id], toNurseNote);
}
