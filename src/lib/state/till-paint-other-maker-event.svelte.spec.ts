import { describe, expect, it } from 'vitest';
import { app } from './app.svelte';
import { till } from './till.svelte';
import { anotherStallTakesOver, paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts) for one maker;
 * before the store opened, another account's stall took the phone (another tab) at its own
 * event, and the page loaded the store's till. Its own file: the app's state is one per page
 * and must start with no store (like till-paint.svelte.spec.ts).
 */
describe('the till painted for one maker, then loaded from a store holding another maker elsewhere (issue 11)', () => {
  it('a cart built on the store’s till after it loaded is sold, not dropped as changed under the paint', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [['event-a', '2026-12-07']],
      current: 'event-a',
      profile: { id: 'maker-a' },
    });

    await paintTheTill();
    till.add(bread);

    // Another tab, meanwhile: another account's stall on this phone, at its own event.
    const cheese = await anotherStallTakesOver(seeded, ['event-b', '2026-12-07'], true);

    // The page opens the store and loads its till, as its open() does.
    const store = await app.start();
    await till.load(store, app.currentEvent!.id);
    expect(till.eventId).toBe('event-b');

    // Maker B builds a cart on the till as the store has it, and pays.
    till.add(cheese);
    till.add(cheese);
    expect(await till.completeCash(2000)).toBe(true);
    expect(till.failure).toBeNull();
    const sales = await store.listSales('event-b');
    expect(sales.map((s) => [s.makerId, s.totalCents])).toEqual([['maker-b', 1800]]);
    expect(await store.listSales('event-a')).toEqual([]);
  });
});
