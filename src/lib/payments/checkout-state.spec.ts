import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceCheckout, stateOfEvent } from './checkout-state';
import { CHECKOUT_STATES, type CheckoutState } from './contract';

const EVENTS: [string, string | null][] = [
  ['checkout.session.completed', 'paid'],
  ['checkout.session.completed', 'unpaid'],
  ['checkout.session.async_payment_succeeded', 'paid'],
  ['checkout.session.async_payment_failed', 'unpaid'],
  ['checkout.session.expired', 'unpaid'],
];

describe('checkout state', () => {
  it('maps each session event to the state it points at', () => {
    expect(EVENTS.map(([type, status]) => stateOfEvent(type, status))).toEqual([
      'paid',
      'processing',
      'paid',
      'failed',
      'expired',
    ]);
    expect(stateOfEvent('account.updated', null)).toBeNull();
  });

  it('[out of order] expired after completed stays paid; completed after expired becomes paid', () => {
    expect(advanceCheckout(advanceCheckout('open', 'paid'), 'expired')).toBe('paid');
    expect(advanceCheckout(advanceCheckout('open', 'expired'), 'paid')).toBe('paid');
    expect(advanceCheckout(advanceCheckout('open', 'paid'), 'processing')).toBe('paid');
  });

  it('[any order] the same events in any order, each any number of times, end in the same state', () => {
    const state = fc.constantFrom<CheckoutState>(...CHECKOUT_STATES);
    fc.assert(
      fc.property(
        fc.array(state, { maxLength: 8 }),
        fc.array(state, { maxLength: 8 }),
        (events, shuffleKeys) => {
          const shuffled = [...events, ...shuffleKeys.filter((s) => events.includes(s))].reverse();
          const final = (list: CheckoutState[]) =>
            list.reduce(advanceCheckout, 'open' as CheckoutState);
          expect(final(shuffled)).toBe(final(events));
        },
      ),
      { seed: 8 },
    );
  });
});
