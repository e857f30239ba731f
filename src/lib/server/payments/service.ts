// Electronic payments on the server (docs/payments.md): the maker's Stripe connection, a
// Checkout Session per sale offered for payment by phone or card, and what the till sees of
// it. Network calls to Stripe never happen inside a database transaction: a session is made
// first (idempotent by the sale id, so a retry gets the same one) and stored after.
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { priceCart, type Cart } from '$lib/domain/cart';
import type { Db } from '$lib/server/db';
import { checkoutPayments, paymentLinks, stripeAccounts } from '$lib/server/db/schema';
import { ApiError, conflict, forbidden, notFound } from '$lib/server/http';
import { loadAccount } from '$lib/server/sync/account';
import {
  MAX_CHECKOUT_CENTS,
  MIN_CHECKOUT_CENTS,
  type CheckoutAnswer,
  type CheckoutRequest,
  type ConnectState,
  type PaymentsStatus,
} from '$lib/payments/contract';
import type { StripeConfig } from './config';
import { applySession, stateOfSession } from './webhook';

export interface PaymentsContext {
  db: Db;
  /** null when Stripe is not configured: every payment endpoint says "cash only". */
  stripe: { config: StripeConfig; stripe: Stripe } | null;
  /** The site's public origin, for the URLs Stripe sends the maker and customer back to. */
  origin: string;
  now?: () => number;
}

/** How long a customer has to pay (Stripe's shortest allowed session life is 30 minutes). */
export const CHECKOUT_LIFETIME_S = 30 * 60;

export const paymentsOff = () =>
  new ApiError(
    409,
    'payments_off',
    'Electronic payments are not set up on this server (no Stripe keys): take cash.',
  );

export function stripeUnavailable(error: unknown): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(
    502,
    'stripe_unavailable',
    `Stripe did not answer as expected (${detail.slice(0, 200)}): nothing was charged; take cash or try again.`,
  );
}

function connectState(row: typeof stripeAccounts.$inferSelect | undefined): ConnectState {
  if (!row) return 'not-connected';
  return row.chargesEnabled && row.detailsSubmitted ? 'ready' : 'details-needed';
}

/** The maker this account may connect: only their own stall, never one they help at. */
export async function ownMaker(db: Db, userId: string): Promise<string> {
  const account = await loadAccount(db, userId);
  if (account.helperOnly) {
    throw forbidden('Only the maker connects their own Stripe account; a helper cannot.');
  }
  if (!account.sellingMakerId) {
    throw conflict(
      'no_stall',
      'This account has no stall on the server yet: sync this phone once, then connect.',
    );
  }
  return account.sellingMakerId;
}

async function accountRow(db: Db, makerId: string) {
  const [row] = await db.select().from(stripeAccounts).where(eq(stripeAccounts.makerId, makerId));
  return row;
}

/** GET /api/payments: is Stripe set up, and where the signed-in maker's connection stands. */
export async function paymentsStatus(
  context: PaymentsContext,
  userId: string | null,
): Promise<PaymentsStatus> {
  if (!context.stripe) return { state: 'off', publishableKey: null };
  const publishableKey = context.stripe.config.publishableKey;
  if (!userId) return { state: 'signed-out', publishableKey };
  const account = await loadAccount(context.db, userId);
  const makerId = account.sellingMakerId;
  if (!makerId) return { state: 'not-connected', publishableKey, linkId: null };
  const state = connectState(await accountRow(context.db, makerId));
  // The stall's payment link the server keeps (the till asks for one only when it differs).
  const link =
    state === 'ready'
      ? await context.db
          .select({ linkId: paymentLinks.linkId })
          .from(paymentLinks)
          .where(eq(paymentLinks.makerId, makerId))
      : [];
  return { state, publishableKey, linkId: link[0]?.linkId ?? null };
}

/**
 * POST /api/payments/connect: makes the maker's connected account (once) and a fresh
 * onboarding link. A Standard account: the maker gets their own full Stripe dashboard and
 * handles their own disputes and refunds there too, and with direct charges the platform
 * carries no liability for their balance (docs/payments.md, "Why Standard accounts").
 */
