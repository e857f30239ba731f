/**
 * The cash book part of the DeviceStore contract (CashBookStore, src/lib/domain/cashbook.ts):
 * one book per event and device, never negative, numbered day reports that never change, and
 * every write with its outbox entry in one transaction (G1 of src/lib/sync/SPEC.md). Run
 * against every implementation (dexie-store.spec.ts, memory-store.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { CashBookError } from '$lib/domain/cashbook';
import { uuidv7 } from '$lib/domain/ids';
import type { DeviceStore } from './device-store';
import {
  BASE_TIME,
  EVENT,
  OPTIONS,
  OTHER_EVENT,
  expectGapless,
  expectStoreError,
  marketEvent,
  newSale,
  nextHlc,
  type MakeStore,
} from './contract-fixtures';

async function withEvents(store: DeviceStore) {
  await store.saveEvent(marketEvent(EVENT, '2026-05-16'), nextHlc());
  await store.saveEvent(marketEvent(OTHER_EVENT, '2026-05-17'), nextHlc());
}

function open(eventId = EVENT, openingFloatCents = 5000) {
  return { eventId, makerId: 'maker-1', openingFloatCents, openedAt: BASE_TIME, hlc: nextHlc() };
}

function move(kind: string, amountCents: number, description = 'koffie', eventId = EVENT) {
  return {
    id: uuidv7(),
    eventId,
    kind,
    description,
    amountCents,
    createdAt: BASE_TIME,
    hlc: nextHlc(),
  };
}

function close(
  eventId = EVENT,
  count: { countedCents?: number; pieces?: Record<string, number> } = {},
) {
  return { id: uuidv7(), eventId, closedAt: BASE_TIME + 1, hlc: nextHlc(), ...count };
}

function causeCode(error: { cause?: unknown }): string | undefined {
  return error.cause instanceof CashBookError ? error.cause.code : undefined;
}

export function cashBookStoreContract(name: string, makeStore: MakeStore): void {
  describe(`CashBookStore contract: ${name}`, () => {
    it('opens a day with a float; expected = float + cash sales - cash refunds +/- movements', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      expect((await s.getCashBook(EVENT)).day).toBeUndefined();
      const day = await s.openCashDay(open(EVENT, 5000));
      expect(day).toMatchObject({ eventId: EVENT, openingFloatCents: 5000, makerId: 'maker-1' });
      expect(day.deviceId).toBe(await s.deviceId());
      // A split sale: only its cash part is cash taken.
      await s.recordSale(newSale([{ productId: 'a', priceCents: 1000 }]));
      await s.recordSale(newSale([{ productId: 'b', priceCents: 600 }], { split: true }));
      const refunded = await s.recordSale(newSale([{ productId: 'c', priceCents: 400 }]));
      const voided = await s.recordSale(newSale([{ productId: 'd', priceCents: 9900 }]));
      await s.voidSale({ saleId: voided.id, reason: 'oops', voidedAt: BASE_TIME, hlc: nextHlc() });
      await s.recordRefund({
        id: uuidv7(),
        saleId: refunded.id,
        reason: 'broken',
        createdAt: BASE_TIME,
        hlc: nextHlc(),
        lines: 'all',
      });
      // Another event's sale is not in this day's book.
      await s.recordSale(newSale([{ productId: 'a', priceCents: 777 }], { eventId: OTHER_EVENT }));
      await s.recordCashMovement(move('expense', 250, 'Koffie'));
      await s.recordCashMovement(move('private-deposit', 100, 'Wisselgeld'));
      const book = await s.getCashBook(EVENT);
      expect(book.cashSalesCents).toBe(1000 + 300 + 400);
      expect(book.cashRefundsCents).toBe(400);
      expect(book.expectedCents).toBe(5000 + 1700 - 400 - 250 + 100);
      expect(book.movements.map((m) => m.description)).toEqual(['Koffie', 'Wisselgeld']);
    });

    it('a refund of a split sale goes back card first: the book takes out only the cash handed back', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open(EVENT, 5000));
      // 10.00: 5.00 in cash, 5.00 by card.
      const sale = await s.recordSale(
        newSale(
          [
            { productId: 'a', priceCents: 600 },
            { productId: 'b', priceCents: 400 },
          ],
          { split: true },
        ),
      );
      const refund = (lines: { saleLineId: string; quantity: number }[]) =>
        s.recordRefund({
          id: uuidv7(),
          saleId: sale.id,
          reason: 'broken',
          createdAt: BASE_TIME,
          hlc: nextHlc(),
          lines,
        });
      const [lineA, lineB] = await s.getSaleLines(sale.id);
      if (!lineA || !lineB) throw new Error('no lines');
      // 4.00 back, all by card.
      await refund([{ saleLineId: lineB.id, quantity: 1 }]);
      expect((await s.getCashBook(EVENT)).expectedCents).toBe(5000 + 500);
      // 6.00 back: the card's last 1.00, then 5.00 in cash.
      await refund([{ saleLineId: lineA.id, quantity: 1 }]);
      const book = await s.getCashBook(EVENT);
      expect(book.cashRefundsCents).toBe(500);
      expect(book.expectedCents).toBe(5000 + 500 - 500);
      const kept = await s.listRefunds(sale.id);
      expect(kept.map((r) => [r.totalCents, r.method, r.cashCents])).toEqual([
        [400, 'qr', undefined],
        [600, 'cash', 500],
      ]);
      // What goes to the server says the same.
      const sent = (await s.readOutbox(100)).flatMap((e) =>
        e.mutation.type === 'refund.record' ? [e.mutation.refund.cashCents] : [],
      );
      expect(sent).toEqual([undefined, 500]);
    });

    it('[CB-SUM] the book reads its cash takings from the kept summary: they equal the summary’s and a recount of the sales, after cash, split and card sales, whole and part refunds and a void', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open(EVENT, 5000));
      const deviceId = await s.deviceId();
      const refund = (saleId: string, lines: 'all' | { saleLineId: string; quantity: number }[]) =>
        s.recordRefund({
          id: uuidv7(),
          saleId,
          reason: 'broken',
          createdAt: BASE_TIME,
          hlc: nextHlc(),
          lines,
        });
      const check = async (cashSales: number, cashRefunds: number) => {
        const [book, summary] = await Promise.all([s.getCashBook(EVENT), s.getSummary(EVENT)]);
        const kept = summary.cashByDevice?.[deviceId] ?? { salesCents: 0, refundsCents: 0 };
        expect([book.cashSalesCents, book.cashRefundsCents]).toEqual([cashSales, cashRefunds]);
        expect([kept.salesCents, kept.refundsCents]).toEqual([cashSales, cashRefunds]);
        // The recount the book did before, from every sale and refund of the event.
        const recounted = await s.recomputeSummary(EVENT);
        expect(recounted.cashByDevice).toEqual(summary.cashByDevice);
      };
      await check(0, 0);
      const cash = await s.recordSale(newSale([{ productId: 'a', priceCents: 1000 }]));
      await check(1000, 0);
      // 10.00: 5.00 in cash, 5.00 by card.
      const split = await s.recordSale(
        newSale(
          [
            { productId: 'a', priceCents: 600 },
            { productId: 'b', priceCents: 400 },
          ],
          { split: true },
        ),
      );
      await check(1500, 0);
      const voided = await s.recordSale(newSale([{ productId: 'd', priceCents: 9900 }]));
      await check(11400, 0);
      await s.voidSale({ saleId: voided.id, reason: 'oops', voidedAt: BASE_TIME, hlc: nextHlc() });
      await check(1500, 0);
      await refund(cash.id, 'all');
      await check(1500, 1000);
      const [lineA, lineB] = await s.getSaleLines(split.id);
      if (!lineA || !lineB) throw new Error('no lines');
      // 4.00 back, all by card; then 6.00: the card's last 1.00 and 5.00 in cash.
      await refund(split.id, [{ saleLineId: lineB.id, quantity: 1 }]);
      await check(1500, 1000);
      await refund(split.id, [{ saleLineId: lineA.id, quantity: 1 }]);
      await check(1500, 1500);
      // Another event's cash is not this day's.
      await s.recordSale(newSale([{ productId: 'a', priceCents: 777 }], { eventId: OTHER_EVENT }));
      await check(1500, 1500);
      expect((await s.getCashBook(EVENT)).expectedCents).toBe(5000 + 1500 - 1500);
    });

    it('[settle] a link payment received in cash after all counts in this device’s expected cash; written off, or settled on another phone, it does not', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open(EVENT, 5000));
      const viaLink = (priceCents: number) => {
        const sale = newSale([{ productId: 'a', priceCents }]);
        return {
          ...sale,
          sale: {
            ...sale.sale,
            payments: [
              {
                method: 'qr' as const,
                amountCents: priceCents,
                tenderedCents: null,
                changeCents: null,
                via: 'link' as const,
              },
            ],
          },
        };
      };
      const inCash = viaLink(700);
      const writtenOff = viaLink(300);
      const elsewhere = viaLink(900);
      for (const sale of [inCash, writtenOff, elsewhere]) await s.recordSale(sale);
      expect((await s.getCashBook(EVENT)).cashSalesCents).toBe(0);
      const settle = (saleId: string, outcome: 'received_other_way' | 'written_off') =>
        s.settleLinkPayment({
          id: uuidv7(),
          saleId,
          outcome,
          method: outcome === 'written_off' ? null : 'cash',
          note: null,
          at: BASE_TIME + 86_400_000,
          hlc: nextHlc(),
        });
      await settle(inCash.sale.id, 'received_other_way');
      await settle(writtenOff.sale.id, 'written_off');
      // Another phone of the maker settled this one: its cash is in that phone's drawer.
      const mine = await settle(elsewhere.sale.id, 'received_other_way');
      await s.applyPull({
        changes: [
          {
            entity: 'link_settlement',
            op: 'upsert',
            data: { ...mine, id: uuidv7(), deviceId: uuidv7() },
          },
        ],
        cursor: '9.1',
        epoch: 'e1',
      });
      const book = await s.getCashBook(EVENT);
      expect(book.cashSalesCents).toBe(700);
      expect(book.expectedCents).toBe(5000 + 700);
    });

    it('a day is opened once per device; an unknown event is not found; a bad float is refused', async () => {
      const h = await makeStore(OPTIONS);
      await withEvents(h.store);
      await expectStoreError(h.store.openCashDay(open('nope')), 'not-found');
      for (const bad of [-1, 1.5, 100_000_001, 2 ** 53]) {
        const e = await expectStoreError(h.store.openCashDay(open(EVENT, bad)), 'invalid');
        expect(causeCode(e)).toBe('bad-float');
      }
      await h.store.openCashDay(open());
      await expectStoreError(h.store.openCashDay(open()), 'invalid');
      expect(
        (await h.store.readOutbox(100)).filter((e) => e.mutation.type === 'cashbook.open'),
      ).toHaveLength(1);
    });

    it('refuses a movement that would take the book below zero, and writes nothing', async () => {
      const h = await makeStore(OPTIONS);
      await withEvents(h.store);
      await h.store.openCashDay(open(EVENT, 1000));
      await h.store.recordCashMovement(move('expense', 600));
      const before = await h.store.readOutbox(100);
      const e = await expectStoreError(
        h.store.recordCashMovement(move('private-withdrawal', 401)),
        'invalid',
      );
      expect(causeCode(e)).toBe('negative');
      expect(await h.store.readOutbox(100)).toEqual(before);
      await h.store.recordCashMovement(move('bank-deposit', 400));
      expect((await h.store.getCashBook(EVENT)).expectedCents).toBe(0);
    });

    it('refuses bad input with the field named: kind, description (NUL, lone surrogate, too long), amount', async () => {
      const h = await makeStore(OPTIONS);
      await withEvents(h.store);
      await h.store.openCashDay(open(EVENT, 1000));
      const pending = await h.store.pendingCount();
      const cases: [ReturnType<typeof move>, string][] = [
        [move('gift', 1), 'bad-kind'],
        [move('expense', 1, 'a\u0000b'), 'unsafe-text'],
        [move('expense', 1, '\ud800'), 'unsafe-text'],
        [move('expense', 1, 'x'.repeat(201)), 'description-too-long'],
        [move('expense', 1, '  '), 'description-required'],
        [move('expense', 0), 'bad-amount'],
        [move('expense', -5), 'bad-amount'],
        [move('private-deposit', 2 ** 31 + 0.5), 'bad-amount'],
        [move('private-deposit', 2 ** 53), 'bad-amount'],
      ];
      for (const [request, code] of cases) {
        const e = await expectStoreError(h.store.recordCashMovement(request), 'invalid');
        expect(causeCode(e)).toBe(code);
      }
      expect(await h.store.pendingCount()).toBe(pending);
      expect((await h.store.getCashBook(EVENT)).movements).toEqual([]);
    });

    it('a movement needs an open day; a movement id is used once', async () => {
      const h = await makeStore(OPTIONS);
      await withEvents(h.store);
      await expectStoreError(h.store.recordCashMovement(move('private-deposit', 100)), 'not-found');
      await h.store.openCashDay(open());
      const m = move('private-deposit', 100);
      await h.store.recordCashMovement(m);
      await expectStoreError(h.store.recordCashMovement({ ...m, hlc: nextHlc() }), 'invalid');
    });

    it('closing makes report 1, 2, 3 on this device, with the count by notes and coins and the difference', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open(EVENT, 5000));
      await s.recordSale(newSale([{ productId: 'a', priceCents: 1000 }]));
      await s.recordCashMovement(move('expense', 250, 'Koffie'));
      const report = await s.closeCashDay(
        close(EVENT, { pieces: { '2000': 2, '1000': 1, '500': 1, '200': 1, '20': 1, '10': 1 } }),
      );
      expect(report).toMatchObject({
        number: 1,
        eventId: EVENT,
        openingFloatCents: 5000,
        cashSalesCents: 1000,
        cashRefundsCents: 0,
        expectedCents: 5750,
        countedCents: 5730,
        differenceCents: -20,
        pieces: { '2000': 2, '1000': 1, '500': 1, '200': 1, '20': 1, '10': 1 },
      });
      expect(report.movements.map((m) => m.description)).toEqual(['Koffie']);
      const reopened = await h.reopen();
      await reopened.openCashDay(open(OTHER_EVENT, 0));
      const second = await reopened.closeCashDay(close(OTHER_EVENT, { countedCents: 0 }));
      expect(second.number).toBe(2);
      expect(second.differenceCents).toBe(0);
      expect((await reopened.listCashReports()).map((r) => r.number)).toEqual([1, 2]);
      expect((await reopened.listCashReports(EVENT)).map((r) => r.id)).toEqual([report.id]);
      const book = await reopened.getCashBook(EVENT);
      expect(book.report).toEqual(report);
      expect(book.expectedCents).toBe(5750);
      const types = (await reopened.readOutbox(100)).map((e) => e.mutation.type);
      expect(types.filter((t) => t.startsWith('cashbook.'))).toEqual([
        'cashbook.open',
        'cashbook.movement',
        'cashbook.close',
        'cashbook.open',
        'cashbook.close',
      ]);
      expectGapless(await reopened.readOutbox(100));
    });

    it('a closed day never changes: no movement, no second close; a sale after close leaves the report as it was', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open());
      const report = await s.closeCashDay(close(EVENT, { countedCents: 5000 }));
      const e = await expectStoreError(s.recordCashMovement(move('expense', 1)), 'invalid');
      expect(causeCode(e)).toBe('closed');
      await expectStoreError(s.closeCashDay(close(EVENT, { countedCents: 1 })), 'invalid');
      await s.recordSale(newSale([{ productId: 'a' }]));
      expect((await s.getCashBook(EVENT)).report).toEqual(report);
      expect(await s.listCashReports()).toEqual([report]);
    });

    it('a correction is a new movement on a later day naming the report; an unknown report is refused', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open(EVENT, 1000));
      const report = await s.closeCashDay(close(EVENT, { countedCents: 1000 }));
      await s.openCashDay(open(OTHER_EVENT, 1000));
      const fix = await s.recordCashMovement({
        ...move('expense', 300, 'Correctie: parkeren vergeten', OTHER_EVENT),
        correctsReportId: report.id,
      });
      expect(fix.correctsReportId).toBe(report.id);
      await expectStoreError(
        s.recordCashMovement({ ...move('expense', 1, 'x', OTHER_EVENT), correctsReportId: 'nope' }),
        'invalid',
      );
    });

    it('a bad count is refused and the report number is not consumed', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open());
      const counts: { countedCents?: number; pieces?: Record<string, number> }[] = [
        { countedCents: -1 },
        { pieces: { '300': 1 } },
        { pieces: { '500': -1 } },
        { countedCents: 10, pieces: { '5': 1 } },
        {},
      ];
      for (const count of counts) {
        await expectStoreError(s.closeCashDay(close(EVENT, count)), 'invalid');
      }
      expect((await s.closeCashDay(close(EVENT, { countedCents: 0 }))).number).toBe(1);
    });

    it('[G1] a failed write leaves nothing: no day, no movement, no report, no number, no outbox entry', async () => {
      const h = await makeStore(OPTIONS);
      await withEvents(h.store);
      h.failNextWrite(new Error('boom'));
      await expectStoreError(h.store.openCashDay(open()), 'unknown');
      expect((await h.store.getCashBook(EVENT)).day).toBeUndefined();
      await h.store.openCashDay(open());
      const pending = await h.store.pendingCount();
      h.failNextWrite(new Error('boom'));
      await expectStoreError(h.store.recordCashMovement(move('private-deposit', 5)), 'unknown');
      h.failNextWrite(new DOMException('full', 'QuotaExceededError'));
      await expectStoreError(h.store.closeCashDay(close(EVENT, { countedCents: 1 })), 'quota');
      expect(await h.store.pendingCount()).toBe(pending);
      const book = await h.store.getCashBook(EVENT);
      expect(book.movements).toEqual([]);
      expect(book.report).toBeUndefined();
      expect((await h.store.closeCashDay(close(EVENT, { countedCents: 1 }))).number).toBe(1);
    });

    it('a second device sees the book: pulled days, movements and reports of another device are kept; its own are never replaced', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open());
      const own = await s.closeCashDay(close(EVENT, { countedCents: 5000 }));
      const other = 'device-other';
      const ownDay = (await s.getCashBook(EVENT)).day;
      if (!ownDay) throw new Error('the day is open');
      const otherDay = { ...ownDay, id: `${EVENT}:${other}`, deviceId: other };
      const otherMove = {
        ...move('expense', 100, 'Tape'),
        kind: 'expense' as const,
        makerId: 'maker-1',
        deviceId: other,
        correctsReportId: null,
      };
      const otherReport = { ...own, id: uuidv7(), deviceId: other, movements: [otherMove] };
      const tampered = { ...own, countedCents: 1, differenceCents: -4999 };
      await s.applyPull({
        changes: [
          { entity: 'cash_day', op: 'upsert', data: otherDay },
          { entity: 'cash_movement', op: 'upsert', data: otherMove },
          { entity: 'cash_report', op: 'upsert', data: otherReport },
          { entity: 'cash_report', op: 'upsert', data: tampered },
        ],
        cursor: '1.1',
        epoch: 'e1',
      });
      const reports = await s.listCashReports(EVENT);
      expect(reports).toHaveLength(2);
      expect(reports.find((r) => r.id === own.id)).toEqual(own);
      expect(reports.find((r) => r.id === otherReport.id)).toEqual(otherReport);
      // This device's own book is still its own.
      expect((await s.getCashBook(EVENT)).report).toEqual(own);
    });

    it('an epoch change re-pushes the device’s own cash book in the order it was made', async () => {
      const h = await makeStore(OPTIONS);
      const s = h.store;
      await withEvents(s);
      await s.openCashDay(open());
      await s.recordCashMovement(move('private-deposit', 100));
      await s.closeCashDay(close(EVENT, { countedCents: 5100 }));
      const entries = await s.readOutbox(100);
      await s.acknowledge(entries.length);
      await s.rebaseOutbox(entries.length + 1, 'e2');
      const types = (await s.readOutbox(100)).map((e) => e.mutation.type);
      expect(types.filter((t) => t.startsWith('cashbook.'))).toEqual([
        'cashbook.open',
        'cashbook.movement',
        'cashbook.close',
      ]);
    });
  });
}
