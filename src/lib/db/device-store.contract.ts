/**
 * The DeviceStore contract: one suite, run against every implementation (Dexie on
 * fake-indexeddb and the in-memory twin), so the twin can stand in for the real store in
 * tests of the code above it. Rule ids (G1, G3, ...) are the guarantees of src/lib/sync/SPEC.md.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { hourKey } from '$lib/domain/summary';
import type {
  EventStock,
  MarketEvent,
  OutboxEntry,
  Product,
  SaleLine,
  StockMovement,
  VatRate,
} from '$lib/domain/types';
import { StoreError, type DeviceStore, type NewSale } from './device-store';
import type { DeviceStoreOptions } from './dexie-store';

export interface ContractHarness {
  store: DeviceStore;
  /**
   * Makes the next write fail with `error` after it has done (or planned) all its writes and
   * before it commits, as a failing disk or full quota would.
   */
  failNextWrite(error: unknown): void;
  /** Closes the store and opens a new one on the same data (same database name). */
  reopen(): Promise<DeviceStore>;
}

export type MakeStore = (options: DeviceStoreOptions) => Promise<ContractHarness>;

const EVENT = 'event-a';
const OTHER_EVENT = 'event-b';
const BASE_TIME = Date.UTC(2026, 4, 16, 8, 0);
/** Amsterdam summer time, so hour keys do not depend on the machine running the tests. */
const hourOf = (ms: number) => hourKey(ms, 120);
const OPTIONS: DeviceStoreOptions = { hourOf };

let hlcCounter = 0;
/** Increasing HLC-shaped strings (string order is the order they were made). */
function nextHlc(): string {
  hlcCounter += 1;
  return `${String(BASE_TIME + hlcCounter).padStart(15, '0')}-0000-test`;
}

interface ItemSpec {
  productId: string;
  name?: string;
  priceCents?: number;
  quantity?: number;
  vatRate?: VatRate;
}

/** A completed sale shaped like buildSale's output, paid in cash (or split cash/QR). */
export function newSale(
  items: ItemSpec[],
  options: {
    eventId?: string;
    stocked?: ReadonlySet<string>;
    createdAt?: number;
    split?: boolean;
  } = {},
): NewSale {
  const id = uuidv7();
  const eventId = options.eventId ?? EVENT;
  const createdAt = options.createdAt ?? BASE_TIME;
  const hlc = nextHlc();
  const lines: SaleLine[] = items.map((item, position) => {
    const vatRate = item.vatRate ?? 21;
    const quantity = item.quantity ?? 1;
    const totalCents = (item.priceCents ?? 250) * quantity;
    return {
      id: uuidv7(),
      saleId: id,
      position,
      productId: item.productId,
      name: item.name ?? `Product ${item.productId}`,
      unitPriceCents: item.priceCents ?? 250,
      vatRate,
      quantity,
      lineDiscountCents: 0,
      cartDiscountShareCents: 0,
      totalCents,
      vatCents: Math.round((totalCents * vatRate) / (100 + vatRate)),
    };
  });
  const totalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
  const cash = options.split ? Math.floor(totalCents / 2) : totalCents;
  const sold = new Map<string, number>();
  for (const line of lines) {
    if (options.stocked?.has(line.productId)) {
      sold.set(line.productId, (sold.get(line.productId) ?? 0) + line.quantity);
    }
  }
  return {
    sale: {
      id,
      eventId,
      vendorId: 'vendor-1',
      hlc,
      createdAt,
      subtotalCents: totalCents,
      lineDiscountCents: 0,
      cartDiscountCents: 0,
      totalCents,
      roundingCents: 0,
      paidCents: totalCents,
      payments: [
        { method: 'cash', amountCents: cash, tenderedCents: cash, changeCents: 0 },
        ...(options.split
          ? [
              {
                method: 'qr' as const,
                amountCents: totalCents - cash,
                tenderedCents: null,
                changeCents: null,
              },
            ]
          : []),
      ],
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
      status: 'completed',
      voidReason: null,
      voidedAt: null,
    },
    lines,
    movements: [...sold].map(([productId, quantity]) => ({
      id: uuidv7(),
      eventId,
      productId,
      kind: 'sale' as const,
      delta: -quantity,
      saleId: id,
      hlc,
      createdAt,
    })),
  };
}

