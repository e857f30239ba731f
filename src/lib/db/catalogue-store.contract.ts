/**
 * The catalogue part of the DeviceStore contract (CatalogueStore and the device's own
 * identity and settings): products, photos, events and the stock kept at an event. Run
 * against every implementation (dexie-store.spec.ts, memory-store.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  BASE_TIME,
  EVENT,
  OPTIONS,
  OTHER_EVENT,
  expectStockInvariant,
  expectStoreError,
  marketEvent,
  newSale,
  nextHlc,
  product,
  productPhoto,
  stallProfile,
  voidRequest,
  type MakeStore,
} from './contract-fixtures';

export function catalogueStoreContract(name: string, makeStore: MakeStore): void {
  describe(`CatalogueStore contract: ${name}`, () => {
    describe('device and settings', () => {
      it('keeps one device id, across reopening', async () => {
        const h = await makeStore(OPTIONS);
        const id = await h.store.deviceId();
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(await h.store.deviceId()).toBe(id);
        const reopened = await h.reopen();
        expect(await reopened.deviceId()).toBe(id);
      });

      it("keeps the maker's KOR answer in the profile; one without it (an older app's) still reads", async () => {
        const { store } = await makeStore(OPTIONS);
        const profile = stallProfile({ cashRounding: false });
        await store.saveProfile(profile);
        expect(await store.getProfile()).toEqual(profile);
        await store.saveProfile({ ...profile, kor: false, usualVatRate: 9 });
        expect(await store.getProfile()).toMatchObject({ kor: false, usualVatRate: 9 });
        await store.saveProfile({ ...profile, kor: true });
        const stored = await store.getProfile();
        expect(stored?.kor).toBe(true);
        expect(stored?.usualVatRate).toBeUndefined();
      });

      it('stores the profile and settings', async () => {
        const { store } = await makeStore(OPTIONS);
        expect(await store.getProfile()).toBeUndefined();
        const profile = stallProfile();
        await store.saveProfile(profile);
        await store.saveProfile({ ...profile, stallName: 'Bakkerij Noor & Zn' });
        expect(await store.getProfile()).toEqual({ ...profile, stallName: 'Bakkerij Noor & Zn' });
        expect(await store.getSetting('currentEventId')).toBeUndefined();
        await store.setSetting('currentEventId', EVENT);
        await store.setSetting('flags', { a: 1 });
        expect(await store.getSetting('currentEventId')).toBe(EVENT);
        expect(await store.getSetting('flags')).toEqual({ a: 1 });
      });
    });

    describe('products and events', () => {
      it('saves products with photos, lists them in creation order, hides archived ones', async () => {
        const { store } = await makeStore(OPTIONS);
        const photo = productPhoto('photo-1');
        await store.saveProduct(product('b', { createdAt: BASE_TIME + 1 }), nextHlc());
        await store.saveProduct(product('a', { photoId: 'photo-1' }), nextHlc(), photo);
        await store.saveProduct(
          product('c', { archived: true, createdAt: BASE_TIME + 2 }),
          nextHlc(),
        );
        expect((await store.listProducts()).map((p) => p.id)).toEqual(['a', 'b']);
        expect((await store.listProducts({ includeArchived: true })).map((p) => p.id)).toEqual([
          'a',
          'b',
          'c',
        ]);
        const stored = await store.getPhoto('photo-1');
        expect(stored?.width).toBe(320);
        expect(stored?.blob.size).toBe(10);
        expect(await store.getProduct('missing')).toBeUndefined();
      });

      it('keeps a photo fetched from the server for offline use, with nothing queued for sync', async () => {
        const { store } = await makeStore(OPTIONS);
        const pending = await store.pendingCount();
        await store.putPhoto({
          id: 'photo-from-b',
          blob: new Blob(['webp bytes'], { type: 'image/webp' }),
          mimeType: 'image/webp',
          width: 0,
          height: 0,
        });
        const stored = await store.getPhoto('photo-from-b');
        expect(stored?.mimeType).toBe('image/webp');
        expect(stored?.blob.size).toBe(10);
        expect(await store.pendingCount()).toBe(pending);
      });

      it("refuses a photo that is not the product's, and saves nothing", async () => {
        const { store } = await makeStore(OPTIONS);
        const photo = {
          id: 'p',
          blob: new Blob(['x']),
          mimeType: 'image/png',
          width: 1,
          height: 1,
        };
        await expectStoreError(store.saveProduct(product('a'), nextHlc(), photo), 'invalid');
        expect(await store.getProduct('a')).toBeUndefined();
        expect(await store.pendingCount()).toBe(0);
      });

      it('lists events newest date first', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.saveEvent(marketEvent('e1', '2026-05-02'), nextHlc());
        await store.saveEvent(marketEvent('e2', '2026-06-13'), nextHlc());
        await store.saveEvent(marketEvent('e3', '2026-01-20'), nextHlc());
        expect((await store.listEvents()).map((e) => e.id)).toEqual(['e2', 'e1', 'e3']);
        expect((await store.getEvent('e1'))?.date).toBe('2026-05-02');
      });
    });

    describe('stock', () => {
      it('stock levels = opening + movements, through sales, voids and opening changes', async () => {
        const { store } = await makeStore(OPTIONS);
        const stocked = new Set(['a', 'b']);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.setOpeningStock(EVENT, 'b', 2, nextHlc());
        const s1 = await store.recordSale(
          newSale([{ productId: 'a', quantity: 3 }, { productId: 'c' }], { stocked }),
        );
        await store.recordSale(newSale([{ productId: 'b', quantity: 3 }], { stocked })); // oversold: -1, still recorded
        const level = async (id: string) =>
          (await store.listEventStock(EVENT)).find((r) => r.productId === id)?.level;
        expect(await level('a')).toBe(7);
        expect(await level('b')).toBe(-1);
        await store.voidSale(voidRequest(s1.id));
        expect(await level('a')).toBe(10);
        await store.setOpeningStock(EVENT, 'a', 12, nextHlc());
        expect(await level('a')).toBe(12);
        await store.setOpeningStock(EVENT, 'a', 12, nextHlc()); // same again: nothing happens
        await store.setOpeningStock(EVENT, 'b', 5, nextHlc());
        expect(await level('b')).toBe(2);
        expect(await level('c')).toBeUndefined();
        expectStockInvariant(
          await store.listEventStock(EVENT),
          await store.listStockMovements(EVENT),
        );
        expect(
          (await store.listStockMovements(EVENT)).filter((m) => m.kind === 'recount'),
        ).toHaveLength(4);
      });

      it('null stops keeping stock; keeping it again starts from the new opening count', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.recordSale(
          newSale([{ productId: 'a', quantity: 3 }], { stocked: new Set(['a']) }),
        );
        await store.setOpeningStock(EVENT, 'a', null, nextHlc());
        expect(await store.listEventStock(EVENT)).toEqual([]);
        const pending = await store.pendingCount();
        await store.setOpeningStock(EVENT, 'a', null, nextHlc()); // nothing kept: nothing to do
        expect(await store.pendingCount()).toBe(pending);
        await store.setOpeningStock(EVENT, 'a', 20, nextHlc());
        const rows = await store.listEventStock(EVENT);
        expect(rows).toEqual([
          { id: `${EVENT}:a`, eventId: EVENT, productId: 'a', openingCount: 20, level: 17 },
        ]);
        expectStockInvariant(rows, await store.listStockMovements(EVENT));
        // Every opening change went out as a stock movement, so the server can sum them too.
        const types = (await store.readOutbox(100)).map((e) => e.mutation.type);
        expect(types.filter((t) => t === 'stock.movement')).toHaveLength(3);
      });

      it('refuses an opening count that is not a whole number of 0 or more', async () => {
        const { store } = await makeStore(OPTIONS);
        await expectStoreError(store.setOpeningStock(EVENT, 'a', -1, nextHlc()), 'invalid');
        await expectStoreError(store.setOpeningStock(EVENT, 'a', 2.5, nextHlc()), 'invalid');
        expect(await store.listEventStock(EVENT)).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
      });

      it('restocks from the till: the level rises, a restock movement is queued, the opening count stays', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 2, nextHlc());
        await store.recordSale(
          newSale([{ productId: 'a', quantity: 3 }], { stocked: new Set(['a']) }),
        );
        const pending = await store.pendingCount();
        await store.restock(EVENT, 'a', 5, nextHlc());
        expect(await store.listEventStock(EVENT)).toEqual([
          { id: `${EVENT}:a`, eventId: EVENT, productId: 'a', openingCount: 2, level: 4 },
        ]);
        const movements = await store.listStockMovements(EVENT);
        expect(movements.at(-1)).toMatchObject({
          kind: 'restock',
          delta: 5,
          saleId: null,
          eventId: EVENT,
          productId: 'a',
        });
        expect(await store.pendingCount()).toBe(pending + 1);
        const last = (await store.readOutbox(100)).at(-1);
        expect(last?.mutation).toEqual({ type: 'stock.movement', movement: movements.at(-1) });
        expectStockInvariant(await store.listEventStock(EVENT), movements);
      });

      it('refuses a restock that is not a whole number from 1 to 1,000,000, or of unkept stock, and writes nothing', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 2, nextHlc());
        const pending = await store.pendingCount();
        for (const bad of [0, -1, 2.5, 1_000_001, 2 ** 53, Number.NaN]) {
          await expectStoreError(store.restock(EVENT, 'a', bad, nextHlc()), 'invalid');
        }
        await expectStoreError(store.restock(EVENT, 'b', 3, nextHlc()), 'not-found');
        await expectStoreError(store.restock(OTHER_EVENT, 'a', 3, nextHlc()), 'not-found');
        expect((await store.listEventStock(EVENT))[0]?.level).toBe(2);
        expect(await store.pendingCount()).toBe(pending);
      });

      it('a sale that takes a kept stock below zero is flagged oversell on the device; the queued sale carries no flags', async () => {
        const { store } = await makeStore(OPTIONS);
        const stocked = new Set(['a', 'b']);
        await store.setOpeningStock(EVENT, 'a', 1, nextHlc());
        const fits = await store.recordSale(newSale([{ productId: 'a' }], { stocked }));
        expect(fits.flags).toBeUndefined();
        const beyond = await store.recordSale(
          newSale([{ productId: 'a' }, { productId: 'c' }], { stocked }),
        );
        expect(beyond.flags).toEqual(['oversell']);
        expect((await store.getSale(beyond.id))?.flags).toEqual(['oversell']);
        // Stock not kept (c) never oversells.
        const unkept = await store.recordSale(
          newSale([{ productId: 'c', quantity: 9 }], { stocked }),
        );
        expect(unkept.flags).toBeUndefined();
        for (const entry of await store.readOutbox(100)) {
          if (entry.mutation.type === 'sale.record')
            expect(entry.mutation.sale.flags).toBeUndefined();
        }
      });

      it('keeps events apart', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.setOpeningStock(OTHER_EVENT, 'a', 4, nextHlc());
        await store.recordSale(
          newSale([{ productId: 'a', quantity: 1 }], {
            eventId: OTHER_EVENT,
            stocked: new Set(['a']),
          }),
        );
        expect((await store.listEventStock(EVENT))[0]?.level).toBe(10);
        expect((await store.listEventStock(OTHER_EVENT))[0]?.level).toBe(3);
        expect((await store.getSummary(EVENT)).salesCount).toBe(0);
        expect((await store.getSummary(OTHER_EVENT)).salesCount).toBe(1);
      });
    });
  });
}
