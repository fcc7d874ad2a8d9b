/**
 * What clinicians call each input field. One map for the server's messages, the console and the web forms' labels:
 * error `fields[].path` stays the code path ("lines.0.quantity"); the words a person reads come from here.
 */
import { VITAL_LIMITS, type VitalField } from './constants';

/** Field name (the last segment of a path) → label. Covers every input field of every schema in schemas/. */
export const FIELD_LABELS = {
  // references and paging
  id: 'Record number',
  patientId: 'Patient',
  consultationId: 'Consultation',
  staffId: 'Staff member',
  drugId: 'Drug',
  version: 'Record version',
  limit: 'Page size',
  cursor: 'Page position',
  q: 'Search',
  filter: 'Filter',
  sort: 'Sort by',
  dir: 'Sort direction',
  // people
  mrn: 'MRN',
  firstName: 'First name',
  lastName: 'Last name',
  otherNames: 'Other names',
  gender: 'Sex',
  dob: 'Date of birth',
  maritalStatus: 'Marital status',
  address: 'Address',
  phoneNumber: 'Phone',
  email: 'Email',
  nextOfKin: 'Next of kin',
  kinAddress: 'Next of kin address',
  allergies: 'Allergies',
  substance: 'Substance',
  code: 'Substance code',
  kind: 'Substance kind',
  reaction: 'Reaction',
  severity: 'Severity',
  // staff and sign-in
  username: 'Username',
  password: 'Password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  role: 'Role',
  jobTitle: 'Job title',
  active: 'Active',
  // consultations
  presentingComplaint: 'Presenting complaint',
  historyOfPresentingComplaint: 'History of presenting complaint',
  pastMedicalHistory: 'Past medical history',
  pastObstetricHistory: 'Past obstetric history',
  pastGynaecologicalHistory: 'Past gynaecological history',
  provisionalDiagnosis: 'Provisional diagnosis',
  plan: 'Plan',
  // nurse notes
  note: 'Note',
  // drugs
  name: 'Name',
  genericName: 'Generic name',
  brand: 'Brand',
  formulation: 'Formulation',
  strength: 'Strength',
  route: 'Route',
  stockOnHand: 'Stock on hand',
  reorderLevel: 'Reorder level',
  expiryDate: 'Expiry date',
  atcCodes: 'ATC codes',
  // stock
  lotId: 'Lot',
  lotNumber: 'Lot number',
  supplier: 'Supplier',
  unitCost: 'Unit cost',
  reason: 'Reason',
  days: 'Days ahead',
  includeEmpty: 'Include empty lots',
  // prescriptions
  notes: 'Notes',
  status: 'Status',
  lines: 'Drugs',
  dose: 'Dose',
  frequency: 'Frequency',
  duration: 'Duration',
  quantity: 'Quantity',
  allergyOverrideReason: 'Allergy override reason',
  // vital signs
  pulseRate: 'Pulse',
  respiratoryRate: 'Respiratory rate',
  systolicBp: 'Systolic BP',
  diastolicBp: 'Diastolic BP',
  temperature: 'Temperature',
  spo2: 'SpO₂',
  heightCm: 'Height',
  weightKg: 'Weight',
  // audit trail
  action: 'Action',
  from: 'From',
  to: 'To',
  // API tokens
  expiresInDays: 'Expires in (days)',
  scope: 'Access',
} as const satisfies Record<string, string>;
export type LabelledField = keyof typeof FIELD_LABELS;

/** What one entry of a list field is called: `lines.0.quantity` → "Quantity (drug 1)", `allergies.2` → "Allergy 3". */
export const ITEM_LABELS: Record<string, string> = {
  lines: 'drug',
  allergies: 'allergy',
  atcCodes: 'ATC code',
};

/** Words for enum values (genders, roles, statuses) where the stored value is not already the word. */
export const OPTION_LABELS: Record<string, string> = {
  admin: 'Admin',
  doctor: 'Doctor',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  recordofficer: 'Record officer',
  pending: 'Pending',
  dispensed: 'Dispensed',
  cancelled: 'Cancelled',
  asc: 'Ascending',
  desc: 'Descending',
  login_failed: 'Failed login',
};

/** An enum value in words: OPTION_LABELS, else "lowStock" → "Low stock", "expired" → "Expired". */
export function optionLabel(value: unknown): string {
  const s = String(value);
  return OPTION_LABELS[s] ?? humanise(s, { keepId: true });
}

/** "someField" or "some_field" → "Some field": a readable fallback for a field missing from the map. */
function humanise(key: string, { keepId = false } = {}): string {
  const words = (keepId ? key : key.replace(/Id$/, ''))
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'This field';
}

function labelOfKey(key: string): string {
  return (FIELD_LABELS as Record<string, string>)[key] ?? humanise(key);
}

const isIndex = (s: PropertyKey) => typeof s === 'number' || (typeof s === 'string' && /^\d+$/.test(s));
const capitalise = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/**
 * The label of a field path, as zod issues and error bodies carry it (`['lines', 0, 'quantity']` or
 * `"lines.0.quantity"`): "Quantity (drug 1)". An empty path is the whole input.
 */
export function fieldLabel(path: string | readonly PropertyKey[] | undefined): string {
  const segments = typeof path === 'string' ? (path ? path.split('.') : []) : [...(path ?? [])];
  if (segments.length === 0) return 'The input';
  const last = segments[segments.length - 1]!;
  const qualifiers: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    if (!isIndex(seg)) continue;
    const list = String(segments[i - 1]);
    const noun = ITEM_LABELS[list] ?? 'item';
    qualifiers.push(`${noun} ${Number(seg) + 1}`);
  }
  if (isIndex(last)) {
    // The entry itself: "Allergy 3" (any outer qualifiers stay in brackets).
    const item = capitalise(qualifiers.pop()!);
    return qualifiers.length ? `${item} (${qualifiers.join(', ')})` : item;
  }
  const label = labelOfKey(String(last));
  if (qualifiers.length === 0) return label;
  // "Drug (drug 1)" says it twice: the drug of line 1 is "Drug 1".
  const innermost = qualifiers[qualifiers.length - 1]!;
  if (innermost.startsWith(`${label.toLowerCase()} `)) {
    const rest = qualifiers.slice(0, -1);
    const item = capitalise(innermost);
    return rest.length ? `${item} (${rest.join(', ')})` : item;
  }
  return `${label} (${qualifiers.join(', ')})`;
}

/** Examples of a decimal value per field, for "use a decimal point, e.g. 37.5". */
const DECIMAL_EXAMPLES: Partial<Record<string, string>> = { temperature: '37.5', heightCm: '172.5', weightKg: '70.5' };
export function decimalExample(path: string | readonly PropertyKey[] | undefined): string {
  const segments = typeof path === 'string' ? path.split('.') : [...(path ?? [])];
  return DECIMAL_EXAMPLES[String(segments[segments.length - 1])] ?? '37.5';
}

/** A vital sign's possible range in words, from VITAL_LIMITS, for form hints: "1 to 300 beats/min". */
export function vitalRange(field: VitalField): string {
  const { possible, unit } = VITAL_LIMITS[field];
  return `${possible[0]} to ${possible[1]}${unit === '%' ? '' : ' '}${unit}`;
}

/** "Pulse must be between 1 and 300 beats/min": the one message for a vital sign outside its possible range. */
export function vitalRangeMessage(field: VitalField): string {
  const { possible, unit } = VITAL_LIMITS[field];
  return `${FIELD_LABELS[field]} must be between ${possible[0]} and ${possible[1]}${unit === '%' ? '' : ' '}${unit}`;
}
