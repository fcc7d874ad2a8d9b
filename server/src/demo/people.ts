/** The demo's staff (the five demo logins and colleagues of every role) and its patients. */
import type { Role } from '@hmis/shared';

/** The demo logins, one per role. Their usernames are part of the README's quick start. */
export const DEMO_USERNAMES: Record<Role, string> = {
  admin: 'admin',
  doctor: 'doctor',
  nurse: 'nurse',
  pharmacist: 'pharmacist',
  recordofficer: 'records',
};

export interface DemoStaff {
  username: string;
  role: Role;
  firstName: string;
  lastName: string;
  gender: 'Male' | 'Female';
  jobTitle?: string;
  phoneNumber: string;
  /** Days before the demo's first start that the account was created. */
  hiredDaysAgo: number;
}

/** In hiring order; the first is the installation's first admin. Everyone signs in with the demo password. */
export const STAFF: DemoStaff[] = [
  {
    username: 'admin',
    role: 'admin',
    firstName: 'Ada',
    lastName: 'Okafor',
    gender: 'Female',
    phoneNumber: '+2348035550001',
    hiredDaysAgo: 62,
  },
  {
    username: 'doctor',
    role: 'doctor',
    firstName: 'Kwame',
    lastName: 'Mensah',
    gender: 'Male',
    phoneNumber: '+2348035550002',
    hiredDaysAgo: 62,
  },
  {
    username: 'nurse',
    role: 'nurse',
    firstName: 'Grace',
    lastName: 'Njeri',
    gender: 'Female',
    phoneNumber: '+2348035550003',
    hiredDaysAgo: 62,
  },
  {
    username: 'pharmacist',
    role: 'pharmacist',
    firstName: 'Tunde',
    lastName: 'Bello',
    gender: 'Male',
    phoneNumber: '+2348035550004',
    hiredDaysAgo: 62,
  },
  {
    username: 'records',
    role: 'recordofficer',
    firstName: 'Amina',
    lastName: 'Yusuf',
    gender: 'Female',
    phoneNumber: '+2348035550005',
    hiredDaysAgo: 62,
  },
  {
    username: 'enwosu',
    role: 'admin',
    firstName: 'Emeka',
    lastName: 'Nwosu',
    gender: 'Male',
    jobTitle: 'Systems Administrator',
    phoneNumber: '+2348065550006',
    hiredDaysAgo: 61,
  },
  {
    username: 'oadeyemi',
    role: 'doctor',
    firstName: 'Oluwaseun',
    lastName: 'Adeyemi',
    gender: 'Male',
    jobTitle: 'Medical Officer',
    phoneNumber: '+2348065550007',
    hiredDaysAgo: 61,
  },
  {
    username: 'nokonkwo',
    role: 'doctor',
    firstName: 'Ngozi',
    lastName: 'Okonkwo',
    gender: 'Female',
    jobTitle: 'Consultant Obstetrician',
    phoneNumber: '+2348135550008',
    hiredDaysAgo: 61,
  },
  {
    username: 'imusa',
    role: 'doctor',
    firstName: 'Ibrahim',
    lastName: 'Musa',
    gender: 'Male',
    jobTitle: 'Medical Officer',
    phoneNumber: '+2347035550009',
    hiredDaysAgo: 61,
  },
  {
    username: 'bedet',
    role: 'nurse',
    firstName: 'Blessing',
    lastName: 'Edet',
    gender: 'Female',
    jobTitle: 'Nursing Officer',
    phoneNumber: '+2348095550010',
    hiredDaysAgo: 61,
  },
  {
    username: 'habdullahi',
    role: 'nurse',
    firstName: 'Halima',
    lastName: 'Abdullahi',
    gender: 'Female',
    jobTitle: 'Senior Nursing Officer',
    phoneNumber: '+2348165550011',
    hiredDaysAgo: 61,
  },
  {
    username: 'cnwachukwu',
    role: 'nurse',
    firstName: 'Chiamaka',
    lastName: 'Nwachukwu',
    gender: 'Female',
    jobTitle: 'Nursing Officer',
    phoneNumber: '+2348025550012',
    hiredDaysAgo: 40,
  },
  {
    username: 'yogunsanya',
    role: 'pharmacist',
    firstName: 'Yetunde',
    lastName: 'Ogunsanya',
    gender: 'Female',
    jobTitle: 'Chief Pharmacist',
    phoneNumber: '+2348035550013',
    hiredDaysAgo: 61,
  },
  {
    username: 'mdanjuma',
    role: 'recordofficer',
    firstName: 'Musa',
    lastName: 'Danjuma',
    gender: 'Male',
    jobTitle: 'Health Records Officer',
    phoneNumber: '+2347035550014',
    hiredDaysAgo: 45,
  },
];

