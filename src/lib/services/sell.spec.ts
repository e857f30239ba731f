import { beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '$lib/db/device-store';
import type { MemoryDeviceStore } from '$lib/db/memory-store';
import { addProduct, emptyCart, setCartDiscount, type Cart } from '$lib/domain/cart';
import { SaleError } from '$lib/domain/sale';
import { sellByPhoneOrCard, sellForCash, type CashSaleRequest, type SellContext } from './sell';
import { voidSaleWithReason } from './void';
import { bread, EVENT, MAKER, product, tillWith } from './testing';

const scarf = product('01900000-0000-7000-8000-0000000000b2', 'Sjaal', 2499, 21);

let store: MemoryDeviceStore;
let context: SellContext;

beforeEach(async () => {
  ({ store, context } = await tillWith(bread, scarf));
  await store.setOpeningStock(EVENT, bread.id, 10, context.hlc());
});

function request(cart: Cart, overrides: Partial<CashSaleRequest> = {}): CashSaleRequest {
  return {
    cart,
    eventId: EVENT,
    makerId: MAKER,
    tenderedCents: 5000,
    cashRounding: false,
    stockedProductIds: new Set([bread.id]),
    ...overrides,
  };
}

describe('sellForCash', () => {
  it('[G1] records the sale, its lines, its stock movement and its outbox entry together', async () => {
    const cart = addProduct(addProduct(addProduct(emptyCart(), bread), bread), scarf);
    const outboxBefore = await store.pendingCount();

    const sale = await sellForCash(context, request(cart, { tenderedCents: 5000 }));

    expect(sale.receiptNumber).toBe(1);
    expect(sale.totalCents).toBe(2 * 350 + 2499);
    expect(sale.payments).toEqual([
      { method: 'cash', amountCents: 3199, tenderedCents: 5000, changeCents: 1801 },
    ]);
    expect(await store.getSaleLines(sale.id)).toHaveLength(2);
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(8);
    expect(await store.pendingCount()).toBe(outboxBefore + 1);
  });

  it('applies 5-cent cash rounding only when the maker has it on, as its own figure', async () => {
    const cart = addProduct(emptyCart(), scarf); // 24,99
    const rounded = await sellForCash(context, request(cart, { cashRounding: true }));
    expect(rounded.totalCents).toBe(2499);
    expect(rounded.roundingCents).toBe(1);
    expect(rounded.paidCents).toBe(2500);
    expect(rounded.payments[0]?.changeCents).toBe(2500);

    const exact = await sellForCash(context, request(cart, { cashRounding: false }));
    expect(exact.roundingCents).toBe(0);
    expect(exact.paidCents).toBe(2499);
  });

  it('carries the cart discount into the stored sale', async () => {
    const discounted = setCartDiscount(addProduct(emptyCart(), scarf), {
      kind: 'percent',
      percent: 10,
    });
    if (!discounted.ok) throw new Error('discount refused');
    const sale = await sellForCash(context, request(discounted.cart));
    expect(sale.cartDiscountCents).toBe(250);
    expect(sale.totalCents).toBe(2249);
  });

  it('refuses too little cash without storing anything', async () => {
    const cart = addProduct(emptyCart(), scarf);
    await expect(sellForCash(context, request(cart, { tenderedCents: 2000 }))).rejects.toThrow(
      SaleError,
    );
    expect(await store.listSales(EVENT)).toEqual([]);
  });

  it('[G1] a full device rejects with a quota StoreError and stores nothing, not even a receipt number', async () => {
    const cart = addProduct(emptyCart(), bread);
    const pending = await store.pendingCount();
    store.failNextWrite(new DOMException('full', 'QuotaExceededError'));

    const failure = await sellForCash(context, request(cart)).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe('quota');
    expect(await store.listSales(EVENT)).toEqual([]);
    expect(await store.pendingCount()).toBe(pending);
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(10);
    // The next sale gets receipt 1: the failed one consumed no number.
    expect((await sellForCash(context, request(cart))).receiptNumber).toBe(1);
  });
});

describe('voidSaleWithReason', () => {
  it('voids with a trimmed reason, keeps the receipt number and gives the stock back', async () => {
    const sale = await sellForCash(context, request(addProduct(emptyCart(), bread)));
    const voided = await voidSaleWithReason(context, sale.id, '  wrong product  ');
    expect(voided.status).toBe('voided');
    expect(voided.receiptNumber).toBe(sale.receiptNumber);
    expect(voided.voidReason).toBe('wrong product');
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(10);
    expect((await store.getSummary(EVENT)).voidCount).toBe(1);
  });

  it('refuses an empty reason before touching the store', async () => {
    const sale = await sellForCash(context, request(addProduct(emptyCart(), bread)));
    const pending = await store.pendingCount();
    await expect(voidSaleWithReason(context, sale.id, '   ')).rejects.toMatchObject({
      code: 'void-reason-required',
    });
    expect((await store.getSale(sale.id))?.status).toBe('completed');
    expect(await store.pendingCount()).toBe(pending);
  });
});

describe('sellByPhoneOrCard', () => {
  it('[G1] records the paid sale under the payment’s sale id, method phone/card for exactly the total, with its outbox entry', async () => {
    const cart = addProduct(addProduct(emptyCart(), bread, 3), scarf);
    const saleId = '01900000-0000-7000-8000-00000000c0de';
    const outboxBefore = await store.pendingCount();
    const sale = await sellByPhoneOrCard(context, {
      cart,
      eventId: EVENT,
      makerId: MAKER,
      saleId,
      stockedProductIds: new Set([bread.id]),
    });
    expect(sale.id).toBe(saleId);
    expect(sale.payments).toEqual([
      { method: 'qr', amountCents: 3549, tenderedCents: null, changeCents: null },
    ]);
    expect(sale.roundingCents).toBe(0);
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(7);
    expect(await store.pendingCount()).toBe(outboxBefore + 1);
  });

  it('[G1] a split payment: the cash part (rounded, with change) and the rest by phone/card in one sale', async () => {
    const cart = addProduct(addProduct(emptyCart(), bread, 3), scarf); // 3549
    const saleId = '01900000-0000-7000-8000-00000000c0df';
    const sale = await sellByPhoneOrCard(context, {
      cart,
      eventId: EVENT,
      makerId: MAKER,
      saleId,
      stockedProductIds: new Set([bread.id]),
      cashPart: { cashPartCents: 2003, tenderedCents: 2500, cashRounding: true },
    });
    expect(sale.payments).toEqual([
      { method: 'cash', amountCents: 2005, tenderedCents: 2500, changeCents: 495 },
      { method: 'qr', amountCents: 1546, tenderedCents: null, changeCents: null },
    ]);
    expect(sale.roundingCents).toBe(2);
    expect(sale.paidCents).toBe(3551);
    expect((await store.getSale(saleId))?.payments).toHaveLength(2);
  });
});
