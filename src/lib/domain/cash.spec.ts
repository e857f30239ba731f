import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cashDue, cashTakenWhenRounded, change, quickTenderAmounts, roundCash } from './cash';
import { MAX_MONEY_CENTS } from './money';

const SEED = { seed: 42, numRuns: 500 };
const amount = fc.integer({ min: -100_000_000, max: 100_000_000 });

describe('roundCash (Dutch 5-cent rounding)', () => {
  it.each([
    [1270, 1270],
    [1271, 1270],
    [1272, 1270],
    [1273, 1275],
    [1274, 1275],
    [1275, 1275],
    [1276, 1275],
    [1277, 1275],
    [1278, 1280],
    [1279, 1280],
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 5],
    [8, 10],
    [99, 100],
  ])('last digit rule: %i -> %i', (input, expected) => {
    expect(roundCash(input)).toBe(expected);
  });

  it('mirrors for negatives (refunds)', () => {
    expect(roundCash(-1273)).toBe(-1275);
    expect(roundCash(-1272)).toBe(-1270);
    expect(roundCash(-8)).toBe(-10);
    expect(Object.is(roundCash(-2), 0)).toBe(true);
  });

  it('property: result is a multiple of 5 and within 2 cents', () => {
    fc.assert(
      fc.property(amount, (c) => {
        const r = roundCash(c);
        return r % 5 === 0 && Math.abs(r - c) <= 2;
      }),
      SEED,
    );
  });

  it('property: symmetric, idempotent and monotonic', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(roundCash(-a)).toBe(0 - roundCash(a));
        expect(roundCash(roundCash(a))).toBe(roundCash(a));
        if (a <= b) expect(roundCash(a)).toBeLessThanOrEqual(roundCash(b));
      }),
      SEED,
    );
  });

  it('refuses floats', () => {
    expect(() => roundCash(12.5)).toThrow(RangeError);
  });
});

describe('cashDue', () => {
  it('keeps the rounding difference as its own figure', () => {
    expect(cashDue(1273, true)).toEqual({ dueCents: 1275, roundingCents: 2 });
    expect(cashDue(1271, true)).toEqual({ dueCents: 1270, roundingCents: -1 });
    expect(cashDue(1273, false)).toEqual({ dueCents: 1273, roundingCents: 0 });
  });

  it('property: due = total + rounding, rounding within -2..2, zero when off', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.boolean(), (total, on) => {
        const { dueCents, roundingCents } = cashDue(total, on);
        expect(dueCents).toBe(total + roundingCents);
        expect(Math.abs(roundingCents)).toBeLessThanOrEqual(on ? 2 : 0);
      }),
      SEED,
    );
  });
});

describe('change', () => {
  it('gives change or says how much is short', () => {
    expect(change(1270, 2000)).toEqual({ ok: true, changeCents: 730 });
    expect(change(1270, 1270)).toEqual({ ok: true, changeCents: 0 });
    expect(change(1270, 1000)).toEqual({ ok: false, error: 'insufficient', shortCents: 270 });
    expect(() => change(1270, 10.5)).toThrow(RangeError);
  });

  it('property: tendered = due + change whenever enough was handed over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (due, tendered) => {
          const r = change(due, tendered);
          if (r.ok) return tendered >= due && due + r.changeCents === tendered;
          return tendered < due && tendered + r.shortCents === due;
        },
      ),
      SEED,
    );
  });
});

describe('quickTenderAmounts', () => {
  it('exact, then the amounts that follow the total: the next 5, 10, 20 and 50 euros', () => {
    expect(quickTenderAmounts(9300)).toEqual([9300, 9500, 10000]);
    expect(quickTenderAmounts(1270)).toEqual([1270, 1500, 2000, 5000]);
    expect(quickTenderAmounts(1950)).toEqual([1950, 2000, 5000]);
    expect(quickTenderAmounts(350)).toEqual([350, 500, 1000, 2000, 5000]);
    expect(quickTenderAmounts(2000)).toEqual([2000, 5000]);
    expect(quickTenderAmounts(5000)).toEqual([5000, 6000]);
    expect(quickTenderAmounts(7350)).toEqual([7350, 7500, 8000, 10000]);
    expect(quickTenderAmounts(12_345)).toEqual([12_345, 12_500, 13_000, 14_000, 15_000]);
    expect(quickTenderAmounts(MAX_MONEY_CENTS - 1)).toEqual([MAX_MONEY_CENTS - 1, MAX_MONEY_CENTS]);
    expect(quickTenderAmounts(0)).toEqual([0]);
    expect(() => quickTenderAmounts(-1)).toThrow(RangeError);
    expect(() => quickTenderAmounts(0.5)).toThrow(RangeError);
  });

  it('property: over many totals, exact first, ascending, each covering the total by less than 50 euros, the next 5 euros always offered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_MONEY_CENTS }), (due) => {
        const amounts = quickTenderAmounts(due);
        expect(amounts[0]).toBe(due);
        for (let i = 1; i < amounts.length; i++) {
          const amount = amounts[i] ?? 0;
          expect(amount).toBeGreaterThan(amounts[i - 1] ?? Infinity);
          expect(amount % 500).toBe(0);
          expect(amount - due).toBeLessThan(5000);
          expect(amount).toBeLessThanOrEqual(MAX_MONEY_CENTS);
        }
        expect(amounts.length).toBeLessThanOrEqual(5);
        const nextFive = Math.ceil(due / 500) * 500;
        expect(amounts).toContain(nextFive);
        // Every multiple of 50 euros is offered as soon as it covers the total.
        expect(amounts).toContain(Math.ceil(due / 5000) * 5000);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('cashTakenWhenRounded', () => {
  it('the cash taken is said next to the revenue only when the rounding made them differ', () => {
    expect(cashTakenWhenRounded(3073, 2)).toBe(3075);
    expect(cashTakenWhenRounded(1949, -4)).toBe(1945);
    expect(cashTakenWhenRounded(3075, 0)).toBeNull();
    expect(() => cashTakenWhenRounded(1.5, 0)).toThrow(RangeError);
  });
});
