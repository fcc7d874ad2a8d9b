/**
 * Ten days of outpatient clinics: each visit is a consultation, the vital signs the nurse takes in the room, often a
 * prescription and what became of it (dispensed, still pending at the pharmacy, or cancelled by the prescriber).
 * Visits up to yesterday are locked; today's can still be changed by their authors.
 */
import { minutes } from './timeline';
import type { ConsultationText, DemoWorld, Line, VitalValues } from './world';

interface Visit extends ConsultationText {
  patient: string;
  /** [days ago, 'HH:MM'] on a past day, or a number of hours ago today. */
  at: [number, string] | number;
  doctor: string;
  nurse: string;
  vitals: VitalValues;
  rx?: Line[];
  rxNotes?: string;
  /** Who dispensed, and how many minutes after the prescription; 'pending' when still in the pharmacy queue. */
  outcome?: { dispensedBy: string; after: number } | 'pending' | { cancelled: string; after: number; newPlan: string };
  note?: { after: number; text: string };
  /** A second set of observations taken during the visit. */
  repeat?: { after: number; vitals: VitalValues };
}

const normal = (pulseRate: number, systolicBp: number, diastolicBp: number, temperature = 36.7): VitalValues => ({
  pulseRate,
  respiratoryRate: 16,
  systolicBp,
  diastolicBp,
  temperature,
  spo2: 98,
});

