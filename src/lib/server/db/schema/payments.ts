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

/**
 * A maker's reusable Stripe Payment Link (docs/payments.md, "Offline: the stall's payment
 * link"): one per maker, on their connected account, where the customer types the amount.
 * Made while online; the device keeps its URL for the till to show when offline.
 */
export const paymentLinks = pgTable('payment_links', {
  makerId: text('maker_id').primaryKey(),
  accountId: text('account_id').notNull(),
  /** Stripe's payment link id (plink_...). */
  linkId: text('link_id').notNull().unique(),
  url: text('url').notNull(),
  createdAt: serverTime('created_at'),
});

export const LINK_PAYMENT_STATUSES = ['processing', 'failed', 'paid'] as const;

/**
 * One completed Checkout Session of a maker's payment link, by its session id. The sale it
 * pays is named only by the customer's `client_reference_id` (the device's sale id, which
 * the till put in the QR); it is matched to the maker's sale when read, so the webhook and
 * the sale's sync may arrive in either order. `saleId` is null when the link was paid
 * without one (the bare link).
 */
export const linkPayments = pgTable(
  'link_payments',
  {
    sessionId: text('session_id').primaryKey(),
    makerId: text('maker_id').notNull(),
    accountId: text('account_id').notNull(),
    linkId: text('link_id').notNull(),
    saleId: text('sale_id'),
    /** What Stripe says the customer paid (amount_total) and in what currency. */
    paidCents: bigint('paid_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: LINK_PAYMENT_STATUSES }).notNull(),
    paymentIntentId: text('payment_intent_id'),
    /** When Stripe made the session (Unix seconds × 1000). */
    stripeCreatedAt: bigint('stripe_created_at', { mode: 'number' }).notNull(),
    createdAt: serverTime('created_at'),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [
    index('link_payments_maker_sale_idx').on(t.makerId, t.saleId),
    check('link_payments_status_check', sql`${t.status} in ('processing', 'failed', 'paid')`),
  ],
);

export const ELECTRONIC_REFUND_STATES = ['pending', 'refunded', 'failed'] as const;

/**
 * The electronic part of a refund (docs/payments.md "Refunds"): one row per refund record
 * whose sale was paid by phone or card (written in the push's own transaction, so no refund
 * is ever forgotten), sent to Stripe after that transaction committed and retried while
 * pending; and one per refund made in the Stripe dashboard (origin 'dashboard').
 */
export const electronicRefunds = pgTable(
  'electronic_refunds',
  {
    /** The refund record's id; for a dashboard refund a server-made one. */
    refundId: text('refund_id').primaryKey(),
    saleId: text('sale_id').notNull(),
    makerId: text('maker_id').notNull(),
    origin: text('origin', { enum: ['device', 'dashboard'] }).notNull(),
    /** What goes back electronically (card first, src/lib/domain/electronic-refund.ts). */
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    status: text('status', { enum: ELECTRONIC_REFUND_STATES }).notNull().default('pending'),
    /** Stripe's refund (re_...), once Stripe made it. */
    stripeRefundId: text('stripe_refund_id').unique(),
    /** Why it failed, in Stripe's words. */
    failureReason: text('failure_reason'),
    /** A dashboard refund: the refund record made of it (null: money only, no lines matched). */
    recordId: text('record_id'),
    /** A dashboard refund a later device refund of the same amount was matched to. */
    matchedRefundId: text('matched_refund_id').unique(),
    attempts: integer('attempts').notNull().default(0),
    /** The retry job leaves a row alone until then (one attempt at a time, backing off). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: serverTime('created_at'),
    updatedAt: serverTime('updated_at'),
  },
  (t) => [
    index('electronic_refunds_sale_idx').on(t.saleId),
    index('electronic_refunds_pending_idx').on(t.status, t.nextAttemptAt),
    check('electronic_refunds_status_check', sql`${t.status} in ('pending', 'refunded', 'failed')`),
    check('electronic_refunds_origin_check', sql`${t.origin} in ('device', 'dashboard')`),
    check('electronic_refunds_amount_check', sql`${t.amountCents} > 0`),
  ],
);
