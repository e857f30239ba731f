// The push endpoint's rules, against PGlite and (with TEST_DATABASE_URL) PostgreSQL.
// Rule ids are src/lib/sync/SPEC.md's.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { ApiError } from '$lib/server/http';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import {
  eventStock,
  events,
  memberships,
  productHistory,
  products,
  sales,
  stallAssignments,
  stalls,
  syncMutations,
  makers,
} from '$lib/server/db/schema';
import type { Mutation } from '$lib/domain/types';
import { RawDevice } from '$lib/sync/testing/factories';
import { handlePush } from './push';
import { acceptInvitation, createInvitation } from '$lib/server/accounts';
import { addMember, count, createOrganisation, createUser, push, stateHash } from './testing';

const DAY = 86_400_000;

describe.each(testDbKinds())('push on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A maker with an account, a device, a product and an event, already synced. */
  async function maker() {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product();
    const event = device.event();
    const first = await push(
      t.db,
      userId,
      device.request(device.queue(device.eventUpsert(event), device.productUpsert(product))),
    );
    return { userId, device, product, event, epoch: first.epoch };
  }

  async function status(error: Promise<unknown>): Promise<number> {
    try {
      await error;
    } catch (e) {
      if (e instanceof ApiError) return e.status;
      throw e;
    }
    return 200;
  }

  it('[G2] replaying a batch changes nothing and answers duplicate', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const batch = device.queue(
      device.sale(event.id, [{ product, quantity: 2 }]),
      device.sale(event.id, [{ product }]),
    );
    const first = await push(t.db, userId, device.request(batch, epoch));
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const before = await stateHash(t.db);
    const again = await push(t.db, userId, device.request(batch, epoch));
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.acknowledgedUpTo).toBe(first.acknowledgedUpTo);
    expect(await stateHash(t.db)).toBe(before);
  });

  it('[G2] a sale pushed again under a new sequence number counts once', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const sale = device.sale(event.id, [{ product }]);
    await push(t.db, userId, device.request(device.queue(sale), epoch));
    const again = await push(t.db, userId, device.request(device.queue(sale), epoch));
    expect(again.results[0]?.status).toBe('duplicate');
    expect(await count(t.db, 'sales', `id = '${sale.sale.id}'`)).toBe(1);
    const [stock] = await t.db
      .select()
      .from(eventStock)
      .where(eq(eventStock.productId, product.id));
    expect(stock?.level).toBe(-1);
  });

  it('[G3] sequence 5 before 3: gap reported, nothing past the gap committed (fault 5)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const [s3, s4, s5] = device.queue(
      device.sale(event.id, [{ product }]),
      device.sale(event.id, [{ product }]),
      device.sale(event.id, [{ product }]),
    );
    if (!s3 || !s4 || !s5) throw new Error('no entries');
    const before = await stateHash(t.db);
    const out = await push(t.db, userId, device.request([s5, s3, s4], epoch));
    expect(out.gap).toEqual({ expected: 3, received: 5 });
    expect(out.results).toEqual([]);
    expect(out.acknowledgedUpTo).toBe(2);
    expect(await stateHash(t.db)).toBe(before);
    // In order, everything applies.
    const fixed = await push(t.db, userId, device.request([s3, s4, s5], epoch));
    expect(fixed.gap).toBeUndefined();
    expect(fixed.acknowledgedUpTo).toBe(5);
    // The part before a gap commits, the part after does not.
    const [s6, , s8] = device.queue(
      device.sale(event.id, [{ product }]),
      device.sale(event.id, [{ product }]),
      device.sale(event.id, [{ product }]),
    );
    if (!s6 || !s8) throw new Error('no entries');
    const partial = await push(t.db, userId, device.request([s6, s8], epoch));
    expect(partial.results.map((r) => r.seq)).toEqual([6]);
    expect(partial.gap).toEqual({ expected: 7, received: 8 });
    expect(
      await count(t.db, 'sales', `id = '${(s8.mutation as { sale: { id: string } }).sale.id}'`),
    ).toBe(0);
  });

  it('[G3] a device whose sequence restarted with other content gets a gap, not "duplicate" (fault 19)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    await push(
      t.db,
      userId,
      device.request(device.queue(device.sale(event.id, [{ product }])), epoch),
    );
    // Same device id, data lost: numbering starts over with new sales.
    const reborn = new RawDevice({ deviceId: device.deviceId, makerId: device.makerId });
    const fresh = reborn.queue(reborn.sale(event.id, [{ product }]));
    const before = await stateHash(t.db);
    const out = await push(t.db, userId, reborn.request(fresh, epoch));
    expect(out.gap).toEqual({ expected: 4, received: 1 });
    expect(out.results).toEqual([]);
    expect(await stateHash(t.db)).toBe(before);
  });

  it('[G3] site data cleared: the account’s next device hears of the lost device’s gap (fault 19)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const made = device.queue(
      device.sale(event.id, [{ product }]),
      device.sale(event.id, [{ product }]),
      device.sale(event.id, [{ product }]),
    );
    // Only the first sale got through; the device announced it had made seq 5.
    await push(t.db, userId, device.request(made.slice(0, 1), epoch));
    const replacement = new RawDevice({ makerId: device.makerId });
    const out = await push(
      t.db,
      userId,
      replacement.request(replacement.queue(replacement.sale(event.id, [{ product }]))),
    );
    expect(out.otherDevices).toEqual([
      { deviceId: device.deviceId, acknowledgedUpTo: 3, highestSeq: 5 },
    ]);
  });

  it('[G7] a poison mutation is rejected with its reason, its number consumed, and the next 100 sales sync (fault 12)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const poison = device.sale(event.id, [{ product }]);
    const broken: Mutation = {
      ...poison,
      sale: { ...poison.sale, totalCents: poison.sale.totalCents + 1 },
    };
    const good = Array.from({ length: 100 }, () => device.sale(event.id, [{ product }]));
    const out = await push(t.db, userId, device.request(device.queue(broken, ...good), epoch));
    expect(out.results[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/total/),
    });
    expect(out.results.slice(1).every((r) => r.status === 'applied')).toBe(true);
    expect(out.acknowledgedUpTo).toBe(device.seq);
    expect(await count(t.db, 'sales', `maker_id = '${device.makerId}'`)).toBe(100);
    const rejected = await t.db
      .select()
      .from(syncMutations)
      .where(eq(syncMutations.status, 'rejected'));
    const mine = rejected.find((r) => r.deviceId === device.deviceId);
    expect(mine?.body).toMatchObject({ type: 'sale.record' });
  });

  it('[G7] malformed mutations are rejected with a reason a developer can act on', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const base = device.sale(event.id, [{ product, quantity: 2 }]);
    const line = base.lines[0];
    if (!line) throw new Error('no line');
    const stranger = uuidv7();
    const cases: [unknown, RegExp][] = [
      [{ ...base, sale: { ...base.sale, totalCents: 1.5 } }, /totalCents/],
      [{ ...base, lines: [{ ...line, quantity: -1 }] }, /quantity/],
      [{ ...base, lines: [{ ...line, vatCents: line.vatCents + 1 }] }, /VAT/],
      [
        {
          ...base,
          lines: [{ ...line, productId: stranger }],
          movements: base.movements.map((m) => ({ ...m, productId: stranger })),
        },
        /unknown product/,
      ],
      [{ ...base, lines: [{ ...line, name: 'a\u0000b' }] }, /NUL/],
      [{ type: 'sale.record' }, /invalid sale.record/],
      [{ type: 'teleport' }, /invalid/],
      [42, /invalid/],
      [device.stock(event.id, uuidv7(), 5, 'restock'), /unknown product/],
      [
        {
          type: 'sale.void',
          saleId: uuidv7(),
          reason: 'x',
          voidedAt: 1,
          hlc: device.clock.now(),
          movements: [],
        },
        /unknown sale/,
      ],
    ];
    const entries = cases.map(([mutation]) => ({
      seq: ++device.seq,
      mutation: mutation as Mutation,
    }));
    const before = await count(t.db, 'sales');
    const out = await push(t.db, userId, device.request(entries, epoch));
    cases.forEach(([, reason], i) => {
      expect(out.results[i]?.status, String(reason)).toBe('rejected');
      expect(out.results[i]?.reason).toMatch(reason);
    });
    expect(out.acknowledgedUpTo).toBe(device.seq);
    expect(await count(t.db, 'sales')).toBe(before);
  });

  /** Pushes `mutation` and a valid sale behind it: the first is rejected, the sale applies. */
  async function rejectedThenNextApplies(
    mutation: unknown,
    reason: RegExp,
    setup?: Awaited<ReturnType<typeof maker>>,
  ) {
    const { userId, device, product, event, epoch } = setup ?? (await maker());
    const next = device.sale(event.id, [{ product }]);
    const entries = [
      { seq: ++device.seq, mutation: mutation as Mutation },
      { seq: ++device.seq, mutation: next },
    ];
    // Not through JSON.stringify: a million-level value cannot be serialised recursively.
    const out = await handlePush(t.db, userId, {
      ...device.request([], epoch),
      mutations: entries,
    });
    expect(out.results[0]).toMatchObject({ seq: device.seq - 1, status: 'rejected' });
    expect(out.results[0]?.reason).toMatch(reason);
    expect(out.results[1]).toMatchObject({ seq: device.seq, status: 'applied' });
    expect(out.acknowledgedUpTo).toBe(device.seq);
    const [logged] = await t.db
      .select()
      .from(syncMutations)
      .where(
        and(eq(syncMutations.deviceId, device.deviceId), eq(syncMutations.seq, device.seq - 1)),
      );
    expect(logged?.status).toBe('rejected');
    expect(logged?.body).not.toBeNull();
    return { out, logged };
  }

  it('[G7] a NUL in the mutation type is rejected and the next sale applies', async () => {
    const setup = await maker();
    const bad = { ...setup.device.sale(setup.event.id, [{ product: setup.product }]) };
    const { logged } = await rejectedThenNextApplies(
      { ...bad, type: 'sale.record\u0000' },
      /invalid/,
      setup,
    );
    // Nothing is thrown away: the body is kept losslessly (as escaped JSON text).
    const kept = JSON.parse((logged?.body as { escapedJson: string }).escapedJson) as Mutation;
    expect(kept).toEqual({ ...bad, type: 'sale.record\u0000' });
  });

  it('[G7] a lone surrogate in the type, in a key, or a type cut in half by the 40-character limit is rejected and the next sale applies', async () => {
    const setup = await maker();
    await rejectedThenNextApplies({ type: '\ud800' }, /invalid/, setup);
    await rejectedThenNextApplies({ type: 'x'.repeat(39) + '😀', sale: 1 }, /invalid/, setup);
    const sale = setup.device.sale(setup.event.id, [{ product: setup.product }]);
    await rejectedThenNextApplies({ ...sale, ['\udc00\u0000']: 1 }, /NUL|surrogate/, setup);
  });

  it('[G7] receiptNumber 2^31 is rejected (the column is 32-bit) and the next sale applies', async () => {
    const setup = await maker();
    const sale = setup.device.sale(setup.event.id, [{ product: setup.product }]);
    await rejectedThenNextApplies(
      { ...sale, sale: { ...sale.sale, receiptNumber: 2 ** 31 } },
      /receiptNumber/,
      setup,
    );
  });

  it('[G7] two movements of one sale sharing an id are rejected and the next sale applies', async () => {
    const setup = await maker();
    const other = setup.device.product({ name: 'Taart' });
    await push(
      t.db,
      setup.userId,
      setup.device.request(setup.device.queue(setup.device.productUpsert(other)), setup.epoch),
    );
    const sale = setup.device.sale(setup.event.id, [
      { product: setup.product },
      { product: other },
    ]);
    const [first, second] = sale.movements;
    if (!first || !second) throw new Error('two movements expected');
    await rejectedThenNextApplies(
      { ...sale, movements: [first, { ...second, id: first.id }] },
      /movement id/,
      setup,
    );
  });

  it('[G7] a mutation nested a million levels deep is rejected and the next sale applies', async () => {
    const depth = 1_000_000;
    const deep: unknown = JSON.parse('['.repeat(depth) + ']'.repeat(depth));
    const { logged } = await rejectedThenNextApplies(
      { type: 'sale.record', sale: deep },
      /invalid|deep/,
    );
    expect(JSON.stringify(logged?.body).length).toBeGreaterThan(depth);
  });

  it('[G7] restocks pushing a level past 32 bits apply (the level is 64-bit) and the next sale applies', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const restocks = Array.from({ length: 2_200 }, () =>
      device.stock(event.id, product.id, 1_000_000, 'restock'),
    );
    for (let i = 0; i < restocks.length; i += 500) {
      const out = await push(
        t.db,
        userId,
        device.request(device.queue(...restocks.slice(i, i + 500)), epoch),
      );
      expect(out.results.every((r) => r.status === 'applied')).toBe(true);
    }
    const next = await push(
      t.db,
      userId,
      device.request(device.queue(device.sale(event.id, [{ product }])), epoch),
    );
    expect(next.results[0]?.status).toBe('applied');
    const [row] = await t.db.select().from(eventStock).where(eq(eventStock.productId, product.id));
    expect(row?.level).toBe(2_200 * 1_000_000 - 1);
  });

  it('[G7] a mutation the database refuses for a reason no check foresaw is stored rejected (server-could-not-apply) and the rest of the batch applies', async () => {
    const { userId, device, product, event, epoch } = await maker();
    // A refusal the server's checks do not know about, standing in for any unforeseen one.
    await t.db.execute(
      sql`alter table sales add constraint test_refuse_4242 check (receipt_number <> 4242)`,
    );
    try {
      const before = device.sale(event.id, [{ product }]);
      const refused = device.sale(event.id, [{ product }]);
      const after = device.sale(event.id, [{ product }]);
      const out = await push(
        t.db,
        userId,
        device.request(
          device.queue(
            before,
            { ...refused, sale: { ...refused.sale, receiptNumber: 4242 } },
            after,
          ),
          epoch,
        ),
      );
      expect(out.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
      expect(out.results[1]?.reason).toMatch(/server-could-not-apply/);
      expect(out.acknowledgedUpTo).toBe(device.seq);
      expect(await count(t.db, 'sales', `id = '${refused.sale.id}'`)).toBe(0);
      expect(await count(t.db, 'sales', `id in ('${before.sale.id}', '${after.sale.id}')`)).toBe(2);
      const [row] = await t.db
        .select()
        .from(eventStock)
        .where(eq(eventStock.productId, product.id));
      expect(row?.level).toBe(-2);
    } finally {
      await t.db.execute(sql`alter table sales drop constraint test_refuse_4242`);
    }
  });

  it('[G2] a sale whose id another maker already used is rejected, never acknowledged as a duplicate', async () => {
    const mine = await maker();
    const theirs = await maker();
    const sold = theirs.device.sale(theirs.event.id, [{ product: theirs.product }]);
    await push(t.db, theirs.userId, theirs.device.request(theirs.device.queue(sold), theirs.epoch));
    const copy = mine.device.sale(mine.event.id, [{ product: mine.product }]);
    const out = await push(
      t.db,
      mine.userId,
      mine.device.request(
        mine.device.queue({
          ...copy,
          sale: { ...copy.sale, id: sold.sale.id },
          lines: copy.lines.map((l) => ({ ...l, saleId: sold.sale.id })),
          movements: copy.movements.map((mv) => ({ ...mv, saleId: sold.sale.id })),
        }),
        mine.epoch,
      ),
    );
    expect(out.results[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/another maker/),
    });
    // The maker's own device sending it again (a new number) is a duplicate, as before.
    const again = await push(
      t.db,
      theirs.userId,
      theirs.device.request(theirs.device.queue(sold), theirs.epoch),
    );
    expect(again.results[0]?.status).toBe('duplicate');
  });

  it('[G2] a stock movement whose id another maker already used is rejected, never acknowledged as a duplicate', async () => {
    const mine = await maker();
    const theirs = await maker();
    const restock = theirs.device.stock(theirs.event.id, theirs.product.id, 5, 'restock');
    await push(
      t.db,
      theirs.userId,
      theirs.device.request(theirs.device.queue(restock), theirs.epoch),
    );
    if (restock.type !== 'stock.movement') throw new Error('not a stock movement');
    const own = mine.device.stock(mine.event.id, mine.product.id, 7, 'restock');
    if (own.type !== 'stock.movement') throw new Error('not a stock movement');
    const out = await push(
      t.db,
      mine.userId,
      mine.device.request(
        mine.device.queue({ ...own, movement: { ...own.movement, id: restock.movement.id } }),
        mine.epoch,
      ),
    );
    expect(out.results[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/another maker/),
    });
    // The maker's own device sending it again (a new number) is a duplicate, as before.
    const again = await push(
      t.db,
      theirs.userId,
      theirs.device.request(theirs.device.queue(restock), theirs.epoch),
    );
    expect(again.results[0]?.status).toBe('duplicate');
  });

  it('[G7] business problems flag a sale, never reject it: closed event, wrong stall, unknown event, oversell', async () => {
    const { userId, device, product, epoch } = await maker();
    const orgId = await createOrganisation(t.db);
    await addMember(t.db, {
      userId,
      organisationId: orgId,
      role: 'maker',
      makerId: device.makerId,
    });
    const closed = device.event({ status: 'closed' });
    const organised = uuidv7();
    await t.db.insert(events).values({
      id: organised,
      organisationId: orgId,
      name: 'Winterbazaar',
      date: '2026-12-12',
      status: 'open',
      origin: 'server',
      createdAt: 1,
      updatedAt: 1,
    });
    const stocked = device.event();
    const unstocked = { stocked: new Set<string>() };
    const out = await push(
      t.db,
      userId,
      device.request(
        device.queue(
          device.eventUpsert(closed),
          device.eventUpsert(stocked),
          device.stock(stocked.id, product.id, 1, 'recount'),
          device.sale(closed.id, [{ product }], unstocked),
          device.sale(organised, [{ product }], unstocked),
          device.sale(uuidv7(), [{ product }], unstocked),
          device.sale(stocked.id, [{ product }]),
          device.sale(stocked.id, [{ product }]),
        ),
        epoch,
      ),
    );
    expect(out.results.map((r) => [r.status, r.flags ?? []])).toEqual([
      ['applied', []],
      ['applied', []],
      ['applied', []],
      ['applied', ['event-closed']],
      ['applied', ['wrong-stall']],
      ['applied', ['unknown-event']],
      ['applied', []],
      ['applied', ['oversell']],
    ]);
    const flagged = await t.db
      .select({ flags: sales.flags })
      .from(sales)
      .where(eq(sales.eventId, organised));
    expect(flagged[0]?.flags).toEqual(['wrong-stall']);
    // With a stall assignment the same kind of sale is not flagged.
    const stallId = uuidv7();
    await t.db.insert(stalls).values({ id: stallId, eventId: organised, label: 'A1' });
    await t.db
      .insert(stallAssignments)
      .values({ id: uuidv7(), eventId: organised, stallId, makerId: device.makerId });
    const assigned = await push(
      t.db,
      userId,
      device.request(device.queue(device.sale(organised, [{ product }], unstocked)), epoch),
    );
    expect(assigned.results[0]).toEqual({ seq: device.seq, status: 'applied' });
  });

  it('[G6] product edits merge per field, last writer in server order wins, overwritten values kept in history (fault 16: clocks off by ±2 days)', async () => {
    const { userId, device, product, epoch } = await maker();
    // Two more devices of the same maker, clocks two days ahead and two days behind.
    let ahead = Date.now() + 2 * DAY;
    let behind = Date.now() - 2 * DAY;
    const fast = new RawDevice({ makerId: device.makerId, now: () => (ahead += 1000) });
    const slow = new RawDevice({ makerId: device.makerId, now: () => (behind += 1000) });
    const byFast = await push(
      t.db,
      userId,
      fast.request(
        fast.queue(
          fast.productUpsert({ ...product, name: 'Speltbrood', priceCents: 400 }, [
            'name',
            'priceCents',
          ]),
        ),
      ),
    );
    expect(byFast.results[0]?.status).toBe('applied');
    // The slow device's edit comes later in server order: it wins for the field it changed,
    // even though its clock says it happened four days earlier.
    await push(
      t.db,
      userId,
      slow.request(slow.queue(slow.productUpsert({ ...product, priceCents: 450 }, ['priceCents']))),
    );
    const [merged] = await t.db.select().from(products).where(eq(products.id, product.id));
    expect(merged).toMatchObject({ name: 'Speltbrood', priceCents: 450 });
    const history = await t.db
      .select()
      .from(productHistory)
      .where(eq(productHistory.productId, product.id))
      .orderBy(productHistory.id);
    expect(history.map((h) => [h.field, h.oldValue, h.newValue, h.deviceId])).toEqual([
      ['name', 'Brood', 'Speltbrood', fast.deviceId],
      ['priceCents', 350, 400, fast.deviceId],
      ['priceCents', 400, 450, slow.deviceId],
    ]);
    // A full snapshot (no field list) from an old copy overwrites every field; still nothing is
    // lost: the overwritten name is in history.
    await push(t.db, userId, device.request(device.queue(device.productUpsert(product)), epoch));
    const [restored] = await t.db.select().from(products).where(eq(products.id, product.id));
    expect(restored).toMatchObject({ name: 'Brood', priceCents: 350 });
    expect(await count(t.db, 'product_history', `product_id = '${product.id}'`)).toBe(5);
  });

  it('[G4] a batch aborted before commit leaves nothing; pushed again it applies once (fault 2)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const batch = device.queue(
      ...Array.from({ length: 20 }, () => device.sale(event.id, [{ product }])),
    );
    const request = JSON.parse(JSON.stringify(device.request(batch, epoch)));
    const before = await stateHash(t.db);
    await expect(
      handlePush(t.db, userId, request, {
        beforeCommit: () => {
          throw new Error('server killed mid-batch');
        },
      }),
    ).rejects.toThrow('server killed');
    expect(await stateHash(t.db)).toBe(before);
    const out = await push(t.db, userId, device.request(batch, epoch));
    expect(out.results.every((r) => r.status === 'applied')).toBe(true);
    expect(await count(t.db, 'sales', `maker_id = '${device.makerId}'`)).toBe(20);
  });

  it('[G4] the answer comes after commit: pushed again after a lost answer, each sale once (fault 1)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const batch = device.queue(
      ...Array.from({ length: 10 }, () => device.sale(event.id, [{ product }])),
    );
    let committedBeforeAnswer = false;
    await handlePush(t.db, userId, JSON.parse(JSON.stringify(device.request(batch, epoch))), {
      beforeCommit: () => {
        committedBeforeAnswer = true;
      },
    });
    expect(committedBeforeAnswer).toBe(true);
    // The answer was lost: the device sends the same batch again.
    const again = await push(t.db, userId, device.request(batch, epoch));
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await count(t.db, 'sales', `maker_id = '${device.makerId}'`)).toBe(10);
  });

  it('asks for a session (401) and refuses another account’s device (403), changing nothing', async () => {
    const { device, epoch } = await maker();
    const stranger = await createUser(t.db);
    const before = await stateHash(t.db);
    const request = JSON.parse(JSON.stringify(device.request(device.queue(), epoch)));
    expect(await status(handlePush(t.db, null, request))).toBe(401);
    expect(await status(handlePush(t.db, stranger, request))).toBe(403);
    expect(await status(handlePush(t.db, stranger, { ...request, protocol: 2 }))).toBe(400);
    expect(await stateHash(t.db)).toBe(before);
  });

  it('adopts a maker’s pre-account maker id on first sync and maps a second device’s own id to it', async () => {
    const userId = await createUser(t.db);
    const orgId = await createOrganisation(t.db);
    await addMember(t.db, { userId, organisationId: orgId, role: 'maker' });
    const phone = new RawDevice();
    const product = phone.product();
    await push(t.db, userId, phone.request(phone.queue(phone.productUpsert(product))));
    const [member] = await t.db.select().from(memberships).where(eq(memberships.userId, userId));
    expect(member?.makerId).toBe(phone.makerId);
    const [makerRow] = await t.db.select().from(makers).where(eq(makers.id, phone.makerId));
    expect(makerRow?.ownerUserId).toBe(userId);
    // A tablet set up offline made its own profile id; its data joins the same maker.
    const tablet = new RawDevice();
    const event = tablet.event();
    const sale = tablet.sale(event.id, [{ product }]);
    const out = await push(
      t.db,
      userId,
      tablet.request(tablet.queue(tablet.eventUpsert(event), sale)),
    );
    expect(out.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const [stored] = await t.db.select().from(sales).where(eq(sales.id, sale.sale.id));
    expect(stored?.makerId).toBe(phone.makerId);
    // Another account cannot write into that maker.
    const other = await createUser(t.db);
    const thief = new RawDevice({ makerId: phone.makerId });
    const stolen = await push(
      t.db,
      other,
      thief.request(thief.queue(thief.productUpsert(thief.product()))),
    );
    expect(stolen.results[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/another account/),
    });
  });

  it('a helper sells for the maker but cannot change the maker’s products', async () => {
    const { userId, device, product, event } = await maker();
    const helper = await createUser(t.db, 'Helper');
    const orgId = await createOrganisation(t.db);
    // The maker is a maker of the organisation and invites their own helper (issue 7).
    await addMember(t.db, {
      userId,
      organisationId: orgId,
      role: 'maker',
      makerId: device.makerId,
    });
    const { token } = await createInvitation(t.db, {
      organisationId: orgId,
      role: 'helper',
      createdBy: userId,
      makerId: device.makerId,
    });
    await acceptInvitation(t.db, token, helper);
    const phone = new RawDevice();
    const sale = phone.sale(event.id, [{ product }]);
    const out = await push(
      t.db,
      helper,
      phone.request(phone.queue(sale, phone.productUpsert({ ...product, priceCents: 1 }))),
    );
    expect(out.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    const [stored] = await t.db.select().from(sales).where(eq(sales.id, sale.sale.id));
    expect(stored?.makerId).toBe(device.makerId);
  });

  it('a device that synced with another epoch is told so and nothing is applied', async () => {
    const { userId, device, product, event } = await maker();
    const before = await stateHash(t.db);
    const out = await push(
      t.db,
      userId,
      device.request(device.queue(device.sale(event.id, [{ product }])), 'an-older-epoch'),
    );
    expect(out).toMatchObject({ epochChanged: true, acknowledgedUpTo: 2, results: [] });
    expect(await stateHash(t.db)).toBe(before);
  });

  it('[G5] stock is the sum of movements: sales, voids, restocks and recounts', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const sale = device.sale(event.id, [{ product, quantity: 3 }]);
    await push(
      t.db,
      userId,
      device.request(
        device.queue(
          device.stock(event.id, product.id, 10, 'recount'),
          sale,
          device.stock(event.id, product.id, 4, 'restock'),
          device.voidOf(sale),
          device.voidOf(sale),
        ),
        epoch,
      ),
    );
    const [row] = await t.db.select().from(eventStock).where(eq(eventStock.productId, product.id));
    expect(row).toMatchObject({ openingCount: 10, level: 14 });
    const [stored] = await t.db.select().from(sales).where(eq(sales.id, sale.sale.id));
    expect(stored?.status).toBe('voided');
  });
});
