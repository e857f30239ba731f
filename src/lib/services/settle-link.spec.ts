import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryDeviceStore } from '$lib/db/memory-store';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { LINK_SETTLE_AFTER_MS } from '$lib/domain/link-payment';
import { paymentSplitOf } from '$lib/domain/summary';
import { linkOutcome, linkPartCents } from '$lib/domain/link-payment';
import { MutationSchema } from '$lib/sync/protocol';
import { sellByPaymentLink } from './sell-by-link';
import { settleLinkPayment, SettleNoteError, type SettleContext } from './settle-link';
import { bread, EVENT, MAKER, NOW, tillWith } from './testing';

const LATER = NOW + LINK_SETTLE_AFTER_MS;

let store: MemoryDeviceStore;
let context: SettleContext;
let sell: (quantity: number) => Promise<string>;

beforeEach(async () => {
  const till = await tillWith(bread);
  store = till.store;
  context = { ...till.context, now: () => LATER };
  sell = async (quantity) => {
    const sale = await sellByPaymentLink(till.context, {
      cart: addProduct(emptyCart(), bread, quantity),
      eventId: EVENT,
      makerId: MAKER,
      saleId: till.context.newId(),
      stockedProductIds: new Set(),
    });
    return sale.id;
  };
});

async function split() {
  const [aggregate, linkSales] = await Promise.all([
    store.getSummary(EVENT),
    store.listLinkSales(EVENT),
  ]);
  return paymentSplitOf(
    aggregate,
    linkSales.map(({ sale, records, settlement }) => ({
      sale,
      outcome: linkOutcome(linkPartCents(sale.payments), records),
      settlement,
    })),
  );
}

describe('settleLinkPayment', () => {
  it('[settle] written off and received in cash: stored with a valid link.settle outbox entry each; the split moves them out of awaiting', async () => {
    const off = await sell(3);
    const cash = await sell(2);
    expect((await split()).awaiting).toEqual({ count: 2, cents: 1750 });
    const before = await store.pendingCount();
    const written = await settleLinkPayment(context, off, 'written_off', '  ');
    expect(written).toMatchObject({ outcome: 'written_off', method: null, note: null, at: LATER });
    const received = await settleLinkPayment(context, cash, 'cash', ' Alsnog contant ');
    expect(received).toMatchObject({
      outcome: 'received_other_way',
      method: 'cash',
      note: 'Alsnog contant',
    });
    expect(await store.pendingCount()).toBe(before + 2);
    for (const entry of (await store.readOutbox(100)).slice(-2)) {
      expect(MutationSchema.safeParse(entry.mutation).success).toBe(true);
    }
    const after = await split();
    expect(after.awaiting).toEqual({ count: 0, cents: 0 });
    expect(after.writtenOff).toEqual({ count: 1, cents: 1050 });
    expect(after.cash).toEqual({ count: 1, cents: 700 });
    expect(after.phoneOrCard).toEqual({ count: 0, cents: 0 });
  });

  it('[settle] a note too long or with broken text is refused before anything is written', async () => {
    const sale = await sell(1);
    const before = await store.pendingCount();
    await expect(settleLinkPayment(context, sale, 'other', 'x'.repeat(201))).rejects.toThrow(
      SettleNoteError,
    );
    await expect(settleLinkPayment(context, sale, 'other', 'a\ud800')).rejects.toThrow(
      SettleNoteError,
    );
    expect(await store.pendingCount()).toBe(before);
    expect((await store.listLinkSales(EVENT))[0]?.settlement).toBeNull();
  });
});
