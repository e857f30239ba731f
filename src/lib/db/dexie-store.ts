import { mergeRefundStatus, type ElectronicRefundStatus } from '$lib/domain/electronic-refund';
import { Dexie, type EntityTable, type Table } from 'dexie';
import { formatHlc } from '$lib/domain/clock';
import type { SavedCart } from '$lib/domain/cart';
import { isDeviceCode } from '$lib/domain/device-code';
import { uuidv7 } from '$lib/domain/ids';
import type { RefundRequest } from '$lib/domain/refund';
import {
  applyRefund,
  applySale,
  applyVoid,
  emptySummary,
  localHourKey,
  recompute,
} from '$lib/domain/summary';
import type {
  EventStock,
  EventSummaryAggregate,
  Hlc,
  Id,
  LinkSettlement,
  MarketEvent,
  Mutation,
  OutboxEntry,
  Product,
  ProductPhoto,
  Refund,
  Sale,
  SaleLine,
  Stall,
  StallAssignment,
  StockMovement,
  StallProfile,
} from '$lib/domain/types';
import {
  StoreError,
  type DeviceStore,
  type ExportCursor,
  type ExportData,
  type ExportRefundsPage,
  type ExportSalesPage,
  type ExportSelection,
  type NewSale,
  type PulledPage,
  type SyncState,
  type SyncStatePatch,
  type VoidRequest,
} from './device-store';
import { toStoreError } from './errors';
import {
  linkSalesOf,
  planSettlement,
  type LinkSale,
  type SettleRequest,
} from './link-payment-store';
import { KraamDb, META, type MetaRow } from './schema';
import {
  changedProductFields,
  deviceCodeRecord,
  deviceCodesIn,
  newestFirst,
  pairsNeedingSums,
  planPull,
  pullKeys,
  editedClocks,
  rebaseMutations,
  sumMovements,
  versionRecord,
  type MovementSums,
} from './sync-rules';
import {
  checkNewSale,
  checkVoid,
  completeSale,
  laterHlc,
  levelsAfter,
  outboxEntry,
  pageOf,
  flagOversell,
  planOpening,
  planRestock,
  withoutFlags,
  planRefundRecord,
  reverseMovements,
  stockId,
  stockIdsOf,
} from './store-rules';
import type { AnnouncementData, EventMapData, MakerResultsData } from '$lib/sync/protocol';
import type { CashDay, CashDayReport, CashMovement } from '$lib/domain/cashbook';
import type {
  CashBook,
  CashMovementRequest,
  CloseCashDayRequest,
  OpenCashDayRequest,
} from './cashbook-store';

/**
 * The cash book's rules (with the domain's cash book, and its `cashDayId`) load on first use,
 * before the transaction that needs them opens (docs/style.md rule 12): the till's first load
 * does not carry them. One module only: the domain's cash book is imported statically
 * elsewhere, so importing it here too would not split it off (Vite warns).
 */
type CashbookRules = typeof import('./cashbook-rules');
function cashbookRules(): Promise<CashbookRules> {
  return import('./cashbook-rules');
}

/** The writes a test can make fail (see `beforeCommit`). */
export type WriteOperation =
  | 'deviceId'
  | 'saveProfile'
  | 'setSetting'
  | 'saveProduct'
  | 'putPhoto'
  | 'saveEvent'
  | 'setOpeningStock'
  | 'restock'
  | 'recordSale'
  | 'voidSale'
  | 'recordRefund'
  | 'settleLinkPayment'
  | 'openCashDay'
  | 'recordCashMovement'
  | 'closeCashDay'
  | 'acknowledge'
  | 'recomputeSummary'
  | 'saveSyncState'
  | 'applyPull'
  | 'rebaseOutbox'
  | 'saveDeviceCode'
  | 'saveCart';

export interface DeviceStoreOptions {
  /** Wall clock for outbox entries and recount movements (default Date.now). */
  now?: () => number;
  /** Id generator for rows the store creates (default uuidv7). */
  newId?: () => Id;
  /** Hour key of a sale's createdAt for the summary (default: device-local hour). */
  hourOf?: (epochMs: number) => string;
  /**
   * Test hook: runs inside every writing transaction after all its writes were issued and
   * before it commits. Throwing aborts the transaction, exactly like a failing write would.
   * Must be synchronous: nothing but IndexedDB may be awaited inside a transaction.
   */
  beforeCommit?: (operation: WriteOperation) => void;
}

/** The device store on IndexedDB through Dexie (see DeviceStore for the contract). */
export class DexieDeviceStore implements DeviceStore {
  readonly db: KraamDb;
  #now: () => number;
  #newId: () => Id;
  #hourOf: (epochMs: number) => string;
  #beforeCommit: ((operation: WriteOperation) => void) | undefined;
  #deviceId: Id | undefined;

