import { mergeRefundStatus, type ElectronicRefundStatus } from '$lib/domain/electronic-refund';
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
  ProductClocks,
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
import type { DeviceStoreOptions, WriteOperation } from './dexie-store';
import {
  linkSalesOf,
  planSettlement,
  type LinkSale,
  type SettleRequest,
} from './link-payment-store';
import type { LinkPaymentRecord } from '$lib/domain/link-payment';
import { toStoreError } from './errors';
import {
  changedProductFields,
  deviceCodesIn,
  editedClocks,
  newestFirst,
  pairsNeedingSums,
  planPull,
  pullKeys,
  rebaseMutations,
  sumMovements,
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
import {
  cashDayId,
  type CashDay,
  type CashDayReport,
  type CashMovement,
} from '$lib/domain/cashbook';
import type {
  CashBook,
  CashMovementRequest,
  CloseCashDayRequest,
  OpenCashDayRequest,
} from './cashbook-store';
import {
  bookOf,
  planCashMovement,
  planCloseDay,
  planOpenDay,
  sortReports,
  takings,
  summaryTakings,
  cashSettlements,
} from './cashbook-rules';

/**
 * What the in-memory store holds. Kept apart from the store object so a test can "reopen"
 * the same data with a new store, as the Dexie store reopens the same database.
 */
export interface MemoryBacking {
  deviceId: Id | undefined;
  receiptCounter: number;
  outboxSeq: number;
  lastHlc: Hlc | undefined;
  settings: Map<string, unknown>;
  profile: StallProfile | undefined;
  products: Map<Id, Product>;
  /** Per product, the clock of each field's value [G6]. */
  productClocks: Map<Id, ProductClocks>;
  /** Per product, the server version of the state held (Dexie: `productClocks.version`) [G5]. */
  productVersions: Map<Id, number>;
  /** Per event, the server version held (Dexie: meta `sync.eventVersions`) [G5]. */
  eventVersions: Map<Id, number>;
  /** Per device id, its code (Dexie: meta `sync.deviceCodes`; SPEC.md, "Device codes"). */
  deviceCodes: Map<Id, string>;
  /** The tills' saved carts by tab (Dexie: table `carts`). */
  savedCarts: Map<string, SavedCart>;
  photos: Map<Id, ProductPhoto>;
  events: Map<Id, MarketEvent>;
  eventStock: Map<string, EventStock>;
  movements: Map<Id, StockMovement>;
  sales: Map<Id, Sale>;
  linesBySale: Map<Id, SaleLine[]>;
  /** Refunds by id, in the order they were recorded. */
  refunds: Map<Id, Refund>;
  summaries: Map<Id, EventSummaryAggregate>;
  /** The cash book (Dexie: cashDays, cashMovements, cashReports, meta counter.cashReport). */
  cashDays: Map<string, CashDay>;
  cashMovements: Map<Id, CashMovement>;
  cashReports: Map<Id, CashDayReport>;
  cashReportCounter: number;
  /** In seq order (insertion order of a Map, and seqs only grow). */
  outbox: Map<number, OutboxEntry>;
  stalls: Map<Id, Stall>;
  assignments: Map<Id, StallAssignment>;
  eventMaps: Map<Id, EventMapData>;
  announcements: Map<Id, AnnouncementData>;
  makerResults: Map<Id, MakerResultsData>;
  /** Version 6: pulled records of payments on the stall's payment link, by session id. */
  linkPayments: Map<string, LinkPaymentRecord>;
  /** Dexie `refundStatuses` (version 6): by refund id. */
  refundStatuses: Map<Id, ElectronicRefundStatus>;
  /** Dexie `linkSettlements` (version 7): by sale id. */
  linkSettlements: Map<Id, LinkSettlement>;
  syncEpoch: string | null;
  syncCursor: string | null;
  lastSyncAt: number | null;
}

export function emptyBacking(): MemoryBacking {
  return {
    deviceId: undefined,
    receiptCounter: 0,
    outboxSeq: 0,
    lastHlc: undefined,
    settings: new Map(),
    profile: undefined,
    products: new Map(),
    productClocks: new Map(),
    productVersions: new Map(),
    eventVersions: new Map(),
    deviceCodes: new Map(),
    savedCarts: new Map(),
    photos: new Map(),
    events: new Map(),
    eventStock: new Map(),
    movements: new Map(),
    sales: new Map(),
    linesBySale: new Map(),
    refunds: new Map(),
    summaries: new Map(),
    cashDays: new Map(),
    cashMovements: new Map(),
    cashReports: new Map(),
    cashReportCounter: 0,
    outbox: new Map(),
    stalls: new Map(),
    assignments: new Map(),
    eventMaps: new Map(),
    announcements: new Map(),
    makerResults: new Map(),
    linkPayments: new Map(),
    refundStatuses: new Map(),
    linkSettlements: new Map(),
    syncEpoch: null,
    syncCursor: null,
    lastSyncAt: null,
  };
}

/** Copies like IndexedDB's structured clone: a caller mutating an object never edits the store. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * `copy` for JSON data (what a pulled page is: parsed from the server's answer), several
 * times faster than structuredClone on a page of a thousand sales; anything that is not
 * plain JSON data (a Date, a Map, a Blob, a class) goes through structuredClone.
 */
function copyData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyData((value as Record<string, unknown>)[key]);
    // An own "__proto__" key (JSON.parse makes one) stays a key, as structuredClone keeps it.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = item;
  }
  return out as T;
}

