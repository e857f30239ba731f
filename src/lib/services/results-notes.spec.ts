import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { createHlc } from '$lib/domain/clock';
import { uuidv7 } from '$lib/domain/ids';
import type { Product } from '$lib/domain/types';
import { resultsNotes } from './results-notes';
import { sellForCash } from './sell';

const NOW = 1_750_000_000_000;
const EVENT = uuidv7(NOW);

function product(name: string, priceCents: number): Product {
  return {
    id: uuidv7(),
    makerId: 'maker',
    name,
    priceCents,
    vatRate: 21,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

describe('resultsNotes', () => {
  it('says the cash taken when the rounding made it differ, and how many went beyond stock', async () => {
    const store = new MemoryDeviceStore({ now: () => NOW });
    const clock = createHlc(await store.deviceId(), () => NOW);
    const soap = product('Zeep', 333);
    await store.setOpeningStock(EVENT, soap.id, 1, clock.now());
    expect(await resultsNotes(store, EVENT, 0)).toEqual({ cashTakenCents: null, soldBeyond: 0 });

    const context = { store, newId: () => uuidv7(), hlc: () => clock.now(), now: () => NOW };
    const cart = addProduct(addProduct(addProduct(emptyCart(), soap), soap), soap);
    await sellForCash(context, {
      cart,
      eventId: EVENT,
      makerId: 'maker',
      tenderedCents: 1000,
      cashRounding: true,
      stockedProductIds: new Set([soap.id]),
    });
    // 3 x 3,33 = 9,99, paid as 10,00; 3 sold of a stock of 1.
    expect(await resultsNotes(store, EVENT, 999)).toEqual({ cashTakenCents: 1000, soldBeyond: 2 });
  });
});
