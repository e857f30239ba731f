import { describe, expect, it } from 'vitest';
import { openDeviceStore } from '$lib/db';
import { nextHlc } from '$lib/db/contract-fixtures';
import { paintTheTill, seedPaintedDevice } from './testing/painted-device';
import { app } from './app.svelte';
import { till } from './till.svelte';

/**
 * Issue 11: the till painted from the plain read (src/lib/db/first-paint.ts) before the app
 * opened its store. Its own file: the app's state is one per page, and here it must start
 * with no store at all, as a cold start does.
 */
describe('the till before its store is open (issue 11)', () => {
  it('paints from the plain read, takes taps, and a cash payment waits for the store and is recorded once', async () => {
    // The device as a previous visit left it (the app's own database).
    const { seeded, bread } = await seedPaintedDevice({
      events: [['event-now', '2026-12-07']],
      current: 'event-now',
    });
    await seeded.setOpeningStock('event-now', 'bread', 5, nextHlc());
    expect(app.status).toBe('loading');
    expect(app.store).toBeNull();

    await paintTheTill();

    expect(app.store).toBeNull();
    expect(app.profile?.stallName).toBe('Bakkerij Noor');
    expect(till.products.map((p) => p.name)).toEqual(['Brood']);
    expect(till.stockStateOf('bread')).toMatchObject({ kind: 'left', left: 5, of: 5 });
    till.add(bread);
    till.add(bread);
    expect(till.priced.totalCents).toBe(700);
    expect(till.stockStateOf('bread')).toMatchObject({ kind: 'left', left: 3 });

    // "Pay" before the store is open: it opens the store, loads the till, then records.
    expect(await till.completeCash(1000)).toBe(true);

    expect(app.status).toBe('ready');
    expect(till.completed).toMatchObject({ receiptNumber: 1, paidCents: 700, changeCents: 300 });
    expect(till.cart.lines).toEqual([]);
    const store = await openDeviceStore();
    const sales = await store.listSales('event-now');
    expect(sales.map((s) => [s.receiptNumber, s.totalCents])).toEqual([[1, 700]]);
    expect((await store.listEventStock('event-now'))[0]?.level).toBe(3);
    expect(await store.pendingSalesCount()).toBe(1);
    // Nothing of the cart is left saved: the sale took it.
    expect(await store.listSavedCarts()).toEqual([]);
    // The till's own load after it shares the first load, and changes nothing.
    await till.load(store, 'event-now');
    expect(till.stockStateOf('bread')).toMatchObject({ kind: 'left', left: 3 });
    expect(till.lastSale?.id).toBe(sales[0]?.id);
  });
});
