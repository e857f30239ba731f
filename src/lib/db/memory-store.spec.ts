import { describe, expect, it } from 'vitest';
import { hourKey } from '$lib/domain/summary';
import { StoreError } from './device-store';
import { cashBookStoreContract } from './cashbook-store.contract';
import { catalogueStoreContract } from './catalogue-store.contract';
import { linkPaymentStoreContract } from './link-payment-store.contract';
import { newSale, type MakeStore } from './contract-fixtures';
import { salesStoreContract } from './sales-store.contract';
import { syncStoreContract } from './sync-store.contract';
import { MemoryDeviceStore } from './memory-store';

const makeMemoryStore: MakeStore = async (options) => {
  let store = new MemoryDeviceStore(options);
  const harness = {
    store: store as MemoryDeviceStore,
    failNextWrite: (error: unknown) => harness.store.failNextWrite(error),
    reopen: async () => {
      await store.close();
      // Same backing data, new store object: what reopening a database amounts to.
      store = new MemoryDeviceStore({ ...options, backing: store.backing });
      harness.store = store;
      return store;
    },
  };
  return harness;
};

catalogueStoreContract('in-memory twin', makeMemoryStore);
salesStoreContract('in-memory twin', makeMemoryStore);
syncStoreContract('in-memory twin', makeMemoryStore);
cashBookStoreContract('in-memory twin', makeMemoryStore);
linkPaymentStoreContract('in-memory twin', makeMemoryStore);

describe('MemoryDeviceStore specifics', () => {
  it('failNextWrite with a StoreError rejects with that very error, once', async () => {
    const store = new MemoryDeviceStore({ hourOf: (ms) => hourKey(ms) });
    const planned = new StoreError('closed', 'The storage on this device went away.');
    store.failNextWrite(planned);
    const input = newSale([{ productId: 'a' }]);
    await expect(store.recordSale(input)).rejects.toBe(planned);
    expect(await store.pendingCount()).toBe(0);
    expect((await store.recordSale(input)).receiptNumber).toBe(1);
  });

  it('hands out copies: changing a returned sale does not change the store', async () => {
    const store = new MemoryDeviceStore();
    const sale = await store.recordSale(newSale([{ productId: 'a' }]));
    sale.totalCents = 1;
    const read = await store.getSale(sale.id);
    expect(read?.totalCents).toBe(250);
    if (read) read.status = 'voided';
    expect((await store.getSale(sale.id))?.status).toBe('completed');
  });
});
