/**
 * The stock ledger (issue 10, decision 014): every change of a drug's stock is a movement of one lot. Stock on hand
 * per lot and per drug is the sum of the movements, kept in the same transaction as each one.
 */
import { z } from 'zod';
import { Id, IsoDate, LIMITS, LotNumber, optionalText, PageInput, QueryBoolean, requiredText, wholeNumber } from '../fields';
import { says } from '../messages';
import { ExpiryStatus } from './drug';

export const STOCK_MOVEMENT_KINDS = ['opening', 'receipt', 'dispense', 'adjustment', 'write_off', 'return'] as const;
export const StockMovementKind = z.enum(STOCK_MOVEMENT_KINDS);
export type StockMovementKind = z.infer<typeof StockMovementKind>;

/** Why a count changed outside receipts and dispenses: a stock count found a difference, or units were damaged or lost. */
export const ADJUSTMENT_REASONS = ['count_correction', 'damage', 'loss'] as const;
/** Why a lot leaves stock unused: it expired, or the maker or regulator recalled it. */
export const WRITE_OFF_REASONS = ['expired', 'recalled'] as const;

/** How people read the kinds and reasons (stock card, console, web). */
export const STOCK_WORDS: Record<StockMovementKind | (typeof ADJUSTMENT_REASONS)[number] | (typeof WRITE_OFF_REASONS)[number], string> = {
  opening: 'Opening balance',
  receipt: 'Received',
  dispense: 'Dispensed',
  adjustment: 'Adjusted',
  write_off: 'Written off',
  return: 'Returned to stock',
  count_correction: 'Count correction',
  damage: 'Damaged',
  loss: 'Lost',
  expired: 'Expired',
  recalled: 'Recalled',
};

/** Whole units moved: a number or its digits from a form or a query. */
const Units = wholeNumber(1, 1_000_000);

/** Money per unit: up to 2 decimals, not negative. */
const UnitCost = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(
        /^\d{1,9}(\.\d{1,2})?$/,
        says((label) => `${label} must be an amount such as 12.50`),
      ),
  ])
  .pipe(z.coerce.number<string | number>().min(0).max(999_999_999.99))
  .refine(
    (n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6,
    says((label) => `${label} may have at most 2 decimals`),
  );

/** A receipt: new stock of one lot from a supplier. The expiry date must not be before today (checked by the server). */
export const StockReceiptInput = z.object({
  drugId: Id,
  lotNumber: LotNumber,
  expiryDate: IsoDate,
  quantity: Units,
  supplier: requiredText(LIMITS.supplier),
  unitCost: UnitCost.nullish(),
  note: optionalText(LIMITS.stockNote),
});
export type StockReceiptInput = z.input<typeof StockReceiptInput>;

/**
 * A correction of one lot's count, with its reason. `quantity` is the change: +5 when a count found five more,
 * −3 when three were damaged or lost (damage and loss only take stock away).
 */
export const StockAdjustmentInput = z
  .object({
    drugId: Id,
    lotId: Id,
    quantity: wholeNumber(-1_000_000, 1_000_000, { signed: true }).refine(
      (n) => n !== 0,
      says((label) => `${label} must not be 0`),
    ),
    reason: z.enum(ADJUSTMENT_REASONS),
    note: optionalText(LIMITS.stockNote),
  })
  .refine((a) => a.reason === 'count_correction' || a.quantity < 0, {
    path: ['quantity'],
    message: 'Quantity must be negative for damaged or lost stock (the number of units taken away, such as -3)',
  });
export type StockAdjustmentInput = z.input<typeof StockAdjustmentInput>;

/** Takes a lot's stock out unused: all of it unless a quantity is given. */
export const StockWriteOffInput = z.object({
  drugId: Id,
  lotId: Id,
  quantity: Units.optional(),
  reason: z.enum(WRITE_OFF_REASONS),
  note: optionalText(LIMITS.stockNote),
});
export type StockWriteOffInput = z.input<typeof StockWriteOffInput>;

/** Unused units brought back to the lot they came from (a ward's or a patient's return); the note says from where. */
export const StockReturnInput = z.object({
  drugId: Id,
  lotId: Id,
  quantity: Units,
  note: requiredText(LIMITS.stockNote),
});
export type StockReturnInput = z.input<typeof StockReturnInput>;

export const DrugLotsInput = z.object({ drugId: Id, includeEmpty: QueryBoolean.default(false) });
export type DrugLotsInput = z.input<typeof DrugLotsInput>;

export const StockCardInput = PageInput.extend({ drugId: Id });
export type StockCardInput = z.input<typeof StockCardInput>;

export const LotUsageInput = PageInput.extend({ drugId: Id, lotId: Id });
export type LotUsageInput = z.input<typeof LotUsageInput>;

/** Lots with stock that expire from today up to `days` ahead (90 by default), nearest first. */
export const ExpiringLotsInput = PageInput.extend({ days: z.coerce.number<string | number>().int().min(0).max(3650).default(90) });
export type ExpiringLotsInput = z.input<typeof ExpiringLotsInput>;

export const ExpiredLotsInput = PageInput;
export type ExpiredLotsInput = z.input<typeof ExpiredLotsInput>;

export const DrugLot = z.object({
  id: z.number().int(),
  drugId: z.number().int(),
  drugName: z.string(),
  lotNumber: z.string(),
  expiryDate: z.string().nullable(),
  expiryStatus: ExpiryStatus,
  onHand: z.number().int(),
  supplier: z.string().nullable(),
  receivedAt: z.string(),
});
export type DrugLot = z.infer<typeof DrugLot>;

export const StockMovement = z.object({
  id: z.number().int(),
  drugId: z.number().int(),
  lotId: z.number().int(),
  lotNumber: z.string(),
  expiryDate: z.string().nullable(),
  kind: StockMovementKind,
  /** Signed: units in are positive, units out negative. */
  quantity: z.number().int(),
  /** The drug's stock after this movement (the stock card's running balance). */
  balance: z.number().int(),
  /** The lot's stock after this movement. */
  lotBalance: z.number().int(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  supplier: z.string().nullable(),
  /** Per unit, as a decimal string ("12.50"); receipts only. */
  unitCost: z.string().nullable(),
  /** A dispense's (or return's) prescription and patient: for roles that dispense only (null for others), audited. */
  prescriptionId: z.number().int().nullable(),
  patientId: z.number().int().nullable(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
});
export type StockMovement = z.infer<typeof StockMovement>;

/** One dispense of a lot: who received it (a recall's where-used list). */
export const LotDispense = z.object({
  movementId: z.number().int(),
  at: z.string(),
  quantity: z.number().int(),
  patientId: z.number().int(),
  mrn: z.string(),
  patientName: z.string(),
  prescriptionId: z.number().int(),
  consultationId: z.number().int(),
  dispensedBy: z.string().nullable(),
});
export type LotDispense = z.infer<typeof LotDispense>;

/** What a stock change returns: the movement written and the drug's stock after it. */
export const StockChange = z.object({
  movements: z.array(StockMovement),
  stockOnHand: z.number().int(),
  expiryDate: z.string().nullable(),
});
export type StockChange = z.infer<typeof StockChange>;

/** The lots a dispensed drug line was taken from. */
export const DispensedLot = z.object({
  lotId: z.number().int(),
  lotNumber: z.string(),
  expiryDate: z.string().nullable(),
  quantity: z.number().int(),
});
export type DispensedLot = z.infer<typeof DispensedLot>;
