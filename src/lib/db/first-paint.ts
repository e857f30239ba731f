import type { SavedCart } from '$lib/domain/cart';
import type {
  EventStock,
  Id,
  MarketEvent,
  Product,
  ProductPhoto,
  Sale,
  StallProfile,
  StockMovement,
} from '$lib/domain/types';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';

/**
 * The till's first paint without Dexie (issue 11; docs/benchmarks.md "Till route JavaScript,
 * third pass"): one read-only transaction on plain IndexedDB over the tables Dexie created
 * (src/lib/db/schema.ts), so the product grid is on screen and a tap fills the cart while
 * Dexie, the device store and its rules are still loading. Nothing here writes: every write
 * waits for the store (src/lib/state/till.svelte.ts).
 *
 * The database is opened without a version, so this never creates, upgrades or blocks it:
 * - no database yet (a first visit): the creation is aborted at once and `null` returned, and
 *   the store creates the database when it opens;
 * - a database at another version than the one these shapes come from (an app update whose
 *   upgrade has not run yet): closed at once, `null`, and the store runs the upgrade;
 * - the store asking for a new version while this reads: the connection closes at once.
 * Any failure is `null` as well: the till then waits for the store, as it did before.
 */

/** Dexie's version of the schema these shapes are read from (schema.ts; spec checks it). */
export const FIRST_PAINT_SCHEMA_VERSION = 7;
/** Dexie stores version n as IndexedDB version n * 10. */
const IDB_VERSION = FIRST_PAINT_SCHEMA_VERSION * 10;
/** The key of a setting's meta row (schema.ts META.settingPrefix). */
const CURRENT_EVENT_KEY = `setting:${CURRENT_EVENT_SETTING}`;

/** What the till shows first, in the device store's own types and order. */
export interface FirstPaint {
  /** The maker's profile (DeviceCore.getProfile). */
  profile: StallProfile | undefined;
  /** The current event (the events screen's setting, CatalogueStore.getEvent). */
  event: MarketEvent | undefined;
  /** The products not archived, oldest first (CatalogueStore.listProducts). */
  products: Product[];
  /** The current event's stock rows and movements (listEventStock, listStockMovements). */
  stock: EventStock[];
  movements: StockMovement[];
  /** The products' photos that are stored. */
  photos: ProductPhoto[];
  /** The saved carts of the current event, newest first (SalesStore.listSavedCarts). */
  carts: SavedCart[];
  /** The stored sales that saved carts were being completed as (SalesStore.getSale). */
  pendingSales: Sale[];
}

const STORES = [
  'meta',
  'profile',
  'events',
  'products',
  'photos',
  'eventStock',
  'stockMovements',
  'carts',
  'sales',
] as const;

/** Reads the till's first paint from database `name`, or null when it cannot (see above). */
export async function readFirstPaint(
  name = 'kraam',
  factory: IDBFactory | undefined = globalThis.indexedDB,
): Promise<FirstPaint | null> {
  if (!factory) return null;
  const db = await openExisting(factory, name);
  if (!db) return null;
  try {
    if (db.version !== IDB_VERSION || STORES.some((s) => !db.objectStoreNames.contains(s))) {
      return null;
    }
    return await readAll(db.transaction([...STORES], 'readonly'));
  } catch {
    return null;
  } finally {
    db.close();
  }
}

let early: Promise<FirstPaint | null> | null = null;

/**
 * Starts the till's first-paint read now, before the app has mounted anything (issue 11, the
 * cold start: `src/hooks.client.ts` calls it when the page is the till). Opening IndexedDB on
 * a browser that just started takes tens of milliseconds; begun here it runs beside SvelteKit's
 * start and the mounting of the layout and the till instead of after them
 * (docs/benchmarks.md "the cold start, third look"). The till takes it with `takeFirstPaint`.
 */
export function readFirstPaintEarly(name = 'kraam'): void {
  early ??= readFirstPaint(name);
}

/**
 * The read `readFirstPaintEarly` started, once, or a new read when none is waiting: a
 * second paint (another start in the same page) reads the device again.
 */
export function takeFirstPaint(name = 'kraam'): Promise<FirstPaint | null> {
  const read = early ?? readFirstPaint(name);
  early = null;
  return read;
}

/**
 * The database as it is, or null when there is none (its creation is aborted) or on error.
 * Exported for its spec only.
 */
export function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name);
    } catch {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => {
      // Only a database that does not exist gets here (no version asked): leave it uncreated.
      request.transaction?.abort();
    };
    request.onsuccess = () => {
      const db = request.result;
      // The store opening a newer version waits for no one: let it go at once.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = (event) => {
      event.preventDefault();
      resolve(null);
    };
    request.onblocked = () => resolve(null);
  });
}

function ask<T>(request: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result as T);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
  });
}

async function readAll(tx: IDBTransaction): Promise<FirstPaint> {
  const store = (name: (typeof STORES)[number]) => tx.objectStore(name);
  // Asked at once, side by side; only the event's own rows wait for its id.
  const [setting, profiles, products, carts] = await Promise.all([
    ask<{ value: unknown } | undefined>(store('meta').get(CURRENT_EVENT_KEY)),
    ask<StallProfile[]>(store('profile').getAll(undefined, 1)),
    ask<Product[]>(store('products').getAll()),
    ask<SavedCart[]>(store('carts').getAll()),
  ]);
  const eventId = typeof setting?.value === 'string' ? (setting.value as Id) : undefined;
  const shown = products
    .filter((p) => !p.archived)
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const eventCarts = carts
    .filter((c) => eventId !== undefined && c.eventId === eventId)
    .sort((a, b) => b.savedAt - a.savedAt);
  const photoIds = [...new Set(shown.flatMap((p) => (p.photoId ? [p.photoId] : [])))];
  const pendingIds = eventCarts.flatMap((c) => (c.pendingSaleId ? [c.pendingSaleId] : []));
  const [event, stock, movements, photos, pendingSales] = await Promise.all([
    eventId ? ask<MarketEvent | undefined>(store('events').get(eventId)) : undefined,
    eventId ? ask<EventStock[]>(store('eventStock').index('eventId').getAll(eventId)) : [],
    eventId
      ? ask<StockMovement[]>(
          // Every [eventId, productId]: product ids are strings, below any array.
          store('stockMovements')
            .index('[eventId+productId]')
            .getAll(IDBKeyRange.bound([eventId], [eventId, []])),
        )
      : [],
    Promise.all(photoIds.map((id) => ask<ProductPhoto | undefined>(store('photos').get(id)))),
    Promise.all(pendingIds.map((id) => ask<Sale | undefined>(store('sales').get(id)))),
  ]);
  return {
    profile: profiles[0],
    event,
    products: shown,
    stock,
    movements: movements.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)),
    photos: photos.filter((p) => p !== undefined),
    carts: eventCarts,
    pendingSales: pendingSales.filter((s) => s !== undefined),
  };
}
