import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Consultation, ConsultationCreateInput, ConsultationUpdateInput, Page, PatientPageInput, PageInput } from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
import { consultations, staff } from '../db/schema';
import { audit } from './audit';
import { authorName, checkChange, clinicalMetaOf } from './clinical';
import type { Ctx } from './context';
import { bumpCount } from './counts';
import { beforeId, pageOf } from './paging';
import { getPatientRow } from './patients';
import { createStamp, definedOnly, diff, editableUntil, found, unchanged, updateStamp } from './rules';
import { forbidden, locked } from '../errors';

type Row = typeof consultations.$inferSelect;

function toConsultation({ c, doctorName }: { c: Row; doctorName: string }): Consultation {
  return {
    id: c.id,
    patientId: c.patientId,
    doctorId: c.doctorId,
    doctorName,
    presentingComplaint: c.presentingComplaint,
    historyOfPresentingComplaint: c.historyOfPresentingComplaint,
    pastMedicalHistory: c.pastMedicalHistory,
    pastObstetricHistory: c.pastObstetricHistory,
    pastGynaecologicalHistory: c.pastGynaecologicalHistory,
    provisionalDiagnosis: c.provisionalDiagnosis,
    plan: c.plan,
    ...clinicalMetaOf(c),
  };
}

const select = (db: Executor) =>
  db.select({ c: consultations, doctorName: authorName }).from(consultations).innerJoin(staff, eq(staff.id, consultations.doctorId));

/** A consultation of this patient, or 404 (also when it belongs to another patient). */
export async function getConsultationRow(db: Executor, patientId: number, id: number, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(consultations)
    .where(and(eq(consultations.id, id), eq(consultations.patientId, patientId)));
  const [row] = await (opts.forUpdate ? q.for('update') : q);
  return found(row, 'Consultation');
}

type ConsultationRow = Awaited<ReturnType<typeof getConsultationRow>>;

/**
 * What may be attached to a consultation, by whom and until when (decision 016): a prescription by the doctor who
 * held it, vital signs by any nurse, both only while the consultation is open — the 24 hours its author may change
 * it. After that it is locked, and later care starts a new consultation.
 */
export function assertCanAttach(ctx: Ctx, row: ConsultationRow, what: 'prescription' | 'vital signs'): void {
  if (what === 'prescription' && row.doctorId !== ctx.actor.id) {
    throw forbidden('Only the doctor who held this consultation can prescribe on it; start your own consultation');
  }
  if (ctx.clock.now().getTime() >= editableUntil(row.createdAt).getTime()) {
    throw locked(
      'Consultation',
      `This consultation is locked (more than 24 hours old): ${what === 'prescription' ? 'a prescription' : 'vital signs'} can no longer be added to it. Start a new consultation.`,
    );
  }
}

async function read(db: Executor, id: number): Promise<Consultation> {
  const [row] = await select(db).where(eq(consultations.id, id));
  return toConsultation(found(row, 'Consultation'));
}

export async function getConsultation(db: Executor, patientId: number, id: number): Promise<Consultation> {
  const [row] = await select(db).where(and(eq(consultations.id, id), eq(consultations.patientId, patientId)));
  return toConsultation(found(row, 'Consultation'));
}

export async function createConsultation(db: Executor, ctx: Ctx, input: z.output<typeof ConsultationCreateInput>) {
  return db.transaction(async (tx) => {
    await getPatientRow(tx, input.patientId);
    const [res] = await tx.insert(consultations).values({ ...input, doctorId: ctx.actor.id, ...createStamp(ctx) });
    const created = await read(tx, res.insertId);
    await bumpCount(tx, 'consultations', 1);
    await audit(tx, ctx, {
      action: 'create',
      entityType: 'consultation',
      entityId: created.id,
      patientId: input.patientId,
      after: created,
    });
    return created;
  });
}

export async function updateConsultation(db: Executor, ctx: Ctx, input: z.output<typeof ConsultationUpdateInput>) {
  const { patientId, id, version, ...fields } = input;
  return db.transaction(async (tx) => {
    const row = checkChange(ctx, await getConsultationRow(tx, patientId, id, { forUpdate: true }), 'Consultation', version);
    const changes = definedOnly(fields);
    const change = diff(row, changes);
    if (unchanged(change)) return read(tx, id);
    await tx
      .update(consultations)
      .set({ ...changes, ...updateStamp(ctx, row) })
      .where(eq(consultations.id, id));
    const updated = await read(tx, id);
    await audit(tx, ctx, { action: 'update', entityType: 'consultation', entityId: id, patientId, ...change });
    return updated;
  });
}

export async function deleteConsultation(db: Executor, ctx: Ctx, patientId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = checkChange(ctx, await getConsultationRow(tx, patientId, id, { forUpdate: true }), 'Consultation');
    await tx.delete(consultations).where(eq(consultations.id, id));
    await bumpCount(tx, 'consultations', -1);
    await audit(tx, ctx, { action: 'delete', entityType: 'consultation', entityId: id, patientId, before: row });
  });
}

async function listWhere(db: Executor, where: ReturnType<typeof eq>, page: z.output<typeof PageInput>): Promise<Page<Consultation>> {
  const rows = await select(db)
    .where(and(where, lt(consultations.id, beforeId(page.cursor))))
    .orderBy(desc(consultations.id))
    .limit(page.limit + 1);
  return pageOf(rows, page.limit, (r) => [r.c.id], toConsultation);
}

/** The chart's query (a patient's page of consultations), prepared once per pool. */
const patientPage = (db: Db) =>
  select(db)
    .where(and(eq(consultations.patientId, sql.placeholder('patientId')), lt(consultations.id, sql.placeholder('before'))))
    .orderBy(desc(consultations.id))
    .limit(sql.placeholder('limit'))
    .prepare();

/** A patient's consultations, newest first. */
export async function listConsultations(db: Executor, input: z.output<typeof PatientPageInput>): Promise<Page<Consultation>> {
  const prepared = preparedOn(db, patientPage);
  if (!prepared) return listWhere(db, eq(consultations.patientId, input.patientId), input);
  const rows = await prepared.execute({ patientId: input.patientId, before: beforeId(input.cursor), limit: input.limit + 1 });
  return pageOf(rows, input.limit, (r) => [r.c.id], toConsultation);
}

export function listConsultationsByDoctor(db: Executor, doctorId: number, page: z.output<typeof PageInput>) {
  return listWhere(db, eq(consultations.doctorId, doctorId), page);
}
