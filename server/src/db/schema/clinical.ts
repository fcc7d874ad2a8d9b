import { double, index, int, mysqlTable, smallint, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { PRESCRIPTION_STATUSES } from '@hmis/shared';
import { idColumn, jsonColumn, primaryId, timestamp3 } from './columns';
import { recordColumns } from './authorship';
import { patients } from './patients';
import { staff } from './staff';
import { drugs } from './drugs';

const patientId = () =>
  idColumn()
    .notNull()
    .references(() => patients.id);
const staffId = () =>
  idColumn()
    .notNull()
    .references(() => staff.id);

export const consultations = mysqlTable(
  'consultations',
  {
    id: primaryId(),
    patientId: patientId(),
    doctorId: staffId(),
    presentingComplaint: text(),
    historyOfPresentingComplaint: text(),
    pastMedicalHistory: text(),
    pastObstetricHistory: text(),
    pastGynaecologicalHistory: text(),
    provisionalDiagnosis: text().notNull(),
    plan: text(),
    ...recordColumns(),
  },
  (t) => [index('consultations_patient_idx').on(t.patientId, t.id), index('consultations_doctor_idx').on(t.doctorId, t.id)],
);

export const prescriptions = mysqlTable(
  'prescriptions',
  {
    id: primaryId(),
    patientId: patientId(),
    consultationId: idColumn()
      .notNull()
      .references(() => consultations.id),
    prescriberId: staffId(),
    status: varchar({ length: 16, enum: PRESCRIPTION_STATUSES }).notNull().default('pending'),
    notes: text(),
    dispensedBy: idColumn().references(() => staff.id),
    dispensedAt: timestamp3(),
    ...recordColumns(),
  },
  (t) => [
    uniqueIndex('prescriptions_consultation_uq').on(t.consultationId),
    index('prescriptions_status_idx').on(t.status, t.id),
    index('prescriptions_patient_idx').on(t.patientId, t.id),
    index('prescriptions_prescriber_idx').on(t.prescriberId, t.id),
    index('prescriptions_dispenser_idx').on(t.dispensedBy, t.id),
  ],
);

export const prescriptionDrugs = mysqlTable(
  'prescription_drugs',
  {
    id: primaryId(),
    prescriptionId: idColumn()
      .notNull()
      .references(() => prescriptions.id, { onDelete: 'cascade' }),
    drugId: idColumn()
      .notNull()
      .references(() => drugs.id),
    /** Copied from the drug at prescribing time so the record reads the same if the catalogue changes. */
    drugName: varchar({ length: 128 }).notNull(),
    dose: varchar({ length: 64 }).notNull(),
    frequency: varchar({ length: 64 }).notNull(),
    duration: varchar({ length: 64 }).notNull(),
    route: varchar({ length: 64 }).notNull(),
    quantity: int().notNull(),
    allergyOverrideReason: varchar({ length: 500 }),
    /**
     * The allergies (as recorded) the override reason was given for: a reason covers those, not an allergy recorded
     * later nor one a new drug on the line matches. Null with a reason: a line written before this was kept.
     */
    allergyOverrideFor: jsonColumn<string[]>(),
    ...recordColumns(),
  },
  (t) => [index('prescription_drugs_prescription_idx').on(t.prescriptionId, t.id)],
);

export const vitals = mysqlTable(
  'vitals',
  {
    id: primaryId(),
    patientId: patientId(),
    consultationId: idColumn().references(() => consultations.id),
    nurseId: staffId(),
    pulseRate: smallint(),
    respiratoryRate: smallint(),
    systolicBp: smallint(),
    diastolicBp: smallint(),
    temperature: double(),
    spo2: smallint(),
    heightCm: double(),
    weightKg: double(),
    ...recordColumns(),
  },
  (t) => [
    index('vitals_patient_idx').on(t.patientId, t.id),
    index('vitals_consultation_idx').on(t.consultationId, t.id),
    index('vitals_nurse_idx').on(t.nurseId, t.id),
  ],
);

export const nurseNotes = mysqlTable(
  'nurse_notes',
  {
    id: primaryId(),
    patientId: patientId(),
    nurseId: staffId(),
    note: text().notNull(),
    ...recordColumns(),
  },
  (t) => [index('nurse_notes_patient_idx').on(t.patientId, t.id), index('nurse_notes_nurse_idx').on(t.nurseId, t.id)],
);
