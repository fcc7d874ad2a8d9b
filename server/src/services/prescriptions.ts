import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  DispensedLot,
  DispenseInput,
  DrugLine,
  DrugLineCreateInput,
  DrugLineFields,
  DrugLineUpdateInput,
  Page,
  PageInput,
  PatientPrescriptionsInput,
  Prescription,
  PrescriptionCreateInput,
  PrescriptionQueueInput,
  PrescriptionUpdateInput,
} from '@hmis/shared';
import {
  allergiesMatched,
  allergyMatchesMessage,
  checkAllergies,
  duplicateTherapies,
  fieldLabel,
  listOfAllergies,
  type CheckedAllergy,
  type StoredAllergy,
} from '@hmis/shared';
import type { Executor } from '../db/client';
import { drugs, patients, prescriptionDrugs, prescriptions, staff } from '../db/schema';
import { AppError, locked, staleVersion } from '../errors';
import { audit } from './audit';
import { authorName, checkChange, clinicalMetaOf } from './clinical';
import type { Ctx } from './context';
import { assertCanAttach, getConsultationRow } from './consultations';
import { bumpCount } from './counts';
import { atcCodesOf, getDrugRow, hospitalDate } from './drugs';
import { dispensedLotsOf, takeForDispense } from './stock';
import { cursorId, encodeCursor } from './paging';
import { getPatientRow } from './patients';
import { createStamp, definedOnly, diff, editableUntil, found, iso, isoOrNull, recordMetaOf, unchanged, updateStamp } from './rules';

type Row = typeof prescriptions.$inferSelect;
type LineRow = typeof prescriptionDrugs.$inferSelect;
type LineInput = z.output<z.ZodObject<typeof DrugLineFields>>;

/**
 * A line is locked with its prescription (updateDrugLine), so its `editableUntil` is the prescription's: a line added
 * at 23 hours must not say it can be changed for another day (issue 14's table-driven tests found it).
 */
function toLine(l: LineRow, head: Pick<Row, 'createdAt'>, dispensedLots: DispensedLot[] = []): DrugLine {
  return {
    id: l.id,
    prescriptionId: l.prescriptionId,
    drugId: l.drugId,
    drugName: l.drugName,
    dose: l.dose,
    frequency: l.frequency,
    duration: l.duration,
    route: l.route,
    quantity: l.quantity,
    allergyOverrideReason: l.allergyOverrideReason,
    allergyOverrideFor: l.allergyOverrideReason ? l.allergyOverrideFor : null,
    dispensedLots,
    ...recordMetaOf(l),
    editableUntil: iso(editableUntil(head.createdAt)),
  };
}

function toPrescription(
  p: Row,
  prescriberName: string,
  lines: LineRow[],
  lots: Map<number, DispensedLot[]>,
  atc: Map<number, string[]>,
): Prescription {
  const duplicates = duplicateTherapies(lines.map((l) => ({ drugName: l.drugName, atcCodes: atc.get(l.drugId) ?? [] })));
  return {
    id: p.id,
    patientId: p.patientId,
    consultationId: p.consultationId,
    prescriberId: p.prescriberId,
    prescriberName,
    status: p.status,
    notes: p.notes,
    dispensedBy: p.dispensedBy,
    dispensedAt: isoOrNull(p.dispensedAt),
    lines: lines.map((l) => toLine(l, p, lots.get(l.id))),
    duplicateTherapy: duplicates.map((d) => ({ group: d.group, lineIds: d.lines.map((i) => lines[i]!.id), message: d.message })),
    ...clinicalMetaOf(p),
  };
}

const selectHeads = (db: Executor) =>
  db
    .select({ p: prescriptions, prescriberName: authorName })
    .from(prescriptions)
    .innerJoin(staff, eq(staff.id, prescriptions.prescriberId));

