import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_LINE_QUANTITY,
  addProduct,
  allocateProportionally,
  cartItemCount,
  decrement,
  emptyCart,
  increment,
  lineQuantity,
  priceCart,
  removeLine,
  setCartDiscount,
  setLineDiscount,
  setQuantity,
  validateDiscount,
  type Cart,
  type CartLine,
} from './cart';
import type { LineDiscount, VatRate } from './types';
import { vatIncluded } from './vat';

const SEED = { seed: 42, numRuns: 500 };
const bread = { id: 'bread', name: 'Brood', priceCents: 350, vatRate: 9 as VatRate };
const scarf = { id: 'scarf', name: 'Sjaal', priceCents: 2500, vatRate: 21 as VatRate };
const kor = { id: 'card', name: 'Kaart', priceCents: 200, vatRate: 0 as VatRate };

function ok(result: ReturnType<typeof setLineDiscount>): Cart {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.cart;
}

describe('cart operations (immutable)', () => {
  it('adds a product; the same product again adds quantity on the same line', () => {
    const empty = emptyCart();
    const one = addProduct(empty, bread);
    const three = addProduct(one, bread, 2);
    expect(empty.lines).toHaveLength(0);
    expect(one.lines).toHaveLength(1);
    expect(three.lines).toEqual([
      {
        productId: 'bread',
        name: 'Brood',
        unitPriceCents: 350,
        vatRate: 9,
        quantity: 3,
        discount: { kind: 'none' },
      },
    ]);
    expect(lineQuantity(one, 'bread')).toBe(1);
    expect(lineQuantity(three, 'scarf')).toBe(0);
  });

  it('setQuantity: 0 removes; negative, fractional and > 999 throw RangeError', () => {
    const cart = addProduct(addProduct(emptyCart(), bread), scarf);
    expect(setQuantity(cart, 'bread', 5).lines[0]?.quantity).toBe(5);
    expect(setQuantity(cart, 'bread', 0).lines.map((l) => l.productId)).toEqual(['scarf']);
    expect(() => setQuantity(cart, 'bread', -1)).toThrow(RangeError);
    expect(() => setQuantity(cart, 'bread', 1.5)).toThrow(RangeError);
    expect(() => setQuantity(cart, 'bread', MAX_LINE_QUANTITY + 1)).toThrow(RangeError);
    expect(() => addProduct(cart, bread, 0)).toThrow(RangeError);
    expect(() => addProduct(setQuantity(cart, 'bread', 999), bread)).toThrow(RangeError);
    expect(setQuantity(cart, 'unknown', 3)).toBe(cart);
  });

  it('increment / decrement / removeLine keep line order; decrement at 1 removes', () => {
    let cart = addProduct(addProduct(addProduct(emptyCart(), bread), scarf), kor);
    cart = increment(cart, 'scarf');
    expect(cart.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['bread', 1],
      ['scarf', 2],
      ['card', 1],
    ]);
    cart = decrement(cart, 'bread');
    expect(cart.lines.map((l) => l.productId)).toEqual(['scarf', 'card']);
    cart = removeLine(cart, 'card');
    expect(cart.lines.map((l) => l.productId)).toEqual(['scarf']);
    expect(decrement(cart, 'nothing')).toBe(cart);
    expect(increment(cart, 'nothing')).toBe(cart);
    expect(cartItemCount(cart)).toBe(2);
  });

  it('never mutates its input', () => {
    const cart = addProduct(emptyCart(), bread);
    const frozen = JSON.stringify(cart);
    addProduct(cart, bread);
    setQuantity(cart, 'bread', 4);
    setLineDiscount(cart, 'bread', { kind: 'amount', cents: 10 });
    setCartDiscount(cart, { kind: 'percent', percent: 10 });
    removeLine(cart, 'bread');
    expect(JSON.stringify(cart)).toBe(frozen);
  });

  it('refuses a product with a negative or float price, or an unknown VAT rate', () => {
    expect(() => addProduct(emptyCart(), { ...bread, priceCents: -1 })).toThrow(RangeError);
    expect(() => addProduct(emptyCart(), { ...bread, priceCents: 3.5 })).toThrow(RangeError);
    expect(() => addProduct(emptyCart(), { ...bread, vatRate: 6 as VatRate })).toThrow(RangeError);
  });
});

