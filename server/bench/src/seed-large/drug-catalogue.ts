/** The drug catalogue with its WHO ATC codes, the makers a larger formulary repeats it under, and allergy matching. */
import { checkAllergies, type DrugNames } from '@hmis/shared';
import { assertTsvSafe, list } from './random';
import { ALLERGIES } from './vocabulary';

/**
 * The drug catalogue: generic, brand, formulation, route, strengths ('|'-separated; one drug per strength).
 * The name is the capitalised generic, like the demo data's.
 */
const DRUG_TABLE = `
paracetamol;Panadol;tablet;oral;500 mg|1 g
paracetamol;Calpol;syrup;oral;120 mg/5 ml|250 mg/5 ml
paracetamol;Perfalgan;infusion;IV;1 g/100 ml
ibuprofen;Brufen;tablet;oral;200 mg|400 mg|600 mg
ibuprofen;Nurofen;suspension;oral;100 mg/5 ml
diclofenac;Voltaren;tablet;oral;50 mg|75 mg|100 mg
diclofenac;Voltaren;injection;IM;75 mg/3 ml
diclofenac;Voltaren;gel;topical;1%
naproxen;Naprosyn;tablet;oral;250 mg|500 mg
aspirin;Disprin;tablet;oral;75 mg|300 mg
tramadol;Tramal;capsule;oral;50 mg
tramadol;Tramal;injection;IV;100 mg/2 ml
morphine;;injection;IV;10 mg/ml
morphine;;oral solution;oral;10 mg/5 ml
pentazocine;Fortwin;injection;IM;30 mg/ml
codeine;;tablet;oral;30 mg
ketorolac;Toradol;injection;IM;30 mg/ml
celecoxib;Celebrex;capsule;oral;100 mg|200 mg
artemether-lumefantrine;Coartem;tablet;oral;20/120 mg|80/480 mg
artesunate;Artesun;powder for injection;IV;60 mg|120 mg
artesunate-amodiaquine;Coarsucam;tablet;oral;25/67.5 mg|100/270 mg
dihydroartemisinin-piperaquine;P-Alaxin;tablet;oral;40/320 mg
quinine;;tablet;oral;300 mg
quinine;;injection;IV;600 mg/2 ml
sulfadoxine-pyrimethamine;Fansidar;tablet;oral;500/25 mg
proguanil;Paludrine;tablet;oral;100 mg
atovaquone-proguanil;Malarone;tablet;oral;250/100 mg
amoxicillin;Amoxil;capsule;oral;250 mg|500 mg
amoxicillin;Amoxil;suspension;oral;125 mg/5 ml|250 mg/5 ml
amoxicillin-clavulanate;Augmentin;tablet;oral;375 mg|625 mg|1 g
amoxicillin-clavulanate;Augmentin;suspension;oral;228 mg/5 ml|457 mg/5 ml
ampicillin-cloxacillin;Ampiclox;capsule;oral;500 mg
phenoxymethylpenicillin;Penicillin V;tablet;oral;250 mg
benzylpenicillin;Crystapen;powder for injection;IV;1 MU|5 MU
benzathine benzylpenicillin;Penadur;injection;IM;2.4 MU
flucloxacillin;Floxapen;capsule;oral;250 mg|500 mg
cefuroxime;Zinnat;tablet;oral;250 mg|500 mg
ceftriaxone;Rocephin;powder for injection;IV;250 mg|1 g|2 g
cefixime;Suprax;tablet;oral;200 mg|400 mg
cefalexin;Keflex;capsule;oral;250 mg|500 mg
ceftazidime;Fortum;powder for injection;IV;1 g
azithromycin;Zithromax;tablet;oral;250 mg|500 mg
azithromycin;Zithromax;suspension;oral;200 mg/5 ml
erythromycin;Erythrocin;tablet;oral;250 mg|500 mg
clarithromycin;Klacid;tablet;oral;250 mg|500 mg
ciprofloxacin;Ciprobay;tablet;oral;250 mg|500 mg|750 mg
ciprofloxacin;Ciprobay;infusion;IV;200 mg/100 ml
levofloxacin;Tavanic;tablet;oral;500 mg|750 mg
doxycycline;Vibramycin;capsule;oral;100 mg
metronidazole;Flagyl;tablet;oral;200 mg|400 mg
metronidazole;Flagyl;infusion;IV;500 mg/100 ml
metronidazole;Flagyl;suspension;oral;200 mg/5 ml
cotrimoxazole;Septrin;tablet;oral;480 mg|960 mg
cotrimoxazole;Septrin;suspension;oral;240 mg/5 ml
nitrofurantoin;Macrobid;capsule;oral;50 mg|100 mg
gentamicin;Garamycin;injection;IV;80 mg/2 ml
gentamicin;Genticyn;eye drops;eye;0.3%
clindamycin;Dalacin;capsule;oral;150 mg|300 mg
vancomycin;Vancocin;powder for injection;IV;500 mg|1 g
meropenem;Meronem;powder for injection;IV;500 mg|1 g
chloramphenicol;;capsule;oral;250 mg
chloramphenicol;Chloromycetin;eye drops;eye;0.5%
tetracycline;;eye ointment;eye;1%
rifampicin-isoniazid-pyrazinamide-ethambutol;Rifafour;tablet;oral;150/75/400/275 mg
isoniazid;;tablet;oral;100 mg|300 mg
tenofovir-lamivudine-dolutegravir;TLD;tablet;oral;300/300/50 mg
tenofovir-lamivudine-efavirenz;TLE;tablet;oral;300/300/600 mg
zidovudine-lamivudine;Combivir;tablet;oral;300/150 mg
nevirapine;Viramune;suspension;oral;50 mg/5 ml
fluconazole;Diflucan;capsule;oral;50 mg|150 mg|200 mg
clotrimazole;Canesten;cream;topical;1%
clotrimazole;Canesten;pessary;vaginal;100 mg|500 mg
nystatin;Mycostatin;suspension;oral;100,000 IU/ml
griseofulvin;Fulcin;tablet;oral;125 mg|500 mg
ketoconazole;Nizoral;cream;topical;2%
terbinafine;Lamisil;tablet;oral;250 mg
albendazole;Zentel;tablet;oral;200 mg|400 mg
mebendazole;Vermox;tablet;oral;100 mg|500 mg
praziquantel;Biltricide;tablet;oral;600 mg
ivermectin;Mectizan;tablet;oral;3 mg|6 mg
permethrin;Lyclear;cream;topical;5%
aciclovir;Zovirax;tablet;oral;200 mg|400 mg|800 mg
aciclovir;Zovirax;cream;topical;5%
amlodipine;Norvasc;tablet;oral;5 mg|10 mg
nifedipine;Adalat;modified-release tablet;oral;20 mg|30 mg
lisinopril;Zestril;tablet;oral;5 mg|10 mg|20 mg
enalapril;Vasotec;tablet;oral;5 mg|10 mg|20 mg
losartan;Cozaar;tablet;oral;50 mg|100 mg
valsartan;Diovan;tablet;oral;80 mg|160 mg
telmisartan;Micardis;tablet;oral;40 mg|80 mg
hydrochlorothiazide;Esidrex;tablet;oral;25 mg|50 mg
bendroflumethiazide;;tablet;oral;2.5 mg|5 mg
furosemide;Lasix;tablet;oral;40 mg
furosemide;Lasix;injection;IV;20 mg/2 ml
spironolactone;Aldactone;tablet;oral;25 mg|50 mg|100 mg
atenolol;Tenormin;tablet;oral;50 mg|100 mg
bisoprolol;Concor;tablet;oral;2.5 mg|5 mg|10 mg
carvedilol;Dilatrend;tablet;oral;6.25 mg|12.5 mg|25 mg
methyldopa;Aldomet;tablet;oral;250 mg|500 mg
hydralazine;Apresoline;powder for injection;IV;20 mg
labetalol;Trandate;tablet;oral;100 mg|200 mg
atorvastatin;Lipitor;tablet;oral;10 mg|20 mg|40 mg
simvastatin;Zocor;tablet;oral;20 mg|40 mg
rosuvastatin;Crestor;tablet;oral;10 mg|20 mg
clopidogrel;Plavix;tablet;oral;75 mg
warfarin;Coumadin;tablet;oral;1 mg|3 mg|5 mg
enoxaparin;Clexane;injection;SC;40 mg|60 mg|80 mg
heparin;;injection;IV;5,000 IU/ml
digoxin;Lanoxin;tablet;oral;62.5 mcg|125 mcg|250 mcg
glyceryl trinitrate;GTN;spray;sublingual;400 mcg/dose
isosorbide mononitrate;Imdur;tablet;oral;30 mg|60 mg
metformin;Glucophage;tablet;oral;500 mg|850 mg|1 g
glibenclamide;Daonil;tablet;oral;2.5 mg|5 mg
gliclazide;Diamicron;tablet;oral;80 mg
glimepiride;Amaryl;tablet;oral;1 mg|2 mg|4 mg
sitagliptin;Januvia;tablet;oral;50 mg|100 mg
insulin soluble;Actrapid;injection;SC;100 IU/ml
insulin isophane;Insulatard;injection;SC;100 IU/ml
insulin biphasic isophane;Mixtard 30/70;injection;SC;100 IU/ml
insulin glargine;Lantus;injection;SC;100 IU/ml
levothyroxine;Eltroxin;tablet;oral;25 mcg|50 mcg|100 mcg
carbimazole;Neo-Mercazole;tablet;oral;5 mg|20 mg
prednisolone;;tablet;oral;5 mg|25 mg
hydrocortisone;Solu-Cortef;powder for injection;IV;100 mg
hydrocortisone;;cream;topical;1%
dexamethasone;Decadron;injection;IV;4 mg/ml|8 mg/2 ml
dexamethasone;Decadron;tablet;oral;0.5 mg|4 mg
omeprazole;Losec;capsule;oral;20 mg|40 mg
omeprazole;Losec;powder for injection;IV;40 mg
esomeprazole;Nexium;tablet;oral;20 mg|40 mg
pantoprazole;Protonix;tablet;oral;40 mg
ranitidine;Zantac;tablet;oral;150 mg|300 mg
magnesium trisilicate;;suspension;oral;250 mg/5 ml
aluminium hydroxide-magnesium hydroxide;Gelusil;chewable tablet;oral;250/250 mg
metoclopramide;Maxolon;tablet;oral;10 mg
metoclopramide;Maxolon;injection;IV;10 mg/2 ml
ondansetron;Zofran;tablet;oral;4 mg|8 mg
ondansetron;Zofran;injection;IV;4 mg/2 ml|8 mg/4 ml
promethazine;Phenergan;tablet;oral;10 mg|25 mg
promethazine;Phenergan;injection;IM;25 mg/ml
hyoscine butylbromide;Buscopan;tablet;oral;10 mg
hyoscine butylbromide;Buscopan;injection;IV;20 mg/ml
loperamide;Imodium;capsule;oral;2 mg
oral rehydration salts;ORS;powder;oral;20.5 g sachet
zinc sulfate;;dispersible tablet;oral;20 mg
lactulose;Duphalac;syrup;oral;3.3 g/5 ml
bisacodyl;Dulcolax;tablet;oral;5 mg
senna;Senokot;tablet;oral;7.5 mg
salbutamol;Ventolin;inhaler;inhalation;100 mcg/dose
salbutamol;Ventolin;tablet;oral;2 mg|4 mg
salbutamol;Ventolin;nebuliser solution;inhalation;2.5 mg/2.5 ml|5 mg/2.5 ml
beclometasone;Qvar;inhaler;inhalation;50 mcg/dose|100 mcg/dose
budesonide-formoterol;Symbicort;inhaler;inhalation;160/4.5 mcg
ipratropium;Atrovent;nebuliser solution;inhalation;250 mcg/ml
aminophylline;;injection;IV;250 mg/10 ml
montelukast;Singulair;tablet;oral;4 mg|5 mg|10 mg
cetirizine;Zyrtec;tablet;oral;10 mg
loratadine;Clarityn;tablet;oral;10 mg
chlorphenamine;Piriton;tablet;oral;4 mg
chlorphenamine;Piriton;injection;IM;10 mg/ml
carbocisteine;Mucodyne;syrup;oral;250 mg/5 ml
ambroxol;Mucosolvan;syrup;oral;15 mg/5 ml
ferrous sulfate;;tablet;oral;200 mg
ferrous fumarate;;tablet;oral;210 mg
folic acid;;tablet;oral;400 mcg|5 mg
vitamin B complex;;tablet;oral;standard
ascorbic acid;;tablet;oral;100 mg
calcium carbonate;Calcichew;chewable tablet;oral;500 mg|1.25 g
hydroxycarbamide;Hydrea;capsule;oral;500 mg
iron sucrose;Venofer;injection;IV;100 mg/5 ml
phytomenadione;Konakion;injection;IM;1 mg/0.5 ml|10 mg/ml
diazepam;Valium;tablet;oral;2 mg|5 mg|10 mg
diazepam;Valium;injection;IV;10 mg/2 ml
phenobarbital;;tablet;oral;30 mg|60 mg
phenytoin;Epanutin;capsule;oral;50 mg|100 mg
carbamazepine;Tegretol;tablet;oral;200 mg|400 mg
sodium valproate;Epilim;tablet;oral;200 mg|500 mg
levetiracetam;Keppra;tablet;oral;250 mg|500 mg
amitriptyline;;tablet;oral;10 mg|25 mg
fluoxetine;Prozac;capsule;oral;20 mg
sertraline;Zoloft;tablet;oral;50 mg|100 mg
haloperidol;Haldol;tablet;oral;1.5 mg|5 mg
haloperidol;Haldol;injection;IM;5 mg/ml
olanzapine;Zyprexa;tablet;oral;5 mg|10 mg
risperidone;Risperdal;tablet;oral;1 mg|2 mg
chlorpromazine;Largactil;tablet;oral;25 mg|100 mg
oxytocin;Syntocinon;injection;IM;10 IU/ml
misoprostol;Cytotec;tablet;oral;200 mcg
magnesium sulfate;;injection;IV;50%
ergometrine;;injection;IM;500 mcg/ml
tranexamic acid;Cyklokapron;tablet;oral;500 mg
tranexamic acid;Cyklokapron;injection;IV;500 mg/5 ml
sodium chloride;Normal saline;infusion;IV;0.9% 500 ml|0.9% 1 L
glucose;Dextrose;infusion;IV;5% 500 ml|10% 500 ml|50% 50 ml
compound sodium lactate;Ringer's lactate;infusion;IV;500 ml|1 L
potassium chloride;;injection;IV;15% 10 ml
betamethasone;Betnovate;cream;topical;0.1%
silver sulfadiazine;Flamazine;cream;topical;1%
calamine;;lotion;topical;15%
mupirocin;Bactroban;ointment;topical;2%
ciprofloxacin;Ciloxan;eye drops;eye;0.3%
timolol;Timoptol;eye drops;eye;0.25%|0.5%
lidocaine;Xylocaine;injection;local;1%|2%
ketamine;Ketalar;injection;IV;50 mg/ml
propofol;Diprivan;injection;IV;10 mg/ml
allopurinol;Zyloric;tablet;oral;100 mg|300 mg
colchicine;;tablet;oral;500 mcg
tamsulosin;Flomax;capsule;oral;400 mcg
finasteride;Proscar;tablet;oral;5 mg
sildenafil;Viagra;tablet;oral;50 mg|100 mg
medroxyprogesterone;Depo-Provera;injection;IM;150 mg/ml
levonorgestrel;Postinor-2;tablet;oral;750 mcg
ethinylestradiol-levonorgestrel;Microgynon;tablet;oral;30/150 mcg
tetanus toxoid;;injection;IM;0.5 ml
rabies vaccine;Verorab;injection;IM;2.5 IU
hepatitis B vaccine;Engerix-B;injection;IM;20 mcg/ml
snake venom antiserum;;injection;IV;10 ml
`;

