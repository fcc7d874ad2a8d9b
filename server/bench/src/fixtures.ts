/**
 * Setting the stage for a benchmark run: sample the seeded database for ids and search terms, open the consultations
 * the vital-signs scenario records into, create the pending prescriptions the dispense scenario uses up and receive
 * the stock they need (through the services, so counts, the stock ledger and audit rows stay true), and sign the demo
 * accounts in over HTTP like a real client.
 */
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { ConsultationCreateInput, PrescriptionCreateInput, StockReceiptInput } from '@hmis/shared';
import { systemClock } from '@hmis/server/clock';
import type { Db } from '@hmis/server/db/client';
import { drugLots, drugs, patients } from '@hmis/server/db/schema';
import { createConsultation } from '@hmis/server/services/consultations';
import type { Ctx } from '@hmis/server/services/context';
import { createPrescription } from '@hmis/server/services/prescriptions';
import { receiveStock } from '@hmis/server/services/stock';
import { findStaffIdByUsername, getStaffRow, toActor } from '@hmis/server/services/staff';
import type { Fixtures, Username } from './scenarios';
import { HEAVY_PATIENT_MRN } from './seed-large';

const SAMPLE = 2_000;
/** Consultations opened for the record-vitals scenario to rotate through. */
const VISITS = 400;

/**
 * Random ordinary patients, search terms taken from them, the heavy patient, a consultation opened for each of some of
 * them, and drugs with lots.
 */
