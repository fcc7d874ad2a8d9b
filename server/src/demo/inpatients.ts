/**
 * Three admissions on the wards, each with a week or less of regular observations (several a day, abnormal at first,
 * settling with treatment), nurse notes every shift, ward rounds and the drugs given. The latest observations and
 * notes are the demo nurse's, today's ward rounds the demo doctor's: editable when you sign in.
 */
import type { VitalField } from '@hmis/shared';
import { hours, minutes, seededRandom } from './timeline';
import type { ConsultationText, DemoWorld, Line, VitalValues } from './world';

/** Exponential settling from `from` to `to` with time constant `tau` hours, plus a little noise. */
type Trend = [from: number, to: number, tau: number, noise: number];

interface Round extends ConsultationText {
  hoursAgo: number;
  doctor: string;
  rx?: Line[];
  /** Omitted with rx: still pending at the pharmacy. */
  dispensedBy?: string;
}

interface Admission {
  patient: string;
  doctor: string;
  admittedHoursAgo: number;
  obsEveryHours: number;
  admission: ConsultationText;
  rx: Line[];
  dispensedBy: string;
  rounds: Round[];
  trends: Partial<Record<VitalField, Trend>>;
  /** Measured once, on admission. */
  onAdmission: VitalValues;
  /**
   * The shift's note, from the latest observations and how long ago it was written (so it agrees with the ward
   * rounds); `n` counts the notes, `r` is a seeded random number in [0, 1).
   */
  note: (v: VitalValues, hoursAgo: number, n: number, r: number) => string;
}

const EXTRAS = ['Slept well overnight.', 'Relatives visited.', 'Fluid intake about 2 L this shift.', 'Pressure areas checked, intact.'];
const extra = (n: number) => EXTRAS[n % EXTRAS.length]!;

