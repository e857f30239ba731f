// Stall fees paid online (docs/payments.md, "Stall fees"): the maker pays what they owe for
// their stall at one event by iDEAL or card in Embedded Checkout, to the PLATFORM's account
// (the organisation running this server; no Stripe-Account header). The webhook credits
// `fee_payments` once per payment, only for the maker and event the session was made for
// (both in Kraam's own row, not trusted from the event), and never more than is owed then;
// the organiser's fees table shows it as paid, with Stripe's reference.
import { and, eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db, Tx } from '$lib/server/db';
import { events, feeCheckouts, feePayments } from '$lib/server/db/schema';
import { notFound } from '$lib/server/http';
import { loadEvent, lockEvent } from '$lib/server/organiser/event-rows';
import { eventFees } from '$lib/server/organiser/results';
import {
  MIN_CHECKOUT_CENTS,
  type StallFeeAnswer,
  type StallFeeCheckout,
} from '$lib/payments/contract';
import { ownMaker, paymentsOff, stripeUnavailable, type PaymentsContext } from './service';

const noFee = () => notFound('You have no stall fee at this event.');

/** The maker's fee line at an event (404 when they have none: not theirs, or no stall). */
async function feeLine(db: Db | Tx, eventId: string, makerId: string, lock?: Tx) {
  const [row] = await db
    .select({ organisationId: events.organisationId })
    .from(events)
    .where(eq(events.id, eventId));
  if (!row?.organisationId) throw noFee();
  // In the webhook: the event's lock, as the organiser's own fee edits take it (assignments.ts).
  const event = await (
    lock ? lockEvent(lock, row.organisationId, eventId) : loadEvent(db, row.organisationId, eventId)
  ).catch(() => null);
  if (!event) throw noFee();
  const line = (await eventFees(db, event)).fees.makers.find((l) => l.makerId === makerId);
  if (!line || line.dueCents <= 0) throw noFee();
  const [paid] = await db
    .select({ reference: feePayments.reference })
    .from(feePayments)
    .where(and(eq(feePayments.eventId, eventId), eq(feePayments.makerId, makerId)));
  return { line, reference: paid?.reference ?? null };
}

/** GET /api/payments/fees/<eventId>: the signed-in maker's own fee (helpers: 403). */
export async function stallFee(
  context: PaymentsContext,
  userId: string,
  eventId: string,
): Promise<StallFeeAnswer> {
  // Without Stripe keys there is nothing to pay here (the organiser records fees by hand).
  if (!context.stripe) throw paymentsOff();
  const makerId = await ownMaker(context.db, userId);
  const { line, reference } = await feeLine(context.db, eventId, makerId);
  return {
    eventId,
    dueCents: line.dueCents,
    paidCents: line.paidCents,
    owedCents: line.outstandingCents,
    reference,
    payable: line.outstandingCents >= MIN_CHECKOUT_CENTS,
  };
}

/**
 * POST /api/payments/fees/<eventId>: an Embedded Checkout session on the platform's account
 * for exactly what the maker owes now. Tapped again while that session is open (a lost answer,
 * a second tap) it is the same session. Stripe failing: 502, nothing stored.
 */
export async function payStallFee(
  context: PaymentsContext,
  userId: string,
  eventId: string,
): Promise<StallFeeCheckout> {
  if (!context.stripe) throw paymentsOff();
  const makerId = await ownMaker(context.db, userId);
  const { line } = await feeLine(context.db, eventId, makerId);
  const amountCents = line.outstandingCents;
  if (amountCents < MIN_CHECKOUT_CENTS) {
    throw notFound('Nothing is owed for your stall at this event (or less than 50 cents).');
  }
  const publishableKey = context.stripe.config.publishableKey;
  const answer = (clientSecret: string): StallFeeCheckout => ({
    eventId,
    amountCents,
    embedded: { publishableKey, clientSecret, stripeAccount: null },
  });
  const [open] = await context.db
    .select()
    .from(feeCheckouts)
    .where(
      and(
        eq(feeCheckouts.eventId, eventId),
        eq(feeCheckouts.makerId, makerId),
        eq(feeCheckouts.status, 'open'),
        eq(feeCheckouts.amountCents, amountCents),
      ),
    );
  if (open) return answer(open.clientSecret);
  // Sessions made before for this fee (expired, failed): a new one must not be the same
  // expired session again, which Stripe would answer to the same idempotency key.
  const earlier = await context.db
    .select({ sessionId: feeCheckouts.sessionId })
    .from(feeCheckouts)
    .where(and(eq(feeCheckouts.eventId, eventId), eq(feeCheckouts.makerId, makerId)));

  let session: Stripe.Checkout.Session;
  try {
    session = await context.stripe.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        ui_mode: 'embedded_page',
        // Which methods (iDEAL, card) are offered is the platform's payment method settings
        // at Stripe (dynamic payment methods); the current API has no payment_method_types.
        client_reference_id: `fee-${eventId}`,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'eur',
              unit_amount: amountCents,
              product_data: { name: 'Standgeld / stall fee' },
            },
          },
        ],
        metadata: { kraam_kind: 'stall_fee', kraam_event_id: eventId, kraam_maker_id: makerId },
        // iDEAL goes to the bank and comes back here; the webhook decides either way.
        redirect_on_completion: 'if_required',
        return_url: `${context.origin}/events/${eventId}?fee=return`,
      },
      // The same owed amount (nothing paid in between, no session given up since) is the
      // same session at Stripe too.
      {
        idempotencyKey: `kraam-fee-${eventId}-${makerId}-${line.paidCents}-${amountCents}-${earlier.length}`,
      },
    );
  } catch (error) {
    throw stripeUnavailable(error);
  }
  if (session.amount_total !== amountCents || !session.client_secret) {
    throw stripeUnavailable(
      new Error(`session ${session.id} came back for ${session.amount_total}`),
    );
  }
  await context.db
    .insert(feeCheckouts)
    .values({
      sessionId: session.id,
      eventId,
      makerId,
      createdByUserId: userId,
      amountCents,
      clientSecret: session.client_secret,
    })
    .onConflictDoNothing();
  return answer(session.client_secret);
}

