// The stall's payment link (docs/payments.md, "Offline: the stall's payment link"): one
// reusable Stripe Payment Link per maker, on their connected account, where the customer
// types the amount. Made while online (product, price with a custom amount, link; each
// idempotent by the maker, so a retry after a lost answer makes nothing twice), stored only
// after Stripe made all three, and never inside a database transaction.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db } from '$lib/server/db';
import { paymentLinks, stripeAccounts } from '$lib/server/db/schema';
import { ApiError, conflict } from '$lib/server/http';
import { loadAccount } from '$lib/server/sync/account';
import {
  MAX_CHECKOUT_CENTS,
  MIN_CHECKOUT_CENTS,
  type PaymentLinkAnswer,
  type PaymentLinkRequest,
} from '$lib/payments/contract';
import type { PaymentsContext } from './service';

function stripeUnavailable(error: unknown): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(
    502,
    'stripe_unavailable',
    `Stripe did not answer as expected (${detail.slice(0, 200)}): no payment link was made; try again later.`,
  );
}

export async function linkRow(db: Db, makerId: string) {
  const [row] = await db.select().from(paymentLinks).where(eq(paymentLinks.makerId, makerId));
  return row;
}

/**
 * POST /api/payments/link: the maker's payment link, made on first ask. A helper gets the
 * link of the maker they sell for (the money is the maker's). The account must be ready.
 */
export async function ensurePaymentLink(
  context: PaymentsContext,
  userId: string,
  request: PaymentLinkRequest,
): Promise<PaymentLinkAnswer> {
  if (!context.stripe) {
    throw new ApiError(
      409,
      'payments_off',
      'Electronic payments are not set up on this server (no Stripe keys): take cash.',
    );
  }
  const account = await loadAccount(context.db, userId);
  const makerId = account.sellingMakerId;
  if (!makerId) {
    throw conflict(
      'no_stall',
      'This account has no stall on the server yet: sync this phone once.',
    );
  }
  const existing = await linkRow(context.db, makerId);
  if (existing) return { linkId: existing.linkId, url: existing.url };
  const [stripeAccount] = await context.db
    .select()
    .from(stripeAccounts)
    .where(eq(stripeAccounts.makerId, makerId));
  if (!stripeAccount?.chargesEnabled || !stripeAccount.detailsSubmitted) {
    throw conflict(
      'not_connected',
      'This stall has no ready Stripe account: take cash, or connect Stripe in Settings.',
    );
  }
  const { stripe } = context.stripe;
  const options = (step: string, extra = ''): Stripe.RequestOptions => ({
    stripeAccount: stripeAccount.accountId,
    // Stripe refuses a key reused with other parameters, so the stall name is part of it.
    idempotencyKey: `kraam-link-${step}-${makerId}${extra}`,
  });
  const nameKey = `-${createHash('sha256').update(request.stallName).digest('hex').slice(0, 16)}`;
  let link: Stripe.PaymentLink;
  try {
    const product = await stripe.products.create(
      { name: request.stallName, metadata: { kraam_maker_id: makerId } },
      options('product', nameKey),
    );
    const price = await stripe.prices.create(
      {
        currency: 'eur',
        product: product.id,
        custom_unit_amount: {
          enabled: true,
          minimum: MIN_CHECKOUT_CENTS,
          maximum: MAX_CHECKOUT_CENTS,
        },
      },
      options('price', `-${product.id}`),
    );
    link = await stripe.paymentLinks.create(
      {
        line_items: [{ price: price.id, quantity: 1 }],
        metadata: { kraam_maker_id: makerId },
        after_completion: { type: 'redirect', redirect: { url: `${context.origin}/paid` } },
      },
      options('link', `-${price.id}`),
    );
  } catch (error) {
    throw stripeUnavailable(error);
  }
  if (!link.url || !link.id) throw stripeUnavailable(new Error('the link came back without a URL'));
  await context.db
    .insert(paymentLinks)
    .values({ makerId, accountId: stripeAccount.accountId, linkId: link.id, url: link.url })
    .onConflictDoNothing();
  const row = await linkRow(context.db, makerId);
  if (!row) throw new Error('payment link row missing after insert');
  return { linkId: row.linkId, url: row.url };
}
