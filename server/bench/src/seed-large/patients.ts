/** The patients table's rows. */
import { HEAVY_PATIENT_MRN } from './model';
import type { Plan, World } from './plan';
import { S_PATIENTS } from './plan';
import { DAY, dayStr, int, mix, mulberry32, NULL, pick, slug, ts } from './random';
import { ALLERGIES, EMAIL_DOMAINS, pickMarital, pickRegion } from './vocabulary';

const allergyJsonCache = new Map<number, string>();
function allergyJson(mask: number): string {
  let s = allergyJsonCache.get(mask);
  if (s === undefined) {
    s = JSON.stringify(ALLERGIES.filter((_, i) => mask & (1 << i)));
    allergyJsonCache.set(mask, s);
  }
  return s;
}

export function* patientRows(w: World, p: Plan): Generator<string> {
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
