/**
 * Demo data for an empty database outside production: one account per role and a few patients, drugs,
 * consultations, vitals and a pending prescription. Written through the services, so it is validated and audited
 * like any other change.
 */
import {
  ConsultationCreateInput, DrugCreateInput, PatientCreateInput, PrescriptionCreateInput, StaffCreateInput,
  VitalCreateInput, type Role,
} from '@hmis/shared';
import type { Clock } from './clock';
import type { Db } from './db/client';
import type { Actor, Ctx } from './services/context';
import { createConsultation } from './services/consultations';
import { createDrug } from './services/drugs';
import { createPatient } from './services/patients';
import { createPrescription } from './services/prescriptions';
import { createFirstAdmin, createStaff, getStaffRow, toActor } from './services/staff';
import { hasNoStaff } from './services/system';
import { createVital } from './services/vitals';

export const DEMO_USERNAMES: Record<Role, string> = {
  admin: 'admin',
  doctor: 'doctor',
  nurse: 'nurse',
  pharmacist: 'pharmacist',
  recordofficer: 'records',
};

const PEOPLE: Record<Role, [string, string, 'Male' | 'Female']> = {
  admin: ['Ada', 'Okafor', 'Female'],
  doctor: ['Kwame', 'Mensah', 'Male'],
  nurse: ['Grace', 'Njeri', 'Female'],
  pharmacist: ['Tunde', 'Bello', 'Male'],
  recordofficer: ['Amina', 'Yusuf', 'Female'],
};

/** Creates the demo data when the staff table is empty. Returns whether it did. */
export async function seedDemoData(db: Db, clock: Clock, password: string): Promise<boolean> {
  if (!(await hasNoStaff(db))) return false;
  const actors = {} as Record<Role, Actor>;
  for (const role of Object.keys(DEMO_USERNAMES) as Role[]) {
    const [firstName, lastName, gender] = PEOPLE[role];
    const input = StaffCreateInput.parse({
      username: DEMO_USERNAMES[role], email: `${DEMO_USERNAMES[role]}@hmis.example`, password, role, firstName, lastName, gender,
    });
    // The first admin has no creator; the demo admin creates the rest.
    const created =
      role === 'admin'
        ? await createFirstAdmin(db, { clock, ip: null }, input)
        : await createStaff(db, { actor: actors.admin, clock, ip: null }, input);
    actors[role] = toActor(await getStaffRow(db, created.id));
  }
  const as = (role: Role): Ctx => ({ actor: actors[role], clock, ip: null });

  const drugIds: number[] = [];
  for (const d of [
    { name: 'Paracetamol', genericName: 'paracetamol', brand: 'Panadol', formulation: 'tablet', strength: '500 mg', route: 'oral', stockOnHand: 1000, reorderLevel: 200 },
    { name: 'Amoxicillin', genericName: 'amoxicillin', brand: 'Amoxil', formulation: 'capsule', strength: '500 mg', route: 'oral', stockOnHand: 300, reorderLevel: 100 },
    { name: 'Artemether/Lumefantrine', genericName: 'artemether-lumefantrine', brand: 'Coartem', formulation: 'tablet', strength: '20/120 mg', route: 'oral', stockOnHand: 240, reorderLevel: 48 },
    { name: 'Metformin', genericName: 'metformin', brand: 'Glucophage', formulation: 'tablet', strength: '500 mg', route: 'oral', stockOnHand: 500, reorderLevel: 100 },
    { name: 'Ceftriaxone', genericName: 'ceftriaxone', brand: 'Rocephin', formulation: 'powder for injection', strength: '1 g', route: 'IV', stockOnHand: 60, reorderLevel: 20 },
  ]) {
    drugIds.push((await createDrug(db, as('pharmacist'), DrugCreateInput.parse(d))).id);
  }

  const patients = [
    { firstName: 'Chidi', lastName: 'Eze', gender: 'Male', dob: '1985-03-14', phoneNumber: '+234 803 555 0101', allergies: ['penicillin'] },
    { firstName: 'Fatima', lastName: 'Abubakar', gender: 'Female', dob: '1992-07-02', phoneNumber: '+234 803 555 0102', allergies: [] },
    { firstName: 'Samuel', lastName: 'Otieno', gender: 'Male', dob: '1958-11-23', phoneNumber: '+254 712 555 010', allergies: ['amoxicillin'] },
    { firstName: 'Aisha', lastName: 'Bello', gender: 'Female', dob: '2001-01-30', phoneNumber: '+234 803 555 0104', allergies: [] },
  ];
  for (const [i, p] of patients.entries()) {
    const patient = await createPatient(db, as('recordofficer'), PatientCreateInput.parse({ ...p, maritalStatus: 'Single', address: `${10 + i} Hospital Road` }));
    const consultation = await createConsultation(db, as('doctor'), ConsultationCreateInput.parse({
      patientId: patient.id, presentingComplaint: 'Fever and headache for 3 days', provisionalDiagnosis: i % 2 ? 'Malaria' : 'Upper respiratory tract infection', plan: 'Treat and review in one week',
    }));
    await createVital(db, as('nurse'), VitalCreateInput.parse({
      patientId: patient.id, consultationId: consultation.id, pulseRate: 88 + i * 6, respiratoryRate: 18, systolicBp: 118 + i * 8, diastolicBp: 76, temperature: 37.4 + i * 0.5, spo2: 97,
    }));
    if (i === 1) {
      await createPrescription(db, as('doctor'), PrescriptionCreateInput.parse({
        patientId: patient.id, consultationId: consultation.id,
        lines: [{ drugId: drugIds[2], dose: '4 tablets', frequency: 'twice daily', duration: '3 days', route: 'oral', quantity: 24 }],
      }));
    }
  }
  return true;
}
