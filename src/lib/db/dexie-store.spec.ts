import { Dexie, type DBCoreTable } from 'dexie';
import { describe, expect, it, vi } from 'vitest';
import { hourKey } from '$lib/domain/summary';
import { StoreError } from './device-store';
import { cashBookStoreContract } from './cashbook-store.contract';
import { catalogueStoreContract } from './catalogue-store.contract';
import { linkPaymentStoreContract } from './link-payment-store.contract';
import { uuidv7 } from '$lib/domain/ids';
import {
  BASE_TIME,
  EVENT,
  marketEvent,
  newSale,
  nextHlc,
  type MakeStore,
} from './contract-fixtures';
import { salesStoreContract } from './sales-store.contract';
import { syncStoreContract } from './sync-store.contract';
import { DexieDeviceStore, type DeviceStoreOptions } from './dexie-store';
import { KraamDb } from './schema';

let databases = 0;
/** Every test gets a database of its own on fake-indexeddb. */
function freshName(): string {
  databases += 1;
  return `kraam-test-${databases}-${Math.random().toString(36).slice(2)}`;
}

/** Records every range read (query, cursor, count) Dexie sends down to IndexedDB, as `query sales`. */
function countRangeReads(db: KraamDb): string[] {
  const reads: string[] = [];
  db.use({
    stack: 'dbcore',
    name: 'count-range-reads',
    create: (down) => ({
      ...down,
      table: (tableName: string): DBCoreTable => {
        const table = down.table(tableName);
        return {
          ...table,
          query: (req) => (reads.push(`query ${tableName}`), table.query(req)),
          openCursor: (req) => (reads.push(`cursor ${tableName}`), table.openCursor(req)),
          count: (req) => (reads.push(`count ${tableName}`), table.count(req)),
        };
      },
    }),
  });
  return reads;
}