const ADMISSIONS: Admission[] = [
  {
    patient: 'Ifeoma Chukwu',
    doctor: 'doctor',
    admittedHoursAgo: 7 * 24 + 2,
    obsEveryHours: 8,
    admission: {
      complaint: 'Severe headache and blurred vision since yesterday; very thirsty',
      history:
        'Stopped her drugs 2 months ago for lack of money. Random glucose 22 mmol/L at triage, urine ketones negative. No chest pain, no limb weakness.',
      pastHistory: 'Type 2 diabetes for 9 years, hypertension for 7 years. NSAID allergy (bronchospasm with diclofenac).',
      diagnosis: 'Hypertensive urgency; uncontrolled type 2 diabetes (hyperglycaemia without ketosis)',
      plan: 'Admit to the female medical ward. Oral amlodipine and lisinopril, lowering BP gradually over 24-48 h. Soluble insulin sliding scale. Capillary glucose 6-hourly. Creatinine, electrolytes, urinalysis, fundoscopy, ECG.',
    },
    rx: [
      ['amlodipine-tab', '5 mg', 'once daily', '30 days', 30],
      ['lisinopril-tab', '10 mg', 'once daily', '30 days', 30],
      ['insulin-soluble', 'per sliding scale', 'before meals', '7 days', 1],
      ['metformin-tab', '500 mg', 'twice daily with meals', '30 days', 60],
    ],
    dispensedBy: 'pharmacist',
    rounds: [
      {
        hoursAgo: 5 * 24 + 1,
        doctor: 'doctor',
        complaint: 'Ward round, day 3: headache gone',
        diagnosis: 'Hypertensive urgency, improving; type 2 diabetes',
        plan: 'BP settling. Glucose 9-14 mmol/L. Start isophane insulin 10 units at night with soluble insulin cover. Diabetes education.',
        rx: [['insulin-isophane', '10 units', 'at night', '30 days', 1]],
        dispensedBy: 'yogunsanya',
      },
      {
        hoursAgo: 3 * 24 + 1,
        doctor: 'doctor',
        complaint: 'Ward round, day 5',
        diagnosis: 'Hypertension, improving; type 2 diabetes on insulin',
        plan: 'Glucose 7-11 mmol/L. Creatinine normal. Fundoscopy: grade II hypertensive retinopathy. Add hydrochlorothiazide.',
        rx: [['hctz-tab', '25 mg', 'once daily', '30 days', 30]],
        dispensedBy: 'pharmacist',
      },
      {
        hoursAgo: 2.5,
        doctor: 'doctor',
        complaint: 'Ward round, day 8',
        diagnosis: 'Hypertension controlled; type 2 diabetes on insulin',
        plan: 'Fasting glucose 7.2 mmol/L; BP in the 140s/80s, close to target. Discharge tomorrow on oral drugs and night-time insulin; clinic in 2 weeks.',
      },
    ],
    trends: {
      systolicBp: [188, 140, 60, 5],
      diastolicBp: [114, 86, 60, 3],
      pulseRate: [96, 78, 48, 4],
      respiratoryRate: [20, 16, 48, 1],
      temperature: [36.8, 36.7, 1, 0.2],
      spo2: [97, 98, 48, 1],
    },
    onAdmission: { weightKg: 86, heightCm: 162 },
    note: (v, _ago, n, r) =>
      (v.systolicBp ?? 0) >= 165
        ? `BP ${v.systolicBp}/${v.diastolicBp} mmHg, headache easing. Capillary glucose ${(15 + r * 6).toFixed(1)} mmol/L; soluble insulin given per sliding scale. Resting quietly with the lights dimmed.`
        : (v.systolicBp ?? 0) >= 148
          ? `BP ${v.systolicBp}/${v.diastolicBp} mmHg. Glucose ${(8 + r * 5).toFixed(1)} mmol/L before the meal; insulin given. Diabetes teaching: foot care and signs of hypoglycaemia. ${extra(n)}`
          : `BP ${v.systolicBp}/${v.diastolicBp} mmHg, no headache. Glucose ${(6 + r * 2.5).toFixed(1)} mmol/L. Gave her own isophane insulin under supervision, good technique. ${extra(n)}`,
  },
  {
    patient: 'Babatunde Adebayo',
    doctor: 'doctor',
    admittedHoursAgo: 6 * 24 + 3,
    obsEveryHours: 6,
    admission: {
      complaint: 'Cough with rusty sputum, fever and breathlessness for 4 days',
      history:
        'Right-sided chest pain on breathing in; poor appetite. Crackles and bronchial breathing at the right base. Chest X-ray: right lower lobe consolidation.',
      pastHistory: 'Hypertension on amlodipine. Sulfa allergy (rash). Ex-smoker.',
      diagnosis: 'Community-acquired pneumonia, right lower lobe (CURB-65 score 2), with hypoxaemia',
      plan: 'Admit. Oxygen by nasal prongs to keep SpO2 at 94% or more. IV ceftriaxone 1 g daily and oral azithromycin. Paracetamol. Blood culture, FBC, urea and electrolytes. 6-hourly observations.',
    },
    rx: [
      ['ceftriaxone-inj', '1 g', 'once daily', '7 days', 7, 'IV'],
      ['azithromycin-tab', '500 mg', 'once daily', '3 days', 3],
      ['paracetamol-tab', '1 g', 'every 6 hours when needed', '5 days', 40],
    ],
    dispensedBy: 'pharmacist',
    rounds: [
      {
        hoursAgo: 4 * 24 + 3,
        doctor: 'doctor',
        complaint: 'Ward round, day 3',
        diagnosis: 'Community-acquired pneumonia, improving',
        plan: 'Fever settling; SpO2 93% on 2 L/min oxygen. Continue antibiotics. Chest physiotherapy.',
      },
      {
        hoursAgo: 2 * 24 + 4,
        doctor: 'oadeyemi',
        complaint: 'Ward round, day 5 (covering for Dr Mensah)',
        diagnosis: 'Community-acquired pneumonia, improving',
        plan: 'Off oxygen since this morning, SpO2 95% on air. Afebrile for 24 h. Complete 5 days of IV ceftriaxone.',
      },
      {
        hoursAgo: 3,
        doctor: 'doctor',
        complaint: 'Ward round, day 7',
        diagnosis: 'Community-acquired pneumonia, resolving',
        plan: 'Afebrile for 72 h, SpO2 96% on air, eating well. Switch to oral co-amoxiclav for 5 days. Discharge in 48 h if stable.',
        rx: [['co-amoxiclav-tab', '625 mg', 'twice daily', '5 days', 10]],
      },
    ],
    trends: {
      temperature: [39.3, 36.9, 40, 0.25],
      pulseRate: [118, 80, 50, 4],
      respiratoryRate: [28, 18, 50, 1],
      spo2: [89, 96, 60, 1],
      systolicBp: [150, 134, 72, 5],
      diastolicBp: [94, 82, 72, 3],
    },
    onAdmission: { weightKg: 81 },
    // Off oxygen from the day-5 ward round (52 hours ago).
    note: (v, ago, n) =>
      (v.temperature ?? 0) >= 38
        ? `Febrile (${v.temperature} °C), SpO2 ${v.spo2}% on 2 L/min oxygen by nasal prongs. Coughing rusty sputum. IV ceftriaxone given as prescribed; tepid sponging and oral fluids. Doctor informed of observations.`
        : ago > 52
          ? `Temperature ${v.temperature} °C, SpO2 ${v.spo2}% on 1 L/min oxygen. Chest physiotherapy done; less sputum. Eating half his meals. To the toilet with assistance. ${extra(n)}`
          : `Comfortable and afebrile (${v.temperature} °C), SpO2 ${v.spo2}% on room air. Walking round the ward unaided, eating well. Medication taken. ${extra(n)}`,
  },
  {
    patient: 'Hauwa Ibrahim',
    doctor: 'oadeyemi',
    admittedHoursAgo: 5 * 24 + 5,
    obsEveryHours: 6,
    admission: {
      complaint: 'High fever, vomiting and extreme weakness for 2 days',
      history:
        'Unable to sit unaided, vomiting everything. Malaria RDT positive, parasitaemia 4%. PCV 29%. Glucose 4.8 mmol/L. Urine hCG negative. Fully conscious.',
      pastHistory: 'Nil of note.',
      diagnosis: 'Severe falciparum malaria (prostration, persistent vomiting)',
      plan: 'Admit. IV artesunate 2.4 mg/kg at 0, 12 and 24 h, then daily until she can take oral drugs, then a full course of artemether/lumefantrine. IV fluids, paracetamol. Glucose 4-hourly. Repeat PCV in 24 h.',
    },
    rx: [
      ['artesunate-inj', '144 mg (3 vials)', 'at 0, 12 and 24 hours', '1 day', 9, 'IV'],
      ['saline-inf', '500 mL', '8-hourly', '2 days', 6],
      ['paracetamol-tab', '1 g', 'every 6 hours', '3 days', 24],
    ],
    dispensedBy: 'yogunsanya',
    rounds: [
      {
        hoursAgo: 3 * 24 + 2,
        doctor: 'oadeyemi',
        complaint: 'Ward round, day 3',
        diagnosis: 'Severe malaria, responding to treatment',
        plan: 'Afebrile since yesterday, eating and drinking. Repeat film negative. Stop IV artesunate; artemether/lumefantrine for 3 days.',
        rx: [['coartem-tab', '4 tablets', 'twice daily with food', '3 days', 24]],
        dispensedBy: 'pharmacist',
      },
      {
        hoursAgo: 4,
        doctor: 'oadeyemi',
        complaint: 'Ward round, day 6',
        diagnosis: 'Severe malaria, recovered',
        plan: 'Well and walking about; PCV 31%. Finishes the oral course tomorrow, then home with haematinics. Advice on insecticide-treated nets.',
      },
    ],
    trends: {
      temperature: [39.8, 36.9, 28, 0.25],
      pulseRate: [124, 82, 36, 4],
      systolicBp: [96, 114, 40, 4],
      diastolicBp: [58, 72, 40, 3],
      respiratoryRate: [24, 16, 36, 1],
      spo2: [95, 98, 36, 1],
    },
    onAdmission: { weightKg: 60, heightCm: 165 },
    // Oral treatment from the day-3 ward round (74 hours ago).
    note: (v, ago, n, r) =>
      (v.temperature ?? 0) >= 38
        ? `Febrile (${v.temperature} °C) and weak; vomited once this shift. IV artesunate given as prescribed, IV normal saline running. Capillary glucose ${(4.6 + r * 2).toFixed(1)} mmol/L. Husband at the bedside.`
        : ago > 74
          ? `Temperature ${v.temperature} °C, pulse ${v.pulseRate}/min. Taking oral fluids and pap, no vomiting. Sat out of bed with help. Glucose ${(5 + r * 2).toFixed(1)} mmol/L. ${extra(n)}`
          : `Afebrile (${v.temperature} °C), walking unaided and eating well. Oral artemether/lumefantrine taken with food. ${extra(n)}`,
  },
];