export async function startConnect(
  context: PaymentsContext,
  userId: string,
): Promise<{ url: string }> {
  if (!context.stripe) throw paymentsOff();
  const { stripe } = context.stripe;
  const makerId = await ownMaker(context.db, userId);
  let row = await accountRow(context.db, makerId);
  if (!row) {
    let created: Stripe.Account;
    try {
      created = await stripe.accounts.create(
        { type: 'standard', country: 'NL', metadata: { kraam_maker_id: makerId } },
        // The same maker always gets the same account, however often "Connect" is tapped.
        { idempotencyKey: `kraam-account-${makerId}` },
      );
    } catch (error) {
      throw stripeUnavailable(error);
    }
    await context.db
      .insert(stripeAccounts)
      .values({
        makerId,
        accountId: created.id,
        chargesEnabled: created.charges_enabled ?? false,
        detailsSubmitted: created.details_submitted ?? false,
      })
      .onConflictDoNothing();
    row = await accountRow(context.db, makerId);
    if (!row) throw new Error('stripe account row missing after insert');
  }
  try {
    const link = await stripe.accountLinks.create({
      account: row.accountId,
      type: 'account_onboarding',
      refresh_url: `${context.origin}/settings?stripe=refresh#payments`,
      return_url: `${context.origin}/settings?stripe=return#payments`,
    });
    return { url: link.url };
  } catch (error) {
    throw stripeUnavailable(error);
  }
}

/** POST /api/payments/connect/refresh: on return from onboarding, asks Stripe at once. */
export async function refreshConnect(
  context: PaymentsContext,
  userId: string,
): Promise<PaymentsStatus> {
  if (!context.stripe) throw paymentsOff();
  const makerId = await ownMaker(context.db, userId);
  const row = await accountRow(context.db, makerId);
  if (row) {
    let account: Stripe.Account;
    try {
      account = await context.stripe.stripe.accounts.retrieve(row.accountId);
    } catch (error) {
      throw stripeUnavailable(error);
    }
    await context.db
      .update(stripeAccounts)
      .set({
        chargesEnabled: account.charges_enabled ?? false,
        detailsSubmitted: account.details_submitted ?? false,
        updatedAt: new Date(),
      })
      .where(eq(stripeAccounts.makerId, makerId));
  }
  return paymentsStatus(context, userId);
}

/**
 * The lines Stripe shows the customer. A line whose total divides by its quantity is shown as
 * quantity × unit price; otherwise (a discount left odd cents) as one line "3 × name". Lines
 * fully discounted to 0 are left out (Stripe charges nothing for them anyway).
 */
export function checkoutLineItems(
  cart: Cart,
  stallName: string,
): Stripe.Checkout.SessionCreateParams.LineItem[] {
  return priceCart(cart)
    .lines.filter((p) => p.totalCents > 0)
    .map((p) => {
      const even = p.totalCents % p.line.quantity === 0;
      return {
        quantity: even ? p.line.quantity : 1,
        price_data: {
          currency: 'eur',
          unit_amount: even ? p.totalCents / p.line.quantity : p.totalCents,
          product_data: {
            name: even ? p.line.name : `${p.line.quantity} × ${p.line.name}`,
            description: stallName,
          },
        },
      };
    });
}

