/**
 * The world a chunk is generated in (staff pools, drugs, the time span; read from the database) and the plan of a
 * chunk that every table of it agrees on.
 */
import type { Role } from '@hmis/shared';
import { allergyMaskOf } from './drug-catalogue';
import { HEAVY_PATIENT_RECORDS, type ClinicalTable } from './model';
import type { ProgressRow } from './progress';
import { clamp, DAY, HOUR, int, MINUTE, mix, mulberry32, normal, pick, weighted, YEAR } from './random';
import { pickAllergy } from './vocabulary';
import { rowsOf, type Conn } from './writer';

export interface World {
  seed: number;
  target: number;
  heavyPatientId: number;
  epochMs: number;
  /** Registrations start here (epoch − 5 years); staff and drugs exist before it. */
  spanStartMs: number;
  doctors: number[];
  nurses: number[];
  pharmacists: number[];
  recordOfficers: number[];
  drugs: DrugInfo[];
  /** Drugs no listed allergy matches. */
  safeDrugs: DrugInfo[];
}

export interface DrugInfo {
  id: number;
  name: string;
  formulation: string;
  route: string;
  allergyMask: number;
}

export interface NextIds {
  patient: number;
  consultation: number;
  prescription: number;
  prescriptionDrug: number;
  vital: number;
  nurseNote: number;
}

// Stream tags: one PRNG stream per (seed, chunk, purpose).
export const S_PLAN = 1,
  S_PATIENTS = 2,
  S_CONSULTATIONS = 3,
  S_PRESCRIPTIONS = 4,
  S_LINES = 5,
  S_VITALS = 6,
  S_NOTES = 7,
  S_BASE = 8,
  S_FORMULARY = 9;

/** What every table of a chunk agrees on: per-patient facts, record counts, consultation times and prescriptions. */
export interface Plan {
  firstPatientId: number;
  count: number;
  ids: NextIds;
  regMs: Float64Array;
  dobDay: Int32Array;
  female: Uint8Array;
  allergyMask: Uint16Array;
  /** consStart[i]..consStart[i+1] are patient i's consultations (chunk-relative). */
  consStart: Uint32Array;
  vitalCount: Uint32Array;
  noteCount: Uint32Array;
  consTime: Float64Array;
  consDoctor: Float64Array;
  /** Drug lines of the consultation's prescription; 0 = no prescription. */
  rxLines: Uint8Array;
  rxTime: Float64Array;
  rows: Record<ClinicalTable, number>;
}

const ICU_PROBABILITY = 1 / 10_000;
const pickConsultationCount = weighted<[number, number]>([
  [[0, 0], 32],
  [[1, 2], 38],
  [[3, 5], 27],
  [[8, 40], 3.5],
]);
const pickNoteCount = weighted<[number, number]>([
  [[0, 0], 43],
  [[1, 3], 36],
  [[3, 6], 18],
  [[10, 30], 3],
]);
const pickAgeBand = weighted<[number, number]>([
  [[0, 4], 8],
  [[5, 17], 14],
  [[18, 40], 38],
  [[41, 65], 28],
  [[66, 95], 12],
]);
const DOB_MIN_DAY = Math.round(Date.UTC(1930, 0, 1) / DAY);
const DOB_MAX_DAY = Math.round(Date.UTC(2025, 11, 31) / DAY);

