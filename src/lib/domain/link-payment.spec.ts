import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LINK_SETTLE_AFTER_MS,
  linkNeedsSettling,
  linkOutcome,
  linkPartCents,
  type LinkPaymentRecord,
} from './link-payment';
import type { Payment } from './types';

const link = (amountCents: number): Payment => ({
  method: 'qr',
  amountCents,
  tenderedCents: null,
  changeCents: null,
  via: 'link',
});
const paid = (paidCents: number, overrides: Partial<LinkPaymentRecord> = {}) => ({
  status: 'paid' as const,
  paidCents,
  currency: 'eur',
  ...overrides,
});

describe('link payments', () => {
  it('[link] only payments via the link make the link part; cash and checkout payments do not', () => {
    expect(linkPartCents([link(1050)])).toBe(1050);
    expect(
      linkPartCents([
        { method: 'cash', amountCents: 500, tenderedCents: 500, changeCents: 0 },
        { method: 'qr', amountCents: 700, tenderedCents: null, changeCents: null },
        link(300),
      ]),
    ).toBe(300);
    expect(linkPartCents([])).toBe(0);
  });

  it('[link] awaiting until Stripe says paid; confirmed only for exactly the part in euros; anything else is amount_mismatch', () => {
    expect(linkOutcome(1050, [])).toBe('awaiting');
    expect(linkOutcome(1050, [paid(1050, { status: 'processing' })])).toBe('awaiting');
    expect(linkOutcome(1050, [paid(1050, { status: 'failed' })])).toBe('awaiting');
    expect(linkOutcome(1050, [paid(1050)])).toBe('confirmed');
    expect(linkOutcome(1050, [paid(1049)])).toBe('amount_mismatch');
    expect(linkOutcome(1050, [paid(1050, { currency: 'usd' })])).toBe('amount_mismatch');
    // Paid twice (the customer scanned the code again): never silently confirmed.
    expect(linkOutcome(1050, [paid(1050), paid(1050)])).toBe('amount_mismatch');
    // Two partial payments adding up exactly do confirm it.
    expect(linkOutcome(1050, [paid(1000), paid(50)])).toBe('confirmed');
  });

  it('[link] property: the outcome never depends on the order the records arrive in', () => {
    const record = fc.record({
      status: fc.constantFrom('processing' as const, 'failed' as const, 'paid' as const),
      paidCents: fc.integer({ min: 0, max: 5000 }),
      currency: fc.constantFrom('eur', 'usd'),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(record, { maxLength: 5 }),
        (part, rs) => {
          expect(linkOutcome(part, [...rs].reverse())).toBe(linkOutcome(part, rs));
          if (linkOutcome(part, rs) === 'confirmed') {
            const sum = rs.filter((r) => r.status === 'paid').reduce((a, r) => a + r.paidCents, 0);
            expect(sum).toBe(part);
          }
        },
      ),
      { seed: 8, numRuns: 500 },
    );
  });

  it('[link] still awaiting 24 hours after the sale, the maker is asked to settle it; a clock found ahead is taken back', () => {
    const sale = { createdAt: 1_000_000_000_000, status: 'completed' as const };
    const at = sale.createdAt + LINK_SETTLE_AFTER_MS;
    expect(linkNeedsSettling(sale, 'awaiting', at - 1)).toBe(false);
    expect(linkNeedsSettling(sale, 'awaiting', at)).toBe(true);
    expect(linkNeedsSettling(sale, 'confirmed', at)).toBe(false);
    expect(linkNeedsSettling({ ...sale, status: 'voided' }, 'awaiting', at)).toBe(false);
    // The selling phone ran 2 hours fast: asked 2 hours "early" by its own clock, on time really.
    const ahead = { ...sale, clockAheadMs: 2 * 3_600_000 };
    expect(linkNeedsSettling(ahead, 'awaiting', at - 2 * 3_600_000)).toBe(true);
  });
});
