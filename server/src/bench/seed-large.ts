/**
 * Large-data generator for benchmarks:
 *
 *   npx tsx server/src/bench/seed-large.ts --patients N [--database-url URL] [--seed S]
 *
 * Fills a database with N patients and a realistic spread of clinical records, ~680 staff of every role (the five
 * demo accounts among them, password HMIS_DEMO_PASSWORD), a ~300-drug catalogue, and one "heavy" patient (MRN
 * BENCH-HEAVY-1) with 5,000 clinical records. Database: --database-url, else DATABASE_URL, else `hmis_large` on the
 * private instance.
 *
 * How it is fast: rows are generated as TSV and streamed into `LOAD DATA LOCAL INFILE` (multi-row INSERTs when the
 * server does not allow it), with explicit ids allocated per table, children written with their parents' ids and
 * every table in primary-key order, foreign-key and unique checks off for the load session. Nothing goes through
 * the services: they audit every row, and the issue asks for one audit row per run.
 *
 * Two connections load different tables at once (biggest first), and on a fresh database every table is loaded
 * into an empty table, which MariaDB does in bulk (indexes built sorted, table-level undo). InnoDB's automatic
 * statistics recalculation is off for the loaded tables while loading (it doubled the server's CPU), then ANALYZE.
 * One run per database at a time (a named lock).
 *
 * How it is safe to re-run: patients are generated in chunks (default 1,000,000, i.e. one chunk for most runs); each
 * table of a chunk is one transaction together with its kept count (`record_counts`) and its bit in the progress
 * row of `seed_progress` (a bench-only table, not in the schema). An interrupted run loses at most the tables being
 * loaded (the server rolls them back) and the next run loads what is missing, with the same data: a chunk's data
 * depends only on the seed, its first patient id and its size. A finished run is a no-op; a larger N adds patients.
 * A database that holds anything this tool did not create is refused, unless it is empty.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { drizzle } from 'drizzle-orm/mysql2';
import { checkAllergies, DEFAULT_JOB_TITLE, STAT_KINDS, type DrugNames, type Role, type StatKind } from '@hmis/shared';
import { hashPassword } from '../auth/passwords';
import { systemClock } from '../clock';
import { connect, createDatabaseIfMissing, migrateDatabase, splitDatabaseUrl, type Db } from '../db/client';
import { NoDatabaseError } from '../db/local-instance';
import { resolveDatabaseUrl } from '../db/resolve';
import * as schema from '../db/schema';
import { DEMO_USERNAMES } from '../demo-data';
import { readEnv } from '../env';
import { audit } from '../services/audit';
import { bumpCount } from '../services/counts';

// ---------------------------------------------------------------------------------------------------------------
// Public interface
// ---------------------------------------------------------------------------------------------------------------

export const HEAVY_PATIENT_MRN = 'BENCH-HEAVY-1';
/** Clinical records of the heavy patient: consultations, vitals, nurse notes (5,000 in all). */
export const HEAVY_PATIENT_RECORDS = { consultations: 1_500, vitals: 3_000, nurseNotes: 500 } as const;
export const STAFF_PER_ROLE = { doctor: 200, nurse: 400, pharmacist: 40, recordofficer: 40 } as const;

export interface SeedLargeOptions {
  /** mysql://user:password@host:port/database; created if missing, migrated. */
  databaseUrl: string;
  patients: number;
  /** PRNG seed; default 42. A database remembers its seed: resuming with another one is refused. */
  seed?: number;
  /** Password of every generated account (the demo accounts and the generated staff). */
  demoPassword: string;
  /**
   * Patients per chunk; default 1,000,000. Each table of a chunk is one transaction: on a fresh database the whole
   * run is one chunk, so every table is loaded into an empty table (MariaDB's bulk path, measured ~25% less CPU).
   */
  chunkPatients?: number;
  /** Connections loading tables at once; default 2. */
  parallel?: number;
  /** Force multi-row INSERTs instead of LOAD DATA LOCAL INFILE. */
  useInserts?: boolean;
  /** Messages and the progress bar; default process.stderr. `null`: silent. */
  output?: NodeJS.WritableStream | null;
  /** The "now" that timestamps are spread back from (ms); default the time of the first run. For tests. */
  nowMs?: number;
  /** Called before each table of a chunk commits (tests throw here to simulate an interrupted run). */
  beforeTableCommit?: (at: { table: ClinicalTable; firstPatientId: number }) => void | Promise<void>;
}

export type TableName =
  | 'staff' | 'drugs' | 'patients' | 'consultations' | 'prescriptions' | 'prescription_drugs' | 'vitals' | 'nurse_notes';

export interface SeedLargeResult {
  /** `seeded`: this run loaded data (fresh, resumed or extended); `already-seeded`: nothing to do. */
  status: 'seeded' | 'already-seeded';
  patientsTotal: number;
  /** Rows this run wrote, per table. */
  rows: Record<TableName, number>;
  heavyPatientId: number;
  seed: number;
  ms: number;
  method: 'load-data' | 'insert';
}