export async function sampleFixtures(db: Db): Promise<Omit<Fixtures, 'dispensable'>> {
  const [heavy] = await db.select({ id: patients.id }).from(patients).where(eq(patients.mrn, HEAVY_PATIENT_MRN));
  if (!heavy) throw new Error(`No patient with MRN ${HEAVY_PATIENT_MRN}: the database was not made by seed-large`);
  // ORDER BY RAND() over the id index: a second or two at a million rows, once per run.
  const ids = await db
    .select({ id: patients.id })
    .from(patients)
    .where(sql`${patients.id} <> ${heavy.id}`)
    .orderBy(sql`rand(42)`)
    .limit(SAMPLE);
  const patientIds = ids.map((r) => r.id);
  const sample = await db
    .select({ lastName: patients.lastName, mrn: patients.mrn, phone: patients.phoneNumber })
    .from(patients)
    .where(
      sql`${patients.id} in (${sql.join(
        patientIds.slice(0, 500).map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  const namePrefixes = [...new Set(sample.map((r) => r.lastName.slice(0, 3)).filter((p) => /^\p{L}{3}$/u.test(p)))];
  const mrns = sample
    .map((r) => r.mrn)
    .filter((m): m is string => !!m)
    .map(mrnAsTyped);
  const phones = sample
    .map((r) => r.phone)
    .filter((p): p is string => !!p)
    .map(phoneAsTyped);
  // Vital signs go only into a consultation less than 24 hours old (decision 016): one is opened for each of some
  // sampled patients, as a doctor would before the nurse takes the readings.
  const doctor = await ctxOf(db, 'doctor');
  const visits: Fixtures['visits'] = new Array<Fixtures['visits'][number]>(Math.min(VISITS, patientIds.length));
  await inParallel(visits.length, 12, async (i) => {
    const patientId = patientIds[i]!;
    visits[i] = { patientId, consultationId: await openConsultation(db, doctor, patientId, 'Benchmark: observations') };
  });
  // Drugs with a stock card: those with lots.
  const stocked = await db
    .select({ id: drugs.id })
    .from(drugs)
    .where(sql`exists (select 1 from ${drugLots} where ${drugLots.drugId} = ${drugs.id})`)
    .orderBy(sql`rand(5)`)
    .limit(SAMPLE);
  const drugIds = stocked.map((r) => r.id);
  if (patientIds.length < 50 || !namePrefixes.length || !mrns.length || !phones.length || visits.length < 50 || !drugIds.length) {
    throw new Error(
      `Too little data to benchmark (${patientIds.length} patients, ${visits.length} visits, ${drugIds.length} drugs with lots sampled)`,
    );
  }
  return { patientIds, heavyPatientId: heavy.id, namePrefixes, mrns, phones, visits, drugIds };
}

/**
 * An MRN as a record officer types it from the card: its digits alone, every other one without the leading zeros
 * ("HMIS-0001234" → "0001234", "1234"). Digits alone are also matched as a phone number (decision 009).
 */
function mrnAsTyped(mrn: string, i: number): string {
  const digits = mrn.replace(/^HMIS-/, '');
  return i % 2 ? digits.replace(/^0+(?=\d)/, '') : digits;
}

/**
 * A phone number as typed: a Nigerian number in national form with spaces ("0803 555 0101"), any other in
 * international form with a space ("+254 712345678"); every other one as its last 7 digits ("5550101").
 */
function phoneAsTyped(phone: string, i: number): string {
  if (i % 2) return phone.slice(-7);
  if (!phone.startsWith('+234')) return `${phone.slice(0, 4)} ${phone.slice(4)}`;
  const national = `0${phone.slice(4)}`;
  return `${national.slice(0, -7)} ${national.slice(-7, -4)} ${national.slice(-4)}`;
}

/** Drugs and lots in the database: the stock reports' target is stated for a formulary size. */
export async function formularySize(db: Db): Promise<{ drugs: number; lots: number }> {
  const [row] = await db
    .select({
      drugs: sql<number>`(select count(*) from ${drugs})`.mapWith(Number),
      lots: sql<number>`(select count(*) from ${drugLots})`.mapWith(Number),
    })
    .from(sql`dual`);
  return row ?? { drugs: 0, lots: 0 };
}

async function ctxOf(db: Db, username: Username): Promise<Ctx> {
  const id = await findStaffIdByUsername(db, username);
  if (id == null) throw new Error(`No staff member "${username}": the database was not made by seed-large`);
  return { actor: toActor(await getStaffRow(db, id)), clock: systemClock, ip: '127.0.0.1' };
}

async function openConsultation(db: Db, doctor: Ctx, patientId: number, provisionalDiagnosis: string): Promise<number> {
  const input = ConsultationCreateInput.parse({ patientId, presentingComplaint: 'Benchmark', provisionalDiagnosis });
  return (await createConsultation(db, doctor, input)).id;
}

/** Runs `work` for 0..n-1 with at most `concurrency` at once. */
async function inParallel(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/**
 * Creates `count` pending prescriptions (a consultation each, one or two drug lines) for patients without recorded
 * allergies, and receives stock of the drugs used (a lot that expires in two years) so every one can be dispensed.
 */
export async function createDispensable(db: Db, count: number): Promise<Fixtures['dispensable']> {
  const doctor = await ctxOf(db, 'doctor');
  const pharmacist = await ctxOf(db, 'pharmacist');
  const today = new Date().toISOString().slice(0, 10);
  const usable = await db
    .select({ id: drugs.id, route: drugs.route })
    .from(drugs)
    .where(sql`(${drugs.expiryDate} is null or ${drugs.expiryDate} > date_add(${today}, interval 90 day))`)
    .orderBy(sql`rand(7)`)
    .limit(40);
  const candidates = await db
    .select({ id: patients.id })
    .from(patients)
    .where(sql`json_length(${patients.allergies}) = 0 and ${patients.mrn} <> ${HEAVY_PATIENT_MRN}`)
    .orderBy(sql`rand(13)`)
    .limit(SAMPLE);
  if (usable.length === 0 || candidates.length === 0) throw new Error('No drugs in date or no patients without allergies to prescribe for');

  const plans = Array.from({ length: count }, (_, i) => {
    const lines = Array.from({ length: 1 + (i % 2) }, (_, k) => usable[(i * 3 + k * 7) % usable.length]!);
    return { patientId: candidates[i % candidates.length]!.id, lines: [...new Map(lines.map((d) => [d.id, d])).values()] };
  });
  const QUANTITY = 10;
  const needed = new Map<number, number>();
  for (const p of plans) for (const d of p.lines) needed.set(d.id, (needed.get(d.id) ?? 0) + QUANTITY);
  // What dispensing can take: lots in date (the drugs chosen have none expired, as their nearest expiry says).
  const inDate = await db
    .select({ drugId: drugLots.drugId, units: sql<string>`sum(${drugLots.onHand})` })
    .from(drugLots)
    .where(and(inArray(drugLots.drugId, [...needed.keys()]), gte(drugLots.expiryDate, today)))
    .groupBy(drugLots.drugId);
  const onHand = new Map(inDate.map((r) => [r.drugId, Number(r.units)]));
  const expiryDate = new Date(Date.now() + 730 * 86_400_000).toISOString().slice(0, 10);
  for (const [drugId, units] of needed) {
    const short = units - (onHand.get(drugId) ?? 0);
    if (short <= 0) continue;
    // One lot per expiry date: a later run the same day receives into the same lot.
    await receiveStock(
      db,
      pharmacist,
      StockReceiptInput.parse({
        drugId,
        lotNumber: `BENCH${expiryDate.replaceAll('-', '')}`,
        expiryDate,
        quantity: short + 1_000,
        supplier: 'Benchmark restock',
      }),
    );
  }

  const created: Fixtures['dispensable'] = new Array(count);
  await inParallel(count, 12, async (i) => {
    const { patientId, lines } = plans[i]!;
    const consultationId = await openConsultation(db, doctor, patientId, 'Benchmark: prescription to dispense');
    await createPrescription(
      db,
      doctor,
      PrescriptionCreateInput.parse({
        patientId,
        consultationId,
        lines: lines.map((d) => ({
          drugId: d.id,
          dose: '1 unit',
          frequency: 'twice daily',
          duration: '5 days',
          route: d.route,
          quantity: QUANTITY,
        })),
      }),
    );
    created[i] = { patientId, consultationId };
  });
  return created;
}

/** How a client proves who it is: the session cookie (plus the CSRF token on writes) or a personal API token. */
export interface Credentials {
  username: Username;
  cookie: string;
  csrfToken: string;
  /** Set when --auth token: `Authorization: Bearer …` replaces the cookie. */
  bearer?: string;
  tokenId?: number;
}

export type AuthMode = 'cookie' | 'token';

async function json(res: Response): Promise<any> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export async function signIn(baseUrl: string, username: Username, password: string, mode: AuthMode): Promise<Credentials> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await json(res);
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(body)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('hmis_session='));
  if (!cookie) throw new Error(`login as ${username} set no hmis_session cookie`);
  const creds: Credentials = { username, cookie, csrfToken: body.csrfToken };
  if (mode === 'token') {
    const t = await fetch(`${baseUrl}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': creds.csrfToken },
      body: JSON.stringify({ name: `bench ${new Date().toISOString()}`, expiresInDays: 1 }),
    });
    const tb = await json(t);
    if (t.status !== 201) throw new Error(`API token for ${username} failed: ${t.status} ${JSON.stringify(tb)}`);
    creds.bearer = tb.token;
    creds.tokenId = tb.id;
  }
  return creds;
}

/** Revokes the run's token and ends the session, so runs do not pile up live credentials. */
export async function signOut(baseUrl: string, c: Credentials): Promise<void> {
  const headers = { cookie: c.cookie, 'x-csrf-token': c.csrfToken };
  if (c.tokenId != null) await fetch(`${baseUrl}/api/v1/auth/tokens/${c.tokenId}`, { method: 'DELETE', headers }).catch(() => undefined);
  await fetch(`${baseUrl}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{}',
  }).catch(() => undefined);
}

/** The headers every request of a scenario carries. */
export function authHeaders(c: Credentials, write: boolean): Record<string, string> {
  if (c.bearer) return { authorization: `Bearer ${c.bearer}` };
  return write ? { cookie: c.cookie, 'x-csrf-token': c.csrfToken } : { cookie: c.cookie };
}