function product(id: string, overrides: Partial<Product> = {}): Product {
  return {
    id,
    vendorId: 'vendor-1',
    name: `Product ${id}`,
    priceCents: 250,
    vatRate: 21,
    photoId: null,
    colour: 'olive',
    category: '',
    archived: false,
    createdAt: BASE_TIME,
    updatedAt: BASE_TIME,
    ...overrides,
  };
}

function marketEvent(id: string, date: string, overrides: Partial<MarketEvent> = {}): MarketEvent {
  return {
    id,
    organisationId: null,
    seriesId: null,
    name: `Bazaar ${id}`,
    date,
    place: 'Utrecht',
    opensAt: '10:00',
    closesAt: '17:00',
    status: 'open',
    origin: 'device',
    createdAt: BASE_TIME,
    updatedAt: BASE_TIME,
    ...overrides,
  };
}

function voidRequest(saleId: string, reason = 'wrong item') {
  return { saleId, reason, voidedAt: BASE_TIME + 3_600_000, hlc: nextHlc() };
}

/** Everything a write could change, read through the interface. */
async function snapshot(store: DeviceStore) {
  const [outbox, pending, summary, stock, movements, sales, otherSummary, lastHlc] =
    await Promise.all([
      store.readOutbox(10_000),
      store.pendingCount(),
      store.getSummary(EVENT),
      store.listEventStock(EVENT),
      store.listStockMovements(EVENT),
      store.listSales(EVENT, { limit: 10_000 }),
      store.getSummary(OTHER_EVENT),
      store.lastHlc(),
    ]);
  return { outbox, pending, summary, stock, movements, sales, otherSummary, lastHlc };
}

async function expectStoreError(
  promise: Promise<unknown>,
  code: StoreError['code'],
): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  expect((error as StoreError).message.length).toBeGreaterThan(0);
  return error as StoreError;
}

/** The invariant of G5 (src/lib/sync/SPEC.md): stock = opening count + movements, for every kept row. */
function expectStockInvariant(rows: EventStock[], movements: StockMovement[]): void {
  for (const row of rows) {
    const own = movements.filter((m) => m.productId === row.productId && m.eventId === row.eventId);
    const all = own.reduce((sum, m) => sum + m.delta, 0);
    const nonOpening = own.filter((m) => m.kind !== 'recount').reduce((sum, m) => sum + m.delta, 0);
    expect(row.level).toBe(all);
    expect(row.level).toBe(row.openingCount + nonOpening);
  }
}

function expectGapless(entries: OutboxEntry[], from = 1): void {
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => from + i));
}

