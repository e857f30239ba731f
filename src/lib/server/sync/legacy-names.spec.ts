// A phone still running the app released before the rename (issue 10) loses nothing: its
// queued pushes say vendorId and are applied; its pulls are answered in the names it reads.
// rename.py: keep-legacy-names
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { sales, syncMutations } from '$lib/server/db/schema';
import { legacyNames } from '$lib/sync/legacy-names';
import { PROTOCOL_VERSION, PULL_FEATURES } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { canonicalJson, hashCanonical } from './canonical';
import { pullEndpoint, pushEndpoint } from './endpoints';
import { createUser } from './testing';

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
});
