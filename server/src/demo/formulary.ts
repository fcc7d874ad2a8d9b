/**
 * The demo formulary: common essential medicines of a Nigerian general hospital (WHO and Nigerian essential
 * medicines lists), each with the stock a pharmacy would hold. A few are below their reorder level, a few expire
 * within 90 days and two have already expired, so the inventory screen has something to say.
 */

export interface FormularyDrug {
  /** How the demo's prescriptions refer to the drug. */
  key: string;
  name: string;
  genericName: string;
  brand: string | null;
  formulation: string;
  strength: string;
  route: string;
  stockOnHand: number;
  reorderLevel: number;
  /** Days from the demo's first start to the expiry date; negative: already expired. */
  expiresInDays: number;
}

type Row = [key: string, name: string, generic: string, brand: string | null, formulation: string, strength: string, route: string, stock: number, reorder: number, expiresInDays: number];

const ROWS: Row[] = [
  // Analgesics and anti-inflammatories
  ['paracetamol-tab', 'Paracetamol', 'paracetamol', 'Emzor Paracetamol', 'tablet', '500 mg', 'oral', 4200, 1000, 540],
  ['paracetamol-syr', 'Paracetamol', 'paracetamol', 'Calpol', 'syrup', '120 mg/5 mL', 'oral', 80, 20, 300],
  ['ibuprofen-tab', 'Ibuprofen', 'ibuprofen', 'Brufen', 'tablet', '400 mg', 'oral', 1500, 300, 610],
  ['diclofenac-tab', 'Diclofenac', 'diclofenac sodium', 'Voltaren', 'tablet', '50 mg', 'oral', 900, 200, 420],
  ['diclofenac-inj', 'Diclofenac', 'diclofenac sodium', null, 'injection', '75 mg/3 mL', 'IM', 35, 20, -12],
  ['tramadol-cap', 'Tramadol', 'tramadol hydrochloride', null, 'capsule', '50 mg', 'oral', 300, 100, 380],
  ['morphine-inj', 'Morphine', 'morphine sulfate', null, 'injection', '10 mg/mL', 'IV/IM', 25, 10, 270],
  // Antibacterials
  ['amoxicillin-cap', 'Amoxicillin', 'amoxicillin', 'Amoxil', 'capsule', '500 mg', 'oral', 1200, 300, 480],
  ['amoxicillin-susp', 'Amoxicillin', 'amoxicillin', 'Amoxil', 'powder for oral suspension', '125 mg/5 mL', 'oral', 40, 15, 24],
  ['co-amoxiclav-tab', 'Amoxicillin/Clavulanic acid', 'amoxicillin/clavulanic acid', 'Augmentin', 'tablet', '625 mg', 'oral', 280, 100, 350],
  ['ampiclox-cap', 'Ampicillin/Cloxacillin', 'ampicillin/cloxacillin', 'Ampiclox', 'capsule', '500 mg', 'oral', 600, 150, 410],
  ['benzylpenicillin-inj', 'Benzylpenicillin', 'benzylpenicillin', 'Crystapen', 'powder for injection', '1 MU', 'IV/IM', 50, 20, 330],
  ['ceftriaxone-inj', 'Ceftriaxone', 'ceftriaxone', 'Rocephin', 'powder for injection', '1 g', 'IV/IM', 36, 30, 390],
  ['cefuroxime-tab', 'Cefuroxime', 'cefuroxime axetil', 'Zinnat', 'tablet', '500 mg', 'oral', 200, 60, 440],
  ['ciprofloxacin-tab', 'Ciprofloxacin', 'ciprofloxacin', 'Ciprotab', 'tablet', '500 mg', 'oral', 700, 150, 520],
  ['co-trimoxazole-tab', 'Co-trimoxazole', 'sulfamethoxazole/trimethoprim', 'Septrin', 'tablet', '960 mg', 'oral', 800, 200, 460],
  ['metronidazole-tab', 'Metronidazole', 'metronidazole', 'Flagyl', 'tablet', '400 mg', 'oral', 1000, 250, 500],
  ['metronidazole-inf', 'Metronidazole', 'metronidazole', null, 'infusion', '500 mg/100 mL', 'IV', 45, 20, 58],
  ['gentamicin-inj', 'Gentamicin', 'gentamicin', null, 'injection', '80 mg/2 mL', 'IV/IM', 120, 40, 360],
  ['azithromycin-tab', 'Azithromycin', 'azithromycin', 'Zithromax', 'tablet', '500 mg', 'oral', 150, 50, 400],
  ['doxycycline-cap', 'Doxycycline', 'doxycycline', null, 'capsule', '100 mg', 'oral', 400, 100, 560],
  ['nitrofurantoin-tab', 'Nitrofurantoin', 'nitrofurantoin', null, 'tablet', '100 mg', 'oral', 250, 60, 300],
  // Antifungals, antimalarials, anthelmintics, antiretrovirals
  ['fluconazole-cap', 'Fluconazole', 'fluconazole', 'Diflucan', 'capsule', '150 mg', 'oral', 120, 30, 620],
  ['clotrimazole-cream', 'Clotrimazole', 'clotrimazole', 'Canesten', 'cream', '1%', 'topical', 60, 20, 700],
  ['nystatin-susp', 'Nystatin', 'nystatin', null, 'oral suspension', '100,000 IU/mL', 'oral', 18, 10, -3],
  ['coartem-tab', 'Artemether/Lumefantrine', 'artemether/lumefantrine', 'Coartem', 'tablet', '20/120 mg', 'oral', 720, 240, 430],
  ['artesunate-inj', 'Artesunate', 'artesunate', 'Artesun', 'powder for injection', '60 mg', 'IV/IM', 30, 40, 340],
  ['sp-tab', 'Sulfadoxine/Pyrimethamine', 'sulfadoxine/pyrimethamine', 'Fansidar', 'tablet', '500/25 mg', 'oral', 300, 90, 510],
  ['albendazole-tab', 'Albendazole', 'albendazole', 'Zentel', 'tablet', '400 mg', 'oral', 200, 50, 650],
  ['tld-tab', 'Tenofovir/Lamivudine/Dolutegravir', 'tenofovir/lamivudine/dolutegravir', 'TLD', 'tablet', '300/300/50 mg', 'oral', 900, 300, 480],
  // Diabetes and cardiovascular
  ['metformin-tab', 'Metformin', 'metformin hydrochloride', 'Glucophage', 'tablet', '500 mg', 'oral', 1800, 400, 590],
  ['glibenclamide-tab', 'Glibenclamide', 'glibenclamide', 'Daonil', 'tablet', '5 mg', 'oral', 600, 150, 470],
  ['insulin-soluble', 'Insulin soluble (human)', 'insulin human, soluble', 'Actrapid', 'injection (10 mL vial)', '100 IU/mL', 'SC', 4, 10, 160],
  ['insulin-isophane', 'Insulin isophane (human)', 'insulin human, isophane', 'Insulatard', 'injection (10 mL vial)', '100 IU/mL', 'SC', 14, 10, 190],
  ['amlodipine-tab', 'Amlodipine', 'amlodipine', 'Norvasc', 'tablet', '5 mg', 'oral', 420, 300, 530],
  ['lisinopril-tab', 'Lisinopril', 'lisinopril', 'Zestril', 'tablet', '10 mg', 'oral', 700, 200, 450],
  ['losartan-tab', 'Losartan', 'losartan potassium', 'Cozaar', 'tablet', '50 mg', 'oral', 500, 150, 600],
  ['hctz-tab', 'Hydrochlorothiazide', 'hydrochlorothiazide', null, 'tablet', '25 mg', 'oral', 650, 150, 500],
  ['nifedipine-tab', 'Nifedipine', 'nifedipine', 'Adalat Retard', 'modified-release tablet', '20 mg', 'oral', 450, 120, 370],
  ['methyldopa-tab', 'Methyldopa', 'methyldopa', 'Aldomet', 'tablet', '250 mg', 'oral', 800, 200, 440],
  ['atenolol-tab', 'Atenolol', 'atenolol', 'Tenormin', 'tablet', '50 mg', 'oral', 400, 100, 560],
  ['furosemide-tab', 'Furosemide', 'furosemide', 'Lasix', 'tablet', '40 mg', 'oral', 500, 120, 480],
  ['furosemide-inj', 'Furosemide', 'furosemide', 'Lasix', 'injection', '20 mg/2 mL', 'IV/IM', 60, 20, 300],
  ['atorvastatin-tab', 'Atorvastatin', 'atorvastatin', 'Lipitor', 'tablet', '20 mg', 'oral', 600, 150, 620],
  ['aspirin-tab', 'Aspirin', 'acetylsalicylic acid', 'Cardiprin', 'dispersible tablet', '75 mg', 'oral', 1000, 200, 530],
  // Gastrointestinal, fluids and supplements
  ['omeprazole-cap', 'Omeprazole', 'omeprazole', 'Losec', 'capsule', '20 mg', 'oral', 900, 200, 490],
  ['metoclopramide-tab', 'Metoclopramide', 'metoclopramide', 'Plasil', 'tablet', '10 mg', 'oral', 300, 80, 400],
  ['hyoscine-tab', 'Hyoscine butylbromide', 'hyoscine butylbromide', 'Buscopan', 'tablet', '10 mg', 'oral', 350, 100, 460],
  ['ors-sachet', 'Oral rehydration salts', 'oral rehydration salts (low osmolarity)', 'ORS', 'powder for oral solution', '20.5 g/L sachet', 'oral', 60, 100, 520],
  ['zinc-tab', 'Zinc sulphate', 'zinc sulfate', null, 'dispersible tablet', '20 mg', 'oral', 500, 100, 580],
  ['ferrous-tab', 'Ferrous sulphate', 'ferrous sulfate', null, 'tablet', '200 mg', 'oral', 2000, 400, 640],
  ['folic-tab', 'Folic acid', 'folic acid', null, 'tablet', '5 mg', 'oral', 2000, 400, 700],
  ['saline-inf', 'Sodium chloride 0.9%', 'sodium chloride', 'Normal saline', 'infusion (500 mL)', '0.9%', 'IV', 140, 50, 600],
  ['ringers-inf', "Ringer's lactate", 'compound sodium lactate', "Hartmann's", 'infusion (500 mL)', '500 mL', 'IV', 90, 40, 580],
  ['dextrose-inf', 'Dextrose 5%', 'glucose', null, 'infusion (500 mL)', '5%', 'IV', 80, 40, 560],
  // Respiratory, allergy, steroids
  ['salbutamol-inh', 'Salbutamol', 'salbutamol', 'Ventolin', 'inhaler (200 doses)', '100 micrograms/dose', 'inhalation', 6, 10, 420],
  ['prednisolone-tab', 'Prednisolone', 'prednisolone', null, 'tablet', '5 mg', 'oral', 1000, 200, 510],
  ['hydrocortisone-inj', 'Hydrocortisone', 'hydrocortisone sodium succinate', 'Solu-Cortef', 'powder for injection', '100 mg', 'IV/IM', 40, 15, 380],
  ['dexamethasone-inj', 'Dexamethasone', 'dexamethasone', null, 'injection', '4 mg/mL', 'IV/IM', 70, 20, 400],
  ['chlorphenamine-tab', 'Chlorphenamine', 'chlorphenamine maleate', 'Piriton', 'tablet', '4 mg', 'oral', 500, 100, 77],
  ['loratadine-tab', 'Loratadine', 'loratadine', 'Clarityn', 'tablet', '10 mg', 'oral', 300, 60, 600],
  // Obstetrics
  ['oxytocin-inj', 'Oxytocin', 'oxytocin', 'Syntocinon', 'injection', '10 IU/mL', 'IM/IV', 90, 40, 41],
  ['misoprostol-tab', 'Misoprostol', 'misoprostol', 'Cytotec', 'tablet', '200 micrograms', 'oral', 120, 40, 450],
  ['magnesium-inj', 'Magnesium sulphate', 'magnesium sulfate', null, 'injection', '50% (5 g/10 mL)', 'IV/IM', 40, 20, 420],
  // Nervous system, anaesthesia, eye and skin
  ['lidocaine-inj', 'Lidocaine', 'lidocaine hydrochloride', 'Xylocaine', 'injection', '2%', 'local infiltration', 50, 20, 500],
  ['diazepam-inj', 'Diazepam', 'diazepam', 'Valium', 'injection', '5 mg/mL', 'IV', 30, 10, 350],
  ['amitriptyline-tab', 'Amitriptyline', 'amitriptyline', null, 'tablet', '25 mg', 'oral', 400, 100, 540],
  ['carbamazepine-tab', 'Carbamazepine', 'carbamazepine', 'Tegretol', 'tablet', '200 mg', 'oral', 500, 120, 570],
  ['phenobarbital-tab', 'Phenobarbital', 'phenobarbital', null, 'tablet', '30 mg', 'oral', 300, 100, 600],
  ['tetracycline-eye', 'Tetracycline eye ointment', 'tetracycline hydrochloride', null, 'eye ointment', '1%', 'ophthalmic', 45, 15, 330],
];

export const FORMULARY: FormularyDrug[] = ROWS.map(
  ([key, name, genericName, brand, formulation, strength, route, stockOnHand, reorderLevel, expiresInDays]) => ({
    key, name, genericName, brand, formulation, strength, route, stockOnHand, reorderLevel, expiresInDays,
  }),
);
