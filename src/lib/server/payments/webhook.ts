// The one Stripe webhook endpoint (docs/payments.md, "Webhooks"): the signature is checked on
// the raw body with the platform's or the Connect endpoint's secret (401 otherwise); each
// event is stored once by its id, in the same transaction as what it changes, so a
// redelivery is a no-op; events apply in any order (src/lib/payments/checkout-state.ts); a
// session event changes only a payment made on the same connected account it came from.
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '$lib/server/db';
import { checkoutPayments, stripeAccounts, stripeEvents } from '$lib/server/db/schema';
import { ApiError } from '$lib/server/http';
import { advanceCheckout } from '$lib/payments/checkout-state';
import type { CheckoutState } from '$lib/payments/contract';
import { applyChargeRefunded, applyStripeRefund } from './refunds';
import { applySessionEvent } from './session-kinds';
import type { PaymentsContext } from './service';

/** Stripe's events about one refund (a refund made by Kraam or in the dashboard). */
const REFUND_EVENTS = new Set([
  'refund.created',
  'refund.updated',
  'refund.failed',
  'charge.refund.updated',
]);

export type WebhookOutcome =
  | 'applied'
  | 'duplicate'
  | 'ignored'
  | 'unknown-sale'
  | 'unknown-account'
  | 'wrong-account'
  | 'stale'
  | 'amount-mismatch';

/** What a session object itself says (used when Kraam asked Stripe rather than being told). */
export function stateOfSession(session: Stripe.Checkout.Session): CheckoutState {
  if (session.status === 'expired') return 'expired';
  if (session.status === 'complete') {
    return session.payment_status === 'unpaid' ? 'processing' : 'paid';
  }
  return 'open';
}

/** Moves a payment forward by what Stripe said of its session (never backwards). */
export async function applySession(
  tx: Tx,
  row: typeof checkoutPayments.$inferSelect,
  session: Stripe.Checkout.Session,
  next: CheckoutState,
): Promise<void> {
  const state = advanceCheckout(row.status, next);
  const money = next === 'paid' || next === 'processing';
  const paidCents = money ? session.amount_total : row.paidCents;
  const amountMismatch =
    row.amountMismatch ||
    (money && (session.amount_total !== row.amountCents || session.currency !== 'eur'));
  const intent =
    typeof session.payment_intent === 'string'
      ? session.payment_intent
      : (session.payment_intent?.id ?? row.paymentIntentId);
  await tx
    .update(checkoutPayments)
    .set({
      status: state,
      paidCents,
      amountMismatch,
      paymentIntentId: intent,
      updatedAt: new Date(),
    })
    .where(eq(checkoutPayments.saleId, row.saleId));
}

async function applyAccountEvent(tx: Tx, event: Stripe.Event): Promise<WebhookOutcome> {
  const account = event.data.object as Stripe.Account;
  if (event.account && event.account !== account.id) return 'wrong-account';
  const [row] = await tx
    .select()
    .from(stripeAccounts)
    .where(eq(stripeAccounts.accountId, account.id))
    .for('update');
  if (!row) return 'unknown-account';
  if (event.created < row.lastEventCreated) return 'stale';
  await tx
    .update(stripeAccounts)
    .set({
      chargesEnabled: account.charges_enabled ?? false,
      detailsSubmitted: account.details_submitted ?? false,
      lastEventCreated: event.created,
      updatedAt: new Date(),
    })
    .where(eq(stripeAccounts.makerId, row.makerId));
  return 'applied';
}

/** Checks the signature with each configured secret; the event, or 401. */
export function verifiedEvent(
  context: PaymentsContext,
  rawBody: string,
  signature: string | null,
): Stripe.Event {
  if (!context.stripe) {
    throw new ApiError(404, 'payments_off', 'Stripe is not set up on this server.');
  }
  const { stripe, config } = context.stripe;
  if (signature) {
    for (const secret of config.webhookSecrets) {
      try {
        return stripe.webhooks.constructEvent(rawBody, signature, secret);
      } catch {
        // Try the other endpoint's secret.
      }
    }
  }
  throw new ApiError(401, 'bad_signature', 'The Stripe-Signature does not match this body.');
}

/** POST /api/stripe/webhook, after reading the raw body (bounded by the route). */
export async function handleWebhook(
  context: PaymentsContext,
  rawBody: string,
  signature: string | null,
): Promise<{ outcome: WebhookOutcome }> {
  const event = verifiedEvent(context, rawBody, signature);
  const outcome = await context.db.transaction(async (tx): Promise<WebhookOutcome> => {
    const stored = await tx
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type,
        accountId: event.account ?? null,
        outcome: 'received',
      })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (stored.length === 0) return 'duplicate';
    let result: WebhookOutcome = 'ignored';
    if (event.type.startsWith('checkout.session.')) {
      // Which kind of session (stall fee, payment link, sale) and how each event applies:
      // session-kinds.ts.
      result = await applySessionEvent(tx, event);
    } else if (event.type === 'account.updated') result = await applyAccountEvent(tx, event);
    else if (event.type === 'charge.refunded') {
      result = await applyChargeRefunded(tx, event.account ?? null, event.data.object);
    } else if (REFUND_EVENTS.has(event.type)) {
      const refund = event.data.object as Stripe.Refund;
      result = await applyStripeRefund(tx, event.account ?? null, refund, null);
    }
    await tx.update(stripeEvents).set({ outcome: result }).where(eq(stripeEvents.id, event.id));
    return result;
  });
  return { outcome };
}
