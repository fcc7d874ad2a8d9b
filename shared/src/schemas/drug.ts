import { z } from 'zod';
import { DRUG_FILTERS } from '../constants';
import { Id, IsoDate, LIMITS, LotNumber, optionalText, PageInput, recordMeta, requiredText, Version, wholeNumber } from '../fields';
import { says } from '../messages';

/** Whole units on hand (wholeNumber: never '', null or "1.000" read as a number). */
const Stock = wholeNumber(0, 100_000_000);

/**
 * One WHO ATC code or group: the anatomical group letter, then as far as known the therapeutic group (2 digits), the
 * subgroups (2 letters) and the substance (2 digits): 'J', 'J01', 'J01C', 'J01CA', 'J01CA04'. Stored upper case.
 */
export const AtcCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$/,
    says((label) => `${label} must be a WHO ATC code such as J01CA04`),
  );

/** A drug's ATC codes, one per ingredient or use (a combination can have several); none: unclassified. */
export const ATC_CODES_MAX = 8;
export const AtcCodes = z.array(AtcCode).max(ATC_CODES_MAX);

export const DrugCreateInput = z.object({
  name: requiredText(LIMITS.drugName),
  genericName: optionalText(LIMITS.drugName),
  brand: optionalText(LIMITS.drugName),
  formulation: requiredText(LIMITS.shortText),
  strength: requiredText(LIMITS.shortText),
  route: requiredText(LIMITS.shortText),
  /**
   * Opening stock: units already on the shelf when the drug is added, recorded as the opening balance of one lot
   * (`lotNumber`, OPENING when not given) with `expiryDate`. Later stock comes in through receipts.
   */
  stockOnHand: Stock.default(0),
  reorderLevel: Stock.default(0),
  expiryDate: IsoDate.nullish(),
  lotNumber: LotNumber.optional(),
  atcCodes: AtcCodes.default([]),
});
export type DrugCreateInput = z.input<typeof DrugCreateInput>;

export const DrugUpdateInput = z.object({
  id: Id,
  version: Version,
  name: requiredText(LIMITS.drugName).optional(),
  genericName: optionalText(LIMITS.drugName),
  brand: optionalText(LIMITS.drugName),
  formulation: requiredText(LIMITS.shortText).optional(),
  strength: requiredText(LIMITS.shortText).optional(),
  route: requiredText(LIMITS.shortText).optional(),
  /**
   * Not editable: stock changes through receipts, adjustments, write-offs, returns and dispensing (the stock
   * ledger), and expiry dates belong to lots. Accepted only unchanged, so a client may send back what it read.
   */
  stockOnHand: Stock.optional(),
  reorderLevel: Stock.optional(),
  expiryDate: IsoDate.nullish(),
  atcCodes: AtcCodes.optional(),
});
export type DrugUpdateInput = z.input<typeof DrugUpdateInput>;

/** A drug is "expiring soon" from today until this many days ahead (inclusive). */
export const EXPIRING_SOON_DAYS = 90;

/** How every client shows a drug's expiry: one rule, computed by the server. */
export const EXPIRY_STATUSES = ['expired', 'expiringSoon', 'ok', 'unknown'] as const;
export const ExpiryStatus = z.enum(EXPIRY_STATUSES);
export type ExpiryStatus = z.infer<typeof ExpiryStatus>;

/**
 * The expiry status of a date on a given day (both YYYY-MM-DD, the hospital's calendar day): before today is expired,
 * today up to EXPIRING_SOON_DAYS ahead is expiring soon, no date is unknown.
 */
export function expiryStatusOf(expiryDate: string | null, today: string): ExpiryStatus {
  if (!expiryDate) return 'unknown';
  if (expiryDate < today) return 'expired';
  return expiryDate <= addDays(today, EXPIRING_SOON_DAYS) ? 'expiringSoon' : 'ok';
}

/** Calendar arithmetic on YYYY-MM-DD (no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const DRUG_SORTS = ['name', 'stock', 'expiry'] as const;
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;

export const DrugListInput = PageInput.extend({
  /**
   * Search: a name or generic name that starts with q, or has a word starting with q ("metformin" finds
   * "Glucophage (Metformin)"; "formin" does not).
   */
  q: z.string().trim().max(LIMITS.searchQuery).optional(),
  /** lowStock: stock at or below the reorder level; expired / expiringSoon: as `expiryStatus`. */
  filter: z.enum(DRUG_FILTERS).optional(),
  /** name (default), stock on hand, or expiry date (drugs without one come last, in either direction). */
  sort: z.enum(DRUG_SORTS).default('name'),
  dir: z.enum(SORT_DIRECTIONS).default('asc'),
});
export type DrugListInput = z.input<typeof DrugListInput>;

/** Counts over the whole catalogue, for the inventory dashboard. */
export const DrugSummary = z.object({
  total: z.number().int(),
  /** Stock at or below the reorder level (the `belowReorderLevel` flag). */
  belowReorderLevel: z.number().int(),
  expired: z.number().int(),
  expiringSoon: z.number().int(),
  /** The day the expiry counts are for (YYYY-MM-DD, the hospital's calendar day). */
  today: z.string(),
  expiringSoonDays: z.number().int(),
});
export type DrugSummary = z.infer<typeof DrugSummary>;

export const Drug = z.object({
  id: z.number().int(),
  name: z.string(),
  genericName: z.string().nullable(),
  brand: z.string().nullable(),
  formulation: z.string(),
  strength: z.string(),
  route: z.string(),
  stockOnHand: z.number().int(),
  reorderLevel: z.number().int(),
  /** Stock at or below the reorder level. */
  belowReorderLevel: z.boolean(),
  expiryDate: z.string().nullable(),
  expiryStatus: ExpiryStatus,
  /**
   * WHO ATC codes; empty: unclassified, checked against allergies by name only.
   */
  atcCodes: z.array(z.string()),
  ...recordMeta,
});
export type Drug = z.infer<typeof Drug>;
