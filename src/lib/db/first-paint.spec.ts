import { Dexie } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';
import {
  BASE_TIME,
  marketEvent,
  newSale,
  nextHlc,
  OPTIONS,
  product,
  productPhoto,
  stallProfile,
} from './contract-fixtures';
import { DexieDeviceStore } from './dexie-store';
import {
  FIRST_PAINT_SCHEMA_VERSION,
  openExisting,
  readFirstPaint,
  readFirstPaintEarly,
  takeFirstPaint,
} from './first-paint';
import { KraamDb } from './schema';

/**
 * The till's first paint on plain IndexedDB (first-paint.ts) reads what the Dexie store wrote,
 * in the store's own shapes and order, and never creates, upgrades or blocks the database.
 */
function freshName(): string {
  return `kraam-paint-${Math.random().toString(36).slice(2)}`;
}

const EVENT = 'event-now';
const profile = stallProfile();

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name ?? '');
}

describe('readFirstPaint (issue 11: the till painted before Dexie loads)', () => {
  it('reads the profile, the current event, its products, stock, photos and saved carts as the Dexie store returns them', async () => {
    const name = freshName();
    const store = await new DexieDeviceStore(name, OPTIONS).open();
    await store.saveProfile(profile);
    await store.saveEvent(marketEvent(EVENT, '2026-12-07'), nextHlc());
    await store.saveEvent(marketEvent('event-other', '2026-12-01'), nextHlc());
    await store.setSetting(CURRENT_EVENT_SETTING, EVENT);
    const photo = productPhoto('photo-1', { width: 4, height: 3 });
    // Saved out of order: the store lists them oldest first.
    await store.saveProduct(product('p2', { createdAt: BASE_TIME + 2 }), nextHlc());
    await store.saveProduct(product('p1', { photoId: 'photo-1' }), nextHlc(), photo);
    await store.saveProduct(product('p3', { archived: true }), nextHlc());
    await store.setOpeningStock(EVENT, 'p1', 10, nextHlc());
    await store.setOpeningStock('event-other', 'p2', 4, nextHlc());
    await store.restock(EVENT, 'p1', 3, nextHlc());
    const sold = await store.recordSale(
      newSale([{ productId: 'p1', quantity: 2 }], { eventId: EVENT, stocked: new Set(['p1']) }),
    );
    const cart = { lines: [], cartDiscount: null } as never;
    await store.saveCart({ eventId: EVENT, cart, pendingSaleId: null, savedAt: 1, tabId: 'a' });
    await store.saveCart({ eventId: EVENT, cart, pendingSaleId: sold.id, savedAt: 3, tabId: 'b' });
    await store.saveCart({
      eventId: 'event-other',
      cart,
      pendingSaleId: null,
      savedAt: 2,
      tabId: 'c',
    });

    const first = await readFirstPaint(name);

    expect(first).not.toBeNull();
    expect(first!.profile).toEqual(await store.getProfile());
    expect(first!.event).toEqual(await store.getEvent(EVENT));
    expect(first!.products).toEqual(await store.listProducts());
    expect(first!.products.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(first!.stock).toEqual(await store.listEventStock(EVENT));
    expect(first!.stock.map((s) => [s.productId, s.level])).toEqual([['p1', 11]]);
    expect(first!.movements).toEqual(await store.listStockMovements(EVENT));
    expect(first!.movements).toHaveLength(3);
    expect(first!.photos.map((p) => [p.id, p.mimeType, p.width])).toEqual([
      ['photo-1', 'image/jpeg', 4],
    ]);
    const carts = (await store.listSavedCarts()).filter((c) => c.eventId === EVENT);
    expect(first!.carts).toEqual(carts);
    expect(first!.carts.map((c) => c.tabId)).toEqual(['b', 'a']);
    expect(first!.pendingSales).toEqual([await store.getSale(sold.id)]);
    await store.close();
  });

  it('without a current event reads the profile and products, and nothing of any event', async () => {
    const name = freshName();
    const store = await new DexieDeviceStore(name, OPTIONS).open();
    await store.saveProfile(profile);
    await store.saveProduct(product('p1'), nextHlc());
    await store.setOpeningStock('event-other', 'p1', 4, nextHlc());

    const first = await readFirstPaint(name);

    expect(first).toEqual({
      profile: await store.getProfile(),
      event: undefined,
      products: await store.listProducts(),
      stock: [],
      movements: [],
      photos: [],
      carts: [],
      pendingSales: [],
    });
    await store.close();
  });

  it('a first visit (no database): null, and no database is left behind for the store to find', async () => {
    const name = freshName();

    expect(await readFirstPaint(name)).toBeNull();

    expect(await databaseNames()).not.toContain(name);
    const store = await new DexieDeviceStore(name, OPTIONS).open();
    expect((store as DexieDeviceStore).db.verno).toBe(FIRST_PAINT_SCHEMA_VERSION);
    expect(await store.listProducts()).toEqual([]);
    await store.close();
  });

  it('a database at an older version: null, not upgraded by the read, and the store upgrades it at the same moment without being blocked', async () => {
    const name = freshName();
    const v1 = new Dexie(name);
    v1.version(1).stores({ meta: 'key', profile: 'id', products: 'id, vendorId, updatedAt' }); // rename:keep
    await v1.open();
    await v1.table('profile').put(profile);
    v1.close();

    expect(await readFirstPaint(name)).toBeNull();
    const old = await new Dexie(name).open();
    expect(old.verno).toBe(1);
    old.close();

    // Both at once, as the till does: the plain read never holds the upgrade up.
    const [first, store] = await Promise.all([
      readFirstPaint(name),
      new DexieDeviceStore(name, OPTIONS).open(),
    ]);
    expect(first === null || first.profile?.id === profile.id).toBe(true);
    expect(store.db.verno).toBe(FIRST_PAINT_SCHEMA_VERSION);
    expect(await store.getProfile()).toEqual(profile);
    await store.close();
  });

  it('closes its connection when the store asks for a newer version while it is open', async () => {
    const name = freshName();
    const store = await new DexieDeviceStore(name, OPTIONS).open();
    await store.saveProfile(profile);
    await store.close();

    // A newer app's schema opening while the plain connection is open.
    const plain = await openExisting(indexedDB, name);
    expect(plain?.version).toBe(FIRST_PAINT_SCHEMA_VERSION * 10);
    const newer = new Dexie(name);
    newer.version(FIRST_PAINT_SCHEMA_VERSION + 1).stores({ meta: 'key' });

    await expect(newer.open()).resolves.toBe(newer);
    expect(await readFirstPaint(name)).toBeNull();
    newer.close();
  });

  it('a read begun early (the client hooks, before anything mounted) is what the till takes, once; the next paint reads again', async () => {
    const name = freshName();
    const store = await new DexieDeviceStore(name, OPTIONS).open();
    await store.saveProfile(profile);
    await store.saveProduct(product('p1'), nextHlc());
    const opens = vi.spyOn(indexedDB, 'open');
    try {
      readFirstPaintEarly(name);
      readFirstPaintEarly(name);
      expect(opens).toHaveBeenCalledTimes(1);

      expect((await takeFirstPaint(name))?.products.map((p) => p.id)).toEqual(['p1']);
      expect(opens).toHaveBeenCalledTimes(1);

      await store.saveProduct(product('p2', { createdAt: BASE_TIME + 2 }), nextHlc());
      expect((await takeFirstPaint(name))?.products.map((p) => p.id)).toEqual(['p1', 'p2']);
      expect(opens).toHaveBeenCalledTimes(2);
    } finally {
      opens.mockRestore();
      await store.close();
    }
  });

  it('reads the schema version the Dexie store opens (update FIRST_PAINT_SCHEMA_VERSION with schema.ts)', () => {
    expect(new KraamDb(freshName()).verno).toBe(FIRST_PAINT_SCHEMA_VERSION);
  });
});