function answerOf(row: typeof checkoutPayments.$inferSelect): CheckoutAnswer {
  return {
    saleId: row.saleId,
    state: row.status,
    url: row.status === 'open' ? row.url : null,
    amountCents: row.amountCents,
    paidCents: row.paidCents,
    amountMismatch: row.amountMismatch,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** The till's maker for a payment: the account's selling maker (a helper sells for the maker). */
async function sellingMaker(db: Db, userId: string): Promise<string> {
  const account = await loadAccount(db, userId);
  if (!account.sellingMakerId) {
    throw conflict(
      'no_stall',
      'This account has no stall on the server yet: sync this phone once.',
    );
  }
  return account.sellingMakerId;
}

/**
 * The line Stripe shows for the electronic part of a split payment: the sale's lines in short
 * (the customer still sees what they buy) and that the rest was paid in cash.
 */
export function splitLineItem(
  cart: Cart,
  stallName: string,
  amountCents: number,
): Stripe.Checkout.SessionCreateParams.LineItem {
  const summary = cart.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ');
  const name = `Rest na contant: ${summary}`;
  return {
    quantity: 1,
    price_data: {
      currency: 'eur',
      unit_amount: amountCents,
      product_data: {
        name: [...name].length > 250 ? `${[...name].slice(0, 249).join('')}…` : name,
        description: stallName,
      },
    },
  };
}

/** The checked amount to charge: the total, or a split's electronic part (50 cents..total). */
function chargedAmount(request: CheckoutRequest): { total: number; amount: number; cart: Cart } {
  const cart: Cart = { lines: request.lines, cartDiscount: request.cartDiscount };
  let total: number;
  try {
    total = priceCart(cart).totalCents;
  } catch {
    throw new ApiError(
      422,
      'invalid_value',
      'The lines cannot be priced (a discount is invalid).',
      [{ path: 'lines', message: 'a discount is invalid' }],
    );
  }
  if (total !== request.totalCents) {
    throw new ApiError(
      422,
      'invalid_value',
      `The lines come to ${total} cents, not ${request.totalCents}: nothing was charged.`,
      [{ path: 'totalCents', message: `the lines come to ${total}` }],
    );
  }
  const amount = request.amountCents ?? total;
  if (request.amountCents !== undefined && (amount < MIN_CHECKOUT_CENTS || amount > total)) {
    throw new ApiError(
      422,
      'invalid_value',
      `The part paid by phone or card is between ${MIN_CHECKOUT_CENTS} cents and the sale's total (${total}), not ${amount}: take it in cash.`,
      [{ path: 'amountCents', message: `between ${MIN_CHECKOUT_CENTS} and ${total}` }],
    );
  }
  if (amount < MIN_CHECKOUT_CENTS || amount > MAX_CHECKOUT_CENTS) {
    throw new ApiError(
      422,
      'invalid_value',
      `An electronic payment is between ${MIN_CHECKOUT_CENTS} and ${MAX_CHECKOUT_CENTS} cents; this sale is ${total}: take cash.`,
      [{ path: 'totalCents', message: 'out of range', code: 'out-of-range' } as never],
    );
  }
  return { total, amount, cart };
}

/**
 * POST /api/payments/checkout: a Checkout Session on the maker's connected account for exactly
 * the sale's amount, recomputed here from the lines (or, for a split payment, exactly the
 * electronic part the till asks for, 50 cents..total). Asked again for the same sale (a retry
 * after a lost answer) it answers the same session. Stripe failing or too slow: 502 and
 * nothing stored, so the till takes cash. With uiMode 'embedded' the session is for Stripe's
 * Embedded Checkout on the maker's phone, and the answer carries what Stripe.js needs.
 */
export async function createCheckout(
  context: PaymentsContext,
  userId: string,
  request: CheckoutRequest,
): Promise<CheckoutAnswer> {
  if (!context.stripe) throw paymentsOff();
  const { total, amount, cart } = chargedAmount(request);
  const uiMode = request.uiMode ?? 'hosted';
  const makerId = await sellingMaker(context.db, userId);
  const account = await accountRow(context.db, makerId);
  if (connectState(account) !== 'ready' || !account) {
    throw conflict(
      'not_connected',
      'This stall has no ready Stripe account: take cash, or connect Stripe in Settings.',
    );
  }
  const publishableKey = context.stripe.config.publishableKey;
  const withEmbedded = (answer: CheckoutAnswer, row: { clientSecret: string | null }) =>
    uiMode === 'embedded' && row.clientSecret
      ? {
          ...answer,
          embedded: {
            publishableKey,
            clientSecret: row.clientSecret,
            stripeAccount: account.accountId,
          },
        }
      : answer;

  const [existing] = await context.db
    .select()
    .from(checkoutPayments)
    .where(eq(checkoutPayments.saleId, request.saleId));
  if (existing) {
    // Another maker's sale id, or the same sale with other lines or another way to pay:
    // refused, and nothing about the other payment is told.
    if (
      existing.makerId !== makerId ||
      existing.amountCents !== amount ||
      existing.uiMode !== uiMode
    ) {
      throw conflict('sale_taken', 'This sale already has another payment: start a new sale.');
    }
    return withEmbedded(answerOf(existing), existing);
  }

  const now = context.now?.() ?? Date.now();
  let session: Stripe.Checkout.Session;
  try {
    session = await context.stripe.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: request.saleId,
        line_items:
          amount === total
            ? checkoutLineItems(cart, request.stallName)
            : [splitLineItem(cart, request.stallName, amount)],
        metadata: {
          kraam_sale_id: request.saleId,
          kraam_maker_id: makerId,
          ...(amount === total ? {} : { kraam_cash_part_cents: String(total - amount) }),
        },
        expires_at: Math.floor(now / 1000) + CHECKOUT_LIFETIME_S,
        ...(uiMode === 'embedded'
          ? {
              ui_mode: 'embedded_page',
              // Cards and wallets finish in the frame; a bank redirect (iDEAL) comes back to
              // the till, whose payment is then decided by the webhook as always.
              redirect_on_completion: 'if_required',
              return_url: `${context.origin}/till`,
            }
          : { success_url: `${context.origin}/paid` }),
      },
      { stripeAccount: account.accountId, idempotencyKey: `kraam-checkout-${request.saleId}` },
    );
  } catch (error) {
    throw stripeUnavailable(error);
  }
  const usable = uiMode === 'embedded' ? Boolean(session.client_secret) : Boolean(session.url);
  if (session.amount_total !== amount || !usable) {
    throw stripeUnavailable(
      new Error(`session ${session.id} came back for ${session.amount_total}`),
    );
  }
  await context.db
    .insert(checkoutPayments)
    .values({
      saleId: request.saleId,
      makerId,
      accountId: account.accountId,
      eventId: request.eventId,
      createdByUserId: userId,
      sessionId: session.id,
      url: session.url ?? null,
      uiMode,
      clientSecret: uiMode === 'embedded' ? session.client_secret : null,
      amountCents: amount,
      expiresAt: new Date(session.expires_at * 1000),
    })
    .onConflictDoNothing();
  const stored = await ownPayment(context, userId, request.saleId);
  return withEmbedded(answerOf(stored), stored);
}

