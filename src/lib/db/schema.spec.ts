import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { hourKey } from '$lib/domain/summary';
import { newSale } from './contract-fixtures';
import { DexieDeviceStore } from './dexie-store';
import { KraamDb, META } from './schema';

/**
 * Version 1 exactly as it was released (copied here on purpose: the test pins what devices
 * in the field have on disk, whatever later versions say).
 */
const RELEASED_V1 = {
  meta: 'key',
  profile: 'id',
  products: 'id, vendorId, updatedAt', // rename:keep (released version 1)
  photos: 'id',
  events: 'id, date, status',
  stalls: 'id, eventId',
  assignments: 'id, eventId',
  eventStock: 'id, eventId, [eventId+productId]',
  stockMovements: 'id, [eventId+productId], saleId',
  sales: 'id, [eventId+receiptNumber], receiptNumber',
  saleLines: 'id, saleId',
  summaries: 'eventId',
  outbox: 'seq',
};

const hourOf = (ms: number) => hourKey(ms, 120);
const EVENT = 'event-upgrade';

describe('device schema upgrades', () => {
  it('[fault 17] a version-1 database opens as version 7 with every row, the outbox and the counters intact', async () => {
    const name = `kraam-upgrade-${Math.random().toString(36).slice(2)}`;

    // A device on the released app: sales recorded, not yet synced.
    const v1 = new Dexie(name);
    v1.version(1).stores(RELEASED_V1);
    await v1.open();
    const oldStore = new DexieDeviceStore(v1 as KraamDb, { hourOf });
    const deviceId = await oldStore.deviceId();
    const first = await oldStore.recordSale(newSale([{ productId: 'a' }], { eventId: EVENT }));
    const second = await oldStore.recordSale(
      newSale([{ productId: 'b', quantity: 2 }], { eventId: EVENT }),
    );
    const stall = {
      id: crypto.randomUUID(),
      eventId: EVENT,
      label: 'A1',
      x: 0,
      y: 0,
      width: 2,
      height: 1,
      notes: '',
      power: false,
      table: true,
      foodHygiene: false,
    };
    await v1.table('stalls').put(stall);
    const outboxBefore = await v1.table('outbox').toArray();
    const metaBefore = await v1.table('meta').toArray();
    const summaryBefore = await oldStore.getSummary(EVENT);
    expect(outboxBefore).toHaveLength(2);
    expect(v1.verno).toBe(1);
    v1.close();

    // The new app opens the same database.
    const db = new KraamDb(name);
    const store = await new DexieDeviceStore(db, { hourOf }).open();
    expect(db.verno).toBe(7);
    expect(await store.deviceId()).toBe(deviceId);
    expect(await db.outbox.toArray()).toEqual(outboxBefore);
    expect(await db.meta.toArray()).toEqual(metaBefore);
    expect(await store.pendingCount()).toBe(2);
    expect(await store.getSale(first.id)).toEqual(first);
    expect(await store.getSale(second.id)).toEqual(second);
    expect(await store.getSummary(EVENT)).toEqual(summaryBefore);
    expect(await store.listStalls(EVENT)).toEqual([stall]);

    // The new tables exist and work.
    expect(await store.listAnnouncements(EVENT)).toEqual([]);
    await store.applyPull({
      changes: [
        {
          entity: 'announcement',
          op: 'upsert',
          data: { id: crypto.randomUUID(), eventId: EVENT, body: 'Hallo', sentAt: 1 },
        },
      ],
      cursor: '1.1',
      epoch: 'e1',
    });
    expect(await store.listAnnouncements(EVENT)).toHaveLength(1);
    expect(await store.listSavedCarts()).toEqual([]);
    expect(await store.listCashReports()).toEqual([]);
    expect((await store.getCashBook(EVENT)).day).toBeUndefined();

    // The receipt counter continues: the next sale gets number 3, never a reused one.
    const third = await store.recordSale(newSale([{ productId: 'a' }], { eventId: EVENT }));
    expect(third.receiptNumber).toBe(3);
    expect((await db.meta.get(META.receiptCounter))?.value).toBe(3);
    await store.close();
  });
});
