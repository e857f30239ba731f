import { describe, expect, it } from 'vitest';
import { app } from './app.svelte';
import { till } from './till.svelte';
import { anotherStallTakesOver, paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts) for one maker;
 * before the store opened, another account's stall took the phone (another tab) and sells at
 * the same organiser's event (one event id for every maker of the bazaar). Its own file: the
 * app's state is one per page and must start with no store (like till-paint.svelte.spec.ts).
 */
describe('the till painted for one maker, the store holding another maker at the same event (issue 11)', () => {
  it('the painted maker’s cart is not kept for the store’s maker, and nothing is sold under the store’s maker with it', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [['bazaar', '2026-12-07']],
      current: 'bazaar',
      profile: { id: 'maker-a' },
    });

    await paintTheTill();
    till.add(bread);

    // Another tab, meanwhile: another account's stall on this phone, at the same bazaar.
    const cheese = await anotherStallTakesOver(seeded, ['bazaar', '2026-12-07'], false);

    // The page opens the store and loads its till, as its open() does.
    const store = await app.start();
    expect(app.profile?.id).toBe('maker-b');
    await till.load(store, app.currentEvent!.id);

    expect(till.cart.lines).toEqual([]);
    expect(till.failure).toBe('changed');

    // Maker B sells their cheese: the sale holds only what B put in the cart.
    till.add(cheese);
    expect(await till.completeCash(1000)).toBe(true);
    const sales = await store.listSales('bazaar');
    expect(sales.map((s) => [s.makerId, s.totalCents])).toEqual([['maker-b', 900]]);
  });
});
