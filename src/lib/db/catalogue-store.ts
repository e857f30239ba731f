import type {
  EventStock,
  Hlc,
  Id,
  MarketEvent,
  Product,
  ProductPhoto,
  StockMovement,
} from '$lib/domain/types';

/**
 * The catalogue part of the device store: the maker's products (and their photos), events,
 * and the stock kept at an event. Its contract: catalogue-store.contract.ts.
 */
export interface CatalogueStore {
  /** Oldest first (creation order), so tiles keep their place when a product is renamed. */
  listProducts(options?: { includeArchived?: boolean }): Promise<Product[]>;
  getProduct(id: Id): Promise<Product | undefined>;
  /**
   * Saves a product (and its photo, if given; `product.photoId` must name it) and queues a
   * 'product.upsert' stamped with `hlc` for sync, in one transaction.
   */
  saveProduct(product: Product, hlc: Hlc, photo?: ProductPhoto): Promise<void>;
  getPhoto(id: Id): Promise<ProductPhoto | undefined>;
  /**
   * Keeps a photo fetched from the server (taken on another device of the maker, named by a
   * pulled product's photoId) for offline use. Not a change of this device: no outbox entry.
   */
  putPhoto(photo: ProductPhoto): Promise<void>;

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
  /**
   * Restocks a product whose stock is kept at the event (the maker brought more): records a
   * 'restock' movement of +quantity and queues it as a 'stock.movement', in one transaction;
   * the level rises, the opening count stays. 'invalid' unless the quantity is a whole number
   * from 1 to MAX_RESTOCK (domain/stock.ts); 'not-found' when stock is not kept for it there.
   */
  restock(eventId: Id, productId: Id, quantity: number, hlc: Hlc): Promise<void>;
  listEventStock(eventId: Id): Promise<EventStock[]>;
  /** The event's stock movements, oldest first. */
  listStockMovements(eventId: Id): Promise<StockMovement[]>;
}
