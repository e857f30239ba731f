/**
 * The sync part of the DeviceStore contract (SyncStore, src/lib/sync/SPEC.md), run against
 * both stores like the other parts: the outbox (G3), what a pulled page does to the tables,
 * that its cursor is written with it, and what a rebase re-queues.
 */
import { uuidv7 } from '$lib/domain/ids';
import { describe, expect, it } from 'vitest';
import { hourKey } from '$lib/domain/summary';
import type { Mutation, Product, StockMovement } from '$lib/domain/types';
import type { Change } from '$lib/sync/protocol';
import { RawDevice, type SaleRecord } from '$lib/sync/testing/factories';
import type { DeviceStore } from './device-store';
import {
  EVENT,
  OPTIONS,
  OTHER_EVENT,
  expectGapless,
  marketEvent,
  newSale,
  nextHlc,
  product,
  voidRequest,
  type MakeStore,
} from './contract-fixtures';

const hourOf = (ms: number) => hourKey(ms, 120);

function saleChange(record: SaleRecord, flags: ('oversell' | 'event-closed')[] = []): Change {
  return {
    entity: 'sale',
    op: 'upsert',
    data: { sale: record.sale, lines: record.lines, movements: record.movements, flags },
  };
}

function voidedChange(
  record: SaleRecord,
  voided: Extract<Mutation, { type: 'sale.void' }>,
): Change {
  return {
    entity: 'sale',
    op: 'upsert',
    data: {
      sale: {
        ...record.sale,
        status: 'voided',
        voidReason: voided.reason,
        voidedAt: voided.voidedAt,
      },
      lines: record.lines,
      movements: [...record.movements, ...voided.movements],
      flags: [],
    },
  };
}

const movementChange = (m: StockMovement): Change => ({
  entity: 'stock_movement',
  op: 'upsert',
  data: m,
});
const productChange = (p: Product): Change => ({ entity: 'product', op: 'upsert', data: p });

async function levelOf(store: DeviceStore, eventId: string, productId: string) {
  return (await store.listEventStock(eventId)).find((r) => r.productId === productId);
}

