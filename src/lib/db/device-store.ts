import type {
  EventStock,
  EventSummaryAggregate,
  Id,
  MarketEvent,
  OutboxEntry,
  Product,
  ProductPhoto,
  Sale,
  SaleLine,
  StockMovement,
  VendorProfile,
} from '$lib/domain/types';

/** What recordSale needs: the sale without the numbers only the store can hand out. */
export interface NewSale {
  sale: Omit<Sale, 'receiptNumber' | 'deviceId'>;
  lines: SaleLine[];
  /** Stock movements for lines whose product has stock kept at this event. */
  movements: Omit<StockMovement, 'deviceId'>[];
}

export interface VoidRequest {
  saleId: Id;
  reason: string;
  voidedAt: number;
  hlc: string;
}

/**
 * The device's storage. One real implementation (Dexie/IndexedDB) and one in-memory twin;
 * the same contract suite runs against both.
 *
 * Every method that records what a user did writes it, and its outbox entry, in ONE
 * transaction (G1) and resolves only after that transaction committed. A failed write
 * rejects with a `StoreError` and leaves nothing behind.
 */
export interface DeviceStore {
  /** This device's id, created on first use and never changed. */
  deviceId(): Promise<Id>;

  getProfile(): Promise<VendorProfile | undefined>;
  saveProfile(profile: VendorProfile): Promise<void>;
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting<T>(key: string, value: T): Promise<void>;

  listProducts(options?: { includeArchived?: boolean }): Promise<Product[]>;
  getProduct(id: Id): Promise<Product | undefined>;
  /** Saves a product (and its photo, if given) and queues it for sync, in one transaction. */
  saveProduct(product: Product, photo?: ProductPhoto): Promise<void>;
  getPhoto(id: Id): Promise<ProductPhoto | undefined>;

  listEvents(): Promise<MarketEvent[]>;
  getEvent(id: Id): Promise<MarketEvent | undefined>;
  saveEvent(event: MarketEvent): Promise<void>;

  /** Sets the opening count of a product at an event (records a recount movement when it changes). */
  setOpeningStock(
    eventId: Id,
    productId: Id,
    openingCount: number | null,
    hlc: string,
  ): Promise<void>;
  listEventStock(eventId: Id): Promise<EventStock[]>;

  /**
   * Records a completed sale: the sale, its lines, its stock movements, the event summary and
   * an outbox entry, in one transaction. Hands out the next receipt number of this device.
   */
  recordSale(input: NewSale): Promise<Sale>;
  /** Voids a sale (it keeps its receipt number): reverses its stock and summary, queues the void. */
  voidSale(request: VoidRequest): Promise<Sale>;
  getSale(id: Id): Promise<Sale | undefined>;
  getSaleLines(saleId: Id): Promise<SaleLine[]>;
  /** The event's sales, newest first, a page at a time. */
  listSales(eventId: Id, options?: { limit?: number; offset?: number }): Promise<Sale[]>;
  lastSale(eventId: Id): Promise<Sale | undefined>;
  getSummary(eventId: Id): Promise<EventSummaryAggregate>;
  /** Recomputes the event summary from its sales (for checks and repairs). */
  recomputeSummary(eventId: Id): Promise<EventSummaryAggregate>;

  pendingCount(): Promise<number>;
  /** Oldest first. */
  readOutbox(limit: number): Promise<OutboxEntry[]>;
  /** Removes acknowledged entries (seq <= upTo). */
  acknowledge(upTo: number): Promise<void>;
}

export type StoreErrorCode = 'quota' | 'closed' | 'not-found' | 'invalid' | 'unknown';

/** A storage failure in words the till can show. Never swallowed, never a false success. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
