import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundCash } from './cash';
import {
  MIN_ELECTRONIC_CENTS,
  maxCashPart,
  paymentsRoundingProblem,
  planSplit,
  splitPayments,
} from './split-payment';

const SEED = { seed: 8, numRuns: 1000 };
/** A total that can be split, and a cash part that leaves Stripe at least 50 cents. */
const splittable = fc
  .integer({ min: MIN_ELECTRONIC_CENTS + 1, max: 99_999_999 })
  .chain((total) =>
    fc.tuple(fc.constant(total), fc.integer({ min: 1, max: total - MIN_ELECTRONIC_CENTS })),
  );

describe('split payment (part cash, part phone/card)', () => {
  it('€ 23,47 with € 10,03 cash: € 10,05 in cash (rounded), € 13,44 by card, rounding +2', () => {
    const result = planSplit(2347, 1003, true);
    expect(result).toEqual({
      ok: true,
      plan: {
        totalCents: 2347,
        cashPartCents: 1003,
        cashDueCents: 1005,
        roundingCents: 2,
        electronicCents: 1344,
      },
    });
    if (!result.ok) return;
    expect(splitPayments(result.plan, 2000)).toEqual({
      ok: true,
      payments: [
        { method: 'cash', amountCents: 1005, tenderedCents: 2000, changeCents: 995 },
        { method: 'qr', amountCents: 1344, tenderedCents: null, changeCents: null },
      ],
    });
  });

  it('without the maker’s rounding the cash part is paid to the cent', () => {
    const result = planSplit(2347, 1003, false);
    expect(result.ok && result.plan).toMatchObject({ cashDueCents: 1003, roundingCents: 0 });
  });

  it('no cash, or a rest below Stripe’s 50 cents, is not a split', () => {
    expect(planSplit(2347, 0, true)).toEqual({ ok: false, error: 'no-cash' });
    expect(planSplit(2347, -5, true)).toEqual({ ok: false, error: 'no-cash' });
    expect(planSplit(2347, 2298, true)).toEqual({
      ok: false,
      error: 'rest-too-small',
      maxCashPartCents: 2297,
    });
    expect(planSplit(2347, 2347, true)).toMatchObject({ error: 'rest-too-small' });
    expect(planSplit(2347, 5000, true)).toMatchObject({ error: 'rest-too-small' });
    expect(planSplit(50, 1, true)).toMatchObject({ error: 'rest-too-small' });
    expect(maxCashPart(2347)).toBe(2297);
  });

  it('refuses amounts that are not cents (floats, NaN, 2^53)', () => {
    expect(() => planSplit(2347.5, 100, true)).toThrow(RangeError);
    expect(() => planSplit(2347, Number.NaN, true)).toThrow(RangeError);
    expect(() => planSplit(2 ** 53, 100, true)).toThrow(RangeError);
  });

  it('too little cash handed over says how much is missing', () => {
    const result = planSplit(2347, 1003, true);
    if (!result.ok) throw new Error('expected a plan');
    expect(splitPayments(result.plan, 1000)).toEqual({
      ok: false,
      error: 'insufficient',
      shortCents: 5,
    });
  });

  it('property: every split sums right (payments = total + rounding) and the sale check agrees', () => {
    fc.assert(
      fc.property(
        splittable,
        fc.boolean(),
        fc.nat(10_000),
        ([total, cashPart], rounding, extra) => {
          const result = planSplit(total, cashPart, rounding);
          if (!result.ok) return false;
          const { plan } = result;
          const paid = splitPayments(plan, plan.cashDueCents + extra);
          if (!paid.ok) return false;
          const sum = paid.payments.reduce((a, p) => a + p.amountCents, 0);
          expect(sum).toBe(total + plan.roundingCents);
          expect(plan.electronicCents).toBeGreaterThanOrEqual(MIN_ELECTRONIC_CENTS);
          expect(plan.electronicCents).toBeLessThan(total);
          expect(paid.payments[0]?.changeCents).toBe(extra);
          expect(paymentsRoundingProblem(total, plan.roundingCents, paid.payments)).toBeNull();
          return true;
        },
      ),
      SEED,
    );
  });

  it('property: rounding only on the cash part (the electronic part is never rounded)', () => {
    fc.assert(
      fc.property(splittable, ([total, cashPart]) => {
        const result = planSplit(total, cashPart, true);
        if (!result.ok) return false;
        const { plan } = result;
        expect(plan.electronicCents).toBe(total - cashPart);
        expect(plan.cashDueCents).toBe(roundCash(cashPart));
        expect(plan.cashDueCents % 5).toBe(0);
        expect(Math.abs(plan.roundingCents)).toBeLessThanOrEqual(2);
        // Rounding the whole total instead is refused whenever it differs.
        const wrong = roundCash(total) - total;
        if (wrong !== 0 && wrong !== plan.roundingCents) {
          expect(
            paymentsRoundingProblem(total, wrong, [
              { method: 'cash', amountCents: cashPart + wrong },
              { method: 'qr', amountCents: plan.electronicCents },
            ]),
          ).toMatch(/5-cent rule/);
        }
        return true;
      }),
      SEED,
    );
  });

  it('the sale check: rounding without cash, or more by card than the total, is refused', () => {
    expect(paymentsRoundingProblem(1000, 0, [{ method: 'qr', amountCents: 1000 }])).toBeNull();
    expect(paymentsRoundingProblem(1003, 2, [{ method: 'qr', amountCents: 1005 }])).toMatch(
      /exceed/,
    );
    expect(paymentsRoundingProblem(1003, 2, [{ method: 'qr', amountCents: 1003 }])).toMatch(
      /without a cash payment/,
    );
    expect(paymentsRoundingProblem(1003, 2, [{ method: 'cash', amountCents: 1005 }])).toBeNull();
    expect(paymentsRoundingProblem(1003, -1, [{ method: 'cash', amountCents: 1002 }])).toMatch(
      /5-cent rule/,
    );
  });
});