describe('discount validation (errors, not silent clamping)', () => {
  it('validateDiscount', () => {
    expect(validateDiscount({ kind: 'none' }, 100)).toEqual({ ok: true, cents: 0 });
    expect(validateDiscount({ kind: 'amount', cents: 100 }, 100)).toEqual({ ok: true, cents: 100 });
    expect(validateDiscount({ kind: 'amount', cents: 101 }, 100)).toEqual({
      ok: false,
      error: 'exceeds-amount',
    });
    expect(validateDiscount({ kind: 'amount', cents: -1 }, 100)).toEqual({
      ok: false,
      error: 'negative',
    });
    expect(validateDiscount({ kind: 'amount', cents: 1.5 }, 100)).toEqual({
      ok: false,
      error: 'not-whole',
    });
    expect(validateDiscount({ kind: 'percent', percent: 101 }, 100)).toEqual({
      ok: false,
      error: 'percent-out-of-range',
    });
    expect(validateDiscount({ kind: 'percent', percent: 12.5 }, 100)).toEqual({
      ok: false,
      error: 'not-whole',
    });
  });

  it('percent discounts round to the cent, halves up', () => {
    expect(validateDiscount({ kind: 'percent', percent: 10 }, 355)).toEqual({
      ok: true,
      cents: 36,
    }); // 35.5
    expect(validateDiscount({ kind: 'percent', percent: 10 }, 354)).toEqual({
      ok: true,
      cents: 35,
    }); // 35.4
    expect(validateDiscount({ kind: 'percent', percent: 15 }, 333)).toEqual({
      ok: true,
      cents: 50,
    }); // 49.95
    expect(validateDiscount({ kind: 'percent', percent: 100 }, 999)).toEqual({
      ok: true,
      cents: 999,
    });
  });

  it('setLineDiscount / setCartDiscount return an error result and leave the cart alone', () => {
    const cart = addProduct(emptyCart(), bread, 2); // 700
    expect(setLineDiscount(cart, 'bread', { kind: 'amount', cents: 701 })).toEqual({
      ok: false,
      error: 'exceeds-amount',
    });
    expect(setLineDiscount(cart, 'nope', { kind: 'amount', cents: 1 })).toEqual({
      ok: false,
      error: 'unknown-line',
    });
    const discounted = ok(setLineDiscount(cart, 'bread', { kind: 'amount', cents: 200 })); // 500 left
    expect(setCartDiscount(discounted, { kind: 'amount', cents: 501 })).toEqual({
      ok: false,
      error: 'exceeds-amount',
    });
    expect(ok(setCartDiscount(discounted, { kind: 'amount', cents: 500 })).cartDiscount).toEqual({
      kind: 'amount',
      cents: 500,
    });
  });

  it('a discount that no longer fits after a quantity change is capped at pricing and reported', () => {
    let cart = addProduct(emptyCart(), bread, 3); // 1050
    cart = ok(setLineDiscount(cart, 'bread', { kind: 'amount', cents: 1000 }));
    cart = setQuantity(cart, 'bread', 1); // 350 < 1000
    const priced = priceCart(cart);
    expect(priced.lines[0]?.lineDiscountCents).toBe(350);
    expect(priced.lines[0]?.lineDiscountClamped).toBe(true);
    expect(priced.totalCents).toBe(0);

    let cart2 = addProduct(emptyCart(), scarf, 2); // 5000
    cart2 = ok(setCartDiscount(cart2, { kind: 'amount', cents: 4000 }));
    cart2 = decrement(cart2, 'scarf'); // 2500 < 4000
    const priced2 = priceCart(cart2);
    expect(priced2.cartDiscountCents).toBe(2500);
    expect(priced2.cartDiscountClamped).toBe(true);
    expect(priced2.totalCents).toBe(0);
  });

  it('pricing throws on a discount that could not have come through the setters', () => {
    const cart: Cart = {
      ...addProduct(emptyCart(), bread),
      cartDiscount: { kind: 'amount', cents: -5 },
    };
    expect(() => priceCart(cart)).toThrow(RangeError);
  });
});

