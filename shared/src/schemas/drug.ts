import { z } from 'zod';
import { Id, IsoDate, LIMITS, optionalText, PageInput, recordMeta, requiredText, Version } from '../fields';
import { says } from '../messages';

/** Whole units: a number or a numeric string. Not z.coerce alone, which would turn null, '' or false into 0 stock. */
const Stock = z
  .union([z.number(), z.string().trim().regex(/^\d+$/, says((label) => `${label} must be a whole number`))])
  .pipe(z.coerce.number<string | number>().int().min(0).max(100_000_000));

export const DrugCreateInput = z.object({
  name: requiredText(LIMITS.drugName),
  genericName: optionalText(LIMITS.drugName),
  brand: optionalText(LIMITS.drugName),
  formulation: requiredText(LIMITS.shortText),
  strength: requiredText(LIMITS.shortText),
  route: requiredText(LIMITS.shortText),
  stockOnHand: Stock.default(0),
  reorderLevel: Stock.default(0),
  expiryDate: IsoDate.nullish(),
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
  stockOnHand: Stock.optional(),
  reorderLevel: Stock.optional(),
  expiryDate: IsoDate.nullish(),
});
export type DrugUpdateInput = z.input<typeof DrugUpdateInput>;

export const DrugListInput = PageInput.extend({
  /** Name or generic-name prefix. */
  q: z.string().trim().max(LIMITS.searchQuery).optional(),
});
export type DrugListInput = z.input<typeof DrugListInput>;

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
  belowReorderLevel: z.boolean(),
  expiryDate: z.string().nullable(),
  ...recordMeta,
});
export type Drug = z.infer<typeof Drug>;
