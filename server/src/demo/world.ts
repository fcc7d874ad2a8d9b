/**
 * The demo's cast and props, and the things they do. Each method schedules one real service call on the timeline,
 * as the named staff member, at the given moment; inputs go through the same zod schemas as an HTTP request. Later
 * steps refer to earlier records through handles that are filled when the earlier step has run.
 */
import {
  ConsultationCreateInput,
  ConsultationUpdateInput,
  DispenseInput,
  DrugCreateInput,
  NurseNoteCreateInput,
  PatientCreateInput,
  PatientUpdateInput,
  PrescriptionCreateInput,
  PrescriptionUpdateInput,
  StaffCreateInput,
  StaffUpdateInput,
  StockAdjustmentInput,
  PatientAllergiesInput,
  type AllergyInput,
  StockReceiptInput,
  VitalCreateInput,
  type Consultation,
  type Prescription,
  type VitalField,
} from '@hmis/shared';
import type { Clock } from '../clock';
import type { Executor } from '../db/client';
import type { Actor, Ctx } from '../services/context';
import { createConsultation, updateConsultation } from '../services/consultations';
import { createDrug } from '../services/drugs';
import { createNurseNote } from '../services/nurse-notes';
import { createPatient, getPatientRow, setAllergies, updatePatient } from '../services/patients';
import { createPrescription, dispensePrescription, updatePrescription } from '../services/prescriptions';
import { adjustStock, listLots, receiveStock } from '../services/stock';
import { createFirstAdmin, createStaff, deactivateStaff, getStaffRow, toActor, updateStaff } from '../services/staff';
import { createVital } from '../services/vitals';
import { FORMULARY, type FormularyDrug } from './formulary';
import { patientName, type DemoPatient, type DemoStaff } from './people';
import type { Timeline } from './timeline';

export type VitalValues = Partial<Record<VitalField, number>>;

/** One drug line: formulary key, dose, frequency, duration, quantity, and the route when the drug has several. */
export type Line = [drug: string, dose: string, frequency: string, duration: string, quantity: number, route?: string];

/** A record written by an earlier step; reading it before that step ran is a bug in the demo script. */
export class Handle<T> {
  private value: T | undefined;
  constructor(private readonly what: string) {}
  get(): T {
    if (this.value === undefined) throw new Error(`demo: ${this.what} is used before it was written`);
    return this.value;
  }
  set(value: T): void {
    this.value = value;
  }
}

export interface ConsultationText {
  complaint: string;
  history?: string;
  pastHistory?: string;
  obstetric?: string;
  diagnosis: string;
  plan: string;
}

export class DemoWorld {
  private readonly actors = new Map<string, Actor>();
  private readonly patients = new Map<string, number>();
  private readonly drugs = new Map<string, number>();
  private readonly formulary = new Map(FORMULARY.map((d) => [d.key, d]));

  constructor(
    private readonly db: Executor,
    readonly tl: Timeline,
    private readonly password: string,
  ) {}

  private as(username: string, clock: Clock): Ctx {
    const actor = this.actors.get(username);
    if (!actor) throw new Error(`demo: ${username} acts before having an account`);
    return { actor, clock, ip: null };
  }

  /** The context of a record's author (a consultation's doctor changing it, a prescriber cancelling). */
  private asAuthor(id: number, clock: Clock): Ctx {
    const actor = [...this.actors.values()].find((a) => a.id === id);
    if (!actor) throw new Error(`demo: no staff member ${id}`);
    return { actor, clock, ip: null };
  }

  private patientId(name: string): number {
    const id = this.patients.get(name);
    if (id === undefined) throw new Error(`demo: ${name} is seen before being registered`);
    return id;
  }

  private drug(key: string): FormularyDrug & { id: number } {
    const drug = this.formulary.get(key);
    const id = this.drugs.get(key);
    if (!drug || id === undefined) throw new Error(`demo: drug ${key} is not in the formulary yet`);
    return { ...drug, id };
  }

  /** The first admin has no creator; everyone else is created by an admin. */
  hire(s: DemoStaff, by: string | null, at: number): void {
    this.tl.at(at, async (clock) => {
      const input = StaffCreateInput.parse({
        username: s.username,
        email: `${s.username}@hmis.example`,
        password: this.password,
        role: s.role,
        jobTitle: s.jobTitle,
        firstName: s.firstName,
        lastName: s.lastName,
        gender: s.gender,
        phoneNumber: s.phoneNumber,
      });
      const created =
        by === null ? await createFirstAdmin(this.db, { clock, ip: null }, input) : await createStaff(this.db, this.as(by, clock), input);
      this.actors.set(s.username, toActor(await getStaffRow(this.db, created.id)));
    });
  }