describe('priceCart', () => {
  it('an empty cart costs nothing', () => {
    expect(priceCart(emptyCart())).toEqual({
      lines: [],
      itemCount: 0,
      subtotalCents: 0,
      lineDiscountCents: 0,
      cartDiscountCents: 0,
      cartDiscountClamped: false,
      totalCents: 0,
      vatCents: 0,
      vatByRate: [],
    });
  });

  it('worked example: 9% and 21% mixed, line and cart discounts, VAT after the share', () => {
    // 3 bread @3.50 = 10.50 with 0.50 off -> 10.00; 1 scarf 25.00; cart 10% of 35.00 = 3.50
    let cart = addProduct(addProduct(emptyCart(), bread, 3), scarf);
    cart = ok(setLineDiscount(cart, 'bread', { kind: 'amount', cents: 50 }));
    cart = ok(setCartDiscount(cart, { kind: 'percent', percent: 10 }));
    const priced = priceCart(cart);
    expect(priced.subtotalCents).toBe(3500);
    expect(priced.lineDiscountCents).toBe(50);
    expect(priced.cartDiscountCents).toBe(350);
    // shares: 350 * 1000/3500 = 100, 350 * 2500/3500 = 250
    expect(priced.lines.map((l) => l.cartDiscountShareCents)).toEqual([100, 250]);
    expect(priced.lines.map((l) => l.totalCents)).toEqual([900, 2250]);
    expect(priced.lines.map((l) => l.vatCents)).toEqual([74, 390]); // 74.31 -> 74, 390.496 -> 390
    expect(priced.totalCents).toBe(3150);
    expect(priced.itemCount).toBe(4);
    expect(priced.vatByRate).toEqual([
      { rate: 21, grossCents: 2250, vatCents: 390, netCents: 1860 },
      { rate: 9, grossCents: 900, vatCents: 74, netCents: 826 },
    ]);
    expect(priced.vatCents).toBe(464);
  });

  it('largest remainder: 100 cents over three equal lines gives 34, 33, 33', () => {
    expect(allocateProportionally(100, [500, 500, 500])).toEqual([34, 33, 33]);
    expect(allocateProportionally(1, [1, 2])).toEqual([0, 1]);
    expect(allocateProportionally(0, [0, 0])).toEqual([0, 0]);
    expect(allocateProportionally(5, [0, 7])).toEqual([0, 5]);
    expect(() => allocateProportionally(5, [0, 0])).toThrow(RangeError);
    expect(() => allocateProportionally(-1, [1])).toThrow(RangeError);
  });

  const discount = (max: number): fc.Arbitrary<LineDiscount> =>
    fc.oneof(
      fc.constant<LineDiscount>({ kind: 'none' }),
      // up to 1.5x the base, so capping is exercised too
      fc
        .integer({ min: 0, max: Math.floor(max * 1.5) })
        .map((cents): LineDiscount => ({ kind: 'amount', cents })),
      fc
        .integer({ min: 0, max: 100 })
        .map((percent): LineDiscount => ({ kind: 'percent', percent })),
    );
  const line: fc.Arbitrary<CartLine> = fc
    .record({
      unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
      quantity: fc.integer({ min: 1, max: MAX_LINE_QUANTITY }),
      vatRate: fc.constantFrom<VatRate>(0, 9, 21),
    })
    .chain((base) =>
      discount(base.unitPriceCents * base.quantity).map((d) => ({
        ...base,
        productId: '',
        name: 'x',
        discount: d,
      })),
    );
  const cartArb: fc.Arbitrary<Cart> = fc.array(line, { maxLength: 12 }).chain((lines) =>
    discount(lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0)).map((cartDiscount) => ({
      lines: lines.map((l, i) => ({ ...l, productId: `p${i}` })),
      cartDiscount,
    })),
  );

  it('property: line totals sum to the cart total; shares sum to the cart discount; totals >= 0', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priceCart(cart);
        expect(p.lines.reduce((s, l) => s + l.totalCents, 0)).toBe(p.totalCents);
        expect(p.lines.reduce((s, l) => s + l.cartDiscountShareCents, 0)).toBe(p.cartDiscountCents);
        expect(p.totalCents).toBeGreaterThanOrEqual(0);
        expect(p.subtotalCents - p.cartDiscountCents).toBe(p.totalCents);
        expect(p.lines.reduce((s, l) => s + l.grossCents, 0) - p.lineDiscountCents).toBe(
          p.subtotalCents,
        );
        for (const l of p.lines) {
          expect(l.totalCents).toBeGreaterThanOrEqual(0);
          expect(l.lineDiscountCents).toBeLessThanOrEqual(l.grossCents);
          expect(l.cartDiscountShareCents).toBeGreaterThanOrEqual(0);
        }
      }),
      SEED,
    );
  });

  it('property: each share is the floor or ceiling of its exact proportional share', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priceCart(cart);
        if (p.subtotalCents === 0) return p.cartDiscountCents === 0;
        return p.lines.every((l) => {
          const after = BigInt(l.grossCents - l.lineDiscountCents);
          const exactTimesSubtotal = BigInt(p.cartDiscountCents) * after;
          const shareTimesSubtotal = BigInt(l.cartDiscountShareCents) * BigInt(p.subtotalCents);
          const diff = shareTimesSubtotal - exactTimesSubtotal;
          return diff > -BigInt(p.subtotalCents) && diff < BigInt(p.subtotalCents);
        });
      }),
      SEED,
    );
  });

  it('property: VAT is per line on the line total after its share; per-rate sums match the lines', () => {
    fc.assert(
      fc.property(cartArb, (cart) => {
        const p = priceCart(cart);
        for (const l of p.lines) expect(l.vatCents).toBe(vatIncluded(l.totalCents, l.line.vatRate));
        for (const rate of [0, 9, 21] as const) {
          const atRate = p.lines.filter((l) => l.line.vatRate === rate);
          const entry = p.vatByRate.find((v) => v.rate === rate);
          if (atRate.length === 0) {
            expect(entry).toBeUndefined();
            continue;
          }
          expect(entry?.vatCents).toBe(atRate.reduce((s, l) => s + l.vatCents, 0));
          expect(entry?.grossCents).toBe(atRate.reduce((s, l) => s + l.totalCents, 0));
          expect((entry?.netCents ?? 0) + (entry?.vatCents ?? 0)).toBe(entry?.grossCents);
        }
        expect(p.vatByRate.reduce((s, v) => s + v.vatCents, 0)).toBe(p.vatCents);
        expect(p.vatByRate.reduce((s, v) => s + v.grossCents, 0)).toBe(p.totalCents);
      }),
      SEED,
    );
  });

  it('property: operations keep one line per product and itemCount = sum of quantities', () => {
    const products = [bread, scarf, kor];
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        p: fc.nat(2),
        q: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({ kind: fc.constant('inc' as const), p: fc.nat(2) }),
      fc.record({ kind: fc.constant('dec' as const), p: fc.nat(2) }),
      fc.record({
        kind: fc.constant('set' as const),
        p: fc.nat(2),
        q: fc.integer({ min: 0, max: 9 }),
      }),
      fc.record({ kind: fc.constant('remove' as const), p: fc.nat(2) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let cart = emptyCart();
        const model = new Map<string, number>();
        for (const o of ops) {
          const product = products[o.p] ?? bread;
          const current = model.get(product.id) ?? 0;
          let next = current;
          if (o.kind === 'add') {
            cart = addProduct(cart, product, o.q);
            next = current + o.q;
          } else if (o.kind === 'inc') {
            cart = increment(cart, product.id);
            next = current === 0 ? 0 : current + 1;
          } else if (o.kind === 'dec') {
            cart = decrement(cart, product.id);
            next = Math.max(0, current - 1);
          } else if (o.kind === 'set') {
            cart = setQuantity(cart, product.id, o.q);
            next = current === 0 ? 0 : o.q;
          } else {
            cart = removeLine(cart, product.id);
            next = 0;
          }
          if (next === 0) model.delete(product.id);
          else model.set(product.id, next);
        }
        const ids = cart.lines.map((l) => l.productId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(Object.fromEntries(cart.lines.map((l) => [l.productId, l.quantity]))).toEqual(
          Object.fromEntries(model),
        );
        expect(cartItemCount(cart)).toBe([...model.values()].reduce((a, b) => a + b, 0));
      }),
      SEED,
    );
  });
});