async function ownPayment(context: PaymentsContext, userId: string, saleId: string) {
  const account = await loadAccount(context.db, userId);
  const [row] = await context.db
    .select()
    .from(checkoutPayments)
    .where(eq(checkoutPayments.saleId, saleId));
  // Someone else's payment is answered exactly like none at all.
  if (!row || !account.makerIds.includes(row.makerId)) {
    throw notFound('There is no payment for this sale.');
  }
  return row;
}

/** GET /api/payments/checkout/<saleId>: what the till watches. */
export async function checkoutStatus(
  context: PaymentsContext,
  userId: string,
  saleId: string,
): Promise<CheckoutAnswer> {
  return answerOf(await ownPayment(context, userId, saleId));
}

/**
 * POST /api/payments/checkout/<saleId>/cancel: the maker gives up on this payment; the session
 * is expired at Stripe so the customer can no longer pay it. If the customer paid just before,
 * Stripe refuses to expire it and the answer says paid.
 */
export async function cancelCheckout(
  context: PaymentsContext,
  userId: string,
  saleId: string,
): Promise<CheckoutAnswer> {
  if (!context.stripe) throw paymentsOff();
  const row = await ownPayment(context, userId, saleId);
  if (row.status !== 'open') return answerOf(row);
  const { stripe } = context.stripe;
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.expire(
      row.sessionId,
      {},
      { stripeAccount: row.accountId },
    );
  } catch (error) {
    try {
      session = await stripe.checkout.sessions.retrieve(
        row.sessionId,
        {},
        { stripeAccount: row.accountId },
      );
    } catch {
      throw stripeUnavailable(error);
    }
  }
  await context.db.transaction(async (tx) => {
    await applySession(tx, row, session, stateOfSession(session));
  });
  return checkoutStatus(context, userId, saleId);
}