/** Ibrahim Musa left eight days ago: deactivated, his name stays on the consultations he wrote. */
export const DEACTIVATED = { username: 'imusa', daysAgo: 8 } as const;

export interface DemoPatient {
  firstName: string;
  lastName: string;
  otherNames?: string;
  gender: 'Male' | 'Female';
  dob: string;
  maritalStatus: 'Single' | 'Married' | 'Widowed' | 'Divorced';
  /** Stored normalised (+234…), as the service stores what a registrar types. */
  phoneNumber: string | null;
  address: string;
  nextOfKin: string | null;
  allergies: string[];
  /** Days before the demo's first start the patient was registered (fractions: hours today), and by whom. */
  registeredDaysAgo: number;
  registrar: 'records' | 'mdanjuma';
}

type Row = [
  name: string,
  gender: 'M' | 'F',
  dob: string,
  marital: DemoPatient['maritalStatus'],
  phone: string | null,
  address: string,
  kin: string | null,
  allergies: string[],
  registeredDaysAgo: number,
];

const ROWS: Row[] = [
  ['Chidi Eze', 'M', '1985-03-14', 'Married', '+2348035550101', '14 Ogui Road, Enugu', 'Chinwe Eze (wife)', ['penicillin'], 58],
  ['Fatima Abubakar', 'F', '1992-07-02', 'Married', '+2348035550102', '3 Sokoto Road, Kaduna', 'Abubakar Sadiq (husband)', [], 58],
  [
    'Samuel Otieno',
    'M',
    '1958-11-23',
    'Married',
    '+254712555010',
    '22 Adeola Odeku Street, Victoria Island, Lagos',
    'Mary Otieno (wife)',
    ['amoxicillin'],
    57,
  ],
  ['Aisha Bello', 'F', '2001-01-30', 'Single', '+2348035550104', '8 Zaria Road, Kano', 'Hadiza Bello (mother)', [], 57],
  ['Babatunde Adebayo', 'M', '1957-05-09', 'Married', '+2348065550105', '41 Ring Road, Ibadan', 'Folake Adebayo (wife)', ['sulfa'], 50],
  ['Hauwa Ibrahim', 'F', '1999-10-18', 'Married', '+2348135550106', '17 Bompai Road, Kano', 'Sani Ibrahim (husband)', [], 6],
  ['Ifeoma Chukwu', 'F', '1970-02-27', 'Widowed', '+2347055550107', '5 Zik Avenue, Awka', 'Obiora Chukwu (son)', ['NSAIDs'], 44],
  ['Oluwaseyi Ogunleye', 'M', '1988-12-01', 'Single', '+2348095550108', '9 Allen Avenue, Ikeja, Lagos', 'Bukola Ogunleye (sister)', [], 40],
  [
    'Ngozi Nwankwo',
    'F',
    '1979-06-12',
    'Married',
    '+2348165550109',
    '27 Aba Road, Port Harcourt',
    'Ikenna Nwankwo (husband)',
    ['latex'],
    39,
  ],
  ['Emmanuel Okonkwo', 'M', '1995-08-22', 'Single', '+2347035550110', '2 Okpara Avenue, Enugu', 'Grace Okonkwo (mother)', [], 35],
  [
    'Zainab Yusuf',
    'F',
    '1986-04-04',
    'Married',
    '+2348025550111',
    '11 Ahmadu Bello Way, Kaduna',
    'Yusuf Garba (husband)',
    ['chloroquine'],
    33,
  ],
  ['Yakubu Danladi', 'M', '1963-09-30', 'Married', '+2348035550112', '6 Murtala Mohammed Way, Jos', 'Rifkatu Danladi (wife)', [], 31],
  ['Funmilayo Adeyemi', 'F', '1991-03-17', 'Married', '+2348065550113', '15 Oba Adesida Road, Akure', 'Kunle Adeyemi (husband)', [], 30],
  ['Obinna Ugwu', 'M', '2004-11-11', 'Single', '+2348135550114', '30 Nsukka Road, Enugu', 'Ugochi Ugwu (mother)', [], 29],
  [
    'Amaka Obi',
    'F',
    '1997-01-25',
    'Single',
    '+2347055550115',
    '4 Nnamdi Azikiwe Road, Onitsha',
    'Ifeanyi Obi (brother)',
    ['penicillin'],
    27,
  ],
  ['Musa Garba', 'M', '1975-07-07', 'Married', '+2348095550116', '19 Tafawa Balewa Road, Bauchi', 'Asabe Garba (wife)', [], 26],
  ['Kemi Oladipo', 'F', '1983-05-19', 'Divorced', '+2348165550117', '12 Awolowo Road, Ikoyi, Lagos', 'Tayo Oladipo (brother)', [], 24],
  ['Chinedu Nwosu', 'M', '1969-12-24', 'Married', '+2347035550118', '8 Douglas Road, Owerri', 'Adaeze Nwosu (wife)', ['aspirin'], 22],
  ['Halima Sani', 'F', '2000-09-09', 'Single', '+2348025550119', '23 Sultan Road, Sokoto', 'Sani Umar (father)', [], 20],
  ['Adewale Bakare', 'M', '1950-02-14', 'Widowed', '+2348035550120', '7 Oke-Ado Road, Ibadan', 'Toyin Bakare (daughter)', ['sulfa'], 19],
  ['Blessing Etim', 'F', '1994-06-30', 'Single', '+2348065550121', '16 Calabar Road, Calabar', 'Edet Etim (father)', ['latex'], 17],
  ['Abdullahi Lawal', 'M', '1981-10-05', 'Married', '+2348135550122', '5 Gidan Dan Hausa, Kano', 'Maryam Lawal (wife)', [], 15],
  ['Uchenna Eze', 'F', '1966-08-16', 'Married', '+2347055550123', '21 Nike Lake Road, Enugu', 'Emeka Eze (husband)', [], 13],
  ['Femi Ogunbiyi', 'M', '1990-01-08', 'Married', '+2348095550124', '33 Herbert Macaulay Way, Yaba, Lagos', 'Tolu Ogunbiyi (wife)', [], 12],
  ['Grace Akpan', 'F', '1972-11-29', 'Married', '+2348165550125', '10 Oron Road, Uyo', 'Aniefiok Akpan (husband)', ['codeine'], 11],
  ['Ibrahim Bala', 'M', '1998-04-12', 'Single', '+2347035550126', '14 Lafia Road, Makurdi', 'Bala Ahmed (father)', [], 9],
  ['Nneka Eze', 'F', '1989-08-03', 'Married', '+2348025550127', '6 Upper Iweka Road, Onitsha', 'Chukwudi Eze (husband)', [], 8],
  ['Segun Afolabi', 'M', '1960-03-21', 'Married', null, '2 Ibadan Road, Abeokuta', 'Bisi Afolabi (wife)', [], 7],
  ['Patience Udoh', 'F', '1977-12-10', 'Married', '+2348065550129', '18 Ikot Ekpene Road, Uyo', 'Udoh Bassey (husband)', [], 5],
  ['Kabiru Aliyu', 'M', '1993-02-28', 'Single', '+2348135550130', '3 Maiduguri Road, Kano', 'Aliyu Sule (father)', [], 4],
  ['Olamide Ojo', 'F', '2002-07-14', 'Single', '+2347055550131', '25 Adebayo Street, Ado-Ekiti', 'Kehinde Ojo (mother)', [], 3],
  [
    'Daniel Okoro',
    'M',
    '1987-09-19',
    'Married',
    '+2348095550132',
    '40 Trans-Amadi Road, Port Harcourt',
    'Joy Okoro (wife)',
    ['NSAIDs', 'latex'],
    2,
  ],
  ['Esther Nnadi', 'F', '1955-01-11', 'Widowed', null, '9 Wetheral Road, Owerri', 'Chioma Nnadi (daughter)', [], 0.2],
  [
    'Yusuf Abdulkadir',
    'M',
    '1978-06-06',
    'Married',
    '+2348165550134',
    '12 Lugard Road, Ilorin',
    'Rukayya Abdulkadir (wife)',
    ['sulfa'],
    0.17,
  ],
];

export const PATIENTS: DemoPatient[] = ROWS.map(
  ([name, g, dob, maritalStatus, phoneNumber, address, nextOfKin, allergies, registeredDaysAgo], i) => {
    const [firstName, lastName] = name.split(' ') as [string, string];
    return {
      firstName,
      lastName,
      gender: g === 'M' ? 'Male' : 'Female',
      dob,
      maritalStatus,
      phoneNumber,
      address,
      nextOfKin,
      allergies,
      // Musa Danjuma joined 45 days ago; since then he and Amina Yusuf share the front desk.
      registeredDaysAgo,
      registrar: registeredDaysAgo < 45 && i % 3 === 2 ? 'mdanjuma' : 'records',
    };
  },
);

export const patientName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;