const NIGHT_AND_DAY_ROTA = ['habdullahi', 'bedet', 'cnwachukwu', 'nurse'];

export function admissions(world: DemoWorld): void {
  const { tl } = world;
  const random = seededRandom(2026);
  // The demo nurse is on duty now: the last 12 hours of observations and notes are hers (editable when she signs in).
  const nurseAt = (t: number, n: number) => (tl.now - t < hours(12) ? 'nurse' : NIGHT_AND_DAY_ROTA[n % NIGHT_AND_DAY_ROTA.length]!);

  for (const a of ADMISSIONS) {
    const admitted = tl.hoursAgo(a.admittedHoursAgo);
    const consultation = world.consult(a.patient, a.doctor, admitted, a.admission);
    const written = admitted + minutes(25);
    world.dispense(world.prescribe(consultation, written, a.rx), a.dispensedBy, written + minutes(45));

    const readings: { at: number; values: VitalValues }[] = [];
    for (let at = admitted + minutes(15), k = 0; at < tl.now - minutes(30); at += hours(a.obsEveryHours), k++) {
      const elapsed = (at - admitted) / hours(1);
      const values: VitalValues = k === 0 ? { ...a.onAdmission } : {};
      for (const [field, [from, to, tau, noise]] of Object.entries(a.trends) as [VitalField, Trend][]) {
        const v = to + (from - to) * Math.exp(-elapsed / tau) + noise * (2 * random() - 1);
        values[field] = field === 'temperature' ? Math.round(v * 10) / 10 : field === 'spo2' ? Math.min(100, Math.round(v)) : Math.round(v);
      }
      readings.push({ at, values });
      world.vitals(a.patient, nurseAt(at, k), at, values, k === 0 ? consultation : undefined);
    }

    for (let at = admitted + minutes(90), n = 0; at < tl.now - minutes(40); at += hours(12), n++) {
      const latest = readings.filter((r) => r.at <= at).at(-1)!.values;
      world.note(a.patient, nurseAt(at, n + 1), at, a.note(latest, (tl.now - at) / hours(1), n, random()));
    }

    for (const round of a.rounds) {
      const t = tl.hoursAgo(round.hoursAgo);
      const c = world.consult(a.patient, round.doctor, t, round);
      if (!round.rx) continue;
      const rx = world.prescribe(c, t + minutes(20), round.rx);
      if (round.dispensedBy) world.dispense(rx, round.dispensedBy, t + minutes(80));
    }
  }
}