/** The database holds data this tool did not create. */
export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedRefusedError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness and fast formatting
// ---------------------------------------------------------------------------------------------------------------

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers (each < 2^53) into a 32-bit seed, so every (seed, chunk, table) gets its own stream. */
function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    for (const word of [p >>> 0, Math.floor(p / 4294967296) >>> 0]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
/** Approximately standard normal (sum of three uniforms): cheap, bounded at ±3. */
const normal = (r: Rng) => (r() + r() + r() - 1.5) * 2;
const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** Picks by weight: `weighted([['a', 3], ['b', 1]])` returns a picker. */
function weighted<T>(entries: readonly (readonly [T, number])[]): (r: Rng) => T {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  const cumulative = entries.map(([v], i) => [v, entries.slice(0, i + 1).reduce((s, [, w]) => s + w, 0) / total] as const);
  return (r) => {
    const x = r();
    for (const [v, c] of cumulative) if (x < c) return v;
    return cumulative[cumulative.length - 1]![0];
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;
const NULL = '\\N';

const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayCache = new Map<number, string>();
/** Days since 1970-01-01 → 'YYYY-MM-DD' (cached: a run touches a few thousand distinct days). */
function dayStr(day: number): string {
  let s = dayCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY).toISOString().slice(0, 10);
    dayCache.set(day, s);
  }
  return s;
}
/** ms since the epoch → 'YYYY-MM-DD HH:MM:SS.mmm' (UTC), the DATETIME(3) literal. */
function ts(ms: number): string {
  const t = Math.floor(ms);
  const day = Math.floor(t / DAY);
  let rest = t - day * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const s = Math.floor(rest / 1000);
  return `${dayStr(day)} ${P2[h]}:${P2[m]}:${P2[s]}.${P3[rest - s * 1000]}`;
}
const tenths = (v: number) => {
  const t = Math.round(v * 10);
  return `${Math.floor(t / 10)}.${t % 10}`;
};
const digits = (r: Rng, n: number) => String(Math.floor(r() * 10 ** n)).padStart(n, '0');
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------------------------

interface Region {
  male: string[];
  female: string[];
  surnames: string[];
  streets: string[];
  cities: string[];
  phone: (r: Rng) => string;
}

const REGIONS: Record<'ng' | 'ke' | 'gh' | 'uk' | 'in' | 'za', Region> = {
  ng: {
    male: list(`Chidi, Emeka, Obinna, Chukwuemeka, Ikenna, Nnamdi, Uchenna, Kelechi, Chinedu, Ifeanyi, Tochukwu,
      Okechukwu, Babatunde, Oluwaseun, Adebayo, Olumide, Segun, Tunde, Kayode, Femi, Rotimi, Ayodele, Gbenga, Adewale,
      Olawale, Yusuf, Ibrahim, Abubakar, Musa, Aliyu, Sani, Umar, Bashir, Kabiru, Suleiman, Usman, Abdullahi, Garba,
      Emmanuel, Samuel, Daniel, David, Joseph, Peter, Michael, Godwin, Sunday, Friday, Innocent, Efosa, Osagie, Ekene,
      Chibuike, Somtochukwu, Oluwafemi, Ayomide, Tobiloba, Chijioke, Ebuka, Nonso, Uche, Victor, Felix, Kingsley`),
    female: list(`Ngozi, Chiamaka, Adaeze, Nkechi, Chioma, Ifeoma, Obioma, Amarachi, Chinwe, Uchechi, Oluwakemi,
      Funmilayo, Folake, Yetunde, Bukola, Titilayo, Abimbola, Adenike, Omolara, Temitope, Aisha, Fatima, Zainab,
      Hadiza, Amina, Hauwa, Maryam, Halima, Rukayat, Khadija, Blessing, Patience, Grace, Mercy, Joy, Peace, Esther,
      Deborah, Ruth, Comfort, Gift, Precious, Favour, Ebere, Ijeoma, Nneka, Oyinkansola, Damilola, Tolulope, Eniola,
      Osaretin, Efe, Chidinma, Adanna, Kemi, Bisola, Jumoke, Asabe, Ladi, Hafsat`),
    surnames: list(`Okafor, Okonkwo, Eze, Nwosu, Obi, Okeke, Nwachukwu, Ezeh, Chukwu, Ugwu, Anyanwu, Nwankwo, Okoro,
      Agu, Ibe, Onuoha, Uzoma, Ogbonna, Adeyemi, Adebayo, Ogunleye, Oladipo, Olawale, Ogundipe, Adeleke, Bakare,
      Balogun, Akinola, Afolabi, Ajayi, Oyewole, Fashola, Salami, Adesina, Olatunji, Ogunbiyi, Bello, Abubakar,
      Mohammed, Ibrahim, Yusuf, Usman, Lawal, Sani, Danjuma, Garba, Aliyu, Musa, Abdullahi, Suleiman, Idris, Shehu,
      Dikko, Osagie, Igbinedion, Omoregie, Ekpo, Etim, Bassey, Effiong, Akpan, Okon, Udo, Ita, Ogbu, Nnaji, Okwuosa,
      Oyibo, Odia, Ezeilo, Obiora, Onwuka, Iwu, Madu, Nwafor, Olaniyan, Oyebanji, Adekunle, Babangida, Tukur`),
    streets: list(`Adeola Odeku Street, Allen Avenue, Awolowo Road, Herbert Macaulay Way, Ahmadu Bello Way, Ogui Road,
      Zik Avenue, Aba Road, Ikwerre Road, Murtala Mohammed Way, Agege Motor Road, Bode Thomas Street, Opebi Road,
      Airport Road, Hospital Road, Market Road, Station Road, Church Street, Mission Road, Old Ife Road`),
    cities: list(`Ikeja, Surulere, Yaba, Lekki, Ibadan, Abeokuta, Enugu, Onitsha, Owerri, Port Harcourt, Benin City,
      Abuja, Kaduna, Kano, Jos, Ilorin, Calabar, Uyo, Aba, Warri`),
    phone: (r) => `+234${pick(r, ['803', '806', '813', '816', '703', '706', '802', '808', '812', '701', '805', '807', '815', '905', '909', '810', '814', '903', '906', '901'])}${digits(r, 7)}`,
  },
  ke: {
    male: list(`James, John, Peter, Joseph, Samuel, David, Daniel, Brian, Kevin, Dennis, Collins, Victor, Evans, Felix,
      Kipchoge, Kiprop, Kipkemboi, Kibet, Kiplagat, Cheruiyot, Mwangi, Kamau, Njoroge, Kariuki, Wafula, Wekesa, Barasa,
      Ouma, Odhiambo, Onyango, Ochieng, Omondi, Juma, Hassan, Abdi, Mohamed, Baraka, Amani, Jabari, Tumaini, Eliud,
      Geoffrey, Moses, Wilson, Stephen, Patrick`),
    female: list(`Wanjiru, Wambui, Njeri, Nyambura, Wairimu, Wanjiku, Muthoni, Akinyi, Achieng, Atieno, Adhiambo,
      Awino, Anyango, Chebet, Jepkosgei, Jepchirchir, Chepkoech, Jeruto, Nafula, Nekesa, Naliaka, Mwende, Mutheu,
      Ndinda, Kavata, Zawadi, Neema, Imani, Faith, Mercy, Grace, Esther, Lucy, Mary, Caroline, Cynthia, Beatrice,
      Winnie, Purity, Sharon, Diana, Eunice, Janet, Lilian`),
    surnames: list(`Otieno, Odhiambo, Onyango, Ochieng, Omondi, Owino, Okoth, Ouma, Oduor, Kamau, Mwangi, Njoroge,
      Kariuki, Waweru, Githinji, Maina, Ngugi, Kimani, Muriuki, Macharia, Mutua, Musyoka, Kilonzo, Mwendwa, Wambua,
      Muthama, Kiprono, Kipchumba, Rotich, Koech, Cheruiyot, Kosgei, Korir, Langat, Mutai, Wafula, Wekesa, Barasa,
      Simiyu, Wanyama, Juma, Hassan, Abdi, Ali, Nyaga, Njagi, Gitau, Kinyua, Chege, Kiplagat`),
    streets: list(`Moi Avenue, Kenyatta Avenue, Ngong Road, Thika Road, Jogoo Road, Mombasa Road, Oginga Odinga Street,
      Kakamega Road, Langata Road, Waiyaki Way, Haile Selassie Avenue, Kimathi Street`),
    cities: list('Nairobi, Mombasa, Kisumu, Nakuru, Eldoret, Thika, Machakos, Nyeri, Kakamega, Kericho'),
    phone: (r) => `+254${pick(r, ['70', '71', '72', '79', '11', '74'])}${digits(r, 7)}`,
  },
  gh: {
    male: list(`Kwame, Kofi, Kwabena, Kwaku, Yaw, Kwesi, Kojo, Kwadwo, Fiifi, Ebo, Nii, Kpakpo, Kweku, Emmanuel,
      Ebenezer, Isaac, Prince, Richard, Francis, Samuel, Stephen, Nana, Kobby, Edem, Selorm, Elikem, Mawuli, Delali,
      Bernard, Eric, Godfred, Solomon, Michael, Augustine`),
    female: list(`Ama, Akua, Abena, Afua, Yaa, Efua, Adwoa, Akosua, Afia, Esi, Araba, Adjoa, Naa, Dede, Aku, Akos,
      Abla, Dzifa, Enyonam, Esinam, Sena, Elorm, Mawusi, Ewurabena, Maame, Gifty, Comfort, Joyce, Vida, Mabel,
      Priscilla, Philomena, Millicent, Rita, Doris, Janet, Felicia, Gloria`),
    surnames: list(`Mensah, Asante, Owusu, Boateng, Osei, Agyeman, Appiah, Amoah, Acheampong, Ansah, Asamoah, Badu,
      Bonsu, Darko, Donkor, Frimpong, Gyamfi, Kuffour, Kwarteng, Nkrumah, Ofori, Opoku, Quaye, Sarpong, Tetteh, Yeboah,
      Addo, Adjei, Amankwah, Annan, Antwi, Baah, Danquah, Fosu, Gyasi, Kyei, Nyarko, Obeng, Ocran, Quartey, Sackey,
      Lamptey, Nortey, Tagoe, Armah, Mills, Hammond, Aidoo, Quansah, Agbeko, Kpodo, Gbeho`),
    streets: list(`Oxford Street, Liberation Road, Independence Avenue, Ring Road Central, Spintex Road, Kojo Thompson Road,
      Harper Road, Prempeh II Street, Kanda Highway, Castle Road`),
    cities: list('Osu Accra, Madina Accra, Tema, Kumasi, Takoradi, Cape Coast, Tamale, Ho, Koforidua, Sunyani'),
    phone: (r) => `+233${pick(r, ['24', '54', '55', '20', '50', '26', '27', '57'])}${digits(r, 7)}`,
  },
  uk: {
    male: list(`Oliver, George, Harry, Jack, Jacob, Noah, Charlie, Thomas, Oscar, William, James, Henry, Leo, Alfie,
      Joshua, Freddie, Archie, Ethan, Isaac, Alexander, Joseph, Edward, Samuel, Max, Daniel, Arthur, Lucas, Logan,
      Theo, Harrison, Benjamin, Mason, Sebastian, Finley, Adam, Dylan, Zachary, Riley, Teddy, Michael, David, Peter,
      Paul, Andrew, Richard, Stephen, Christopher, Robert, John`),
    female: list(`Olivia, Amelia, Isla, Ava, Emily, Isabella, Mia, Poppy, Ella, Lily, Sophia, Grace, Evie, Scarlett,
      Ruby, Chloe, Isabelle, Daisy, Freya, Phoebe, Florence, Alice, Jessica, Sienna, Charlotte, Matilda, Evelyn, Eva,
      Millie, Sofia, Lucy, Elsie, Imogen, Layla, Rosie, Maya, Esme, Elizabeth, Sarah, Emma, Hannah, Rebecca, Laura,
      Rachel, Helen, Susan, Margaret, Patricia, Jennifer, Catherine`),
    surnames: list(`Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson,
      Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke, Jackson, Wood, Turner,
      Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King, Baker, Harrison, Morgan, Allen, James, Scott,
      Phillips, Watson, Davis, Parker, Price, Bennett, Young, Griffiths, Mitchell, Kelly, Cook, Carter, Richardson,
      Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox, Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams,
      O'Brien, O'Connor, Van Dyke`),
    streets: list(`High Street, Station Road, Church Lane, Victoria Road, Park Avenue, Queens Road, Mill Lane, London Road,
      Manor Road, Kings Road, Green Lane, The Crescent`),
    cities: list('London, Manchester, Birmingham, Leeds, Bristol, Leicester, Nottingham, Sheffield, Liverpool, Reading'),
    phone: (r) => `+447${pick(r, ['7', '8', '9', '4', '5'])}${digits(r, 8)}`,
  },
  in: {
    male: list(`Aarav, Vivaan, Aditya, Vihaan, Arjun, Sai, Reyansh, Ayaan, Krishna, Ishaan, Rohan, Rahul, Amit, Sanjay,
      Vikram, Rajesh, Suresh, Ramesh, Anil, Sunil, Manoj, Deepak, Arun, Vijay, Ravi, Karthik, Pranav, Nikhil,
      Siddharth, Harish, Ganesh, Prakash, Naveen, Ashok, Mahesh, Dinesh, Gaurav, Abhishek, Ankit, Varun, Kunal,
      Aniket, Yash, Dev, Tarun, Harsh, Rohit, Manish, Rakesh`),
    female: list(`Aadhya, Ananya, Diya, Saanvi, Pari, Anika, Navya, Myra, Sara, Aarohi, Priya, Pooja, Neha, Anjali,
      Kavya, Divya, Shreya, Sneha, Lakshmi, Meera, Radha, Sita, Geeta, Sunita, Anita, Kavita, Rekha, Asha, Usha, Nisha,
      Swati, Deepa, Shalini, Preeti, Ritu, Sonal, Nandini, Aishwarya, Ishita, Riya, Tanvi, Madhuri, Pallavi, Jyoti,
      Manju, Rani, Shanti, Savita, Vandana`),
    surnames: list(`Sharma, Verma, Gupta, Singh, Kumar, Patel, Shah, Mehta, Joshi, Desai, Reddy, Rao, Naidu, Nair,
      Menon, Pillai, Iyer, Krishnan, Subramanian, Chatterjee, Banerjee, Mukherjee, Das, Bose, Ghosh, Sen, Dutta,
      Chakraborty, Mishra, Pandey, Tiwari, Dubey, Srivastava, Yadav, Chauhan, Rathore, Thakur, Kapoor, Malhotra,
      Khanna, Chopra, Bhatia, Sethi, Agarwal, Jain, Bansal, Goyal, Mittal, Saxena, Kulkarni, Deshpande, Patil,
      Jadhav, Shinde, Pawar, Gowda, Hegde, Shetty, Kamath, Bhat`),
    streets: list(`MG Road, Nehru Nagar, Gandhi Road, Station Road, Anna Salai, Park Street, Linking Road, Brigade Road,
      Residency Road, Civil Lines`),
    cities: list('Mumbai, Delhi, Bengaluru, Chennai, Hyderabad, Kolkata, Pune, Ahmedabad, Jaipur, Lucknow'),
    phone: (r) => `+91${pick(r, ['98', '99', '97', '90', '88', '70', '81', '63'])}${digits(r, 8)}`,
  },
  za: {
    male: list(`Sipho, Thabo, Mandla, Themba, Bongani, Sibusiso, Lwazi, Lungelo, Siyabonga, Kagiso, Tshepo, Tebogo,
      Katlego, Karabo, Mpho, Neo, Lebohang, Thulani, Musa, Jabulani, Sizwe, Vusi, Andile, Xolani, Mthunzi, Kabelo,
      Lesego, Pieter, Johan, Willem, Hendrik, Jacobus, Francois, Riaan, Ruan, Dewald, Liam, Luke, Ryan, Jason, Nathan,
      Ntokozo`),
    female: list(`Nomvula, Thandiwe, Zanele, Nokuthula, Lindiwe, Nompumelelo, Busisiwe, Thandeka, Ntombi, Zodwa,
      Lerato, Palesa, Dineo, Boitumelo, Refilwe, Kgomotso, Naledi, Nthabiseng, Lesedi, Amahle, Minenhle, Sibongile,
      Khanyisile, Anele, Ayanda, Andiswa, Annelie, Marietjie, Elna, Riana, Chantelle, Liezl, Anke, Carla, Nadine,
      Megan, Kayla, Nicole, Tarryn, Lauren`),
    surnames: list(`Dlamini, Nkosi, Ndlovu, Khumalo, Mahlangu, Mokoena, Mofokeng, Sithole, Mkhize, Zulu, Ngcobo,
      Buthelezi, Mthembu, Shabalala, Zungu, Cele, Gumede, Nxumalo, Hadebe, Masilela, Molefe, Mokwena, Maseko,
      Tshabalala, Radebe, Mabaso, Naidoo, Pillay, Govender, Moodley, Botha, Van der Merwe, Venter, Nel, Pretorius,
      Du Plessis, Smit, Coetzee, Fourie, Jacobs, Kruger, Steyn, Swanepoel, Le Roux, Joubert, Marais, Erasmus,
      Petersen`),
    streets: list(`Jan Smuts Avenue, Main Road, Long Street, Voortrekker Road, Church Street, Oxford Road, Florida Road,
      Beach Road, Louis Botha Avenue, Nelson Mandela Drive`),
    cities: list('Johannesburg, Soweto, Pretoria, Durban, Cape Town, Gqeberha, Bloemfontein, Polokwane, East London, Pietermaritzburg'),
    phone: (r) => `+27${pick(r, ['82', '83', '84', '72', '73', '76', '79', '61'])}${digits(r, 7)}`,
  },
};
const pickRegion = weighted<Region>([
  [REGIONS.ng, 45], [REGIONS.ke, 13], [REGIONS.gh, 12], [REGIONS.uk, 10], [REGIONS.in, 10], [REGIONS.za, 10],
]);

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example'];
/** At most 16 (a bit mask per patient). Weighted: penicillin and sulfa are the common ones. */
const ALLERGIES = [
  'penicillin', 'sulfa', 'latex', 'aspirin', 'ibuprofen', 'codeine', 'chloroquine', 'cotrimoxazole',
  'metronidazole', 'peanuts', 'shellfish', 'eggs', 'iodine contrast', 'bee stings', 'tramadol', 'ciprofloxacin',
] as const;
const pickAllergy = weighted(ALLERGIES.map((a, i) => [i, i === 0 ? 30 : i === 1 ? 15 : i < 6 ? 8 : 4] as const));

const COMPLAINTS = list(`fever, headache, cough, abdominal pain, vomiting, diarrhoea, chest pain, difficulty in breathing,
  body weakness, joint pains, dizziness, palpitations, painful urination, frequent urination, lower back pain,
  skin rash, itching, sore throat, catarrh, loss of appetite, weight loss, swelling of both legs, blurred vision,
  ear discharge, eye redness, vaginal discharge, lower abdominal pain, painful menses, bleeding per vagina in pregnancy,
  reduced fetal movements, convulsions, yellowness of the eyes, passage of dark urine, constipation, heartburn,
  excessive thirst, numbness of the feet, generalised body pains, insomnia, anxiety, wound on the leg, burn injury,
  road traffic injury, dog bite, snake bite`);
const DURATIONS = ['1 day', '2 days', '3 days', '4 days', '5 days', '1 week', '2 weeks', '3 weeks', '1 month', '2 months', '6 months'];
const HPC_ONSET = [
  'Onset was sudden', 'Onset was gradual', 'Started insidiously', 'Began after a meal', 'Began at night',
  'Started after a long journey', 'Noticed on waking',
];
const HPC_COURSE = [
  'associated with chills and rigors', 'associated with nausea but no vomiting', 'worse at night',
  'relieved by rest', 'aggravated by exertion', 'not associated with fever', 'associated with loss of appetite',
  'progressively worsening', 'intermittent in nature', 'associated with generalised weakness',
];
const HPC_TREATMENT = [
  'Took paracetamol at home with minimal relief', 'No medication taken before presentation',
  'Took herbal remedies without improvement', 'Bought antimalarials from a patent medicine store',
  'Was treated at a private clinic last week', 'Has not been compliant with medications',
];
const PMH = [
  'Known hypertensive for 5 years on amlodipine', 'Known diabetic on metformin', 'Not a known hypertensive or diabetic',
  'Asthmatic since childhood', 'Sickle cell disease (HbSS) with frequent crises', 'No significant past medical history',
  'Previous admission for severe malaria', 'Had appendicectomy in 2015', 'Peptic ulcer disease, on and off omeprazole',
  'Treated for pulmonary tuberculosis in 2018, completed treatment', 'Living with HIV, on TLD, adherent',
  'Previous blood transfusion in 2019', 'Known epileptic on carbamazepine', 'Hypertensive and diabetic, poorly controlled',
];
const POH = [
  'G2P2, both by spontaneous vaginal delivery, alive and well', 'G3P2+1, one first-trimester miscarriage',
  'Primigravida at 28 weeks', 'G4P3+1, last delivery by caesarean section', 'Nulliparous', 'G5P5, all alive',
  'G2P1, currently 34 weeks pregnant', 'G1P0 at 12 weeks',
];
const PGH = [
  'LMP 2 weeks ago, regular 28-day cycles', 'Menopausal since the age of 50', 'Irregular cycles for 6 months',
  'Menorrhagia for 1 year', 'Uses injectable contraception', 'Dysmenorrhoea since menarche', 'No abnormal vaginal bleeding',
];
const pickDiagnosis = weighted<string>([
  ['Uncomplicated malaria', 20], ['Severe malaria', 3], ['Typhoid fever', 5], ['Upper respiratory tract infection', 10],
  ['Community-acquired pneumonia', 4], ['Acute gastroenteritis', 6], ['Urinary tract infection', 6],
  ['Essential hypertension', 8], ['Type 2 diabetes mellitus', 5], ['Peptic ulcer disease', 4], ['Acute otitis media', 2],
  ['Allergic conjunctivitis', 2], ['Bronchial asthma, acute exacerbation', 2], ['Sickle cell crisis', 2],
  ['Osteoarthritis of the knee', 3], ['Mechanical low back pain', 3], ['Tension headache', 2], ['Migraine', 1],
  ['Tinea corporis', 2], ['Scabies', 1], ['Pelvic inflammatory disease', 2], ['Threatened miscarriage', 1],
  ['Pre-eclampsia', 1], ['Iron deficiency anaemia', 2], ['Heart failure', 1], ['Cellulitis of the leg', 1],
  ['Pulmonary tuberculosis', 1], ['Generalised anxiety disorder', 1], ['Benign prostatic hyperplasia', 1],
  ['Acute tonsillitis', 2], ['Dyspepsia', 2], ['Soft tissue injury', 2], ['Dog bite, category III exposure', 0.5],
]);
const INVESTIGATIONS = [
  'FBC and malaria parasite test', 'Urinalysis and urine microscopy', 'Fasting blood sugar and HbA1c',
  'Electrolytes, urea and creatinine', 'Chest X-ray', 'Widal test and blood culture', 'Abdominal ultrasound scan',
  'Lipid profile', 'ECG', 'Sputum for GeneXpert', 'Pregnancy test', 'Stool microscopy', 'No investigations needed',
];
const TREATMENTS = [
  'start oral antimalarials', 'start antibiotics', 'analgesics as needed', 'continue antihypertensives',
  'adjust the dose of metformin', 'oral rehydration and zinc', 'admit for IV artesunate', 'admit for IV fluids and antibiotics',
  'proton pump inhibitor for 4 weeks', 'counsel on diet and exercise', 'wound dressing and tetanus toxoid',
  'refer to the physiotherapist', 'antihistamines', 'start antenatal care and haematinics',
];
const FOLLOW_UPS = [
  'review in 1 week', 'review in 2 weeks', 'review with results', 'return if symptoms persist', 'review in the clinic in 1 month',
  'refer to the specialist clinic', 'follow up in 3 months',
];
const NOTE_OPENERS = [
  'Patient received in the ward.', 'Patient seen on the ward round.', 'Night shift report:', 'Morning report:',
  'Patient reviewed at the nursing station.', 'Handover:', 'Patient attended the clinic.', 'Patient is conscious and alert.',
];
const NOTE_BODIES = [
  'Vital signs checked and recorded.', 'Medications served as prescribed.', 'IV fluids running well, cannula site clean.',
  'Patient slept well through the night.', 'Complains of mild pain, analgesic given.', 'Wound dressed, no discharge seen.',
  'Tolerating oral feeds.', 'Ambulating with support.', 'Temperature spiked to 38.6, doctor informed and tepid sponging done.',
  'Blood sample taken for FBC and sent to the lab.', 'Fluid intake and output charted.', 'Blood sugar checked before meals.',
  'Patient and relatives counselled on the care plan.', 'Catheter in situ, draining clear urine.',
  'Pressure areas checked, turned two-hourly.', 'Oxygen via nasal prongs at 2 L/min.',
];
const NOTE_CLOSERS = [
  'Condition stable.', 'Will continue to monitor.', 'Doctor to review.', 'Awaiting lab results.',
  'Patient comfortable at the moment.', 'Discharged home with drugs and a clinic appointment.', 'Relatives around.',
];
const RX_NOTES = [
  'Take after meals.', 'Complete the full course.', 'Review if no improvement in 48 hours.', 'Counselled on adherence.',
  'Avoid alcohol.', 'Patient to bring back the empty packs.',
];

const JOB_TITLES: Record<Role, string[]> = {
  admin: ['Admin', 'Systems Administrator'],
  doctor: ['Medical Officer', 'House Officer', 'Registrar', 'Senior Registrar', 'Consultant Physician',
    'Consultant Paediatrician', 'Consultant Obstetrician', 'Consultant Surgeon', 'Family Physician'],
  nurse: ['Staff Nurse', 'Nursing Officer', 'Senior Nursing Officer', 'Midwife', 'Chief Nursing Officer', 'Nurse'],
  pharmacist: ['Pharmacist', 'Senior Pharmacist', 'Chief Pharmacist', 'Pharmacy Technician'],
  recordofficer: ['Record Officer', 'Senior Record Officer', 'Health Information Officer', 'Medical Records Clerk'],
};

/** The demo accounts, as server/src/demo-data.ts creates them (same usernames, people and e-mail addresses). */
const DEMO_PEOPLE: Record<Role, [string, string, 'Male' | 'Female']> = {
  admin: ['Ada', 'Okafor', 'Female'],
  doctor: ['Kwame', 'Mensah', 'Male'],
  nurse: ['Grace', 'Njeri', 'Female'],
  pharmacist: ['Tunde', 'Bello', 'Male'],
  recordofficer: ['Amina', 'Yusuf', 'Female'],
};

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
  paracetamol: 'N02BE01', ibuprofen: 'M01AE01', diclofenac: 'M01AB05', 'diclofenac|topical': 'M02AA15', naproxen: 'M01AE02',
  tramadol: 'N02AX02', morphine: 'N02AA01', pentazocine: 'N02AD01', ketorolac: 'M01AB15', celecoxib: 'M01AH01',
  'artemether-lumefantrine': 'P01BF01', artesunate: 'P01BE03', 'artesunate-amodiaquine': 'P01BF03',
  'dihydroartemisinin-piperaquine': 'P01BF05', quinine: 'P01BC01', 'sulfadoxine-pyrimethamine': 'P01BD51', proguanil: 'P01BB01',
  'atovaquone-proguanil': 'P01BB51', amoxicillin: 'J01CA04', 'amoxicillin-clavulanate': 'J01CR02', 'ampicillin-cloxacillin': 'J01CR50',
  phenoxymethylpenicillin: 'J01CE02', benzylpenicillin: 'J01CE01', 'benzathine benzylpenicillin': 'J01CE08', flucloxacillin: 'J01CF05',
  cefuroxime: 'J01DC02', ceftriaxone: 'J01DD04', cefixime: 'J01DD08', cefalexin: 'J01DB01', ceftazidime: 'J01DD02',
  azithromycin: 'J01FA10', erythromycin: 'J01FA01', clarithromycin: 'J01FA09', ciprofloxacin: 'J01MA02', 'ciprofloxacin|eye': 'S01AE03',
  levofloxacin: 'J01MA12', doxycycline: 'J01AA02', metronidazole: 'P01AB01', 'metronidazole|IV': 'J01XD01', cotrimoxazole: 'J01EE01',
  nitrofurantoin: 'J01XE01', gentamicin: 'J01GB03', 'gentamicin|eye': 'S01AA11', clindamycin: 'J01FF01', vancomycin: 'J01XA01',
  meropenem: 'J01DH02', chloramphenicol: 'J01BA01', 'chloramphenicol|eye': 'S01AA01', 'tetracycline|eye': 'S01AA09',
  'rifampicin-isoniazid-pyrazinamide-ethambutol': 'J04AM06', isoniazid: 'J04AC01', 'zidovudine-lamivudine': 'J05AR01',
  nevirapine: 'J05AG01', fluconazole: 'J02AC01', 'clotrimazole|topical': 'D01AC01', 'clotrimazole|vaginal': 'G01AF02',
  nystatin: 'A07AA02', griseofulvin: 'D01BA01', 'ketoconazole|topical': 'D01AC08', terbinafine: 'D01BA02', albendazole: 'P02CA03',
  mebendazole: 'P02CA01', praziquantel: 'P02BA01', ivermectin: 'P02CF01', 'permethrin|topical': 'P03AC04', aciclovir: 'J05AB01',
  'aciclovir|topical': 'D06BB03', amlodipine: 'C08CA01', nifedipine: 'C08CA05', lisinopril: 'C09AA03', enalapril: 'C09AA02',
  losartan: 'C09CA01', valsartan: 'C09CA03', telmisartan: 'C09CA07', hydrochlorothiazide: 'C03AA03', bendroflumethiazide: 'C03AA01',
  furosemide: 'C03CA01', spironolactone: 'C03DA01', atenolol: 'C07AB03', bisoprolol: 'C07AB07', carvedilol: 'C07AG02',
  methyldopa: 'C02AB01', hydralazine: 'C02DB02', labetalol: 'C07AG01', atorvastatin: 'C10AA05', simvastatin: 'C10AA01',
  rosuvastatin: 'C10AA07', clopidogrel: 'B01AC04', warfarin: 'B01AA03', enoxaparin: 'B01AB05', heparin: 'B01AB01', digoxin: 'C01AA05',
  'glyceryl trinitrate': 'C01DA02', 'isosorbide mononitrate': 'C01DA14', metformin: 'A10BA02', glibenclamide: 'A10BB01',
  gliclazide: 'A10BB09', glimepiride: 'A10BB12', sitagliptin: 'A10BH01', 'insulin soluble': 'A10AB01', 'insulin isophane': 'A10AC01',
  'insulin biphasic isophane': 'A10AD01', 'insulin glargine': 'A10AE04', levothyroxine: 'H03AA01', carbimazole: 'H03BB01',
  prednisolone: 'H02AB06', hydrocortisone: 'H02AB09', 'hydrocortisone|topical': 'D07AA02', dexamethasone: 'H02AB02',
  omeprazole: 'A02BC01', esomeprazole: 'A02BC05', pantoprazole: 'A02BC02', ranitidine: 'A02BA02', 'magnesium trisilicate': 'A02AA05',
  metoclopramide: 'A03FA01', ondansetron: 'A04AA01', promethazine: 'R06AD02', 'hyoscine butylbromide': 'A03BB01', loperamide: 'A07DA03',
  'oral rehydration salts': 'A07CA', 'zinc sulfate': 'A12CB01', lactulose: 'A06AD11', bisacodyl: 'A06AB02', senna: 'A06AB06',
  salbutamol: 'R03AC02', 'salbutamol|oral': 'R03CC02', beclometasone: 'R03BA01', 'budesonide-formoterol': 'R03AK07',
  ipratropium: 'R03BB01', aminophylline: 'R03DA05', montelukast: 'R03DC03', cetirizine: 'R06AE07', loratadine: 'R06AX13',
  chlorphenamine: 'R06AB04', carbocisteine: 'R05CB03', ambroxol: 'R05CB06', 'ferrous sulfate': 'B03AA07', 'ferrous fumarate': 'B03AA02',
  'folic acid': 'B03BB01', 'ascorbic acid': 'A11GA01', 'calcium carbonate': 'A12AA04', hydroxycarbamide: 'L01XX05',
  phytomenadione: 'B02BA01', diazepam: 'N05BA01', phenobarbital: 'N03AA02', phenytoin: 'N03AB02', carbamazepine: 'N03AF01',
  'sodium valproate': 'N03AG01', levetiracetam: 'N03AX14', amitriptyline: 'N06AA09', fluoxetine: 'N06AB03', sertraline: 'N06AB06',
  haloperidol: 'N05AD01', olanzapine: 'N05AH03', risperidone: 'N05AX08', chlorpromazine: 'N05AA01', oxytocin: 'H01BB02',
  misoprostol: 'A02BB01', ergometrine: 'G02AB03', 'tranexamic acid': 'B02AA02', 'betamethasone|topical': 'D07AC01',
  'silver sulfadiazine|topical': 'D06BA01', 'mupirocin|topical': 'D06AX09', 'timolol|eye': 'S01ED01', lidocaine: 'N01BB02',
  ketamine: 'N01AX03', propofol: 'N01AX10', allopurinol: 'M04AA01', colchicine: 'M04AC01', tamsulosin: 'G04CA02', finasteride: 'G04CB01',
  sildenafil: 'G04BE03', 'ethinylestradiol-levonorgestrel': 'G03AA07', 'tetanus toxoid': 'J07AM01', 'rabies vaccine': 'J07BG01',
  'hepatitis B vaccine': 'J07BC01', 'snake venom antiserum': 'J06AA03',
};
/** Aspirin: an antiplatelet at 75 mg, an analgesic at 300 mg. */
function atcCodesOf(generic: string, route: string, strength: string): string {
  if (generic === 'aspirin') return strength === '75 mg' ? 'B01AC06' : 'N02BA01';
  return ATC_CODES[`${generic}|${route}`] ?? (route === 'topical' || route === 'eye' || route === 'vaginal' ? '' : ATC_CODES[generic] ?? '');
}

