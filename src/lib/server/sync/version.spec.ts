// Fault 28 (docs/sync-faults.md): the feed is read in (txid, id) order, and a txid is handed
// out at a transaction's first write, not at its commit. Two pushes of one maker can commit a
// product's states in the other order than their txids: the feed then holds the newer state
// before the older one. Each product row carries a version (+1 on every write, under its row
// lock), and a device keeps a pulled product only when its version is newer [G5].
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '$lib/domain/types';
import { queryRows, type Db } from '$lib/server/db';
import { events, products } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import type { Change } from '$lib/sync/protocol';
import { TestDevice } from '$lib/sync/testing/device';
import { RawDevice } from '$lib/sync/testing/factories';
import { createInProcessTransport } from './in-process-transport';
import { handlePush } from './push';
import { createUser, gate, pullAll, push } from './testing';

function productChanges(changes: Change[], id: string) {
  return changes.flatMap((c) => (c.entity === 'product' && c.data.id === id ? [c.data] : []));
}

/**
 * T1 of a race: a push that locks its device row (taking its txid), then waits before it
 * reads or locks anything else, until `resume` is called. Returns once it is waiting.
 */
async function heldPush(db: Db, userId: string, request: unknown) {
  const holding = gate();
  const resume = gate();
  let first = true;
  const result = handlePush(db, userId, JSON.parse(JSON.stringify(request)), {
    afterDeviceLock: async () => {
      if (!first) return;
      first = false;
      holding.open();
      await resume.wait;
    },
  });
  await holding.wait;
  return { result, resume: resume.open };
}

async function serverProduct(db: Db, id: string) {
  const [row] = await db
    .select({ name: products.name, priceCents: products.priceCents, version: products.version })
    .from(products)
    .where(eq(products.id, id));
  return row;
}

describe.each(testDbKinds())('product versions on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('[G5] a product row is version 1 when made and +1 on every write that changes it; every pulled product carries its version (fault 28)', async () => {
    const userId = await createUser(t.db);
    const phone = new RawDevice();
    const bread = phone.product({ name: 'Brood', priceCents: 350 });
    await push(t.db, userId, phone.request(phone.queue(phone.productUpsert(bread))));
    expect(await serverProduct(t.db, bread.id)).toMatchObject({ version: 1 });
    await push(
      t.db,
      userId,
      phone.request(
        phone.queue(
          phone.productUpsert({ ...bread, priceCents: 400 }, ['priceCents']),
          // Nothing changes: no write, no version, no feed row.
          phone.productUpsert({ ...bread, priceCents: 400 }, ['priceCents']),
        ),
      ),
    );
    await push(
      t.db,
      userId,
      phone.request(phone.queue(phone.productUpsert({ ...bread, name: 'Desem' }, ['name']))),
    );
    expect(await serverProduct(t.db, bread.id)).toEqual({
      name: 'Desem',
      priceCents: 400,
      version: 3,
    });
    const pulled = productChanges((await pullAll(t.db, userId, phone.deviceId)).changes, bread.id);
    expect(pulled.map((p) => [p.version, p.priceCents, p.name])).toEqual([
      [1, 350, 'Brood'],
      [2, 400, 'Brood'],
      [3, 400, 'Desem'],
    ]);
  });

  it('[G5] a maker’s own event is version 1 when made and +1 on every push that writes it; each pulled event carries its version (fault 28)', async () => {
    const userId = await createUser(t.db);
    const phone = new RawDevice();
    const event = phone.event({ name: 'Bazaar' });
    await push(
      t.db,
      userId,
      phone.request(
        phone.queue(phone.eventUpsert(event), phone.eventUpsert({ ...event, name: 'Markt' })),
      ),
    );
    await push(
      t.db,
      userId,
      phone.request(phone.queue(phone.eventUpsert({ ...event, name: 'Kerstmarkt' }))),
    );
    const [row] = await t.db
      .select({ name: events.name, version: events.version })
      .from(events)
      .where(eq(events.id, event.id));
    expect(row).toEqual({ name: 'Kerstmarkt', version: 2 });
    const pulled = (await pullAll(t.db, userId, phone.deviceId)).changes.flatMap((c) =>
      c.entity === 'event' && c.data.id === event.id ? [c.data] : [],
    );
    expect(pulled.map((e) => [e.version, e.name])).toEqual([
      [1, 'Markt'],
      [2, 'Kerstmarkt'],
    ]);
  });
});

