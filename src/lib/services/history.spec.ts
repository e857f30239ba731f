import { describe, expect, it } from 'vitest';
import { DexieDeviceStore } from '$lib/db/dexie-store';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { KraamDb } from '$lib/db/schema';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { createHlc } from '$lib/domain/clock';
import { createUuidv7 } from '$lib/domain/ids';
import { hourKey } from '$lib/domain/summary';
import type { MarketEvent, Product } from '$lib/domain/types';
import { readHistory } from './history';
import { refundSale } from './refund';
import { sellForCash } from './sell';
import type { DeviceStore } from '$lib/db/device-store';

const MAKER = '01900000-0000-7000-8000-000000000001';
const SPRING = '01900000-0000-7000-8000-0000000000e1';
const AUTUMN = '01900000-0000-7000-8000-0000000000e2';
const at = (iso: string): number => Date.parse(iso);

const scarf: Product = {
  id: '01900000-0000-7000-8000-0000000000b1',
  makerId: MAKER,
  name: 'Sjaal',
  priceCents: 2_500,
  vatRate: 21,
  photoId: null,
  colour: 'olive',
  category: '',
  archived: false,
  createdAt: 0,
  updatedAt: 0,
};

function event(id: string, date: string): MarketEvent {
  return {
    id,
    organisationId: null,
    seriesId: 'series-1',
    name: `Markt ${date}`,
    date,
    place: '',
    opensAt: null,
    closesAt: null,
    status: 'open',
    origin: 'server',
    createdAt: 0,
    updatedAt: 0,
  };
}

let clockNow = 0;

async function setUp(store: DeviceStore) {
  const clock = createHlc(await store.deviceId(), () => clockNow);
  await store.saveProduct(scarf, clock.now());
  await store.saveEvent(event(SPRING, '2026-04-11'), clock.now());
  await store.saveEvent(event(AUTUMN, '2026-10-03'), clock.now());
  const deps = {
    store,
    newId: createUuidv7(() => clockNow),
    hlc: () => clock.now(),
    now: () => clockNow,
  };
  const sell = async (eventId: string, when: string, quantity: number) => {
    clockNow = at(when);
    let cart = emptyCart();
    for (let i = 0; i < quantity; i++) cart = addProduct(cart, scarf);
    return sellForCash(deps, {
      cart,
      eventId,
      makerId: MAKER,
      tenderedCents: scarf.priceCents * quantity,
      cashRounding: false,
      stockedProductIds: new Set(),
    });
  };
  await sell(SPRING, '2026-04-11T10:00:00Z', 2);
  const returned = await sell(AUTUMN, '2026-10-03T11:00:00Z', 3);
  await sell(AUTUMN, '2026-10-03T12:00:00Z', 1);
  clockNow = at('2026-10-05T09:00:00Z');
  await refundSale(
    deps,
    returned.id,
    [{ saleLineId: (await store.getSaleLines(returned.id))[0]!.id, quantity: 1 }],
    'Te klein',
  );
}

describe('readHistory (My sales, from the per-event aggregates)', () => {
  it('reads the year, the months and both events net of the refund, the previous edition being comparable', async () => {
    const store = new MemoryDeviceStore({ now: () => clockNow, hourOf: (ms) => hourKey(ms, 120) });
    await setUp(store);
    const view = await readHistory(store, at('2026-11-01T12:00:00Z'));
    expect(view.currentMonth).toBe('2026-11');
    expect(view.report.year).toEqual({
      year: 2026,
      revenueCents: 5_000 + 10_000 - 2_500,
      salesCount: 3,
      averageSaleCents: 4_167,
    });
    expect(view.report.events.map((e) => [e.eventId, e.revenueCents, e.refundCount])).toEqual([
      [AUTUMN, 7_500, 1],
      [SPRING, 5_000, 0],
    ]);
    const month = (m: string) => view.report.months.find((f) => f.month === m);
    expect(month('2026-04')).toEqual({ month: '2026-04', count: 1, cents: 5_000 });
    expect(month('2026-10')).toEqual({ month: '2026-10', count: 2, cents: 7_500 });
    expect(view.report.bestSellers).toEqual([
      { productId: scarf.id, name: 'Sjaal', quantity: 5, cents: 12_500 },
    ]);
  });

  it('rebuilds an aggregate stored before months were kept (an app update) from the sales, once, and stores it', async () => {
    const name = `kraam-history-${Math.random().toString(36).slice(2)}`;
    const store = await new DexieDeviceStore(name, {
      now: () => clockNow,
      hourOf: (ms) => hourKey(ms, 120),
    }).open();
    await setUp(store);
    const fresh = await readHistory(store, at('2026-11-01T12:00:00Z'));
    await store.close();
    // What an older app left behind: the same aggregates without months.
    const db = new KraamDb(name);
    await db.open();
    const stored = await db.summaries.toArray();
    await db.summaries.bulkPut(stored.map(({ byMonth: _months, ...rest }) => rest));
    db.close();

    const reopened = await new DexieDeviceStore(name, { hourOf: (ms) => hourKey(ms, 120) }).open();
    expect((await reopened.listSummaries()).every((s) => s.byMonth === undefined)).toBe(true);
    const rebuilt = await readHistory(reopened, at('2026-11-01T12:00:00Z'));
    expect(rebuilt.report).toEqual(fresh.report);
    expect((await reopened.listSummaries()).every((s) => s.byMonth !== undefined)).toBe(true);
    await reopened.close();
  });
});
