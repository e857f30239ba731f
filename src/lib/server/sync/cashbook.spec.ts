// The cash book through sync (src/lib/sync/SPEC.md "Cash book"), against PGlite and (with
// TEST_DATABASE_URL) PostgreSQL: a day opened, its movements and its numbered report are
// stored once, only for the maker's own events and reports, a report never changes, a bad
// mutation is stored rejected with its reason and the queue goes on [G7], and the book
// reaches the maker's other devices that read it.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { cashDays, cashMovements, cashReports } from '$lib/server/db/schema';
import { RawDevice } from '$lib/sync/testing/factories';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { handlePull } from './pull';
import { count, createUser, pullAll, push, stateHash } from './testing';

describe.each(testDbKinds())('the cash book on %s', (kind) => {
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
    const event = device.event();
    const first = await push(
      t.db,
      userId,
      device.request(device.queue(device.eventUpsert(event), device.productUpsert(product))),
    );
    return { userId, device, product, event, epoch: first.epoch };
  }

  it('[G2] a day opened, its movements and its report are stored once; pushed again they are duplicates', async () => {
    const { userId, device, product, event, epoch } = await maker();
    const open = device.cashOpen(event.id, 5000);
    const sale = device.sale(event.id, [{ product, quantity: 2 }]);
    const coffee = device.cashMove(event.id, 'expense', 250, 'Koffie');
    const own = device.cashMove(event.id, 'private-withdrawal', 1000, 'Privé');
    const close = device.cashClose(open, 1, {
      cashSalesCents: 700,
      movements: [coffee, own],
      pieces: { '2000': 2, '50': 1 },
    });
    const batch = device.queue(open, sale, coffee, own, close);
    const answer = await push(t.db, userId, device.request(batch, epoch));
    expect(answer.results.map((r) => [r.status, r.reason ?? ''])).toEqual(
      batch.map(() => ['applied', '']),
    );
    const [report] = await t.db
      .select()
      .from(cashReports)
      .where(eq(cashReports.id, close.report.id));
    expect(report).toMatchObject({
      number: 1,
      openingFloatCents: 5000,
      cashSalesCents: 700,
      expectedCents: 5000 + 700 - 250 - 1000,
      countedCents: 4050,
      differenceCents: 4050 - 4450,
      pieces: { '2000': 2, '50': 1 },
    });
    expect(report?.movements.map((m) => m.id)).toEqual([coffee.movement.id, own.movement.id]);
    expect(
      await t.db.select().from(cashMovements).where(eq(cashMovements.eventId, event.id)),
    ).toHaveLength(2);
    expect(await t.db.select().from(cashDays).where(eq(cashDays.eventId, event.id))).toHaveLength(
      1,
    );
    const before = await stateHash(t.db);
    const again = await push(t.db, userId, device.request(batch, epoch));
    expect(again.results.map((r) => r.status)).toEqual(batch.map(() => 'duplicate'));
    expect(await stateHash(t.db)).toBe(before);
    // Queued again under new numbers (a lost acknowledgement): still duplicates, nothing twice.
    const renumbered = await push(
      t.db,
      userId,
      device.request(device.queue(open, coffee, close), epoch),
    );
    expect(renumbered.results.map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await count(t.db, 'cash_reports', `event_id = '${event.id}'`)).toBe(1);
    expect(await count(t.db, 'cash_movements', `event_id = '${event.id}'`)).toBe(2);
  });

  it('[G7] cash book mutations that are not the maker’s, or do not add up, are stored rejected with a reason and the queue goes on', async () => {
    const a = await maker();
    const b = await maker();
    const openB = b.device.cashOpen(b.event.id, 1000);
    const closeB = b.device.cashClose(openB, 1, { countedCents: 1000 });
    await push(t.db, b.userId, b.device.request(b.device.queue(openB, closeB), b.epoch));

    const { userId, device, event, epoch } = a;
    const beforeOpen = device.cashMove(event.id, 'private-deposit', 100);
    // Another maker's event (ids are not secrets).
    const foreignOpen = device.cashOpen(b.event.id, 0);
    const open = device.cashOpen(event.id, 1000);
    // Another device's book, pushed from this device.
    const notMine = device.cashMove(event.id, 'expense', 10);
    notMine.movement.deviceId = uuidv7();
    // A correction naming another maker's report.
    const fixOfB = device.cashMove(event.id, 'expense', 10, 'Correctie', closeB.report.id);
    const fine = device.cashMove(event.id, 'expense', 100);
    const wrongSum = device.cashClose(open, 1, { movements: [fine], countedCents: 900 });
    wrongSum.report.expectedCents += 1;
    const wrongMoves = device.cashClose(open, 1, { movements: [], countedCents: 1000 });
    const wrongCount = device.cashClose(open, 1, {
      movements: [fine],
      pieces: { '500': 1 },
    });
    wrongCount.report.countedCents = 900;
    const close = device.cashClose(open, 1, { movements: [fine], countedCents: 900 });
    const afterClose = device.cashMove(event.id, 'expense', 1);
    const secondClose = device.cashClose(open, 2, { movements: [fine], countedCents: 900 });
    // A report id already used by another maker's report.
    const stolenId = device.cashClose(open, 3, { movements: [fine], countedCents: 900 });
    stolenId.report.id = closeB.report.id;
    const next = device.eventUpsert(event);
    const batch = device.queue(
      beforeOpen,
      foreignOpen,
      open,
      notMine,
      fixOfB,
      fine,
      wrongSum,
      wrongMoves,
      wrongCount,
      close,
      afterClose,
      secondClose,
      stolenId,
      next,
    );
    const answer = await push(t.db, userId, device.request(batch, epoch));
    expect(answer.results.map((r) => [r.status, r.reason ?? ''])).toEqual([
      ['rejected', 'the cash book of this day is not open'],
      ['rejected', 'the event is not one of this maker’s events'],
      ['applied', ''],
      ['rejected', 'a cash movement belongs to the device that made it'],
      ['rejected', 'the corrected report is not one of this maker’s reports'],
      ['applied', ''],
      ['rejected', 'the report’s expected cash does not add up'],
      ['rejected', 'the report’s movements are not the book’s'],
      ['rejected', 'the report’s count does not match its notes and coins'],
      ['applied', ''],
      ['rejected', 'the day was closed: a correction goes in a later day'],
      ['rejected', 'the day was closed before'],
      ['rejected', 'the report id is used by another report'],
      ['applied', ''],
    ]);
    expect(await count(t.db, 'cash_reports', `maker_id = '${device.makerId}'`)).toBe(1);
    expect(await count(t.db, 'cash_reports', `id = '${closeB.report.id}'`)).toBe(1);
    const [kept] = await t.db
      .select()
      .from(cashReports)
      .where(eq(cashReports.id, closeB.report.id));
    expect(kept?.makerId).not.toBe(device.makerId);
  });

  it('a correction is a movement in a later day naming the maker’s own report', async () => {
    const { userId, device, event, epoch } = await maker();
    const later = device.event();
    const open = device.cashOpen(event.id, 1000);
    const close = device.cashClose(open, 1, { countedCents: 1000 });
    const openLater = device.cashOpen(later.id, 1000);
    const fix = device.cashMove(later.id, 'expense', 300, 'Correctie rapport 1', close.report.id);
    const answer = await push(
      t.db,
      userId,
      device.request(device.queue(open, close, device.eventUpsert(later), openLater, fix), epoch),
    );
    expect(answer.results.map((r) => r.status)).toEqual(Array(5).fill('applied'));
    const [row] = await t.db
      .select()
      .from(cashMovements)
      .where(eq(cashMovements.id, fix.movement.id));
    expect(row?.correctsReportId).toBe(close.report.id);
  });

  it('the book reaches the maker’s devices that read it; an older app’s pull never meets it', async () => {
    const { userId, device, event, epoch } = await maker();
    const open = device.cashOpen(event.id, 2000);
    const move = device.cashMove(event.id, 'bank-withdrawal', 500, 'Wisselgeld');
    const close = device.cashClose(open, 1, { movements: [move], countedCents: 2500 });
    await push(t.db, userId, device.request(device.queue(open, move, close), epoch));
    const old = await pullAll(t.db, userId, uuidv7());
    expect(old.changes.some((c) => c.entity.startsWith('cash_'))).toBe(false);
    const page = await handlePull(t.db, userId, {
      protocol: PROTOCOL_VERSION,
      deviceId: uuidv7(),
      cursor: null,
      limit: 1000,
      features: ['refunds', 'cashbook'],
    });
    const got = page.changes.filter((c) => c.entity.startsWith('cash_'));
    expect(got).toEqual([
      { entity: 'cash_day', op: 'upsert', data: open.day },
      { entity: 'cash_movement', op: 'upsert', data: move.movement },
      { entity: 'cash_report', op: 'upsert', data: close.report },
    ]);
    // Another account never sees it.
    const stranger = await createUser(t.db);
    const theirs = await handlePull(t.db, stranger, {
      protocol: PROTOCOL_VERSION,
      deviceId: uuidv7(),
      cursor: null,
      limit: 1000,
      features: ['cashbook'],
    });
    expect(theirs.changes.some((c) => c.entity.startsWith('cash_'))).toBe(false);
  });
});
