/**
 * Finds where a record lives (its patient, its consultation) from its id alone. The console addresses records as
 * `show Consultation 12`; the procedures address them under their patient, as the REST paths do.
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { consultations, nurseNotes, prescriptionDrugs, prescriptions, vitals } from '../db/schema';
import { notFound } from '../errors';

export type NestedKind = 'consultation' | 'prescription' | 'prescriptionDrug' | 'vital' | 'nurseNote';

export interface Location {
  patientId: number;
  consultationId?: number;
}

const LABEL: Record<NestedKind, string> = {
  consultation: 'Consultation',
  prescription: 'Prescription',
  prescriptionDrug: 'Drug line',
  vital: 'Vital signs',
  nurseNote: 'Nurse note',
};

export async function locate(db: Executor, kind: NestedKind, id: number): Promise<Location> {
  let row: Location | undefined;
  switch (kind) {
    case 'consultation':
      [row] = await db.select({ patientId: consultations.patientId }).from(consultations).where(eq(consultations.id, id));
      break;
    case 'prescription':
      [row] = await db
        .select({ patientId: prescriptions.patientId, consultationId: prescriptions.consultationId })
        .from(prescriptions)
        .where(eq(prescriptions.id, id));
      break;
    case 'prescriptionDrug':
      [row] = await db
        .select({ patientId: prescriptions.patientId, consultationId: prescriptions.consultationId })
        .from(prescriptionDrugs)
        .innerJoin(prescriptions, eq(prescriptions.id, prescriptionDrugs.prescriptionId))
        .where(eq(prescriptionDrugs.id, id));
      break;
    case 'vital':
      [row] = await db.select({ patientId: vitals.patientId }).from(vitals).where(eq(vitals.id, id));
      break;
    case 'nurseNote':
      [row] = await db.select({ patientId: nurseNotes.patientId }).from(nurseNotes).where(eq(nurseNotes.id, id));
      break;
  }
  if (!row) throw notFound(LABEL[kind]);
  return row;
}

/** Drug lines have no kept count (they are never listed on their own); the console counts them directly. */
export async function countDrugLines(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(prescriptionDrugs);
  return Number(row?.n ?? 0);
}
