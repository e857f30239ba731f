// What organisers plan and makers present (issue 4): series, the organiser's side of an
// event (map frame, fees, closing time), landmarks, invited makers, fee payments, maker
// profiles and photos, the choice to share figures, announcements. Events, stalls and
// assignments themselves live in ./sync.ts because devices sync them.
// Relative imports only: drizzle-kit loads this file outside Vite.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  ContactChannel,
  ContactDetail,
  StallNeeds,
} from '../../../domain/organiser/maker-profile';
import { LANDMARK_KINDS } from '../../../domain/organiser/stall-map';
import { user } from './auth';
import { invitations, organisations } from './org';
import { events, stalls, makers } from './sync';

const cents = (name: string) => bigint(name, { mode: 'number' });
const epochMs = (name: string) => bigint(name, { mode: 'number' });
const serverTime = (name: string) => timestamp(name, { withTimezone: true }).notNull().defaultNow();

/** Raw bytes (photos). postgres.js and PGlite both hand back a Uint8Array/Buffer. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/** A recurring event ("Pop-up Bazaar Leidschendam"); its editions are events with its id. */
export const eventSeries = pgTable(
  'event_series',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [index('event_series_organisation_idx').on(t.organisationId)],
);

/** The organiser's side of an organised event: one row per event with an organisation. */
export const organisedEvents = pgTable('organised_events', {
  eventId: text('event_id')
    .primaryKey()
    .references(() => events.id, { onDelete: 'cascade' }),
  description: text('description').notNull().default(''),
  /** Epoch ms of closing; set exactly while the status is closed (domain EV3). */
  closedAt: epochMs('closed_at'),
  allowMultipleStalls: boolean('allow_multiple_stalls').notNull().default(false),
  stallFeeDefaultCents: cents('stall_fee_default_cents').notNull().default(0),
  mapWidth: integer('map_width').notNull().default(12),
  mapHeight: integer('map_height').notNull().default(8),
});

/** A stall's own fee (absent: the event's default). Kept apart: devices never see fees. */
export const stallFees = pgTable('stall_fees', {
  stallId: text('stall_id')
    .primaryKey()
    .references(() => stalls.id, { onDelete: 'cascade' }),
  feeCents: cents('fee_cents').notNull(),
});

export const landmarks = pgTable(
  'landmarks',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: LANDMARK_KINDS }).notNull(),
    label: text('label').notNull().default(''),
    x: integer('x').notNull(),
    y: integer('y').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
  },
  (t) => [
    index('landmarks_event_idx').on(t.eventId),
    check(
      'landmarks_kind_check',
      sql.raw(`"kind" in (${LANDMARK_KINDS.map((k) => `'${k}'`).join(', ')})`),
    ),
  ],
);

/** Makers invited to an event (with or without a stall yet): "who takes part". */
export const eventMakers = pgTable(
  'event_makers',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    makerId: text('maker_id').notNull(),
    createdAt: serverTime('created_at'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.makerId] }),
    index('event_makers_maker_idx').on(t.makerId),
  ],
);

/** What a maker has paid towards their stall fee at one event (a running total). */
export const feePayments = pgTable(
  'fee_payments',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    makerId: text('maker_id').notNull(),
    paidCents: cents('paid_cents').notNull(),
    /**
     * The reference of the last payment made inside Kraam (Stripe's payment intent, pi_...),
     * set by the webhook (src/lib/server/payments/fees.ts); null when recorded by hand.
     */
    reference: text('reference'),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.makerId] }),
    check('fee_payments_paid_check', sql`${t.paidCents} >= 0`),
  ],
);

