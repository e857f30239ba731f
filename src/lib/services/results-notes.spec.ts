import { describe, expect, it } from 'vitest';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { uuidv7 } from '$lib/domain/ids';
import { resultsNotes } from './results-notes';
import { sellForCash } from './sell';
import { MAKER, NOW, product, tillWith } from './testing';

const EVENT = uuidv7(NOW);

describe('resultsNotes', () => {
  it('says the cash taken when the rounding made it differ, and how many went beyond stock', async () => {
    const { store, context } = await tillWith();
    const soap = product(uuidv7(), 'Zeep', 333, 21);
    await store.setOpeningStock(EVENT, soap.id, 1, context.hlc());
    expect(await resultsNotes(store, EVENT, 0)).toEqual({ cashTakenCents: null, soldBeyond: 0 });

    const cart = addProduct(addProduct(addProduct(emptyCart(), soap), soap), soap);
    await sellForCash(context, {
      cart,
      eventId: EVENT,
      makerId: MAKER,
      tenderedCents: 1000,
      cashRounding: true,
      stockedProductIds: new Set([soap.id]),
    });
    // 3 x 3,33 = 9,99, paid as 10,00; 3 sold of a stock of 1.
    expect(await resultsNotes(store, EVENT, 999)).toEqual({ cashTakenCents: 1000, soldBeyond: 2 });
  });
});