export function planChunk(w: World, firstPatientId: number, count: number, ids: NextIds): Plan {
  const r = mulberry32(mix(w.seed, firstPatientId, S_PLAN));
  const regMs = new Float64Array(count);
  const dobDay = new Int32Array(count);
  const female = new Uint8Array(count);
  const allergyMask = new Uint16Array(count);
  const consCount = new Uint32Array(count);
  const vitalCount = new Uint32Array(count);
  const noteCount = new Uint32Array(count);
  const lastRegMs = w.epochMs - HOUR;

  for (let i = 0; i < count; i++) {
    const pid = firstPatientId + i;
    const heavy = pid === w.heavyPatientId;
    // Registration time grows with the id (ids are handed out in registration order), with jitter.
    const frac = Math.min(0.9999, (pid - w.heavyPatientId + r()) / w.target);
    regMs[i] = heavy ? w.spanStartMs : w.spanStartMs + frac * (lastRegMs - w.spanStartMs);
    female[i] = r() < 0.52 ? 1 : 0;
    // The heavy patient is a chronically ill adult (a 1,500-consultation toddler would look odd).
    const [a0, a1] = heavy ? [45, 70] : pickAgeBand(r);
    const ageDays = (a0 + r() * (a1 - a0 + 1)) * 365.25;
    dobDay[i] = clamp(Math.floor(regMs[i]! / DAY - ageDays), DOB_MIN_DAY, Math.min(DOB_MAX_DAY, Math.floor(regMs[i]! / DAY)));
    if (r() < 0.1) {
      let mask = 1 << pickAllergy(r);
      if (r() < 0.25) mask |= 1 << pickAllergy(r);
      if (r() < 0.05) mask |= 1 << pickAllergy(r);
      allergyMask[i] = mask;
    }
    if (heavy) {
      consCount[i] = HEAVY_PATIENT_RECORDS.consultations;
      vitalCount[i] = HEAVY_PATIENT_RECORDS.vitals;
      noteCount[i] = HEAVY_PATIENT_RECORDS.nurseNotes;
    } else if (r() < ICU_PROBABILITY) {
      // Long stays in intensive care: thousands of observations.
      consCount[i] = int(r, 5, 40);
      vitalCount[i] = int(r, 1_000, 4_000);
      noteCount[i] = int(r, 20, 200);
    } else {
      const [c0, c1] = pickConsultationCount(r);
      consCount[i] = int(r, c0, c1);
      vitalCount[i] = Math.min(400, Math.round(Math.exp(1.75 + normal(r))));
      const [n0, n1] = pickNoteCount(r);
      noteCount[i] = int(r, n0, n1);
    }
  }

  const consStart = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) consStart[i + 1] = consStart[i]! + consCount[i]!;
  const totalCons = consStart[count]!;
  const consTime = new Float64Array(totalCons);
  const consDoctor = new Float64Array(totalCons);
  const rxLines = new Uint8Array(totalCons);
  const rxTime = new Float64Array(totalCons);
  let prescriptions = 0;
  let lines = 0;
  let vitals = 0;
  let notes = 0;
  for (let i = 0; i < count; i++) {
    const a = consStart[i]!;
    const b = consStart[i + 1]!;
    const lo = regMs[i]! + 10 * MINUTE;
    const span = w.epochMs - MINUTE - lo;
    for (let c = a; c < b; c++) consTime[c] = lo + r() * span;
    consTime.subarray(a, b).sort();
    let doctor = pick(r, w.doctors);
    for (let c = a; c < b; c++) {
      // Patients often see the same doctor again.
      if (r() < 0.4) doctor = pick(r, w.doctors);
      consDoctor[c] = doctor;
      if (r() < 0.4) {
        const n = int(r, 1, 4);
        rxLines[c] = n;
        rxTime[c] = Math.min(w.epochMs - 1000, consTime[c]! + int(r, 5, 90) * MINUTE);
        prescriptions++;
        lines += n;
      }
    }
    vitals += vitalCount[i]!;
    notes += noteCount[i]!;
  }
  return {
    firstPatientId,
    count,
    ids,
    regMs,
    dobDay,
    female,
    allergyMask,
    consStart,
    vitalCount,
    noteCount,
    consTime,
    consDoctor,
    rxLines,
    rxTime,
    rows: { patients: count, consultations: totalCons, prescriptions, prescription_drugs: lines, vitals, nurse_notes: notes },
  };
}

export async function loadWorld(conn: Conn, state: ProgressRow): Promise<World> {
  const staff = await rowsOf(conn, 'SELECT id, role FROM staff ORDER BY id');
  const ofRole = (role: Role) => staff.filter((s) => s.role === role).map((s) => Number(s.id));
  const drugs = await rowsOf(conn, 'SELECT id, name, generic_name, brand, formulation, route, atc_codes FROM drugs ORDER BY id');
  const catalogue = drugs.map((d) => ({
    id: Number(d.id),
    name: d.name as string,
    formulation: d.formulation as string,
    route: d.route as string,
    allergyMask: allergyMaskOf({
      name: d.name as string,
      genericName: d.generic_name as string | null,
      brand: d.brand as string | null,
      atcCodes: (d.atc_codes as string) ? (d.atc_codes as string).split(',') : [],
    }),
  }));
  const world: World = {
    seed: state.seed,
    target: state.target,
    heavyPatientId: state.heavyPatientId,
    epochMs: state.epochMs,
    spanStartMs: state.epochMs - 5 * YEAR,
    doctors: ofRole('doctor'),
    nurses: ofRole('nurse'),
    pharmacists: ofRole('pharmacist'),
    recordOfficers: ofRole('recordofficer'),
    drugs: catalogue,
    safeDrugs: catalogue.filter((d) => d.allergyMask === 0),
  };
  for (const role of ['doctors', 'nurses', 'pharmacists', 'recordOfficers'] as const) {
    if (world[role].length === 0) throw new Error(`No ${role} in the staff table: cannot author records`);
  }
  if (world.safeDrugs.length === 0) throw new Error('No drugs in the catalogue');
  return world;
}
