// The kinds of Checkout Session Kraam makes, and how the webhook applies each event to each
// (docs/payments.md, "Webhooks"). A session event is recognised by the FIRST kind whose
// `recognise` finds it, in this order: a stall fee (its row in `fee_checkouts`, never by
// metadata alone), a payment on a stall's payment link (the session names a payment link),
// a sale's session (its row in `checkout_payments`). Each kind says, for every session event
// type, how it applies; the kind's own rule checks the account the event came from, so a
// session of another maker's account never applies. A session no kind recognises is stored
// as `unknown-sale` (the event row in `stripe_events`) and ignored with a log line: never a
// 500, so Stripe does not retry it for days. (Every function of another module is called
// only inside a handler, never while this module loads: webhook.ts imports this one.)
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Tx } from '$lib/server/db';
import { checkoutPayments, type feeCheckouts } from '$lib/server/db/schema';
import { stateOfEvent } from '$lib/payments/checkout-state';
import type { CheckoutState } from '$lib/payments/contract';
import { applyFeeEvent, lockedFeeCheckout } from './fees';
import { applyLinkSession, linkIdOf } from './link-webhook';
import { applySession } from './webhook';

export type SessionOutcome =
  'applied' | 'ignored' | 'unknown-sale' | 'unknown-account' | 'wrong-account' | 'amount-mismatch';

/** Stripe's Checkout Session events Kraam handles (every kind says how each applies). */
export const SESSION_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
] as const;
export type SessionEventType = (typeof SESSION_EVENT_TYPES)[number];

export function isSessionEventType(type: string): type is SessionEventType {
  return (SESSION_EVENT_TYPES as readonly string[]).includes(type);
}

type Apply<Found> = (tx: Tx, event: Stripe.Event, found: Found) => Promise<SessionOutcome>;

export interface SessionKind<Found> {
  name: string;
  /** Kraam's record of this session (locked for the transaction), or null: not this kind. */
  recognise(tx: Tx, session: Stripe.Checkout.Session): Promise<Found | null>;
  /** How each session event applies to a session of this kind. */
  apply: Record<SessionEventType, Apply<Found>>;
}

const sessionOf = (event: Stripe.Event) => event.data.object as Stripe.Checkout.Session;
const nextOf = (event: Stripe.Event): CheckoutState | null =>
  stateOfEvent(event.type, sessionOf(event).payment_status ?? null);
const every = <Found>(apply: Apply<Found>): Record<SessionEventType, Apply<Found>> => ({
  'checkout.session.completed': apply,
  'checkout.session.async_payment_succeeded': apply,
  'checkout.session.async_payment_failed': apply,
  'checkout.session.expired': apply,
});
const ignore = () => Promise.resolve<SessionOutcome>('ignored');

type FeeRow = typeof feeCheckouts.$inferSelect;
type SaleRow = typeof checkoutPayments.$inferSelect;

/** A stall fee paid online, on the platform's account (fees.ts). */
export const stallFeeKind: SessionKind<FeeRow> = {
  name: 'stall-fee',
  recognise: async (tx, session) => (await lockedFeeCheckout(tx, session.id)) ?? null,
  // applyFeeEvent reads the event's type: completed and paid or async succeeded credit the
  // fee, async failed fails it, expired expires it.
  apply: every((tx, event, row) => applyFeeEvent(tx, event, row)),
};

/** A customer's payment on a stall's reusable payment link (link-webhook.ts). */
export const linkPaymentKind: SessionKind<string> = {
  name: 'link-payment',
  recognise: (_tx, session) => Promise.resolve(linkIdOf(session)),
  apply: {
    ...every<string>(async (tx, event) => {
      const next = nextOf(event);
      if (!next) return 'ignored';
      return applyLinkSession(tx, sessionOf(event), event.account ?? null, next);
    }),
    // A link's session that expired unpaid is no payment: nothing to store.
    'checkout.session.expired': ignore,
  },
};

/** A sale's own session (the till's QR, Embedded Checkout, a split's electronic part). */
export const saleKind: SessionKind<SaleRow> = {
  name: 'sale',
  recognise: async (tx, session) => {
    // Locked, so two events for one payment arriving at once apply one after the other.
    const [row] = await tx
      .select()
      .from(checkoutPayments)
      .where(eq(checkoutPayments.sessionId, session.id))
      .for('update');
    return row ?? null;
  },
  apply: every<SaleRow>(async (tx, event, row) => {
    const next = nextOf(event);
    if (!next) return 'ignored';
    const session = sessionOf(event);
    if (!event.account || event.account !== row.accountId) return 'wrong-account';
    if (session.client_reference_id !== row.saleId) return 'wrong-account';
    await applySession(tx, row, session, next);
    return 'applied';
  }),
};

/** A kind with its record type hidden: recognises and applies in one step. */
export interface AnySessionKind {
  name: string;
  handles: readonly SessionEventType[];
  /** The outcome when this kind recognises the session; null when it is not this kind. */
  tryApply(
    tx: Tx,
    event: Stripe.Event,
    type: SessionEventType,
    session: Stripe.Checkout.Session,
  ): Promise<SessionOutcome | null>;
}

function anyKind<Found>(kind: SessionKind<Found>): AnySessionKind {
  return {
    name: kind.name,
    handles: SESSION_EVENT_TYPES.filter((type) => type in kind.apply),
    async tryApply(tx, event, type, session) {
      const found = await kind.recognise(tx, session);
      return found === null ? null : kind.apply[type](tx, event, found);
    },
  };
}

/** Every kind, in the order they are tried. */
export const SESSION_KINDS: readonly AnySessionKind[] = [
  anyKind(stallFeeKind),
  anyKind(linkPaymentKind),
  anyKind(saleKind),
];

/**
 * One Checkout Session event, inside the webhook's transaction: the first kind that
 * recognises the session applies it by the event's type; none does, `unknown-sale`.
 */
export async function applySessionEvent(tx: Tx, event: Stripe.Event): Promise<SessionOutcome> {
  const type = event.type;
  if (!isSessionEventType(type)) return 'ignored';
  const session = sessionOf(event);
  for (const kind of SESSION_KINDS) {
    const outcome = await kind.tryApply(tx, event, type, session);
    if (outcome !== null) return outcome;
  }
  console.warn(
    `Stripe event ${event.id} (${type}) names session ${session.id}, which is none of Kraam's: stored and ignored.`,
  );
  return 'unknown-sale';
}
