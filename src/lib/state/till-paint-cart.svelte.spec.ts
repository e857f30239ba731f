import { describe, expect, it } from 'vitest';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';
import { app } from './app.svelte';
import { till } from './till.svelte';
import { paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts) took the saved
 * cart of a tab that is gone; another window chose another event before the store opened.
 * Its own file: the app's state is one per page and must start with no store.
 */
describe('the till painted with a gone tab’s cart, then opened at another event (issue 11)', () => {
  it('the cart the paint took stays saved for its event: a sale at the store’s event does not remove it', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [
        ['event-old', '2026-12-06'],
        ['event-now', '2026-12-07'],
      ],
      current: 'event-old',
    });
    // A tab that crashed while filling a cart at the old event.
    const left = addProduct(emptyCart(), bread, 2);
    await seeded.saveCart({
      eventId: 'event-old',
      cart: left,
      pendingSaleId: null,
      savedAt: 5,
      tabId: 'gone-tab',
    });

    await paintTheTill();
    expect(till.cart.lines.map((l) => l.quantity)).toEqual([2]);

    // Another window, meanwhile: the maker sells at today's event now. The till page opens
    // the store and loads the store's event, as its open() does.
    await seeded.setSetting(CURRENT_EVENT_SETTING, 'event-now');
    const store = await app.start();
    await till.load(store, app.currentEvent!.id);
    expect(till.eventId).toBe('event-now');
    expect(till.cart.lines).toEqual([]);

    till.add(bread);
    expect(await till.completeCash(1000)).toBe(true);
    expect((await store.listSales('event-now')).map((s) => s.totalCents)).toEqual([350]);
    // The crashed tab's cart at the old event is still there to come back to.
    const kept = (await store.listSavedCarts()).filter((c) => c.eventId === 'event-old');
    expect(kept.map((c) => [c.tabId, c.cart.lines.map((l) => l.quantity)])).toEqual([
      ['gone-tab', [2]],
    ]);
  });
});