  constructor(db: KraamDb | string, options: DeviceStoreOptions = {}) {
    this.db = typeof db === 'string' ? new KraamDb(db) : db;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => uuidv7());
    this.#hourOf = options.hourOf ?? localHourKey;
    this.#beforeCommit = options.beforeCommit;
  }

  /** Opens (and creates or upgrades) the database before the first call needs it. */
  async open(): Promise<this> {
    await this.#read(() => this.db.open());
    return this;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  // --- plumbing ---------------------------------------------------------------------------

  async #read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /**
   * One readwrite transaction over `tables`. `fn` may await only Dexie calls on those tables:
   * an await on anything else lets IndexedDB commit early, splitting the all-or-nothing.
   */
  async #write<T>(operation: WriteOperation, tables: Table[], fn: () => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction('rw', tables, async () => {
        const result = await fn();
        this.#beforeCommit?.(operation);
        return result;
      });
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Reads this device's id inside the current transaction, creating it on first use. */
  async #deviceIdInTx(row: MetaRow | undefined): Promise<Id> {
    if (typeof row?.value === 'string') return (this.#deviceId = row.value);
    const id = this.#newId();
    await this.db.meta.put({ key: META.deviceId, value: id });
    return id;
  }

  // The three rows every mutation reads: who we are, the next seq, the newest HLC.
  #mutationMeta(): Promise<(MetaRow | undefined)[]> {
    return this.db.meta.bulkGet([META.deviceId, META.outboxSeq, META.lastHlc]);
  }

  // --- device and settings ---------------------------------------------------------------

  async deviceId(): Promise<Id> {
    if (this.#deviceId) return this.#deviceId;
    const stored = await this.#read(() => this.db.meta.get(META.deviceId));
    if (typeof stored?.value === 'string') return (this.#deviceId = stored.value);
    const id = await this.#write('deviceId', [this.db.meta], async () =>
      this.#deviceIdInTx(await this.db.meta.get(META.deviceId)),
    );
    this.#deviceId = id;
    return id;
  }

  lastHlc(): Promise<Hlc | undefined> {
    return this.#read(async () => {
      const row = await this.db.meta.get(META.lastHlc);
      return typeof row?.value === 'string' ? row.value : undefined;
    });
  }

  getProfile(): Promise<StallProfile | undefined> {
    return this.#read(() => this.db.profile.toCollection().first());
  }

  saveProfile(profile: StallProfile): Promise<void> {
    // One maker per device: replacing the profile removes any other row.
    return this.#write('saveProfile', [this.db.profile], async () => {
      await this.db.profile.where('id').notEqual(profile.id).delete();
      await this.db.profile.put(profile);
    });
  }

  getSetting<T>(key: string): Promise<T | undefined> {
    return this.#read(async () => {
      const row = await this.db.meta.get(META.settingPrefix + key);
      return row?.value as T | undefined;
    });
  }

  setSetting<T>(key: string, value: T): Promise<void> {
    return this.#write('setSetting', [this.db.meta], async () => {
      await this.db.meta.put({ key: META.settingPrefix + key, value });
    });
  }

  // --- products and events ---------------------------------------------------------------

  listProducts(options?: { includeArchived?: boolean }): Promise<Product[]> {
    return this.#read(async () => {
      const all = await this.db.products.toArray();
      return all
        .filter((p) => options?.includeArchived || !p.archived)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    });
  }

  getProduct(id: Id): Promise<Product | undefined> {
    return this.#read(() => this.db.products.get(id));
  }

  saveProduct(product: Product, hlc: Hlc, photo?: ProductPhoto): Promise<void> {
    if (photo && product.photoId !== photo.id) {
      return Promise.reject(
        new StoreError('invalid', 'The photo does not belong to this product.'),
      );
    }
    const { db } = this;
    const tables = [db.meta, db.products, db.photos, db.outbox, db.productClocks];
    return this.#write('saveProduct', tables, async () => {
      // An edit names the fields it changed, so the server can merge field by field (G6).
      const [previous, clocks] = await Promise.all([
        db.products.get(product.id),
        db.productClocks.get(product.id),
      ]);
      const changed = previous ? changedProductFields(previous, product) : undefined;
      const fields = changed ? { fields: changed } : {};
      await Promise.all([
        this.#queue({ type: 'product.upsert', product, hlc, ...fields }, hlc),
        db.products.put(product),
        // The server version stays: this edit has none of its own (sync-rules.ts).
        db.productClocks.put({
          ...clocks,
          id: product.id,
          fields: editedClocks(clocks?.fields, changed, hlc),
        }),
        photo ? db.photos.put(photo) : undefined,
      ]);
    });
  }

  getPhoto(id: Id): Promise<ProductPhoto | undefined> {
    return this.#read(() => this.db.photos.get(id));
  }

  putPhoto(photo: ProductPhoto): Promise<void> {
    return this.#write('putPhoto', [this.db.photos], async () => {
      await this.db.photos.put(photo);
    });
  }

  listEvents(): Promise<MarketEvent[]> {
    return this.#read(async () => {
      const all = await this.db.events.toArray();
      return all.sort((a, b) =>
        a.date < b.date ? 1 : a.date > b.date ? -1 : b.createdAt - a.createdAt,
      );
    });
  }

  getEvent(id: Id): Promise<MarketEvent | undefined> {
    return this.#read(() => this.db.events.get(id));
  }

  saveEvent(event: MarketEvent, hlc: Hlc): Promise<void> {
    const { db } = this;
    return this.#write('saveEvent', [db.meta, db.events, db.outbox], async () => {
      await Promise.all([
        this.#queue({ type: 'event.upsert', event, hlc }, hlc),
        db.events.put(event),
      ]);
    });
  }

  /**
   * Appends one mutation to the outbox with the next seq and moves the last HLC on. Only
   * inside a transaction that includes meta and outbox.
   */
  async #queue(mutation: Mutation, hlc: Hlc): Promise<OutboxEntry> {
    const [deviceRow, seqRow, hlcRow] = await this.#mutationMeta();
    const deviceId = await this.#deviceIdInTx(deviceRow);
    return this.#queueWith(mutation, hlc, deviceId, seqRow, hlcRow);
  }

  async #queueWith(
    mutation: Mutation,
    hlc: Hlc,
    deviceId: Id,
    seqRow: MetaRow | undefined,
    hlcRow: MetaRow | undefined,
  ): Promise<OutboxEntry> {
    const seq = (typeof seqRow?.value === 'number' ? seqRow.value : 0) + 1;
    const last = typeof hlcRow?.value === 'string' ? hlcRow.value : undefined;
    const entry = outboxEntry(seq, deviceId, mutation, this.#now());
    await Promise.all([
      this.db.outbox.add(entry),
      this.db.meta.bulkPut([
        { key: META.outboxSeq, value: seq },
        { key: META.lastHlc, value: laterHlc(last, hlc) },
      ]),
    ]);
    return entry;
  }

  // --- stock -----------------------------------------------------------------------------

  setOpeningStock(
    eventId: Id,
    productId: Id,
    openingCount: number | null,
    hlc: Hlc,
  ): Promise<void> {
    const { db } = this;
    return this.#write(
      'setOpeningStock',
      [db.meta, db.eventStock, db.stockMovements, db.outbox],
      async () => {
        const [current, [deviceRow, seqRow, hlcRow]] = await Promise.all([
          db.eventStock.get(stockId(eventId, productId)),
          this.#mutationMeta(),
        ]);
        // Only read when stock starts being kept (a bounded scan of one product's movements).
        const previous = current
          ? []
          : await db.stockMovements
              .where('[eventId+productId]')
              .equals([eventId, productId])
              .toArray();
        const deviceId = await this.#deviceIdInTx(deviceRow);
        const plan = planOpening(
          current,
          eventId,
          productId,
          openingCount,
          () => previous.reduce((sum, m) => sum + m.delta, 0),
          { deviceId, hlc, now: this.#now(), newId: this.#newId },
        );
        const writes: Promise<unknown>[] = [];
        if (plan.movement) {
          writes.push(
            db.stockMovements.add(plan.movement),
            this.#queueWith(
              { type: 'stock.movement', movement: plan.movement },
              hlc,
              deviceId,
              seqRow,
              hlcRow,
            ),
          );
        }
        if (plan.row === 'delete') writes.push(db.eventStock.delete(stockId(eventId, productId)));
        else if (plan.row) writes.push(db.eventStock.put(plan.row));
        await Promise.all(writes);
      },
    );
  }

  restock(eventId: Id, productId: Id, quantity: number, hlc: Hlc): Promise<void> {
    const { db } = this;
    return this.#write(
      'restock',
      [db.meta, db.eventStock, db.stockMovements, db.outbox],
      async () => {
        const [current, [deviceRow, seqRow, hlcRow]] = await Promise.all([
          db.eventStock.get(stockId(eventId, productId)),
          this.#mutationMeta(),
        ]);
        const deviceId = await this.#deviceIdInTx(deviceRow);
        const plan = planRestock(current, eventId, productId, quantity, {
          deviceId,
          hlc,
          now: this.#now(),
          newId: this.#newId,
        });
        await Promise.all([
          db.stockMovements.add(plan.movement),
          db.eventStock.put(plan.row),
          this.#queueWith(
            { type: 'stock.movement', movement: plan.movement },
            hlc,
            deviceId,
            seqRow,
            hlcRow,
          ),
        ]);
      },
    );
  }

  listEventStock(eventId: Id): Promise<EventStock[]> {
    return this.#read(() => this.db.eventStock.where('eventId').equals(eventId).toArray());
  }

  listStockMovements(eventId: Id): Promise<StockMovement[]> {
    return this.#read(async () => {
      const rows = await this.db.stockMovements
        .where('[eventId+productId]')
        .between([eventId, Dexie.minKey], [eventId, Dexie.maxKey])
        .toArray();
      return rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    });
  }

  // --- sales -----------------------------------------------------------------------------

  /**
   * The hot path. A bounded amount of work whatever the number of stored sales: three meta
   * rows, the event's summary row and the stock rows of the products sold are read by key;
   * everything else is a write. No scan, no index walk.
   */
  recordSale(input: NewSale): Promise<Sale> {
    try {
      checkNewSale(input);
    } catch (error) {
      return Promise.reject(toStoreError(error));
    }
    const { db } = this;
    const eventId = input.sale.eventId;
    return this.#write(
      'recordSale',
      [db.meta, db.sales, db.saleLines, db.stockMovements, db.eventStock, db.summaries, db.outbox],
      async () => {
        const [[deviceRow, seqRow, hlcRow, receiptRow], summaryRow, stockRows] = await Promise.all([
          db.meta.bulkGet([META.deviceId, META.outboxSeq, META.lastHlc, META.receiptCounter]),
          db.summaries.get(eventId),
          db.eventStock.bulkGet(stockIdsOf(input.movements)),
        ]);
        const deviceId = await this.#deviceIdInTx(deviceRow);
        const receiptNumber = (typeof receiptRow?.value === 'number' ? receiptRow.value : 0) + 1;
        const completed = completeSale(input, deviceId, receiptNumber);
        const { lines, movements } = completed;
        const rows = new Map<string, EventStock>();
        for (const row of stockRows) if (row) rows.set(row.id, row);
        const sale = flagOversell(completed.sale, rows, movements);
        const summary = applySale(
          summaryRow ?? emptySummary(eventId),
          sale,
          lines,
          this.#hourOf(sale.createdAt),
        );
        await Promise.all([
          db.sales.add(sale),
          db.saleLines.bulkAdd(lines),
          movements.length > 0 ? db.stockMovements.bulkAdd(movements) : undefined,
          db.eventStock.bulkPut(levelsAfter(rows, movements)),
          db.summaries.put(summary),
          db.meta.put({ key: META.receiptCounter, value: receiptNumber }),
          this.#queueWith(
            { type: 'sale.record', sale: withoutFlags(sale), lines, movements },
            sale.hlc,
            deviceId,
            seqRow,
            hlcRow,
          ),
        ]);
        return sale;
      },
    );
  }

  /** What correcting a sale writes (a void or a refund): one transaction over these tables. */
  #correctionTables() {
    const { db } = this;
    return [
      db.meta,
      db.sales,
      db.saleLines,
      db.refunds,
      db.stockMovements,
      db.eventStock,
      db.summaries,
      db.outbox,
    ];
  }

  voidSale(request: VoidRequest): Promise<Sale> {
    const { db } = this;
    return this.#write('voidSale', this.#correctionTables(), async () => {
      const [found, lines, original, refunds, [deviceRow, seqRow, hlcRow]] = await Promise.all([
        db.sales.get(request.saleId),
        db.saleLines.where('saleId').equals(request.saleId).toArray(),
        db.stockMovements.where('saleId').equals(request.saleId).toArray(),
        db.refunds.where('saleId').equals(request.saleId).toArray(),
        this.#mutationMeta(),
      ]);
      const { sale, reason } = checkVoid(found, request, refunds);
      const deviceId = await this.#deviceIdInTx(deviceRow);
      const movements = reverseMovements(original, request, deviceId, this.#newId);
      const [summaryRow, stockRows] = await Promise.all([
        db.summaries.get(sale.eventId),
        db.eventStock.bulkGet(stockIdsOf(movements)),
      ]);
      const rows = new Map<string, EventStock>();
      for (const row of stockRows) if (row) rows.set(row.id, row);
      lines.sort((a, b) => a.position - b.position);
      const summary = applyVoid(
        summaryRow ?? emptySummary(sale.eventId),
        sale,
        lines,
        this.#hourOf(sale.createdAt),
      );
      const voided: Sale = {
        ...sale,
        status: 'voided',
        voidReason: reason,
        voidedAt: request.voidedAt,
      };
      await Promise.all([
        db.sales.put(voided),
        movements.length > 0 ? db.stockMovements.bulkAdd(movements) : undefined,
        db.eventStock.bulkPut(levelsAfter(rows, movements)),
        db.summaries.put(summary),
        this.#queueWith(
          {
            type: 'sale.void',
            saleId: sale.id,
            reason,
            voidedAt: request.voidedAt,
            hlc: request.hlc,
            movements,
          },
          request.hlc,
          deviceId,
          seqRow,
          hlcRow,
        ),
      ]);
      return voided;
    });
  }

  recordRefund(request: RefundRequest): Promise<Refund> {
    const { db } = this;
    return this.#write('recordRefund', this.#correctionTables(), async () => {
      const [found, lines, earlier, saleMovements, [deviceRow, seqRow, hlcRow]] = await Promise.all(
        [
          db.sales.get(request.saleId),
          db.saleLines.where('saleId').equals(request.saleId).toArray(),
          db.refunds.where('saleId').equals(request.saleId).toArray(),
          db.stockMovements.where('saleId').equals(request.saleId).toArray(),
          this.#mutationMeta(),
        ],
      );
      const deviceId = await this.#deviceIdInTx(deviceRow);
      lines.sort((a, b) => a.position - b.position);
      if (await db.refunds.get(request.id)) {
        throw new StoreError(
          'invalid',
          'This refund was already saved once; it was not saved again.',
        );
      }
      const { refund, movements } = planRefundRecord(
        found,
        lines,
        earlier,
        saleMovements,
        request,
        deviceId,
        this.#newId,
      );
      const sale = found as Sale;
      const [summaryRow, stockRows] = await Promise.all([
        db.summaries.get(sale.eventId),
        db.eventStock.bulkGet(stockIdsOf(movements)),
      ]);
      const rows = new Map<string, EventStock>();
      for (const row of stockRows) if (row) rows.set(row.id, row);
      const summary = applyRefund(
        summaryRow ?? emptySummary(sale.eventId),
        refund,
        this.#hourOf(sale.createdAt),
      );
      await Promise.all([
        db.refunds.add(refund),
        movements.length > 0 ? db.stockMovements.bulkAdd(movements) : undefined,
        db.eventStock.bulkPut(levelsAfter(rows, movements)),
        db.summaries.put(summary),
        this.#queueWith(
          { type: 'refund.record', refund, movements },
          refund.hlc,
          deviceId,
          seqRow,
          hlcRow,
        ),
      ]);
      return refund;
    });
  }

  listLinkSales(eventId: Id): Promise<LinkSale[]> {
    return this.#read(async () => {
      const { db } = this;
      // Only an event with phone/card payments can hold one; the others are not read at all.
      const summary = await db.summaries.get(eventId);
      if (!summary?.byPayment.qr) return [];
      const sales = await db.sales
        .where('[eventId+receiptNumber]')
        .between([eventId, Dexie.minKey], [eventId, Dexie.maxKey])
        .filter((sale) => sale.payments.some((p) => p.via === 'link'))
        .toArray();
      const [records, settlements] = await Promise.all([
        db.linkPayments
          .where('saleId')
          .anyOf(sales.map((s) => s.id))
          .toArray(),
        db.linkSettlements.where('eventId').equals(eventId).toArray(),
      ]);
      return linkSalesOf(sales, records, settlements);
    });
  }

  settleLinkPayment(request: SettleRequest): Promise<LinkSettlement> {
    const { db } = this;
    return this.#write(
      'settleLinkPayment',
      [db.sales, db.linkPayments, db.linkSettlements, db.meta, db.outbox],
      async () => {
        const [sale, records, existing, [deviceRow, seqRow, hlcRow]] = await Promise.all([
          db.sales.get(request.saleId),
          db.linkPayments.where('saleId').equals(request.saleId).toArray(),
          db.linkSettlements.get(request.saleId),
          this.#mutationMeta(),
        ]);
        const deviceId = await this.#deviceIdInTx(deviceRow);
        const settlement = planSettlement(sale, records, existing, request, deviceId);
        await Promise.all([
          db.linkSettlements.add(settlement),
          this.#queueWith(
            { type: 'link.settle', settlement },
            settlement.hlc,
            deviceId,
            seqRow,
            hlcRow,
          ),
        ]);
        return settlement;
      },
    );
  }

  listRefunds(saleId: Id): Promise<Refund[]> {
    return this.#read(async () => {
      const rows = await this.db.refunds.where('saleId').equals(saleId).toArray();
      return rows.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
    });
  }

  listRefundStatuses(saleId: Id): Promise<ElectronicRefundStatus[]> {
    return this.#read(() =>
      this.db.refundStatuses.where('saleId').equals(saleId).sortBy('refundId'),
    );
  }

  listForExport(selection: ExportSelection): Promise<ExportData> {
    return this.#read(() =>
      this.db.transaction('r', [this.db.sales, this.db.saleLines, this.db.refunds], async () => {
        const db = this.db;
        const [sales, refunds] =
          'eventId' in selection
            ? await Promise.all([
                db.sales
                  .where('[eventId+receiptNumber]')
                  .between([selection.eventId, Dexie.minKey], [selection.eventId, Dexie.maxKey])
                  .toArray(),
                db.refunds.where('eventId').equals(selection.eventId).toArray(),
              ])
            : await Promise.all([
                db.sales
                  .where('createdAt')
                  .between(selection.from, selection.to, true, false)
                  .toArray(),
                db.refunds
                  .where('createdAt')
                  .between(selection.from, selection.to, true, false)
                  .toArray(),
              ]);
        const have = new Set(sales.map((sale) => sale.id));
        const missing = [...new Set(refunds.map((r) => r.saleId))].filter((id) => !have.has(id));
        const refundedSales = (await db.sales.bulkGet(missing)).filter(
          (sale): sale is Sale => sale !== undefined,
        );
        const ids = [...sales, ...refundedSales].map((sale) => sale.id);
        const lines =
          ids.length === 0 ? [] : await db.saleLines.where('saleId').anyOf(ids).toArray();
        return { sales, lines, refunds, refundedSales };
      }),
    );
  }

  /**
   * A page of rows of [from, to) in (createdAt, id) order after `after`, by the createdAt
   * index (equal keys come in primary-key order): the rows at the cursor's own time with a
   * greater id (few), then the later ones. No filter on the long part, so it reads by getAll.
   */
  async #timePage<T extends Sale | Refund>(
    table: EntityTable<T, 'id'>,
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<T[]> {
    if (!after) {
      return table
        .where('createdAt')
        .between(range.from, range.to, true, false)
        .limit(limit)
        .toArray();
    }
    const ties =
      after.at >= range.from && after.at < range.to
        ? await table
            .where('createdAt')
            .equals(after.at)
            .filter((row) => row.id > after.id)
            .limit(limit)
            .toArray()
        : [];
    if (ties.length >= limit) return ties;
    const rest = await table
      .where('createdAt')
      .between(Math.max(after.at, range.from), range.to, after.at < range.from, false)
      .limit(limit - ties.length)
      .toArray();
    return [...ties, ...rest];
  }

  /**
   * The lines of these sales, in saleId order. `where('saleId').anyOf(ids)` walks a cursor, one
   * IndexedDB round trip a line (most of a year's export in Chromium). Sale ids are UUIDv7,
   * time-ordered, so a page of sales in time order is one short stretch of the saleId index:
   * one getAll over [first id, last id], at most `cap` rows, keeping the page's own lines.
   * When that read stops at the cap (ids far apart: a refunds page), the sales from where it
   * stopped are read with one getAll each.
   */
  async #linesOf(saleIds: readonly Id[]): Promise<SaleLine[]> {
    if (saleIds.length === 0) return [];
    const ids = [...new Set(saleIds)].sort();
    const wanted = new Set(ids);
    const cap = ids.length * 8 + 256;
    const stretch = await this.db.saleLines
      .where('saleId')
      .between(ids[0], ids[ids.length - 1], true, true)
      .limit(cap)
      .toArray();
    // The last sale of a stretch cut at the bound may be cut short: it and the later ones are
    // read whole.
    const stop = stretch.length < cap ? undefined : stretch[stretch.length - 1]?.saleId;
    if (stop === undefined) return stretch.filter((line) => wanted.has(line.saleId));
    const rest = await Promise.all(
      ids
        .filter((id) => id >= stop)
        .map((id) => this.db.saleLines.where('saleId').equals(id).toArray()),
    );
    return [
      ...stretch.filter((line) => line.saleId < stop && wanted.has(line.saleId)),
      ...rest.flat(),
    ];
  }

  listExportSales(
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportSalesPage> {
    return this.#read(() =>
      this.db.transaction('r', [this.db.sales, this.db.saleLines], async () => {
        const sales = await this.#timePage(this.db.sales, range, after, limit);
        return { sales, lines: await this.#linesOf(sales.map((s) => s.id)) };
      }),
    );
  }

  listExportRefunds(
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportRefundsPage> {
    return this.#read(() =>
      this.db.transaction('r', [this.db.sales, this.db.saleLines, this.db.refunds], async () => {
        const refunds = await this.#timePage(this.db.refunds, range, after, limit);
        const saleIds = [...new Set(refunds.map((r) => r.saleId))];
        const sales = (await this.db.sales.bulkGet(saleIds)).filter(
          (sale): sale is Sale => sale !== undefined,
        );
        return { refunds, sales, lines: await this.#linesOf(sales.map((s) => s.id)) };
      }),
    );
  }

  countForExport(range: { from: number; to: number }): Promise<number> {
    return this.#read(async () => {
      const [sales, refunds] = await Promise.all([
        this.db.sales.where('createdAt').between(range.from, range.to, true, false).count(),
        this.db.refunds.where('createdAt').between(range.from, range.to, true, false).count(),
      ]);
      return sales + refunds;
    });
  }

  getSale(id: Id): Promise<Sale | undefined> {
    return this.#read(() => this.db.sales.get(id));
  }

  async listSavedCarts(): Promise<SavedCart[]> {
    const rows = await this.#read(() => this.db.carts.toArray());
    return rows.sort((a, b) => b.savedAt - a.savedAt);
  }

  saveCart(saved: SavedCart, takenFrom?: string): Promise<void> {
    const { db } = this;
    return this.#write('saveCart', [db.carts], async () => {
      if (takenFrom !== undefined && takenFrom !== saved.tabId) await db.carts.delete(takenFrom);
      await db.carts.put(saved);
    });
  }

  forgetCart(tabId: string): Promise<void> {
    const { db } = this;
    return this.#write('saveCart', [db.carts], async () => {
      await db.carts.delete(tabId);
    });
  }

  getSaleLines(saleId: Id): Promise<SaleLine[]> {
    return this.#read(async () => {
      const lines = await this.db.saleLines.where('saleId').equals(saleId).toArray();
      return lines.sort((a, b) => a.position - b.position);
    });
  }

  #eventSales(eventId: Id) {
    return this.db.sales
      .where('[eventId+receiptNumber]')
      .between([eventId, Dexie.minKey], [eventId, Dexie.maxKey]);
  }

  listSales(eventId: Id, options?: { limit?: number; offset?: number }): Promise<Sale[]> {
    return this.#read(async () => {
      const { limit, offset } = pageOf(options);
      if (limit === 0) return [];
      return this.#eventSales(eventId).reverse().offset(offset).limit(limit).toArray();
    });
  }

  lastSale(eventId: Id): Promise<Sale | undefined> {
    return this.#read(() => this.#eventSales(eventId).last());
  }

  getSummary(eventId: Id): Promise<EventSummaryAggregate> {
    return this.#read(async () => (await this.db.summaries.get(eventId)) ?? emptySummary(eventId));
  }

  listSummaries(): Promise<EventSummaryAggregate[]> {
    return this.#read(() => this.db.summaries.toArray());
  }

  async recomputeSummary(
    eventId: Id,
    options?: { repair?: boolean },
  ): Promise<EventSummaryAggregate> {
    const { db } = this;
    const build = async () => {
      const sales = await this.#eventSales(eventId).toArray();
      const lines = await db.saleLines
        .where('saleId')
        .anyOf(sales.map((s) => s.id))
        .toArray();
      const bySale = new Map<Id, SaleLine[]>();
      for (const line of lines.sort((a, b) => a.position - b.position)) {
        const list = bySale.get(line.saleId);
        if (list) list.push(line);
        else bySale.set(line.saleId, [line]);
      }
      const refunds = await db.refunds.where('eventId').equals(eventId).toArray();
      const refundsBySale = new Map<Id, Refund[]>();
      for (const refund of refunds.sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0))) {
        const list = refundsBySale.get(refund.saleId);
        if (list) list.push(refund);
        else refundsBySale.set(refund.saleId, [refund]);
      }
      return recompute(
        eventId,
        sales,
        bySale,
        (sale) => this.#hourOf(sale.createdAt),
        refundsBySale,
      );
    };
    if (!options?.repair) return this.#read(build);
    return this.#write(
      'recomputeSummary',
      [db.sales, db.saleLines, db.refunds, db.summaries],
      async () => {
        const summary = await build();
        await db.summaries.put(summary);
        return summary;
      },
    );
  }

  // --- cash book (cashbook-store.ts) -------------------------------------------------------

  /**
   * The cash sales and refunds of this device at the event, read in the current transaction:
   * from the event's kept aggregate (and the sales of this device's cash settlements), or,
   * for an aggregate stored before it kept them, counted from the event's sales.
   */
  async #takings(rules: CashbookRules, eventId: Id, deviceId: Id) {
    const { db } = this;
    const [summary, eventSettlements] = await Promise.all([
      db.summaries.get(eventId),
      db.linkSettlements.where('eventId').equals(eventId).toArray(),
    ]);
    if (summary?.cashByDevice) {
      const settled = rules.cashSettlements(deviceId, eventSettlements);
      const sales = settled.length
        ? (await db.sales.bulkGet(settled.map((s) => s.saleId))).filter((x) => x !== undefined)
        : [];
      return rules.summaryTakings(deviceId, summary, sales, settled)!;
    }
    const [sales, refunds, settlements] = await Promise.all([
      db.sales
        .where('[eventId+receiptNumber]')
        .between([eventId, Dexie.minKey], [eventId, Dexie.maxKey])
        .toArray(),
      db.refunds.where('eventId').equals(eventId).toArray(),
      db.linkSettlements.where('eventId').equals(eventId).toArray(),
    ]);
    return rules.takings(deviceId, sales, refunds, settlements);
  }

  /** This device's day of the event: its book row, movements and report. */
  #dayRows(rules: CashbookRules, eventId: Id, deviceId: Id) {
    const { db } = this;
    return Promise.all([
      db.cashDays.get(rules.cashDayId(eventId, deviceId)),
      db.cashMovements.where('[eventId+deviceId]').equals([eventId, deviceId]).toArray(),
      db.cashReports.where('[eventId+deviceId]').equals([eventId, deviceId]).first(),
    ]);
  }

  #cashTables() {
    const { db } = this;
    return [
      db.meta,
      db.events,
      db.sales,
      db.refunds,
      db.linkSettlements,
      db.summaries,
      db.cashDays,
      db.cashMovements,
      db.cashReports,
      db.outbox,
    ];
  }

  async openCashDay(request: OpenCashDayRequest): Promise<CashDay> {
    const { db } = this;
    const rules = await cashbookRules();
    return this.#write('openCashDay', this.#cashTables(), async () => {
      const [event, [deviceRow, seqRow, hlcRow]] = await Promise.all([
        db.events.get(request.eventId),
        this.#mutationMeta(),
      ]);
      const deviceId = await this.#deviceIdInTx(deviceRow);
      const existing = await db.cashDays.get(rules.cashDayId(request.eventId, deviceId));
      const day = rules.planOpenDay(event, existing, request, deviceId);
      await Promise.all([
        db.cashDays.add(day),
        this.#queueWith({ type: 'cashbook.open', day }, day.hlc, deviceId, seqRow, hlcRow),
      ]);
      return day;
    });
  }

  async recordCashMovement(request: CashMovementRequest): Promise<CashMovement> {
    const { db } = this;
    const rules = await cashbookRules();
    return this.#write('recordCashMovement', this.#cashTables(), async () => {
      const [deviceRow, seqRow, hlcRow] = await this.#mutationMeta();
      const deviceId = await this.#deviceIdInTx(deviceRow);
      const [[day, movements, report], figures, corrected, usedId] = await Promise.all([
        this.#dayRows(rules, request.eventId, deviceId),
        this.#takings(rules, request.eventId, deviceId),
        request.correctsReportId ? db.cashReports.get(request.correctsReportId) : undefined,
        db.cashMovements.get(request.id),
      ]);
      if (usedId) {
        throw new StoreError(
          'invalid',
          'This movement was already saved once; it was not saved again.',
        );
      }
      const movement = rules.planCashMovement(day, report, movements, figures, corrected, request);
      await Promise.all([
        db.cashMovements.add(movement),
        this.#queueWith(
          { type: 'cashbook.movement', movement },
          movement.hlc,
          deviceId,
          seqRow,
          hlcRow,
        ),
      ]);
      return movement;
    });
  }

  async closeCashDay(request: CloseCashDayRequest): Promise<CashDayReport> {
    const { db } = this;
    const rules = await cashbookRules();
    return this.#write('closeCashDay', this.#cashTables(), async () => {
      const [[deviceRow, seqRow, hlcRow], counterRow] = await Promise.all([
        this.#mutationMeta(),
        db.meta.get(META.cashReportCounter),
      ]);
      const deviceId = await this.#deviceIdInTx(deviceRow);
      const [[day, movements, report], figures, usedId] = await Promise.all([
        this.#dayRows(rules, request.eventId, deviceId),
        this.#takings(rules, request.eventId, deviceId),
        db.cashReports.get(request.id),
      ]);
      if (usedId) {
        throw new StoreError(
          'invalid',
          'This report was already saved once; it was not saved again.',
        );
      }
      const number = (typeof counterRow?.value === 'number' ? counterRow.value : 0) + 1;
      const made = rules.planCloseDay(day, report, movements, figures, number, request);
      await Promise.all([
        db.cashReports.add(made),
        db.meta.put({ key: META.cashReportCounter, value: number }),
        this.#queueWith(
          { type: 'cashbook.close', report: made },
          made.hlc,
          deviceId,
          seqRow,
          hlcRow,
        ),
      ]);
      return made;
    });
  }

  async getCashBook(eventId: Id): Promise<CashBook> {
    const { db } = this;
    const rules = await cashbookRules();
    return this.#read(() =>
      db.transaction('r', this.#cashTables(), async () => {
        const deviceRow = await db.meta.get(META.deviceId);
        const deviceId = typeof deviceRow?.value === 'string' ? deviceRow.value : undefined;
        if (deviceId === undefined) {
          return rules.bookOf(undefined, [], undefined, {
            cashSalesCents: 0,
            cashRefundsCents: 0,
          });
        }
        const [[day, movements, report], figures] = await Promise.all([
          this.#dayRows(rules, eventId, deviceId),
          this.#takings(rules, eventId, deviceId),
        ]);
        return rules.bookOf(day, movements, report, figures);
      }),
    );
  }

  async listCashReports(eventId?: Id): Promise<CashDayReport[]> {
    const rules = await cashbookRules();
    return this.#read(async () => {
      const rows =
        eventId === undefined
          ? await this.db.cashReports.toArray()
          : await this.db.cashReports.where('eventId').equals(eventId).toArray();
      return rules.sortReports(rows);
    });
  }

  // --- outbox ----------------------------------------------------------------------------

  pendingCount(): Promise<number> {
    return this.#read(() => this.db.outbox.count());
  }

  pendingSalesCount(): Promise<number> {
    // The outbox is indexed by seq only; it is short while an account sends it.
    return this.#read(() =>
      this.db.outbox.filter((entry) => entry.mutation.type === 'sale.record').count(),
    );
  }

  readOutbox(limit: number): Promise<OutboxEntry[]> {
    return this.#read(() => this.db.outbox.orderBy('seq').limit(pageOf({ limit }).limit).toArray());
  }

  acknowledge(upTo: number): Promise<void> {
    return this.#write('acknowledge', [this.db.outbox], async () => {
      await this.db.outbox.where('seq').belowOrEqual(upTo).delete();
    });
  }

  // --- sync ------------------------------------------------------------------------------

  listStalls(eventId: Id): Promise<Stall[]> {
    return this.#read(async () => {
      const rows = await this.db.stalls.where('eventId').equals(eventId).toArray();
      return rows.sort((a, b) => a.label.localeCompare(b.label) || (a.id < b.id ? -1 : 1));
    });
  }

  listAssignments(eventId: Id): Promise<StallAssignment[]> {
    return this.#read(() => this.db.assignments.where('eventId').equals(eventId).toArray());
  }

  getEventMap(eventId: Id): Promise<EventMapData | undefined> {
    return this.#read(() => this.db.eventMaps.get(eventId));
  }

  listAnnouncements(eventId: Id): Promise<AnnouncementData[]> {
    return this.#read(async () => {
      const rows = await this.db.announcements.where('eventId').equals(eventId).toArray();
      return rows.sort(newestFirst);
    });
  }

  getMakerResults(eventId: Id): Promise<MakerResultsData | undefined> {
    return this.#read(() => this.db.makerResults.get(eventId));
  }

  getSyncState(): Promise<SyncState> {
    return this.#read(async () => {
      const [epoch, cursor, lastSyncAt, seq] = await this.db.meta.bulkGet([
        META.syncEpoch,
        META.syncCursor,
        META.lastSyncAt,
        META.outboxSeq,
      ]);
      return {
        epoch: typeof epoch?.value === 'string' ? epoch.value : null,
        cursor: typeof cursor?.value === 'string' ? cursor.value : null,
        lastSyncAt: typeof lastSyncAt?.value === 'number' ? lastSyncAt.value : null,
        highestSeq: typeof seq?.value === 'number' ? seq.value : 0,
      };
    });
  }

  saveSyncState(patch: SyncStatePatch): Promise<void> {
    const rows: MetaRow[] = [];
    if (patch.epoch !== undefined) rows.push({ key: META.syncEpoch, value: patch.epoch });
    if (patch.lastSyncAt !== undefined)
      rows.push({ key: META.lastSyncAt, value: patch.lastSyncAt });
    return this.#write('saveSyncState', [this.db.meta], async () => {
      await this.db.meta.bulkPut(rows);
    });
  }

  applyPull(page: PulledPage): Promise<void> {
    const { db } = this;
    const keys = pullKeys(page.changes);
    const tables = [
      db.meta,
      db.products,
      db.productClocks,
      db.events,
      db.stalls,
      db.assignments,
      db.sales,
      db.saleLines,
      db.refunds,
      db.stockMovements,
      db.eventStock,
      db.summaries,
      db.eventMaps,
      db.announcements,
      db.makerResults,
      db.cashDays,
      db.cashMovements,
      db.cashReports,
      db.linkPayments,
      db.refundStatuses,
      db.linkSettlements,
    ];
    return this.#write('applyPull', tables, async () => {
      const pulledCodes = deviceCodesIn(page.changes);
      const [
        sales,
        movements,
        stockRows,
        summaries,
        clocks,
        eventVersionsRow,
        refundRows,
        codesRow,
        ownDeviceRow,
      ] = await Promise.all([
        db.sales.bulkGet(keys.saleIds),
        db.stockMovements.bulkGet(keys.movementIds),
        db.eventStock.bulkGet(keys.stockIds),
        db.summaries.bulkGet(keys.eventIds),
        db.productClocks.bulkGet(keys.productIds),
        db.meta.get(META.eventVersions),
        db.refunds.bulkGet(keys.refundIds),
        db.meta.get(META.deviceCodes),
        db.meta.get(META.deviceId),
      ]);
      const eventVersions = new Map<Id, number>(
        Object.entries(versionRecord(eventVersionsRow?.value)),
      );
      const productVersions = new Map<Id, number>();
      for (const row of clocks) {
        if (row?.version !== undefined) productVersions.set(row.id, row.version);
      }
      const localSales = new Map<Id, Sale>();
      for (const sale of sales) if (sale) localSales.set(sale.id, sale);
      const stock = new Map<string, EventStock>();
      for (const row of stockRows) if (row) stock.set(row.id, row);
      // Lines are only needed for a local sale the page voids (to take back what it counted).
      const voiding = page.changes.flatMap((c) =>
        c.entity === 'sale' &&
        c.data.sale.status === 'voided' &&
        localSales.get(c.data.sale.id)?.status === 'completed'
          ? [c.data.sale.id]
          : [],
      );
      const lineRows = voiding.length
        ? await db.saleLines.where('saleId').anyOf(voiding).toArray()
        : [];
      const lines = new Map<Id, SaleLine[]>();
      for (const line of lineRows)
        lines.set(line.saleId, [...(lines.get(line.saleId) ?? []), line]);
      const sums = new Map<string, MovementSums>();
      for (const pair of pairsNeedingSums(page.changes, stock)) {
        const known = await db.stockMovements
          .where('[eventId+productId]')
          .equals([pair.eventId, pair.productId])
          .toArray();
        sums.set(pair.id, sumMovements(known));
      }
      const plan = planPull(
        page.changes,
        {
          sales: localSales,
          lines,
          movementIds: new Set(movements.flatMap((m) => (m ? [m.id] : []))),
          stock,
          summaries: new Map(summaries.flatMap((s) => (s ? [[s.eventId, s] as const] : []))),
          sums,
          productVersions,
          eventVersions,
          refundIds: new Set(refundRows.flatMap((r) => (r ? [r.id] : []))),
        },
        this.#hourOf,
      );
      const deletions = {
        product: db.products,
        event: db.events,
        stall: db.stalls,
        stall_assignment: db.assignments,
      } as const;
      for (const { id, version } of plan.eventVersions) {
        if (version === undefined) eventVersions.delete(id);
        else eventVersions.set(id, version);
      }
      await Promise.all([
        db.products.bulkPut(plan.products),
        db.productClocks.bulkPut(plan.productClocks),
        db.events.bulkPut(plan.events),
        db.stalls.bulkPut(plan.stalls),
        db.assignments.bulkPut(plan.assignments),
        db.sales.bulkPut(plan.sales),
        db.saleLines.bulkPut(plan.lines),
        db.stockMovements.bulkPut(plan.movements),
        db.eventStock.bulkPut(plan.stock),
        db.summaries.bulkPut(plan.summaries),
        db.refunds.bulkPut(plan.refunds),
        // Another device's cash book: kept as the server sent it; never this device's own.
        db.cashDays.bulkPut(plan.cashDays.filter((r) => r.deviceId !== ownDeviceRow?.value)),
        db.cashMovements.bulkPut(
          plan.cashMovements.filter((r) => r.deviceId !== ownDeviceRow?.value),
        ),
        db.cashReports.bulkPut(plan.cashReports.filter((r) => r.deviceId !== ownDeviceRow?.value)),
        db.eventMaps.bulkPut(plan.eventMaps),
        db.announcements.bulkPut(plan.announcements),
        db.makerResults.bulkPut(plan.makerResults),
        db.linkPayments.bulkPut(plan.linkPayments),
        db.linkSettlements.bulkPut(plan.linkSettlements),
        db.refundStatuses
          .bulkGet(plan.refundStatuses.map((r) => r.refundId))
          .then((held) =>
            db.refundStatuses.bulkPut(
              plan.refundStatuses.map((r, i) => mergeRefundStatus(held[i], r)),
            ),
          ),
        ...plan.deletions.map((d) => deletions[d.entity].delete(d.id)),
        db.meta.bulkPut([
          { key: META.syncCursor, value: page.cursor },
          { key: META.syncEpoch, value: page.epoch },
          ...(plan.eventVersions.length > 0
            ? [{ key: META.eventVersions, value: Object.fromEntries(eventVersions) }]
            : []),
          ...(Object.keys(pulledCodes).length > 0
            ? [
                {
                  key: META.deviceCodes,
                  value: { ...deviceCodeRecord(codesRow?.value), ...pulledCodes },
                },
              ]
            : []),
        ]),
      ]);
    });
  }

  async getDeviceCodes(): Promise<Record<Id, string>> {
    const row = await this.#read(() => this.db.meta.get(META.deviceCodes));
    return deviceCodeRecord(row?.value);
  }

  saveDeviceCode(deviceId: Id, code: string): Promise<void> {
    if (!isDeviceCode(code)) {
      return Promise.reject(new StoreError('invalid', 'A device code is 1 to 3 capital letters.'));
    }
    const { db } = this;
    return this.#write('saveDeviceCode', [db.meta], async () => {
      const row = await db.meta.get(META.deviceCodes);
      const codes = deviceCodeRecord(row?.value);
      if (codes[deviceId] === code) return;
      await db.meta.put({ key: META.deviceCodes, value: { ...codes, [deviceId]: code } });
    });
  }

  rebaseOutbox(fromSeq: number, epoch: string): Promise<number> {
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) {
      return Promise.reject(new StoreError('invalid', 'A sequence starts at 1.'));
    }
    const { db } = this;
    const tables = [
      db.meta,
      db.outbox,
      db.events,
      db.products,
      db.productClocks,
      db.sales,
      db.saleLines,
      db.stockMovements,
      db.refunds,
      db.cashDays,
      db.cashMovements,
      db.cashReports,
    ];
    return this.#write('rebaseOutbox', tables, async () => {
      const [
        events,
        products,
        clocks,
        sales,
        lines,
        movements,
        refunds,
        [deviceRow, hlcRow],
        cashDays,
        cashMovements,
        cashReports,
      ] = await Promise.all([
        db.events.toArray(),
        db.products.toArray(),
        db.productClocks.toArray(),
        db.sales.toArray(),
        db.saleLines.toArray(),
        db.stockMovements.toArray(),
        db.refunds.toArray(),
        db.meta.bulkGet([META.deviceId, META.lastHlc]),
        db.cashDays.toArray(),
        db.cashMovements.toArray(),
        db.cashReports.toArray(),
      ]);
      const deviceId = await this.#deviceIdInTx(deviceRow);
      const now = this.#now();
      const linesBySale = new Map<Id, SaleLine[]>();
      for (const line of lines)
        linesBySale.set(line.saleId, [...(linesBySale.get(line.saleId) ?? []), line]);
      const items = rebaseMutations({
        deviceId,
        events,
        products,
        productClocks: new Map(clocks.map((row) => [row.id, row.fields])),
        sales,
        linesBySale,
        movements,
        refunds,
        cashDays,
        cashMovements,
        cashReports,
        hlc:
          typeof hlcRow?.value === 'string'
            ? hlcRow.value
            : formatHlc({ wallMs: Math.max(0, Math.floor(now)), counter: 0, node: deviceId }),
      });
      const entries = items.map((item, i) =>
        outboxEntry(fromSeq + i, deviceId, item.mutation, now),
      );
      await db.outbox.clear();
      await Promise.all([
        db.outbox.bulkAdd(entries),
        // The server lost data (a restore): its product versions may count from lower again,
        // so the held ones are forgotten and the next pulled state of each product is kept.
        db.productClocks.bulkPut(clocks.map(({ version: _version, ...row }) => row)),
        db.meta.delete(META.eventVersions),
        db.meta.bulkPut([
          { key: META.outboxSeq, value: fromSeq - 1 + entries.length },
          { key: META.syncEpoch, value: epoch },
          { key: META.syncCursor, value: null },
        ]),
      ]);
      return entries.length;
    });
  }
}