const makeDexieStore: MakeStore = async (options: DeviceStoreOptions) => {
  const name = freshName();
  const failures: unknown[] = [];
  const open = () =>
    new DexieDeviceStore(name, {
      ...options,
      // The failure is thrown inside the transaction after every write was issued: the
      // transaction aborts exactly as it would if the last write had failed.
      beforeCommit: (operation) => {
        options.beforeCommit?.(operation);
        if (failures.length > 0) throw failures.shift();
      },
    }).open();
  const harness = {
    store: await open(),
    failNextWrite: (error: unknown) => void failures.push(error),
    reopen: async () => {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
  };
  return harness;
};

catalogueStoreContract('Dexie on fake-indexeddb', makeDexieStore);
salesStoreContract('Dexie on fake-indexeddb', makeDexieStore);
syncStoreContract('Dexie on fake-indexeddb', makeDexieStore);
cashBookStoreContract('Dexie on fake-indexeddb', makeDexieStore);
linkPaymentStoreContract('Dexie on fake-indexeddb', makeDexieStore);

const hourOf = (ms: number) => hourKey(ms, 120);

describe('DexieDeviceStore specifics', () => {
  it('[G1] every readwrite transaction asks for strict durability', async () => {
    // Dexie binds IDBDatabase.transaction when it opens, so spy on the prototype before.
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const store = await new DexieDeviceStore(freshName(), { hourOf }).open();
    await store.deviceId();
    spy.mockClear();
    await store.recordSale(newSale([{ productId: 'a' }]));
    const writes = spy.mock.calls.filter(([, mode]) => mode === 'readwrite');
    spy.mockRestore();
    expect(writes.length).toBeGreaterThan(0);
    for (const call of writes) expect(call[2]).toEqual({ durability: 'strict' });
    // recordSale is ONE transaction over every table it writes.
    expect(writes).toHaveLength(1);
    expect([...(writes[0]?.[0] as string[])].sort()).toEqual(
      ['eventStock', 'meta', 'outbox', 'saleLines', 'sales', 'stockMovements', 'summaries'].sort(),
    );
  });

  it('[G1] a QuotaExceededError from a write inside the transaction (wrapped by Dexie) is "quota" and nothing is written', async () => {
    const store = await new DexieDeviceStore(freshName(), { hourOf }).open();
    await store.recordSale(newSale([{ productId: 'a' }]));
    const summaryBefore = await store.getSummary('event-a');
    const stub = vi
      .spyOn(store.db.outbox, 'add')
      .mockImplementation(() =>
        Dexie.Promise.reject(
          new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
        ),
      );
    const input = newSale([{ productId: 'a' }]);
    const error = await store.recordSale(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('quota');
    expect(stub).toHaveBeenCalledTimes(1);
    stub.mockRestore();

    expect(await store.getSale(input.sale.id)).toBeUndefined();
    expect(await store.getSaleLines(input.sale.id)).toEqual([]);
    expect(await store.getSummary('event-a')).toEqual(summaryBefore);
    expect(await store.pendingCount()).toBe(1);
    expect((await store.recordSale(input)).receiptNumber).toBe(2);
  });

  it('recordSale does a bounded amount of work: no scans, however many sales are stored', async () => {
    const db = new KraamDb(freshName());
    const reads = countRangeReads(db);
    const store = await new DexieDeviceStore(db, { hourOf }).open();
    await store.setOpeningStock('event-a', 'a', 1000, 'h');
    for (let i = 0; i < 30; i++) {
      await store.recordSale(
        newSale([{ productId: 'a' }, { productId: 'b' }], { stocked: new Set(['a']) }),
      );
    }
    reads.length = 0;
    await store.recordSale(newSale([{ productId: 'a' }], { stocked: new Set(['a']) }));
    expect(reads).toEqual([]);
    // The check itself can see range reads (so the assertion above can fail).
    await store.listSales('event-a', { limit: 5 });
    expect(reads.length).toBeGreaterThan(0);
  });

  it('[CB-SUM] the cash book reads the kept summary, never a range of sales or refunds; an aggregate stored before it kept cash per device is counted from the sales, the same', async () => {
    const db = new KraamDb(freshName());
    const reads = countRangeReads(db);
    const store = await new DexieDeviceStore(db, { hourOf }).open();
    await store.saveEvent(marketEvent(EVENT, '2026-05-16'), nextHlc());
    await store.openCashDay({
      eventId: EVENT,
      makerId: 'maker-1',
      openingFloatCents: 5000,
      openedAt: BASE_TIME,
      hlc: nextHlc(),
    });
    for (let i = 0; i < 20; i++) {
      await store.recordSale(
        newSale([{ productId: 'a', priceCents: 250 }], { split: i % 2 === 1 }),
      );
    }
    const refunded = await store.recordSale(newSale([{ productId: 'b', priceCents: 900 }]));
    await store.recordRefund({
      id: uuidv7(),
      saleId: refunded.id,
      reason: 'broken',
      createdAt: BASE_TIME,
      hlc: nextHlc(),
      lines: 'all',
    });
    reads.length = 0;
    const book = await store.getCashBook(EVENT);
    expect([book.cashSalesCents, book.cashRefundsCents]).toEqual([10 * 250 + 10 * 125 + 900, 900]);
    expect(reads.filter((r) => / (sales|saleLines|refunds)$/.test(r))).toEqual([]);
    // An aggregate kept before cash per device: the book counts from the sales, the same.
    const kept = await db.summaries.get(EVENT);
    if (!kept) throw new Error('no summary');
    delete kept.cashByDevice;
    await db.summaries.put(kept);
    reads.length = 0;
    expect(await store.getCashBook(EVENT)).toEqual(book);
    expect(reads).toContain('query sales');
    await store.close();
  });

  it('the schema is version 7 with the indexes the queries use', async () => {
    const store = await new DexieDeviceStore(freshName()).open();
    expect(store.db.verno).toBe(7);
    const indexes = (table: string) =>
      store.db
        .table(table)
        .schema.indexes.map((i) => i.name)
        .sort();
    expect(store.db.tables.map((t) => t.name).sort()).toEqual(
      [
        'announcements',
        'assignments',
        'carts',
        'cashDays',
        'cashMovements',
        'cashReports',
        'eventMaps',
        'eventStock',
        'events',
        'meta',
        'outbox',
        'photos',
        'productClocks',
        'products',
        'profile',
        'refundStatuses',
        'refunds',
        'saleLines',
        'sales',
        'stalls',
        'stockMovements',
        'summaries',
        'makerResults',
        'linkPayments',
        'linkSettlements',
      ].sort(),
    );
    expect(indexes('sales')).toEqual(['[eventId+receiptNumber]', 'createdAt', 'receiptNumber']);
    expect(indexes('stockMovements')).toEqual(['[eventId+productId]', 'saleId']);
    expect(indexes('eventStock')).toEqual(['[eventId+productId]', 'eventId']);
    expect(indexes('announcements')).toEqual(['eventId']);
    expect(indexes('refunds')).toEqual(['createdAt', 'eventId', 'saleId']);
    expect(indexes('refundStatuses')).toEqual(['saleId']);
    expect(indexes('cashDays')).toEqual(['eventId']);
    expect(indexes('cashMovements')).toEqual(['[eventId+deviceId]', 'eventId']);
    expect(indexes('cashReports')).toEqual(['[eventId+deviceId]', 'eventId']);
    expect(indexes('products')).toEqual(['makerId', 'updatedAt']);
    expect(indexes('linkPayments')).toEqual(['saleId']);
    expect(indexes('linkSettlements')).toEqual(['eventId']);
    expect(store.db.linkSettlements.schema.primKey.keyPath).toBe('saleId');
    expect(store.db.eventMaps.schema.primKey.keyPath).toBe('eventId');
    expect(store.db.makerResults.schema.primKey.keyPath).toBe('eventId');
    expect(store.db.outbox.schema.primKey.keyPath).toBe('seq');
    expect(store.db.outbox.schema.primKey.auto).toBe(false);
  });

  it('a database closed under the store (DatabaseClosedError) is "closed"', async () => {
    const store = await new DexieDeviceStore(freshName()).open();
    store.db.close();
    const error = await store.getSale('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('closed');
  });
});
