import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSoldOut, recountDelta, stockKey, stockLevel } from './stock';

const SEED = { seed: 42, numRuns: 500 };

describe('stock = opening count + movements', () => {
  it('adds the signed movements to the opening count', () => {
    expect(stockLevel(40, [])).toBe(40);
    expect(stockLevel(40, [{ delta: -2 }, { delta: -3 }, { delta: 2 }, { delta: 10 }])).toBe(47);
    expect(stockLevel(5, [{ delta: -6 }])).toBe(-1);
    expect(() => stockLevel(1.5, [])).toThrow(RangeError);
    expect(() => stockLevel(1, [{ delta: 0.5 }])).toThrow(RangeError);
  });

  it('property: movement order does not matter (devices sync in any order; no clamping at 0)', () => {
    const deltasAndShuffle = fc
      .array(fc.integer({ min: -50, max: 50 }))
      .chain((ds) =>
        fc.tuple(
          fc.constant(ds),
          fc.shuffledSubarray(ds, { minLength: ds.length, maxLength: ds.length }),
        ),
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        deltasAndShuffle,
        (opening, [deltas, shuffled]) => {
          const level = stockLevel(
            opening,
            deltas.map((delta) => ({ delta })),
          );
          expect(level).toBe(opening + deltas.reduce((a, b) => a + b, 0));
          return (
            level ===
            stockLevel(
              opening,
              shuffled.map((delta) => ({ delta })),
            )
          );
        },
      ),
      SEED,
    );
  });

  it('sold out at zero or below (an oversell is sold out too)', () => {
    expect(isSoldOut(1)).toBe(false);
    expect(isSoldOut(0)).toBe(true);
    expect(isSoldOut(-5)).toBe(true);
  });

  it('a recount is the difference to what the device believed, and lands on the count', () => {
    expect(recountDelta(12, 15)).toBe(-3);
    expect(recountDelta(12, -2)).toBe(14);
    expect(() => recountDelta(-1, 3)).toThrow(RangeError);
    expect(() => recountDelta(1.5, 3)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: -100, max: 1000 }), (counted, level) => {
        return level + recountDelta(counted, level) === counted;
      }),
      SEED,
    );
  });

  it('stockKey matches EventStock.id', () => {
    expect(stockKey('e1', 'p1')).toBe('e1:p1');
  });
});
