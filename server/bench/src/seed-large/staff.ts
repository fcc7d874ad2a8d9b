/** The staff table's rows: the demo accounts, then generated staff of every role. */
import { DEFAULT_JOB_TITLE, type Role } from '@hmis/shared';
import { DEMO_USERNAMES } from '@hmis/server/demo-data';
import { STAFF_PER_ROLE } from './model';
import { DAY, dayStr, int, NULL, pick, slug, ts, YEAR, type Rng } from './random';
import { pickMarital, pickRegion, REGIONS, type Region } from './vocabulary';

const JOB_TITLES: Record<Role, string[]> = {
  admin: ['Admin', 'Systems Administrator'],
  doctor: [
    'Medical Officer',
    'House Officer',
    'Registrar',
    'Senior Registrar',
    'Consultant Physician',
    'Consultant Paediatrician',
    'Consultant Obstetrician',
    'Consultant Surgeon',
    'Family Physician',
  ],
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

/** Staff: the five demo accounts first (ids as they come), then the generated staff of each role. */
export function* staffRows(
  r: Rng,
  firstId: number,
  epochMs: number,
  demoHashes: Record<Role, string>,
  sharedHash: string,
): Generator<string> {
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