export type FeeOutcome = 'applied' | 'ignored' | 'wrong-account' | 'amount-mismatch';

/** The fee session a webhook names, locked; undefined when it is not a stall fee's. */
export async function lockedFeeCheckout(tx: Tx, sessionId: string) {
  const [row] = await tx
    .select()
    .from(feeCheckouts)
    .where(eq(feeCheckouts.sessionId, sessionId))
    .for('update');
  return row;
}

/** What a fee session's state says for Kraam's row: paid, expired, failed, or nothing yet. */
export type FeeNext = 'paid' | 'expired' | 'failed' | null;

/** What a webhook event about a fee session says. */
export function feeNextOfEvent(event: Stripe.Event): FeeNext {
  const session = event.data.object as Stripe.Checkout.Session;
  if (event.type === 'checkout.session.expired') return 'expired';
  if (event.type === 'checkout.session.async_payment_failed') return 'failed';
  if (event.type === 'checkout.session.async_payment_succeeded') return 'paid';
  if (event.type === 'checkout.session.completed' && session.payment_status === 'paid') {
    return 'paid';
  }
  return null;
}

/**
 * What a fee session retrieved from Stripe says (the reconciliation job): paid when complete
 * and paid, expired when expired. A completed session still unpaid (a delayed method) says
 * nothing yet: only the async webhook tells it failed.
 */
export function feeNextOfSession(session: Stripe.Checkout.Session): FeeNext {
  if (session.status === 'expired') return 'expired';
  if (session.status === 'complete' && session.payment_status !== 'unpaid') return 'paid';
  return null;
}

/** A session event for a stall fee (the webhook): see applyFeeSession. */
export function applyFeeEvent(
  tx: Tx,
  event: Stripe.Event,
  row: typeof feeCheckouts.$inferSelect,
): Promise<FeeOutcome> {
  const session = event.data.object as Stripe.Checkout.Session;
  return applyFeeSession(tx, row, session, event.account ?? null, feeNextOfEvent(event));
}

/**
 * What Stripe says of a stall fee's session, from the webhook or the reconciliation job:
 * only from the platform's own account (`account` null: a connected account's word is never
 * a fee), only with the event and maker Kraam made it for, only for exactly the amount asked;
 * credited once, at most what is still owed. Inside the caller's transaction, with the row
 * locked (lockedFeeCheckout).
 */
export async function applyFeeSession(
  tx: Tx,
  row: typeof feeCheckouts.$inferSelect,
  session: Stripe.Checkout.Session,
  account: string | null,
  next: FeeNext,
): Promise<FeeOutcome> {
  if (account) return 'wrong-account';
  const meta = session.metadata ?? {};
  if (meta.kraam_event_id !== row.eventId || meta.kraam_maker_id !== row.makerId) {
    return 'wrong-account';
  }
  const setStatus = (status: (typeof row)['status'], extra: Partial<typeof row> = {}) =>
    tx
      .update(feeCheckouts)
      .set({ status, updatedAt: new Date(), ...extra })
      .where(eq(feeCheckouts.sessionId, row.sessionId));
  if (row.status !== 'open') return 'ignored';
  if (next === 'expired' || next === 'failed') {
    await setStatus(next);
    return 'applied';
  }
  if (next !== 'paid') return 'ignored';
  const reference =
    typeof session.payment_intent === 'string'
      ? session.payment_intent
      : (session.payment_intent?.id ?? session.id);
  if (session.amount_total !== row.amountCents || session.currency !== 'eur') {
    await setStatus('mismatch', { reference });
    return 'amount-mismatch';
  }
  const { line } = await feeLine(tx, row.eventId, row.makerId, tx).catch(() => ({ line: null }));
  const owed = line?.outstandingCents ?? 0;
  const credited = Math.min(row.amountCents, owed);
  if (credited > 0) {
    await tx
      .insert(feePayments)
      .values({ eventId: row.eventId, makerId: row.makerId, paidCents: credited, reference })
      .onConflictDoUpdate({
        target: [feePayments.eventId, feePayments.makerId],
        set: { paidCents: (line?.paidCents ?? 0) + credited, reference, updatedAt: new Date() },
      });
  }
  await setStatus('paid', { reference, creditedCents: credited });
  return 'applied';
}
