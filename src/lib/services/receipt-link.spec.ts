import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { uuidv7 } from '$lib/domain/ids';
import { decodeReceipt } from '$lib/domain/receipt';
import { updateBusinessNumbers } from './business-numbers';
import { completeWelcome } from './profile';
import { receiptLink } from './receipt-link';
import { sellForCash } from './sell';
import { voidSaleWithReason } from './void';

let store: MemoryDeviceStore;
beforeEach(() => {
  store = new MemoryDeviceStore();
});

async function sell(): Promise<string> {
  const welcome = await completeWelcome(store, { stallName: 'Bakkerij Amal', cashRounding: false });
  if (!welcome.ok) throw new Error('no profile');
  let cart = addProduct(emptyCart(), { id: 'p1', name: 'Brood', priceCents: 350, vatRate: 9 }, 2);
  cart = addProduct(cart, { id: 'p2', name: 'Kaars', priceCents: 800, vatRate: 21 });
  let n = 0;
  const sale = await sellForCash(
    { store, newId: () => uuidv7(), hlc: () => `h${n++}`, now: () => Date.UTC(2026, 11, 6, 13) },
    {
      cart,
      eventId: 'event-1',
      makerId: welcome.profile.id,
      tenderedCents: 2000,
      cashRounding: false,
      stockedProductIds: new Set(),
    },
  );
  return sale.id;
}

describe('receiptLink', () => {
  it('links to /r with the whole receipt in the fragment, the maker numbers included', async () => {
    const saleId = await sell();
    await updateBusinessNumbers(store, { kvkNumber: '12345678', vatNumber: 'NL123456789B01' });
    const result = await receiptLink(store, saleId, 'https://kraam.example');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const url = new URL(result.url);
    expect(url.origin + url.pathname).toBe('https://kraam.example/r');
    expect(url.search).toBe('');
    const decoded = decodeReceipt(url.hash);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.receipt).toMatchObject({
      stallName: 'Bakkerij Amal',
      kvkNumber: '12345678',
      vatNumber: 'NL123456789B01',
      receiptNumber: result.receiptNumber,
      totalCents: 1500,
      tenderedCents: 2000,
      changeCents: 500,
    });
    expect(decoded.receipt.lines.map((l) => l.name)).toEqual(['Brood', 'Kaars']);
    expect(decoded.receipt.vat).toEqual([
      { rate: 21, grossCents: 800, vatCents: 139 },
      { rate: 9, grossCents: 700, vatCents: 58 },
    ]);
  });

  it('never hands out a receipt the page cannot read (a sale beyond its amount limits)', async () => {
    const welcome = await completeWelcome(store, { stallName: 'Noor', cashRounding: false });
    if (!welcome.ok) throw new Error('no profile');
    const cart = addProduct(
      emptyCart(),
      { id: 'p1', name: 'Kunst', priceCents: 100_000_000, vatRate: 21 },
      3,
    );
    const sale = await sellForCash(
      { store, newId: () => uuidv7(), hlc: () => 'h1', now: () => 1 },
      {
        cart,
        eventId: 'event-1',
        makerId: welcome.profile.id,
        tenderedCents: 300_000_000,
        cashRounding: false,
        stockedProductIds: new Set(),
      },
    );
    expect(await receiptLink(store, sale.id, 'https://k')).toEqual({
      ok: false,
      error: 'unreadable',
    });
  });

  it('gives no receipt for a voided or unknown sale', async () => {
    const saleId = await sell();
    expect(await receiptLink(store, 'nope', 'https://k')).toEqual({
      ok: false,
      error: 'not-found',
    });
    await voidSaleWithReason({ store, hlc: () => 'hv', now: () => 1 }, saleId, 'mistake');
    expect(await receiptLink(store, saleId, 'https://k')).toEqual({ ok: false, error: 'voided' });
  });
});
