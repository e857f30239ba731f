import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { createHlc } from '$lib/domain/clock';
import { restockProduct, type RestockContext } from './restock';

const EVENT = 'event-1';
let store: MemoryDeviceStore;
let context: RestockContext;

beforeEach(async () => {
  store = new MemoryDeviceStore({ now: () => 1_750_000_000_000 });
  const clock = createHlc(await store.deviceId(), () => 1_750_000_000_000);
  context = { store, hlc: () => clock.now() };
  await store.setOpeningStock(EVENT, 'bread', 0, clock.now());
});

describe('restockProduct', () => {
  it('adds the typed quantity as one restock movement, queued for sync', async () => {
    const pending = await store.pendingCount();
    expect(await restockProduct(context, EVENT, 'bread', ' 12 ')).toEqual({
      ok: true,
      quantity: 12,
    });
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(12);
    expect(await store.pendingCount()).toBe(pending + 1);
  });

  it('bad input says why and changes nothing', async () => {
    const pending = await store.pendingCount();
    expect(await restockProduct(context, EVENT, 'bread', '')).toEqual({
      ok: false,
      error: 'not-whole',
    });
    expect(await restockProduct(context, EVENT, 'bread', '-3')).toEqual({
      ok: false,
      error: 'not-whole',
    });
    expect(await restockProduct(context, EVENT, 'bread', '0')).toEqual({
      ok: false,
      error: 'too-small',
    });
    expect(await restockProduct(context, EVENT, 'bread', '2000000')).toEqual({
      ok: false,
      error: 'too-large',
    });
    expect((await store.listEventStock(EVENT))[0]?.level).toBe(0);
    expect(await store.pendingCount()).toBe(pending);
  });

  it('stock not kept for the product: the store refuses, nothing is written', async () => {
    await expect(restockProduct(context, EVENT, 'cake', '3')).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