/** Loads the heads and all their lines in two queries. */
async function withLines(db: Executor, heads: { p: Row; prescriberName: string }[]): Promise<Prescription[]> {
  if (heads.length === 0) return [];
  const lines = await db
    .select()
    .from(prescriptionDrugs)
    .where(
      inArray(
        prescriptionDrugs.prescriptionId,
        heads.map((h) => h.p.id),
      ),
    )
    .orderBy(asc(prescriptionDrugs.id));
  const byPrescription = new Map<number, LineRow[]>();
  for (const l of lines) byPrescription.set(l.prescriptionId, [...(byPrescription.get(l.prescriptionId) ?? []), l]);
  const dispensed = new Set(heads.filter((h) => h.p.status === 'dispensed').map((h) => h.p.id));
  const lots = await dispensedLotsOf(db, [...dispensed]);
  const drugIds = [...new Set(lines.map((l) => l.drugId))];
  const codes = drugIds.length
    ? await db.select({ id: drugs.id, atcCodes: drugs.atcCodes }).from(drugs).where(inArray(drugs.id, drugIds))
    : [];
  const atc = new Map(codes.map((d) => [d.id, atcCodesOf(d.atcCodes)]));
  return heads.map((h) => toPrescription(h.p, h.prescriberName, byPrescription.get(h.p.id) ?? [], lots, atc));
}

async function readById(db: Executor, id: number): Promise<Prescription> {
  const [head] = await selectHeads(db).where(eq(prescriptions.id, id));
  const [p] = await withLines(db, [found(head, 'Prescription')]);
  return p!;
}

async function lockPrescription(tx: Executor, patientId: number, consultationId: number): Promise<Row> {
  const [row] = await tx
    .select()
    .from(prescriptions)
    .where(and(eq(prescriptions.consultationId, consultationId), eq(prescriptions.patientId, patientId)))
    .for('update');
  return found(row, 'Prescription');
}

function assertPending(p: Row) {
  if (p.status !== 'pending') throw locked('Prescription', `This prescription is ${p.status} and can no longer be changed`);
}

/** The consultation's prescription (404 if the consultation is not this patient's or has none). */
export async function getPrescription(db: Executor, patientId: number, consultationId: number): Promise<Prescription> {
  await getConsultationRow(db, patientId, consultationId);
  const [head] = await selectHeads(db).where(eq(prescriptions.consultationId, consultationId));
  const [p] = await withLines(db, [found(head, 'Prescription')]);
  return p!;
}

/**
 * The allergies a line's override reason stands for: those it was given for. A line written before they were kept
 * (migration 0010): the allergies recorded by the time it was last changed, so one recorded since is still caught.
 */
function overrideCovers(line: LineRow, allergies: readonly StoredAllergy[]): Set<string> {
  if (!line.allergyOverrideReason) return new Set();
  if (line.allergyOverrideFor) return new Set(line.allergyOverrideFor);
  const by = (line.updatedAt ?? line.createdAt).getTime();
  return new Set(
    allergies.flatMap((a) => (typeof a === 'string' ? [a] : !a.recordedAt || Date.parse(a.recordedAt) <= by ? [a.substance] : [])),
  );
}

/**
 * Checks one drug line against the catalogue and the patient's allergies (by class, ingredient and cross-reactivity:
 * shared/'s rule, decision 013). Every match, a cross-reactivity warning too, needs an override reason, which is kept
 * with the line and in the audit trail with the allergies it was given for. A reason covers only those: `covered`
 * are the allergies an earlier reason was given for, when the line is changed without a new one; a new drug or a
 * newly recorded allergy needs a new reason (decision 013).
 */
