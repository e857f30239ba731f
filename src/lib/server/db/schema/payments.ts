// Electronic payments with Stripe (docs/payments.md): each maker's connected account, the
// Checkout Sessions the till asked for, and every webhook event received (stored once by its
// id, so a redelivery is a no-op). Relative imports only: drizzle-kit loads this file outside
// Vite, where the $lib alias does not exist.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { user } from './auth';

const serverTime = (name: string) => timestamp(name, { withTimezone: true }).notNull().defaultNow();

/** A maker's (maker's) Stripe connected account: one per maker, made on "Connect". */
export const stripeAccounts = pgTable('stripe_accounts', {
  /** The server maker id (makers.id). No foreign key: makers are the sync schema's. */
  makerId: text('maker_id').primaryKey(),
  /** Stripe's account id (acct_...). */
  accountId: text('account_id').notNull().unique(),
  chargesEnabled: boolean('charges_enabled').notNull().default(false),
  detailsSubmitted: boolean('details_submitted').notNull().default(false),
  /**
   * `created` (Unix seconds) of the newest account.updated event applied, so an older event
   * delivered late never overwrites a newer state; 0 for a state read from the API.
   */
  lastEventCreated: bigint('last_event_created', { mode: 'number' }).notNull().default(0),
  createdAt: serverTime('created_at'),
  updatedAt: serverTime('updated_at'),
});

export const CHECKOUT_STATUSES = ['open', 'processing', 'expired', 'failed', 'paid'] as const;

/**
 * One Checkout Session per sale the till offered for payment by phone or card. The sale id is
 * the device's (the sale is recorded on the device only once this says paid).
 */
export const checkoutPayments = pgTable(
  'checkout_payments',
  {
    saleId: text('sale_id').primaryKey(),
    makerId: text('maker_id').notNull(),
    accountId: text('account_id').notNull(),
    eventId: text('event_id').notNull(),
    createdByUserId: text('created_by_user_id').references(() => user.id, {
      onDelete: 'set null',
    }),
    sessionId: text('session_id').notNull().unique(),
    /** Stripe's hosted page (null for Embedded Checkout, which has none). */
    url: text('url'),
    /** 'hosted' (a QR of Stripe's page) or 'embedded' (Embedded Checkout on the maker's phone). */
    uiMode: text('ui_mode', { enum: ['hosted', 'embedded'] })
      .notNull()
      .default('hosted'),
    /** Embedded Checkout's client secret (asked again after a lost answer: the same one). */
    clientSecret: text('client_secret'),
    /**
     * What the till asked for (the server recomputed it from the lines): the sale's total, or
     * for a split payment the electronic part (the rest was cash).
     */
    amountCents: integer('amount_cents').notNull(),
    /** What Stripe says the customer paid (amount_total of the completed session). */
    paidCents: integer('paid_cents'),
    /** Set when paidCents differs from amountCents: the till never completes such a sale. */
    amountMismatch: boolean('amount_mismatch').notNull().default(false),
    status: text('status', { enum: CHECKOUT_STATUSES }).notNull().default('open'),
    /** Stripe's payment intent (pi_...), once known: a later refund needs it. */
    paymentIntentId: text('payment_intent_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: serverTime('created_at'),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [
    index('checkout_payments_maker_idx').on(t.makerId),
    check(
      'checkout_payments_status_check',
      sql`${t.status} in ('open', 'processing', 'expired', 'failed', 'paid')`,
    ),
    check('checkout_payments_amount_check', sql`${t.amountCents} > 0`),
  ],
);

export const FEE_CHECKOUT_STATUSES = ['open', 'paid', 'expired', 'failed', 'mismatch'] as const;

/**
 * A stall fee paid online (src/lib/server/payments/fees.ts): one Embedded Checkout session on
 * the PLATFORM's account (the organisation running the server), for what the maker owed at
 * one event when they tapped "Pay now". The webhook credits `fee_payments` once, from here.
 */
export const feeCheckouts = pgTable(
  'fee_checkouts',
  {
    sessionId: text('session_id').primaryKey(),
    eventId: text('event_id').notNull(),
    makerId: text('maker_id').notNull(),
    createdByUserId: text('created_by_user_id').references(() => user.id, {
      onDelete: 'set null',
    }),
    /** What was owed when the session was made: exactly what Stripe must be paid. */
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: FEE_CHECKOUT_STATUSES }).notNull().default('open'),
    clientSecret: text('client_secret').notNull(),
    /** Stripe's payment intent once paid: the reference the organiser sees. */
    reference: text('reference'),
    /** What the payment added to fee_payments (at most what was still owed then). */
    creditedCents: integer('credited_cents'),
    createdAt: serverTime('created_at'),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [
    index('fee_checkouts_event_maker_idx').on(t.eventId, t.makerId),
    check(
      'fee_checkouts_status_check',
      sql`${t.status} in ('open', 'paid', 'expired', 'failed', 'mismatch')`,
    ),
    check('fee_checkouts_amount_check', sql`${t.amountCents} > 0`),
  ],
);

/** Every webhook event received, once by its id; `outcome` says what it did. */
export const stripeEvents = pgTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  /** The connected account the event is about (null for the platform's own). */
  accountId: text('account_id'),
  /** applied | ignored | unknown-sale | wrong-account | stale */
  outcome: text('outcome').notNull(),
  receivedAt: serverTime('received_at'),
});
