import { date, decimal, index, int, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { STOCK_MOVEMENT_KINDS } from '@hmis/shared';
import { idColumn, primaryId, timestamp3 } from './columns';
import { recordColumns } from './authorship';
import { staff } from './staff';

export const drugs = mysqlTable(
  'drugs',
  {
    id: primaryId(),
    name: varchar({ length: 128 }).notNull(),
    genericName: varchar({ length: 128 }),
    brand: varchar({ length: 128 }),
    formulation: varchar({ length: 64 }).notNull(),
    strength: varchar({ length: 64 }).notNull(),
    route: varchar({ length: 64 }).notNull(),
    /** The sum of the drug's lots' stock, kept in the same transaction as each movement (never edited directly). */
    stockOnHand: int().notNull().default(0),
    reorderLevel: int().notNull().default(0),
    /** The nearest expiry date of the lots with stock on hand (kept with the movements); null when none is known. */
    expiryDate: date({ mode: 'string' }),
    /** WHO ATC codes, comma-separated ('J01CR02' or 'N02BA01,B01AC06'); '' unclassified. A varchar rather than JSON:
     * the same type and checksum on MariaDB and MySQL 8, and a plain column for seed-large's LOAD DATA. */
    atcCodes: varchar({ length: 64 }).notNull().default(''),
    ...recordColumns(),
  },
  (t) => [
    index('drugs_name_idx').on(t.name, t.id),
    index('drugs_generic_idx').on(t.genericName, t.id),
    // The inventory list's other orders (decision 011).
    index('drugs_stock_idx').on(t.stockOnHand, t.id),
    index('drugs_expiry_date_idx').on(t.expiryDate, t.id),
  ],
);

/**
 * One lot (batch) of a drug as received: its number and expiry date. `onHand` is kept in the same transaction as
 * every movement of the lot and always equals the sum of its movements (decision 014; `npm run stock:check`).
 */
export const drugLots = mysqlTable(
  'drug_lots',
  {
    id: primaryId(),
    drugId: idColumn()
      .notNull()
      .references(() => drugs.id),
    lotNumber: varchar({ length: 64 }).notNull(),
    /** Null only for opening stock recorded before lots existed, when the drug had no expiry date. */
    expiryDate: date({ mode: 'string' }),
    onHand: int().notNull().default(0),
    /** Who supplied the lot first (later receipts of the same lot are movements with their own supplier). */
    supplier: varchar({ length: 128 }),
    ...recordColumns(),
  },
  (t) => [
    uniqueIndex('drug_lots_drug_lot_uq').on(t.drugId, t.lotNumber),
    // First-expiry-first-out picking, and a drug's nearest expiry with stock.
    index('drug_lots_drug_expiry_idx').on(t.drugId, t.expiryDate, t.id),
    // The expiry reports over all drugs.
    index('drug_lots_expiry_idx').on(t.expiryDate, t.id),
  ],
);

/**
 * The stock ledger: append-only, one row per change of a lot's stock. `quantity` is signed (in > 0, out < 0);
 * `drugBalance` and `lotBalance` are the stock after this movement, so a stock card reads its running balance.
 */
export const stockMovements = mysqlTable(
  'stock_movements',
  {
    id: primaryId(),
    drugId: idColumn()
      .notNull()
      .references(() => drugs.id),
    lotId: idColumn()
      .notNull()
      .references(() => drugLots.id),
    kind: varchar({ length: 16, enum: STOCK_MOVEMENT_KINDS }).notNull(),
    quantity: int().notNull(),
    drugBalance: int().notNull(),
    lotBalance: int().notNull(),
    reason: varchar({ length: 32 }),
    note: varchar({ length: 500 }),
    supplier: varchar({ length: 128 }),
    /** Per unit, in the hospital's currency; receipts only, optional. */
    unitCost: decimal({ precision: 12, scale: 2 }),
    /** Dispenses: the prescription, its line and patient (a lot's where-used report). */
    prescriptionId: idColumn(),
    lineId: idColumn(),
    patientId: idColumn(),
    at: timestamp3().notNull(),
    actorId: idColumn().references(() => staff.id),
  },
  (t) => [
    index('stock_movements_drug_idx').on(t.drugId, t.id),
    index('stock_movements_lot_idx').on(t.lotId, t.kind, t.id),
    index('stock_movements_prescription_idx').on(t.prescriptionId),
  ],
);