async function checkLine(
  tx: Executor,
  allergies: readonly CheckedAllergy[],
  line: LineInput,
  path: string,
  covered: ReadonlySet<string> | 'new reason',
) {
  const drug = await getDrugRow(tx, line.drugId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') {
      const message = `${fieldLabel(`${path}drugId`)} is not in the drug list`;
      throw new AppError('NOT_FOUND', message, [{ path: `${path}drugId`, message }]);
    }
    throw e;
  });
  const { matches } = checkAllergies({ ...drug, atcCodes: atcCodesOf(drug.atcCodes) }, allergies);
  // No reason on the line (none given, or the one it had taken away): every match needs one.
  const hasReason = Boolean(line.allergyOverrideReason);
  const uncovered = !hasReason ? matches : covered === 'new reason' ? [] : matches.filter((m) => !covered.has(m.allergy));
  if (uncovered.length > 0) {
    const names = listOfAllergies(allergiesMatched(uncovered));
    const before =
      hasReason && covered !== 'new reason' && covered.size > 0 ? ` The reason given before was for ${listOfAllergies([...covered])}.` : '';
    throw new AppError(
      'ALLERGY_OVERRIDE_REQUIRED',
      `${allergyMatchesMessage(drug.name, uncovered)}${before} Give a reason for prescribing it anyway.`,
      [{ path: `${path}allergyOverrideReason`, message: `Give a reason for overriding the allergy to ${names}` }],
    );
  }
  const overrideFor = matches.length > 0 ? allergiesMatched(matches) : null;
  const detail = overrideFor
    ? matches.map((m) => (m.kind === 'ingredient' ? m.allergy : `${m.allergy}; ${m.kind}: ${m.className}`)).join(' | ')
    : null;
  return { drug, overrideFor, detail };
}

async function insertLine(tx: Executor, ctx: Ctx, prescription: Row, allergies: readonly CheckedAllergy[], line: LineInput, path = '') {
  const { drug, overrideFor, detail } = await checkLine(tx, allergies, line, path, 'new reason');
  const [res] = await tx.insert(prescriptionDrugs).values({
    ...line,
    allergyOverrideReason: overrideFor ? line.allergyOverrideReason! : null,
    allergyOverrideFor: overrideFor,
    prescriptionId: prescription.id,
    drugName: drug.name,
    ...createStamp(ctx),
  });
  const [created] = await tx.select().from(prescriptionDrugs).where(eq(prescriptionDrugs.id, res.insertId));
  await audit(tx, ctx, {
    action: 'create',
    entityType: 'drug_line',
    entityId: res.insertId,
    patientId: prescription.patientId,
    after: created,
    detail: detail ? `allergy override (${detail}): ${line.allergyOverrideReason}` : null,
  });
  return toLine(created!, prescription);
}

export async function createPrescription(db: Executor, ctx: Ctx, input: z.output<typeof PrescriptionCreateInput>) {
  const { patientId, consultationId, notes, lines } = input;
  return db.transaction(async (tx) => {
    const patient = await getPatientRow(tx, patientId);
    assertCanAttach(ctx, await getConsultationRow(tx, patientId, consultationId), 'prescription');
    const [res] = await tx
      .insert(prescriptions)
      .values({ patientId, consultationId, notes, prescriberId: ctx.actor.id, ...createStamp(ctx) });
    const [head] = await tx.select().from(prescriptions).where(eq(prescriptions.id, res.insertId));
    for (const [i, line] of lines.entries()) await insertLine(tx, ctx, head!, patient.allergies, line, `lines.${i}.`);
    const created = await readById(tx, res.insertId);
    await bumpCount(tx, 'prescriptions', 1);
    await audit(tx, ctx, {
      action: 'create',
      entityType: 'prescription',
      entityId: created.id,
      patientId,
      after: { ...created, lines: undefined },
    });
    return created;
  });
}

export async function updatePrescription(db: Executor, ctx: Ctx, input: z.output<typeof PrescriptionUpdateInput>) {
  const { patientId, consultationId, version, ...fields } = input;
  return db.transaction(async (tx) => {
    const row = checkChange(ctx, await lockPrescription(tx, patientId, consultationId), 'Prescription', version);
    assertPending(row);
    const changes = definedOnly(fields);
    const change = diff(row, changes);
    if (unchanged(change)) return readById(tx, row.id);
    await tx
      .update(prescriptions)
      .set({ ...changes, ...updateStamp(ctx, row) })
      .where(eq(prescriptions.id, row.id));
    const updated = await readById(tx, row.id);
    await audit(tx, ctx, { action: 'update', entityType: 'prescription', entityId: row.id, patientId, ...change });
    return updated;
  });
}

