// What Stripe says of payments on a maker's payment link (docs/payments.md, "Offline: the
// stall's payment link"), from the webhook or the reconciliation job. Each completed session
// is stored once by its id, forward only (processing < failed < paid), and its outcome goes
// into the change feed for the maker's devices (pull feature 'payment-links'). The sale it
// pays is matched when read (`linkPaymentOutcomes`), by the customer's client_reference_id
// and only among the same maker's sales, so the webhook and the sale's sync may arrive in
// either order and end the same.
import { and, eq, inArray } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Db, Tx } from '$lib/server/db';
import { linkPayments, linkSettlements, paymentLinks, sales } from '$lib/server/db/schema';
import { recordChanges } from '$lib/server/sync/change-feed';
import { linkOutcome, linkPartCents, type LinkOutcome } from '$lib/domain/link-payment';
import { linkStanding, type LinkStanding } from '$lib/domain/link-settlement';
import type { Payment } from '$lib/domain/types';

export type LinkSessionOutcome = 'applied' | 'ignored' | 'unknown-account' | 'wrong-account';

const RANK = { processing: 0, failed: 1, paid: 2 } as const;
type LinkStatus = keyof typeof RANK;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function linkIdOf(session: Stripe.Checkout.Session): string | null {
  const link = session.payment_link;
  if (!link) return null;
  return typeof link === 'string' ? link : link.id;
}

/** What a link session's state says: only a completed session is a payment. */
function linkStatusOf(next: string): LinkStatus | null {
  if (next === 'paid' || next === 'processing' || next === 'failed') return next;
  return null;
}

/**
 * Stores (or moves forward) one session of a payment link. `account` is the connected
 * account the word came from (the event's, or the one Kraam asked). Inside the caller's
 * transaction.
 */
export async function applyLinkSession(
  tx: Tx,
  session: Stripe.Checkout.Session,
  account: string | null,
  next: string,
): Promise<LinkSessionOutcome> {
  const status = linkStatusOf(next);
  if (!status) return 'ignored';
  const linkId = linkIdOf(session);
  if (!linkId) return 'ignored';
  const [link] = await tx.select().from(paymentLinks).where(eq(paymentLinks.linkId, linkId));
  if (!link) return 'unknown-account';
  // A session of maker A's link must come from maker A's account, never another's.
  if (!account || account !== link.accountId) return 'wrong-account';
  const reference = session.client_reference_id ?? '';
  const saleId = UUID.test(reference) ? reference.toLowerCase() : null;
  const intent =
    typeof session.payment_intent === 'string'
      ? session.payment_intent
      : (session.payment_intent?.id ?? null);
  const [current] = await tx
    .select()
    .from(linkPayments)
    .where(eq(linkPayments.sessionId, session.id))
    .for('update');
  if (current && current.makerId !== link.makerId) return 'wrong-account';
  const keep = current && RANK[current.status] >= RANK[status];
  const row = {
    sessionId: session.id,
    makerId: link.makerId,
    accountId: link.accountId,
    linkId,
    saleId,
    paidCents: session.amount_total ?? 0,
    currency: (session.currency ?? '').slice(0, 8) || 'unknown',
    status: keep ? current.status : status,
    paymentIntentId: intent ?? current?.paymentIntentId ?? null,
    stripeCreatedAt: (session.created ?? 0) * 1000,
  };
  if (keep) return 'applied';
  if (current) {
    await tx
      .update(linkPayments)
      .set({ status: row.status, paymentIntentId: row.paymentIntentId, updatedAt: new Date() })
      .where(eq(linkPayments.sessionId, session.id));
  } else {
    await tx.insert(linkPayments).values(row);
  }
  await recordChanges(tx, [
    {
      change: {
        entity: 'link_payment',
        op: 'upsert',
        data: {
          id: row.sessionId,
          saleId: current ? current.saleId : row.saleId,
          paidCents: current ? current.paidCents : row.paidCents,
          currency: current ? current.currency : row.currency,
          status: row.status,
          createdAt: current ? current.stripeCreatedAt : row.stripeCreatedAt,
        },
      },
      makerId: link.makerId,
      organisationId: null,
    },
  ]);
  return 'applied';
}

/**
 * The outcome of each of a maker's sales paid (in part) on their payment link: confirmed when
 * Stripe's paid sessions naming it add up to exactly its link part in euros, amount_mismatch
 * when they add up to anything else, awaiting while none is paid. Another maker's sale never
 * matches a session of this maker's link (and the other way round).
 */
export async function linkPaymentOutcomes(
  db: Db | Tx,
  makerId: string,
  saleIds: readonly string[],
): Promise<Map<string, LinkOutcome>> {
  const outcomes = new Map<string, LinkOutcome>();
  if (saleIds.length === 0) return outcomes;
  const saleRows = await db
    .select({ id: sales.id, payments: sales.payments })
    .from(sales)
    .where(and(eq(sales.makerId, makerId), inArray(sales.id, [...saleIds])));
  const sessions = await db
    .select()
    .from(linkPayments)
    .where(and(eq(linkPayments.makerId, makerId), inArray(linkPayments.saleId, [...saleIds])));
  for (const sale of saleRows) {
    const part = linkPartCents(sale.payments as Payment[]);
    if (part === 0) continue;
    outcomes.set(
      sale.id,
      linkOutcome(
        part,
        sessions.filter((s) => s.saleId === sale.id),
      ),
    );
  }
  return outcomes;
}

/**
 * Where each of a maker's sales paid on the link stands once the maker's settlement is read
 * too (src/lib/domain/link-settlement.ts): the same rule the devices apply, so the server and
 * every device read the same whichever of webhook and settlement came first.
 */
export async function linkPaymentStandings(
  db: Db | Tx,
  makerId: string,
  saleIds: readonly string[],
): Promise<Map<string, LinkStanding>> {
  const outcomes = await linkPaymentOutcomes(db, makerId, saleIds);
  const standings = new Map<string, LinkStanding>();
  if (outcomes.size === 0) return standings;
  const settled = await db
    .select({
      saleId: linkSettlements.saleId,
      outcome: linkSettlements.outcome,
      method: linkSettlements.method,
    })
    .from(linkSettlements)
    .where(
      and(
        eq(linkSettlements.makerId, makerId),
        inArray(linkSettlements.saleId, [...outcomes.keys()]),
      ),
    );
  const bySale = new Map(settled.map((s) => [s.saleId, s]));
  for (const [saleId, outcome] of outcomes) {
    standings.set(saleId, linkStanding(outcome, bySale.get(saleId) ?? null));
  }
  return standings;
}

export type { LinkOutcome };