// Two transactions at once need two connections: PGlite runs one at a time.
describe.each(testDbKinds().filter((k) => k === 'postgres'))(
  'changes committed out of txid order on %s',
  (kind) => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(kind);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    it('[G5] two pushes of one maker interleave (T1 takes its txid first, T2 edits the product and commits, then T1 edits it): the feed holds them out of txid order and a fresh device still ends with the server’s product (fault 28)', async () => {
      const userId = await createUser(t.db);
      const phone = new RawDevice();
      const tablet = new RawDevice({ makerId: phone.makerId });
      const bread: Product = phone.product({ name: 'Brood', priceCents: 350 });
      await push(t.db, userId, phone.request(phone.queue(phone.productUpsert(bread))));
      // The tablet's device row exists before the race (as it would for any synced tablet).
      await push(t.db, userId, tablet.request([]));

      // T1: the phone's push raises the price. It locks its device row (taking its txid),
      // then waits before it reads or locks the product.
      const t1 = await heldPush(
        t.db,
        userId,
        phone.request(
          phone.queue(phone.productUpsert({ ...bread, priceCents: 400 }, ['priceCents'])),
        ),
      );
      // T2: the tablet renames the product and commits, with a later txid.
      const t2 = await push(
        t.db,
        userId,
        tablet.request(tablet.queue(tablet.productUpsert({ ...bread, name: 'Desem' }, ['name']))),
      );
      expect(t2.results[0]?.status).toBe('applied');
      // T1 goes on: it locks the product, reads T2's state, merges its price in, commits.
      t1.resume();
      expect((await t1.result).results[0]?.status).toBe('applied');

      expect(await serverProduct(t.db, bread.id)).toEqual({
        name: 'Desem',
        priceCents: 400,
        version: 3,
      });
      // The race really happened: in (txid, id) order the feed ends on T2's older state.
      const feed = await queryRows<{ data: { priceCents: number; name: string } }>(
        t.db,
        sql`select data from sync_changes where entity_id = ${bread.id} order by txid, id`,
      );
      expect(feed.map((r) => [r.data.name, r.data.priceCents])).toEqual([
        ['Brood', 350],
        ['Desem', 400],
        ['Desem', 350],
      ]);

      // A fresh device of the maker pulls everything and ends where the server is.
      const transport = createInProcessTransport({ db: t.db, userId: () => userId });
      const fresh = await TestDevice.create({ transport, makerId: phone.makerId });
      await fresh.settle();
      expect(await fresh.store.getProduct(bread.id)).toMatchObject({
        name: 'Desem',
        priceCents: 400,
      });
    }, 60_000);

    it('[G5] two pushes of one maker’s event interleave the same way: a fresh device ends with the server’s event (fault 28)', async () => {
      const userId = await createUser(t.db);
      const phone = new RawDevice();
      const tablet = new RawDevice({ makerId: phone.makerId });
      const event = phone.event({ name: 'Bazaar', place: 'Buurthuis' });
      await push(t.db, userId, phone.request(phone.queue(phone.eventUpsert(event))));
      await push(t.db, userId, tablet.request([]));
      // T1 (the phone) takes its txid and waits; T2 (the tablet) renames and commits.
      const t1 = await heldPush(
        t.db,
        userId,
        phone.request(phone.queue(phone.eventUpsert({ ...event, name: 'Later' }))),
      );
      await push(
        t.db,
        userId,
        tablet.request(tablet.queue(tablet.eventUpsert({ ...event, name: 'Eerder' }))),
      );
      t1.resume();
      expect((await t1.result).results[0]?.status).toBe('applied');
      const [row] = await t.db
        .select({ name: events.name, version: events.version })
        .from(events)
        .where(eq(events.id, event.id));
      expect(row).toEqual({ name: 'Later', version: 3 });
      // The race really happened: in (txid, id) order the feed ends on the older name.
      const feed = await queryRows<{ data: { name: string } }>(
        t.db,
        sql`select data from sync_changes where entity_id = ${event.id} order by txid, id`,
      );
      expect(feed.map((r) => r.data.name)).toEqual(['Bazaar', 'Later', 'Eerder']);

      const transport = createInProcessTransport({ db: t.db, userId: () => userId });
      const fresh = await TestDevice.create({ transport, makerId: phone.makerId });
      await fresh.settle();
      expect((await fresh.store.listEvents()).find((e) => e.id === event.id)).toMatchObject({
        name: 'Later',
      });
    }, 60_000);
  },
);
