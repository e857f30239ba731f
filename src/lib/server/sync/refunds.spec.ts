// Refunds through sync (src/lib/sync/SPEC.md "Refunds"), against PGlite and (with
// TEST_DATABASE_URL) PostgreSQL: applied once, only by the sale's maker, never more than
// remains, rejected without wedging the queue [G7], and counted net in the figures.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import {
  electronicRefunds,
  eventStock,
  refundLines,
  refunds,
  syncMutations,
} from '$lib/server/db/schema';
import { salesSummaries } from '$lib/server/organiser/figures';
import { RawDevice } from '$lib/sync/testing/factories';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { DexieDeviceStore } from '$lib/db/dexie-store';
import { TestDevice } from '$lib/sync/testing/device';
import { createInProcessTransport } from './in-process-transport';
import { handlePull } from './pull';
import { count, createUser, pullAll, push, stateHash } from './testing';

describe.each(testDbKinds())('refunds on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function maker() {
    const userId = await createUser(t.db);
    const device = new RawDevice();
    const product = device.product({ priceCents: 350 });
    const other = device.product({ priceCents: 1249, vatRate: 21 });
    const event = device.event();
    const first = await push(
      t.db,
      userId,
      device.request(
        device.queue(
          device.eventUpsert(event),
          device.productUpsert(product),
          device.productUpsert(other),
          device.stock(event.id, product.id, 10, 'recount'),
        ),
      ),
    );
    return { userId, device, product, other, event, epoch: first.epoch };
  }

  async function level(eventId: string, productId: string) {
    const rows = await t.db.select().from(eventStock).where(eq(eventStock.eventId, eventId));
    return rows.find((r) => r.productId === productId)?.level;
  }

  it('[G2] a refund of one line applies once: stored with its lines, stock given back; pushed again it is a duplicate', async () => {
    const { userId, device, product, other, event, epoch } = await maker();
    const sale = device.sale(event.id, [{ product, quantity: 3 }, { product: other }], {
      stocked: new Set([product.id]),
    });
    const refund = device.refundOf(sale, [{ position: 0, quantity: 1 }]);
    const batch = device.queue(sale, refund);
    const answer = await push(t.db, userId, device.request(batch, epoch));
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await level(event.id, product.id)).toBe(10 - 3 + 1);
    const [stored] = await t.db.select().from(refunds).where(eq(refunds.id, refund.refund.id));
    expect(stored).toMatchObject({ saleId: sale.sale.id, totalCents: 350, itemCount: 1 });
    expect(
      await t.db.select().from(refundLines).where(eq(refundLines.refundId, refund.refund.id)),
    ).toHaveLength(1);
    const before = await stateHash(t.db);
    const again = await push(t.db, userId, device.request(batch, epoch));
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await stateHash(t.db)).toBe(before);
    const renumbered = await push(t.db, userId, device.request(device.queue(refund), epoch));
    expect(renumbered.results[0]?.status).toBe('duplicate');
    expect(await level(event.id, product.id)).toBe(8);
    expect(await count(t.db, 'refunds', `sale_id = '${sale.sale.id}'`)).toBe(1);
  });

  it('[G7] refunds that are not the maker’s to make, or more than remains, are stored as rejected with a reason and the queue goes on (fault 29)', async () => {
    const a = await maker();
    const b = await maker();
    const saleOfB = b.device.sale(b.event.id, [{ product: b.product, quantity: 2 }]);
    await push(t.db, b.userId, b.device.request(b.device.queue(saleOfB), b.epoch));

    const { userId, device, product, event, epoch } = a;
    const own = device.sale(event.id, [{ product, quantity: 2 }]);
    const half = device.refundOf(own, [{ position: 0, quantity: 1 }]);
    // Planned against a stale view (no earlier refund): together more than the sale.
    const tooMuch = device.refundOf(own, [{ position: 0, quantity: 2 }]);
    // Another maker's sale, refunded by this maker's device (ids are not secrets).
    const foreign = device.refundOf(saleOfB, 'all');
    foreign.refund.deviceId = device.deviceId;
    for (const mv of foreign.movements) mv.deviceId = device.deviceId;
    const unknown = device.refundOf(device.sale(event.id, [{ product }]), 'all');
    const voided = device.sale(event.id, [{ product }]);
    const refundOfVoided = device.refundOf(voided, 'all');
    const refunded = device.sale(event.id, [{ product }]);
    const partOfIt = device.refundOf(refunded, 'all');
    const next = device.sale(event.id, [{ product }]);
    const batch = device.queue(
      own,
      half,
      tooMuch,
      foreign,
      unknown,
      voided,
      device.voidOf(voided),
      refundOfVoided,
      refunded,
      partOfIt,
      device.voidOf(refunded),
      next,
    );
    const answer = await push(t.db, userId, device.request(batch, epoch));
    expect(answer.results.map((r) => [r.status, r.reason ?? ''])).toEqual([
      ['applied', ''],
      ['applied', ''],
      ['rejected', 'the refund is more than remains of the sale'],
      ['rejected', `unknown sale ${saleOfB.sale.id}`],
      ['rejected', `unknown sale ${unknown.refund.saleId}`],
      ['applied', ''],
      ['applied', ''],
      ['rejected', 'the sale was voided: nothing is left to refund'],
      ['applied', ''],
      ['applied', ''],
      ['rejected', 'the sale has refunds: refund what remains instead'],
      ['applied', ''],
    ]);
    expect(answer.acknowledgedUpTo).toBe(batch.at(-1)?.seq);
    // Rejected ones keep their body; B's sale and stock are untouched.
    const logged = await t.db
      .select()
      .from(syncMutations)
      .where(eq(syncMutations.deviceId, device.deviceId));
    expect(logged.filter((r) => r.status === 'rejected')).toHaveLength(5);
    expect(await count(t.db, 'refunds', `sale_id = '${saleOfB.sale.id}'`)).toBe(0);
    expect(await level(b.event.id, b.product.id)).toBe(10 - 2);
  });

  it('[G7] hostile refunds (quantities 0, negative, 2^31, 2^53, duplicate lines, NUL in the reason, a bad cash part) are rejected and the next sale applies (fault 29)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const sale = device.sale(event.id, [{ product, quantity: 2 }]);
    await push(t.db, userId, device.request(device.queue(sale), epoch));
    const base = device.refundOf(sale, [{ position: 0, quantity: 1 }]);
    const line = base.refund.lines[0]!;
    const variants: unknown[] = [
      ...[0, -1, 2 ** 31, 2 ** 53].map((quantity) => ({
        ...base,
        refund: { ...base.refund, lines: [{ ...line, quantity }] },
      })),
      { ...base, refund: { ...base.refund, lines: [line, line], totalCents: 700, itemCount: 2 } },
      { ...base, refund: { ...base.refund, reason: 'kapot\u0000' } },
      // The cash part: negative, beyond 2^53, not a number, more than the refund or the sale took.
      ...[-1, 2 ** 53, 1.5, '350', 351].map((cashCents) => ({
        ...base,
        refund: { ...base.refund, id: uuidv7(), cashCents },
      })),
      {
        ...base,
        refund: { ...base.refund, id: uuidv7(), lines: [{ ...line, amountCents: 10 ** 9 }] },
      },
    ];
    const entries = variants.map((mutation) => ({ seq: 0, mutation }));
    const tail = device.queue(device.sale(event.id, [{ product }]));
    const numbered = [
      ...entries.map((e, i) => ({ ...e, seq: tail[0]!.seq + i })),
      ...tail.map((e) => ({ ...e, seq: e.seq + entries.length })),
    ];
    const request = {
      ...device.request([], epoch),
      mutations: numbered,
      highestSeq: numbered.at(-1)!.seq,
    };
    const answer = await push(t.db, userId, request as never);
    expect(answer.results.slice(0, -1).every((r) => r.status === 'rejected')).toBe(true);
    expect(answer.results.at(-1)?.status).toBe('applied');
    expect(await count(t.db, 'refunds', `sale_id = '${sale.sale.id}'`)).toBe(0);
  });

  it('[split] a split sale’s refund carries its cash part: stored and pulled as made, only the card part goes back at Stripe; a cash part beyond the refund or the sale’s cash is rejected, naming cashCents, and the queue goes on', async () => {
    const { userId, device, product, other, event, epoch } = await maker();
    // 3.50 + 12.49 = 15.99: 8.00 in cash, 7.99 by card.
    const sale = device.sale(event.id, [{ product }, { product: other }], {
      payment: { method: 'split', cashPartCents: 800, tenderedCents: 1000, cashRounding: false },
    });
    const byCard = device.refundOf(sale, [{ position: 0, quantity: 1 }]);
    const rest = device.refundOf(sale, [{ position: 1, quantity: 1 }], [byCard]);
    expect(byCard.refund.cashCents).toBeUndefined();
    expect(rest.refund).toMatchObject({ method: 'cash', cashCents: 1249 - (799 - 350) });
    const tooMuch = {
      ...rest,
      refund: { ...rest.refund, id: uuidv7(), cashCents: rest.refund.totalCents + 1 },
    };
    const answer = await push(
      t.db,
      userId,
      device.request(device.queue(sale, byCard, tooMuch, rest), epoch),
    );
    expect(answer.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'rejected',
      'applied',
    ]);
    expect(JSON.stringify(answer.results[2])).toContain('cashCents');
    const stored = await t.db.select().from(refunds).where(eq(refunds.saleId, sale.sale.id));
    expect(
      stored
        .sort((a, b) => a.totalCents - b.totalCents)
        .map((r) => [r.totalCents, r.method, r.cashCents]),
    ).toEqual([
      [350, 'qr', null],
      [1249, 'cash', 800],
    ]);
    const queued = await t.db
      .select()
      .from(electronicRefunds)
      .where(eq(electronicRefunds.saleId, sale.sale.id));
    expect(queued.map((r) => r.amountCents).sort((a, b) => a - b)).toEqual([350, 449]);
    const page = await handlePull(t.db, userId, {
      protocol: PROTOCOL_VERSION,
      deviceId: uuidv7(),
      cursor: null,
      limit: 1000,
      features: ['refunds'],
    });
    const pulled = page.changes.flatMap((c) => (c.entity === 'refund' ? [c.data.refund] : []));
    expect(pulled).toContainEqual(rest.refund);
    expect(pulled).toContainEqual(byCard.refund);

    // More cash back than the sale took in cash (8.00), though within the refund: rejected.
    const cash = device.sale(event.id, [{ product: other }], {
      payment: { method: 'split', cashPartCents: 100, tenderedCents: 100, cashRounding: false },
    });
    const greedy = device.refundOf(cash, 'all');
    const lie = {
      ...greedy,
      refund: { ...greedy.refund, method: 'cash' as const, cashCents: 200 },
    };
    const next = device.sale(event.id, [{ product }]);
    const second = await push(t.db, userId, device.request(device.queue(cash, lie, next), epoch));
    expect(second.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(JSON.stringify(second.results[1])).toContain('cashCents');
  });

  it('the organiser’s figures and the maker’s results are net of refunds; a refunded sale still counts as a sale', async () => {
    const { userId, device, product, other, event, epoch } = await maker();
    const nine = device.sale(event.id, [{ product, quantity: 2 }, { product: other }]);
    const ten = device.sale(event.id, [{ product }]);
    const r1 = device.refundOf(nine, [{ position: 1, quantity: 1 }]);
    const r2 = device.refundOf(nine, [{ position: 0, quantity: 1 }], [r1]);
    await push(t.db, userId, device.request(device.queue(nine, ten, r1, r2), epoch));
    const figures = (await salesSummaries(t.db, [event.id])).get(event.id);
    const summary = figures?.get(nine.sale.makerId);
    const gross = nine.sale.totalCents + ten.sale.totalCents;
    expect(summary?.salesCount).toBe(2);
    expect(summary?.revenueCents).toBe(gross - r1.refund.totalCents - r2.refund.totalCents);
    expect(summary?.itemCount).toBe(nine.sale.itemCount + ten.sale.itemCount - 2);
  });

  it('a refund reaches the maker’s devices that read refunds; an older app’s pull never meets one (fault 30)', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const sale = device.sale(event.id, [{ product }]);
    const refund = device.refundOf(sale, 'all');
    await push(t.db, userId, device.request(device.queue(sale, refund), epoch));
    const old = await pullAll(t.db, userId, uuidv7());
    expect(old.changes.some((c) => c.entity === 'refund')).toBe(false);
    const page = await handlePull(t.db, userId, {
      protocol: PROTOCOL_VERSION,
      deviceId: uuidv7(),
      cursor: null,
      limit: 1000,
      features: ['refunds', 'something-newer'],
    });
    const got = page.changes.filter((c) => c.entity === 'refund');
    expect(got).toEqual([
      {
        entity: 'refund',
        op: 'upsert',
        data: { refund: refund.refund, movements: refund.movements },
      },
    ]);
  });

  it('[G5] a refund made offline on one device reaches the server and the maker’s other device: both summaries net of it, equal to a recompute, stock given back once', async () => {
    const userId = await createUser(t.db);
    const transport = createInProcessTransport({ db: t.db, userId: () => userId });
    const phone = await TestDevice.create({ transport });
    const tablet = await TestDevice.create({
      transport,
      makerId: phone.makerId,
      store: await new DexieDeviceStore(`refunds-${uuidv7()}`).open(),
    });
    const product = await phone.addProduct({ priceCents: 350 });
    const event = await phone.addEvent();
    await phone.setStock(event.id, product.id, 10);
    const nine = await phone.sell(event.id, [{ product, quantity: 3 }]);
    await phone.sell(event.id, [{ product }]);
    await phone.settle();
    await tablet.settle();
    // The tablet refunds the phone's sale, offline, then syncs; the phone learns of it.
    await tablet.refund(nine.id, [{ position: 0, quantity: 2 }]);
    await tablet.settle();
    await phone.settle();
    for (const device of [phone, tablet]) {
      const summary = await device.store.getSummary(event.id);
      expect(summary.revenueCents).toBe(4 * 350 - 2 * 350);
      expect(summary.refundedCents).toBe(700);
      expect(summary).toEqual(await device.store.recomputeSummary(event.id));
      expect((await device.store.listEventStock(event.id))[0]?.level).toBe(10 - 4 + 2);
      expect(await device.store.listRefunds(nine.id)).toHaveLength(1);
    }
    expect(await level(event.id, product.id)).toBe(8);
    // Pulled again from the beginning: nothing counts twice.
    await phone.store.applyPull({
      ...(await handlePull(t.db, userId, {
        protocol: PROTOCOL_VERSION,
        deviceId: await phone.store.deviceId(),
        cursor: null,
        limit: 1000,
        features: ['refunds'],
      })),
    });
    expect((await phone.store.getSummary(event.id)).revenueCents).toBe(700);
    expect((await phone.store.listEventStock(event.id))[0]?.level).toBe(8);
  });
});
