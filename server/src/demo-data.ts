/**
 * Demo data for an empty database outside production: two months of a small Nigerian general hospital, enough for
 * every screen to show what it is for. Staff of every role (one has left), a 70-drug formulary with low, expiring and
 * expired stock, 34 patients, ten days of outpatient clinics and three admissions with a week of observations.
 *
 * Everything is written by the real service functions, each run with a clock stopped at the moment it happened
 * (demo/timeline.ts): createdAt, the 24-hour edit window, versions, stock and the audit trail all agree, as if the
 * people had done it then. It is deterministic (fixed data, a seeded generator) apart from being relative to now.
 */
import type { Clock } from './clock';
import type { Db } from './db/client';
import { hasNoStaff } from './services/system';
import { FORMULARY } from './demo/formulary';
import { admissions } from './demo/inpatients';
import { outpatientClinics } from './demo/outpatients';
import { DEACTIVATED, PATIENTS, STAFF } from './demo/people';
import { minutes, Timeline } from './demo/timeline';
import { DemoWorld } from './demo/world';

export { DEMO_USERNAMES } from './demo/people';

/** Staff, the formulary and the patient register, as they came to be over the last two months. */
function hospital(world: DemoWorld): void {
  const { tl } = world;
  STAFF.forEach((s, i) => world.hire(s, i === 0 ? null : 'admin', tl.day(s.hiredDaysAgo, '08:00') + minutes(10 * i)));
  world.retitle('oadeyemi', 'Senior Medical Officer', 'enwosu', tl.day(30, '12:00'));
  world.deactivate(DEACTIVATED.username, 'admin', tl.day(DEACTIVATED.daysAgo, '17:00'));

  // The pharmacists enter the formulary in their first days, and receive deliveries since.
  FORMULARY.forEach((d, i) => {
    const [by, day] = i % 2 === 0 ? (['pharmacist', 60] as const) : (['yogunsanya', 59] as const);
    world.stock(d, by, tl.day(day, '09:00') + minutes(3 * i));
  });
  world.receive('paracetamol-tab', 2000, 720, 'Emzor Pharmaceuticals', 'yogunsanya', tl.day(21, '11:30'));
  world.receive('coartem-tab', 480, 400, 'Novartis Nigeria (via CMS Lagos)', 'pharmacist', tl.day(14, '10:15'));
  world.adjust('amoxicillin-cap', -24, 'damage', 'Carton crushed in the store; 24 capsules discarded', 'yogunsanya', tl.day(9, '15:40'));
  world.adjust('metformin-tab', 30, 'count_correction', 'Monthly count found one box more than the card', 'pharmacist', tl.day(3, '16:10'));

  PATIENTS.forEach((p, i) => {
    const at =
      p.registeredDaysAgo >= 1 ? tl.day(p.registeredDaysAgo, '08:00') + minutes((i * 37) % 300) : tl.hoursAgo(p.registeredDaysAgo * 24);
    world.register(p, at);
  });
  world.updatePatient('Adewale Bakare', { phoneNumber: '+2348035550220' }, 'mdanjuma', tl.day(4, '10:05'));
  world.updatePatient('Samuel Otieno', { address: '5 Bourdillon Road, Ikoyi, Lagos' }, 'records', tl.hoursAgo(7));
  // Doctors code some allergies the record officers typed at registration; the others stay free text ("not coded").
  world.codeAllergies(
    'Chidi Eze',
    [{ kind: 'class', code: 'penicillins', substance: 'Penicillins', reaction: 'Urticaria and lip swelling', severity: 'severe' }],
    'doctor',
    tl.day(40, '10:20'),
  );
  world.codeAllergies(
    'Samuel Otieno',
    [{ kind: 'substance', code: 'J01CA04', substance: 'Amoxicillin', reaction: 'Maculopapular rash', severity: 'moderate' }],
    'oadeyemi',
    tl.day(45, '11:05'),
  );
  world.codeAllergies(
    'Ifeoma Chukwu',
    [{ kind: 'class', code: 'nsaids', substance: 'NSAIDs', reaction: 'Bronchospasm', severity: 'severe' }],
    'imusa',
    tl.day(30, '09:40'),
  );
  world.codeAllergies(
    'Ngozi Nwankwo',
    [{ kind: 'allergen', code: 'latex', substance: 'Latex', reaction: 'Contact dermatitis', severity: 'mild' }],
    'records',
    tl.day(20, '14:15'),
  );
}

/** Creates the demo data when the staff table is empty. Returns whether it did. */
export async function seedDemoData(db: Db, clock: Clock, password: string): Promise<boolean> {
  // One transaction (each service's own becomes a savepoint): one commit instead of ~400, and a start that fails
  // half-way leaves an empty database, so the next start tries again.
  return db.transaction(async (tx) => {
    if (!(await hasNoStaff(tx))) return false;
    const world = new DemoWorld(tx, new Timeline(clock.now()), password);
    hospital(world);
    outpatientClinics(world);
    admissions(world);
    await world.tl.play();
    return true;
  });
}