/**
 * WHO ATC codes (WHO ATC/DDD Index) of the generator's drugs: by generic name, or by `generic|route` where the topical,
 * eye or vaginal product has its own code. Generics missing here (codeine, the fixed-dose HIV triples, IV fluids and
 * electrolytes, aluminium/magnesium hydroxide, vitamin B complex, iron sucrose, magnesium sulfate, calamine, the
 * progestogen contraceptives) stay unclassified: their code for this product is not certain.
 */
const ATC_CODES: Record<string, string> = {
  paracetamol: 'N02BE01',
  ibuprofen: 'M01AE01',
  diclofenac: 'M01AB05',
  'diclofenac|topical': 'M02AA15',
  naproxen: 'M01AE02',
  tramadol: 'N02AX02',
  morphine: 'N02AA01',
  pentazocine: 'N02AD01',
  ketorolac: 'M01AB15',
  celecoxib: 'M01AH01',
  'artemether-lumefantrine': 'P01BF01',
  artesunate: 'P01BE03',
  'artesunate-amodiaquine': 'P01BF03',
  'dihydroartemisinin-piperaquine': 'P01BF05',
  quinine: 'P01BC01',
  'sulfadoxine-pyrimethamine': 'P01BD51',
  proguanil: 'P01BB01',
  'atovaquone-proguanil': 'P01BB51',
  amoxicillin: 'J01CA04',
  'amoxicillin-clavulanate': 'J01CR02',
  'ampicillin-cloxacillin': 'J01CR50',
  phenoxymethylpenicillin: 'J01CE02',
  benzylpenicillin: 'J01CE01',
  'benzathine benzylpenicillin': 'J01CE08',
  flucloxacillin: 'J01CF05',
  cefuroxime: 'J01DC02',
  ceftriaxone: 'J01DD04',
  cefixime: 'J01DD08',
  cefalexin: 'J01DB01',
  ceftazidime: 'J01DD02',
  azithromycin: 'J01FA10',
  erythromycin: 'J01FA01',
  clarithromycin: 'J01FA09',
  ciprofloxacin: 'J01MA02',
  'ciprofloxacin|eye': 'S01AE03',
  levofloxacin: 'J01MA12',
  doxycycline: 'J01AA02',
  metronidazole: 'P01AB01',
  'metronidazole|IV': 'J01XD01',
  cotrimoxazole: 'J01EE01',
  nitrofurantoin: 'J01XE01',
  gentamicin: 'J01GB03',
  'gentamicin|eye': 'S01AA11',
  clindamycin: 'J01FF01',
  vancomycin: 'J01XA01',
  meropenem: 'J01DH02',
  chloramphenicol: 'J01BA01',
  'chloramphenicol|eye': 'S01AA01',
  'tetracycline|eye': 'S01AA09',
  'rifampicin-isoniazid-pyrazinamide-ethambutol': 'J04AM06',
  isoniazid: 'J04AC01',
  'zidovudine-lamivudine': 'J05AR01',
  nevirapine: 'J05AG01',
  fluconazole: 'J02AC01',
  'clotrimazole|topical': 'D01AC01',
  'clotrimazole|vaginal': 'G01AF02',
  nystatin: 'A07AA02',
  griseofulvin: 'D01BA01',
  'ketoconazole|topical': 'D01AC08',
  terbinafine: 'D01BA02',
  albendazole: 'P02CA03',
  mebendazole: 'P02CA01',
  praziquantel: 'P02BA01',
  ivermectin: 'P02CF01',
  'permethrin|topical': 'P03AC04',
  aciclovir: 'J05AB01',
  'aciclovir|topical': 'D06BB03',
  amlodipine: 'C08CA01',
  nifedipine: 'C08CA05',
  lisinopril: 'C09AA03',
  enalapril: 'C09AA02',
  losartan: 'C09CA01',
  valsartan: 'C09CA03',
  telmisartan: 'C09CA07',
  hydrochlorothiazide: 'C03AA03',
  bendroflumethiazide: 'C03AA01',
  furosemide: 'C03CA01',
  spironolactone: 'C03DA01',
  atenolol: 'C07AB03',
  bisoprolol: 'C07AB07',
  carvedilol: 'C07AG02',
  methyldopa: 'C02AB01',
  hydralazine: 'C02DB02',
  labetalol: 'C07AG01',
  atorvastatin: 'C10AA05',
  simvastatin: 'C10AA01',
  rosuvastatin: 'C10AA07',
  clopidogrel: 'B01AC04',
  warfarin: 'B01AA03',
  enoxaparin: 'B01AB05',
  heparin: 'B01AB01',
  digoxin: 'C01AA05',
  'glyceryl trinitrate': 'C01DA02',
  'isosorbide mononitrate': 'C01DA14',
  metformin: 'A10BA02',
  glibenclamide: 'A10BB01',
  gliclazide: 'A10BB09',
  glimepiride: 'A10BB12',
  sitagliptin: 'A10BH01',
  'insulin soluble': 'A10AB01',
  'insulin isophane': 'A10AC01',
  'insulin biphasic isophane': 'A10AD01',
  'insulin glargine': 'A10AE04',
  levothyroxine: 'H03AA01',
  carbimazole: 'H03BB01',
  prednisolone: 'H02AB06',
  hydrocortisone: 'H02AB09',
  'hydrocortisone|topical': 'D07AA02',
  dexamethasone: 'H02AB02',
  omeprazole: 'A02BC01',
  esomeprazole: 'A02BC05',
  pantoprazole: 'A02BC02',
  ranitidine: 'A02BA02',
  'magnesium trisilicate': 'A02AA05',
  metoclopramide: 'A03FA01',
  ondansetron: 'A04AA01',
  promethazine: 'R06AD02',
  'hyoscine butylbromide': 'A03BB01',
  loperamide: 'A07DA03',
  'oral rehydration salts': 'A07CA',
  'zinc sulfate': 'A12CB01',
  lactulose: 'A06AD11',
  bisacodyl: 'A06AB02',
  senna: 'A06AB06',
  salbutamol: 'R03AC02',
  'salbutamol|oral': 'R03CC02',
  beclometasone: 'R03BA01',
  'budesonide-formoterol': 'R03AK07',
  ipratropium: 'R03BB01',
  aminophylline: 'R03DA05',
  montelukast: 'R03DC03',
  cetirizine: 'R06AE07',
  loratadine: 'R06AX13',
  chlorphenamine: 'R06AB04',
  carbocisteine: 'R05CB03',
  ambroxol: 'R05CB06',
  'ferrous sulfate': 'B03AA07',
  'ferrous fumarate': 'B03AA02',
  'folic acid': 'B03BB01',
  'ascorbic acid': 'A11GA01',
  'calcium carbonate': 'A12AA04',
  hydroxycarbamide: 'L01XX05',
  phytomenadione: 'B02BA01',
  diazepam: 'N05BA01',
  phenobarbital: 'N03AA02',
  phenytoin: 'N03AB02',
  carbamazepine: 'N03AF01',
  'sodium valproate': 'N03AG01',
  levetiracetam: 'N03AX14',
  amitriptyline: 'N06AA09',
  fluoxetine: 'N06AB03',
  sertraline: 'N06AB06',
  haloperidol: 'N05AD01',
  olanzapine: 'N05AH03',
  risperidone: 'N05AX08',
  chlorpromazine: 'N05AA01',
  oxytocin: 'H01BB02',
  misoprostol: 'A02BB01',
  ergometrine: 'G02AB03',
  'tranexamic acid': 'B02AA02',
  'betamethasone|topical': 'D07AC01',
  'silver sulfadiazine|topical': 'D06BA01',
  'mupirocin|topical': 'D06AX09',
  'timolol|eye': 'S01ED01',
  lidocaine: 'N01BB02',
  ketamine: 'N01AX03',
  propofol: 'N01AX10',
  allopurinol: 'M04AA01',
  colchicine: 'M04AC01',
  tamsulosin: 'G04CA02',
  finasteride: 'G04CB01',
  sildenafil: 'G04BE03',
  'ethinylestradiol-levonorgestrel': 'G03AA07',
  'tetanus toxoid': 'J07AM01',
  'rabies vaccine': 'J07BG01',
  'hepatitis B vaccine': 'J07BC01',
  'snake venom antiserum': 'J06AA03',
};
/** Aspirin: an antiplatelet at 75 mg, an analgesic at 300 mg. */
function atcCodesOf(generic: string, route: string, strength: string): string {
  if (generic === 'aspirin') return strength === '75 mg' ? 'B01AC06' : 'N02BA01';
  return (
    ATC_CODES[`${generic}|${route}`] ?? (route === 'topical' || route === 'eye' || route === 'vaginal' ? '' : (ATC_CODES[generic] ?? ''))
  );
}

