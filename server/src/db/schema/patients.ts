import { index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { jsonColumn, primaryId } from './columns';
import { personColumns } from './staff';
import { recordColumns } from './authorship';

export const patients = mysqlTable(
  'patients',
  {
    id: primaryId(),
    /** Medical record number; assigned by the server when the registrar does not give one. */
    mrn: varchar({ length: 32 }),
    ...personColumns(),
    email: varchar({ length: 128 }),
    allergies: jsonColumn<string[]>().notNull(),
    ...recordColumns(),
  },
  (t) => [
    uniqueIndex('patients_mrn_uq').on(t.mrn),
    // Name search walks one of these per way of matching, both in (last, first, id) order for keyset paging.
    index('patients_last_first_idx').on(t.lastName, t.firstName, t.id),
    index('patients_first_last_idx').on(t.firstName, t.lastName, t.id),
    index('patients_phone_idx').on(t.phoneNumber, t.id),
  ],
);
