import { describe, expect, it } from 'vitest';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';
import { app } from './app.svelte';
import { till } from './till.svelte';
import { paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: taps on the till painted from the plain read (src/lib/db/first-paint.ts), then the
 * store opened at another event (another window chose it) and the page loaded the store's till
 * before any payment. Its own file: the app's state is one per page and must start with no
 * store (like till-paint.svelte.spec.ts).
 */
describe('taps on the painted till, the store opened at another event before any payment (issue 11)', () => {
  it('the cart the maker built on the paint is not dropped without a word: the till says it changed', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [
        ['event-old', '2026-12-06'],
        ['event-now', '2026-12-07'],
      ],
      current: 'event-old',
    });

    await paintTheTill();
    till.add(bread);
    till.add(bread);
    expect(till.priced.totalCents).toBe(700);

    // Another window, meanwhile: the maker sells at today's event now. The page opens the
    // store and loads the store's till, as its open() does.
    await seeded.setSetting(CURRENT_EVENT_SETTING, 'event-now');
    const store = await app.start();
    await till.load(store, app.currentEvent!.id);

    expect(till.eventId).toBe('event-now');
    expect(till.cart.lines).toEqual([]);
    expect(till.failure).toBe('changed');

    // The maker fills the cart again on the store's till and pays: recorded once, today.
    till.add(bread);
    expect(till.failure).toBeNull();
    expect(await till.completeCash(1000)).toBe(true);
    expect((await store.listSales('event-now')).map((s) => s.totalCents)).toEqual([350]);
    expect(await store.listSales('event-old')).toEqual([]);
  });
});