export interface DrugSpec {
  name: string;
  genericName: string;
  brand: string | null;
  formulation: string;
  route: string;
  strength: string;
  /** Comma-separated, as stored; '' unclassified. */
  atcCodes: string;
}
export const DRUG_SPECS: DrugSpec[] = DRUG_TABLE.trim()
  .split('\n')
  .flatMap((line) => {
    const [generic, brand, formulation, route, strengths] = line.split(';') as [string, string, string, string, string];
    return strengths.split('|').map((strength) => ({
      name: generic.charAt(0).toUpperCase() + generic.slice(1),
      genericName: generic,
      brand: brand || null,
      formulation,
      route,
      strength,
      atcCodes: atcCodesOf(generic, route, strength),
    }));
  });

/**
 * Makers of generics a hospital formulary lists besides the originator brand: a formulary larger than the catalogue
 * (--drugs) repeats each catalogue entry under the next maker, as one product per maker and strength.
 */
const MANUFACTURERS = list(`Emzor, Fidson, May and Baker, Swipha, Juhel, Drugfield, Evans, Neimeth, Cipla, Sun Pharma,
  Dr Reddys, Aurobindo, Lupin, Zydus, Glenmark, Micro Labs, Strides, Teva, Sandoz, Mylan, Hikma, Kinapharma, Ernest Chemists,
  Cosmos, Dawa, Universal, Shelys, Aspen, Adcock Ingram, Macleods`);

/** Formulary item i: the catalogue entry, then the same entries again under each maker in turn. */
export function formularySpec(i: number): DrugSpec {
  const spec = DRUG_SPECS[i % DRUG_SPECS.length]!;
  const round = Math.floor(i / DRUG_SPECS.length);
  if (round === 0) return spec;
  // Rotated by entry, so the first extra round is not one maker's whole catalogue.
  const k = round - 1 + (i % DRUG_SPECS.length);
  const maker = MANUFACTURERS[k % MANUFACTURERS.length]!;
  const again = Math.floor((round - 1) / MANUFACTURERS.length);
  return { ...spec, brand: again ? `${maker} ${again + 1}` : maker };
}
/** The allergies (bits of ALLERGIES) a drug matches by the prescribing check's rule (shared/, by class and by name). */
export function allergyMaskOf(drug: DrugNames): number {
  let mask = 0;
  ALLERGIES.forEach((allergy, i) => {
    if (checkAllergies(drug, [allergy]).match) mask |= 1 << i;
  });
  return mask;
}

assertTsvSafe([...DRUG_SPECS.flatMap((d) => [d.name, d.brand ?? '', d.formulation, d.route, d.strength]), ...MANUFACTURERS]);
