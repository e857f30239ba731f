// Tenants and who may do what in them. Relative imports only: drizzle-kit loads this file
// outside Vite, where the $lib alias does not exist.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../../domain/ids';
import { user } from './auth';

export const ROLES = ['organiser', 'maker', 'helper'] as const;
export type Role = (typeof ROLES)[number];

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey().$defaultFn(uuidv7),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

export const memberships = pgTable(
  'memberships',
  {
    id: text('id').primaryKey().$defaultFn(uuidv7),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    /**
     * For a maker: their own maker profile (StallProfile.id, made on the device and adopted
     * on first sync, so null until then). For a helper: the maker whose stall they sell for.
     * No foreign key: maker profiles are the sync schema's business.
     */
    makerId: text('maker_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('memberships_user_organisation_uq').on(t.userId, t.organisationId),
    index('memberships_organisation_idx').on(t.organisationId),
    check('memberships_role_check', sql`${t.role} in ('organiser', 'maker', 'helper')`),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey().$defaultFn(uuidv7),
    /** SHA-256 (hex) of the token in the link; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    /**
     * false: join `organisationId` with `role`. true: found a new organisation on this server
     * and be its organiser (`organisationId` is then the inviting organisation, for the record).
     */
    newOrganisation: boolean('new_organisation').notNull().default(false),
    /** For a helper invitation: the maker they will sell for. */
    makerId: text('maker_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: text('used_by').references(() => user.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * How many sign-ups through this link were answered "this e-mail already has an account"
     * (accounts/signup.ts). At SIGN_UP_PROBES_MAX the link takes no more sign-ups (signing in
     * and accepting it still works): whoever holds the link can test only so many e-mails.
     */
    signUpProbes: integer('sign_up_probes').notNull().default(0),
    /** The organiser's note: who the link is for ("for Amira, honey cakes"). */
    note: text('note'),
    /** Withdrawn by an organiser: the link no longer works (domain invitations.ts). */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('invitations_organisation_idx').on(t.organisationId),
    check('invitations_sign_up_probes_check', sql`${t.signUpProbes} >= 0`),
    check('invitations_note_check', sql`char_length(${t.note}) <= 200`),
    check('invitations_role_check', sql`${t.role} in ('organiser', 'maker', 'helper')`),
    check(
      'invitations_new_organisation_check',
      sql`not ${t.newOrganisation} or ${t.role} = 'organiser'`,
    ),
  ],
);

/** Key/value facts about this server's database, e.g. its epoch. */
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
