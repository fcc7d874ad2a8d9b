import { bigint, index, mysqlTable, primaryKey, text, tinyint, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { API_TOKEN_SCOPES, AUDIT_ACTIONS, AUDIT_ENTITIES } from '@hmis/shared';
import { idColumn, jsonColumn, primaryId, timestamp3 } from './columns';
import { staff } from './staff';

/**
 * Append-only. No foreign key to patients: the trail must outlive the record it describes.
 */
export const auditEvents = mysqlTable(
  'audit_events',
  {
    id: primaryId(),
    at: timestamp3().notNull(),
    actorId: idColumn().references(() => staff.id),
    action: varchar({ length: 16, enum: AUDIT_ACTIONS }).notNull(),
    entityType: varchar({ length: 24, enum: AUDIT_ENTITIES }).notNull(),
    entityId: idColumn(),
    patientId: idColumn(),
    before: jsonColumn<unknown>(),
    after: jsonColumn<unknown>(),
    detail: varchar({ length: 255 }),
    ip: varchar({ length: 45 }),
  },
  (t) => [
    // Newest first by time, for one patient or one actor, optionally of one action (decision 011).
    index('audit_patient_at_idx').on(t.patientId, t.at, t.id),
    index('audit_actor_at_idx').on(t.actorId, t.at, t.id),
    index('audit_patient_action_at_idx').on(t.patientId, t.action, t.at, t.id),
    index('audit_actor_action_at_idx').on(t.actorId, t.action, t.at, t.id),
    index('audit_entity_idx').on(t.entityType, t.entityId),
  ],
);

/** Server-side sessions: they survive a restart, are shared by several processes and die at logout. */
export const sessions = mysqlTable(
  'sessions',
  {
    id: varchar({ length: 64 }).primaryKey(),
    staffId: idColumn().references(() => staff.id, { onDelete: 'cascade' }),
    data: text().notNull(),
    expiresAt: timestamp3().notNull(),
  },
  (t) => [index('sessions_staff_idx').on(t.staffId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Failed logins, for throttling: keyed by the normalised username tried and by client address. */
export const loginFailures = mysqlTable(
  'login_failures',
  {
    id: primaryId(),
    usernameKey: varchar({ length: 128 }).notNull(),
    ip: varchar({ length: 45 }).notNull(),
    at: timestamp3().notNull(),
  },
  (t) => [index('login_failures_user_idx').on(t.usernameKey, t.at), index('login_failures_ip_idx').on(t.ip, t.at)],
);

/**
 * Row counts kept in the same transaction as each insert/delete, so /stats never counts big tables. Each count is
 * spread over COUNTER_SLOTS rows (a change adds to one at random; a read sums them), so concurrent creates do not all
 * update one hot row — which serialised them on one server and failed half of them with certification conflicts on a
 * multi-writer Galera cluster (issue 12).
 */
export const recordCounts = mysqlTable(
  'record_counts',
  {
    kind: varchar({ length: 32 }).notNull(),
    slot: tinyint({ unsigned: true }).notNull().default(0),
    n: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.kind, t.slot] })],
);

/** Personal API tokens for machine clients: stored as SHA-256 of the token (high-entropy, so a fast hash is right). */
export const apiTokens = mysqlTable(
  'api_tokens',
  {
    id: primaryId(),
    staffId: idColumn()
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    name: varchar({ length: 64 }).notNull(),
    tokenHash: varchar({ length: 64 }).notNull(),
    /** The first characters, so a person can tell tokens apart. */
    prefix: varchar({ length: 16 }).notNull(),
    /** read: queries only; write: everything the owner's role may do (decision 016). */
    scope: varchar({ length: 8, enum: API_TOKEN_SCOPES }).notNull().default('read'),
    createdAt: timestamp3().notNull(),
    /** Always set since migration 0008: a token has a maximum lifetime. */
    expiresAt: timestamp3(),
    revokedAt: timestamp3(),
    /** When it last authenticated a request (kept to the minute). */
    lastUsedAt: timestamp3(),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_staff_idx').on(t.staffId, t.id)],
);
