import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addProduct, emptyCart, setCartDiscount, setLineDiscount, type Cart } from './cart';
import {
  SaleError,
  buildSale,
  saleMovements,
  validateVoidReason,
  voidMovements,
  voidSale,
  voidable,
  type BuildSaleInput,
} from './sale';
import type { VatRate } from './types';
import { vatIncluded } from './vat';

const SEED = { seed: 42, numRuns: 500 };
const bread = { id: 'bread', name: 'Brood', priceCents: 355, vatRate: 9 as VatRate };
const scarf = { id: 'scarf', name: 'Sjaal', priceCents: 2499, vatRate: 21 as VatRate };

function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${n++}`;
}

function input(cart: Cart, tenderedCents: number, cashRounding = false): BuildSaleInput {
  return {
    id: 'sale-1',
    eventId: 'event-1',
    makerId: 'maker-1',
    hlc: '000001767225600000-0000-dev',
    createdAt: 1_767_225_600_000,
    cart,
    payment: { method: 'cash', tenderedCents, cashRounding },
    lineIds: counter('line-'),
  };
}

function saleError(fn: () => unknown): SaleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SaleError) return error;
    throw error;
  }
  throw new Error('expected a SaleError');
}

describe('buildSale', () => {
  it('builds a cash sale with rounding kept as its own figure', () => {
    // 2 bread (7.10) + scarf (24.99) = 32.09 -> rounded 32.10
    const cart = addProduct(addProduct(emptyCart(), bread, 2), scarf);
    const { sale, lines } = buildSale(input(cart, 5000, true));
    expect(sale).toEqual({
      id: 'sale-1',
      eventId: 'event-1',
      makerId: 'maker-1',
      hlc: '000001767225600000-0000-dev',
      createdAt: 1_767_225_600_000,
      subtotalCents: 3209,
      lineDiscountCents: 0,
      cartDiscountCents: 0,
      totalCents: 3209,
      roundingCents: 1,
      paidCents: 3210,
      payments: [{ method: 'cash', amountCents: 3210, tenderedCents: 5000, changeCents: 1790 }],
      itemCount: 3,
      status: 'completed',
      voidReason: null,
      voidedAt: null,
    });
    expect(lines).toEqual([
      {
        id: 'line-0',
        saleId: 'sale-1',
        position: 0,
        productId: 'bread',
        name: 'Brood',
        unitPriceCents: 355,
        vatRate: 9,
        quantity: 2,
        lineDiscountCents: 0,
        cartDiscountShareCents: 0,
        totalCents: 710,
        vatCents: 59, // 58.62
      },
      {
        id: 'line-1',
        saleId: 'sale-1',
        position: 1,
        productId: 'scarf',
        name: 'Sjaal',
        unitPriceCents: 2499,
        vatRate: 21,
        quantity: 1,
        lineDiscountCents: 0,
        cartDiscountShareCents: 0,
        totalCents: 2499,
        vatCents: 434, // 433.72
      },
    ]);
  });

  it('without rounding, pays the exact total; line ids may be given as an array', () => {
    const cart = addProduct(emptyCart(), bread);
    const { sale, lines } = buildSale({ ...input(cart, 355), lineIds: ['only'] });
    expect(sale.paidCents).toBe(355);
    expect(sale.roundingCents).toBe(0);
    expect(sale.payments[0]?.changeCents).toBe(0);
    expect(lines[0]?.id).toBe('only');
  });

  it('paid by phone or card: exactly the total, never rounded, no tender or change', () => {
    const cart = addProduct(emptyCart(), bread, 3); // 1065: cash would round to 1065, 1063 to 1065
    const { sale } = buildSale({ ...input(cart, 0, true), payment: { method: 'qr' } });
    expect(sale.payments).toEqual([
      { method: 'qr', amountCents: 1065, tenderedCents: null, changeCents: null },
    ]);
    expect(sale.paidCents).toBe(sale.totalCents);
    expect(sale.roundingCents).toBe(0);
    const odd = addProduct(emptyCart(), { ...bread, priceCents: 1063 });
    expect(buildSale({ ...input(odd, 0, true), payment: { method: 'qr' } }).sale.paidCents).toBe(
      1063,
    );
  });

  it('split payment: the cash part rounded with change, the rest by phone/card to the cent', () => {
    // 2 bread (7.10) + scarf (24.99) = 32.09; € 10,03 of it in cash -> € 10,05, rest € 22,06
    const cart = addProduct(addProduct(emptyCart(), bread, 2), scarf);
    const { sale } = buildSale({
      ...input(cart, 0),
      payment: { method: 'split', cashPartCents: 1003, tenderedCents: 2000, cashRounding: true },
    });
    expect(sale.payments).toEqual([
      { method: 'cash', amountCents: 1005, tenderedCents: 2000, changeCents: 995 },
      { method: 'qr', amountCents: 2206, tenderedCents: null, changeCents: null },
    ]);
    expect(sale.roundingCents).toBe(2);
    expect(sale.paidCents).toBe(3211);
    expect(
      saleError(() =>
        buildSale({
          ...input(cart, 0),
          payment: {
            method: 'split',
            cashPartCents: 1003,
            tenderedCents: 1000,
            cashRounding: true,
          },
        }),
      ),
    ).toMatchObject({ code: 'insufficient-tender', shortCents: 5 });
    expect(
      saleError(() =>
        buildSale({
          ...input(cart, 0),
          payment: {
            method: 'split',
            cashPartCents: 3200,
            tenderedCents: 5000,
            cashRounding: true,
          },
        }),
      ).code,
    ).toBe('invalid-split');
  });

  it('a fully discounted cart is a valid sale of 0', () => {
    const r = setCartDiscount(addProduct(emptyCart(), bread), { kind: 'percent', percent: 100 });
    if (!r.ok) throw new Error(r.error);
    const { sale } = buildSale(input(r.cart, 0, true));
    expect(sale.totalCents).toBe(0);
    expect(sale.paidCents).toBe(0);
  });

  it('refuses an empty cart, too little cash, or a wrong number of line ids', () => {
    expect(saleError(() => buildSale(input(emptyCart(), 1000))).code).toBe('empty-cart');
    const cart = addProduct(emptyCart(), scarf); // 24.99 -> 25.00 rounded
    const short = saleError(() => buildSale(input(cart, 2499, true)));
    expect(short.code).toBe('insufficient-tender');
    expect(short.shortCents).toBe(1);
    expect(saleError(() => buildSale({ ...input(cart, 5000), lineIds: ['a', 'b'] })).code).toBe(
      'line-ids-mismatch',
    );
  });

  it('property: stored lines add up to the sale; paid = total + rounding; change = tendered - paid', () => {
    const product = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      name: fc.constant('p'),
      priceCents: fc.integer({ min: 0, max: 50_000 }),
      vatRate: fc.constantFrom<VatRate>(0, 9, 21),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(product, fc.integer({ min: 1, max: 20 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 10_000 }),
        (items, linePercent, cartPercent, rounding, extra) => {
          let cart = emptyCart();
          for (const [p, q] of items) {
            // same id keeps the price of the first add: that is the cart's rule
            cart = addProduct(cart, p, q);
          }
          const first = cart.lines[0];
          if (first) {
            const r = setLineDiscount(cart, first.productId, {
              kind: 'percent',
              percent: linePercent,
            });
            if (r.ok) cart = r.cart;
          }
          const rc = setCartDiscount(cart, { kind: 'percent', percent: cartPercent });
          if (rc.ok) cart = rc.cart;
          const total = cart.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
          const tendered = total + 5 + extra; // always enough, even after rounding up
          const { sale, lines } = buildSale(input(cart, tendered, rounding));
          expect(lines.reduce((s, l) => s + l.totalCents, 0)).toBe(sale.totalCents);
          expect(lines.reduce((s, l) => s + l.cartDiscountShareCents, 0)).toBe(
            sale.cartDiscountCents,
          );
          expect(lines.reduce((s, l) => s + l.lineDiscountCents, 0)).toBe(sale.lineDiscountCents);
          expect(sale.subtotalCents - sale.cartDiscountCents).toBe(sale.totalCents);
          expect(sale.paidCents).toBe(sale.totalCents + sale.roundingCents);
          expect(sale.paidCents % (rounding ? 5 : 1)).toBe(0);
          expect(sale.payments[0]?.changeCents).toBe(tendered - sale.paidCents);
          expect(sale.itemCount).toBe(lines.reduce((s, l) => s + l.quantity, 0));
          for (const l of lines) expect(l.vatCents).toBe(vatIncluded(l.totalCents, l.vatRate));
          expect(lines.map((l) => l.position)).toEqual(lines.map((_, i) => i));
        },
      ),
      SEED,
    );
  });
});

describe('void', () => {
  const { sale } = buildSale(input(addProduct(emptyCart(), bread), 500));

  it('voids a completed sale once, with a trimmed reason, keeping everything else', () => {
    expect(voidable(sale)).toBe(true);
    const voided = voidSale(sale, '  wrong product  ', 1_767_225_700_000);
    expect(voided).toEqual({
      ...sale,
      status: 'voided',
      voidReason: 'wrong product',
      voidedAt: 1_767_225_700_000,
    });
    expect(voidable(voided)).toBe(false);
    expect(saleError(() => voidSale(voided, 'again', 1)).code).toBe('already-voided');
  });

  it('requires a reason of at most 200 characters', () => {
    expect(saleError(() => voidSale(sale, '   ', 1)).code).toBe('void-reason-required');
    expect(saleError(() => voidSale(sale, 'x'.repeat(201), 1)).code).toBe('void-reason-too-long');
    expect(validateVoidReason('x'.repeat(200))).toEqual({ ok: true, value: 'x'.repeat(200) });
  });
});

describe('stock movements of a sale and its void', () => {
  const sale = { id: 's1', eventId: 'e1', createdAt: 1000 };
  const lines = [
    { productId: 'bread', quantity: 2 },
    { productId: 'card', quantity: 5 },
    { productId: 'scarf', quantity: 1 },
    { productId: 'bread', quantity: 3 },
  ];

  it('one movement per stocked product, quantities combined, negative delta', () => {
    const moves = saleMovements(sale, lines, new Set(['bread', 'scarf']), counter('m'), 'hlc-1');
    expect(moves).toEqual([
      {
        id: 'm0',
        eventId: 'e1',
        productId: 'bread',
        kind: 'sale',
        delta: -5,
        saleId: 's1',
        hlc: 'hlc-1',
        createdAt: 1000,
      },
      {
        id: 'm1',
        eventId: 'e1',
        productId: 'scarf',
        kind: 'sale',
        delta: -1,
        saleId: 's1',
        hlc: 'hlc-1',
        createdAt: 1000,
      },
    ]);
    expect(saleMovements(sale, lines, new Set(), counter('m'), 'h')).toEqual([]);
  });

  it('a void reverses exactly the recorded movements', () => {
    const moves = saleMovements(sale, lines, new Set(['bread', 'scarf']), counter('m'), 'hlc-1');
    const undo = voidMovements(
      [...moves, { eventId: 'e1', productId: 'bread', kind: 'restock', delta: 10, saleId: null }],
      counter('v'),
      'hlc-2',
      2000,
    );
    expect(undo).toEqual([
      {
        id: 'v0',
        eventId: 'e1',
        productId: 'bread',
        kind: 'void',
        delta: 5,
        saleId: 's1',
        hlc: 'hlc-2',
        createdAt: 2000,
      },
      {
        id: 'v1',
        eventId: 'e1',
        productId: 'scarf',
        kind: 'void',
        delta: 1,
        saleId: 's1',
        hlc: 'hlc-2',
        createdAt: 2000,
      },
    ]);
  });

  it('property: sale + void movements net to zero per product', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            productId: fc.constantFrom('a', 'b', 'c'),
            quantity: fc.integer({ min: 1, max: 999 }),
          }),
          { maxLength: 10 },
        ),
        fc.subarray(['a', 'b', 'c']),
        (ls, stocked) => {
          const moves = saleMovements(sale, ls, new Set(stocked), counter('m'), 'h');
          const undo = voidMovements(moves, counter('v'), 'h2', 1);
          const net = new Map<string, number>();
          for (const m of [...moves, ...undo])
            net.set(m.productId, (net.get(m.productId) ?? 0) + m.delta);
          expect([...net.values()].every((v) => v === 0)).toBe(true);
          for (const id of stocked) {
            const sold = ls.filter((l) => l.productId === id).reduce((s, l) => s + l.quantity, 0);
            expect(moves.find((m) => m.productId === id)?.delta ?? 0).toBe(0 - sold);
          }
          expect(moves.every((m) => stocked.includes(m.productId))).toBe(true);
        },
      ),
      SEED,
    );
  });
});
