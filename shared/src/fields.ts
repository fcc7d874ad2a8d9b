/** Field building blocks with their limits. Every schema in shared/ is made from these. */
import { z } from 'zod';
import { GENDERS, MARITAL_STATUSES, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from './constants';
// Installs the clinician-worded error map before any schema is used (the web imports schemas from here too).
import { says } from './messages';

export const LIMITS = {
  name: 128,
  email: 128,
  username: 64,
  passwordMin: 10,
  passwordMax: 256,
  address: 255,
  phone: 20,
  mrn: 32,
  jobTitle: 64,
  clinicalText: 20_000,
  shortText: 64,
  drugName: 128,
  allergy: 64,
  allergyReaction: 128,
  allergiesMax: 50,
  overrideReason: 500,
  searchQuery: 100,
  lotNumber: 64,
  supplier: 128,
  stockNote: 500,
} as const;

/** A database id: positive integer. Coerced so path and query strings work too. */
export const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Long texts go into TEXT columns, which hold 65,535 bytes, while `max` counts characters: 20,000 emoji (4 bytes each
 * in UTF-8) would pass and the database would refuse them (a 500). At most 3 bytes per UTF-16 unit, so only strings
 * longer than 21,845 units need their bytes counted.
 */
const TEXT_COLUMN_BYTES = 65_535;
const fitsTextColumn = (v: string) => v.length <= TEXT_COLUMN_BYTES / 3 || new TextEncoder().encode(v).length <= TEXT_COLUMN_BYTES;
const trimmed = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(
      fitsTextColumn,
      says((label) => `${label} is too long to store: shorten it (emoji and some symbols take more room than letters)`),
    );
export const requiredText = (max: number) => trimmed(max).min(1);
export const optionalText = (max: number) => trimmed(max).nullish();

export const PersonName = requiredText(LIMITS.name);
export const Email = z.string().trim().toLowerCase().max(LIMITS.email).pipe(z.email());
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(LIMITS.username)
  .regex(
    /^[a-z0-9._-]+$/,
    says((label) => `${label} may contain only letters, digits, dot, dash and underscore`),
  );
export const Password = z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax);
export const Gender = z.enum(GENDERS);
export const MaritalStatus = z.enum(MARITAL_STATUSES);

/** Phone numbers are stored normalised (digits with an optional leading +) so search by phone is an index prefix. */
export function normalizePhone(value: string): string {
  const t = value.trim();
  return (t.startsWith('+') ? '+' : '') + t.replace(/\D/g, '');
}
export const Phone = z
  .string()
  .trim()
  .max(LIMITS.phone + 10)
  .regex(
    /^\+?[0-9 ()-]+$/,
    says((label) => `${label} may contain only digits, spaces, dashes, brackets and a leading +`),
  )
  .transform(normalizePhone)
  .refine(
    (v) => v.replace('+', '').length >= 6 && v.length <= LIMITS.phone,
    says((label) => `${label} must have between 6 and 20 digits`),
  );

export const Mrn = z
  .string()
  .trim()
  .toUpperCase()
  .min(3)
  .max(LIMITS.mrn)
  .regex(
    /^[A-Z0-9-]+$/,
    says((label) => `${label} may contain only letters, digits and dashes`),
  );

/** A yes/no that may come as a query string: true, false, 'true' or 'false'. */
export const QueryBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** A lot (batch) number as printed on the pack: letters, digits and - / . (stored upper case). */
export const LotNumber = requiredText(LIMITS.lotNumber)
  .toUpperCase()
  .regex(
    /^([A-Z0-9][A-Z0-9./-]*)?$/,
    says((label) => `${label} may contain only letters, digits, dash, slash and dot`),
  );

/** A calendar date, YYYY-MM-DD. */
export const IsoDate = z.iso.date({ abort: true });

/**
 * The calendar date at `at` where this runs: the hospital's (the server runs in its time zone, the browser on its
 * ward). Not toISOString(), which gives the date in UTC: in Lagos a baby born at 00:40 was "born in the future".
 */
export function localIsoDate(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
}

/** A date of birth: a real date, not in the future (the local date), not before 1900. */
export const DateOfBirth = IsoDate.refine(
  (d) => d >= '1900-01-01',
  says((label) => `${label} must be on or after 1 January 1900`),
).refine(
  (d) => d <= localIsoDate(new Date()),
  says((label) => `${label} must not be in the future`),
);

/**
 * A number typed into a form field, for the schemas to check: blank → undefined, "37.5" → 37.5, anything else (a
 * decimal comma "37,5", "abc") stays text so the schema says what is wrong ("use a decimal point") instead of
 * Number() turning it into NaN, or a thousands-separator parser into 375.
 */
export function numberFromText(text: string | null | undefined): number | string | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : t;
}

/**
 * A count of units (a quantity, stock on hand): a whole number, or its digits as text from a form or a query string.
 * Not z.coerce alone: Number() reads "1.000" (a thousands dot) as 1, "1e3" as 1000, "0x14" as 20, and '' or null as 0;
 * a quantity of medicine must be what was typed or refused.
 */
export function wholeNumber(min: number, max: number, opts: { signed?: boolean } = {}) {
  return z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(
          opts.signed ? /^[-+]?\d+$/ : /^\+?\d+$/,
          says((label) => `${label} must be a whole number, written without separators (1000, not 1,000 or 1.000)`),
        ),
    ])
    .pipe(z.coerce.number<string | number>().int().min(min).max(max));
}

/** Every updatable record carries a version; updates must send the version they were based on. */
export const Version = z.coerce.number().int().min(1);

/** ISO-8601 timestamp as sent in responses. */
export const Timestamp = z.string();

export const PageInput = z.object({
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z.string().max(512).optional(),
});
export type PageInput = z.infer<typeof PageInput>;

/**
 * A page of a list. `total` is given only where the server knows it without counting rows (a kept count, decision
 * 005), on the first page: a COUNT(*) over a million rows would cost more than the page.
 */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int().min(0).optional() });
}
export type Page<T> = { items: T[]; nextCursor: string | null; total?: number };

/** Personal fields shared by patients and staff (the original BaseUser). */
export const personFields = {
  firstName: PersonName,
  lastName: PersonName,
  otherNames: optionalText(LIMITS.name),
  gender: Gender,
  maritalStatus: MaritalStatus.nullish(),
  address: optionalText(LIMITS.address),
  phoneNumber: Phone.nullish(),
  nextOfKin: optionalText(LIMITS.name),
  kinAddress: optionalText(LIMITS.address),
};

export const personOutputFields = {
  firstName: z.string(),
  lastName: z.string(),
  otherNames: z.string().nullable(),
  gender: Gender,
  dob: z.string().nullable(),
  maritalStatus: MaritalStatus.nullable(),
  address: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  email: z.string().nullable(),
  nextOfKin: z.string().nullable(),
  kinAddress: z.string().nullable(),
};

export const recordMeta = {
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: z.number().int().nullable(),
  updatedBy: z.number().int().nullable(),
};
