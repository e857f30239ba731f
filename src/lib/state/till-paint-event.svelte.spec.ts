import { describe, expect, it } from 'vitest';
import { openDeviceStore } from '$lib/db';
import { nextHlc } from '$lib/db/contract-fixtures';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';
import { till } from './till.svelte';
import { paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts), and another
 * window chose another event to sell at before this one's store opened. Its own file: the
 * app's state is one per page and must start with no store (like till-paint.svelte.spec.ts).
 */
describe('the till painted before its store opened, the current event changed meanwhile (issue 11)', () => {
  it('a payment tapped on the painted till is not recorded at the painted event once the store sells at another', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [
        ['event-old', '2026-12-06'],
        ['event-now', '2026-12-07'],
      ],
      current: 'event-old',
    });
    await seeded.setOpeningStock('event-now', 'bread', 5, nextHlc());

    await paintTheTill();
    expect(till.eventId).toBe('event-old');
    till.add(bread);

    // Another window, meanwhile: the maker sells at today's event now.
    await seeded.setSetting(CURRENT_EVENT_SETTING, 'event-now');

    expect(await till.completeCash(1000)).toBe(false);
    expect(till.failure).toBe('changed');

    const store = await openDeviceStore();
    expect(await store.listSales('event-old')).toEqual([]);
    expect(await store.listSales('event-now')).toEqual([]);
    expect(await store.pendingSalesCount()).toBe(0);
    expect(till.eventId).toBe('event-now');
    expect(till.cart.lines).toEqual([]);
    expect(till.stockStateOf('bread')).toMatchObject({ kind: 'left', left: 5, of: 5 });

    // Paid again on the till as the store has it: recorded once, at today's event.
    till.add(bread);
    expect(await till.completeCash(1000)).toBe(true);
    expect((await store.listSales('event-now')).map((s) => s.totalCents)).toEqual([350]);
    expect(await store.listSales('event-old')).toEqual([]);
  });
});
