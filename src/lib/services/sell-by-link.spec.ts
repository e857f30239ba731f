import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryDeviceStore } from '$lib/db/memory-store';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { MutationSchema } from '$lib/sync/protocol';
import { sellByPaymentLink } from './sell-by-link';
import type { SellContext } from './sell';
import { bread, EVENT, MAKER, tillWith } from './testing';

let store: MemoryDeviceStore;
let context: SellContext;

beforeEach(async () => {
  ({ store, context } = await tillWith(bread));
  await store.setOpeningStock(EVENT, bread.id, 10, context.hlc());
});

describe('sellByPaymentLink', () => {
  it('[G1] records the sale at once under the QR’s sale id, phone/card via the link for exactly the total, awaiting confirmation, with its outbox entry', async () => {
    const saleId = '01900000-0000-7000-8000-00000000c0de';
    const before = await store.pendingCount();
    const sale = await sellByPaymentLink(context, {
      cart: addProduct(emptyCart(), bread, 3),
      eventId: EVENT,
      makerId: MAKER,
      saleId,
      stockedProductIds: new Set([bread.id]),
    });
    expect(sale.id).toBe(saleId);
    expect(sale.payments).toEqual([
      { method: 'qr', amountCents: 1050, tenderedCents: null, changeCents: null, via: 'link' },
    ]);
    expect(sale.roundingCents).toBe(0);
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(7);
    expect(await store.pendingCount()).toBe(before + 1);
    const [entry] = (await store.readOutbox(100)).slice(-1);
    // What it pushes is a valid sale.record (an older server reads it as phone/card).
    expect(MutationSchema.safeParse(entry?.mutation).success).toBe(true);
  });
});