export async function deletePrescription(db: Executor, ctx: Ctx, patientId: number, consultationId: number) {
  await db.transaction(async (tx) => {
    const row = checkChange(ctx, await lockPrescription(tx, patientId, consultationId), 'Prescription');
    assertPending(row);
    await tx.delete(prescriptions).where(eq(prescriptions.id, row.id));
    await bumpCount(tx, 'prescriptions', -1);
    await audit(tx, ctx, { action: 'delete', entityType: 'prescription', entityId: row.id, patientId, before: row });
  });
}

/** Adding a line changes the prescription: its author, within its edit window, while pending. */
export async function addDrugLine(db: Executor, ctx: Ctx, input: z.output<typeof DrugLineCreateInput>): Promise<DrugLine> {
  const { patientId, consultationId, ...line } = input;
  return db.transaction(async (tx) => {
    const head = checkChange(ctx, await lockPrescription(tx, patientId, consultationId), 'Prescription');
    assertPending(head);
    const patient = await getPatientRow(tx, patientId);
    await tx.update(prescriptions).set(updateStamp(ctx, head)).where(eq(prescriptions.id, head.id));
    return insertLine(tx, ctx, head, patient.allergies, line);
  });
}

async function lockLine(tx: Executor, head: Row, id: number) {
  const [row] = await tx
    .select()
    .from(prescriptionDrugs)
    .where(and(eq(prescriptionDrugs.id, id), eq(prescriptionDrugs.prescriptionId, head.id)))
    .for('update');
  return row;
}

export async function updateDrugLine(db: Executor, ctx: Ctx, input: z.output<typeof DrugLineUpdateInput>): Promise<DrugLine> {
  const { patientId, consultationId, id, version, ...fields } = input;
  return db.transaction(async (tx) => {
    // A line is part of the prescription: it is locked when the prescription is, whatever the line's own age.
    const head = checkChange(ctx, await lockPrescription(tx, patientId, consultationId), 'Prescription');
    const row = checkChange(ctx, await lockLine(tx, head, id), 'Drug line', version);
    assertPending(head);
    const changes = definedOnly(fields);
    const merged = { ...row, ...changes };
    const patient = await getPatientRow(tx, patientId);
    // A reason sent with a new drug is given for it. With the same drug, the form's reason sent again unchanged is
    // not a new decision: it still covers only what it was given for, not an allergy recorded since.
    const sameDrug = merged.drugId === row.drugId;
    const newReason = Boolean(changes.allergyOverrideReason) && (!sameDrug || changes.allergyOverrideReason !== row.allergyOverrideReason);
    const covered = newReason ? 'new reason' : sameDrug ? overrideCovers(row, patient.allergies) : new Set<string>();
    const { drug, overrideFor, detail } = await checkLine(tx, patient.allergies, merged, '', covered);
    const set = {
      ...changes,
      drugName: drug.name,
      allergyOverrideReason: overrideFor ? merged.allergyOverrideReason : null,
      allergyOverrideFor: overrideFor,
    };
    await tx
      .update(prescriptionDrugs)
      .set({ ...set, ...updateStamp(ctx, row) })
      .where(eq(prescriptionDrugs.id, id));
    await tx.update(prescriptions).set(updateStamp(ctx, head)).where(eq(prescriptions.id, head.id));
    const [updated] = await tx.select().from(prescriptionDrugs).where(eq(prescriptionDrugs.id, id));
    await audit(tx, ctx, {
      action: 'update',
      entityType: 'drug_line',
      entityId: id,
      patientId,
      ...diff(row, set),
      detail: detail && newReason ? `allergy override (${detail}): ${merged.allergyOverrideReason}` : null,
    });
    return toLine(updated!, head);
  });
}

