/** The words the generated people and records are made of: names and places by region, complaints, histories, notes. */
import { assertTsvSafe, digits, list, NULL, pick, weighted, type Rng } from './random';

export interface Region {
  male: string[];
  female: string[];
  surnames: string[];
  streets: string[];
  cities: string[];
  phone: (r: Rng) => string;
}

export const REGIONS: Record<'ng' | 'ke' | 'gh' | 'uk' | 'in' | 'za', Region> = {
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
export const pickRegion = weighted<Region>([
  [REGIONS.ng, 45], [REGIONS.ke, 13], [REGIONS.gh, 12], [REGIONS.uk, 10], [REGIONS.in, 10], [REGIONS.za, 10],
]);

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example'];
/** At most 16 (a bit mask per patient). Weighted: penicillin and sulfa are the common ones. */
export const ALLERGIES = [
  'penicillin', 'sulfa', 'latex', 'aspirin', 'ibuprofen', 'codeine', 'chloroquine', 'cotrimoxazole',
  'metronidazole', 'peanuts', 'shellfish', 'eggs', 'iodine contrast', 'bee stings', 'tramadol', 'ciprofloxacin',
] as const;
export const pickAllergy = weighted(ALLERGIES.map((a, i) => [i, i === 0 ? 30 : i === 1 ? 15 : i < 6 ? 8 : 4] as const));

export const COMPLAINTS = list(`fever, headache, cough, abdominal pain, vomiting, diarrhoea, chest pain, difficulty in breathing,
  body weakness, joint pains, dizziness, palpitations, painful urination, frequent urination, lower back pain,
  skin rash, itching, sore throat, catarrh, loss of appetite, weight loss, swelling of both legs, blurred vision,
  ear discharge, eye redness, vaginal discharge, lower abdominal pain, painful menses, bleeding per vagina in pregnancy,
  reduced fetal movements, convulsions, yellowness of the eyes, passage of dark urine, constipation, heartburn,
  excessive thirst, numbness of the feet, generalised body pains, insomnia, anxiety, wound on the leg, burn injury,
  road traffic injury, dog bite, snake bite`);
export const DURATIONS = ['1 day', '2 days', '3 days', '4 days', '5 days', '1 week', '2 weeks', '3 weeks', '1 month', '2 months', '6 months'];
export const HPC_ONSET = [
  'Onset was sudden', 'Onset was gradual', 'Started insidiously', 'Began after a meal', 'Began at night',
  'Started after a long journey', 'Noticed on waking',
];
export const HPC_COURSE = [
  'associated with chills and rigors', 'associated with nausea but no vomiting', 'worse at night',
  'relieved by rest', 'aggravated by exertion', 'not associated with fever', 'associated with loss of appetite',
  'progressively worsening', 'intermittent in nature', 'associated with generalised weakness',
];
export const HPC_TREATMENT = [
  'Took paracetamol at home with minimal relief', 'No medication taken before presentation',
  'Took herbal remedies without improvement', 'Bought antimalarials from a patent medicine store',
  'Was treated at a private clinic last week', 'Has not been compliant with medications',
];
export const PMH = [
  'Known hypertensive for 5 years on amlodipine', 'Known diabetic on metformin', 'Not a known hypertensive or diabetic',
  'Asthmatic since childhood', 'Sickle cell disease (HbSS) with frequent crises', 'No significant past medical history',
  'Previous admission for severe malaria', 'Had appendicectomy in 2015', 'Peptic ulcer disease, on and off omeprazole',
  'Treated for pulmonary tuberculosis in 2018, completed treatment', 'Living with HIV, on TLD, adherent',
  'Previous blood transfusion in 2019', 'Known epileptic on carbamazepine', 'Hypertensive and diabetic, poorly controlled',
];
export const POH = [
  'G2P2, both by spontaneous vaginal delivery, alive and well', 'G3P2+1, one first-trimester miscarriage',
  'Primigravida at 28 weeks', 'G4P3+1, last delivery by caesarean section', 'Nulliparous', 'G5P5, all alive',
  'G2P1, currently 34 weeks pregnant', 'G1P0 at 12 weeks',
];
export const PGH = [
  'LMP 2 weeks ago, regular 28-day cycles', 'Menopausal since the age of 50', 'Irregular cycles for 6 months',
  'Menorrhagia for 1 year', 'Uses injectable contraception', 'Dysmenorrhoea since menarche', 'No abnormal vaginal bleeding',
];
export const pickDiagnosis = weighted<string>([
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
export const INVESTIGATIONS = [
  'FBC and malaria parasite test', 'Urinalysis and urine microscopy', 'Fasting blood sugar and HbA1c',
  'Electrolytes, urea and creatinine', 'Chest X-ray', 'Widal test and blood culture', 'Abdominal ultrasound scan',
  'Lipid profile', 'ECG', 'Sputum for GeneXpert', 'Pregnancy test', 'Stool microscopy', 'No investigations needed',
];
export const TREATMENTS = [
  'start oral antimalarials', 'start antibiotics', 'analgesics as needed', 'continue antihypertensives',
  'adjust the dose of metformin', 'oral rehydration and zinc', 'admit for IV artesunate', 'admit for IV fluids and antibiotics',
  'proton pump inhibitor for 4 weeks', 'counsel on diet and exercise', 'wound dressing and tetanus toxoid',
  'refer to the physiotherapist', 'antihistamines', 'start antenatal care and haematinics',
];
export const FOLLOW_UPS = [
  'review in 1 week', 'review in 2 weeks', 'review with results', 'return if symptoms persist', 'review in the clinic in 1 month',
  'refer to the specialist clinic', 'follow up in 3 months',
];
export const NOTE_OPENERS = [
  'Patient received in the ward.', 'Patient seen on the ward round.', 'Night shift report:', 'Morning report:',
  'Patient reviewed at the nursing station.', 'Handover:', 'Patient attended the clinic.', 'Patient is conscious and alert.',
];
export const NOTE_BODIES = [
  'Vital signs checked and recorded.', 'Medications served as prescribed.', 'IV fluids running well, cannula site clean.',
  'Patient slept well through the night.', 'Complains of mild pain, analgesic given.', 'Wound dressed, no discharge seen.',
  'Tolerating oral feeds.', 'Ambulating with support.', 'Temperature spiked to 38.6, doctor informed and tepid sponging done.',
  'Blood sample taken for FBC and sent to the lab.', 'Fluid intake and output charted.', 'Blood sugar checked before meals.',
  'Patient and relatives counselled on the care plan.', 'Catheter in situ, draining clear urine.',
  'Pressure areas checked, turned two-hourly.', 'Oxygen via nasal prongs at 2 L/min.',
];
export const NOTE_CLOSERS = [
  'Condition stable.', 'Will continue to monitor.', 'Doctor to review.', 'Awaiting lab results.',
  'Patient comfortable at the moment.', 'Discharged home with drugs and a clinic appointment.', 'Relatives around.',
];
export const RX_NOTES = [
  'Take after meals.', 'Complete the full course.', 'Review if no improvement in 48 hours.', 'Counselled on adherence.',
  'Avoid alcohol.', 'Patient to bring back the empty packs.',
];
export const pickMarital = weighted<string>([['Married', 55], ['Single', 28], ['Widowed', 8], ['Divorced', 5], [NULL, 4]]);

assertTsvSafe([
  ...Object.values(REGIONS).flatMap((g) => [...g.male, ...g.female, ...g.surnames, ...g.streets, ...g.cities]),
  ...ALLERGIES, ...COMPLAINTS, ...HPC_ONSET, ...HPC_COURSE, ...HPC_TREATMENT, ...PMH, ...POH, ...PGH, ...INVESTIGATIONS,
  ...TREATMENTS, ...FOLLOW_UPS, ...NOTE_OPENERS, ...NOTE_BODIES, ...NOTE_CLOSERS, ...RX_NOTES,
]);