interface DrugSpec {
  name: string;
  genericName: string;
  brand: string | null;
  formulation: string;
  route: string;
  strength: string;
  /** Comma-separated, as stored; '' unclassified. */
  atcCodes: string;
}
const DRUG_SPECS: DrugSpec[] = DRUG_TABLE.trim().split('\n').flatMap((line) => {
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

/** How a drug line is written for each kind of formulation: dose, frequencies, durations, quantity. */
function lineFor(r: Rng, formulation: string): { dose: string; frequency: string; duration: string; quantity: number } {
  if (/tablet|capsule/.test(formulation)) {
    const n = r() < 0.75 ? 1 : 2;
    const [frequency, perDay] = pick(r, [['once daily', 1], ['twice daily', 2], ['three times daily', 3], ['every 8 hours', 3], ['at night', 1], ['every 6 hours as needed', 4]] as const);
    const days = pick(r, [3, 5, 5, 7, 7, 10, 14, 30]);
    const unit = formulation.includes('capsule') ? 'capsule' : 'tablet';
    return { dose: `${n} ${unit}${n > 1 ? 's' : ''}`, frequency, duration: `${days} days`, quantity: n * perDay * days };
  }
  if (/syrup|suspension|solution/.test(formulation)) {
    return { dose: pick(r, ['2.5 ml', '5 ml', '10 ml']), frequency: pick(r, ['twice daily', 'three times daily']), duration: pick(r, ['5 days', '7 days']), quantity: int(r, 1, 2) };
  }
  if (/injection|infusion/.test(formulation)) {
    const [frequency, days] = pick(r, [['stat', 1], ['once daily', 3], ['twice daily', 3], ['every 8 hours', 5], ['every 12 hours', 5]] as const);
    const dose = formulation === 'infusion' ? '1 bag' : formulation.startsWith('powder') ? '1 vial' : pick(r, ['1 ampoule', '1 vial']);
    return { dose, frequency, duration: days === 1 ? 'stat' : `${days} days`, quantity: frequency === 'stat' ? 1 : days * (frequency === 'once daily' ? 1 : frequency.includes('8') ? 3 : 2) };
  }
  if (/inhaler|spray|nebuliser/.test(formulation)) {
    return { dose: pick(r, ['1 puff', '2 puffs', '1 nebule']), frequency: pick(r, ['as needed', 'twice daily', 'every 4 hours as needed']), duration: pick(r, ['30 days', '14 days']), quantity: 1 };
  }
  if (/drops|eye ointment/.test(formulation)) {
    return { dose: '1 drop', frequency: pick(r, ['four times daily', 'three times daily', 'every 2 hours']), duration: pick(r, ['5 days', '7 days']), quantity: 1 };
  }
  if (/pessary/.test(formulation)) return { dose: '1 pessary', frequency: 'at night', duration: pick(r, ['1 day', '3 days', '6 days']), quantity: 3 };
  if (/powder/.test(formulation)) return { dose: '1 sachet', frequency: 'after each loose stool', duration: '3 days', quantity: int(r, 4, 10) };
  return { dose: 'apply thinly', frequency: pick(r, ['twice daily', 'three times daily', 'once daily']), duration: pick(r, ['7 days', '14 days']), quantity: 1 };
}

/** The allergies (bits of ALLERGIES) a drug matches by the prescribing check's rule (shared/, by class and by name). */
function allergyMaskOf(drug: DrugNames): number {
  let mask = 0;
  ALLERGIES.forEach((allergy, i) => {
    if (checkAllergies(drug, [allergy]).match) mask |= 1 << i;
  });
  return mask;
}

// TSV needs no escaping when no value contains a tab, a newline or a backslash: checked once here.
for (const s of [
  ...Object.values(REGIONS).flatMap((g) => [...g.male, ...g.female, ...g.surnames, ...g.streets, ...g.cities]),
  ...ALLERGIES, ...COMPLAINTS, ...HPC_ONSET, ...HPC_COURSE, ...HPC_TREATMENT, ...PMH, ...POH, ...PGH, ...INVESTIGATIONS,
  ...TREATMENTS, ...FOLLOW_UPS, ...NOTE_OPENERS, ...NOTE_BODIES, ...NOTE_CLOSERS, ...RX_NOTES,
  ...DRUG_SPECS.flatMap((d) => [d.name, d.brand ?? '', d.formulation, d.route, d.strength]),
]) {
  if (/[\t\n\\]/.test(s)) throw new Error(`seed-large vocabulary entry needs escaping: ${JSON.stringify(s)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Tables: the columns written, in order
// ---------------------------------------------------------------------------------------------------------------

const RECORD_COLUMNS = ['created_at', 'updated_at', 'created_by', 'updated_by', 'version'];
const PERSON_COLUMNS = ['first_name', 'last_name', 'other_names', 'gender', 'dob', 'marital_status', 'address', 'phone_number', 'next_of_kin', 'kin_address'];
const COLUMNS: Record<TableName, string[]> = {
  staff: ['id', 'username', 'email', 'password_hash', 'role', 'job_title', ...PERSON_COLUMNS, 'active', 'deactivated_at', ...RECORD_COLUMNS],
  drugs: ['id', 'name', 'generic_name', 'brand', 'formulation', 'strength', 'route', 'stock_on_hand', 'reorder_level', 'expiry_date', 'atc_codes', ...RECORD_COLUMNS],
  patients: ['id', 'mrn', ...PERSON_COLUMNS, 'email', 'allergies', ...RECORD_COLUMNS],
  consultations: ['id', 'patient_id', 'doctor_id', 'presenting_complaint', 'history_of_presenting_complaint', 'past_medical_history',
    'past_obstetric_history', 'past_gynaecological_history', 'provisional_diagnosis', 'plan', ...RECORD_COLUMNS],
  prescriptions: ['id', 'patient_id', 'consultation_id', 'prescriber_id', 'status', 'notes', 'dispensed_by', 'dispensed_at', ...RECORD_COLUMNS],
  prescription_drugs: ['id', 'prescription_id', 'drug_id', 'drug_name', 'dose', 'frequency', 'duration', 'route', 'quantity',
    'allergy_override_reason', ...RECORD_COLUMNS],
  vitals: ['id', 'patient_id', 'consultation_id', 'nurse_id', 'pulse_rate', 'respiratory_rate', 'systolic_bp', 'diastolic_bp',
    'temperature', 'spo2', 'height_cm', 'weight_kg', ...RECORD_COLUMNS],
  nurse_notes: ['id', 'patient_id', 'nurse_id', 'note', ...RECORD_COLUMNS],
};
const DEFAULT_CHUNK_PATIENTS = 1_000_000;
export const CLINICAL_TABLES = ['patients', 'consultations', 'prescriptions', 'prescription_drugs', 'vitals', 'nurse_notes'] as const;
export type ClinicalTable = (typeof CLINICAL_TABLES)[number];
/** The kept count (record_counts.kind) of each table that has one. */
const COUNT_KIND: Partial<Record<TableName, StatKind>> = {
  staff: 'staff', drugs: 'drugs', patients: 'patients', consultations: 'consultations', prescriptions: 'prescriptions',
  vitals: 'vitals', nurse_notes: 'nurseNotes',
};
const emptyRows = (): Record<TableName, number> => ({
  staff: 0, drugs: 0, patients: 0, consultations: 0, prescriptions: 0, prescription_drugs: 0, vitals: 0, nurse_notes: 0,
});

// ---------------------------------------------------------------------------------------------------------------
// The world a chunk is generated in: staff pools, drugs, the time span
// ---------------------------------------------------------------------------------------------------------------

interface World {
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

interface DrugInfo {
  id: number;
  name: string;
  formulation: string;
  route: string;
  allergyMask: number;
}

interface NextIds {
  patient: number;
  consultation: number;
  prescription: number;
  prescriptionDrug: number;
  vital: number;
  nurseNote: number;
}

// Stream tags: one PRNG stream per (seed, chunk, purpose).
const S_PLAN = 1, S_PATIENTS = 2, S_CONSULTATIONS = 3, S_PRESCRIPTIONS = 4, S_LINES = 5, S_VITALS = 6, S_NOTES = 7, S_BASE = 8;

/** What every table of a chunk agrees on: per-patient facts, record counts, consultation times and prescriptions. */
interface Plan {
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
const pickConsultationCount = weighted<[number, number]>([[[0, 0], 32], [[1, 2], 38], [[3, 5], 27], [[8, 40], 3.5]]);
const pickNoteCount = weighted<[number, number]>([[[0, 0], 43], [[1, 3], 36], [[3, 6], 18], [[10, 30], 3]]);
const pickAgeBand = weighted<[number, number]>([[[0, 4], 8], [[5, 17], 14], [[18, 40], 38], [[41, 65], 28], [[66, 95], 12]]);
const DOB_MIN_DAY = Math.round(Date.UTC(1930, 0, 1) / DAY);
const DOB_MAX_DAY = Math.round(Date.UTC(2025, 11, 31) / DAY);

function planChunk(w: World, firstPatientId: number, count: number, ids: NextIds): Plan {
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
    firstPatientId, count, ids, regMs, dobDay, female, allergyMask, consStart, vitalCount, noteCount, consTime, consDoctor,
    rxLines, rxTime,
    rows: { patients: count, consultations: totalCons, prescriptions, prescription_drugs: lines, vitals, nurse_notes: notes },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Row generators: one TSV line per yield, in primary-key order
// ---------------------------------------------------------------------------------------------------------------

const allergyJsonCache = new Map<number, string>();
function allergyJson(mask: number): string {
  let s = allergyJsonCache.get(mask);
  if (s === undefined) {
    s = JSON.stringify(ALLERGIES.filter((_, i) => mask & (1 << i)));
    allergyJsonCache.set(mask, s);
  }
  return s;
}
const slug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
const pickMarital = weighted<string>([['Married', 55], ['Single', 28], ['Widowed', 8], ['Divorced', 5], [NULL, 4]]);

function* patientRows(w: World, p: Plan): Generator<string> {
  const r = mulberry32(mix(w.seed, p.firstPatientId, S_PATIENTS));
  for (let i = 0; i < p.count; i++) {
    const id = p.firstPatientId + i;
    const region = pickRegion(r);
    const isFemale = p.female[i] === 1;
    const given = isFemale ? region.female : region.male;
    const first = pick(r, given);
    const last = pick(r, region.surnames);
    const other = r() < 0.3 ? pick(r, given) : NULL;
    const reg = p.regMs[i]!;
    const age = (reg / DAY - p.dobDay[i]!) / 365.25;
    const marital = age < 18 ? (r() < 0.95 ? 'Single' : NULL) : pickMarital(r);
    const address = r() < 0.9 ? `${int(r, 1, 250)} ${pick(r, region.streets)}, ${pick(r, region.cities)}` : NULL;
    const phone = r() < 0.88 ? region.phone(r) : NULL;
    const kin = r() < 0.7 ? `${pick(r, r() < 0.5 ? region.female : region.male)} ${r() < 0.7 ? last : pick(r, region.surnames)}` : NULL;
    const kinAddress = kin !== NULL && r() < 0.6 ? address : NULL;
    const email = r() < 0.25 ? `${slug(first)}.${slug(last)}${int(r, 1, 999)}@${pick(r, EMAIL_DOMAINS)}` : NULL;
    const officer = pick(r, w.recordOfficers);
    const created = ts(reg);
    // A few records were corrected later by another officer.
    const edited = r() < 0.05;
    const updated = edited ? ts(reg + r() * (w.epochMs - reg)) : created;
    const updatedBy = edited ? pick(r, w.recordOfficers) : officer;
    const mrn = id === w.heavyPatientId ? HEAVY_PATIENT_MRN : `HMIS-${String(id).padStart(7, '0')}`;
    yield `${id}\t${mrn}\t${first}\t${last}\t${other}\t${isFemale ? 'Female' : 'Male'}\t${dayStr(p.dobDay[i]!)}\t${marital}\t${address}\t${phone}\t${kin}\t${kinAddress}\t${email}\t${allergyJson(p.allergyMask[i]!)}\t${created}\t${updated}\t${officer}\t${updatedBy}\t${edited ? 2 : 1}\n`;
  }
}

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
      const status = recent ? (x < 0.6 ? 'pending' : x < 0.95 ? 'dispensed' : 'cancelled') : x < 0.93 ? 'dispensed' : x < 0.97 ? 'pending' : 'cancelled';
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

const GENERATORS: Record<ClinicalTable, (w: World, p: Plan) => Generator<string>> = {
  patients: patientRows,
  consultations: consultationRows,
  prescriptions: prescriptionRows,
  prescription_drugs: prescriptionDrugRows,
  vitals: vitalRows,
  nurse_notes: nurseNoteRows,
};

/** Staff: the five demo accounts first (ids as they come), then the generated staff of each role. */
function* staffRows(r: Rng, firstId: number, epochMs: number, demoHashes: Record<Role, string>, sharedHash: string): Generator<string> {
  const hiredBy = firstId; // the demo admin
  const hiredFrom = epochMs - 5 * YEAR - 400 * DAY;
  const usernames = new Set<string>(Object.values(DEMO_USERNAMES));
  let id = firstId;
  const person = (role: Role, first: string, last: string, gender: 'Male' | 'Female', username: string, hash: string, region: Region) => {
    const created = ts(hiredFrom + r() * 300 * DAY);
    const dob = dayStr(Math.floor((Date.UTC(1960, 0, 1) + r() * 40 * YEAR) / DAY));
    const inactive = username !== DEMO_USERNAMES[role] && r() < 0.02;
    const address = `${int(r, 1, 250)} ${pick(r, region.streets)}, ${pick(r, region.cities)}`;
    const creator = id === firstId ? NULL : hiredBy;
    const updated = inactive ? ts(epochMs - r() * 365 * DAY) : created;
    return `${id++}\t${username}\t${username}@hmis.example\t${hash}\t${role}\t${username === DEMO_USERNAMES[role] ? DEFAULT_JOB_TITLE[role] : pick(r, JOB_TITLES[role])}\t${first}\t${last}\t${NULL}\t${gender}\t${dob}\t${pickMarital(r)}\t${address}\t${region.phone(r)}\t${NULL}\t${NULL}\t${inactive ? 0 : 1}\t${inactive ? updated : NULL}\t${created}\t${updated}\t${creator}\t${inactive ? hiredBy : creator}\t${inactive ? 2 : 1}\n`;
  };
  for (const role of Object.keys(DEMO_USERNAMES) as Role[]) {
    const [first, last, gender] = DEMO_PEOPLE[role];
    yield person(role, first, last, gender, DEMO_USERNAMES[role], demoHashes[role], REGIONS.ng);
  }
  for (const [role, n] of Object.entries(STAFF_PER_ROLE) as [Role, number][]) {
    for (let k = 0; k < n; k++) {
      const region = pickRegion(r);
      const gender = r() < (role === 'nurse' ? 0.8 : 0.45) ? 'Female' : 'Male';
      const first = pick(r, gender === 'Female' ? region.female : region.male);
      const last = pick(r, region.surnames);
      let username = `${slug(first)}.${slug(last)}`;
      for (let suffix = 2; usernames.has(username); suffix++) username = `${slug(first)}.${slug(last)}${suffix}`;
      usernames.add(username);
      yield person(role, first, last, gender, username, sharedHash, region);
    }
  }
}

function* drugRows(r: Rng, firstId: number, epochMs: number, pharmacists: number[]): Generator<string> {
  let id = firstId;
  const stockedFrom = epochMs - 5 * YEAR - 30 * DAY;
  for (const d of DRUG_SPECS) {
    const pharmacist = pick(r, pharmacists);
    const created = ts(stockedFrom + r() * 20 * DAY);
    const updated = ts(epochMs - r() * 30 * DAY);
    const reorder = pick(r, [10, 20, 50, 100, 200]);
    const stock = r() < 0.08 ? int(r, 0, reorder) : int(r, reorder, reorder * 30);
    // Most batches expire in the next three years; a few already have.
    const expiry = r() < 0.03 ? dayStr(Math.floor((epochMs - r() * 90 * DAY) / DAY)) : r() < 0.05 ? NULL : dayStr(Math.floor((epochMs + (60 + r() * 1000) * DAY) / DAY));
    yield `${id++}\t${d.name}\t${d.genericName}\t${d.brand ?? NULL}\t${d.formulation}\t${d.strength}\t${d.route}\t${stock}\t${reorder}\t${expiry}\t${d.atcCodes}\t${created}\t${updated}\t${pharmacist}\t${pharmacist}\t${int(r, 2, 40)}\n`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------------------------

type Conn = mysql.Connection;
const BATCH_CHARS = 1 << 20;
const INSERT_BATCH_CHARS = 4 << 20;

/** Streams the rows into the table; returns how many. LOAD DATA turns errors into warnings, so warnings fail it. */
async function loadRows(conn: Conn, method: 'load-data' | 'insert', table: TableName, rows: Iterator<string>, onRows: (n: number) => void): Promise<number> {
  const columns = COLUMNS[table].map((c) => `\`${c}\``).join(', ');
  let sent = 0;
  if (method === 'insert') {
    let batch: string[] = [];
    let size = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await conn.query(`INSERT INTO \`${table}\` (${columns}) VALUES ${batch.join(',')}`);
      onRows(batch.length);
      sent += batch.length;
      batch = [];
      size = 0;
    };
    for (let next = rows.next(); !next.done; next = rows.next()) {
      const values = next.value.slice(0, -1).split('\t').map((v) => (v === NULL ? 'NULL' : `'${v.replaceAll("'", "''")}'`));
      const tuple = `(${values.join(',')})`;
      batch.push(tuple);
      size += tuple.length;
      if (size >= INSERT_BATCH_CHARS) await flush();
    }
    await flush();
    return sent;
  }

  const stream = new Readable({
    read() {
      try {
        let text = '';
        let n = 0;
        for (;;) {
          const next = rows.next();
          if (next.done) {
            sent += n;
            onRows(n);
            if (text) this.push(text);
            this.push(null);
            return;
          }
          text += next.value;
          n++;
          if (text.length >= BATCH_CHARS) break;
        }
        sent += n;
        onRows(n);
        this.push(text);
      } catch (err) {
        this.destroy(err as Error);
      }
    },
  });
  const [result] = await conn.query<mysql.ResultSetHeader>({
    sql: `LOAD DATA LOCAL INFILE '${table}.tsv' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${columns})`,
    infileStreamFactory: () => stream,
  });
  if (result.warningStatus > 0) {
    const [warnings] = await conn.query<mysql.RowDataPacket[]>('SHOW WARNINGS LIMIT 3');
    throw new Error(`Loading ${table} gave ${result.warningStatus} warning(s): ${warnings.map((w) => w.Message as string).join('; ')}`);
  }
  if (result.affectedRows !== sent) throw new Error(`Loading ${table}: sent ${sent} rows, the server took ${result.affectedRows}`);
  return sent;
}

async function rowsOf<T extends mysql.RowDataPacket>(conn: Conn, sql: string, values: unknown[] = []): Promise<T[]> {
  const [rows] = await conn.query<T[]>(sql, values);
  return rows;
}

/** Fails early, and clearly, if the schema gained a required column this generator does not write. */
async function checkColumns(conn: Conn): Promise<void> {
  const cols = await rowsOf(conn, `SELECT table_name AS t, column_name AS c, is_nullable AS nullable, column_default AS def, extra
    FROM information_schema.columns WHERE table_schema = DATABASE()`);
  const byTable = new Map<string, { c: string; required: boolean }[]>();
  for (const col of cols) {
    const required = col.nullable === 'NO' && col.def === null && !String(col.extra).includes('auto_increment');
    byTable.set(col.t as string, [...(byTable.get(col.t as string) ?? []), { c: col.c as string, required }]);
  }
  for (const [table, written] of Object.entries(COLUMNS)) {
    const actual = byTable.get(table) ?? [];
    const missing = written.filter((c) => !actual.some((a) => a.c === c));
    const unknown = actual.filter((a) => a.required && !written.includes(a.c)).map((a) => a.c);
    if (missing.length || unknown.length) {
      throw new Error(`seed-large is out of date with the schema of ${table} (${[...missing.map((c) => `no column ${c}`), ...unknown.map((c) => `required column ${c} not written`)].join(', ')}): update server/src/bench/seed-large.ts`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Progress (seed_progress, a bench-only table) and the report on stderr
// ---------------------------------------------------------------------------------------------------------------

const PROGRESS_DDL = `CREATE TABLE IF NOT EXISTS seed_progress (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  seed BIGINT NOT NULL,
  target_patients BIGINT NOT NULL,
  patients_done BIGINT NOT NULL,
  heavy_patient_id BIGINT UNSIGNED NOT NULL,
  epoch_ms BIGINT NOT NULL,
  next_patient_id BIGINT UNSIGNED NOT NULL,
  next_consultation_id BIGINT UNSIGNED NOT NULL,
  next_prescription_id BIGINT UNSIGNED NOT NULL,
  next_prescription_drug_id BIGINT UNSIGNED NOT NULL,
  next_vital_id BIGINT UNSIGNED NOT NULL,
  next_nurse_note_id BIGINT UNSIGNED NOT NULL,
  chunk_patients BIGINT NOT NULL DEFAULT 0 COMMENT 'patients of the chunk in progress (from next_patient_id); 0: none',
  chunk_target BIGINT NOT NULL DEFAULT 0 COMMENT 'the target its registration dates were spread for',
  chunk_tables_done INT NOT NULL DEFAULT 0 COMMENT 'bit per table of the chunk already committed',
  started_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='seed-large: what has been generated (bench only, not in the schema)'`;

interface Chunk {
  patients: number;
  target: number;
  tablesDone: number;
}

interface ProgressRow {
  seed: number;
  target: number;
  done: number;
  heavyPatientId: number;
  epochMs: number;
  /** Ids where the next chunk (or the one in progress) starts. */
  next: NextIds;
  chunk: Chunk | null;
}

const NEXT_COLUMNS: Record<keyof NextIds, string> = {
  patient: 'next_patient_id', consultation: 'next_consultation_id', prescription: 'next_prescription_id',
  prescriptionDrug: 'next_prescription_drug_id', vital: 'next_vital_id', nurseNote: 'next_nurse_note_id',
};
const NEXT_TABLES: Record<keyof NextIds, ClinicalTable> = {
  patient: 'patients', consultation: 'consultations', prescription: 'prescriptions', prescriptionDrug: 'prescription_drugs',
  vital: 'vitals', nurseNote: 'nurse_notes',
};
const tableBit = (table: ClinicalTable) => 1 << CLINICAL_TABLES.indexOf(table);

async function readProgress(conn: Conn): Promise<ProgressRow | null> {
  const [exists] = await rowsOf(conn, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'seed_progress'");
  if (Number(exists?.n) === 0) return null;
  const [row] = await rowsOf(conn, 'SELECT * FROM seed_progress WHERE id = 1');
  if (!row) return null;
  if (row.chunk_patients === undefined) {
    // A progress table from before chunks were resumable table by table (finished runs only).
    await conn.query(`ALTER TABLE seed_progress ADD COLUMN chunk_patients BIGINT NOT NULL DEFAULT 0,
      ADD COLUMN chunk_target BIGINT NOT NULL DEFAULT 0, ADD COLUMN chunk_tables_done INT NOT NULL DEFAULT 0`);
  }
  const next = Object.fromEntries(Object.entries(NEXT_COLUMNS).map(([k, c]) => [k, Number(row[c])])) as unknown as NextIds;
  const chunkPatients = Number(row.chunk_patients);
  return {
    seed: Number(row.seed), target: Number(row.target_patients), done: Number(row.patients_done),
    heavyPatientId: Number(row.heavy_patient_id), epochMs: Number(row.epoch_ms), next,
    chunk: chunkPatients > 0 ? { patients: chunkPatients, target: Number(row.chunk_target), tablesDone: Number(row.chunk_tables_done) } : null,
  };
}

/** `col = ?, …` and the values for the whole progress row. */
function progressAssignments(p: ProgressRow): [string, unknown[]] {
  const cols = ['seed', 'target_patients', 'patients_done', 'heavy_patient_id', 'epoch_ms', ...Object.values(NEXT_COLUMNS),
    'chunk_patients', 'chunk_target', 'chunk_tables_done', 'updated_at'];
  const values = [p.seed, p.target, p.done, p.heavyPatientId, p.epochMs, ...Object.keys(NEXT_COLUMNS).map((k) => p.next[k as keyof NextIds]),
    p.chunk?.patients ?? 0, p.chunk?.target ?? 0, p.chunk?.tablesDone ?? 0, ts(Date.now())];
  return [cols.map((c) => `${c} = ?`).join(', '), values];
}

async function saveProgress(conn: Conn, p: ProgressRow, finished = false): Promise<void> {
  const [assignments, values] = progressAssignments(p);
  await conn.query(`UPDATE seed_progress SET ${assignments}, finished_at = ? WHERE id = 1`, [...values, finished ? ts(Date.now()) : null]);
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtRate = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${P2[m]}m` : m ? `${m}m${P2[s % 60]}s` : `${s}s`;
}

/** A bar redrawn in place on a terminal; on anything else a line every 10 s. */
class Progress {
  private rows = 0;
  private estimate = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();
  private readonly tty: boolean;
  constructor(private readonly out: NodeJS.WritableStream | null) {
    this.tty = Boolean(out && (out as NodeJS.WriteStream).isTTY);
  }
  log(line: string) {
    if (!this.out) return;
    if (this.drawn) this.out.write('\r\x1b[K');
    this.out.write(`${line}\n`);
    this.drawn = false;
  }
  setEstimate(rows: number) {
    this.estimate = rows;
  }
  add(rows: number) {
    this.rows += rows;
    this.draw();
  }
  get rowCount() {
    return this.rows;
  }
  finish() {
    if (this.out && this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
  private draw() {
    if (!this.out) return;
    const now = Date.now();
    // A terminal gets 4 redraws a second, a log a line every 10 s.
    if (now - this.lastDraw < (this.tty ? 250 : 10_000)) return;
    this.lastDraw = now;
    const elapsed = now - this.started;
    const rate = this.rows / Math.max(elapsed / 1000, 0.001);
    const total = Math.max(this.estimate, this.rows);
    const frac = total ? this.rows / total : 0;
    const eta = frac > 0 ? elapsed / frac - elapsed : 0;
    const text = `${(frac * 100).toFixed(1).padStart(5)}%  ${fmtInt(this.rows)}/${fmtInt(total)} rows  ${fmtRate(rate)} rows/s  ETA ${fmtDuration(eta)}`;
    if (this.tty) {
      const width = 24;
      const full = Math.round(frac * width);
      this.out.write(`\r\x1b[K[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${text}`);
      this.drawn = true;
    } else {
      this.out.write(`seed-large: ${text}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------------

const DATA_TABLES = ['staff', 'patients', 'drugs', 'consultations', 'prescriptions', 'prescription_drugs', 'vitals', 'nurse_notes'];

/** A URL fit to print: the password replaced. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

interface Session {
  conn: Conn;
  /** Drizzle over the same connection, so the kept counts and the audit row use the services' own functions. */
  db: Db;
}

async function openSession(url: string): Promise<Session> {
  const conn = await mysql.createConnection({
    uri: url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    dateStrings: true,
    supportBigNumbers: true,
    flags: ['+LOCAL_FILES'],
  });
  try {
    await conn.query(
      "SET time_zone = '+00:00', sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
    );
    // Ids and references are right by construction. With both checks off, MariaDB also loads an empty table in
    // bulk (indexes built sorted, table-level undo). A table of an interrupted run may still be rolling back on
    // the server when we retry it: wait for its locks rather than fail.
    await conn.query('SET foreign_key_checks = 0, unique_checks = 0, innodb_lock_wait_timeout = 3600');
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
  return { conn, db: drizzle(conn, { schema, mode: 'default', casing: 'snake_case' }) };
}

export async function seedLarge(options: SeedLargeOptions): Promise<SeedLargeResult> {
  const started = Date.now();
  const target = options.patients;
  if (!Number.isSafeInteger(target) || target < 1) throw new Error('--patients must be a positive whole number');
  const chunkPatients = options.chunkPatients ?? DEFAULT_CHUNK_PATIENTS;
  const parallel = Math.max(1, options.parallel ?? 2);
  const out = options.output === undefined ? process.stderr : options.output;
  const progress = new Progress(out);
  const { database } = splitDatabaseUrl(options.databaseUrl);

  await createDatabaseIfMissing(options.databaseUrl);
  const migrator = connect(options.databaseUrl, { connectionLimit: 1 });
  try {
    await migrateDatabase(migrator.db);
  } finally {
    await migrator.close();
  }

  // The main connection holds the run's lock and does the bookkeeping; the workers load tables.
  const main = await openSession(options.databaseUrl);
  const { conn, db } = main;
  const workers: Session[] = [];
  let recalcOff = false;
  try {
    // One run per database at a time (a second one would load the same ids). Released when the connection closes.
    const [lock] = await rowsOf(conn, 'SELECT GET_LOCK(?, 0) AS got', [`seed-large:${database}`]);
    if (Number(lock?.got) !== 1) throw new SeedRefusedError(`another seed-large run is loading ${database}; wait for it or stop it`);
    await checkColumns(conn);
    let method: 'load-data' | 'insert' = options.useInserts ? 'insert' : 'load-data';
    if (method === 'load-data') {
      const [row] = await rowsOf(conn, 'SELECT @@GLOBAL.local_infile AS on_');
      if (Number(row?.on_) !== 1) {
        method = 'insert';
        progress.log('seed-large: the server has local_infile off: using multi-row INSERTs (slower; SET GLOBAL local_infile = 1 allows LOAD DATA)');
      }
    }

    let state = await readProgress(conn);
    const rows = emptyRows();
    if (state) {
      if (options.seed !== undefined && options.seed !== state.seed) {
        throw new SeedRefusedError(`${database} was generated with --seed ${state.seed}; give the same seed or use another database`);
      }
      const committed = state.done + (state.chunk?.patients ?? 0);
      if (target < committed) {
        throw new SeedRefusedError(state.chunk
          ? `${database} has an interrupted run for ${fmtInt(state.chunk.target)} patients; run it again with --patients ${fmtInt(state.chunk.target)} (or more)`
          : `${database} already holds ${fmtInt(state.done)} generated patients, more than the ${fmtInt(target)} asked for; use another database`);
      }
      if (state.done >= target && !state.chunk) {
        await setStatsAutoRecalc(conn, true); // in case a run was killed between its last load and putting it back
        progress.log(`seed-large: ${database} already holds the generated data for ${fmtInt(state.done)} patients (seed ${state.seed}); nothing to do`);
        return { status: 'already-seeded', patientsTotal: state.done, rows, heavyPatientId: state.heavyPatientId, seed: state.seed, ms: Date.now() - started, method };
      }
      progress.log(`seed-large: ${database} holds ${fmtInt(state.done)} of ${fmtInt(target)} patients${state.chunk ? ' and part of the next chunk' : ''}; continuing (seed ${state.seed})`);
      if (!state.chunk) {
        // Rows the application wrote after a finished run took ids; the next chunk starts above them.
        for (const key of Object.keys(NEXT_TABLES) as (keyof NextIds)[]) {
          const [row] = await rowsOf(conn, `SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \`${NEXT_TABLES[key]}\``);
          state.next[key] = Math.max(state.next[key], Number(row?.next));
        }
      }
    } else {
      for (const table of DATA_TABLES) {
        const [row] = await rowsOf(conn, `SELECT EXISTS (SELECT 1 FROM \`${table}\`) AS any_`);
        if (Number(row?.any_) === 1) {
          throw new SeedRefusedError(`${database} already holds data that seed-large did not generate (table ${table} is not empty); use an empty or new database`);
        }
      }
      await conn.query(PROGRESS_DDL);
      state = await seedBase(main, method, options, target, rows, progress);
    }
    state.target = target;
    const world = await loadWorld(conn, state);
    while (workers.length < parallel) workers.push(await openSession(options.databaseUrl));

    // InnoDB re-samples a table's statistics each time a tenth of it changed; during a load that grows tables from
    // nothing, that background work costs as much CPU as the load itself. Off for our tables while loading (a
    // metadata-only table option, put back below, or by the next run if this one is killed), then one ANALYZE.
    recalcOff = true;
    await setStatsAutoRecalc(conn, false);
    progress.log(`seed-large: loading ${fmtInt(target - state.done)} patients with their records by ${method === 'load-data' ? 'LOAD DATA LOCAL INFILE' : 'multi-row INSERT'} on ${workers.length} connection(s)`);

    const patientsBefore = state.done;
    let plannedRows = 0;
    let plannedPatients = 0;
    for (;;) {
      if (!state.chunk) {
        if (state.done >= target) break;
        state.chunk = { patients: Math.min(chunkPatients, target - state.done), target, tablesDone: 0 };
        await saveProgress(conn, state);
      }
      const chunk = state.chunk;
      const plan = planChunk({ ...world, target: chunk.target }, state.next.patient, chunk.patients, { ...state.next });
      const pending = CLINICAL_TABLES.filter((t) => !(chunk.tablesDone & tableBit(t)));
      plannedPatients += chunk.patients;
      plannedRows += CLINICAL_TABLES.reduce((sum, t) => sum + plan.rows[t], 0);
      const perPatient = plannedRows / plannedPatients;
      progress.setEstimate(progress.rowCount + pending.reduce((sum, t) => sum + plan.rows[t], 0) + (target - state.done - chunk.patients) * perPatient);

      // Biggest tables first, each on the next free connection; each table is one transaction with its kept count
      // and its bit in the progress row.
      const queue = [...pending].sort((a, b) => plan.rows[b] - plan.rows[a]);
      let failure: unknown = null;
      await Promise.all(workers.map(async (session) => {
        for (let table = queue.shift(); table && failure === null; table = queue.shift()) {
          const t0 = Date.now();
          try {
            await session.conn.query('START TRANSACTION');
            const n = await loadRows(session.conn, method, table, GENERATORS[table](world, plan), (k) => progress.add(k));
            if (n !== plan.rows[table]) throw new Error(`Generated ${n} ${table} rows, planned ${plan.rows[table]}`);
            const kind = COUNT_KIND[table];
            if (kind) await bumpCount(session.db, kind, n);
            await session.conn.query('UPDATE seed_progress SET chunk_tables_done = chunk_tables_done | ?, updated_at = ? WHERE id = 1', [tableBit(table), ts(Date.now())]);
            await options.beforeTableCommit?.({ table, firstPatientId: plan.firstPatientId });
            await session.conn.query('COMMIT');
            rows[table] += n;
            const took = Date.now() - t0;
            progress.log(`seed-large: ${table}: ${fmtInt(n)} rows committed in ${fmtDuration(took)} (${fmtRate(n / Math.max(took / 1000, 0.001))} rows/s)`);
          } catch (err) {
            await session.conn.query('ROLLBACK').catch(() => undefined);
            if (failure === null) {
              failure = err;
              // Stop the other loads now rather than when they finish: the server rolls them back.
              for (const other of workers) if (other !== session) other.conn.destroy();
            }
          }
        }
      }));
      if (failure !== null) {
        progress.finish();
        throw failure;
      }

      state.done += chunk.patients;
      state.next = {
        patient: state.next.patient + chunk.patients,
        consultation: state.next.consultation + plan.rows.consultations,
        prescription: state.next.prescription + plan.rows.prescriptions,
        prescriptionDrug: state.next.prescriptionDrug + plan.rows.prescription_drugs,
        vital: state.next.vital + plan.rows.vitals,
        nurseNote: state.next.nurseNote + plan.rows.nurse_notes,
      };
      state.chunk = null;
      await saveProgress(conn, state, state.done >= target);
      progress.log(`seed-large: patients ${fmtInt(plan.firstPatientId)}–${fmtInt(plan.firstPatientId + chunk.patients - 1)} and their records committed (${fmtInt(state.done)} of ${fmtInt(target)})`);
    }
    progress.finish();

    // One audit event for the whole run (the bulk rows themselves are not audited), and fresh optimizer
    // statistics: the tables grew from nothing in minutes.
    const [admin] = await rowsOf(conn, 'SELECT id FROM staff WHERE username = ?', [DEMO_USERNAMES.admin]);
    await audit(db, { clock: systemClock, ip: null, actor: admin ? { id: Number(admin.id) } : null }, {
      action: 'create', entityType: 'patient', detail: `bulk seed: ${fmtInt(state.done - patientsBefore)} patients (seed-large, seed ${state.seed})`,
    });
    await setStatsAutoRecalc(conn, true);
    recalcOff = false;
    for (const table of DATA_TABLES) await conn.query(`ANALYZE TABLE \`${table}\``);

    const ms = Date.now() - started;
    const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
    progress.log(`seed-large: done in ${fmtDuration(ms)}: ${fmtInt(total)} rows (${fmtRate(total / (ms / 1000))} rows/s)`);
    return { status: 'seeded', patientsTotal: state.done, rows, heavyPatientId: state.heavyPatientId, seed: state.seed, ms, method };
  } finally {
    if (recalcOff) await setStatsAutoRecalc(conn, true).catch(() => undefined);
    for (const session of [...workers, main]) await session.conn.end().catch(() => undefined);
  }
}

async function setStatsAutoRecalc(conn: Conn, on: boolean): Promise<void> {
  for (const table of DATA_TABLES) await conn.query(`ALTER TABLE \`${table}\` STATS_AUTO_RECALC = ${on ? 'DEFAULT' : '0'}`);
}

/** Staff, drugs and the progress row: one transaction on an empty database. */
async function seedBase(
  { conn, db }: Session, method: 'load-data' | 'insert', options: SeedLargeOptions, target: number, rows: Record<TableName, number>, progress: Progress,
): Promise<ProgressRow> {
  const seed = options.seed ?? 42;
  const epochMs = options.nowMs ?? Date.now();
  const r = mulberry32(mix(seed, 0, S_BASE));
  progress.log('seed-large: hashing the demo password (argon2id)…');
  const demoHashes = {} as Record<Role, string>;
  for (const role of Object.keys(DEMO_USERNAMES) as Role[]) demoHashes[role] = await hashPassword(options.demoPassword);
  const sharedHash = await hashPassword(options.demoPassword);

  const [s] = await rowsOf(conn, 'SELECT COALESCE(MAX(id), 0) + 1 AS next FROM staff');
  const firstStaffId = Number(s?.next);
  const [d] = await rowsOf(conn, 'SELECT COALESCE(MAX(id), 0) + 1 AS next FROM drugs');
  const firstDrugId = Number(d?.next);
  const [p] = await rowsOf(conn, 'SELECT COALESCE(MAX(id), 0) + 1 AS next FROM patients');
  const state: ProgressRow = {
    seed, target, done: 0, heavyPatientId: Number(p?.next), epochMs,
    next: { patient: Number(p?.next), consultation: 1, prescription: 1, prescriptionDrug: 1, vital: 1, nurseNote: 1 },
    chunk: null,
  };

  await conn.query('START TRANSACTION');
  try {
    const uncounted = () => undefined;
    rows.staff = await loadRows(conn, method, 'staff', staffRows(r, firstStaffId, epochMs, demoHashes, sharedHash), uncounted);
    const [ph] = await rowsOf(conn, "SELECT GROUP_CONCAT(id) AS ids FROM staff WHERE role = 'pharmacist'");
    const pharmacists = String(ph?.ids).split(',').map(Number);
    rows.drugs = await loadRows(conn, method, 'drugs', drugRows(r, firstDrugId, epochMs, pharmacists), uncounted);
    // Every kind gets its row now, so the parallel loads later only ever update existing rows.
    for (const kind of STAT_KINDS) await bumpCount(db, kind, kind === 'staff' ? rows.staff : kind === 'drugs' ? rows.drugs : 0);
    const [assignments, values] = progressAssignments(state);
    await conn.query(`INSERT INTO seed_progress SET id = 1, ${assignments}, started_at = ?`, [...values, ts(Date.now())]);
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return state;
}

async function loadWorld(conn: Conn, state: ProgressRow): Promise<World> {
  const staff = await rowsOf(conn, 'SELECT id, role FROM staff ORDER BY id');
  const ofRole = (role: Role) => staff.filter((s) => s.role === role).map((s) => Number(s.id));
  const drugs = await rowsOf(conn, 'SELECT id, name, generic_name, brand, formulation, route, atc_codes FROM drugs ORDER BY id');
  const catalogue = drugs.map((d) => ({
    id: Number(d.id), name: d.name as string, formulation: d.formulation as string, route: d.route as string,
    allergyMask: allergyMaskOf({
      name: d.name as string, genericName: d.generic_name as string | null, brand: d.brand as string | null,
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

// Keep the kinds in step with the stats endpoint: every kept kind this tool fills must exist there.
for (const kind of Object.values(COUNT_KIND)) {
  if (!(STAT_KINDS as readonly string[]).includes(kind)) throw new Error(`Unknown stat kind ${kind}`);
}

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

class UsageError extends Error {}

const USAGE = 'usage: seed-large --patients N [--database-url URL] [--seed S] [--chunk PATIENTS] [--parallel CONNECTIONS] [--inserts]';

/** 1000000, 1_000_000, 1,000,000, 1e6, 10k, 1m. */
function parseCount(value: string | undefined, what: string): number {
  const m = /^([\d.]+(?:e\d+)?)([km]?)$/i.exec((value ?? '').replace(/[_,]/g, '').trim());
  const n = m ? Number(m[1]) * (m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${what} must be a positive whole number (got ${JSON.stringify(value ?? '')}); ${USAGE}`);
  return n;
}

function parseSeed(value: string): number {
  if (!/^\d{1,15}$/.test(value.trim())) throw new UsageError(`--seed must be a whole number (got ${JSON.stringify(value)}); ${USAGE}`);
  return Number(value);
}

async function main() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      'database-url': { type: 'string' },
      seed: { type: 'string' },
      chunk: { type: 'string' },
      parallel: { type: 'string' },
      inserts: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const patients = parseCount(values.patients, '--patients');
  const tuning = {
    ...(values.seed !== undefined ? { seed: parseSeed(values.seed) } : {}),
    ...(values.chunk !== undefined ? { chunkPatients: parseCount(values.chunk, '--chunk') } : {}),
    ...(values.parallel !== undefined ? { parallel: parseCount(values.parallel, '--parallel') } : {}),
  };
  const env = readEnv();
  const databaseUrl = values['database-url'] ?? env.DATABASE_URL
    ?? (await resolveDatabaseUrl({ databaseUrl: undefined, dataDir: env.HMIS_DATA_DIR, databaseName: 'hmis_large' })).url;
  process.stderr.write(`seed-large: database ${redactUrl(databaseUrl)}\n`);
  process.once('SIGINT', () => {
    process.stderr.write('\nseed-large: interrupted; the server rolls back the tables being loaded. Run the same command again to continue.\n');
    process.exit(130);
  });
  const result = await seedLarge({
    databaseUrl,
    patients,
    demoPassword: env.HMIS_DEMO_PASSWORD,
    ...tuning,
    useInserts: values.inserts,
  });
  if (result.status === 'seeded') {
    process.stderr.write(`seed-large: sign in as ${Object.values(DEMO_USERNAMES).join(', ')} with HMIS_DEMO_PASSWORD; heavy patient ${HEAVY_PATIENT_MRN} is id ${result.heavyPatientId}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    // One line for what a person can fix; a stack for what they cannot.
    const code = (err as { code?: unknown }).code;
    const known = err instanceof SeedRefusedError || err instanceof NoDatabaseError || err instanceof UsageError
      || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) || (err instanceof Error && err.message.startsWith('Invalid environment'));
    const hint = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? ` (${USAGE})` : '';
    process.stderr.write(`seed-large: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}${hint}\n`);
    process.exit(1);
  });
}
