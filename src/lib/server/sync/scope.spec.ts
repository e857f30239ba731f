// What a device may see grows (a maker joins an organisation, becomes a helper): its devices
// catch up on everything now in scope, once (SPEC.md, "Scope growth").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { memberships } from '$lib/server/db/schema';
import { setSharesFigures } from '$lib/server/organiser/makers';
import { PROTOCOL_VERSION, type Change } from '$lib/sync/protocol';
import { TestDevice } from '$lib/sync/testing/device';
import { eventChange, recordChanges, stallChange } from './change-feed';
import { createInProcessTransport } from './in-process-transport';
import { handlePull } from './pull';
import { addMember, createOrganisation, createUser, orgEvent, pullAll } from './testing';

function key(change: Change): string {
  const id =
    change.entity === 'sale'
      ? change.data.sale.id
      : change.entity === 'refund'
        ? change.data.refund.id
        : change.entity === 'refund_status'
          ? change.data.refundId
          : change.entity === 'deleted'
            ? `deleted:${change.data.id}`
            : change.data.id;
  return `${change.entity}:${id}:${JSON.stringify(change.data)}`;
}

/** Everything a device shows: products, events, and per event its sales, summary, stalls, stock. */
async function snapshot(device: TestDevice) {
  const byId = <T extends { id: string }>(rows: T[]) =>
    [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
  const events = byId(await device.store.listEvents());
  const perEvent = [];
  for (const event of events) {
    perEvent.push({
      event: event.id,
      // A device's own sales carry no flags until the server sends some: same as none.
      sales: byId(await device.store.listSales(event.id, { limit: 1000 })).map((sale) => ({
        ...sale,
        flags: sale.flags ?? [],
      })),
      summary: await device.store.getSummary(event.id),
      stalls: byId(await device.store.listStalls(event.id)),
      stock: byId(await device.store.listEventStock(event.id)),
    });
  }
  return {
    products: byId(await device.store.listProducts({ includeArchived: true })),
    events,
    perEvent,
  };
}

describe.each(testDbKinds())('scope growth on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** An organisation with a published event and a stall, and a maker (B) selling in it. */
  async function world() {
    const organisationId = await createOrganisation(t.db);
    const event = orgEvent(organisationId);
    await recordChanges(t.db, [
      eventChange(event, null),
      stallChange(
        {
          id: uuidv7(),
          eventId: event.id,
          label: 'A1',
          x: 0,
          y: 0,
          width: 2,
          height: 2,
          notes: '',
          power: true,
          table: false,
          foodHygiene: false,
        },
        organisationId,
      ),
    ]);
    const makerB = await createUser(t.db, 'Maker B');
    const transportB = createInProcessTransport({ db: t.db, userId: () => makerB });
    const b = await TestDevice.create({ transport: transportB });
    const breadB = await b.addProduct({ name: 'Zuurdesem', priceCents: 450 });
    const eventB = await b.addEvent({ name: 'Markt B' });
    await b.setStock(eventB.id, breadB.id, 30);
    for (let i = 0; i < 7; i++) await b.sell(eventB.id, [{ product: breadB }]);
    const voided = await b.sell(eventB.id, [{ product: breadB, quantity: 2 }]);
    await b.voidSale(voided.id);
    await b.settle();
    const helpedOrganisation = await createOrganisation(t.db, 'Stichting B');
    await addMember(t.db, {
      userId: makerB,
      organisationId: helpedOrganisation,
      role: 'maker',
      makerId: b.makerId,
    });
    // B shares figures with Stichting B, so a helper it appoints there may act for B
    // (src/lib/server/accounts/helpers.ts).
    await setSharesFigures(t.db, b.makerId, helpedOrganisation, true);
    return { organisationId, helpedOrganisation, b, breadB, eventB };
  }

  it('[G5] a device that already pulled, whose maker then joins an organisation and becomes a helper, catches up on everything in scope: it ends equal to a fresh device, no sale counted twice', async () => {
    const { organisationId, helpedOrganisation, b, breadB, eventB } = await world();
    const makerA = await createUser(t.db, 'Maker A');
    const transportA = createInProcessTransport({ db: t.db, userId: () => makerA });
    const a = await TestDevice.create({ transport: transportA });
    const cake = await a.addProduct({ name: 'Taart' });
    const own = await a.addEvent({ name: 'Eigen markt' });
    for (let i = 0; i < 3; i++) await a.sell(own.id, [{ product: cake }]);
    await a.settle();
    expect(await a.store.getSyncState()).not.toMatchObject({ cursor: null });

    // Later: A joins the organisation and helps maker B at B's stall.
    await addMember(t.db, { userId: makerA, organisationId, role: 'maker', makerId: a.makerId });
    await addMember(t.db, {
      userId: makerA,
      organisationId: helpedOrganisation,
      role: 'helper',
      makerId: b.makerId,
    });
    // And the world goes on after the grant.
    await b.sell(eventB.id, [{ product: breadB }]);
    await b.settle();
    await a.settle();

    const fresh = await TestDevice.create({ transport: transportA, makerId: a.makerId });
    await fresh.settle();

    const widened = await snapshot(a);
    expect(widened).toEqual(await snapshot(fresh));
    // Everything of B's and the organisation's is there, each sale counted once.
    const sales = await a.store.listSales(eventB.id, { limit: 1000 });
    expect(sales).toHaveLength(9);
    expect(new Set(sales.map((s) => s.id)).size).toBe(9);
    const summary = await a.store.getSummary(eventB.id);
    expect(summary.salesCount).toBe(8);
    expect((await a.store.listEvents()).map((e) => e.name).sort()).toEqual([
      'Eigen markt',
      'Markt B',
      'Voorjaarsbazaar',
    ]);
    expect(await a.store.getProduct(breadB.id)).toMatchObject({ name: 'Zuurdesem' });
  });

  it('[G5] catching up on a newly granted scope pages from the beginning, hands out each change once and never re-sends what the cursor already covered', async () => {
    const { helpedOrganisation, b } = await world();
    const helper = await createUser(t.db, 'Helper');
    const transport = createInProcessTransport({ db: t.db, userId: () => helper });
    const device = await TestDevice.create({ transport });
    const own = await device.addProduct({ name: 'Eigen' });
    await device.settle();
    const deviceId = await device.store.deviceId();
    const before = await pullAll(t.db, helper, deviceId);
    expect(before.changes.length).toBeGreaterThan(0);

    await addMember(t.db, {
      userId: helper,
      organisationId: helpedOrganisation,
      role: 'helper',
      makerId: b.makerId,
    });
    // Small pages: the catch-up itself spans several of them.
    const after = await pullAll(t.db, helper, deviceId, before.cursor, 2);
    const everything = await pullAll(t.db, helper, uuidv7());
    const already = new Set(before.changes.map(key));
    const expected = everything.changes.map(key).filter((k) => !already.has(k));
    expect(after.changes.map(key).sort()).toEqual(expected.sort());
    expect(after.changes.map(key).some((k) => k.includes(own.id))).toBe(false);
    // Caught up: the next pull has nothing new.
    const again = await pullAll(t.db, helper, deviceId, after.cursor);
    expect(again.changes).toEqual([]);
  });

  /** A new helper of maker B, whose new device has pulled everything in its scope. */
  async function helperPulledEverything() {
    const { helpedOrganisation, b } = await world();
    const userId = await createUser(t.db);
    await addMember(t.db, {
      userId,
      organisationId: helpedOrganisation,
      role: 'helper',
      makerId: b.makerId,
    });
    const deviceId = uuidv7();
    const everything = await pullAll(t.db, userId, deviceId);
    return { userId, deviceId, everything };
  }

  it('[G5] access lost between two pages (a helper membership removed, mid-feed and mid catch-up): every later page holds only what a fresh device of the account may see now', async () => {
    const { organisationId, helpedOrganisation, b } = await world();
    const helper = await createUser(t.db, 'Helper');
    const deviceId = uuidv7();
    await addMember(t.db, { userId: helper, organisationId, role: 'organiser' });
    const helping = {
      userId: helper,
      organisationId: helpedOrganisation,
      role: 'helper' as const,
      makerId: b.makerId,
    };
    const page = (cursor: string | null, limit: number) =>
      handlePull(t.db, helper, { protocol: PROTOCOL_VERSION, deviceId, cursor, limit });
    const revoke = () =>
      t.db
        .delete(memberships)
        .where(
          and(eq(memberships.userId, helper), eq(memberships.organisationId, helpedOrganisation)),
        );
    const visibleNow = async () =>
      new Set((await pullAll(t.db, helper, uuidv7())).changes.map(key));
    const rest = async (cursor: string | null) =>
      (await pullAll(t.db, helper, deviceId, cursor, 2)).changes.map(key);

    // Mid-feed: a helper from the start pulls one page of B's, then loses the helping.
    await addMember(t.db, helping);
    const before = new Set((await pullAll(t.db, helper, uuidv7())).changes.map(key));
    const first = await page(null, 3);
    expect(first.hasMore).toBe(true);
    await revoke();
    const allowed = await visibleNow();
    expect(allowed.size).toBeLessThan(before.size);
    const later = await rest(first.cursor);
    expect(later.filter((k) => !allowed.has(k))).toEqual([]);

    // Mid catch-up: granted again after its cursor passed everything, caught up one page,
    // then lost again.
    // (A change of its own organisation after B's takes its cursor past all of B's.)
    await recordChanges(t.db, [eventChange(orgEvent(organisationId), null)]);
    const settled = (await pullAll(t.db, helper, deviceId, first.cursor)).cursor;
    await addMember(t.db, helping);
    const catchUp = await page(settled, 1);
    expect(catchUp.hasMore).toBe(true);
    // Still catching up: the cursor carries the catch-up's own position and scope.
    expect(catchUp.cursor?.split('~')).toHaveLength(4);
    await revoke();
    const allowedNow = await visibleNow();
    expect(allowedNow.size).toBe(allowed.size + 1);
    const afterLoss = await rest(catchUp.cursor);
    expect(afterLoss.filter((k) => !allowedNow.has(k))).toEqual([]);
  });

  it('[G5] a cursor from before scopes travelled in cursors (bare txid.id) starts again from the beginning', async () => {
    const { userId, deviceId, everything } = await helperPulledEverything();
    const bare = everything.cursor?.split('~')[0] ?? null;
    expect(bare).toMatch(/^\d+\.\d+$/);
    const again = await pullAll(t.db, userId, deviceId, bare);
    expect(again.changes.map(key)).toEqual(everything.changes.map(key));
  });

  it('[G5] a cursor whose txid this cluster never handed out (a backup restored without a new epoch) starts again from the beginning', async () => {
    const { userId, deviceId, everything } = await helperPulledEverything();
    const scope = everything.cursor?.split('~')[1] ?? '';
    const again = await pullAll(t.db, userId, deviceId, `9000000000000.1~${scope}`);
    expect(again.changes.map(key)).toEqual(everything.changes.map(key));
  });
});
