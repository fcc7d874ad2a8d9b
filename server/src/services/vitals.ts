import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import {
  VITAL_FIELDS,
  VITAL_SERIES_MAX,
  vitalFlags,
  type PageInput,
  type VitalSeries,
  type VitalSeriesInput,
  type Page,
  type Vital,
  type VitalCreateInput,
  type VitalListInput,
  type VitalUpdateInput,
} from '@hmis/shared';
import type { Db, Executor } from '../db/client';
import { preparedOn } from '../db/prepared';
import { staff, vitals } from '../db/schema';
import { invalid } from '../errors';
import { audit } from './audit';
import { authorName, checkChange, clinicalMetaOf } from './clinical';
import type { Ctx } from './context';
import { assertCanAttach, getConsultationRow } from './consultations';
import { bumpCount } from './counts';
import { beforeId, pageOf } from './paging';
import { getPatientRow } from './patients';
import { createStamp, definedOnly, diff, found, unchanged, updateStamp } from './rules';

type Row = typeof vitals.$inferSelect;

function toVital({ v, nurseName }: { v: Row; nurseName: string }): Vital {
  const measured = Object.fromEntries(VITAL_FIELDS.map((f) => [f, v[f]])) as Record<(typeof VITAL_FIELDS)[number], number | null>;
  const flags = vitalFlags(measured);
  return {
    id: v.id,
    patientId: v.patientId,
    consultationId: v.consultationId,
    nurseId: v.nurseId,
    nurseName,
    ...measured,
    flags,
    abnormal: Object.keys(flags).length > 0,
    ...clinicalMetaOf(v),
  };
}

const select = (db: Executor) =>
  db.select({ v: vitals, nurseName: authorName }).from(vitals).innerJoin(staff, eq(staff.id, vitals.nurseId));

async function read(db: Executor, where: SQL | undefined): Promise<Vital> {
  const [row] = await select(db).where(where);
  return toVital(found(row, 'Vital signs'));
}

export function getVital(db: Executor, patientId: number, id: number) {
  return read(db, and(eq(vitals.id, id), eq(vitals.patientId, patientId)));
}

export async function createVital(db: Executor, ctx: Ctx, input: z.output<typeof VitalCreateInput>): Promise<Vital> {
  return db.transaction(async (tx) => {
    await getPatientRow(tx, input.patientId);
    if (input.consultationId != null)
      assertCanAttach(ctx, await getConsultationRow(tx, input.patientId, input.consultationId), 'vital signs');
    const [res] = await tx.insert(vitals).values({ ...input, nurseId: ctx.actor.id, ...createStamp(ctx) });
    const created = await read(tx, eq(vitals.id, res.insertId));
    await bumpCount(tx, 'vitals', 1);
    await audit(tx, ctx, { action: 'create', entityType: 'vital', entityId: created.id, patientId: input.patientId, after: created });
    return created;
  });
}

async function lockVital(tx: Executor, patientId: number, id: number) {
  const [row] = await tx
    .select()
    .from(vitals)
    .where(and(eq(vitals.id, id), eq(vitals.patientId, patientId)))
    .for('update');
  return row;
}

export async function updateVital(db: Executor, ctx: Ctx, input: z.output<typeof VitalUpdateInput>): Promise<Vital> {
  const { patientId, id, version, ...fields } = input;
  return db.transaction(async (tx) => {
    const row = checkChange(ctx, await lockVital(tx, patientId, id), 'Vital signs', version);
    const changes = definedOnly(fields);
    const merged = { ...row, ...changes };
    if (merged.systolicBp != null && merged.diastolicBp != null && merged.diastolicBp >= merged.systolicBp) {
      throw invalid('diastolicBp', 'Diastolic BP must be lower than systolic BP');
    }
    if (!VITAL_FIELDS.some((f) => merged[f] != null)) throw invalid('pulseRate', 'Record at least one vital sign, such as the pulse');
    const change = diff(row, changes);
    if (unchanged(change)) return read(tx, eq(vitals.id, id));
    await tx
      .update(vitals)
      .set({ ...changes, ...updateStamp(ctx, row) })
      .where(eq(vitals.id, id));
    const updated = await read(tx, eq(vitals.id, id));
    await audit(tx, ctx, { action: 'update', entityType: 'vital', entityId: id, patientId, ...change });
    return updated;
  });
}