/** A maker's profile (domain maker-profile.ts), one per server maker. */
export const makerProfiles = pgTable(
  'maker_profiles',
  {
    makerId: text('maker_id')
      .primaryKey()
      .references(() => makers.id, { onDelete: 'cascade' }),
    /** The public page's address (/m/<slug>): made once, never changed (printed QR codes). */
    slug: text('slug').notNull(),
    displayName: text('display_name').notNull(),
    craft: text('craft').notNull().default(''),
    story: text('story').notNull().default(''),
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    photoIds: jsonb('photo_ids').$type<string[]>().notNull().default([]),
    contact: jsonb('contact').$type<Record<ContactChannel, ContactDetail>>().notNull(),
    listed: boolean('listed').notNull().default(false),
    needs: jsonb('needs').$type<StallNeeds>().notNull(),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [uniqueIndex('maker_profiles_slug_uq').on(t.slug)],
);

export const makerPhotos = pgTable(
  'maker_photos',
  {
    id: text('id').primaryKey(),
    makerId: text('maker_id')
      .notNull()
      .references(() => makers.id, { onDelete: 'cascade' }),
    mimeType: text('mime_type').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    createdAt: serverTime('created_at'),
  },
  (t) => [index('maker_photos_maker_idx').on(t.makerId)],
);

/**
 * Product photos (issue 9, src/lib/sync/SPEC.md "Product photos"): the bytes of a
 * `Product.photoId`, uploaded by the maker's device that took it and fetched by their other
 * devices. The id is the device-made photo id; a photo never changes (a new photo is a new id).
 */
export const productPhotos = pgTable(
  'product_photos',
  {
    id: text('id').primaryKey(),
    makerId: text('maker_id')
      .notNull()
      .references(() => makers.id, { onDelete: 'cascade' }),
    mimeType: text('mime_type').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    /** SHA-256 (hex) of the bytes: a re-upload of the same photo is a no-op. */
    sha256: text('sha256').notNull(),
    createdAt: serverTime('created_at'),
  },
  (t) => [index('product_photos_maker_idx').on(t.makerId)],
);

/** A maker's choice to share their sales figures with one organisation (absent: not shared). */
export const figureSharing = pgTable(
  'figure_sharing',
  {
    makerId: text('maker_id').notNull(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    shares: boolean('shares').notNull(),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [primaryKey({ columns: [t.makerId, t.organisationId] })],
);

export const announcements = pgTable(
  'announcements',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    /** Server time of sending, epoch ms (what the maker sees as "sent at"). */
    sentAt: epochMs('sent_at').notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [index('announcements_event_idx').on(t.eventId)],
);

export const APPLICATION_STATUSES = ['new', 'waiting', 'accepted', 'declined'] as const;

/**
 * A new maker's application to a published event (no account needed): what they make, how to
 * reach them, the language they prefer and their consent to be contacted. The applicant
 * follows it on a status page (/application/<token>); only the token's SHA-256 is stored.
 */
export const makerApplications = pgTable(
  'maker_applications',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    craft: text('craft').notNull(),
    contact: text('contact').notNull(),
    language: text('language').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: APPLICATION_STATUSES }).notNull().default('new'),
    /** The organiser's message to the applicant (a decline's reason), in their language. */
    message: text('message'),
    statusTokenHash: text('status_token_hash').notNull().unique(),
    /** On accepting: the invitation made for this applicant. */
    invitationId: text('invitation_id').references(() => invitations.id, {
      onDelete: 'set null',
    }),
    createdAt: serverTime('created_at'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('maker_applications_event_idx').on(t.eventId),
    check(
      'maker_applications_status_check',
      sql`${t.status} in ('new', 'waiting', 'accepted', 'declined')`,
    ),
    check(
      'maker_applications_text_check',
      sql`char_length(${t.name}) <= 100 and char_length(${t.craft}) <= 200 and char_length(${t.contact}) <= 200 and char_length(${t.message}) <= 1000`,
    ),
  ],
);

export const applicationPhotos = pgTable(
  'application_photos',
  {
    id: text('id').primaryKey(),
    applicationId: text('application_id')
      .notNull()
      .references(() => makerApplications.id, { onDelete: 'cascade' }),
    mimeType: text('mime_type').notNull(),
    bytes: bytea('bytes').notNull(),
    size: integer('size').notNull(),
    createdAt: serverTime('created_at'),
  },
  (t) => [index('application_photos_application_idx').on(t.applicationId)],
);

/**
 * Public forms' rate limit (applications): requests per key (form and client address) in a
 * fixed window, counted in one UPSERT so several server processes share the count.
 */
export const publicFormAttempts = pgTable('public_form_attempts', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
});