export function deviceStoreContract(name: string, makeStore: MakeStore): void {
  describe(`DeviceStore contract: ${name}`, () => {
    describe('device and settings', () => {
      it('keeps one device id, across reopening', async () => {
        const h = await makeStore(OPTIONS);
        const id = await h.store.deviceId();
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(await h.store.deviceId()).toBe(id);
        const reopened = await h.reopen();
        expect(await reopened.deviceId()).toBe(id);
      });

      it('stores the profile and settings', async () => {
        const { store } = await makeStore(OPTIONS);
        expect(await store.getProfile()).toBeUndefined();
        const profile = {
          id: 'vendor-1',
          stallName: 'Bakkerij Noor',
          organisationId: null,
          userId: null,
          cashRounding: true,
          createdAt: BASE_TIME,
        };
        await store.saveProfile(profile);
        await store.saveProfile({ ...profile, stallName: 'Bakkerij Noor & Zn' });
        expect(await store.getProfile()).toEqual({ ...profile, stallName: 'Bakkerij Noor & Zn' });
        expect(await store.getSetting('currentEventId')).toBeUndefined();
        await store.setSetting('currentEventId', EVENT);
        await store.setSetting('flags', { a: 1 });
        expect(await store.getSetting('currentEventId')).toBe(EVENT);
        expect(await store.getSetting('flags')).toEqual({ a: 1 });
      });
    });

    describe('products and events', () => {
      it('saves products with photos, lists them in creation order, hides archived ones', async () => {
        const { store } = await makeStore(OPTIONS);
        const photo = {
          id: 'photo-1',
          blob: new Blob(['jpeg bytes'], { type: 'image/jpeg' }),
          mimeType: 'image/jpeg',
          width: 320,
          height: 240,
        };
        await store.saveProduct(product('b', { createdAt: BASE_TIME + 1 }), nextHlc());
        await store.saveProduct(product('a', { photoId: 'photo-1' }), nextHlc(), photo);
        await store.saveProduct(
          product('c', { archived: true, createdAt: BASE_TIME + 2 }),
          nextHlc(),
        );
        expect((await store.listProducts()).map((p) => p.id)).toEqual(['a', 'b']);
        expect((await store.listProducts({ includeArchived: true })).map((p) => p.id)).toEqual([
          'a',
          'b',
          'c',
        ]);
        const stored = await store.getPhoto('photo-1');
        expect(stored?.width).toBe(320);
        expect(stored?.blob.size).toBe(10);
        expect(await store.getProduct('missing')).toBeUndefined();
      });

      it("refuses a photo that is not the product's, and saves nothing", async () => {
        const { store } = await makeStore(OPTIONS);
        const photo = {
          id: 'p',
          blob: new Blob(['x']),
          mimeType: 'image/png',
          width: 1,
          height: 1,
        };
        await expectStoreError(store.saveProduct(product('a'), nextHlc(), photo), 'invalid');
        expect(await store.getProduct('a')).toBeUndefined();
        expect(await store.pendingCount()).toBe(0);
      });

      it('lists events newest date first', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.saveEvent(marketEvent('e1', '2026-05-02'), nextHlc());
        await store.saveEvent(marketEvent('e2', '2026-06-13'), nextHlc());
        await store.saveEvent(marketEvent('e3', '2026-01-20'), nextHlc());
        expect((await store.listEvents()).map((e) => e.id)).toEqual(['e2', 'e1', 'e3']);
        expect((await store.getEvent('e1'))?.date).toBe('2026-05-02');
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

    describe('[G3] outbox', () => {
      it('[G3] seq is strictly increasing without gaps across sale, void, product, event and stock mutations', async () => {
        const h = await makeStore(OPTIONS);
        const { store } = h;
        await store.saveProduct(product('a'), nextHlc());
        await store.saveEvent(marketEvent(EVENT, '2026-05-16'), nextHlc());
        await store.setOpeningStock(EVENT, 'a', 4, nextHlc());
        const sale = await store.recordSale(
          newSale([{ productId: 'a' }], { stocked: new Set(['a']) }),
        );
        await store.voidSale(voidRequest(sale.id));
        await store.saveProduct(product('a', { priceCents: 300 }), nextHlc());
        const outbox = await store.readOutbox(100);
        expectGapless(outbox);
        expect(outbox.map((e) => e.mutation.type)).toEqual([
          'product.upsert',
          'event.upsert',
          'stock.movement',
          'sale.record',
          'sale.void',
          'product.upsert',
        ]);
        const deviceId = await store.deviceId();
        expect(outbox.every((e) => e.deviceId === deviceId)).toBe(true);
        const recorded = outbox[3]?.mutation;
        expect(
          recorded?.type === 'sale.record' &&
            recorded.movements.every((m) => m.deviceId === deviceId),
        ).toBe(true);

        // Acknowledged entries go; the sequence carries on from where it was, after reopening too.
        await store.acknowledge(4);
        const reopened = await h.reopen();
        await reopened.saveEvent(marketEvent(OTHER_EVENT, '2026-06-01'), nextHlc());
        expect((await reopened.readOutbox(100)).map((e) => e.seq)).toEqual([5, 6, 7]);
      });

      it('acknowledge removes entries up to seq; pendingCount and readOutbox follow', async () => {
        const { store } = await makeStore(OPTIONS);
        for (let i = 0; i < 5; i++) await store.recordSale(newSale([{ productId: 'a' }]));
        expect(await store.pendingCount()).toBe(5);
        expect((await store.readOutbox(2)).map((e) => e.seq)).toEqual([1, 2]);
        await store.acknowledge(3);
        expect(await store.pendingCount()).toBe(2);
        expect((await store.readOutbox(10)).map((e) => e.seq)).toEqual([4, 5]);
        await store.acknowledge(3); // again: nothing more goes
        expect(await store.pendingCount()).toBe(2);
        await store.acknowledge(99);
        expect(await store.pendingCount()).toBe(0);
        // Acknowledging never touches the sales themselves.
        expect(await store.listSales(EVENT, { limit: 10 })).toHaveLength(5);
      });

      it('the outbox entry carries the sale as stored and its lines', async () => {
        const { store } = await makeStore(OPTIONS);
        const input = newSale([{ productId: 'a' }, { productId: 'b', quantity: 2 }]);
        const sale = await store.recordSale(input);
        const [entry] = await store.readOutbox(1);
        expect(entry?.mutation).toEqual({
          type: 'sale.record',
          sale,
          lines: input.lines,
          movements: [],
        });
        expect(await store.lastHlc()).toBe(sale.hlc);
      });
    });

    describe('stock', () => {
      it('stock levels = opening + movements, through sales, voids and opening changes', async () => {
        const { store } = await makeStore(OPTIONS);
        const stocked = new Set(['a', 'b']);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.setOpeningStock(EVENT, 'b', 2, nextHlc());
        const s1 = await store.recordSale(
          newSale([{ productId: 'a', quantity: 3 }, { productId: 'c' }], { stocked }),
        );
        await store.recordSale(newSale([{ productId: 'b', quantity: 3 }], { stocked })); // oversold: -1, still recorded
        const level = async (id: string) =>
          (await store.listEventStock(EVENT)).find((r) => r.productId === id)?.level;
        expect(await level('a')).toBe(7);
        expect(await level('b')).toBe(-1);
        await store.voidSale(voidRequest(s1.id));
        expect(await level('a')).toBe(10);
        await store.setOpeningStock(EVENT, 'a', 12, nextHlc());
        expect(await level('a')).toBe(12);
        await store.setOpeningStock(EVENT, 'a', 12, nextHlc()); // same again: nothing happens
        await store.setOpeningStock(EVENT, 'b', 5, nextHlc());
        expect(await level('b')).toBe(2);
        expect(await level('c')).toBeUndefined();
        expectStockInvariant(
          await store.listEventStock(EVENT),
          await store.listStockMovements(EVENT),
        );
        expect(
          (await store.listStockMovements(EVENT)).filter((m) => m.kind === 'recount'),
        ).toHaveLength(4);
      });

      it('null stops keeping stock; keeping it again starts from the new opening count', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.recordSale(
          newSale([{ productId: 'a', quantity: 3 }], { stocked: new Set(['a']) }),
        );
        await store.setOpeningStock(EVENT, 'a', null, nextHlc());
        expect(await store.listEventStock(EVENT)).toEqual([]);
        const pending = await store.pendingCount();
        await store.setOpeningStock(EVENT, 'a', null, nextHlc()); // nothing kept: nothing to do
        expect(await store.pendingCount()).toBe(pending);
        await store.setOpeningStock(EVENT, 'a', 20, nextHlc());
        const rows = await store.listEventStock(EVENT);
        expect(rows).toEqual([
          { id: `${EVENT}:a`, eventId: EVENT, productId: 'a', openingCount: 20, level: 17 },
        ]);
        expectStockInvariant(rows, await store.listStockMovements(EVENT));
        // Every opening change went out as a stock movement, so the server can sum them too.
        const types = (await store.readOutbox(100)).map((e) => e.mutation.type);
        expect(types.filter((t) => t === 'stock.movement')).toHaveLength(3);
      });

      it('refuses an opening count that is not a whole number of 0 or more', async () => {
        const { store } = await makeStore(OPTIONS);
        await expectStoreError(store.setOpeningStock(EVENT, 'a', -1, nextHlc()), 'invalid');
        await expectStoreError(store.setOpeningStock(EVENT, 'a', 2.5, nextHlc()), 'invalid');
        expect(await store.listEventStock(EVENT)).toEqual([]);
        expect(await store.pendingCount()).toBe(0);
      });

      it('keeps events apart', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.setOpeningStock(EVENT, 'a', 10, nextHlc());
        await store.setOpeningStock(OTHER_EVENT, 'a', 4, nextHlc());
        await store.recordSale(
          newSale([{ productId: 'a', quantity: 1 }], {
            eventId: OTHER_EVENT,
            stocked: new Set(['a']),
          }),
        );
        expect((await store.listEventStock(EVENT))[0]?.level).toBe(10);
        expect((await store.listEventStock(OTHER_EVENT))[0]?.level).toBe(3);
        expect((await store.getSummary(EVENT)).salesCount).toBe(0);
        expect((await store.getSummary(OTHER_EVENT)).salesCount).toBe(1);
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
