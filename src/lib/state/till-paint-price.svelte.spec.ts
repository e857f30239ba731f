import { describe, expect, it } from 'vitest';
import { openDeviceStore } from '$lib/db';
import { nextHlc, product } from '$lib/db/contract-fixtures';
import { till } from './till.svelte';
import { paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts); before its store
 * opened, another window changed the bread's price and archived the cake (same stall, same
 * event: the paint stands). Its own file: the app's state is one per page and must start
 * with no store (like till-paint.svelte.spec.ts).
 */
describe('the till painted, then a price changed and a product archived before its store opened (issue 11)', () => {
  it('a payment tapped on the paint records the prices and products the cart showed, and the till then shows the store’s', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [['event-a', '2026-12-07']],
      current: 'event-a',
    });
    const cake = product('cake', { name: 'Taart', priceCents: 1200 });
    await seeded.saveProduct(cake, nextHlc());

    await paintTheTill();
    till.add(bread);
    till.add(cake);
    expect(till.priced.totalCents).toBe(1550);

    // Another window, meanwhile: bread costs 4.00 now, the cake is no longer sold.
    await seeded.saveProduct({ ...bread, priceCents: 400, updatedAt: 2 }, nextHlc());
    await seeded.saveProduct({ ...cake, archived: true, updatedAt: 2 }, nextHlc());

    expect(await till.completeCash(2000)).toBe(true);
    const store = await openDeviceStore();
    const [sale] = await store.listSales('event-a');
    expect(sale?.totalCents).toBe(1550);
    const lines = await store.getSaleLines(sale!.id);
    expect(lines.map((l) => [l.productId, l.unitPriceCents]).sort()).toEqual([
      ['bread', 350],
      ['cake', 1200],
    ]);
    // The till shows the store's products from now on.
    expect(till.products.map((p) => [p.id, p.priceCents])).toEqual([['bread', 400]]);
  });
});