export async function deleteDrugLine(db: Executor, ctx: Ctx, patientId: number, consultationId: number, id: number) {
  await db.transaction(async (tx) => {
    const head = checkChange(ctx, await lockPrescription(tx, patientId, consultationId), 'Prescription');
    const row = checkChange(ctx, await lockLine(tx, head, id), 'Drug line');
    assertPending(head);
    await tx.delete(prescriptionDrugs).where(eq(prescriptionDrugs.id, id));
    await tx.update(prescriptions).set(updateStamp(ctx, head)).where(eq(prescriptions.id, head.id));
    await audit(tx, ctx, { action: 'delete', entityType: 'drug_line', entityId: id, patientId, before: row });
  });
}

/** A line to dispense, with what the checks at the counter need of its drug. */
interface DispenseRow {
  line: LineRow;
  drug: Pick<typeof drugs.$inferSelect, 'name' | 'genericName' | 'brand' | 'atcCodes'>;
}

/**
 * The check again at the counter: an allergy recorded (or a drug coded) since prescribing can match a line, with or
 * without an override, that its reason was not given for. Such a line is not dispensed: the pharmacist cannot
 * override for the prescriber, who must review it.
 */
function recheckAllergies(rows: DispenseRow[], allergies: StoredAllergy[]) {
  for (const [i, { line, drug }] of rows.entries()) {
    const covered = overrideCovers(line, allergies);
    const { matches } = checkAllergies({ ...drug, atcCodes: atcCodesOf(drug.atcCodes) }, allergies);
    const uncovered = matches.filter((m) => !covered.has(m.allergy));
    if (uncovered.length === 0) continue;
    throw new AppError(
      'ALLERGY_OVERRIDE_REQUIRED',
      `${allergyMatchesMessage(line.drugName, uncovered)} This was not known when it was prescribed: ask the prescriber to review the prescription before it is dispensed.`,
      [
        {
          path: `lines.${i}`,
          message: `${line.drugName}: allergy to ${listOfAllergies(allergiesMatched(uncovered))} recorded since prescribing`,
        },
      ],
    );
  }
}

/**
 * Dispenses a pending prescription: every line is taken from stock in one transaction, first expiry first out, never
 * from an expired lot (stock.ts). The prescription row is locked first, so two dispenses of it are serialised and
 * the second finds it dispensed; each drug row is locked before its lots, so no two dispenses oversell a lot.
 *
 * A dispense is the pharmacy's busiest write, and each statement's round trip costs more than the statement, so it
 * runs nine (decision 014, "What it costs"): lock the prescription; read its lines with their drugs, the patient's
 * allergies and the prescriber's name in one statement; mark it dispensed; lock the drugs with their lots; write the
 * lots and drugs; insert the movements; the audit event; commit. The answer is built from what was read and written,
 * not read again.
 */