const VISITS: Visit[] = [
  {
    patient: 'Chidi Eze',
    at: [10, '09:15'],
    doctor: 'imusa',
    nurse: 'bedet',
    vitals: normal(84, 124, 80, 37.4),
    complaint: 'Cough, blocked nose and facial pain for 5 days',
    history:
      'Began as a cold; now yellow nasal discharge and pain over both cheeks, worse bending forward. No fever at home, no breathlessness.',
    diagnosis: 'Acute rhinosinusitis',
    plan: 'Analgesia, antihistamine and steam inhalation. Penicillin allergy noted: no antibiotic for now. Review if not better in 7 days.',
    rx: [
      ['paracetamol-tab', '1 g', 'three times daily', '5 days', 30],
      ['loratadine-tab', '10 mg', 'once daily', '5 days', 5],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 50 },
  },
  {
    patient: 'Yakubu Danladi',
    at: [10, '11:40'],
    doctor: 'imusa',
    nurse: 'bedet',
    vitals: { ...normal(88, 164, 102), weightKg: 92, heightCm: 174 },
    complaint: 'Headache; known hypertensive, ran out of his drugs 2 weeks ago',
    pastHistory: 'Hypertension for 6 years on amlodipine. No diabetes. Non-smoker.',
    diagnosis: 'Essential hypertension, poorly controlled (off treatment)',
    plan: 'Restart amlodipine and add hydrochlorothiazide. Low-salt diet. Electrolytes and creatinine. Review in 2 weeks.',
    rx: [
      ['amlodipine-tab', '5 mg', 'once daily', '30 days', 30],
      ['hctz-tab', '25 mg', 'once daily', '30 days', 30],
    ],
    outcome: { dispensedBy: 'yogunsanya', after: 40 },
  },
  {
    patient: 'Zainab Yusuf',
    at: [9, '10:05'],
    doctor: 'imusa',
    nurse: 'habdullahi',
    vitals: { pulseRate: 104, respiratoryRate: 20, systolicBp: 118, diastolicBp: 74, temperature: 38.7, spo2: 97 },
    complaint: 'Fever, chills and body aches for 3 days',
    history:
      'Intermittent high fever with rigors, headache and poor appetite. No vomiting, passing urine well. Malaria RDT positive at triage.',
    diagnosis: 'Uncomplicated falciparum malaria',
    plan: 'Artemether/lumefantrine for 3 days (chloroquine allergy noted) and paracetamol. Plenty of fluids; return at once if vomiting, confused or yellow eyes.',
    rx: [
      ['coartem-tab', '4 tablets', 'twice daily with food', '3 days', 24],
      ['paracetamol-tab', '1 g', 'three times daily', '3 days', 18],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 35 },
  },
  {
    patient: 'Musa Garba',
    at: [9, '14:20'],
    doctor: 'doctor',
    nurse: 'habdullahi',
    vitals: normal(76, 132, 84, 36.6),
    complaint: 'Low back pain for one week after lifting a bag of cement',
    history: 'Pain across the lower back, no radiation to the legs, no numbness, no bladder or bowel problems.',
    diagnosis: 'Mechanical low back pain',
    plan: 'Diclofenac with food for 5 days, back care advice. Physiotherapy referral if not better in 2 weeks.',
    rx: [['diclofenac-tab', '50 mg', 'twice daily after food', '5 days', 10]],
    outcome: { dispensedBy: 'yogunsanya', after: 45 },
  },
  {
    patient: 'Funmilayo Adeyemi',
    at: [8, '09:30'],
    doctor: 'nokonkwo',
    nurse: 'bedet',
    vitals: { ...normal(82, 112, 70, 36.8), weightKg: 68, heightCm: 163 },
    complaint: 'Antenatal booking visit at 16 weeks',
    history: 'Second pregnancy; feels well. Mild morning nausea, now settling.',
    obstetric: 'G2P1+0. Spontaneous vaginal delivery in 2021, baby 3.2 kg, no complications.',
    diagnosis: 'Intrauterine pregnancy at 16 weeks, low risk',
    plan: 'Booking investigations (PCV, blood group, HIV, HBsAg, urinalysis). Haematinics. First dose of IPTp-SP. Next visit in 4 weeks.',
    rx: [
      ['ferrous-tab', '200 mg', 'once daily', '30 days', 30],
      ['folic-tab', '5 mg', 'once daily', '30 days', 30],
      ['sp-tab', '3 tablets', 'once, directly observed (IPTp)', '1 day', 3],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 30 },
  },
  {
    patient: 'Obinna Ugwu',
    at: [8, '13:10'],
    doctor: 'imusa',
    nurse: 'bedet',
    vitals: { pulseRate: 102, respiratoryRate: 18, systolicBp: 108, diastolicBp: 68, temperature: 37.6, spo2: 98 },
    complaint: 'Watery stools and vomiting since yesterday',
    history: 'Six loose stools and three vomits after eating at a roadside canteen. No blood in stool. Keeping down sips of water.',
    diagnosis: 'Acute gastroenteritis with mild dehydration',
    plan: 'Oral rehydration, antispasmodic for cramps. Return if blood in stool, unable to drink or still vomiting.',
    rx: [
      ['ors-sachet', '1 sachet in 1 L of water', 'after each loose stool', '3 days', 6],
      ['hyoscine-tab', '10 mg', 'three times daily', '3 days', 9],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 25 },
    note: { after: 45, text: 'Drank 500 mL of ORS in clinic without vomiting. Shown how to mix ORS at home; mother present.' },
  },
  {
    patient: 'Amaka Obi',
    at: [7, '10:00'],
    doctor: 'oadeyemi',
    nurse: 'habdullahi',
    vitals: normal(86, 116, 72, 37.2),
    complaint: 'Burning on passing urine and frequency for 3 days',
    history: 'No fever, no loin pain, no vaginal discharge. LMP 2 weeks ago. Dipstick: leucocytes +++, nitrites positive.',
    diagnosis: 'Uncomplicated lower urinary tract infection',
    plan: 'Nitrofurantoin for 5 days (penicillin allergy). More fluids. Urine culture sent.',
    rx: [['nitrofurantoin-tab', '100 mg', 'twice daily', '5 days', 10]],
    outcome: { dispensedBy: 'yogunsanya', after: 40 },
  },
  {
    patient: 'Kemi Oladipo',
    at: [7, '11:25'],
    doctor: 'doctor',
    nurse: 'habdullahi',
    vitals: normal(78, 128, 82),
    complaint: 'Burning upper abdominal pain after meals for a month',
    history:
      'Worse at night and with pepper soup; eased by antacids. No vomiting of blood, no black stools, no weight loss. Takes ibuprofen often for headaches.',
    diagnosis: 'Dyspepsia, probably NSAID-related gastritis',
    plan: 'Stop ibuprofen (paracetamol instead). Omeprazole for 4 weeks. H. pylori stool antigen. Review with the result.',
    rx: [['omeprazole-cap', '20 mg', 'once daily before breakfast', '28 days', 28]],
    outcome: { dispensedBy: 'pharmacist', after: 30 },
  },
  {
    patient: 'Chinedu Nwosu',
    at: [6, '09:50'],
    doctor: 'oadeyemi',
    nurse: 'cnwachukwu',
    vitals: { ...normal(80, 138, 86, 36.6), weightKg: 97, heightCm: 171 },
    complaint: 'Diabetes review: more thirsty, passing urine at night',
    pastHistory: 'Type 2 diabetes for 4 years on metformin 500 mg twice daily. Hypertension. Aspirin allergy (angioedema).',
    diagnosis: 'Type 2 diabetes mellitus, suboptimal control',
    plan: 'Increase metformin to 1 g twice daily; add atorvastatin. HbA1c, lipids, creatinine, urine albumin. Diet counselling. Review in 4 weeks.',
    rx: [
      ['metformin-tab', '1 g', 'twice daily with meals', '30 days', 120],
      ['atorvastatin-tab', '20 mg', 'at night', '30 days', 30],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 45 },
  },
  {
    patient: 'Halima Sani',
    at: [5, '11:15'],
    doctor: 'nokonkwo',
    nurse: 'bedet',
    vitals: normal(72, 110, 70, 36.6),
    complaint: 'Vaginal itching and white discharge for a week',
    history: 'Thick white discharge, no odour, no pelvic pain. Urine hCG negative.',
    diagnosis: 'Vulvovaginal candidiasis',
    plan: 'Single dose of fluconazole. Hygiene advice. Return if it recurs.',
    rx: [['fluconazole-cap', '150 mg', 'once', '1 day', 1]],
    outcome: { dispensedBy: 'yogunsanya', after: 20 },
  },
  {
    patient: 'Adewale Bakare',
    at: [4, '10:30'],
    doctor: 'doctor',
    nurse: 'cnwachukwu',
    vitals: { pulseRate: 96, respiratoryRate: 22, systolicBp: 158, diastolicBp: 98, temperature: 36.5, spo2: 94, weightKg: 78 },
    complaint: 'Swollen legs and breathless lying flat for 2 weeks',
    history: 'Sleeps on three pillows; walks 50 m before stopping. No chest pain. Irregular with his antihypertensives.',
    pastHistory: 'Hypertension for 15 years. Sulfa allergy (rash with co-trimoxazole); has taken furosemide before without reaction.',
    diagnosis: 'Congestive cardiac failure from hypertensive heart disease',
    plan: 'ECG, chest X-ray, echocardiogram, electrolytes and creatinine. Furosemide, lisinopril and amlodipine. Daily weights. Review in 1 week; admit if worse.',
    rx: [
      ['furosemide-tab', '40 mg', 'every morning', '14 days', 14],
      ['lisinopril-tab', '10 mg', 'once daily', '30 days', 30],
      ['amlodipine-tab', '5 mg', 'once daily', '30 days', 30],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 40 },
  },
  {
    patient: 'Blessing Etim',
    at: [4, '15:05'],
    doctor: 'oadeyemi',
    nurse: 'cnwachukwu',
    vitals: { pulseRate: 104, respiratoryRate: 24, systolicBp: 122, diastolicBp: 78, temperature: 36.9, spo2: 94 },
    complaint: 'Wheeze and chest tightness for 2 days',
    history: 'Asthmatic since childhood; worse since the harmattan dust. Using a borrowed inhaler. Speaks in full sentences.',
    diagnosis: 'Acute exacerbation of asthma, moderate',
    plan: 'Salbutamol inhaler, spacer technique taught. Prednisolone 40 mg daily for 5 days. Written asthma action plan. Review in 1 week.',
    rx: [
      ['salbutamol-inh', '2 puffs', 'every 4-6 hours when needed', '30 days', 1, 'inhalation'],
      ['prednisolone-tab', '40 mg (8 tablets)', 'once daily in the morning', '5 days', 40],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 30 },
  },
  {
    patient: 'Abdullahi Lawal',
    at: [3, '09:20'],
    doctor: 'oadeyemi',
    nurse: 'habdullahi',
    vitals: normal(70, 126, 80),
    complaint: 'Itchy ring-shaped rash on the waist for 3 weeks',
    diagnosis: 'Tinea corporis',
    plan: 'Clotrimazole cream twice daily for 4 weeks; keep the area dry; wash belts and clothing.',
    rx: [['clotrimazole-cream', 'apply thinly', 'twice daily', '4 weeks', 1]],
    outcome: { dispensedBy: 'yogunsanya', after: 30 },
  },
  {
    patient: 'Oluwaseyi Ogunleye',
    at: [3, '11:00'],
    doctor: 'doctor',
    nurse: 'habdullahi',
    vitals: { ...normal(68, 118, 76, 36.5), weightKg: 74, heightCm: 180 },
    complaint: 'Pre-employment medical examination',
    history: 'No complaints. Non-smoker, occasional alcohol.',
    diagnosis: 'Fit for employment',
    plan: 'Medical fitness certificate issued. PCV 42%, urinalysis normal, HBsAg negative.',
  },
  {
    patient: 'Uchenna Eze',
    at: [3, '14:40'],
    doctor: 'doctor',
    nurse: 'habdullahi',
    vitals: { ...normal(80, 142, 88), weightKg: 88 },
    complaint: 'Painful knees for 6 months, worse climbing stairs',
    diagnosis: 'Osteoarthritis of both knees',
    plan: 'Weight reduction, quadriceps exercises, regular paracetamol. Knee X-rays; physiotherapy referral. Recheck BP at next visit.',
    rx: [['paracetamol-tab', '1 g', 'three times daily', '30 days', 180]],
    outcome: { dispensedBy: 'pharmacist', after: 35 },
  },
  {
    patient: 'Femi Ogunbiyi',
    at: [2, '08:50'],
    doctor: 'oadeyemi',
    nurse: 'bedet',
    vitals: normal(92, 130, 82),
    complaint: 'Cut on the left palm from broken glass 2 hours ago',
    history: '3 cm clean laceration, no tendon or nerve injury, bleeding controlled. Last tetanus booster over 10 years ago.',
    diagnosis: 'Laceration of the left palm',
    plan: 'Cleaned and closed with 4 sutures under local anaesthetic. Tetanus toxoid. Co-amoxiclav for 5 days. Sutures out in 10 days.',
    rx: [
      ['lidocaine-inj', '5 mL', 'once', '1 day', 1],
      ['co-amoxiclav-tab', '625 mg', 'twice daily', '5 days', 10],
      ['paracetamol-tab', '1 g', 'three times daily', '3 days', 18],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 25 },
    note: {
      after: 70,
      text: 'Wound sutured and covered with a dry sterile dressing. Tetanus toxoid 0.5 mL IM given in the left deltoid. Advised to keep the hand dry and elevated.',
    },
  },
  {
    patient: 'Grace Akpan',
    at: [2, '10:45'],
    doctor: 'doctor',
    nurse: 'bedet',
    vitals: normal(82, 158, 96),
    complaint: 'Headaches; blood pressure high at a pharmacy twice',
    diagnosis: 'Newly diagnosed essential hypertension',
    plan: 'Amlodipine 5 mg daily; salt and weight advice. Creatinine, electrolytes, lipids, urinalysis, ECG. Review in 2 weeks.',
    rx: [['amlodipine-tab', '5 mg', 'once daily', '30 days', 30]],
    outcome: { dispensedBy: 'yogunsanya', after: 40 },
  },
  {
    patient: 'Nneka Eze',
    at: [2, '12:30'],
    doctor: 'nokonkwo',
    nurse: 'bedet',
    vitals: normal(90, 146, 94, 36.8),
    complaint: 'Antenatal visit at 30 weeks: headache and swollen feet',
    obstetric: 'G3P2+0, 30 weeks by dates. Two previous normal deliveries. Urine protein +.',
    diagnosis: 'Gestational hypertension at 30 weeks; exclude pre-eclampsia',
    plan: 'Methyldopa 250 mg three times daily. Urine protein:creatinine ratio, LFTs, platelets. BP twice weekly; come at once with severe headache, blurred vision or reduced fetal movements.',
    rx: [
      ['methyldopa-tab', '250 mg', 'three times daily', '14 days', 42],
      ['ferrous-tab', '200 mg', 'once daily', '30 days', 30],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 30 },
  },
  {
    patient: 'Ibrahim Bala',
    at: [1, '10:10'],
    doctor: 'oadeyemi',
    nurse: 'cnwachukwu',
    vitals: { pulseRate: 96, respiratoryRate: 18, systolicBp: 116, diastolicBp: 72, temperature: 38.4, spo2: 98 },
    complaint: 'Fever and abdominal pain for 5 days',
    history: 'Step-ladder fever, headache, constipation and dull abdominal pain. No vomiting.',
    diagnosis: 'Suspected enteric (typhoid) fever',
    plan: 'Blood culture taken. Ciprofloxacin for 7 days pending culture; paracetamol. Review with the culture result.',
    rx: [
      ['ciprofloxacin-tab', '500 mg', 'twice daily', '7 days', 14],
      ['paracetamol-tab', '1 g', 'three times daily', '5 days', 30],
    ],
    rxNotes: 'Patient will collect after payment.',
    outcome: 'pending',
  },
  {
    patient: 'Segun Afolabi',
    at: [1, '11:50'],
    doctor: 'doctor',
    nurse: 'cnwachukwu',
    vitals: normal(88, 136, 86, 37.3),
    complaint: 'Painful swollen right big toe since last night',
    history: 'Severe pain and redness; a similar episode last year. Drinks beer most days.',
    pastHistory: 'Bleeding peptic ulcer in 2019.',
    diagnosis: 'Acute gout of the right first metatarsophalangeal joint',
    plan: 'Diclofenac 50 mg three times daily for 5 days. Serum uric acid.',
    rx: [['diclofenac-tab', '50 mg', 'three times daily', '5 days', 15]],
    outcome: {
      cancelled: 'Cancelled by the prescriber: previous bleeding peptic ulcer, NSAID avoided.',
      after: 25,
      newPlan:
        'Diclofenac cancelled (bleeding ulcer in 2019). Colchicine from an outside pharmacy; ice and rest. Serum uric acid. Review in 3 days.',
    },
  },
  {
    patient: 'Patience Udoh',
    at: [1, '14:15'],
    doctor: 'nokonkwo',
    nurse: 'cnwachukwu',
    vitals: normal(98, 110, 70),
    complaint: 'Tiredness and heavy periods for 6 months',
    history: 'Periods last 8 days with clots; breathless climbing stairs. PCV 27%.',
    diagnosis: 'Iron deficiency anaemia from menorrhagia',
    plan: 'Ferrous sulphate and folic acid. Pelvic ultrasound for fibroids. Review with the scan.',
    rx: [
      ['ferrous-tab', '200 mg', 'three times daily', '30 days', 90],
      ['folic-tab', '5 mg', 'once daily', '30 days', 30],
    ],
    outcome: 'pending',
  },
  {
    patient: 'Kabiru Aliyu',
    at: [1, '16:00'],
    doctor: 'oadeyemi',
    nurse: 'cnwachukwu',
    vitals: normal(84, 120, 78, 37.5),
    complaint: 'Sore throat and runny nose for 2 days',
    diagnosis: 'Viral upper respiratory tract infection',
    plan: 'Reassured. Warm fluids; paracetamol at home if needed. No antibiotic.',
  },
  // Today: editable by their authors for 24 hours.
  {
    patient: 'Samuel Otieno',
    at: 6.5,
    doctor: 'oadeyemi',
    nurse: 'nurse',
    vitals: normal(74, 148, 92),
    complaint: 'Routine hypertension review',
    pastHistory: 'Hypertension for 10 years on lisinopril 10 mg. Amoxicillin allergy (rash).',
    diagnosis: 'Essential hypertension, not at target',
    plan: 'Add amlodipine 5 mg daily to lisinopril. Home BP diary. Review in 4 weeks.',
    rx: [
      ['lisinopril-tab', '10 mg', 'once daily', '30 days', 30],
      ['amlodipine-tab', '5 mg', 'once daily', '30 days', 30],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 50 },
  },
  {
    patient: 'Aisha Bello',
    at: 5,
    doctor: 'nokonkwo',
    nurse: 'nurse',
    vitals: normal(76, 108, 68),
    complaint: 'Lower abdominal pain with periods',
    history: 'Painful periods since menarche, worse in the last 3 months; cramps on days 1-2; no heavy bleeding or discharge.',
    diagnosis: 'Primary dysmenorrhoea',
    plan: 'Ibuprofen during periods, starting the day before. Pelvic ultrasound if no better after 3 cycles.',
    rx: [['ibuprofen-tab', '400 mg', 'three times daily with food during periods', '3 days', 9]],
    outcome: { dispensedBy: 'yogunsanya', after: 40 },
  },
  {
    patient: 'Fatima Abubakar',
    at: 4.5,
    doctor: 'doctor',
    nurse: 'nurse',
    vitals: { ...normal(86, 114, 72), weightKg: 71 },
    complaint: 'Antenatal visit at 28 weeks',
    obstetric: 'G2P1+0, 28 weeks. Caesarean section in 2020 for breech presentation.',
    diagnosis: 'Pregnancy at 28 weeks with one previous caesarean section',
    plan: 'Continue haematinics; second dose of IPTp-SP. Counselled to deliver in hospital. Next visit in 2 weeks.',
    rx: [
      ['ferrous-tab', '200 mg', 'once daily', '30 days', 30],
      ['folic-tab', '5 mg', 'once daily', '30 days', 30],
      ['sp-tab', '3 tablets', 'once, directly observed (IPTp)', '1 day', 3],
    ],
    outcome: 'pending',
  },
  {
    patient: 'Esther Nnadi',
    at: 3.5,
    doctor: 'doctor',
    nurse: 'nurse',
    vitals: { pulseRate: 116, respiratoryRate: 20, systolicBp: 172, diastolicBp: 104, temperature: 36.8, spo2: 96 },
    complaint: 'Palpitations and dizziness since this morning',
    history: 'Pounding heartbeat, light-headed on standing; no chest pain, no fainting. On no treatment.',
    diagnosis: 'Hypertension with palpitations; exclude atrial fibrillation',
    plan: 'ECG now; electrolytes, thyroid function, full blood count. Start amlodipine. Review with results today.',
    rx: [['amlodipine-tab', '5 mg', 'once daily', '30 days', 30]],
    outcome: 'pending',
    repeat: { after: 24, vitals: { pulseRate: 110, systolicBp: 168, diastolicBp: 100 } },
    note: {
      after: 25,
      text: 'Observations repeated after 20 minutes of rest: BP 168/100 mmHg, pulse 110 and irregular. ECG done and handed to Dr Mensah.',
    },
  },
  {
    patient: 'Yusuf Abdulkadir',
    at: 3,
    doctor: 'doctor',
    nurse: 'nurse',
    vitals: { pulseRate: 108, respiratoryRate: 20, systolicBp: 120, diastolicBp: 76, temperature: 38.9, spo2: 97 },
    complaint: 'Fever, chills and vomiting for 2 days',
    history: 'Malaria RDT positive. Vomited twice yesterday; keeping fluids down today.',
    diagnosis: 'Uncomplicated malaria',
    plan: 'Artemether/lumefantrine with food; paracetamol. Return if vomiting comes back.',
    rx: [
      ['coartem-tab', '4 tablets', 'twice daily with food', '3 days', 24],
      ['paracetamol-tab', '1 g', 'three times daily', '3 days', 18],
    ],
    outcome: { dispensedBy: 'pharmacist', after: 60 },
  },
  {
    patient: 'Olamide Ojo',
    at: 2,
    doctor: 'doctor',
    nurse: 'nurse',
    vitals: normal(98, 112, 70, 38.2),
    complaint: 'Sore throat and painful swallowing for 3 days',
    history: 'Fever at home, no cough. Enlarged tonsils with exudate, tender neck nodes.',
    diagnosis: 'Acute bacterial tonsillitis',
    plan: 'Amoxicillin for 10 days; paracetamol; salt-water gargles.',
    rx: [['amoxicillin-cap', '500 mg', 'three times daily', '10 days', 30]],
    outcome: 'pending',
  },
  {
    patient: 'Daniel Okoro',
    at: 1.5,
    doctor: 'oadeyemi',
    nurse: 'nurse',
    vitals: normal(72, 124, 80),
    complaint: 'Burning epigastric pain for 2 weeks',
    history: 'Worse on an empty stomach. No vomiting, no black stools. NSAID allergy (wheeze).',
    diagnosis: 'Dyspepsia',
    plan: 'Omeprazole for 4 weeks; avoid NSAIDs and alcohol. H. pylori stool antigen.',
    rx: [['omeprazole-cap', '20 mg', 'once daily before breakfast', '28 days', 28]],
    outcome: 'pending',
  },
];

