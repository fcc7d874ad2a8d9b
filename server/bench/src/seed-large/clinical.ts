/**
 * The clinical records' rows (consultations, prescriptions and their drug lines, vitals, nurse notes): one TSV line per
 * yield, in primary-key order, each table from its own random stream over the chunk's plan.
 */
import type { ClinicalTable } from './model';
import { patientRows } from './patients';
import { S_CONSULTATIONS, S_LINES, S_NOTES, S_PRESCRIPTIONS, S_VITALS, type Plan, type World } from './plan';
import { clamp, DAY, int, MINUTE, mix, mulberry32, normal, NULL, pick, tenths, ts, type Rng } from './random';
import {
  COMPLAINTS,
  DURATIONS,
  FOLLOW_UPS,
  HPC_COURSE,
  HPC_ONSET,
  HPC_TREATMENT,
  INVESTIGATIONS,
  NOTE_BODIES,
  NOTE_CLOSERS,
  NOTE_OPENERS,
  pickDiagnosis,
  PGH,
  PMH,
  POH,
  RX_NOTES,
  TREATMENTS,
} from './vocabulary';

function* consultationRows(w: World, p: Plan): Generator<string> {
  const r = mulberry32(mix(w.seed, p.firstPatientId, S_CONSULTATIONS));
  for (let i = 0; i < p.count; i++) {
    const pid = p.firstPatientId + i;
    const isFemale = p.female[i] === 1;
    for (let c = p.consStart[i]!; c < p.consStart[i + 1]!; c++) {
      const t = p.consTime[c]!;
      const age = (t / DAY - p.dobDay[i]!) / 365.25;
      const complaint = pick(r, COMPLAINTS);
      const pc = `${complaint.charAt(0).toUpperCase()}${complaint.slice(1)}${r() < 0.4 ? ` and ${pick(r, COMPLAINTS)}` : ''} for ${pick(r, DURATIONS)}`;
      const hpc = r() < 0.75 ? `${pick(r, HPC_ONSET)}, ${pick(r, HPC_COURSE)}. ${pick(r, HPC_TREATMENT)}.` : NULL;
      const pmh = r() < 0.65 ? pick(r, PMH) : NULL;
      const poh = isFemale && age >= 16 && r() < 0.5 ? pick(r, POH) : NULL;
      const pgh = isFemale && age >= 12 && r() < 0.4 ? pick(r, PGH) : NULL;
      const plan = r() < 0.9 ? `${pick(r, INVESTIGATIONS)}; ${pick(r, TREATMENTS)}; ${pick(r, FOLLOW_UPS)}.` : NULL;
      const doctor = p.consDoctor[c]!;
      const created = ts(t);
      yield `${p.ids.consultation + c}\t${pid}\t${doctor}\t${pc}\t${hpc}\t${pmh}\t${poh}\t${pgh}\t${pickDiagnosis(r)}\t${plan}\t${created}\t${created}\t${doctor}\t${doctor}\t1\n`;
    }
  }
}

function* prescriptionRows(w: World, p: Plan): Generator<string> {
  const r = mulberry32(mix(w.seed, p.firstPatientId, S_PRESCRIPTIONS));
  let id = p.ids.prescription;
  for (let i = 0; i < p.count; i++) {
    const pid = p.firstPatientId + i;
    for (let c = p.consStart[i]!; c < p.consStart[i + 1]!; c++) {
      if (p.rxLines[c] === 0) continue;
      const t = p.rxTime[c]!;
      const doctor = p.consDoctor[c]!;
      const recent = t > w.epochMs - 2 * DAY;
      const x = r();
      // Mostly dispensed; what is still pending is mostly recent; a few were cancelled by the prescriber.
      const status = recent
        ? x < 0.6
          ? 'pending'
          : x < 0.95
            ? 'dispensed'
            : 'cancelled'
        : x < 0.93
          ? 'dispensed'
          : x < 0.97
            ? 'pending'
            : 'cancelled';
      const notes = r() < 0.2 ? pick(r, RX_NOTES) : NULL;
      const created = ts(t);
      if (status === 'dispensed') {
        const pharmacist = pick(r, w.pharmacists);
        const at = ts(Math.min(w.epochMs - 1, t + int(r, 10, 480) * MINUTE));
        yield `${id++}\t${pid}\t${p.ids.consultation + c}\t${doctor}\tdispensed\t${notes}\t${pharmacist}\t${at}\t${created}\t${at}\t${doctor}\t${pharmacist}\t2\n`;
      } else if (status === 'cancelled') {
        const at = ts(Math.min(w.epochMs - 1, t + int(r, 5, 600) * MINUTE));
        yield `${id++}\t${pid}\t${p.ids.consultation + c}\t${doctor}\tcancelled\t${notes}\t${NULL}\t${NULL}\t${created}\t${at}\t${doctor}\t${doctor}\t2\n`;
      } else {
        yield `${id++}\t${pid}\t${p.ids.consultation + c}\t${doctor}\tpending\t${notes}\t${NULL}\t${NULL}\t${created}\t${created}\t${doctor}\t${doctor}\t1\n`;
      }
    }
  }
}

