import type {
  EventStock,
  EventSummaryAggregate,
  Hlc,
  Id,
  MarketEvent,
  OutboxEntry,
  Product,
  ProductPhoto,
  Sale,
  SaleLine,
  Stall,
  StallAssignment,
  StockMovement,
  VendorProfile,
} from '$lib/domain/types';
import type { AnnouncementData, Change, EventMapData, VendorResultsData } from '$lib/sync/protocol';

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

  /** The newest HLC this device wrote (sale, void, edit), so a restarted clock continues after it. */
  lastHlc(): Promise<Hlc | undefined>;

  /** Oldest first (creation order), so tiles keep their place when a product is renamed. */
  listProducts(options?: { includeArchived?: boolean }): Promise<Product[]>;
  getProduct(id: Id): Promise<Product | undefined>;
  /**
   * Saves a product (and its photo, if given; `product.photoId` must name it) and queues a
   * 'product.upsert' stamped with `hlc` for sync, in one transaction.
   */
  saveProduct(product: Product, hlc: Hlc, photo?: ProductPhoto): Promise<void>;
  getPhoto(id: Id): Promise<ProductPhoto | undefined>;

  /** Newest date first. */
  listEvents(): Promise<MarketEvent[]>;
  getEvent(id: Id): Promise<MarketEvent | undefined>;
  /** Saves an event and queues an 'event.upsert' stamped with `hlc`, in one transaction. */
  saveEvent(event: MarketEvent, hlc: Hlc): Promise<void>;

  /**
   * Sets the opening count of a product at an event (a non-negative integer), or stops
   * keeping stock for it (null). A change from the previous opening count (0 when stock was
   * not kept) is recorded as a 'recount' movement of the difference and queued as a
   * 'stock.movement', so the level moves by the difference and, everywhere, stock = the sum
   * of the movements = opening count + sales, voids and restocks. Setting the same count
   * again does nothing. Clearing records a recount of minus the opening count and removes
   * the stock row.
   */
  setOpeningStock(eventId: Id, productId: Id, openingCount: number | null, hlc: Hlc): Promise<void>;
  listEventStock(eventId: Id): Promise<EventStock[]>;
  /** The event's stock movements, oldest first. */
  listStockMovements(eventId: Id): Promise<StockMovement[]>;

  /**
   * Records a completed sale: the sale, its lines, its stock movements, the event summary and
   * an outbox entry, in one transaction. Hands out the next receipt number of this device
   * (a number is consumed only when the sale commits, and never handed out again).
   * Rejects with 'invalid' when the sale is not 'completed', has no lines, a line or
   * movement belongs to another sale/event, or the sale id was recorded before.
   */
  recordSale(input: NewSale): Promise<Sale>;
  /**
   * Voids a sale (it keeps its receipt number): reverses its stock movements and its share
   * of the summary, queues a 'sale.void'. 'not-found' for an unknown sale, 'invalid' for an
   * already voided sale or an empty reason.
   */
  voidSale(request: VoidRequest): Promise<Sale>;
  getSale(id: Id): Promise<Sale | undefined>;
  getSaleLines(saleId: Id): Promise<SaleLine[]>;
  /** The event's sales, newest first, a page at a time. */
  listSales(eventId: Id, options?: { limit?: number; offset?: number }): Promise<Sale[]>;
  lastSale(eventId: Id): Promise<Sale | undefined>;
  getSummary(eventId: Id): Promise<EventSummaryAggregate>;
  /**
   * Recomputes the event summary from its sales (scans them: for checks and repairs, never
   * for the screen). With `repair: true` the stored aggregate is replaced by the result.
   */
  recomputeSummary(eventId: Id, options?: { repair?: boolean }): Promise<EventSummaryAggregate>;

  pendingCount(): Promise<number>;
  /** Oldest first. */
  readOutbox(limit: number): Promise<OutboxEntry[]>;
  /** Removes acknowledged entries (seq <= upTo). */
  acknowledge(upTo: number): Promise<void>;

  // --- sync (src/lib/sync/SPEC.md) -----------------------------------------------------

  /** The stalls of an event, as the organiser's server sent them (by label). */
  listStalls(eventId: Id): Promise<Stall[]>;
  /** This vendor's stall assignments at an event, as the server sent them. */
  listAssignments(eventId: Id): Promise<StallAssignment[]>;
  /** The organiser's map frame and landmarks of an event (pulled `event_map`), if any. */
  getEventMap(eventId: Id): Promise<EventMapData | undefined>;
  /** Announcements the organiser sent to this maker for an event, newest first. */
  listAnnouncements(eventId: Id): Promise<AnnouncementData[]>;
  /** The maker's results of a closed event (pulled `vendor_results`), if any. */
  getVendorResults(eventId: Id): Promise<VendorResultsData | undefined>;

  /** Where sync stands: epoch, pull cursor, last sync time, newest sequence number. */
  getSyncState(): Promise<SyncState>;
  /** Records the epoch a push ran against and/or when a sync round completed. */
  saveSyncState(patch: SyncStatePatch): Promise<void>;
  /**
   * Applies a pulled page and stores its cursor and epoch in ONE transaction, so the cursor
   * is never ahead of the data (docs/sync-faults.md fault 20). Idempotent: a page applied twice changes
   * nothing the second time.
   */
  applyPull(page: PulledPage): Promise<void>;
  /**
   * The server lost what it had acknowledged (a new epoch, or a sequence gap): replaces the
   * outbox with everything this device knows the server needs (sync-rules.ts,
   * rebaseMutations), numbered from `fromSeq`, so the device's sequence continues where the
   * server's stops. Stores `epoch` and resets the pull cursor, in one transaction. Returns
   * how many mutations were queued.
   */
  rebaseOutbox(fromSeq: number, epoch: string): Promise<number>;

  /** Closes the connection; later calls reject with StoreError 'closed'. */
  close(): Promise<void>;
}

export interface SyncState {
  /** The server epoch of the last successful sync; null before the first. */
  epoch: string | null;
  /** Where the next pull starts; null = from the beginning. */
  cursor: string | null;
  /** Wall-clock time of the last completed sync round (for display only). */
  lastSyncAt: number | null;
  /** The newest outbox sequence number this device handed out (0 before the first). */
  highestSeq: number;
}

export type SyncStatePatch = Partial<Pick<SyncState, 'epoch' | 'lastSyncAt'>>;

export interface PulledPage {
  changes: Change[];
  cursor: string | null;
  epoch: string;
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