export function outpatientClinics(world: DemoWorld): void {
  const { tl } = world;
  for (const v of VISITS) {
    const t = typeof v.at === 'number' ? tl.hoursAgo(v.at) : tl.day(...v.at);
    const consultation = world.consult(v.patient, v.doctor, t, v);
    world.vitals(v.patient, v.nurse, t + minutes(6), v.vitals, consultation);
    if (v.repeat) world.vitals(v.patient, v.nurse, t + minutes(v.repeat.after), v.repeat.vitals, consultation);
    if (v.note) world.note(v.patient, v.nurse, t + minutes(v.note.after), v.note.text);
    if (!v.rx) continue;
    const written = t + minutes(18);
    const prescription = world.prescribe(consultation, written, v.rx, v.rxNotes);
    const outcome = v.outcome ?? 'pending';
    if (outcome === 'pending') continue;
    if ('dispensedBy' in outcome) {
      world.dispense(prescription, outcome.dispensedBy, written + minutes(outcome.after));
    } else {
      world.cancel(prescription, outcome.cancelled, written + minutes(outcome.after));
      world.amend(consultation, { plan: outcome.newPlan }, written + minutes(outcome.after + 2));
    }
  }
  // A nurse-led dressing clinic visit: no consultation, just the note.
  world.note(
    'Ngozi Nwankwo',
    'bedet',
    tl.day(2, '15:30'),
    'Dressing of right leg ulcer changed; latex-free gloves used (latex allergy). Wound clean and granulating, no discharge. Next dressing in 2 days.',
  );
}