export async function dispensePrescription(db: Executor, ctx: Ctx, input: z.output<typeof DispenseInput>): Promise<Prescription> {
  const { patientId, consultationId, version } = input;
  return db.transaction(async (tx) => {
    const head = await lockPrescription(tx, patientId, consultationId);
    if (version !== undefined && head.version !== version) {
      throw staleVersion('Prescription');
    }
    if (head.status !== 'pending') throw new AppError('CONFLICT', `This prescription is already ${head.status}`);
    const rows = await tx
      .select({
        line: prescriptionDrugs,
        drug: { name: drugs.name, genericName: drugs.genericName, brand: drugs.brand, atcCodes: drugs.atcCodes },
        allergies: sql`(select ${patients.allergies} from ${patients} where ${patients.id} = ${head.patientId})`.mapWith(
          patients.allergies,
        ),
        prescriberName: sql<string>`(select ${authorName} from ${staff} where ${staff.id} = ${head.prescriberId})`,
      })
      .from(prescriptionDrugs)
      .innerJoin(drugs, eq(drugs.id, prescriptionDrugs.drugId))
      .where(eq(prescriptionDrugs.prescriptionId, head.id))
      .orderBy(asc(prescriptionDrugs.id));
    if (rows.length === 0) throw new AppError('CONFLICT', 'This prescription has no drug lines to dispense');
    recheckAllergies(rows, rows[0]!.allergies as StoredAllergy[]);
    // Everything that does not need stock comes first: the drug rows, once locked, stay locked until commit, and
    // every other dispense of those drugs waits for them.
    const dispensed: Row = {
      ...head,
      status: 'dispensed',
      dispensedBy: ctx.actor.id,
      dispensedAt: ctx.clock.now(),
      ...updateStamp(ctx, head),
    };
    const { status, dispensedBy, dispensedAt, updatedAt, updatedBy, version: next } = dispensed;
    await tx
      .update(prescriptions)
      .set({ status, dispensedBy, dispensedAt, updatedAt, updatedBy, version: next })
      .where(eq(prescriptions.id, head.id));
    const lines = rows.map((r) => r.line);
    const byLine = await takeForDispense(
      tx,
      ctx,
      hospitalDate(ctx.clock.now()),
      head,
      lines.map((l) => ({ lineId: l.id, drugId: l.drugId, drugName: l.drugName, quantity: l.quantity })),
    );
    await audit(tx, ctx, {
      action: 'dispense',
      entityType: 'prescription',
      entityId: head.id,
      patientId,
      before: { status: head.status },
      after: {
        status: 'dispensed',
        lots: lines.map((l) => ({
          lineId: l.id,
          drug: l.drugName,
          lots: (byLine.get(l.id) ?? []).map((t) => `${t.lotNumber} ×${t.quantity}`),
        })),
      },
    });
    const atc = new Map(rows.map((r) => [r.line.drugId, atcCodesOf(r.drug.atcCodes)]));
    return toPrescription(dispensed, rows[0]!.prescriberName, lines, byLine, atc);
  });
}

async function listHeads(db: Executor, where: SQL, page: z.output<typeof PageInput>, oldestFirst: boolean): Promise<Page<Prescription>> {
  const after = cursorId(page.cursor);
  const keyset = after ? (oldestFirst ? gt : lt)(prescriptions.id, after) : undefined;
  const heads = await selectHeads(db)
    .where(and(where, keyset))
    .orderBy(oldestFirst ? asc(prescriptions.id) : desc(prescriptions.id))
    .limit(page.limit + 1);
  const more = heads.length > page.limit;
  const pageHeads = more ? heads.slice(0, page.limit) : heads;
  const last = pageHeads[pageHeads.length - 1];
  return { items: await withLines(db, pageHeads), nextCursor: more && last ? encodeCursor([last.p.id]) : null };
}

/** The pharmacy queue: prescriptions by status, oldest first (first come, first served). */
export function prescriptionQueue(db: Executor, input: z.output<typeof PrescriptionQueueInput>) {
  return listHeads(db, eq(prescriptions.status, input.status), input, true);
}

export function listPrescriptionsByPrescriber(db: Executor, staffId: number, page: z.output<typeof PageInput>) {
  return listHeads(db, eq(prescriptions.prescriberId, staffId), page, false);
}

export function listPrescriptionsByDispenser(db: Executor, staffId: number, page: z.output<typeof PageInput>) {
  return listHeads(db, eq(prescriptions.dispensedBy, staffId), page, false);
}

/**
 * A patient's prescriptions across consultations, newest first, with their lines (404 for an unknown patient).
 * Reading them is audited as a view of the patient's record, like opening the chart.
 */
export async function listPatientPrescriptions(db: Executor, ctx: Ctx, input: z.output<typeof PatientPrescriptionsInput>) {
  await getPatientRow(db, input.patientId);
  const where = and(eq(prescriptions.patientId, input.patientId), input.status ? eq(prescriptions.status, input.status) : undefined)!;
  const page = await listHeads(db, where, input, false);
  await audit(db, ctx, {
    action: 'view',
    entityType: 'prescription',
    patientId: input.patientId,
    detail: "the patient's prescriptions",
  });
  return page;
}