function* prescriptionDrugRows(w: World, p: Plan): Generator<string> {
  const r = mulberry32(mix(w.seed, p.firstPatientId, S_LINES));
  let id = p.ids.prescriptionDrug;
  let rxId = p.ids.prescription;
  for (let i = 0; i < p.count; i++) {
    const allergies = p.allergyMask[i]!;
    for (let c = p.consStart[i]!; c < p.consStart[i + 1]!; c++) {
      const n = p.rxLines[c]!;
      if (n === 0) continue;
      const created = ts(p.rxTime[c]!);
      const doctor = p.consDoctor[c]!;
      for (let k = 0; k < n; k++) {
        // Never a drug the patient is recorded as allergic to (so no override reasons are needed).
        let drug = pick(r, w.drugs);
        if (drug.allergyMask & allergies) drug = pick(r, w.safeDrugs);
        const line = lineFor(r, drug.formulation);
        yield `${id++}\t${rxId}\t${drug.id}\t${drug.name}\t${line.dose}\t${line.frequency}\t${line.duration}\t${drug.route}\t${line.quantity}\t${NULL}\t${created}\t${created}\t${doctor}\t${doctor}\t1\n`;
      }
      rxId++;
    }
  }
}

function* vitalRows(w: World, p: Plan): Generator<string> {
  const r = mulberry32(mix(w.seed, p.firstPatientId, S_VITALS));
  let id = p.ids.vital;
  let times = new Float64Array(64);
  let links = new Float64Array(64);
  let order = new Uint32Array(64);
  for (let i = 0; i < p.count; i++) {
    const n = p.vitalCount[i]!;
    if (n === 0) continue;
    if (n > times.length) {
      times = new Float64Array(n * 2);
      links = new Float64Array(n * 2);
      order = new Uint32Array(n * 2);
    }
    const pid = p.firstPatientId + i;
    const reg = p.regMs[i]!;
    const a = p.consStart[i]!;
    const consultations = p.consStart[i + 1]! - a;
    // Readings are taken for a consultation (one or two, shortly before it) or on their own (wards, clinics).
    const linked = Math.min(0.55, (1.5 * consultations) / n);
    for (let k = 0; k < n; k++) {
      if (consultations > 0 && r() < linked) {
        const c = a + Math.floor(r() * consultations);
        links[k] = p.ids.consultation + c;
        times[k] = Math.max(reg + MINUTE, p.consTime[c]! - int(r, 3, 40) * MINUTE);
      } else {
        links[k] = 0;
        times[k] = reg + MINUTE + r() * (w.epochMs - 2 * MINUTE - reg);
      }
      order[k] = k;
    }
    const sorted = order.subarray(0, n).sort((x, y) => times[x]! - times[y]!);
    // The patient's own baseline, so readings of one patient look alike.
    const age = (reg / DAY - p.dobDay[i]!) / 365.25;
    const child = age < 12;
    const isFemale = p.female[i] === 1;
    const hypertensive = !child && age > 40 && r() < 0.3;
    const sbp0 = child ? 100 + age * 1.5 + normal(r) * 6 : 116 + age * 0.3 + (hypertensive ? 25 : 0) + normal(r) * 8;
    const pulse0 = child ? 125 - age * 4 + normal(r) * 8 : 76 + normal(r) * 7;
    const rr0 = child ? 30 - age : 16;
    const height = child ? 50 + age * 6.2 + normal(r) * 4 : (isFemale ? 161 : 172) + normal(r) * 7;
    const weight = child ? 3.3 + age * 2.6 + normal(r) : clamp(24.5 + normal(r) * 4.5, 16, 45) * (height / 100) ** 2;
    for (let s = 0; s < n; s++) {
      const k = sorted[s]!;
      const nurse = pick(r, w.nurses);
      const link = links[k]! > 0 ? links[k]! : NULL;
      const kind = r();
      const febrile = r() < 0.15;
      const temp = tenths(febrile ? 37.9 + r() * 2.3 : clamp(36.8 + normal(r) * 0.3, 35.5, 37.7));
      const pulse = Math.round(clamp(pulse0 + normal(r) * 7 + (febrile ? 14 : 0), 40, 190));
      const spo2 = r() < 0.03 ? int(r, 85, 93) : Math.round(clamp(97.5 + normal(r) * 1.2, 94, 100));
      let row: string;
      if (kind < 0.12) {
        // A quick check: temperature, pulse, SpO2.
        row = `${pulse}\t${NULL}\t${NULL}\t${NULL}\t${temp}\t${spo2}\t${NULL}\t${NULL}`;
      } else {
        const rr = Math.round(clamp(rr0 + normal(r) * 2.5 + (febrile ? 3 : 0), 8, 60));
        const sbp = Math.round(clamp(sbp0 + normal(r) * 9, 70, 230));
        const dbp = Math.round(clamp(sbp * 0.63 + normal(r) * 6, 40, sbp - 15));
        const measured = kind > 0.9;
        const h = measured ? tenths(height) : NULL;
        const wt = measured ? tenths(weight * (1 + normal(r) * 0.01)) : NULL;
        row = `${pulse}\t${rr}\t${sbp}\t${dbp}\t${temp}\t${spo2}\t${h}\t${wt}`;
      }
      const created = ts(times[k]!);
      yield `${id++}\t${pid}\t${link}\t${nurse}\t${row}\t${created}\t${created}\t${nurse}\t${nurse}\t1\n`;
    }
  }
}