export function syncStoreContract(name: string, makeStore: MakeStore): void {
  describe(`SyncStore contract: ${name}`, () => {
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

      it('pendingSalesCount counts the sales waiting, not the other changes, and follows acknowledge', async () => {
        const { store } = await makeStore(OPTIONS);
        await store.saveProduct(product('a'), nextHlc());
        await store.saveEvent(marketEvent(EVENT, '2026-05-16'), nextHlc());
        await store.setOpeningStock(EVENT, 'a', 9, nextHlc());
        expect(await store.pendingSalesCount()).toBe(0);
        const first = await store.recordSale(
          newSale([{ productId: 'a' }], { stocked: new Set(['a']) }),
        );
        await store.recordSale(newSale([{ productId: 'a' }], { stocked: new Set(['a']) }));
        await store.voidSale(voidRequest(first.id));
        await store.saveProduct(product('a', { priceCents: 300 }), nextHlc());
        expect(await store.pendingCount()).toBe(7);
        expect(await store.pendingSalesCount()).toBe(2);
        await store.acknowledge(4); // product, event, stock, the first sale
        expect(await store.pendingSalesCount()).toBe(1);
        await store.acknowledge(99);
        expect(await store.pendingSalesCount()).toBe(0);
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

    it('starts with no epoch, no cursor, never synced; the newest sequence number follows the outbox', async () => {
      const { store, reopen } = await makeStore({ hourOf });
      expect(await store.getSyncState()).toEqual({
        epoch: null,
        cursor: null,
        lastSyncAt: null,
        highestSeq: 0,
      });
      const other = new RawDevice();
      await store.saveProduct(other.product(), other.clock.now());
      await store.saveSyncState({ epoch: 'e1', lastSyncAt: 1234 });
      const again = await reopen();
      expect(await again.getSyncState()).toEqual({
        epoch: 'e1',
        cursor: null,
        lastSyncAt: 1234,
        highestSeq: 1,
      });
    });

    it('[G6] a product edit queues the fields it changed; a new product queues all', async () => {
      const { store } = await makeStore({ hourOf });
      const raw = new RawDevice();
      const product = raw.product();
      await store.saveProduct(product, raw.clock.now());
      await store.saveProduct({ ...product, priceCents: 400, name: 'Spelt' }, raw.clock.now());
      const [created, edited] = await store.readOutbox(10);
      expect(created?.mutation).not.toHaveProperty('fields');
      expect(edited?.mutation).toMatchObject({
        type: 'product.upsert',
        fields: ['name', 'priceCents'],
      });
    });

    it('a pulled sale of another device is stored, counted and moves stock; the same page again changes nothing', async () => {
      const { store } = await makeStore({ hourOf });
      const other = new RawDevice();
      const product = other.product();
      const event = other.event();
      const sale = other.sale(event.id, [{ product, quantity: 3 }]);
      const page: Change[] = [
        productChange(product),
        { entity: 'event', op: 'upsert', data: event },
        movementChange(
          (
            other.stock(event.id, product.id, 10, 'recount') as Extract<
              Mutation,
              { type: 'stock.movement' }
            >
          ).movement,
        ),
        saleChange(sale, ['oversell']),
      ];
      await store.applyPull({ changes: page, cursor: '10.4', epoch: 'e1' });
      const once = {
        sale: await store.getSale(sale.sale.id),
        lines: await store.getSaleLines(sale.sale.id),
        summary: await store.getSummary(event.id),
        stock: await levelOf(store, event.id, product.id),
        product: await store.getProduct(product.id),
        events: await store.listEvents(),
        pending: await store.pendingCount(),
      };
      expect(once.sale).toMatchObject({
        id: sale.sale.id,
        flags: ['oversell'],
        deviceId: other.deviceId,
      });
      expect(once.lines).toHaveLength(1);
      expect(once.summary).toMatchObject({
        salesCount: 1,
        revenueCents: sale.sale.totalCents,
        itemCount: 3,
      });
      expect(once.stock).toMatchObject({ openingCount: 10, level: 7 });
      expect(once.product).toEqual(product);
      expect(once.pending).toBe(0);
      expect(await store.getSyncState()).toMatchObject({ cursor: '10.4', epoch: 'e1' });
      await store.applyPull({ changes: page, cursor: '10.4', epoch: 'e1' });
      expect({
        sale: await store.getSale(sale.sale.id),
        lines: await store.getSaleLines(sale.sale.id),
        summary: await store.getSummary(event.id),
        stock: await levelOf(store, event.id, product.id),
        product: await store.getProduct(product.id),
        events: await store.listEvents(),
        pending: await store.pendingCount(),
      }).toEqual(once);
    });

    it('a pulled void of a known sale takes it back once; the device’s own sale pulled back is not counted twice', async () => {
      const { store } = await makeStore({ hourOf });
      const other = new RawDevice();
      const product = other.product();
      const event = other.event();
      const sale = other.sale(event.id, [{ product }]);
      await store.applyPull({ changes: [saleChange(sale)], cursor: '1.1', epoch: 'e1' });
      const voided = other.voidOf(sale) as Extract<Mutation, { type: 'sale.void' }>;
      await store.applyPull({ changes: [voidedChange(sale, voided)], cursor: '1.2', epoch: 'e1' });
      await store.applyPull({ changes: [voidedChange(sale, voided)], cursor: '1.3', epoch: 'e1' });
      expect(await store.getSummary(event.id)).toMatchObject({
        salesCount: 0,
        voidCount: 1,
        revenueCents: 0,
      });
      expect((await store.getSale(sale.sale.id))?.status).toBe('voided');
      expect(await store.listStockMovements(event.id)).toHaveLength(2);
    });

    it('[G5] a pulled refund of a known sale takes its share off the summary and gives stock back once; the same page again changes nothing', async () => {
      const { store } = await makeStore({ hourOf });
      const other = new RawDevice();
      const product = other.product({ priceCents: 350 });
      const event = other.event();
      const sale = other.sale(event.id, [{ product, quantity: 3 }]);
      await store.applyPull({ changes: [saleChange(sale)], cursor: '1.1', epoch: 'e1' });
      const refund = other.refundOf(sale, [{ position: 0, quantity: 2 }]);
      const change: Change = {
        entity: 'refund',
        op: 'upsert',
        data: { refund: refund.refund, movements: refund.movements },
      };
      await store.applyPull({ changes: [change], cursor: '1.2', epoch: 'e1' });
      await store.applyPull({ changes: [change], cursor: '1.3', epoch: 'e1' });
      const summary = await store.getSummary(event.id);
      expect(summary).toMatchObject({
        salesCount: 1,
        revenueCents: 350,
        refundCount: 1,
        refundedCents: 700,
        itemCount: 1,
      });
      expect(summary).toEqual(await store.recomputeSummary(event.id));
      expect(await store.listRefunds(sale.sale.id)).toEqual([refund.refund]);
      expect((await store.listStockMovements(event.id)).map((m) => m.delta).sort()).toEqual([
        -3, 2,
      ]);
      expect(await store.pendingCount()).toBe(0);
    });

    it('[refund-status] where a refund by phone/card stands is kept per refund, listed by sale, and only moves forward (pending → refunded → failed), whatever order the pages come in', async () => {
      const { store } = await makeStore({ hourOf });
      const saleId = uuidv7();
      const refundId = uuidv7();
      const status = (state: 'pending' | 'refunded' | 'failed', reason: string | null = null) =>
        ({
          entity: 'refund_status',
          op: 'upsert',
          data: {
            refundId,
            saleId,
            state,
            amountCents: 350,
            reason,
            origin: 'device',
            recordId: null,
          },
        }) satisfies Change;
      expect(await store.listRefundStatuses(saleId)).toEqual([]);
      await store.applyPull({
        changes: [status('pending'), status('refunded')],
        cursor: '1.1',
        epoch: 'e1',
      });
      expect(await store.listRefundStatuses(saleId)).toEqual([status('refunded').data]);
      // An older state listed later changes nothing; a failure after it does.
      await store.applyPull({ changes: [status('pending')], cursor: '1.2', epoch: 'e1' });
      expect((await store.listRefundStatuses(saleId)).map((r) => r.state)).toEqual(['refunded']);
      await store.applyPull({
        changes: [status('failed', 'Stripe: expired_or_canceled_card')],
        cursor: '1.3',
        epoch: 'e1',
      });
      expect(await store.listRefundStatuses(saleId)).toEqual([
        status('failed', 'Stripe: expired_or_canceled_card').data,
      ]);
      expect(await store.listRefundStatuses(uuidv7())).toEqual([]);
      expect(await store.pendingCount()).toBe(0);
    });

    it('[G5] the maker’s other devices’ pulled sales, voids and refunds enter the history across events: listSummaries holds their events, months net of refunds', async () => {
      const { store } = await makeStore({ hourOf });
      await store.recordSale(newSale([{ productId: 'a' }]));
      const other = new RawDevice();
      const product = other.product({ priceCents: 500 });
      const event = other.event();
      const kept = other.sale(event.id, [{ product, quantity: 2 }]);
      const voided = other.sale(event.id, [{ product, quantity: 1 }]);
      const refund = other.refundOf(kept, [{ position: 0, quantity: 1 }]);
      await store.applyPull({
        changes: [
          saleChange(kept),
          saleChange(voided),
          voidedChange(voided, other.voidOf(voided) as Extract<Mutation, { type: 'sale.void' }>),
          {
            entity: 'refund',
            op: 'upsert',
            data: { refund: refund.refund, movements: refund.movements },
          },
        ],
        cursor: '1.1',
        epoch: 'e1',
      });
      const summaries = await store.listSummaries();
      expect(summaries.map((s) => s.eventId).sort()).toEqual([EVENT, event.id].sort());
      const pulled = summaries.find((s) => s.eventId === event.id);
      expect(pulled).toEqual(await store.recomputeSummary(event.id));
      const months = Object.values(pulled?.byMonth ?? {});
      expect(months.reduce((sum, m) => sum + m.count, 0)).toBe(1);
      expect(months.reduce((sum, m) => sum + m.cents, 0)).toBe(500);
    });

    it('[G5] a pulled recount starts keeping stock this device did not keep, at opening + every known movement', async () => {
      const { store } = await makeStore({ hourOf });
      const other = new RawDevice();
      const product = other.product();
      const event = other.event();
      // Sold before stock was kept (no movement then), then counted in at 12, then a restock.
      const counted = other.stock(event.id, product.id, 12, 'recount') as Extract<
        Mutation,
        { type: 'stock.movement' }
      >;
      const restock = other.stock(event.id, product.id, 3, 'restock') as Extract<
        Mutation,
        { type: 'stock.movement' }
      >;
      await store.applyPull({
        changes: [movementChange(restock.movement)],
        cursor: '1.1',
        epoch: 'e1',
      });
      expect(await levelOf(store, event.id, product.id)).toBeUndefined();
      await store.applyPull({
        changes: [movementChange(counted.movement)],
        cursor: '1.2',
        epoch: 'e1',
      });
      expect(await levelOf(store, event.id, product.id)).toMatchObject({
        openingCount: 12,
        level: 15,
      });
    });

    it('stalls, assignments and deletions from the organiser’s server land as sent', async () => {
      const { store } = await makeStore({ hourOf });
      const other = new RawDevice();
      const event = other.event({ origin: 'server' });
      const stall = {
        id: crypto.randomUUID(),
        eventId: event.id,
        label: 'B2',
        x: 1,
        y: 2,
        width: 2,
        height: 1,
        notes: '',
        power: true,
        table: false,
        foodHygiene: true,
      };
      const assignment = {
        id: crypto.randomUUID(),
        eventId: event.id,
        stallId: stall.id,
        makerId: other.makerId,
        arrivalTime: '08:30',
        instructions: 'Achteringang',
      };
      await store.applyPull({
        changes: [
          { entity: 'event', op: 'upsert', data: event },
          { entity: 'stall', op: 'upsert', data: stall },
          { entity: 'stall_assignment', op: 'upsert', data: assignment },
        ],
        cursor: '2.1',
        epoch: 'e1',
      });
      expect(await store.listStalls(event.id)).toEqual([stall]);
      expect(await store.listAssignments(event.id)).toEqual([assignment]);
      await store.applyPull({
        changes: [
          {
            entity: 'deleted',
            op: 'delete',
            data: { entity: 'stall_assignment', id: assignment.id },
          },
        ],
        cursor: '2.2',
        epoch: 'e1',
      });
      expect(await store.listAssignments(event.id)).toEqual([]);
    });

    it('the organiser’s map frame, announcements and results land, each replacing what the device had, and survive a restart', async () => {
      const { store, reopen } = await makeStore({ hourOf });
      const other = new RawDevice();
      const event = other.event({ origin: 'server' });
      const landmark = {
        id: crypto.randomUUID(),
        eventId: event.id,
        kind: 'entrance' as const,
        label: 'Noord',
        x: 0,
        y: 7,
        width: 2,
        height: 1,
      };
      const map = { id: event.id, eventId: event.id, width: 12, height: 8, landmarks: [landmark] };
      const first = { id: crypto.randomUUID(), eventId: event.id, body: 'Welkom', sentAt: 1000 };
      const second = { id: crypto.randomUUID(), eventId: event.id, body: 'Om 9 uur', sentAt: 2000 };
      const elsewhere = { ...first, id: crypto.randomUUID(), eventId: crypto.randomUUID() };
      const figures = {
        salesCount: 2,
        itemCount: 3,
        revenueCents: 900,
        averageSaleCents: 450,
        busiestHour: null,
      };
      const results = {
        id: event.id,
        eventId: event.id,
        makerId: other.makerId,
        computedAt: 5000,
        results: {
          own: figures,
          event: {
            makersCount: 2,
            sharingMakersCount: 2,
            figuresShown: false,
            salesCount: null,
            itemCount: null,
            revenueCents: null,
            averageSaleCents: null,
            busiestHour: null,
          },
          previous: null,
          change: null,
        },
      };
      await store.applyPull({
        changes: [
          { entity: 'event_map', op: 'upsert', data: map },
          { entity: 'announcement', op: 'upsert', data: first },
          { entity: 'announcement', op: 'upsert', data: second },
          { entity: 'announcement', op: 'upsert', data: elsewhere },
          { entity: 'maker_results', op: 'upsert', data: results },
        ],
        cursor: '3.1',
        epoch: 'e1',
      });
      expect(await store.getEventMap(event.id)).toEqual(map);
      expect(await store.listAnnouncements(event.id)).toEqual([second, first]);
      expect(await store.getMakerResults(event.id)).toEqual(results);

      // A later frame replaces the whole map (a landmark removed is gone); results computed
      // again at a re-close replace the first ones; the same announcement again is one row.
      const smaller = { ...map, width: 10, landmarks: [] };
      const again = {
        ...results,
        computedAt: 6000,
        results: { ...results.results, own: { ...figures, salesCount: 3 } },
      };
      await store.applyPull({
        changes: [
          { entity: 'event_map', op: 'upsert', data: smaller },
          { entity: 'announcement', op: 'upsert', data: first },
          { entity: 'maker_results', op: 'upsert', data: again },
        ],
        cursor: '3.2',
        epoch: 'e1',
      });
      const restarted = await reopen();
      expect(await restarted.getEventMap(event.id)).toEqual(smaller);
      expect(await restarted.listAnnouncements(event.id)).toEqual([second, first]);
      expect(await restarted.getMakerResults(event.id)).toEqual(again);
      expect(await restarted.getEventMap(crypto.randomUUID())).toBeUndefined();
      expect(await restarted.getMakerResults(crypto.randomUUID())).toBeUndefined();
    });

    it('[G5] a product pulled at version 5, then at version 4 on a later page, keeps version 5’s state; only a newer version replaces it (fault 28)', async () => {
      const { store, reopen } = await makeStore({ hourOf });
      const other = new RawDevice();
      const product = other.product({ name: 'Brood', priceCents: 350 });
      const at = (version: number, p: Partial<Product>): Change => ({
        entity: 'product',
        op: 'upsert',
        data: { ...product, ...p, version },
      });
      await store.applyPull({
        changes: [at(5, { priceCents: 500 })],
        cursor: '100.1',
        epoch: 'e1',
      });
      // The feed is read in txid order, not commit order: an older state can come later.
      await store.applyPull({
        changes: [at(4, { priceCents: 400 })],
        cursor: '101.2',
        epoch: 'e1',
      });
      expect(await store.getProduct(product.id)).toMatchObject({ priceCents: 500 });
      // The version held survives a restart; within one page the newest version wins too.
      const again = await reopen();
      await again.applyPull({
        changes: [at(7, { priceCents: 700 }), at(3, { priceCents: 300 }), at(6, { name: 'X' })],
        cursor: '102.5',
        epoch: 'e1',
      });
      expect(await again.getProduct(product.id)).toMatchObject({ name: 'Brood', priceCents: 700 });
      // A product without a version (an older server) is kept, as before versions existed.
      await again.applyPull({
        changes: [productChange({ ...product, priceCents: 222 })],
        cursor: '103.6',
        epoch: 'e1',
      });
      expect(await again.getProduct(product.id)).toMatchObject({ priceCents: 222 });
      await again.applyPull({
        changes: [at(8, { priceCents: 800 })],
        cursor: '104.7',
        epoch: 'e1',
      });
      // An epoch change (the server restored from a backup) forgets the versions held: the
      // restored server's versions may count from lower again, and its state must land.
      await again.rebaseOutbox(1, 'e2');
      await again.applyPull({
        changes: [at(2, { priceCents: 250 })],
        cursor: '5.1',
        epoch: 'e2',
      });
      expect(await again.getProduct(product.id)).toMatchObject({ priceCents: 250 });
    });

    it('[G5] a local product edit keeps the version held: an older pulled state does not undo it, a newer one replaces it on screen while the edit stays queued (fault 28)', async () => {
      const { store } = await makeStore({ hourOf });
      const other = new RawDevice();
      const product = other.product({ name: 'Brood', priceCents: 350 });
      const at = (version: number, p: Partial<Product>): Change => ({
        entity: 'product',
        op: 'upsert',
        data: { ...product, ...p, version },
      });
      await store.applyPull({ changes: [at(5, {})], cursor: '100.1', epoch: 'e1' });
      const raw = new RawDevice();
      await store.saveProduct({ ...product, priceCents: 990 }, raw.clock.now());
      await store.applyPull({
        changes: [at(4, { name: 'Oud' })],
        cursor: '101.2',
        epoch: 'e1',
      });
      expect(await store.getProduct(product.id)).toMatchObject({ name: 'Brood', priceCents: 990 });
      await store.applyPull({
        changes: [at(6, { name: 'Desem' })],
        cursor: '102.3',
        epoch: 'e1',
      });
      expect(await store.getProduct(product.id)).toMatchObject({ name: 'Desem', priceCents: 350 });
      const queued = await store.readOutbox(10);
      expect(queued.map((e) => e.mutation)).toEqual([
        expect.objectContaining({ type: 'product.upsert', fields: ['priceCents'] }),
      ]);
    });

    it('[G5] a maker’s own event pulled at version 5, then at version 4, keeps version 5’s state; an event without a version is always kept; a rebase forgets the versions (fault 28)', async () => {
      const { store, reopen } = await makeStore({ hourOf });
      const other = new RawDevice();
      const event = other.event({ name: 'Bazaar' });
      const at = (version: number | undefined, name: string): Change => ({
        entity: 'event',
        op: 'upsert',
        data: version === undefined ? { ...event, name } : { ...event, name, version },
      });
      const nameOf = async (s: DeviceStore) =>
        (await s.listEvents()).find((e) => e.id === event.id)?.name;
      await store.applyPull({ changes: [at(5, 'Vijf')], cursor: '100.1', epoch: 'e1' });
      await store.applyPull({ changes: [at(4, 'Vier')], cursor: '101.2', epoch: 'e1' });
      expect(await nameOf(store)).toBe('Vijf');
      const again = await reopen();
      await again.applyPull({
        changes: [at(7, 'Zeven'), at(6, 'Zes')],
        cursor: '102.4',
        epoch: 'e1',
      });
      expect(await nameOf(again)).toBe('Zeven');
      expect((await again.listEvents()).find((e) => e.id === event.id)).not.toHaveProperty(
        'version',
      );
      await again.applyPull({ changes: [at(undefined, 'Zonder')], cursor: '103.5', epoch: 'e1' });
      expect(await nameOf(again)).toBe('Zonder');
      await again.applyPull({ changes: [at(9, 'Negen')], cursor: '104.6', epoch: 'e1' });
      await again.rebaseOutbox(1, 'e2');
      await again.applyPull({ changes: [at(2, 'Twee')], cursor: '5.1', epoch: 'e2' });
      expect(await nameOf(again)).toBe('Twee');
    });

    it('[device codes] the codes of the maker’s devices come from push answers and pulled sales; one once known is never forgotten', async () => {
      const { store } = await makeStore({ hourOf });
      expect(await store.getDeviceCodes()).toEqual({});
      const own = await store.deviceId();
      await store.saveDeviceCode(own, 'A');
      const other = new RawDevice();
      const product = other.product();
      const event = other.event();
      const first = other.sale(event.id, [{ product }]);
      const second = other.sale(event.id, [{ product }]);
      const coded = (record: SaleRecord): Change => {
        const change = saleChange(record);
        return change.entity === 'sale'
          ? { ...change, data: { ...change.data, deviceCode: 'B' } }
          : change;
      };
      await store.applyPull({ changes: [coded(first)], cursor: '1.1', epoch: 'e1' });
      expect(await store.getDeviceCodes()).toEqual({ [own]: 'A', [other.deviceId]: 'B' });
      // A sale without a code (an older server, a void sent by another phone) tells nothing.
      await store.applyPull({ changes: [saleChange(second)], cursor: '1.2', epoch: 'e1' });
      expect(await store.getDeviceCodes()).toEqual({ [own]: 'A', [other.deviceId]: 'B' });
      await expect(store.saveDeviceCode(own, 'a-1')).rejects.toMatchObject({ code: 'invalid' });
      expect((await store.getDeviceCodes())[own]).toBe('A');
    });

    it('[fault 20] a page and its cursor are written together: a failed write leaves neither', async () => {
      const harness = await makeStore({ hourOf });
      const { store } = harness;
      const other = new RawDevice();
      const product = other.product();
      const event = other.event();
      const sale = other.sale(event.id, [{ product }]);
      await store.applyPull({ changes: [], cursor: '1.1', epoch: 'e1' });
      harness.failNextWrite(new DOMException('disk full', 'QuotaExceededError'));
      await expect(
        store.applyPull({
          changes: [productChange(product), saleChange(sale)],
          cursor: '9.9',
          epoch: 'e1',
        }),
      ).rejects.toMatchObject({ code: 'quota' });
      expect(await store.getSyncState()).toMatchObject({ cursor: '1.1' });
      expect(await store.getSale(sale.sale.id)).toBeUndefined();
      expect(await store.getProduct(product.id)).toBeUndefined();
    });

    it('a rebase re-queues everything the server needs, numbered from the given sequence, and resets the cursor', async () => {
      const { store } = await makeStore({ hourOf });
      const deviceId = await store.deviceId();
      const own = new RawDevice({ deviceId });
      const product = own.product();
      const event = own.event();
      await store.saveEvent(event, own.clock.now());
      await store.saveProduct(product, own.clock.now());
      await store.setOpeningStock(event.id, product.id, 20, own.clock.now());
      const sale = own.sale(event.id, [{ product, quantity: 2 }]);
      const kept = await store.recordSale({
        sale: sale.sale,
        lines: sale.lines,
        movements: sale.movements,
      });
      await store.voidSale({
        saleId: kept.id,
        reason: 'oops',
        voidedAt: own.now(),
        hlc: own.clock.now(),
      });
      const second = own.sale(event.id, [{ product }]);
      await store.recordSale({
        sale: second.sale,
        lines: second.lines,
        movements: second.movements,
      });
      // A sale pulled from another device is that device's to send, not ours.
      const other = new RawDevice({ makerId: own.makerId });
      await store.applyPull({
        changes: [saleChange(other.sale(event.id, [{ product }]))],
        cursor: '7.7',
        epoch: 'e1',
      });
      await store.acknowledge(3);

      const queued = await store.rebaseOutbox(41, 'e2');
      const outbox = await store.readOutbox(100);
      expect(queued).toBe(outbox.length);
      expect(outbox.map((e) => e.seq)).toEqual(outbox.map((_, i) => 41 + i));
      expect(outbox.map((e) => e.mutation.type)).toEqual([
        'event.upsert',
        'product.upsert',
        'stock.movement',
        'sale.record',
        'sale.void',
        'sale.record',
      ]);
      const record = outbox[3]?.mutation;
      expect(record).toMatchObject({
        type: 'sale.record',
        sale: { id: kept.id, status: 'completed', voidReason: null },
      });
      expect(
        record && record.type === 'sale.record' && record.movements.every((m) => m.kind === 'sale'),
      ).toBe(true);
      expect(outbox[4]?.mutation).toMatchObject({
        type: 'sale.void',
        saleId: kept.id,
        reason: 'oops',
      });
      expect(await store.getSyncState()).toMatchObject({
        epoch: 'e2',
        cursor: null,
        highestSeq: 46,
      });
      const next = own.sale(event.id, [{ product }]);
      await store.recordSale({ sale: next.sale, lines: next.lines, movements: next.movements });
      expect((await store.readOutbox(100)).at(-1)?.seq).toBe(47);
    });

    it('[G6] a rebase re-queues each product whole with the clock of each field value: its own edit, or the clock the server sent', async () => {
      const { store } = await makeStore({ hourOf });
      const deviceId = await store.deviceId();
      const own = new RawDevice({ deviceId });
      const made = own.clock.now();
      const bread = own.product();
      await store.saveProduct(bread, made);
      const renamed = own.clock.now();
      await store.saveProduct({ ...bread, name: 'Desem' }, renamed);
      // Another device's product, pulled with its clocks; and one from a server without them.
      const other = new RawDevice({ makerId: own.makerId });
      const cake = other.product();
      const cakeClock = other.clock.now();
      const legacy = { ...other.product(), updatedAt: 1_700_000_000_000 };
      await store.applyPull({
        changes: [
          {
            entity: 'product',
            op: 'upsert',
            data: { ...cake, fieldHlcs: { name: cakeClock, priceCents: cakeClock } },
          },
          productChange(legacy),
        ],
        cursor: '1.1',
        epoch: 'e1',
      });
      // The pulled clocks are kept apart: the product itself is exactly the server's.
      expect(await store.getProduct(cake.id)).toEqual(cake);

      await store.rebaseOutbox(1, 'e2');
      const queued = new Map(
        (await store.readOutbox(100)).flatMap((e) =>
          e.mutation.type === 'product.upsert' ? [[e.mutation.product.id, e.mutation]] : [],
        ),
      );
      expect(queued.get(bread.id)).toMatchObject({
        rebased: true,
        hlc: renamed,
        fieldHlcs: { name: renamed, priceCents: made, vatRate: made, archived: made },
      });
      expect(queued.get(bread.id)).not.toHaveProperty('fields');
      expect(queued.get(cake.id)?.fieldHlcs).toMatchObject({
        name: cakeClock,
        priceCents: cakeClock,
      });
      // A value whose clock was never recorded is as old as its product's last change.
      expect(queued.get(legacy.id)?.fieldHlcs?.priceCents).toMatch(/^001700000000000-0000-/);
    });
  });
}
