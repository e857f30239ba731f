// The fault tests of docs/sync-faults.md, end to end: real device stores, the real engine, the server's
// endpoint functions on PGlite and PostgreSQL, and transports that misbehave on purpose.
// Each test names the guarantee it proves and the fault number from docs/sync-faults.md.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DexieDeviceStore } from '$lib/db/dexie-store';
import type { MemoryDeviceStore } from '$lib/db/memory-store';
import type { Product } from '$lib/domain/types';
import { queryRows, rotateServerEpoch } from '$lib/server/db';
import { eventStock, sales, syncMutations } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { MAX_PUSH_BYTES, PROTOCOL_VERSION, type PushRequestOut } from '$lib/sync/protocol';
import { TestDevice } from '$lib/sync/testing/device';
import { createLossyTransport, seededRandom } from '$lib/sync/testing/lossy-transport';
import { readAnswer, TransportError, type SyncTransport } from '$lib/sync/transport';
import { PushResponseSchema } from '$lib/sync/protocol';
import { parseFeedCursor } from './change-feed';
import { createInProcessTransport } from './in-process-transport';
import { handlePush } from './push';
import { count, createUser, stateHash } from './testing';

function unavailable(): Promise<never> {
  return readAnswer(
    new Response(JSON.stringify({ error: { code: 'unavailable', message: 'maintenance' } }), {
      status: 503,
      headers: { 'content-type': 'application/json' },
    }),
    PushResponseSchema,
  ) as Promise<never>;
}

/** A transport that answers 503 while `down()` says so. */
function flaky(inner: SyncTransport, down: () => boolean): SyncTransport {
  return {
    push: (request) => (down() ? unavailable() : inner.push(request)),
    pull: (request) => (down() ? unavailable() : inner.pull(request)),
  };
}

/** Records every push request that reached the server. */
function recording(inner: SyncTransport, log: PushRequestOut[]): SyncTransport {
  return {
    push: (request) => {
      log.push(structuredClone(request));
      return inner.push(request);
    },
    pull: (request) => inner.pull(request),
  };
}

async function saleIdsOnServer(t: TestDb, makerId: string): Promise<string[]> {
  const rows = await t.db.select({ id: sales.id }).from(sales).where(eq(sales.makerId, makerId));
  return rows.map((r) => r.id);
}

async function serverLevel(
  t: TestDb,
  eventId: string,
  productId: string,
): Promise<number | undefined> {
  const [row] = await t.db
    .select({ level: eventStock.level })
    .from(eventStock)
    .where(and(eq(eventStock.eventId, eventId), eq(eventStock.productId, productId)));
  return row?.level;
}

async function deviceLevel(device: TestDevice, eventId: string, productId: string) {
  const rows = await device.store.listEventStock(eventId);
  return rows.find((r) => r.productId === productId)?.level;
}