  retitle(username: string, jobTitle: string, by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const row = await getStaffRow(this.db, this.as(username, clock).actor.id);
      await updateStaff(this.db, this.as(by, clock), StaffUpdateInput.parse({ id: row.id, version: row.version, jobTitle }));
    });
  }

  deactivate(username: string, by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      await deactivateStaff(this.db, this.as(by, clock), this.as(username, clock).actor.id);
    });
  }

  /** A drug enters the formulary with the stock on the shelf as the opening balance of one lot. */
  stock(d: FormularyDrug, by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const { key, expiresInDays, ...fields } = d;
      const input = { ...fields, expiryDate: this.tl.date(expiresInDays), lotNumber: lotNumberOf(key, 1) };
      const created = await createDrug(this.db, this.as(by, clock), DrugCreateInput.parse(input));
      this.drugs.set(d.key, created.id);
    });
  }

  /** A delivery of a new lot from a supplier. */
  receive(key: string, quantity: number, expiresInDays: number, supplier: string, by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const input = {
        drugId: this.drug(key).id,
        lotNumber: lotNumberOf(key, 2),
        expiryDate: this.tl.date(expiresInDays),
        quantity,
        supplier,
      };
      await receiveStock(this.db, this.as(by, clock), StockReceiptInput.parse(input));
    });
  }

  /** A count or breakage found on the shelf: the drug's first lot changes by `quantity`, with the reason. */
  adjust(key: string, quantity: number, reason: 'count_correction' | 'damage' | 'loss', note: string, by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const drugId = this.drug(key).id;
      const [lot] = await listLots(this.db, { clock }, { drugId, includeEmpty: false });
      await adjustStock(this.db, this.as(by, clock), StockAdjustmentInput.parse({ drugId, lotId: lot!.id, quantity, reason, note }));
    });
  }

  register(p: DemoPatient, at: number): void {
    this.tl.at(at, async (clock) => {
      const { registeredDaysAgo: _d, registrar, ...fields } = p;
      const created = await createPatient(this.db, this.as(registrar, clock), PatientCreateInput.parse(fields));
      this.patients.set(patientName(p), created.id);
    });
  }

  updatePatient(name: string, changes: Record<string, unknown>, by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const row = await getPatientRow(this.db, this.patientId(name));
      await updatePatient(this.db, this.as(by, clock), PatientUpdateInput.parse({ id: row.id, version: row.version, ...changes }));
    });
  }

  /** A doctor or record officer replaces a patient's allergy list, coding what was free text (decision 015). */
  codeAllergies(name: string, allergies: AllergyInput[], by: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const row = await getPatientRow(this.db, this.patientId(name));
      await setAllergies(this.db, this.as(by, clock), PatientAllergiesInput.parse({ id: row.id, version: row.version, allergies }));
    });
  }

  consult(patient: string, doctor: string, at: number, text: ConsultationText): Handle<Consultation> {
    const handle = new Handle<Consultation>(`the consultation of ${patient} by ${doctor}`);
    this.tl.at(at, async (clock) => {
      const input = ConsultationCreateInput.parse({
        patientId: this.patientId(patient),
        presentingComplaint: text.complaint,
        historyOfPresentingComplaint: text.history,
        pastMedicalHistory: text.pastHistory,
        pastObstetricHistory: text.obstetric,
        provisionalDiagnosis: text.diagnosis,
        plan: text.plan,
      });
      handle.set(await createConsultation(this.db, this.as(doctor, clock), input));
    });
    return handle;
  }

  /** The author changes a consultation within the edit window (a second version, an audited update). */
  amend(consultation: Handle<Consultation>, changes: { plan?: string; provisionalDiagnosis?: string }, at: number): void {
    this.tl.at(at, async (clock) => {
      const c = consultation.get();
      consultation.set(
        await updateConsultation(
          this.db,
          this.asAuthor(c.doctorId, clock),
          ConsultationUpdateInput.parse({ patientId: c.patientId, id: c.id, version: c.version, ...changes }),
        ),
      );
    });
  }

  vitals(patient: string, nurse: string, at: number, values: VitalValues, consultation?: Handle<Consultation>): void {
    this.tl.at(at, async (clock) => {
      const input = VitalCreateInput.parse({ patientId: this.patientId(patient), consultationId: consultation?.get().id, ...values });
      await createVital(this.db, this.as(nurse, clock), input);
    });
  }

  note(patient: string, nurse: string, at: number, note: string): void {
    this.tl.at(at, async (clock) => {
      await createNurseNote(this.db, this.as(nurse, clock), NurseNoteCreateInput.parse({ patientId: this.patientId(patient), note }));
    });
  }

  prescribe(consultation: Handle<Consultation>, at: number, lines: Line[], notes?: string): Handle<Prescription> {
    const handle = new Handle<Prescription>('a prescription');
    this.tl.at(at, async (clock) => {
      const c = consultation.get();
      const input = PrescriptionCreateInput.parse({
        patientId: c.patientId,
        consultationId: c.id,
        notes,
        lines: lines.map(([key, dose, frequency, duration, quantity, route]) => {
          const drug = this.drug(key);
          return { drugId: drug.id, dose, frequency, duration, quantity, route: route ?? drug.route };
        }),
      });
      handle.set(await createPrescription(this.db, this.asAuthor(c.doctorId, clock), input));
    });
    return handle;
  }

  /** Dispensing through the service takes the stock and writes the dispense event. */
  dispense(prescription: Handle<Prescription>, pharmacist: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const p = prescription.get();
      await dispensePrescription(
        this.db,
        this.as(pharmacist, clock),
        DispenseInput.parse({ patientId: p.patientId, consultationId: p.consultationId }),
      );
    });
  }

  cancel(prescription: Handle<Prescription>, reason: string, at: number): void {
    this.tl.at(at, async (clock) => {
      const p = prescription.get();
      await updatePrescription(
        this.db,
        this.asAuthor(p.prescriberId, clock),
        PrescriptionUpdateInput.parse({
          patientId: p.patientId,
          consultationId: p.consultationId,
          version: p.version,
          status: 'cancelled',
          notes: reason,
        }),
      );
    });
  }
}

/** A lot number as a maker prints it, the same on every demo run: 'AMO' + the drug's place + the delivery ('AMO2604-1'). */
function lotNumberOf(key: string, delivery: number): string {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) % 9000;
  return `${key
    .replace(/[^a-z]/g, '')
    .slice(0, 3)
    .toUpperCase()}${1000 + h}-${delivery}`;
}
