// One stall with several phones (issue 10): device codes and phones whose clock runs ahead,
// against PGlite and (with TEST_DATABASE_URL) PostgreSQL. SPEC.md, "Device codes".
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sales, syncDevices } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import type { Change } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { handlePush } from './push';
import { createUser, pullAll, push } from './testing';

const MINUTE = 60_000;
const DAY = 86_400_000;

function saleChanges(changes: Change[]) {
  return changes.flatMap((c) => (c.entity === 'sale' ? [c.data] : []));
}

describe.each(testDbKinds())('devices of one maker on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A maker's first phone, synced: its product and event are on the server. */
  async function maker() {
    const userId = await createUser(t.db);
    const phone = new RawDevice();
    const product = phone.product();
    const event = phone.event();
    const first = await push(
      t.db,
      userId,
      phone.request(phone.queue(phone.eventUpsert(event), phone.productUpsert(product))),
    );
    return { userId, phone, product, event, first };
  }

  it('[device codes] the phones of one maker get A, B, C in the order they first sync; each keeps its code', async () => {
    const { userId, phone, product, event, first } = await maker();
    expect(first.deviceCode).toBe('A');
    const second = new RawDevice({ makerId: phone.makerId });
    const third = new RawDevice({ makerId: phone.makerId });
    const b = await push(
      t.db,
      userId,
      second.request(second.queue(second.sale(event.id, [{ product }]))),
    );
    const c = await push(
      t.db,
      userId,
      third.request(third.queue(third.sale(event.id, [{ product }]))),
    );
    expect([b.deviceCode, c.deviceCode]).toEqual(['B', 'C']);
    // Kept on every later push, also one with nothing in it.
    const again = await push(t.db, userId, phone.request([], first.epoch));
    expect(again.deviceCode).toBe('A');
    const bAgain = await push(t.db, userId, second.request([], first.epoch));
    expect(bAgain.deviceCode).toBe('B');

    // Another maker's first phone is A again: codes are per maker.
    const other = await maker();
    expect(other.first.deviceCode).toBe('A');
  });

  it('[device codes] every pulled sale carries the code of the phone that made it, so #1 of A and #1 of B differ', async () => {
    const { userId, phone, product, event } = await maker();
    const second = new RawDevice({ makerId: phone.makerId });
    await push(t.db, userId, phone.request(phone.queue(phone.sale(event.id, [{ product }]))));
    await push(t.db, userId, second.request(second.queue(second.sale(event.id, [{ product }]))));
    const { changes } = await pullAll(t.db, userId, phone.deviceId);
    const sales = saleChanges(changes).map((s) => [s.sale.receiptNumber, s.deviceCode]);
    expect(sales).toEqual([
      [1, 'A'],
      [1, 'B'],
    ]);
  });

  it('[device codes] two phones of one maker syncing for the first time at the same moment never share a code', async () => {
    const { userId, phone, product, event } = await maker();
    const phones = Array.from({ length: 5 }, () => new RawDevice({ makerId: phone.makerId }));
    const answers = await Promise.all(
      phones.map((p) => push(t.db, userId, p.request(p.queue(p.sale(event.id, [{ product }]))))),
    );
    const codes = answers.map((a) => a.deviceCode);
    expect(new Set(codes).size).toBe(5);
    expect([...codes].sort()).toEqual(['B', 'C', 'D', 'E', 'F']);
    const [row] = await t.db
      .select({ code: syncDevices.code })
      .from(syncDevices)
      .where(eq(syncDevices.id, phone.deviceId));
    expect(row?.code).toBe('A');
  });

  it('[device codes] a phone whose maker the server does not know yet gets no code yet', async () => {
    // Without a maker the server cannot know whose phones to count.
    const userId = await createUser(t.db);
    const lone = new RawDevice();
    const answer = await push(t.db, userId, { ...lone.request([]), makerId: undefined });
    expect(answer.deviceCode).toBeUndefined();
  });

  it('[G7][clock ahead] a sale timed two days ahead of the server is flagged (stored, pulled back), never refused; ten minutes ahead is not', async () => {
    const userId = await createUser(t.db);
    const serverNow = Date.now();
    let deviceNow = serverNow + 2 * DAY;
    const phone = new RawDevice({ now: () => deviceNow });
    const product = phone.product();
    const event = phone.event();
    const ahead = phone.sale(event.id, [{ product }]);
    deviceNow = serverNow + 10 * MINUTE;
    const fine = phone.sale(event.id, [{ product }]);
    const request = phone.request(
      phone.queue(phone.eventUpsert(event), phone.productUpsert(product), ahead, fine),
    );
    const answer = await handlePush(
      t.db,
      userId,
      JSON.parse(JSON.stringify({ ...request, sentAt: serverNow + 2 * DAY })),
      { now: () => serverNow },
    );
    expect(answer.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    // The push itself says the phone's clock is off, so the app can tell the maker.
    expect(answer.clockAheadMs).toBe(2 * DAY);
    const rows = await t.db
      .select({ id: sales.id, clockAheadMs: sales.clockAheadMs })
      .from(sales)
      .where(eq(sales.makerId, phone.makerId));
    const stored = new Map(rows.map((r) => [r.id, r.clockAheadMs]));
    expect(stored.get(ahead.sale.id)).toBe(2 * DAY);
    expect(stored.get(fine.sale.id)).toBeNull();
    const pulled = saleChanges((await pullAll(t.db, userId, phone.deviceId)).changes);
    const byId = new Map(pulled.map((s) => [s.sale.id, s.sale.clockAheadMs]));
    expect(byId.get(ahead.sale.id)).toBe(2 * DAY);
    expect(byId.get(fine.sale.id)).toBeUndefined();
  });

  it('[clock ahead] what a device claims about its own sale is ignored; a push sent on time carries no clock notice', async () => {
    const userId = await createUser(t.db);
    const phone = new RawDevice({ now: () => Date.now() });
    const product = phone.product();
    const event = phone.event();
    const sale = phone.sale(event.id, [{ product }]);
    const claimed = { ...sale, sale: { ...sale.sale, clockAheadMs: 5 * DAY } };
    const answer = await push(t.db, userId, {
      ...phone.request(
        phone.queue(phone.eventUpsert(event), phone.productUpsert(product), claimed),
      ),
      sentAt: Date.now(),
    });
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(answer.clockAheadMs).toBeUndefined();
    const [row] = await t.db
      .select({ clockAheadMs: sales.clockAheadMs })
      .from(sales)
      .where(eq(sales.id, sale.sale.id));
    expect(row?.clockAheadMs).toBeNull();
  });
});