describe.each(testDbKinds())('sync faults on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function account() {
    let userId: string | null = await createUser(t.db);
    const signedIn = userId;
    const session = {
      get: () => userId,
      signOut: () => (userId = null),
      signIn: () => (userId = signedIn),
      id: signedIn,
    };
    const transport = createInProcessTransport({ db: t.db, userId: session.get });
    return { session, transport };
  }

  async function shop(device: TestDevice, opening?: number) {
    const product = await device.addProduct();
    const event = await device.addEvent();
    if (opening !== undefined) await device.setStock(event.id, product.id, opening);
    return { product, event };
  }

  it('[G2] 10,000 sales through a network that drops 30% of answers and duplicates or reorders 20% of requests: each once (fault 3)', async () => {
    const { transport } = await account();
    const lossy = createLossyTransport(transport, {
      dropResponse: 0.3,
      duplicate: 0.1,
      delay: 0.1,
      random: seededRandom(3),
    });
    const device = await TestDevice.create({
      transport: lossy,
      engine: { batchSize: 100, pullLimit: 1000 },
    });
    const { product, event } = await shop(device, 50_000);
    const started = performance.now();
    let sold = 0;
    for (let chunk = 0; chunk < 10; chunk++) {
      for (let i = 0; i < 1000; i++) {
        await device.sell(event.id, [{ product, quantity: 1 + (i % 3) }]);
        sold += 1 + (i % 3);
      }
      // A few rounds per chunk, most of them failing somewhere.
      for (let r = 0; r < 3; r++) await device.engine.syncNow();
    }
    await device.settle(400);
    await lossy.flush();
    await device.settle(50);
    const seconds = (performance.now() - started) / 1000;
    const ids = await saleIdsOnServer(t, device.makerId);
    expect(ids.length).toBe(10_000);
    expect(new Set(ids).size).toBe(10_000);
    expect(
      await count(
        t.db,
        'sale_lines',
        `sale_id in (select id from sales where maker_id = '${device.makerId}')`,
      ),
    ).toBe(10_000);
    expect(await serverLevel(t, event.id, product.id)).toBe(50_000 - sold);
    expect(await deviceLevel(device, event.id, product.id)).toBe(50_000 - sold);
    const [totals] = await queryRows<{ cents: number }>(
      t.db,
      sql`select sum(total_cents)::float8 as cents from sales where maker_id = ${device.makerId}`,
    );
    const summary = await device.store.getSummary(event.id);
    expect(Number(totals?.cents)).toBe(summary.revenueCents);
    expect(
      await count(
        t.db,
        'sync_mutations',
        `status = 'rejected' and device_id = '${await device.store.deviceId()}'`,
      ),
    ).toBe(0);
    expect(lossy.stats.dropped).toBeGreaterThan(10);
    expect(lossy.stats.duplicated + lossy.stats.delayed).toBeGreaterThan(5);
    console.info(
      `[fault 3 on ${kind}] 10,000 sales through the lossy network in ${seconds.toFixed(1)} s`,
      lossy.stats,
    );
  }, 600_000);

  it('[G2] replaying every past push 2-5 times in random order leaves the server state hash unchanged (fault 4)', async () => {
    const { transport } = await account();
    const log: PushRequestOut[] = [];
    const device = await TestDevice.create({
      transport: recording(transport, log),
      engine: { batchSize: 25 },
    });
    const { product, event } = await shop(device, 40);
    const other = await device.addProduct({ name: 'Koek', priceCents: 125, vatRate: 9 });
    for (let i = 0; i < 120; i++) {
      const sale = await device.sell(event.id, [{ product }, { product: other, quantity: 2 }]);
      if (i % 10 === 3) await device.voidSale(sale.id);
      if (i % 25 === 7) await device.editProduct(other, { priceCents: 125 + i });
      if (i % 30 === 11)
        await device.store.setOpeningStock(event.id, product.id, 60 + i, device.clock.now());
      if (i % 20 === 19) await device.settle();
    }
    await device.settle();
    const before = await stateHash(t.db);
    const random = seededRandom(4);
    const replays = log.flatMap((request) =>
      Array.from({ length: 2 + Math.floor(random() * 4) }, () => request),
    );
    for (let i = replays.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [replays[i], replays[j]] = [replays[j] as PushRequestOut, replays[i] as PushRequestOut];
    }
    for (const request of replays) {
      const response = await transport.push(request);
      expect(response.results.every((r) => r.status === 'duplicate')).toBe(true);
    }
    expect(replays.length).toBeGreaterThan(2 * log.length);
    expect(await stateHash(t.db)).toBe(before);
  });

  it('[G2] two tabs and a service worker push one outbox at once, lock bypassed: one row each (fault 6)', async () => {
    const { session, transport } = await account();
    const name = `kraam-fault6-${kind}-${Math.random().toString(36).slice(2)}`;
    const till = await TestDevice.create({
      transport,
      store: await new DexieDeviceStore(name).open(),
    });
    const tabB = await TestDevice.create({
      transport,
      store: await new DexieDeviceStore(name).open(),
      makerId: till.makerId,
    });
    const worker = await new DexieDeviceStore(name).open();
    const deviceId = await worker.deviceId();
    const { product, event } = await shop(till, 1000);
    const rawPush = async () => {
      const entries = await worker.readOutbox(40);
      if (entries.length === 0) return;
      const state = await worker.getSyncState();
      const response = await handlePush(t.db, session.get(), {
        protocol: PROTOCOL_VERSION,
        deviceId,
        epoch: state.epoch,
        makerId: till.makerId,
        mutations: entries.map((e) => ({ seq: e.seq, mutation: e.mutation })),
      });
      await worker.acknowledge(response.acknowledgedUpTo);
    };
    let sold = 0;
    for (let round = 0; round < 15; round++) {
      for (let i = 0; i < 20; i++) {
        await till.sell(event.id, [{ product }]);
        sold += 1;
      }
      await Promise.all([till.engine.syncNow(), tabB.engine.syncNow(), rawPush(), rawPush()]);
    }
    await till.settle();
    await tabB.settle();
    const ids = await saleIdsOnServer(t, till.makerId);
    expect(ids.length).toBe(sold);
    expect(new Set(ids).size).toBe(sold);
    expect(
      await count(t.db, 'stock_movements', `maker_id = '${till.makerId}' and kind = 'sale'`),
    ).toBe(sold);
    expect(await serverLevel(t, event.id, product.id)).toBe(1000 - sold);
    expect(
      await count(t.db, 'sync_mutations', `device_id = '${deviceId}' and status = 'rejected'`),
    ).toBe(0);
    await Promise.all([till.store.close(), tabB.store.close(), worker.close()]);
  });

  it('[G7] a poison mutation in the outbox is rejected and the next 100 sales still sync (fault 12)', async () => {
    const { transport } = await account();
    const device = await TestDevice.create({ transport });
    const { product, event } = await shop(device);
    const first = await device.sell(event.id, [{ product }]);
    // Corrupt the queued sale in place, as a bug in an old app version might have.
    const backing = (device.store as MemoryDeviceStore).backing;
    for (const entry of backing.outbox.values()) {
      if (entry.mutation.type === 'sale.record' && entry.mutation.sale.id === first.id) {
        entry.mutation.sale.paidCents += 1;
      }
    }
    for (let i = 0; i < 100; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    expect(device.engine.status.rejectedCount).toBe(1);
    const ids = await saleIdsOnServer(t, device.makerId);
    expect(ids.length).toBe(100);
    expect(ids).not.toContain(first.id);
    expect(await device.store.pendingCount()).toBe(0);
  });

  it('[G2] a 2.2 MiB backlog drains in smaller batches', async () => {
    const { transport } = await account();
    const log: PushRequestOut[] = [];
    const device = await TestDevice.create({ transport: recording(transport, log) });
    const event = await device.addEvent();
    const products: Product[] = [];
    for (let i = 0; i < 14; i++) {
      const product = await device.addProduct({
        name: `Zuurdesem spelt-rogge ${i} `.padEnd(160, '.'),
      });
      await device.setStock(event.id, product.id, 1000);
      products.push(product);
    }
    await device.settle();
    for (let i = 0; i < 200; i++) {
      await device.sell(
        event.id,
        products.map((product) => ({ product })),
      );
    }
    // 200 sales of 14 lines: one default batch of them is more than the server takes.
    const sold = (await device.store.readOutbox(1000)).filter(
      (e) => e.mutation.type === 'sale.record',
    );
    const backlog = JSON.stringify(sold.map((e) => ({ seq: e.seq, mutation: e.mutation })));
    expect(sold).toHaveLength(200);
    expect(new TextEncoder().encode(backlog).length).toBeGreaterThan(2.2 * 1024 * 1024);
    await device.settle();
    expect(await device.store.pendingCount()).toBe(0);
    expect((await saleIdsOnServer(t, device.makerId)).length).toBe(200);
    for (const request of log) {
      expect(new TextEncoder().encode(JSON.stringify(request)).length).toBeLessThanOrEqual(
        MAX_PUSH_BYTES,
      );
    }
    expect(device.engine.status.rejectedCount).toBe(0);
  });

  it('[G7] a mutation too large for any batch is shown to the maker and the queue goes on', async () => {
    const { transport } = await account();
    const device = await TestDevice.create({ transport });
    const { product, event } = await shop(device);
    const huge = await device.sell(event.id, [{ product }]);
    // A sale grown past any push (as an old app version or a bug might make it).
    const backing = (device.store as MemoryDeviceStore).backing;
    for (const entry of backing.outbox.values()) {
      if (entry.mutation.type === 'sale.record' && entry.mutation.sale.id === huge.id) {
        for (const line of entry.mutation.lines) line.name = 'Brood '.repeat(400_000);
      }
    }
    for (let i = 0; i < 20; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    // The queue went on: every other sale is on the server, the outbox is empty.
    const ids = await saleIdsOnServer(t, device.makerId);
    expect(ids.length).toBe(20);
    expect(ids).not.toContain(huge.id);
    expect(await device.store.pendingCount()).toBe(0);
    // Shown to the maker, and kept whole on the device.
    expect(device.engine.status.unsendable).toBe(1);
    const kept = await device.engine.unsendable();
    expect(kept).toHaveLength(1);
    expect(kept[0]?.mutation).toMatchObject({ type: 'sale.record', sale: { id: huge.id } });
    expect(kept[0]?.bytes).toBeGreaterThan(MAX_PUSH_BYTES);
    // The server consumed its number with a reason.
    const [logged] = await t.db
      .select()
      .from(syncMutations)
      .where(
        and(
          eq(syncMutations.deviceId, await device.store.deviceId()),
          eq(syncMutations.seq, kept[0]?.seq ?? 0),
        ),
      );
    expect(logged?.reason).toMatch(/too-large/);
  });

  it('[G2] the server answers 503 for a long time: the outbox stays intact and drains after (fault 13)', async () => {
    const { transport } = await account();
    let down = false;
    const device = await TestDevice.create({ transport: flaky(transport, () => down) });
    const { product, event } = await shop(device);
    await device.settle();
    down = true;
    for (let hour = 0; hour < 30; hour++) {
      await device.sell(event.id, [{ product }]);
      const result = await device.engine.syncNow();
      expect(result.ok).toBe(false);
      expect(await device.store.pendingCount()).toBe(hour + 1);
    }
    expect(device.engine.status.lastFailure?.reason).toBe('server-unavailable');
    expect(device.engine.status.pendingCount).toBe(30);
    down = false;
    await device.settle();
    expect((await saleIdsOnServer(t, device.makerId)).length).toBe(30);
    expect(device.engine.status.lastFailure).toBeNull();
    expect(device.engine.status.pendingCount).toBe(0);
  });

  it('[G2] login expires mid-day: 401, the outbox never shrinks before acknowledgement, pushed after re-login (fault 14)', async () => {
    const { session, transport } = await account();
    const device = await TestDevice.create({ transport });
    const { product, event } = await shop(device);
    for (let i = 0; i < 10; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    session.signOut();
    let pending = 0;
    for (let i = 0; i < 40; i++) {
      await device.sell(event.id, [{ product }]);
      if (i % 4 === 0) {
        await device.engine.syncNow();
        expect(device.engine.status.lastFailure?.reason).toBe('signed-out');
      }
      const now = await device.store.pendingCount();
      expect(now).toBeGreaterThan(pending);
      pending = now;
    }
    expect(pending).toBe(40);
    session.signIn();
    await device.settle();
    expect((await saleIdsOnServer(t, device.makerId)).length).toBe(50);
  });

  it('[G5][G7] three offline devices each sell 5 of a stock of 10: all end at -5, the oversold sales flagged everywhere (fault 15)', async () => {
    const { transport } = await account();
    const phone = await TestDevice.create({ transport });
    const tablet = await TestDevice.create({ transport });
    const spare = await TestDevice.create({ transport });
    const { product, event } = await shop(phone, 10);
    await phone.settle();
    await tablet.settle();
    await spare.settle();
    expect(await deviceLevel(tablet, event.id, product.id)).toBe(10);
    // Offline: each sells five, one at a time, believing five are left.
    for (const device of [phone, tablet, spare]) {
      for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
    }
    for (const device of [phone, tablet, spare, phone, tablet]) await device.settle();
    expect(await serverLevel(t, event.id, product.id)).toBe(-5);
    for (const device of [phone, tablet, spare]) {
      expect(await deviceLevel(device, event.id, product.id)).toBe(-5);
      const all = await device.store.listSales(event.id, { limit: 100 });
      expect(all).toHaveLength(15);
      expect(all.filter((s) => s.flags?.includes('oversell'))).toHaveLength(5);
      const summary = await device.store.getSummary(event.id);
      expect(summary.salesCount).toBe(15);
    }
  });

  it('[G6] device clocks off by ±2 days: sync succeeds and product edits follow server order (fault 16)', async () => {
    const { transport } = await account();
    const day = 86_400_000;
    let fast = Date.now() + 2 * day;
    let slow = Date.now() - 2 * day;
    const ahead = await TestDevice.create({ transport, now: () => (fast += 1000) });
    const behind = await TestDevice.create({ transport, now: () => (slow += 1000) });
    const product: Product = await ahead.addProduct({ name: 'Appeltaart', priceCents: 1200 });
    const event = await ahead.addEvent();
    await ahead.settle();
    await behind.settle();
    await ahead.editProduct(product, { priceCents: 1300 });
    await behind.editProduct(product, { priceCents: 1100, name: 'Appeltaart groot' });
    await ahead.sell(event.id, [{ product }]);
    await behind.sell(event.id, [{ product }]);
    // The device whose clock is behind pushes last: its edit wins, whatever the clocks say.
    await ahead.settle();
    await behind.settle();
    await ahead.settle();
    for (const device of [ahead, behind]) {
      expect(await device.store.getProduct(product.id)).toMatchObject({
        priceCents: 1100,
        name: 'Appeltaart groot',
      });
      expect(await device.store.listSales(event.id)).toHaveLength(2);
    }
  });

  it('[G3] site data cleared: a fresh device id syncs, and the server reports the lost device’s gap (fault 19)', async () => {
    const { transport } = await account();
    let down = false;
    const device = await TestDevice.create({ transport: flaky(transport, () => down) });
    const { product, event } = await shop(device);
    for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    // Five more, then an interrupted push: the server heard of them but never got them.
    for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
    const state = await device.store.getSyncState();
    await transport.push({
      protocol: PROTOCOL_VERSION,
      deviceId: await device.store.deviceId(),
      epoch: state.epoch,
      highestSeq: state.highestSeq,
      mutations: [],
    });
    down = true;
    // The browser wipes the site's storage: a new store, a new device id, same account.
    const reborn = await TestDevice.create({ transport, makerId: device.makerId });
    await reborn.settle();
    // Its first round already pushes (empty: it asks for its device code, SPEC.md "Device
    // codes"), so the answer names the lost device at once.
    expect(reborn.engine.status.devicesBehind).toBe(1);
    await reborn.sell(event.id, [{ product }]);
    await reborn.settle();
    expect(reborn.engine.status.devicesBehind).toBe(1);
    // What the wiped device had sent is back on the new one (the maker's sales are pulled).
    expect(await reborn.store.listSales(event.id, { limit: 100 })).toHaveLength(6);
  });

  it('[G3] a device whose numbering restarted gets a gap report, and its new sales still reach the server once (fault 19)', async () => {
    const { transport } = await account();
    const device = await TestDevice.create({ transport });
    const { product, event } = await shop(device);
    for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    // Storage lost, but the device id survived (restored elsewhere): numbering starts over.
    const backing = (device.store as MemoryDeviceStore).backing;
    backing.products.clear();
    backing.outbox.clear();
    backing.outboxSeq = 0;
    backing.sales.clear();
    backing.linesBySale.clear();
    backing.movements.clear();
    backing.eventStock.clear();
    backing.summaries.clear();
    backing.syncEpoch = null;
    backing.syncCursor = null;
    const again = await device.addProduct({ name: 'Nieuw' });
    const sale = await device.sell(event.id, [{ product: again }]);
    await device.settle();
    expect(device.engine.status.lastGap).toMatchObject({ received: 1 });
    const ids = await saleIdsOnServer(t, device.makerId);
    expect(ids.filter((id) => id === sale.id)).toHaveLength(1);
    expect(ids).toHaveLength(6);
  });

  it('[G2] a server reset to an earlier state (new epoch): the device re-pushes what it knows, union without duplicates (fault 10)', async () => {
    const { transport } = await account();
    const device = await TestDevice.create({ transport });
    const { product, event } = await shop(device, 100);
    for (let i = 0; i < 20; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    const deviceId = await device.store.deviceId();
    // "Restore a backup from before this device synced": its data is gone, the epoch rotated.
    await t.db.transaction(async (tx) => {
      for (const table of [
        'sale_lines',
        'stock_movements',
        'event_stock',
        'sync_changes',
        'product_history',
      ]) {
        await tx.execute(
          sql.raw(
            table === 'sale_lines'
              ? `delete from sale_lines where sale_id in (select id from sales where maker_id = '${device.makerId}')`
              : table === 'product_history'
                ? `delete from product_history where product_id = '${product.id}'`
                : `delete from ${table} where maker_id = '${device.makerId}'`,
          ),
        );
      }
      await tx.execute(sql`delete from sales where maker_id = ${device.makerId}`);
      await tx.execute(sql`delete from products where maker_id = ${device.makerId}`);
      await tx.execute(sql`delete from events where owner_maker_id = ${device.makerId}`);
      await tx.delete(syncMutations).where(eq(syncMutations.deviceId, deviceId));
      await tx.execute(sql`delete from sync_devices where id = ${deviceId}`);
    });
    await rotateServerEpoch(t.db);
    for (let i = 0; i < 5; i++) await device.sell(event.id, [{ product }]);
    await device.settle();
    const ids = await saleIdsOnServer(t, device.makerId);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect(await serverLevel(t, event.id, product.id)).toBe(75);
    expect(await deviceLevel(device, event.id, product.id)).toBe(75);
  });

  it('[G5] a 5,000-sale backlog interrupted at random batches resumes each time; the pull cursor is never ahead of applied data (fault 20)', async () => {
    const { transport } = await account();
    const random = seededRandom(20);
    let interruptions = 0;
    const interrupting: SyncTransport = {
      push: async (request) => {
        if (random() < 0.25) {
          interruptions += 1;
          // Half the time the batch committed and only the answer was lost.
          if (random() < 0.5) await transport.push(request);
          throw new TransportError('offline', 'connection dropped');
        }
        return transport.push(request);
      },
      pull: async (request) => {
        if (random() < 0.25) {
          interruptions += 1;
          throw new TransportError('offline', 'connection dropped');
        }
        return transport.pull(request);
      },
    };
    const device = await TestDevice.create({
      transport: interrupting,
      engine: { batchSize: 200, pullLimit: 100 },
    });
    const { product, event } = await shop(device);
    for (let i = 0; i < 5000; i++) await device.sell(event.id, [{ product }]);
    const backing = (device.store as MemoryDeviceStore).backing;
    let lastPending = await device.store.pendingCount();
    let checks = 0;
    for (let round = 0; round < 300; round++) {
      await device.engine.syncNow();
      const pending = await device.store.pendingCount();
      expect(pending).toBeLessThanOrEqual(lastPending);
      lastPending = pending;
      const { cursor } = await device.store.getSyncState();
      if (cursor !== null) {
        const { txid, id } = parseFeedCursor(cursor).position;
        const behind = await queryRows<{ entity_id: string }>(
          t.db,
          sql`select entity_id from sync_changes where entity = 'sale' and maker_id = ${device.makerId}
              and (txid, id) <= (${txid}::xid8, ${id}::bigint)`,
        );
        expect(behind.filter((r) => !backing.sales.has(r.entity_id))).toEqual([]);
        checks += 1;
      }
      if (pending === 0 && (await device.engine.syncNow()).ok) break;
    }
    expect(await device.store.pendingCount()).toBe(0);
    expect((await saleIdsOnServer(t, device.makerId)).length).toBe(5000);
    expect(interruptions).toBeGreaterThan(5);
    expect(checks).toBeGreaterThan(5);
  }, 300_000);
});
