import { describe, expect, it } from 'vitest';
import { openDeviceStore } from '$lib/db';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';
import { app } from './app.svelte';
import { till } from './till.svelte';
import { paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: "Pay" tapped on the till painted from the plain read (src/lib/db/first-paint.ts)
 * while the page opens the store, which another window set to another event: the page's load
 * of the store's till and the payment both wait for the same opening, the page's first. Its
 * own file: the app's state is one per page and must start with no store.
 */
describe('the painted till paid while the page loads a store at another event (issue 11)', () => {
  it('records nothing for the painted cart, at either event, and says the till changed', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [
        ['event-old', '2026-12-06'],
        ['event-now', '2026-12-07'],
      ],
      current: 'event-old',
    });

    await paintTheTill();
    till.add(bread);
    await seeded.setSetting(CURRENT_EVENT_SETTING, 'event-now');

    // The page's open(): the store, then its till; "Pay" tapped before the store was up.
    const opened = app.start().then((store) => till.load(store, app.currentEvent!.id));
    const paid = till.completeCash(1000);
    await opened;
    expect(await paid).toBe(false);
    expect(till.failure).toBe('changed');

    const store = await openDeviceStore();
    expect(await store.listSales('event-old')).toEqual([]);
    expect(await store.listSales('event-now')).toEqual([]);
    expect(await store.pendingSalesCount()).toBe(0);
    expect(till.eventId).toBe('event-now');
    expect(till.cart.lines).toEqual([]);
  });
});
