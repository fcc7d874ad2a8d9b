import { boolean, date, index, mysqlTable, uniqueIndex, varchar, type AnyMySqlColumn } from 'drizzle-orm/mysql-core';
import { GENDERS, MARITAL_STATUSES, ROLES } from '@hmis/shared';
import { idColumn, primaryId, timestamp3, timestamps, version } from './columns';

/** Personal columns shared by patients and staff (the original BaseUser). */
export const personColumns = () => ({
  firstName: varchar({ length: 128 }).notNull(),
  lastName: varchar({ length: 128 }).notNull(),
  otherNames: varchar({ length: 128 }),
  gender: varchar({ length: 8, enum: GENDERS }).notNull(),
  dob: date({ mode: 'string' }),
  maritalStatus: varchar({ length: 16, enum: MARITAL_STATUSES }),
  address: varchar({ length: 255 }),
  phoneNumber: varchar({ length: 20 }),
  nextOfKin: varchar({ length: 128 }),
  kinAddress: varchar({ length: 255 }),
});

export const staff = mysqlTable(
  'staff',
  {
    id: primaryId(),
    username: varchar({ length: 64 }).notNull(),
    email: varchar({ length: 128 }).notNull(),
    passwordHash: varchar({ length: 255 }).notNull(),
    role: varchar({ length: 16, enum: ROLES }).notNull(),
    jobTitle: varchar({ length: 64 }).notNull(),
    ...personColumns(),
    active: boolean().notNull().default(true),
    deactivatedAt: timestamp3(),
    ...timestamps(),
    createdBy: idColumn().references((): AnyMySqlColumn => staff.id),
    updatedBy: idColumn().references((): AnyMySqlColumn => staff.id),
    version: version(),
  },
  (t) => [
    uniqueIndex('staff_username_uq').on(t.username),
    uniqueIndex('staff_email_uq').on(t.email),
    index('staff_role_active_idx').on(t.role, t.active, t.id),
  ],
);
