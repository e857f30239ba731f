/**
 * The sales-and-books part of the DeviceStore contract (SalesStore): receipt numbers, sales,
 * voids, the event summary, and that every write is one transaction (G1 of
 * src/lib/sync/SPEC.md). Run against every implementation (dexie-store.spec.ts,
 * memory-store.spec.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import type { RefundRequest } from '$lib/domain/refund';
import type { VatRate } from '$lib/domain/types';
import {
  BASE_TIME,
  EVENT,
  OPTIONS,
  OTHER_EVENT,
  expectGapless,
  expectStockInvariant,
  expectStoreError,
  marketEvent,
  newSale,
  nextHlc,
  product,
  snapshot,
  voidRequest,
  type MakeStore,
} from './contract-fixtures';

export function salesStoreContract(name: string, makeStore: MakeStore): void {
  describe(`SalesStore contract: ${name}`, () => {
    describe('the saved cart', () => {
      it('keeps each tab’s cart as last saved, across a reopen, until it is forgotten', async () => {
        const h = await makeStore(OPTIONS);
        expect(await h.store.listSavedCarts()).toEqual([]);
        const line = {
          productId: 'a',
          name: 'Brood',
          unitPriceCents: 350,
          vatRate: 9 as VatRate,
          quantity: 2,
          discount: { kind: 'none' as const },
        };
        const saved = {
          eventId: EVENT,
          cart: { lines: [line], cartDiscount: { kind: 'none' as const } },
          pendingSaleId: null,
          savedAt: 1,
          tabId: 'tab-1',
        };
        await h.store.saveCart(saved);
        const later = { ...saved, pendingSaleId: 'sale-1', savedAt: 2 };
        await h.store.saveCart(later);
        const otherTab = { ...saved, tabId: 'tab-2', savedAt: 3 };
        await h.store.saveCart(otherTab);
        const reopened = await h.reopen();
        // Newest first; one per tab.
        expect(await reopened.listSavedCarts()).toEqual([otherTab, later]);
        await reopened.forgetCart('tab-1');
        expect(await reopened.listSavedCarts()).toEqual([otherTab]);
        // A tab taking over the cart of a tab that is gone: one row, never two, never none.
        const taken = { ...otherTab, tabId: 'tab-3', savedAt: 4 };
        await reopened.saveCart(taken, 'tab-2');
        expect(await reopened.listSavedCarts()).toEqual([taken]);
      });
    });

    describe('receipt numbers', () => {
      it('are sequential from 1 and survive reopening', async () => {
        const h = await makeStore(OPTIONS);
        const numbers: number[] = [];
        for (let i = 0; i < 4; i++)
          numbers.push((await h.store.recordSale(newSale([{ productId: 'a' }]))).receiptNumber);
        const reopened = await h.reopen();
        for (let i = 0; i < 2; i++)
          numbers.push((await reopened.recordSale(newSale([{ productId: 'a' }]))).receiptNumber);
        expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
        expect((await reopened.lastSale(EVENT))?.receiptNumber).toBe(6);
      });

      it('are never reused after a void: the void keeps its number', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.recordSale(newSale([{ productId: 'a' }]));
        const second = await store.recordSale(newSale([{ productId: 'a' }]));
        const voided = await store.voidSale(voidRequest(second.id));
        expect(voided.receiptNumber).toBe(2);
        expect(voided.status).toBe('voided');
        expect(voided.voidReason).toBe('wrong item');
        const third = await store.recordSale(newSale([{ productId: 'a' }]));
        expect(third.receiptNumber).toBe(3);
        expect((await store.getSale(second.id))?.receiptNumber).toBe(2);
      });

      it('fills in the device id and returns what getSale and getSaleLines read back', async () => {
        const { store } = await makeStore(OPTIONS);
        const input = newSale([{ productId: 'a', quantity: 2 }, { productId: 'b' }]);
        const sale = await store.recordSale(input);
        expect(sale.deviceId).toBe(await store.deviceId());
        expect(await store.getSale(sale.id)).toEqual(sale);
        expect(await store.getSaleLines(sale.id)).toEqual(input.lines);
        expect(await store.getSaleLines('nope')).toEqual([]);
      });
    });

    describe('[G1] one transaction: all or nothing', () => {
      it('[G1] sale, lines, movements, summary and outbox in one transaction — all or nothing', async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.recordSale(
          newSale([{ productId: 'a', quantity: 2 }], { stocked: new Set(['a']) }),
        );
        const before = await snapshot(store);

        const failing = newSale([{ productId: 'a', quantity: 3 }, { productId: 'b' }], {
          stocked: new Set(['a']),
        });
        h.failNextWrite(new Error('the disk fell over'));
        await expectStoreError(store.recordSale(failing), 'unknown');

        expect(await snapshot(store)).toEqual(before);
        expect(await store.getSale(failing.sale.id)).toBeUndefined();
        expect(await store.getSaleLines(failing.sale.id)).toEqual([]);

        // The receipt number the failed sale would have had was not consumed.
        const retried = await store.recordSale(failing);
        expect(retried.receiptNumber).toBe(2);
        const outbox = await store.readOutbox(100);
        expectGapless(outbox);
        expect(outbox.map((e) => e.mutation.type)).toEqual([
          'stock.movement',
          'sale.record',
          'sale.record',
        ]);
      });

      it('[G1] a failed void changes nothing: the sale stays completed, stock and summary as they were', async () => {
        const h = await makeStore(OPTIONS);
        await h.store.setOpeningStock(EVENT, 'a', 5, nextHlc());
        const sale = await h.store.recordSale(
          newSale([{ productId: 'a' }], { stocked: new Set(['a']) }),
        );
        const before = await snapshot(h.store);
        h.failNextWrite(new Error('boom'));
        await expectStoreError(h.store.voidSale(voidRequest(sale.id)), 'unknown');
        expect(await snapshot(h.store)).toEqual(before);
        expect((await h.store.getSale(sale.id))?.status).toBe('completed');
        await h.store.voidSale(voidRequest(sale.id));
        expect((await h.store.listEventStock(EVENT))[0]?.level).toBe(5);
      });

      it('[G1] a full device (quota) is a StoreError "quota" and nothing is written', async () => {
        const h = await makeStore(OPTIONS);
        await h.store.recordSale(newSale([{ productId: 'a' }]));
        const before = await snapshot(h.store);
        const input = newSale([{ productId: 'a' }]);
        h.failNextWrite(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
        const error = await expectStoreError(h.store.recordSale(input), 'quota');
        expect(error.message).toMatch(/full/);
        expect(await snapshot(h.store)).toEqual(before);
        expect((await h.store.recordSale(input)).receiptNumber).toBe(2);
      });

      it('[G1] failed product and event saves leave no row and no outbox entry', async () => {
        const h = await makeStore(OPTIONS);
        h.failNextWrite(new DOMException('full', 'QuotaExceededError'));
        await expectStoreError(h.store.saveProduct(product('a'), nextHlc()), 'quota');
        h.failNextWrite(new Error('boom'));
        await expectStoreError(
          h.store.saveEvent(marketEvent('e', '2026-05-16'), nextHlc()),
          'unknown',
        );
        expect(await h.store.getProduct('a')).toBeUndefined();
        expect(await h.store.getEvent('e')).toBeUndefined();
        expect(await h.store.pendingCount()).toBe(0);
        await h.store.saveProduct(product('a'), nextHlc());
        expect((await h.store.readOutbox(10)).map((e) => e.seq)).toEqual([1]);
      });

      it('rejects a sale that is not completed, has no lines or foreign rows, and writes nothing', async () => {
        const { store } = await makeStore(OPTIONS);
        const good = newSale([{ productId: 'a' }], { stocked: new Set(['a']) });
        await expectStoreError(
          store.recordSale({ ...good, sale: { ...good.sale, status: 'voided' } }),
          'invalid',
        );
        await expectStoreError(store.recordSale({ ...good, lines: [] }), 'invalid');
        await expectStoreError(
          store.recordSale({ ...good, lines: good.lines.map((l) => ({ ...l, saleId: 'other' })) }),
          'invalid',
        );
        await expectStoreError(
          store.recordSale({
            ...good,
            movements: good.movements.map((m) => ({ ...m, eventId: OTHER_EVENT })),
          }),
          'invalid',
        );
        expect(await store.pendingCount()).toBe(0);
        expect((await store.recordSale(good)).receiptNumber).toBe(1);
      });

      it('recording the same sale twice is refused and does not consume a number', async () => {
        const { store } = await makeStore(OPTIONS);
        const input = newSale([{ productId: 'a' }]);
        await store.recordSale(input);
        await expectStoreError(store.recordSale(input), 'invalid');
        expect((await store.recordSale(newSale([{ productId: 'a' }]))).receiptNumber).toBe(2);
        expect(await store.pendingCount()).toBe(2);
        expect((await store.getSummary(EVENT)).salesCount).toBe(2);
      });
    });

    describe('refunds', () => {
      let refundCount = 0;
      const refundRequest = (
        saleId: string,
        lines: RefundRequest['lines'],
        reason = 'Kapot thuisgekomen',
      ): RefundRequest => {
        refundCount += 1;
        return {
          id: uuidv7(),
          saleId,
          reason,
          createdAt: BASE_TIME + 7_200_000 + refundCount,
          hlc: nextHlc(),
          lines,
        };
      };

      it('refunds one line of an older sale, offline: its own record, stock back, summary net, queued in the same write; the sale unchanged', async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        const stocked = new Set(['a']);
        const nine = await store.recordSale(
          newSale(
            [
              { productId: 'a', quantity: 2 },
              { productId: 'b', priceCents: 400 },
            ],
            {
              stocked,
            },
          ),
        );
        await store.recordSale(newSale([{ productId: 'a' }], { stocked }));
        const before = await store.getSummary(EVENT);
        const lines = await store.getSaleLines(nine.id);
        const request = refundRequest(nine.id, [{ saleLineId: lines[0]!.id, quantity: 1 }]);
        const refund = await store.recordRefund(request);
        expect(refund).toMatchObject({
          id: request.id,
          saleId: nine.id,
          totalCents: 250,
          itemCount: 1,
          deviceId: await store.deviceId(),
        });
        expect(await store.getSale(nine.id)).toEqual(nine);
        const after = await store.getSummary(EVENT);
        expect(after.revenueCents).toBe(before.revenueCents - 250);
        expect(after.salesCount).toBe(before.salesCount);
        expect(after.refundCount).toBe(1);
        expect(after.refundedCents).toBe(250);
        expect(after).toEqual(await store.recomputeSummary(EVENT));
        expect((await store.listEventStock(EVENT))[0]?.level).toBe(10 - 3 + 1);
        expectStockInvariant(
          await store.listEventStock(EVENT),
          await store.listStockMovements(EVENT),
        );
        const last = (await store.readOutbox(10)).at(-1);
        expect(last?.mutation).toEqual({
          type: 'refund.record',
          refund,
          movements: [
            expect.objectContaining({ productId: 'a', kind: 'refund', delta: 1, saleId: nine.id }),
          ],
        });
        expect(await store.lastHlc()).toBe(request.hlc);
        const reopened = await h.reopen();
        expect(await reopened.listRefunds(nine.id)).toEqual([refund]);
      });

      it('listSummaries gives every event’s aggregate as kept with each sale, refund and void: months net of refunds, equal to a recount', async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        expect(await store.listSummaries()).toEqual([]);
        const kept = await store.recordSale(newSale([{ productId: 'a', quantity: 2 }]));
        const voided = await store.recordSale(newSale([{ productId: 'b' }]));
        const elsewhere = await store.recordSale(
          newSale([{ productId: 'a' }], {
            eventId: OTHER_EVENT,
            // 23:30 on 31 December in Amsterdam: December's, not January's.
            createdAt: Date.UTC(2026, 11, 31, 22, 30),
          }),
        );
        const lines = await store.getSaleLines(kept.id);
        const refund = await store.recordRefund(
          refundRequest(kept.id, [{ saleLineId: lines[0]!.id, quantity: 1 }]),
        );
        await store.voidSale(voidRequest(voided.id));
        const reopened = await h.reopen();
        const all = (await reopened.listSummaries()).sort((a, b) =>
          a.eventId < b.eventId ? -1 : 1,
        );
        expect(all.map((s) => s.eventId)).toEqual([EVENT, OTHER_EVENT]);
        expect(all[0]).toEqual(await reopened.getSummary(EVENT));
        expect(all[0]).toEqual(await reopened.recomputeSummary(EVENT));
        expect(all[0]!.byMonth).toEqual({
          '2026-05': { count: 1, cents: kept.totalCents - refund.totalCents },
        });
        expect(all[1]!.byMonth).toEqual({
          '2026-12': { count: 1, cents: elsewhere.totalCents },
        });
        expect(all[1]).toEqual(await reopened.recomputeSummary(OTHER_EVENT));
      });

      it('refuses more than remains, a voided sale, an unknown sale, no reason, bad quantities and the same refund twice; nothing is written', async () => {
        const { store } = await makeStore(OPTIONS);
        const sale = await store.recordSale(newSale([{ productId: 'a', quantity: 2 }]));
        const [line] = await store.getSaleLines(sale.id);
        const one = (quantity: number) => [{ saleLineId: line!.id, quantity }];
        const first = refundRequest(sale.id, one(1));
        await store.recordRefund(first);
        const state = await snapshot(store);
        await expectStoreError(store.recordRefund(refundRequest(sale.id, one(2))), 'invalid');
        await expectStoreError(store.recordRefund(first), 'invalid');
        await expectStoreError(
          store.recordRefund(refundRequest('no-such-sale', 'all')),
          'not-found',
        );
        await expectStoreError(store.recordRefund(refundRequest(sale.id, 'all', ' ')), 'invalid');
        for (const bad of [0, -1, 2 ** 31, 2 ** 53]) {
          await expectStoreError(store.recordRefund(refundRequest(sale.id, one(bad))), 'invalid');
        }
        await expectStoreError(
          store.recordRefund(refundRequest(sale.id, [...one(1), ...one(1)])),
          'invalid',
        );
        // A sale with refunds cannot be voided (the void would give back the whole sale).
        await expectStoreError(store.voidSale(voidRequest(sale.id)), 'invalid');
        expect(await snapshot(store)).toEqual(state);
        await store.recordRefund(refundRequest(sale.id, 'all'));
        await expectStoreError(store.recordRefund(refundRequest(sale.id, 'all')), 'invalid');
        const other = await store.recordSale(newSale([{ productId: 'a' }]));
        await store.voidSale(voidRequest(other.id));
        await expectStoreError(store.recordRefund(refundRequest(other.id, 'all')), 'invalid');
        expect((await store.getSummary(EVENT)).revenueCents).toBe(0);
        expect(await store.getSummary(EVENT)).toEqual(await store.recomputeSummary(EVENT));
      });

      it('[G1] a refund whose write fails leaves nothing behind', async () => {
        const h = await makeStore(OPTIONS);
        await h.store.setOpeningStock(EVENT, 'a', 5, nextHlc());
        const sale = await h.store.recordSale(
          newSale([{ productId: 'a' }], { stocked: new Set(['a']) }),
        );
        const state = await snapshot(h.store);
        h.failNextWrite(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
        await expectStoreError(h.store.recordRefund(refundRequest(sale.id, 'all')), 'quota');
        expect(await snapshot(h.store)).toEqual(state);
        expect(await h.store.listRefunds(sale.id)).toEqual([]);
      });
    });

    describe('voids', () => {
      it('voiding an already voided sale is "invalid", an unknown sale "not-found", no reason "invalid"', async () => {
        const { store } = await makeStore(OPTIONS);
        const sale = await store.recordSale(newSale([{ productId: 'a' }]));
        await expectStoreError(store.voidSale(voidRequest(sale.id, '   ')), 'invalid');
        await store.voidSale(voidRequest(sale.id));
        const pending = await store.pendingCount();
        await expectStoreError(store.voidSale(voidRequest(sale.id)), 'invalid');
        await expectStoreError(store.voidSale(voidRequest('no-such-sale')), 'not-found');
        expect(await store.pendingCount()).toBe(pending);
        expect((await store.getSummary(EVENT)).voidCount).toBe(1);
      });

      it('queues the void with the movements that reverse the sale', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        const sale = await store.recordSale(
          newSale([{ productId: 'a', quantity: 3 }, { productId: 'b' }], {
            stocked: new Set(['a']),
          }),
        );
        const request = voidRequest(sale.id, '  customer changed mind ');
        await store.voidSale(request);
        const last = (await store.readOutbox(10)).at(-1);
        expect(last?.mutation).toEqual({
          type: 'sale.void',
          saleId: sale.id,
          reason: 'customer changed mind',
          voidedAt: request.voidedAt,
          hlc: request.hlc,
          movements: [
            expect.objectContaining({ productId: 'a', kind: 'void', delta: 3, saleId: sale.id }),
          ],
        });
        expect((await store.getSale(sale.id))?.voidReason).toBe('customer changed mind');
        expect((await store.listEventStock(EVENT))[0]?.level).toBe(10);
      });
    });

    describe('reading for the exports', () => {
      it("[EXP10] lists an event's sales, lines and refunds, or a time range's, with the sales its refunds are of", async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        const at = (hours: number) => BASE_TIME + hours * 3_600_000;
        const early = await store.recordSale(
          newSale([{ productId: 'a', quantity: 2 }], { createdAt: at(0) }),
        );
        const inside = await store.recordSale(
          newSale([{ productId: 'b' }, { productId: 'c' }], { createdAt: at(5) }),
        );
        const other = await store.recordSale(
          newSale([{ productId: 'd' }], { eventId: OTHER_EVENT, createdAt: at(6) }),
        );
        const [earlyLine] = await store.getSaleLines(early.id);
        const refund = await store.recordRefund({
          id: uuidv7(),
          saleId: early.id,
          reason: 'Terug',
          createdAt: at(5),
          hlc: nextHlc(),
          lines: [{ saleLineId: earlyLine!.id, quantity: 1 }],
        });
        const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

        const event = await store.listForExport({ eventId: EVENT });
        expect(ids(event.sales)).toEqual(ids([early, inside]));
        expect(event.lines).toHaveLength(3);
        expect(event.refunds).toEqual([refund]);
        expect(event.refundedSales).toEqual([]);

        // From hour 4 to 6 (6 excluded): the sale at 5 and the refund at 5 of the sale at 0.
        const insideLines = await store.getSaleLines(inside.id);
        const earlyLines = await store.getSaleLines(early.id);
        const reopened = await h.reopen();
        const range = await reopened.listForExport({ from: at(4), to: at(6) });
        expect(ids(range.sales)).toEqual([inside.id]);
        expect(range.refunds).toEqual([refund]);
        expect(range.refundedSales).toEqual([early]);
        expect(ids(range.lines)).toEqual(ids([...insideLines, ...earlyLines]));
        const later = await reopened.listForExport({ from: at(6), to: at(7) });
        expect(later.sales).toEqual([other]);
        expect(later.refunds).toEqual([]);
        expect(await reopened.listForExport({ eventId: 'nothing' })).toEqual({
          sales: [],
          lines: [],
          refunds: [],
          refundedSales: [],
        });
      });
    });

    describe('reading for the exports, a page at a time', () => {
      it('[EXP22] pages of any size give a range’s sales and refunds in time order, equal times by id, each once, with their lines', async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        const at = (hours: number) => BASE_TIME + hours * 3_600_000;
        // Seven sales, four of them at the same instant; one before and one after the range.
        const times = [0, 2, 2, 2, 2, 3, 9];
        const made = [];
        for (const hours of times) {
          made.push(
            await store.recordSale(
              newSale([{ productId: 'a' }, { productId: 'b', quantity: 2 }], {
                createdAt: at(hours),
              }),
            ),
          );
        }
        const refunds = [];
        for (const [n, hours] of [
          [0, 2],
          [1, 2],
          [5, 4],
        ] as const) {
          const [line] = await store.getSaleLines(made[n]!.id);
          refunds.push(
            await store.recordRefund({
              id: uuidv7(),
              saleId: made[n]!.id,
              reason: 'Terug',
              createdAt: at(hours),
              hlc: nextHlc(),
              lines: [{ saleLineId: line!.id, quantity: 1 }],
            }),
          );
        }
        const range = { from: at(1), to: at(9) };
        const byTime = <T extends { createdAt: number; id: string }>(rows: T[]) =>
          [...rows].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
        const wantSales = byTime(
          made.filter((m) => m.createdAt >= range.from && m.createdAt < range.to),
        );
        const wantRefunds = byTime(refunds);
        const reopened = await h.reopen();
        expect(await reopened.countForExport(range)).toBe(wantSales.length + wantRefunds.length);
        for (const size of [1, 2, 3, 100]) {
          const sales = [];
          let after = null;
          for (let guard = 0; guard < 20; guard++) {
            const page = await reopened.listExportSales(range, after, size);
            expect(page.sales.length).toBeLessThanOrEqual(size);
            for (const sale of page.sales) {
              expect(page.lines.filter((l) => l.saleId === sale.id)).toHaveLength(2);
            }
            expect(page.lines).toHaveLength(page.sales.length * 2);
            sales.push(...page.sales);
            if (page.sales.length < size) break;
            const last = page.sales[page.sales.length - 1]!;
            after = { at: last.createdAt, id: last.id };
          }
          expect(sales, `page size ${size}`).toEqual(wantSales);
          const got = [];
          after = null;
          for (let guard = 0; guard < 20; guard++) {
            const page = await reopened.listExportRefunds(range, after, size);
            for (const refund of page.refunds) {
              expect(page.sales.map((s) => s.id)).toContain(refund.saleId);
              expect(page.lines.filter((l) => l.saleId === refund.saleId)).toHaveLength(2);
            }
            got.push(...page.refunds);
            if (page.refunds.length < size) break;
            const last = page.refunds[page.refunds.length - 1]!;
            after = { at: last.createdAt, id: last.id };
          }
          expect(got, `page size ${size}`).toEqual(wantRefunds);
        }
        // A cursor before the range starts at the range; one past it gives nothing.
        const before = await reopened.listExportSales(range, { at: at(0), id: 'z' }, 100);
        expect(before.sales).toEqual(wantSales);
        expect((await reopened.listExportSales(range, { at: at(10), id: '' }, 100)).sales).toEqual(
          [],
        );
      });
      it('[EXP23] a page whose sales lie far apart, many other sales between them, gets exactly their lines', async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        const at = (hours: number) => BASE_TIME + hours * 3_600_000;
        const three = [{ productId: 'a' }, { productId: 'b', quantity: 2 }, { productId: 'c' }];
        const first = await store.recordSale(newSale(three, { createdAt: at(0) }));
        for (let i = 0; i < 150; i++) {
          await store.recordSale(
            newSale([{ productId: 'a' }, { productId: 'b' }], { createdAt: at(1) + i }),
          );
        }
        const last = await store.recordSale(newSale(three, { createdAt: at(2) }));
        const refunded = [first, last];
        const refunds = [];
        for (const [n, sale] of refunded.entries()) {
          const [line] = await store.getSaleLines(sale.id);
          refunds.push(
            await store.recordRefund({
              id: uuidv7(),
              saleId: sale.id,
              reason: 'Terug',
              createdAt: at(5 + n),
              hlc: nextHlc(),
              lines: [{ saleLineId: line!.id, quantity: 1 }],
            }),
          );
        }
        const reopened = await h.reopen();
        const byId = <T extends { id: string }>(rows: T[]) =>
          [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
        const want = byId([
          ...(await reopened.getSaleLines(first.id)),
          ...(await reopened.getSaleLines(last.id)),
        ]);
        expect(want).toHaveLength(6);
        const page = await reopened.listExportRefunds({ from: at(4), to: at(8) }, null, 10);
        expect(page.refunds).toEqual(refunds);
        expect(byId(page.sales)).toEqual(byId(refunded));
        expect(byId(page.lines)).toEqual(want);
      });
    });

    describe('sales list and summary', () => {
      it("lists an event's sales newest first, a page at a time", async () => {
        const { store } = await makeStore(OPTIONS);
        for (let i = 0; i < 7; i++) {
          await store.recordSale(
            newSale([{ productId: 'a' }], { eventId: i === 3 ? OTHER_EVENT : EVENT }),
          );
        }
        const numbers = async (options: { limit?: number; offset?: number }) =>
          (await store.listSales(EVENT, options)).map((s) => s.receiptNumber);
        expect(await numbers({ limit: 3 })).toEqual([7, 6, 5]);
        expect(await numbers({ limit: 3, offset: 3 })).toEqual([3, 2, 1]);
        expect(await numbers({ limit: 3, offset: 6 })).toEqual([]);
        expect(await numbers({})).toEqual([7, 6, 5, 3, 2, 1]);
        expect((await store.lastSale(OTHER_EVENT))?.receiptNumber).toBe(4);
        expect(await store.lastSale('empty')).toBeUndefined();
        await expectStoreError(store.listSales(EVENT, { limit: -1 }), 'invalid');
      });

      it('keeps the summary up to date: it equals a recompute after random sales and voids', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.oneof(
                {
                  weight: 3,
                  arbitrary: fc.record({
                    kind: fc.constant('sale' as const),
                    items: fc.array(
                      fc.record({
                        productId: fc.constantFrom('a', 'b', 'c'),
                        name: fc.constantFrom('Brood', 'Desem'),
                        priceCents: fc.integer({ min: 0, max: 5000 }),
                        quantity: fc.integer({ min: 1, max: 4 }),
                        vatRate: fc.constantFrom<VatRate>(0, 9, 21),
                      }),
                      { minLength: 1, maxLength: 3 },
                    ),
                    minute: fc.integer({ min: 0, max: 600 }),
                    split: fc.boolean(),
                  }),
                },
                {
                  weight: 1,
                  arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
                },
              ),
              { maxLength: 20 },
            ),
            async (ops) => {
              const { store } = await makeStore(OPTIONS);
              await store.setOpeningStock(EVENT, 'a', 50, nextHlc());
              const open: string[] = [];
              for (const op of ops) {
                if (op.kind === 'sale') {
                  const sale = await store.recordSale(
                    newSale(op.items, {
                      stocked: new Set(['a']),
                      createdAt: BASE_TIME + op.minute * 60_000,
                      split: op.split,
                    }),
                  );
                  open.push(sale.id);
                } else if (open.length > 0) {
                  const [id] = open.splice(op.pick % open.length, 1);
                  if (id) await store.voidSale(voidRequest(id));
                }
              }
              const kept = await store.getSummary(EVENT);
              expect(await store.recomputeSummary(EVENT)).toEqual(kept);
              expect(kept.salesCount).toBe(open.length);
              expectStockInvariant(
                await store.listEventStock(EVENT),
                await store.listStockMovements(EVENT),
              );
              expectGapless(await store.readOutbox(1000));
            },
          ),
          { seed: 20261128, numRuns: 25 },
        );
      });

      it('recomputeSummary with repair replaces a wrong stored summary', async () => {
        const { store } = await makeStore(OPTIONS);
        const sale = await store.recordSale(
          newSale([{ productId: 'a', quantity: 2 }], { createdAt: BASE_TIME + 90 * 60_000 }),
        );
        const summary = await store.getSummary(EVENT);
        expect(summary.byHour).toEqual({ '2026-05-16T11': { count: 1, cents: 500 } });
        expect(summary.revenueCents).toBe(sale.totalCents);
        expect(await store.recomputeSummary(EVENT, { repair: true })).toEqual(summary);
        expect(await store.getSummary('nothing-here')).toEqual(
          await store.recomputeSummary('nothing-here'),
        );
      });
    });

    describe('failures', () => {
      it('a closed store rejects with StoreError "closed"', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.recordSale(newSale([{ productId: 'a' }]));
        await store.close();
        await expectStoreError(store.recordSale(newSale([{ productId: 'a' }])), 'closed');
        await expectStoreError(store.pendingCount(), 'closed');
      });
    });
  });
}
