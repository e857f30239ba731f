/**
 * How a Checkout Session's webhook events move a payment, in any order (docs/payments.md).
 *
 * THE rule: states are ranked open < processing < expired < failed < paid, and an event moves
 * the payment only forward. So a redelivered or late event never undoes a later one: an
 * `expired` that arrives after `completed` leaves it paid (money was received), a
 * `completed` after `expired` makes it paid, a `completed` that is still unpaid (a delayed
 * method) after its `async_payment_succeeded` leaves it paid.
 */
import type { CheckoutState } from './contract';

const RANK: Record<CheckoutState, number> = {
  open: 0,
  processing: 1,
  expired: 2,
  failed: 3,
  paid: 4,
};

/** The state a session event points at, or null for an event that says nothing about it. */
export function stateOfEvent(type: string, paymentStatus: string | null): CheckoutState | null {
  switch (type) {
    case 'checkout.session.completed':
      return paymentStatus === 'paid' || paymentStatus === 'no_payment_required'
        ? 'paid'
        : 'processing';
    case 'checkout.session.async_payment_succeeded':
      return 'paid';
    case 'checkout.session.async_payment_failed':
      return 'failed';
    case 'checkout.session.expired':
      return 'expired';
    default:
      return null;
  }
}

/** The payment's state after an event pointing at `next`: never backwards. */
export function advanceCheckout(current: CheckoutState, next: CheckoutState): CheckoutState {
  return RANK[next] > RANK[current] ? next : current;
}
