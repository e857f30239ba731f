// A phone still running the app released before the rename (issue 10) loses nothing: its
// queued pushes say vendorId and are applied; its pulls are answered in the names it reads.
// rename.py: keep-legacy-names
import { Dexie } from 'dexie';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DexieDeviceStore } from '$lib/db/dexie-store';
import { KraamDb } from '$lib/db/schema';
import { hourKey } from '$lib/domain/summary';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { sales, syncMutations } from '$lib/server/db/schema';
import { legacyNames } from '$lib/sync/legacy-names';
import { PROTOCOL_VERSION, PULL_FEATURES } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { canonicalJson, hashCanonical } from './canonical';
import { pullEndpoint, pushEndpoint } from './endpoints';
import { createUser } from './testing';

/** The device schema as the app released before the rename declared it (versions 1-4). */
function releasedV4(name: string): Dexie {
  const db = new Dexie(name);
  db.version(1).stores({
    meta: 'key',
    profile: 'id',
    products: 'id, vendorId, updatedAt',
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
  });
  db.version(2).stores({
    eventMaps: 'eventId',
    announcements: 'id, eventId',
    vendorResults: 'eventId',
  });
  db.version(3).stores({ productClocks: 'id' });
  db.version(4).stores({ refunds: 'id, saleId, eventId', carts: 'tabId' });
  return db;
}

function post(path: string, body: unknown): Request {
  return new Request(`http://kraam.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe.each(testDbKinds())('an app released before the rename, on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('its queued push in the old names (vendorId) is applied: products, event and sales', async () => {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product();
    const event = device.event();
    const first = device.sale(event.id, [{ product }]);
    const second = device.sale(event.id, [{ product, quantity: 2 }]);
    const request = device.request(
      device.queue(device.eventUpsert(event), device.productUpsert(product), first, second),
    );
    const old = legacyNames(request) as Record<string, unknown>;
    expect(JSON.stringify(old)).not.toContain('makerId');
    expect(old.vendorId).toBe(device.makerId);

    const response = await pushEndpoint(t.db, userId, post('/api/sync/push', old));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { results: { status: string }[] };
    expect(answer.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    const stored = await t.db.select().from(sales).where(eq(sales.eventId, event.id));
    expect(stored.map((s) => [s.id, s.makerId]).sort()).toEqual(
      [
        [first.sale.id, device.makerId],
        [second.sale.id, device.makerId],
      ].sort(),
    );
  });

  it('a number logged before the update, sent again after it (old or new names), is a duplicate, not a gap', async () => {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product();
    const event = device.event();
    const sale = device.sale(event.id, [{ product }]);
    const entries = device.queue(device.eventUpsert(event), device.productUpsert(product), sale);
    const pushed = await pushEndpoint(
      t.db,
      userId,
      post('/api/sync/push', device.request(entries)),
    );
    expect(pushed.status).toBe(200);
    // What the server before the update logged: the fingerprint of the old names.
    const oldHash = hashCanonical(canonicalJson(legacyNames(sale)));
    await t.db
      .update(syncMutations)
      .set({ hash: oldHash })
      .where(sql`${syncMutations.deviceId} = ${device.deviceId} and ${syncMutations.seq} = 3`);
    for (const body of [device.request(entries), legacyNames(device.request(entries))]) {
      const again = await pushEndpoint(t.db, userId, post('/api/sync/push', body));
      const answer = (await again.json()) as { results: { status: string }[]; gap?: unknown };
      expect(answer.gap).toBeUndefined();
      expect(answer.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    }
  });

  it('its pull (no maker-names feature) reads vendorId; this app’s pull reads makerId', async () => {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product();
    const pushed = await pushEndpoint(
      t.db,
      userId,
      post('/api/sync/push', device.request(device.queue(device.productUpsert(product)))),
    );
    expect(pushed.status).toBe(200);
    const pull = async (features?: string[]) => {
      const body = { protocol: PROTOCOL_VERSION, deviceId: device.deviceId, cursor: null };
      const response = await pullEndpoint(
        t.db,
        userId,
        post('/api/sync/pull', features ? { ...body, features } : body),
      );
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown> & {
        changes: { entity: string; data: Record<string, unknown> }[];
      };
    };
    const old = await pull(['refunds']);
    expect(old.vendorId).toBe(device.makerId);
    expect(old).not.toHaveProperty('makerId');
    expect(old.changes.find((c) => c.entity === 'product')?.data).toMatchObject({
      id: product.id,
      vendorId: device.makerId,
    });
    expect(JSON.stringify(old)).not.toContain('"makerId"');
    const now = await pull([...PULL_FEATURES]);
    expect(now.makerId).toBe(device.makerId);
    expect(now.changes.find((c) => c.entity === 'product')?.data).toMatchObject({
      makerId: device.makerId,
    });
    expect(JSON.stringify(now)).not.toContain('vendor');
    const get = await pullEndpoint(
      t.db,
      userId,
      new Request(`http://kraam.test/api/sync/pull?deviceId=${device.deviceId}&cursor=`),
    );
    expect(((await get.json()) as Record<string, unknown>).vendorId).toBe(device.makerId);
  });

  it('a version-4 device database with queued outbox entries upgrades to the current version (5 renamed, 6 and 7 added tables) and those entries still push', async () => {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product();
    const event = device.event();
    const sale = device.sale(event.id, [{ product }]);
    const queued = device.queue(device.eventUpsert(event), device.productUpsert(product), sale);

    // The phone on the released app: its product, sale and outbox in the old names.
    const name = `kraam-v4-${Math.random().toString(36).slice(2)}`;
    const old = releasedV4(name);
    await old.open();
    await old.table('meta').bulkPut([
      { key: 'device.id', value: device.deviceId },
      { key: 'counter.outboxSeq', value: queued.length },
    ]);
    await old.table('products').put(legacyNames(product) as object);
    await old.table('sales').put(legacyNames(sale.sale) as object);
    await old
      .table('outbox')
      .bulkPut(
        queued.map((q) => legacyNames({ ...q, deviceId: device.deviceId, createdAt: 1 }) as object),
      );
    await old
      .table('vendorResults')
      .put({ id: event.id, eventId: event.id, vendorId: device.makerId });
    expect(JSON.stringify(await old.table('outbox').toArray())).toContain('"vendorId"');
    old.close();

    // The updated app opens it.
    const db = new KraamDb(name);
    const store = await new DexieDeviceStore(db, { hourOf: (ms) => hourKey(ms, 120) }).open();
    expect(db.verno).toBe(7);
    const outbox = await store.readOutbox(100);
    expect(outbox.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(JSON.stringify(outbox)).not.toContain('vendor');
    expect(outbox.map((e) => e.mutation)).toEqual(queued.map((q) => q.mutation));
    expect(await db.products.where('makerId').equals(device.makerId).count()).toBe(1);
    expect(await store.getSale(sale.sale.id)).toMatchObject({ makerId: device.makerId });
    expect(await store.getMakerResults(event.id)).toMatchObject({ makerId: device.makerId });
    expect(db.tables.map((table) => table.name)).not.toContain('vendorResults');

    // Its queued entries push as they are now and are applied.
    const request = {
      protocol: PROTOCOL_VERSION,
      deviceId: device.deviceId,
      epoch: null,
      highestSeq: 3,
      makerId: device.makerId,
      mutations: outbox.map((e) => ({ seq: e.seq, mutation: e.mutation })),
    };
    const response = await pushEndpoint(t.db, userId, post('/api/sync/push', request));
    const answer = (await response.json()) as { results: { status: string }[] };
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    await store.close();
  });
});