function* nurseNoteRows(w: World, p: Plan): Generator<string> {
  const r = mulberry32(mix(w.seed, p.firstPatientId, S_NOTES));
  let id = p.ids.nurseNote;
  let times = new Float64Array(64);
  for (let i = 0; i < p.count; i++) {
    const n = p.noteCount[i]!;
    if (n === 0) continue;
    if (n > times.length) times = new Float64Array(n * 2);
    const pid = p.firstPatientId + i;
    const reg = p.regMs[i]!;
    for (let k = 0; k < n; k++) times[k] = reg + 5 * MINUTE + r() * (w.epochMs - 6 * MINUTE - reg);
    const sorted = times.subarray(0, n).sort();
    for (let k = 0; k < n; k++) {
      const nurse = pick(r, w.nurses);
      const body = r() < 0.5 ? `${pick(r, NOTE_BODIES)} ${pick(r, NOTE_BODIES)}` : pick(r, NOTE_BODIES);
      const note = `${pick(r, NOTE_OPENERS)} ${body} ${pick(r, NOTE_CLOSERS)}`;
      const created = ts(sorted[k]!);
      yield `${id++}\t${pid}\t${nurse}\t${note}\t${created}\t${created}\t${nurse}\t${nurse}\t1\n`;
    }
  }
}

export const GENERATORS: Record<ClinicalTable, (w: World, p: Plan) => Generator<string>> = {
  patients: patientRows,
  consultations: consultationRows,
  prescriptions: prescriptionRows,
  prescription_drugs: prescriptionDrugRows,
  vitals: vitalRows,
  nurse_notes: nurseNoteRows,
};

/** How a drug line is written for each kind of formulation: dose, frequencies, durations, quantity. */
function lineFor(r: Rng, formulation: string): { dose: string; frequency: string; duration: string; quantity: number } {
  if (/tablet|capsule/.test(formulation)) {
    const n = r() < 0.75 ? 1 : 2;
    const [frequency, perDay] = pick(r, [
      ['once daily', 1],
      ['twice daily', 2],
      ['three times daily', 3],
      ['every 8 hours', 3],
      ['at night', 1],
      ['every 6 hours as needed', 4],
    ] as const);
    const days = pick(r, [3, 5, 5, 7, 7, 10, 14, 30]);
    const unit = formulation.includes('capsule') ? 'capsule' : 'tablet';
    return { dose: `${n} ${unit}${n > 1 ? 's' : ''}`, frequency, duration: `${days} days`, quantity: n * perDay * days };
  }
  if (/syrup|suspension|solution/.test(formulation)) {
    return {
      dose: pick(r, ['2.5 ml', '5 ml', '10 ml']),
      frequency: pick(r, ['twice daily', 'three times daily']),
      duration: pick(r, ['5 days', '7 days']),
      quantity: int(r, 1, 2),
    };
  }
  if (/injection|infusion/.test(formulation)) {
    const [frequency, days] = pick(r, [
      ['stat', 1],
      ['once daily', 3],
      ['twice daily', 3],
      ['every 8 hours', 5],
      ['every 12 hours', 5],
    ] as const);
    const dose = formulation === 'infusion' ? '1 bag' : formulation.startsWith('powder') ? '1 vial' : pick(r, ['1 ampoule', '1 vial']);
    return {
      dose,
      frequency,
      duration: days === 1 ? 'stat' : `${days} days`,
      quantity: frequency === 'stat' ? 1 : days * (frequency === 'once daily' ? 1 : frequency.includes('8') ? 3 : 2),
    };
  }
  if (/inhaler|spray|nebuliser/.test(formulation)) {
    return {
      dose: pick(r, ['1 puff', '2 puffs', '1 nebule']),
      frequency: pick(r, ['as needed', 'twice daily', 'every 4 hours as needed']),
      duration: pick(r, ['30 days', '14 days']),
      quantity: 1,
    };
  }
  if (/drops|eye ointment/.test(formulation)) {
    return {
      dose: '1 drop',
      frequency: pick(r, ['four times daily', 'three times daily', 'every 2 hours']),
      duration: pick(r, ['5 days', '7 days']),
      quantity: 1,
    };
  }
  if (/pessary/.test(formulation))
    return { dose: '1 pessary', frequency: 'at night', duration: pick(r, ['1 day', '3 days', '6 days']), quantity: 3 };
  if (/powder/.test(formulation))
    return { dose: '1 sachet', frequency: 'after each loose stool', duration: '3 days', quantity: int(r, 4, 10) };
  return {
    dose: 'apply thinly',
    frequency: pick(r, ['twice daily', 'three times daily', 'once daily']),
    duration: pick(r, ['7 days', '14 days']),
    quantity: 1,
  };
}