export async function deleteVital(db: Executor, ctx: Ctx, patientId: number, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = checkChange(ctx, await lockVital(tx, patientId, id), 'Vital signs');
    await tx.delete(vitals).where(eq(vitals.id, id));
    await bumpCount(tx, 'vitals', -1);
    await audit(tx, ctx, { action: 'delete', entityType: 'vital', entityId: id, patientId, before: row });
  });
}

async function listWhere(db: Executor, where: SQL, page: z.output<typeof PageInput>): Promise<Page<Vital>> {
  const rows = await select(db)
    .where(and(where, lt(vitals.id, beforeId(page.cursor))))
    .orderBy(desc(vitals.id))
    .limit(page.limit + 1);
  return pageOf(rows, page.limit, (r) => [r.v.id], toVital);
}

/** The chart's query (a patient's page of vital signs), prepared once per pool. */
const patientPage = (db: Db) =>
  select(db)
    .where(and(eq(vitals.patientId, sql.placeholder('patientId')), lt(vitals.id, sql.placeholder('before'))))
    .orderBy(desc(vitals.id))
    .limit(sql.placeholder('limit'))
    .prepare();

/** A patient's vital signs (optionally of one consultation), newest first. */
export async function listVitals(db: Executor, input: z.output<typeof VitalListInput>): Promise<Page<Vital>> {
  if (input.consultationId != null) {
    return listWhere(db, and(eq(vitals.consultationId, input.consultationId), eq(vitals.patientId, input.patientId))!, input);
  }
  const prepared = preparedOn(db, patientPage);
  if (!prepared) return listWhere(db, eq(vitals.patientId, input.patientId), input);
  const rows = await prepared.execute({ patientId: input.patientId, before: beforeId(input.cursor), limit: input.limit + 1 });
  return pageOf(rows, input.limit, (r) => [r.v.id], toVital);
}

export function listVitalsByNurse(db: Executor, nurseId: number, page: z.output<typeof PageInput>) {
  return listWhere(db, eq(vitals.nurseId, nurseId), page);
}

/**
 * A patient's readings for the trend charts, oldest first: the patient's index walked newest first, stopping after
 * VITAL_SERIES_MAX rows, so the cost is bounded by the cap whatever the patient's history. Audited as a view.
 */
export async function vitalSeries(db: Executor, ctx: Ctx, input: z.output<typeof VitalSeriesInput>): Promise<VitalSeries> {
  const columns = Object.fromEntries(VITAL_FIELDS.map((f) => [f, vitals[f]])) as Record<
    (typeof VITAL_FIELDS)[number],
    (typeof vitals)[(typeof VITAL_FIELDS)[number]]
  >;
  await getPatientRow(db, input.patientId);
  const where = input.from
    ? and(eq(vitals.patientId, input.patientId), gte(vitals.createdAt, new Date(input.from)))
    : eq(vitals.patientId, input.patientId);
  const rows = await db
    .select({ at: vitals.createdAt, ...columns })
    .from(vitals)
    .where(where)
    .orderBy(desc(vitals.patientId), desc(vitals.id))
    .limit(VITAL_SERIES_MAX + 1);
  const truncated = rows.length > VITAL_SERIES_MAX;
  const items = rows
    .slice(0, VITAL_SERIES_MAX)
    .reverse()
    .map(({ at, ...v }) => ({ at: at.toISOString(), ...v }));
  await audit(db, ctx, {
    action: 'view',
    entityType: 'vital',
    entityId: null,
    patientId: input.patientId,
    detail: `trend: ${items.length} readings`,
  });
  return { items, truncated };
}
