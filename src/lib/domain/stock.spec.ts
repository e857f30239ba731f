import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isSoldOut,
  MAX_RESTOCK,
  needsOversellConfirmation,
  oversells,
  parseRestock,
  recountDelta,
  restockSuggested,
  soldBeyondStock,
  stockedIn,
  stockedInByProduct,
  stockKey,
  stockLevel,
  stockState,
} from './stock';

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

describe('stock at the till: never blocking, honest about what is left', () => {
  it('stocked in = opening count + restocks (sales, voids and recounts do not add to it)', () => {
    expect(stockedIn(10, [])).toBe(10);
    expect(
      stockedIn(10, [
        { kind: 'sale', delta: -3 },
        { kind: 'restock', delta: 5 },
        { kind: 'void', delta: 1 },
        { kind: 'recount', delta: 10 },
        { kind: 'restock', delta: 2 },
      ]),
    ).toBe(17);
    expect(() => stockedIn(1, [{ kind: 'restock', delta: 0.5 }])).toThrow(RangeError);
  });

  it('stocked in per product: only products with kept stock, each with its own restocks', () => {
    expect(
      stockedInByProduct(
        [
          { productId: 'a', openingCount: 10 },
          { productId: 'b', openingCount: 0 },
        ],
        [
          { productId: 'a', kind: 'restock', delta: 5 },
          { productId: 'a', kind: 'sale', delta: -2 },
          { productId: 'b', kind: 'restock', delta: 3 },
          { productId: 'c', kind: 'restock', delta: 7 },
        ],
      ),
    ).toEqual({ a: 15, b: 3 });
  });

  it('says how many of how many are left, with the cart taken off', () => {
    expect(stockState(10, 10, 0)).toEqual({ kind: 'left', left: 10, of: 10 });
    expect(stockState(10, 10, 8)).toEqual({ kind: 'left', left: 2, of: 10 });
    expect(stockState(7, 15, 0)).toEqual({ kind: 'left', left: 7, of: 15 });
  });

  it('a tile whose last items are in the cart is not sold out until the sale completes', () => {
    expect(stockState(1, 10, 1)).toEqual({ kind: 'all-in-cart', inCart: 1 });
    expect(stockState(2, 10, 3)).toEqual({ kind: 'all-in-cart', inCart: 3 });
    expect(stockState(0, 10, 0)).toEqual({ kind: 'sold-out' });
    expect(stockState(0, 10, 2)).toEqual({ kind: 'sold-out' });
  });

  it('a level below zero is sold beyond stock, by that many', () => {
    expect(stockState(-2, 10, 0)).toEqual({ kind: 'oversold', beyond: 2 });
    expect(stockState(-1, 0, 4)).toEqual({ kind: 'oversold', beyond: 1 });
    expect(() => stockState(1, 1, -1)).toThrow(RangeError);
    expect(() => stockState(0.5, 1, 0)).toThrow(RangeError);
  });

  it('property: "left" never exceeds what was stocked, and appears only when something is left', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 120 }),
        (level, of, inCart) => {
          const state = stockState(level, of, inCart);
          if (state.kind === 'left') {
            expect(state.left).toBe(level - inCart);
            expect(state.left).toBeGreaterThan(0);
            expect(state.left).toBeLessThanOrEqual(state.of);
          }
          expect(state.kind === 'sold-out').toBe(level === 0);
          expect(state.kind === 'oversold').toBe(level < 0);
        },
      ),
      SEED,
    );
  });

  it('asks before selling beyond kept stock, once per product per cart, never for unkept stock', () => {
    expect(needsOversellConfirmation(null, 5, false)).toBe(false);
    expect(needsOversellConfirmation(2, 0, false)).toBe(false);
    expect(needsOversellConfirmation(2, 1, false)).toBe(false);
    expect(needsOversellConfirmation(2, 2, false)).toBe(true);
    expect(needsOversellConfirmation(0, 0, false)).toBe(true);
    expect(needsOversellConfirmation(-3, 0, false)).toBe(true);
    expect(needsOversellConfirmation(0, 0, true)).toBe(false);
  });

  it('a sale oversells when one of its sale movements takes a kept level below zero', () => {
    const levels = new Map([
      [stockKey('e', 'a'), 1],
      [stockKey('e', 'b'), 5],
    ]);
    const sale = (productId: string, delta: number) =>
      ({ eventId: 'e', productId, kind: 'sale', delta }) as const;
    expect(oversells(levels, [sale('a', -1), sale('b', -5)])).toBe(false);
    expect(oversells(levels, [sale('a', -2)])).toBe(true);
    expect(oversells(levels, [sale('a', -1), sale('a', -1)])).toBe(true);
    // Unkept stock (no row) never oversells; nor does a restock.
    expect(oversells(levels, [sale('c', -9)])).toBe(false);
    expect(
      oversells(new Map([[stockKey('e', 'a'), -1]]), [{ ...sale('a', 2), kind: 'void' }]),
    ).toBe(false);
  });

  it('sold beyond stock sums the negative levels', () => {
    expect(soldBeyondStock([])).toBe(0);
    expect(soldBeyondStock([{ level: 3 }, { level: -2 }, { level: 0 }, { level: -1 }])).toBe(3);
  });

  it('a restock is a whole number from 1 to MAX_RESTOCK', () => {
    expect(parseRestock(' 5 ')).toEqual({ ok: true, quantity: 5 });
    expect(parseRestock(String(MAX_RESTOCK))).toEqual({ ok: true, quantity: MAX_RESTOCK });
    expect(parseRestock(String(MAX_RESTOCK + 1))).toEqual({ ok: false, error: 'too-large' });
    expect(parseRestock(String(2 ** 53))).toEqual({ ok: false, error: 'too-large' });
    expect(parseRestock('0')).toEqual({ ok: false, error: 'too-small' });
    for (const bad of ['', '-1', '1.5', '2,5', 'abc', '1e3', '\u0000', '\ud800', '٣٫٥', '١٬٠٠٠'])
      expect(parseRestock(bad)).toEqual({ ok: false, error: 'not-whole' });
  });

  it('a restock typed on an Arabic or Persian keyboard is read like the stock field reads it', () => {
    expect(parseRestock('٣')).toEqual({ ok: true, quantity: 3 });
    expect(parseRestock('۱۲')).toEqual({ ok: true, quantity: 12 });
    expect(parseRestock('\u200f٥\u200f')).toEqual({ ok: true, quantity: 5 });
    expect(parseRestock('٠')).toEqual({ ok: false, error: 'too-small' });
  });

  it('the tile offers a restock when 3 or fewer are left, all are in the cart, or none', () => {
    expect(restockSuggested(null)).toBe(false);
    expect(restockSuggested(stockState(10, 10, 0))).toBe(false);
    expect(restockSuggested(stockState(4, 10, 0))).toBe(false);
    expect(restockSuggested(stockState(4, 10, 1))).toBe(true);
    expect(restockSuggested(stockState(1, 10, 1))).toBe(true);
    expect(restockSuggested(stockState(0, 10, 0))).toBe(true);
    expect(restockSuggested(stockState(-2, 10, 0))).toBe(true);
  });
});
