import { describe, expect, it } from 'vitest';
import { openDeviceStore } from '$lib/db';
import { app } from './app.svelte';
import { till } from './till.svelte';
import { anotherStallTakesOver, paintTheTill, seedPaintedDevice } from './testing/painted-device';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts), and the device's
 * database changed before the store opened (another tab: another account on the same phone,
 * another current event). Its own file: the app's state is one per page, and here it must
 * start with no store at all, as a cold start does (like till-paint.svelte.spec.ts).
 */
describe('the till painted before its store opened, the device changed meanwhile (issue 11)', () => {
  it('a payment tapped on the painted till records nothing for the painted maker or event once the store holds another account', async () => {
    const { seeded, bread } = await seedPaintedDevice({
      events: [['event-a', '2026-12-07']],
      current: 'event-a',
      profile: { id: 'maker-a' },
    });

    await paintTheTill();
    till.add(bread);
    expect(till.priced.totalCents).toBe(350);

    // Another tab, meanwhile: another account's stall on this phone, selling at its own event.
    await anotherStallTakesOver(seeded, ['event-b', '2026-12-07'], true);

    // "Pay" on the painted till: the store opens and holds maker B at event B.
    expect(await till.completeCash(1000)).toBe(false);

    expect(app.profile?.id).toBe('maker-b');
    const store = await openDeviceStore();
    // Nothing recorded under the painted maker or at the painted event.
    expect(await store.listSales('event-a')).toEqual([]);
    expect(await store.listSales('event-b')).toEqual([]);
    expect(await store.pendingSalesCount()).toBe(0);
    // The till now shows the store's event, without the painted cart.
    expect(till.eventId).toBe('event-b');
    expect(till.cart.lines).toEqual([]);
  });
});
