import type { StoredAllergy } from '@hmis/shared';
import { sql } from 'drizzle-orm';
import { index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { jsonColumn, primaryId } from './columns';
import { personColumns } from './staff';
import { recordColumns } from './authorship';

/**
 * The hospital's country calling code. A number stored or searched in national form (trunk 0: 0803 555 0101) is
 * read as +234 803 555 0101. It is part of the generated column below: changing it needs a migration.
 */
export const HOME_COUNTRY_CODE = '234';

/**
 * The phone number as international digits without the + (2348035550101), whatever form it was stored in:
 * "+2348035550101", "08035550101" (national, trunk 0), and the common "+234 0803…" (trunk 0 kept after the code).
 * Digits without + or 0 are kept as they are. Searches by the start of a number walk an index on this column.
 * `phoneSearchDigits` in services/patients.ts turns a typed query into the same form; the two must agree.
 */
const PHONE_INTL = sql.raw(
  `case when left(\`phone_number\`, ${HOME_COUNTRY_CODE.length + 2}) = '+${HOME_COUNTRY_CODE}0' then concat('${HOME_COUNTRY_CODE}', substring(\`phone_number\`, ${HOME_COUNTRY_CODE.length + 3}))` +
    ` when left(\`phone_number\`, 1) = '+' then substring(\`phone_number\`, 2)` +
    ` when left(\`phone_number\`, 1) = '0' then concat('${HOME_COUNTRY_CODE}', substring(\`phone_number\`, 2))` +
    ` else \`phone_number\` end`,
);

export const patients = mysqlTable(
  'patients',
  {
    id: primaryId(),
    /** Medical record number; assigned by the server when the registrar does not give one. */
    mrn: varchar({ length: 32 }),
    ...personColumns(),
    email: varchar({ length: 128 }),
    /** Allergy records, or plain strings: free text recorded before allergies were structured (decision 015). */
    allergies: jsonColumn<StoredAllergy[]>().notNull(),
    ...recordColumns(),
    /** Search key, kept by the database (STORED generated column): see PHONE_INTL. 22 = "234" + 19 digits. */
    phoneIntl: varchar({ length: 24 }).generatedAlwaysAs(PHONE_INTL, { mode: 'stored' }),
    /** Search key: the number's digits reversed, so "ends with 5550101" is an index prefix ("1010555…"). */
    phoneReversed: varchar({ length: 20 }).generatedAlwaysAs(sql.raw("reverse(replace(`phone_number`, '+', ''))"), { mode: 'stored' }),
  },
  (t) => [
    uniqueIndex('patients_mrn_uq').on(t.mrn),
    // Name search walks one of these per way of matching, both in (last, first, id) order for keyset paging.
    index('patients_last_first_idx').on(t.lastName, t.firstName, t.id),
    index('patients_first_last_idx').on(t.firstName, t.lastName, t.id),
    // Phone search walks one of these: by the start of the number, or by its last digits.
    index('patients_phone_intl_idx').on(t.phoneIntl, t.id),
    index('patients_phone_reversed_idx').on(t.phoneReversed, t.id),
  ],
);
