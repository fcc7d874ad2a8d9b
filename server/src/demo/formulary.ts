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
  /**
   * WHO ATC codes (WHO ATC/DDD Index) of the product as used here. Left empty where the code for this product is not
   * certain (the fixed-dose HIV triple, IV fluids, magnesium sulphate injection): the drug is then "unclassified" and
   * checked against allergies by name only.
   */
  atcCodes: string[];
}

type Row = [key: string, name: string, generic: string, brand: string | null, formulation: string, strength: string, route: string, stock: number, reorder: number, expiresInDays: number, atcCodes: string[]];

const ROWS: Row[] = [
  // Analgesics and anti-inflammatories
  ['paracetamol-tab', 'Paracetamol', 'paracetamol', 'Emzor Paracetamol', 'tablet', '500 mg', 'oral', 4200, 1000, 540, ['N02BE01']],
  ['paracetamol-syr', 'Paracetamol', 'paracetamol', 'Calpol', 'syrup', '120 mg/5 mL', 'oral', 80, 20, 300, ['N02BE01']],
  ['ibuprofen-tab', 'Ibuprofen', 'ibuprofen', 'Brufen', 'tablet', '400 mg', 'oral', 1500, 300, 610, ['M01AE01']],
  ['diclofenac-tab', 'Diclofenac', 'diclofenac sodium', 'Voltaren', 'tablet', '50 mg', 'oral', 900, 200, 420, ['M01AB05']],
  ['diclofenac-inj', 'Diclofenac', 'diclofenac sodium', null, 'injection', '75 mg/3 mL', 'IM', 35, 20, -12, ['M01AB05']],
  ['tramadol-cap', 'Tramadol', 'tramadol hydrochloride', null, 'capsule', '50 mg', 'oral', 300, 100, 380, ['N02AX02']],
  ['morphine-inj', 'Morphine', 'morphine sulfate', null, 'injection', '10 mg/mL', 'IV/IM', 25, 10, 270, ['N02AA01']],
  // Antibacterials
  ['amoxicillin-cap', 'Amoxicillin', 'amoxicillin', 'Amoxil', 'capsule', '500 mg', 'oral', 1200, 300, 480, ['J01CA04']],
  ['amoxicillin-susp', 'Amoxicillin', 'amoxicillin', 'Amoxil', 'powder for oral suspension', '125 mg/5 mL', 'oral', 40, 15, 24, ['J01CA04']],
  ['co-amoxiclav-tab', 'Amoxicillin/Clavulanic acid', 'amoxicillin/clavulanic acid', 'Augmentin', 'tablet', '625 mg', 'oral', 280, 100, 350, ['J01CR02']],
  ['ampiclox-cap', 'Ampicillin/Cloxacillin', 'ampicillin/cloxacillin', 'Ampiclox', 'capsule', '500 mg', 'oral', 600, 150, 410, ['J01CR50']],
  ['benzylpenicillin-inj', 'Benzylpenicillin', 'benzylpenicillin', 'Crystapen', 'powder for injection', '1 MU', 'IV/IM', 50, 20, 330, ['J01CE01']],
  ['ceftriaxone-inj', 'Ceftriaxone', 'ceftriaxone', 'Rocephin', 'powder for injection', '1 g', 'IV/IM', 36, 30, 390, ['J01DD04']],
  ['cefuroxime-tab', 'Cefuroxime', 'cefuroxime axetil', 'Zinnat', 'tablet', '500 mg', 'oral', 200, 60, 440, ['J01DC02']],
  ['ciprofloxacin-tab', 'Ciprofloxacin', 'ciprofloxacin', 'Ciprotab', 'tablet', '500 mg', 'oral', 700, 150, 520, ['J01MA02']],
  ['co-trimoxazole-tab', 'Co-trimoxazole', 'sulfamethoxazole/trimethoprim', 'Septrin', 'tablet', '960 mg', 'oral', 800, 200, 460, ['J01EE01']],
  ['metronidazole-tab', 'Metronidazole', 'metronidazole', 'Flagyl', 'tablet', '400 mg', 'oral', 1000, 250, 500, ['P01AB01']],
  ['metronidazole-inf', 'Metronidazole', 'metronidazole', null, 'infusion', '500 mg/100 mL', 'IV', 45, 20, 58, ['J01XD01']],
  ['gentamicin-inj', 'Gentamicin', 'gentamicin', null, 'injection', '80 mg/2 mL', 'IV/IM', 120, 40, 360, ['J01GB03']],
  ['azithromycin-tab', 'Azithromycin', 'azithromycin', 'Zithromax', 'tablet', '500 mg', 'oral', 150, 50, 400, ['J01FA10']],
  ['doxycycline-cap', 'Doxycycline', 'doxycycline', null, 'capsule', '100 mg', 'oral', 400, 100, 560, ['J01AA02']],
  ['nitrofurantoin-tab', 'Nitrofurantoin', 'nitrofurantoin', null, 'tablet', '100 mg', 'oral', 250, 60, 300, ['J01XE01']],
  // Antifungals, antimalarials, anthelmintics, antiretrovirals
  ['fluconazole-cap', 'Fluconazole', 'fluconazole', 'Diflucan', 'capsule', '150 mg', 'oral', 120, 30, 620, ['J02AC01']],
  ['clotrimazole-cream', 'Clotrimazole', 'clotrimazole', 'Canesten', 'cream', '1%', 'topical', 60, 20, 700, ['D01AC01']],
  ['nystatin-susp', 'Nystatin', 'nystatin', null, 'oral suspension', '100,000 IU/mL', 'oral', 18, 10, -3, ['A07AA02']],
  ['coartem-tab', 'Artemether/Lumefantrine', 'artemether/lumefantrine', 'Coartem', 'tablet', '20/120 mg', 'oral', 720, 240, 430, ['P01BF01']],
  ['artesunate-inj', 'Artesunate', 'artesunate', 'Artesun', 'powder for injection', '60 mg', 'IV/IM', 30, 40, 340, ['P01BE03']],
  ['sp-tab', 'Sulfadoxine/Pyrimethamine', 'sulfadoxine/pyrimethamine', 'Fansidar', 'tablet', '500/25 mg', 'oral', 300, 90, 510, ['P01BD51']],
  ['albendazole-tab', 'Albendazole', 'albendazole', 'Zentel', 'tablet', '400 mg', 'oral', 200, 50, 650, ['P02CA03']],
  ['tld-tab', 'Tenofovir/Lamivudine/Dolutegravir', 'tenofovir/lamivudine/dolutegravir', 'TLD', 'tablet', '300/300/50 mg', 'oral', 900, 300, 480, []],
  // Diabetes and cardiovascular
  ['metformin-tab', 'Metformin', 'metformin hydrochloride', 'Glucophage', 'tablet', '500 mg', 'oral', 1800, 400, 590, ['A10BA02']],
  ['glibenclamide-tab', 'Glibenclamide', 'glibenclamide', 'Daonil', 'tablet', '5 mg', 'oral', 600, 150, 470, ['A10BB01']],
  ['insulin-soluble', 'Insulin soluble (human)', 'insulin human, soluble', 'Actrapid', 'injection (10 mL vial)', '100 IU/mL', 'SC', 4, 10, 160, ['A10AB01']],
  ['insulin-isophane', 'Insulin isophane (human)', 'insulin human, isophane', 'Insulatard', 'injection (10 mL vial)', '100 IU/mL', 'SC', 14, 10, 190, ['A10AC01']],
  ['amlodipine-tab', 'Amlodipine', 'amlodipine', 'Norvasc', 'tablet', '5 mg', 'oral', 420, 300, 530, ['C08CA01']],
  ['lisinopril-tab', 'Lisinopril', 'lisinopril', 'Zestril', 'tablet', '10 mg', 'oral', 700, 200, 450, ['C09AA03']],
  ['losartan-tab', 'Losartan', 'losartan potassium', 'Cozaar', 'tablet', '50 mg', 'oral', 500, 150, 600, ['C09CA01']],
  ['hctz-tab', 'Hydrochlorothiazide', 'hydrochlorothiazide', null, 'tablet', '25 mg', 'oral', 650, 150, 500, ['C03AA03']],
  ['nifedipine-tab', 'Nifedipine', 'nifedipine', 'Adalat Retard', 'modified-release tablet', '20 mg', 'oral', 450, 120, 370, ['C08CA05']],
  ['methyldopa-tab', 'Methyldopa', 'methyldopa', 'Aldomet', 'tablet', '250 mg', 'oral', 800, 200, 440, ['C02AB01']],
  ['atenolol-tab', 'Atenolol', 'atenolol', 'Tenormin', 'tablet', '50 mg', 'oral', 400, 100, 560, ['C07AB03']],
  ['furosemide-tab', 'Furosemide', 'furosemide', 'Lasix', 'tablet', '40 mg', 'oral', 500, 120, 480, ['C03CA01']],
  ['furosemide-inj', 'Furosemide', 'furosemide', 'Lasix', 'injection', '20 mg/2 mL', 'IV/IM', 60, 20, 300, ['C03CA01']],
  ['atorvastatin-tab', 'Atorvastatin', 'atorvastatin', 'Lipitor', 'tablet', '20 mg', 'oral', 600, 150, 620, ['C10AA05']],
  ['aspirin-tab', 'Aspirin', 'acetylsalicylic acid', 'Cardiprin', 'dispersible tablet', '75 mg', 'oral', 1000, 200, 530, ['B01AC06']],
  // Gastrointestinal, fluids and supplements
  ['omeprazole-cap', 'Omeprazole', 'omeprazole', 'Losec', 'capsule', '20 mg', 'oral', 900, 200, 490, ['A02BC01']],
  ['metoclopramide-tab', 'Metoclopramide', 'metoclopramide', 'Plasil', 'tablet', '10 mg', 'oral', 300, 80, 400, ['A03FA01']],
  ['hyoscine-tab', 'Hyoscine butylbromide', 'hyoscine butylbromide', 'Buscopan', 'tablet', '10 mg', 'oral', 350, 100, 460, ['A03BB01']],
  ['ors-sachet', 'Oral rehydration salts', 'oral rehydration salts (low osmolarity)', 'ORS', 'powder for oral solution', '20.5 g/L sachet', 'oral', 60, 100, 520, ['A07CA']],
  ['zinc-tab', 'Zinc sulphate', 'zinc sulfate', null, 'dispersible tablet', '20 mg', 'oral', 500, 100, 580, ['A12CB01']],
  ['ferrous-tab', 'Ferrous sulphate', 'ferrous sulfate', null, 'tablet', '200 mg', 'oral', 2000, 400, 640, ['B03AA07']],
  ['folic-tab', 'Folic acid', 'folic acid', null, 'tablet', '5 mg', 'oral', 2000, 400, 700, ['B03BB01']],
  ['saline-inf', 'Sodium chloride 0.9%', 'sodium chloride', 'Normal saline', 'infusion (500 mL)', '0.9%', 'IV', 140, 50, 600, []],
  ['ringers-inf', "Ringer's lactate", 'compound sodium lactate', "Hartmann's", 'infusion (500 mL)', '500 mL', 'IV', 90, 40, 580, []],
  ['dextrose-inf', 'Dextrose 5%', 'glucose', null, 'infusion (500 mL)', '5%', 'IV', 80, 40, 560, []],
  // Respiratory, allergy, steroids
  ['salbutamol-inh', 'Salbutamol', 'salbutamol', 'Ventolin', 'inhaler (200 doses)', '100 micrograms/dose', 'inhalation', 6, 10, 420, ['R03AC02']],
  ['prednisolone-tab', 'Prednisolone', 'prednisolone', null, 'tablet', '5 mg', 'oral', 1000, 200, 510, ['H02AB06']],
  ['hydrocortisone-inj', 'Hydrocortisone', 'hydrocortisone sodium succinate', 'Solu-Cortef', 'powder for injection', '100 mg', 'IV/IM', 40, 15, 380, ['H02AB09']],
  ['dexamethasone-inj', 'Dexamethasone', 'dexamethasone', null, 'injection', '4 mg/mL', 'IV/IM', 70, 20, 400, ['H02AB02']],
  ['chlorphenamine-tab', 'Chlorphenamine', 'chlorphenamine maleate', 'Piriton', 'tablet', '4 mg', 'oral', 500, 100, 77, ['R06AB04']],
  ['loratadine-tab', 'Loratadine', 'loratadine', 'Clarityn', 'tablet', '10 mg', 'oral', 300, 60, 600, ['R06AX13']],
  // Obstetrics
  ['oxytocin-inj', 'Oxytocin', 'oxytocin', 'Syntocinon', 'injection', '10 IU/mL', 'IM/IV', 90, 40, 41, ['H01BB02']],
  ['misoprostol-tab', 'Misoprostol', 'misoprostol', 'Cytotec', 'tablet', '200 micrograms', 'oral', 120, 40, 450, ['A02BB01']],
  ['magnesium-inj', 'Magnesium sulphate', 'magnesium sulfate', null, 'injection', '50% (5 g/10 mL)', 'IV/IM', 40, 20, 420, []],
  // Nervous system, anaesthesia, eye and skin
  ['lidocaine-inj', 'Lidocaine', 'lidocaine hydrochloride', 'Xylocaine', 'injection', '2%', 'local infiltration', 50, 20, 500, ['N01BB02']],
  ['diazepam-inj', 'Diazepam', 'diazepam', 'Valium', 'injection', '5 mg/mL', 'IV', 30, 10, 350, ['N05BA01']],
  ['amitriptyline-tab', 'Amitriptyline', 'amitriptyline', null, 'tablet', '25 mg', 'oral', 400, 100, 540, ['N06AA09']],
  ['carbamazepine-tab', 'Carbamazepine', 'carbamazepine', 'Tegretol', 'tablet', '200 mg', 'oral', 500, 120, 570, ['N03AF01']],
  ['phenobarbital-tab', 'Phenobarbital', 'phenobarbital', null, 'tablet', '30 mg', 'oral', 300, 100, 600, ['N03AA02']],
  ['tetracycline-eye', 'Tetracycline eye ointment', 'tetracycline hydrochloride', null, 'eye ointment', '1%', 'ophthalmic', 45, 15, 330, ['S01AA09']],
];

export const FORMULARY: FormularyDrug[] = ROWS.map(
  ([key, name, genericName, brand, formulation, strength, route, stockOnHand, reorderLevel, expiresInDays, atcCodes]) => ({
    key, name, genericName, brand, formulation, strength, route, stockOnHand, reorderLevel, expiresInDays, atcCodes,
  }),
);