/** Photos hold a Blob, which is immutable; a shallow copy is what IndexedDB's clone amounts to. */
function copyPhoto(photo: ProductPhoto): ProductPhoto {
  return { ...photo };
}

/**
 * The in-memory twin of DexieDeviceStore: the same contract (each part's *-store.contract.ts
 * runs against both), for unit tests of code above the store. Every write first works out the whole
 * change from the current state, then runs the failure hook, then applies the change in one
 * synchronous step, so a failure leaves nothing behind, like an aborted transaction.
 */
export class MemoryDeviceStore implements DeviceStore {
  readonly backing: MemoryBacking;
  #closed = false;
  #failNext: unknown[] = [];
  #now: () => number;
  #newId: () => Id;
  #hourOf: (epochMs: number) => string;
  #beforeCommit: ((operation: WriteOperation) => void) | undefined;

  constructor(options: DeviceStoreOptions & { backing?: MemoryBacking } = {}) {
    this.backing = options.backing ?? emptyBacking();
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => uuidv7());
    this.#hourOf = options.hourOf ?? localHourKey;
    this.#beforeCommit = options.beforeCommit;
  }

  /**
   * Test hook: the next write fails with `error` after it worked out its change and before
   * applying it. Raw errors (e.g. a DOMException 'QuotaExceededError') are mapped like the
   * Dexie store maps them.
   */
  failNextWrite(error: unknown): void {
    this.#failNext.push(error);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  // --- plumbing ---------------------------------------------------------------------------

  #checkOpen(): void {
    if (this.#closed) {
      throw new DOMException('The database connection is closed.', 'InvalidStateError');
    }
  }

  async #read<T>(fn: () => T): Promise<T> {
    try {
      this.#checkOpen();
      return fn();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** `plan` reads and decides, returning the change; nothing is applied unless all of it can be. */
  async #write<T>(
    operation: WriteOperation,
    plan: () => { apply: () => void; result: T },
  ): Promise<T> {
    try {
      this.#checkOpen();
      const { apply, result } = plan();
      this.#beforeCommit?.(operation);
      if (this.#failNext.length > 0) throw this.#failNext.shift();
      apply();
      return result;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** This device's id, created as part of the change when it does not exist yet. */
  #device(): { deviceId: Id; apply: () => void } {
    const existing = this.backing.deviceId;
    if (existing) return { deviceId: existing, apply: () => undefined };
    const deviceId = this.#newId();
    return { deviceId, apply: () => (this.backing.deviceId = deviceId) };
  }

  /** Queues mutations in order after the current outbox; returns how to apply them. */
  #queue(deviceId: Id, items: { mutation: Mutation; hlc: Hlc }[]): () => void {
    const b = this.backing;
    let seq = b.outboxSeq;
    let last = b.lastHlc;
    const entries = items.map(({ mutation, hlc }) => {
      seq += 1;
      last = laterHlc(last, hlc);
      return outboxEntry(seq, deviceId, copy(mutation), this.#now());
    });
    const nextSeq = seq;
    const nextHlc = last;
    return () => {
      for (const entry of entries) b.outbox.set(entry.seq, entry);
      b.outboxSeq = nextSeq;
      b.lastHlc = nextHlc;
    };
  }

  // --- device and settings ---------------------------------------------------------------

  deviceId(): Promise<Id> {
    const existing = this.backing.deviceId;
    if (existing) return this.#read(() => existing);
    return this.#write('deviceId', () => {
      const { deviceId, apply } = this.#device();
      return { apply, result: deviceId };
    });
  }

  lastHlc(): Promise<Hlc | undefined> {
    return this.#read(() => this.backing.lastHlc);
  }

  getProfile(): Promise<StallProfile | undefined> {
    return this.#read(() => (this.backing.profile ? copy(this.backing.profile) : undefined));
  }

  saveProfile(profile: StallProfile): Promise<void> {
    const stored = copy(profile);
    return this.#write('saveProfile', () => ({
      apply: () => (this.backing.profile = stored),
      result: undefined,
    }));
  }

  getSetting<T>(key: string): Promise<T | undefined> {
    return this.#read(() => copy(this.backing.settings.get(key)) as T | undefined);
  }

  setSetting<T>(key: string, value: T): Promise<void> {
    return this.#write('setSetting', () => {
      const stored = copy(value);
      return { apply: () => this.backing.settings.set(key, stored), result: undefined };
    });
  }

  // --- products and events ---------------------------------------------------------------

  listProducts(options?: { includeArchived?: boolean }): Promise<Product[]> {
    return this.#read(() =>
      [...this.backing.products.values()]
        .filter((p) => options?.includeArchived || !p.archived)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map(copy),
    );
  }

  getProduct(id: Id): Promise<Product | undefined> {
    return this.#read(() => {
      const p = this.backing.products.get(id);
      return p ? copy(p) : undefined;
    });
  }

  saveProduct(product: Product, hlc: Hlc, photo?: ProductPhoto): Promise<void> {
    return this.#write('saveProduct', () => {
      if (photo && product.photoId !== photo.id) {
        throw new StoreError('invalid', 'The photo does not belong to this product.');
      }
      const stored = copy(product);
      const storedPhoto = photo ? copyPhoto(photo) : undefined;
      const device = this.#device();
      // An edit names the fields it changed, so the server can merge field by field (G6).
      const previous = this.backing.products.get(stored.id);
      const changed = previous ? changedProductFields(previous, stored) : undefined;
      const fields = changed ? { fields: changed } : {};
      const clocks = editedClocks(this.backing.productClocks.get(stored.id), changed, hlc);
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'product.upsert', product: stored, hlc, ...fields }, hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          this.backing.products.set(stored.id, stored);
          this.backing.productClocks.set(stored.id, clocks);
          if (storedPhoto) this.backing.photos.set(storedPhoto.id, storedPhoto);
          queue();
        },
        result: undefined,
      };
    });
  }

  getPhoto(id: Id): Promise<ProductPhoto | undefined> {
    return this.#read(() => {
      const p = this.backing.photos.get(id);
      return p ? copyPhoto(p) : undefined;
    });
  }

  putPhoto(photo: ProductPhoto): Promise<void> {
    return this.#write('putPhoto', () => {
      const stored = copyPhoto(photo);
      return { apply: () => this.backing.photos.set(stored.id, stored), result: undefined };
    });
  }

  listEvents(): Promise<MarketEvent[]> {
    return this.#read(() =>
      [...this.backing.events.values()]
        .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.createdAt - a.createdAt))
        .map(copy),
    );
  }

  getEvent(id: Id): Promise<MarketEvent | undefined> {
    return this.#read(() => {
      const e = this.backing.events.get(id);
      return e ? copy(e) : undefined;
    });
  }

  saveEvent(event: MarketEvent, hlc: Hlc): Promise<void> {
    return this.#write('saveEvent', () => {
      const stored = copy(event);
      const device = this.#device();
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'event.upsert', event: stored, hlc }, hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          this.backing.events.set(stored.id, stored);
          queue();
        },
        result: undefined,
      };
    });
  }

  // --- stock -----------------------------------------------------------------------------

  setOpeningStock(
    eventId: Id,
    productId: Id,
    openingCount: number | null,
    hlc: Hlc,
  ): Promise<void> {
    return this.#write('setOpeningStock', () => {
      const b = this.backing;
      const id = stockId(eventId, productId);
      const device = this.#device();
      const plan = planOpening(
        b.eventStock.get(id),
        eventId,
        productId,
        openingCount,
        () =>
          [...b.movements.values()]
            .filter((m) => m.eventId === eventId && m.productId === productId)
            .reduce((sum, m) => sum + m.delta, 0),
        { deviceId: device.deviceId, hlc, now: this.#now(), newId: this.#newId },
      );
      const movement = plan.movement;
      const queue = movement
        ? this.#queue(device.deviceId, [{ mutation: { type: 'stock.movement', movement }, hlc }])
        : () => undefined;
      return {
        apply: () => {
          device.apply();
          if (movement) b.movements.set(movement.id, copy(movement));
          if (plan.row === 'delete') b.eventStock.delete(id);
          else if (plan.row) b.eventStock.set(id, plan.row);
          queue();
        },
        result: undefined,
      };
    });
  }

  restock(eventId: Id, productId: Id, quantity: number, hlc: Hlc): Promise<void> {
    return this.#write('restock', () => {
      const b = this.backing;
      const device = this.#device();
      const plan = planRestock(
        b.eventStock.get(stockId(eventId, productId)),
        eventId,
        productId,
        quantity,
        {
          deviceId: device.deviceId,
          hlc,
          now: this.#now(),
          newId: this.#newId,
        },
      );
      const movement = plan.movement;
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'stock.movement', movement }, hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          b.movements.set(movement.id, copy(movement));
          b.eventStock.set(plan.row.id, plan.row);
          queue();
        },
        result: undefined,
      };
    });
  }

  listEventStock(eventId: Id): Promise<EventStock[]> {
    return this.#read(() =>
      [...this.backing.eventStock.values()]
        .filter((row) => row.eventId === eventId)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map(copy),
    );
  }

  listStockMovements(eventId: Id): Promise<StockMovement[]> {
    return this.#read(() =>
      [...this.backing.movements.values()]
        .filter((m) => m.eventId === eventId)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map(copy),
    );
  }

  // --- sales -----------------------------------------------------------------------------

  recordSale(input: NewSale): Promise<Sale> {
    return this.#write('recordSale', () => {
      const b = this.backing;
      checkNewSale(input);
      if (b.sales.has(input.sale.id)) {
        throw new StoreError('invalid', 'This was already saved once; it was not saved again.');
      }
      const device = this.#device();
      const receiptNumber = b.receiptCounter + 1;
      const completed = copy(completeSale(input, device.deviceId, receiptNumber));
      const { lines, movements } = completed;
      const rows = this.#stockRows(stockIdsOf(movements));
      const sale = flagOversell(completed.sale, rows, movements);
      const levels = levelsAfter(rows, movements);
      const eventId = sale.eventId;
      const summary = applySale(
        b.summaries.get(eventId) ?? emptySummary(eventId),
        sale,
        lines,
        this.#hourOf(sale.createdAt),
      );
      const queue = this.#queue(device.deviceId, [
        {
          mutation: { type: 'sale.record', sale: withoutFlags(sale), lines, movements },
          hlc: sale.hlc,
        },
      ]);
      return {
        apply: () => {
          device.apply();
          b.receiptCounter = receiptNumber;
          b.sales.set(sale.id, sale);
          b.linesBySale.set(sale.id, lines);
          for (const m of movements) b.movements.set(m.id, m);
          for (const row of levels) b.eventStock.set(row.id, row);
          b.summaries.set(eventId, summary);
          queue();
        },
        result: copy(sale),
      };
    });
  }

  #stockRows(ids: string[]): Map<string, EventStock> {
    const rows = new Map<string, EventStock>();
    for (const id of ids) {
      const row = this.backing.eventStock.get(id);
      if (row) rows.set(id, row);
    }
    return rows;
  }

  voidSale(request: VoidRequest): Promise<Sale> {
    return this.#write('voidSale', () => {
      const b = this.backing;
      const { sale, reason } = checkVoid(
        b.sales.get(request.saleId),
        request,
        this.#refundsOf(request.saleId),
      );
      const lines = b.linesBySale.get(sale.id) ?? [];
      const device = this.#device();
      const original = [...b.movements.values()].filter((m) => m.saleId === sale.id);
      const movements = reverseMovements(original, request, device.deviceId, this.#newId);
      const levels = levelsAfter(this.#stockRows(stockIdsOf(movements)), movements);
      const summary = applyVoid(
        b.summaries.get(sale.eventId) ?? emptySummary(sale.eventId),
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
      const queue = this.#queue(device.deviceId, [
        {
          mutation: {
            type: 'sale.void',
            saleId: sale.id,
            reason,
            voidedAt: request.voidedAt,
            hlc: request.hlc,
            movements,
          },
          hlc: request.hlc,
        },
      ]);
      return {
        apply: () => {
          device.apply();
          b.sales.set(voided.id, voided);
          for (const m of movements) b.movements.set(m.id, m);
          for (const row of levels) b.eventStock.set(row.id, row);
          b.summaries.set(sale.eventId, summary);
          queue();
        },
        result: copy(voided),
      };
    });
  }

  #refundsOf(saleId: Id): Refund[] {
    return [...this.backing.refunds.values()]
      .filter((r) => r.saleId === saleId)
      .sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  }

  recordRefund(request: RefundRequest): Promise<Refund> {
    return this.#write('recordRefund', () => {
      const b = this.backing;
      const found = b.sales.get(request.saleId);
      const device = this.#device();
      if (b.refunds.has(request.id)) {
        throw new StoreError(
          'invalid',
          'This refund was already saved once; it was not saved again.',
        );
      }
      const { refund, movements } = copy(
        planRefundRecord(
          found,
          [...(b.linesBySale.get(request.saleId) ?? [])].sort((x, y) => x.position - y.position),
          this.#refundsOf(request.saleId),
          [...b.movements.values()].filter((m) => m.saleId === request.saleId),
          request,
          device.deviceId,
          this.#newId,
        ),
      );
      const sale = found as Sale;
      const levels = levelsAfter(this.#stockRows(stockIdsOf(movements)), movements);
      const summary = applyRefund(
        b.summaries.get(sale.eventId) ?? emptySummary(sale.eventId),
        refund,
        this.#hourOf(sale.createdAt),
      );
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'refund.record', refund, movements }, hlc: refund.hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          b.refunds.set(refund.id, refund);
          for (const m of movements) b.movements.set(m.id, m);
          for (const row of levels) b.eventStock.set(row.id, row);
          b.summaries.set(sale.eventId, summary);
          queue();
        },
        result: copy(refund),
      };
    });
  }

  listLinkSales(eventId: Id): Promise<LinkSale[]> {
    return this.#read(() => {
      const b = this.backing;
      const sales = [...b.sales.values()].filter(
        (s) => s.eventId === eventId && s.payments.some((p) => p.via === 'link'),
      );
      return copy(
        linkSalesOf(sales, [...b.linkPayments.values()], [...b.linkSettlements.values()]),
      );
    });
  }

  settleLinkPayment(request: SettleRequest): Promise<LinkSettlement> {
    return this.#write('settleLinkPayment', () => {
      const b = this.backing;
      const device = this.#device();
      const settlement = copy(
        planSettlement(
          b.sales.get(request.saleId),
          [...b.linkPayments.values()].filter((r) => r.saleId === request.saleId),
          b.linkSettlements.get(request.saleId),
          request,
          device.deviceId,
        ),
      );
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'link.settle', settlement }, hlc: settlement.hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          b.linkSettlements.set(settlement.saleId, settlement);
          queue();
        },
        result: copy(settlement),
      };
    });
  }

  listRefunds(saleId: Id): Promise<Refund[]> {
    return this.#read(() => this.#refundsOf(saleId).map(copy));
  }

  listRefundStatuses(saleId: Id): Promise<ElectronicRefundStatus[]> {
    return this.#read(() =>
      copy(
        [...this.backing.refundStatuses.values()]
          .filter((r) => r.saleId === saleId)
          .sort((a, b) => (a.refundId < b.refundId ? -1 : a.refundId > b.refundId ? 1 : 0)),
      ),
    );
  }

  listSavedCarts(): Promise<SavedCart[]> {
    return this.#read(() =>
      copy([...this.backing.savedCarts.values()]).sort((a, b) => b.savedAt - a.savedAt),
    );
  }

  saveCart(saved: SavedCart, takenFrom?: string): Promise<void> {
    const value = copy(saved);
    return this.#write('saveCart', () => ({
      apply: () => {
        if (takenFrom !== undefined) this.backing.savedCarts.delete(takenFrom);
        this.backing.savedCarts.set(value.tabId, value);
      },
      result: undefined,
    }));
  }

  forgetCart(tabId: string): Promise<void> {
    return this.#write('saveCart', () => ({
      apply: () => void this.backing.savedCarts.delete(tabId),
      result: undefined,
    }));
  }

  listForExport(selection: ExportSelection): Promise<ExportData> {
    return this.#read(() => {
      const b = this.backing;
      const inSelection = (eventId: Id, at: number) =>
        'eventId' in selection
          ? eventId === selection.eventId
          : at >= selection.from && at < selection.to;
      const sales = [...b.sales.values()].filter((s) => inSelection(s.eventId, s.createdAt));
      const refunds = [...b.refunds.values()].filter((r) => inSelection(r.eventId, r.createdAt));
      const have = new Set(sales.map((s) => s.id));
      const refundedSales = [...new Set(refunds.map((r) => r.saleId))]
        .filter((id) => !have.has(id))
        .flatMap((id) => {
          const sale = b.sales.get(id);
          return sale ? [sale] : [];
        });
      const lines = [...sales, ...refundedSales].flatMap((s) => b.linesBySale.get(s.id) ?? []);
      return copy({ sales, lines, refunds, refundedSales });
    });
  }

  #timePage<T extends { createdAt: number; id: Id }>(
    rows: Iterable<T>,
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): T[] {
    const inRange: T[] = [];
    for (const row of rows) {
      if (row.createdAt < range.from || row.createdAt >= range.to) continue;
      if (after && (row.createdAt < after.at || (row.createdAt === after.at && row.id <= after.id)))
        continue;
      inRange.push(row);
    }
    inRange.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return inRange.slice(0, limit);
  }

  listExportSales(
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportSalesPage> {
    return this.#read(() => {
      const b = this.backing;
      const sales = this.#timePage(b.sales.values(), range, after, limit);
      const lines = sales.flatMap((s) => b.linesBySale.get(s.id) ?? []);
      return copy({ sales, lines });
    });
  }

  listExportRefunds(
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportRefundsPage> {
    return this.#read(() => {
      const b = this.backing;
      const refunds = this.#timePage(b.refunds.values(), range, after, limit);
      const sales = [...new Set(refunds.map((r) => r.saleId))].flatMap((id) => {
        const sale = b.sales.get(id);
        return sale ? [sale] : [];
      });
      const lines = sales.flatMap((s) => b.linesBySale.get(s.id) ?? []);
      return copy({ refunds, sales, lines });
    });
  }

  countForExport(range: { from: number; to: number }): Promise<number> {
    return this.#read(() => {
      const inRange = (at: number) => at >= range.from && at < range.to;
      let count = 0;
      for (const sale of this.backing.sales.values()) if (inRange(sale.createdAt)) count++;
      for (const refund of this.backing.refunds.values()) if (inRange(refund.createdAt)) count++;
      return count;
    });
  }

  getSale(id: Id): Promise<Sale | undefined> {
    return this.#read(() => {
      const s = this.backing.sales.get(id);
      return s ? copy(s) : undefined;
    });
  }

  getSaleLines(saleId: Id): Promise<SaleLine[]> {
    return this.#read(() =>
      [...(this.backing.linesBySale.get(saleId) ?? [])]
        .sort((a, b) => a.position - b.position)
        .map(copy),
    );
  }

  /** Newest first: highest receipt number first, as the Dexie index walks it. */
  #eventSales(eventId: Id): Sale[] {
    return [...this.backing.sales.values()]
      .filter((s) => s.eventId === eventId)
      .sort((a, b) => b.receiptNumber - a.receiptNumber || (a.id < b.id ? 1 : -1));
  }

  listSales(eventId: Id, options?: { limit?: number; offset?: number }): Promise<Sale[]> {
    return this.#read(() => {
      const { limit, offset } = pageOf(options);
      return this.#eventSales(eventId)
        .slice(offset, offset + limit)
        .map(copy);
    });
  }

  lastSale(eventId: Id): Promise<Sale | undefined> {
    return this.#read(() => {
      const s = this.#eventSales(eventId)[0];
      return s ? copy(s) : undefined;
    });
  }

  getSummary(eventId: Id): Promise<EventSummaryAggregate> {
    return this.#read(() => copy(this.backing.summaries.get(eventId) ?? emptySummary(eventId)));
  }

  listSummaries(): Promise<EventSummaryAggregate[]> {
    return this.#read(() => [...this.backing.summaries.values()].map((s) => copy(s)));
  }

  recomputeSummary(eventId: Id, options?: { repair?: boolean }): Promise<EventSummaryAggregate> {
    const build = () => {
      const refundsBySale = new Map<Id, Refund[]>();
      for (const sale of this.#eventSales(eventId)) {
        refundsBySale.set(sale.id, this.#refundsOf(sale.id));
      }
      return recompute(
        eventId,
        this.#eventSales(eventId),
        this.backing.linesBySale,
        (sale) => this.#hourOf(sale.createdAt),
        refundsBySale,
      );
    };
    if (!options?.repair) return this.#read(() => copy(build()));
    return this.#write('recomputeSummary', () => {
      const summary = build();
      return {
        apply: () => this.backing.summaries.set(eventId, summary),
        result: copy(summary),
      };
    });
  }

  // --- cash book (cashbook-store.ts) -------------------------------------------------------

  /** As the Dexie store's: from the kept aggregate, else counted from the event's sales. */
  #takings(eventId: Id, deviceId: Id) {
    const b = this.backing;
    const summary = b.summaries.get(eventId);
    if (summary?.cashByDevice) {
      const settled = cashSettlements(
        deviceId,
        [...b.linkSettlements.values()].filter((r) => r.eventId === eventId),
      );
      const sales = settled.map((s) => b.sales.get(s.saleId)).filter((x) => x !== undefined);
      return summaryTakings(deviceId, summary, sales, settled)!;
    }
    return takings(
      deviceId,
      [...b.sales.values()].filter((x) => x.eventId === eventId),
      [...b.refunds.values()].filter((r) => r.eventId === eventId),
      [...b.linkSettlements.values()].filter((r) => r.eventId === eventId),
    );
  }

  #dayRows(eventId: Id, deviceId: Id) {
    const b = this.backing;
    return [
      b.cashDays.get(cashDayId(eventId, deviceId)),
      [...b.cashMovements.values()].filter((m) => m.eventId === eventId && m.deviceId === deviceId),
      [...b.cashReports.values()].find((r) => r.eventId === eventId && r.deviceId === deviceId),
    ] as const;
  }

  openCashDay(request: OpenCashDayRequest): Promise<CashDay> {
    return this.#write('openCashDay', () => {
      const b = this.backing;
      const device = this.#device();
      const day = copy(
        planOpenDay(
          b.events.get(request.eventId),
          b.cashDays.get(cashDayId(request.eventId, device.deviceId)),
          request,
          device.deviceId,
        ),
      );
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'cashbook.open', day }, hlc: day.hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          b.cashDays.set(day.id, day);
          queue();
        },
        result: copy(day),
      };
    });
  }

  recordCashMovement(request: CashMovementRequest): Promise<CashMovement> {
    return this.#write('recordCashMovement', () => {
      const b = this.backing;
      const device = this.#device();
      if (b.cashMovements.has(request.id)) {
        throw new StoreError(
          'invalid',
          'This movement was already saved once; it was not saved again.',
        );
      }
      const [day, movements, report] = this.#dayRows(request.eventId, device.deviceId);
      const movement = copy(
        planCashMovement(
          day,
          report,
          movements,
          this.#takings(request.eventId, device.deviceId),
          request.correctsReportId ? b.cashReports.get(request.correctsReportId) : undefined,
          request,
        ),
      );
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'cashbook.movement', movement }, hlc: movement.hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          b.cashMovements.set(movement.id, movement);
          queue();
        },
        result: copy(movement),
      };
    });
  }

  closeCashDay(request: CloseCashDayRequest): Promise<CashDayReport> {
    return this.#write('closeCashDay', () => {
      const b = this.backing;
      const device = this.#device();
      if (b.cashReports.has(request.id)) {
        throw new StoreError(
          'invalid',
          'This report was already saved once; it was not saved again.',
        );
      }
      const [day, movements, report] = this.#dayRows(request.eventId, device.deviceId);
      const number = b.cashReportCounter + 1;
      const made = copy(
        planCloseDay(
          day,
          report,
          movements,
          this.#takings(request.eventId, device.deviceId),
          number,
          request,
        ),
      );
      const queue = this.#queue(device.deviceId, [
        { mutation: { type: 'cashbook.close', report: made }, hlc: made.hlc },
      ]);
      return {
        apply: () => {
          device.apply();
          b.cashReports.set(made.id, made);
          b.cashReportCounter = number;
          queue();
        },
        result: copy(made),
      };
    });
  }

  getCashBook(eventId: Id): Promise<CashBook> {
    return this.#read(() => {
      const deviceId = this.backing.deviceId;
      if (deviceId === undefined) {
        return bookOf(undefined, [], undefined, { cashSalesCents: 0, cashRefundsCents: 0 });
      }
      const [day, movements, report] = this.#dayRows(eventId, deviceId);
      return copy(bookOf(day, movements, report, this.#takings(eventId, deviceId)));
    });
  }

  listCashReports(eventId?: Id): Promise<CashDayReport[]> {
    return this.#read(() =>
      sortReports(
        [...this.backing.cashReports.values()].filter(
          (r) => eventId === undefined || r.eventId === eventId,
        ),
      ).map(copy),
    );
  }

  // --- outbox ----------------------------------------------------------------------------

  pendingCount(): Promise<number> {
    return this.#read(() => this.backing.outbox.size);
  }

  pendingSalesCount(): Promise<number> {
    return this.#read(
      () =>
        [...this.backing.outbox.values()].filter((entry) => entry.mutation.type === 'sale.record')
          .length,
    );
  }

  readOutbox(limit: number): Promise<OutboxEntry[]> {
    return this.#read(() =>
      [...this.backing.outbox.values()].slice(0, pageOf({ limit }).limit).map(copy),
    );
  }

  acknowledge(upTo: number): Promise<void> {
    return this.#write('acknowledge', () => ({
      apply: () => {
        for (const seq of [...this.backing.outbox.keys()]) {
          if (seq <= upTo) this.backing.outbox.delete(seq);
        }
      },
      result: undefined,
    }));
  }

  // --- sync ------------------------------------------------------------------------------

  listStalls(eventId: Id): Promise<Stall[]> {
    return this.#read(() =>
      [...this.backing.stalls.values()]
        .filter((s) => s.eventId === eventId)
        .sort((a, b) => a.label.localeCompare(b.label) || (a.id < b.id ? -1 : 1))
        .map(copy),
    );
  }

  listAssignments(eventId: Id): Promise<StallAssignment[]> {
    return this.#read(() =>
      [...this.backing.assignments.values()]
        .filter((a) => a.eventId === eventId)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map(copy),
    );
  }

  getEventMap(eventId: Id): Promise<EventMapData | undefined> {
    return this.#read(() => {
      const row = this.backing.eventMaps.get(eventId);
      return row ? copy(row) : undefined;
    });
  }

  listAnnouncements(eventId: Id): Promise<AnnouncementData[]> {
    return this.#read(() =>
      [...this.backing.announcements.values()]
        .filter((a) => a.eventId === eventId)
        .sort(newestFirst)
        .map(copy),
    );
  }

  getMakerResults(eventId: Id): Promise<MakerResultsData | undefined> {
    return this.#read(() => {
      const row = this.backing.makerResults.get(eventId);
      return row ? copy(row) : undefined;
    });
  }

  getSyncState(): Promise<SyncState> {
    return this.#read(() => ({
      epoch: this.backing.syncEpoch,
      cursor: this.backing.syncCursor,
      lastSyncAt: this.backing.lastSyncAt,
      highestSeq: this.backing.outboxSeq,
    }));
  }

  saveSyncState(patch: SyncStatePatch): Promise<void> {
    return this.#write('saveSyncState', () => ({
      apply: () => {
        if (patch.epoch !== undefined) this.backing.syncEpoch = patch.epoch;
        if (patch.lastSyncAt !== undefined) this.backing.lastSyncAt = patch.lastSyncAt;
      },
      result: undefined,
    }));
  }

  getDeviceCodes(): Promise<Record<Id, string>> {
    return this.#read(() => Object.fromEntries(this.backing.deviceCodes));
  }

  saveDeviceCode(deviceId: Id, code: string): Promise<void> {
    if (!isDeviceCode(code)) {
      return Promise.reject(new StoreError('invalid', 'A device code is 1 to 3 capital letters.'));
    }
    return this.#write('saveDeviceCode', () => ({
      apply: () => void this.backing.deviceCodes.set(deviceId, code),
      result: undefined,
    }));
  }

  applyPull(page: PulledPage): Promise<void> {
    return this.#write('applyPull', () => {
      const b = this.backing;
      const changes = copyData(page.changes);
      const keys = pullKeys(changes);
      const sales = new Map<Id, Sale>();
      for (const id of keys.saleIds) {
        const sale = b.sales.get(id);
        if (sale) sales.set(id, sale);
      }
      const stock = this.#stockRows(keys.stockIds);
      const sums = new Map<string, MovementSums>();
      for (const pair of pairsNeedingSums(changes, stock)) {
        const known = [...b.movements.values()].filter(
          (m) => m.eventId === pair.eventId && m.productId === pair.productId,
        );
        sums.set(pair.id, sumMovements(known));
      }
      const summaries = new Map<Id, EventSummaryAggregate>();
      for (const id of keys.eventIds) {
        const summary = b.summaries.get(id);
        if (summary) summaries.set(id, summary);
      }
      const productVersions = new Map<Id, number>();
      for (const id of keys.productIds) {
        const version = b.productVersions.get(id);
        if (version !== undefined) productVersions.set(id, version);
      }
      const plan = planPull(
        changes,
        {
          sales,
          lines: b.linesBySale,
          movementIds: new Set(keys.movementIds.filter((id) => b.movements.has(id))),
          stock,
          summaries,
          sums,
          productVersions,
          eventVersions: b.eventVersions,
          refundIds: new Set(keys.refundIds.filter((id) => b.refunds.has(id))),
        },
        this.#hourOf,
      );
      const tables = {
        product: b.products,
        event: b.events,
        stall: b.stalls,
        stall_assignment: b.assignments,
      } as const;
      return {
        apply: () => {
          for (const p of plan.products) b.products.set(p.id, p);
          for (const c of plan.productClocks) {
            b.productClocks.set(c.id, c.fields);
            if (c.version === undefined) b.productVersions.delete(c.id);
            else b.productVersions.set(c.id, c.version);
          }
          for (const e of plan.events) b.events.set(e.id, e);
          for (const { id, version } of plan.eventVersions) {
            if (version === undefined) b.eventVersions.delete(id);
            else b.eventVersions.set(id, version);
          }
          for (const s of plan.stalls) b.stalls.set(s.id, s);
          for (const a of plan.assignments) b.assignments.set(a.id, a);
          for (const map of plan.eventMaps) b.eventMaps.set(map.eventId, map);
          for (const a of plan.announcements) b.announcements.set(a.id, a);
          for (const r of plan.makerResults) b.makerResults.set(r.eventId, r);
          for (const r of plan.linkPayments) b.linkPayments.set(r.id, copy(r));
          for (const r of plan.linkSettlements) b.linkSettlements.set(r.saleId, copy(r));
          for (const r of plan.refundStatuses) {
            b.refundStatuses.set(
              r.refundId,
              mergeRefundStatus(b.refundStatuses.get(r.refundId), r),
            );
          }
          for (const d of plan.deletions) tables[d.entity].delete(d.id);
          for (const s of plan.sales) b.sales.set(s.id, s);
          for (const r of plan.refunds) b.refunds.set(r.id, copy(r));
          for (const r of plan.cashDays)
            if (r.deviceId !== b.deviceId) b.cashDays.set(r.id, copy(r));
          for (const r of plan.cashMovements) {
            if (r.deviceId !== b.deviceId) b.cashMovements.set(r.id, copy(r));
          }
          for (const r of plan.cashReports) {
            if (r.deviceId !== b.deviceId) b.cashReports.set(r.id, copy(r));
          }
          for (const line of plan.lines) {
            const list = (b.linesBySale.get(line.saleId) ?? []).filter((l) => l.id !== line.id);
            b.linesBySale.set(line.saleId, [...list, line]);
          }
          for (const m of plan.movements) b.movements.set(m.id, m);
          for (const row of plan.stock) b.eventStock.set(row.id, row);
          for (const s of plan.summaries) b.summaries.set(s.eventId, s);
          for (const [id, code] of Object.entries(deviceCodesIn(changes))) {
            b.deviceCodes.set(id, code);
          }
          b.syncCursor = page.cursor;
          b.syncEpoch = page.epoch;
        },
        result: undefined,
      };
    });
  }

  rebaseOutbox(fromSeq: number, epoch: string): Promise<number> {
    return this.#write('rebaseOutbox', () => {
      if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) {
        throw new StoreError('invalid', 'A sequence starts at 1.');
      }
      const b = this.backing;
      const device = this.#device();
      const now = this.#now();
      const items = rebaseMutations({
        deviceId: device.deviceId,
        events: [...b.events.values()],
        products: [...b.products.values()],
        productClocks: b.productClocks,
        sales: [...b.sales.values()],
        linesBySale: b.linesBySale,
        movements: [...b.movements.values()],
        refunds: [...b.refunds.values()],
        cashDays: [...b.cashDays.values()],
        cashMovements: [...b.cashMovements.values()],
        cashReports: [...b.cashReports.values()],
        hlc:
          b.lastHlc ??
          formatHlc({ wallMs: Math.max(0, Math.floor(now)), counter: 0, node: device.deviceId }),
      });
      const entries = items.map((item, i) =>
        outboxEntry(fromSeq + i, device.deviceId, copy(item.mutation), now),
      );
      return {
        apply: () => {
          device.apply();
          b.outbox.clear();
          for (const entry of entries) b.outbox.set(entry.seq, entry);
          // The server lost data (a restore): its versions may count from lower again.
          b.productVersions.clear();
          b.eventVersions.clear();
          b.outboxSeq = fromSeq - 1 + entries.length;
          b.syncEpoch = epoch;
          b.syncCursor = null;
        },
        result: entries.length,
      };
    });
  }
}
