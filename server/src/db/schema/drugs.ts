import { date, index, int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { primaryId } from './columns';
import { recordColumns } from './authorship';

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
    stockOnHand: int().notNull().default(0),
    reorderLevel: int().notNull().default(0),
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
