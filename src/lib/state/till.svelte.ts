import type { DeviceStore, StoreErrorCode } from '$lib/db/device-store';
import type { FirstPaint } from '$lib/db/first-paint';
import {
  addProduct,
  decrement,
  emptyCart,
  lineQuantity,
  priceCart,
  setCartDiscount,
  setLineDiscount,
  type Cart,
  type DiscountError,
  type SavedCart,
} from '$lib/domain/cart';
import { cashDue } from '$lib/domain/cash';
import { uuidv7 } from '$lib/domain/ids';
import { SaleError, voidable } from '$lib/domain/sale';
import {
  needsOversellConfirmation,
  stockedInByProduct,
  stockState,
  type RestockError,
  type StockState,
} from '$lib/domain/stock';
import type {
  Cents,
  EventStock,
  Id,
  LineDiscount,
  Product,
  Sale,
  StockMovement,
} from '$lib/domain/types';
// The services that write load with the first write, before its transaction opens (docs/style.md
// rule 12): the till paints and takes taps without them.
import type { ElectronicSaleRequest } from '$lib/services/sell';
import { StoreError } from '$lib/db/device-store';
import { loadStoreCode } from '$lib/db';
import { app } from './app.svelte';
import { currentTabId, tabIsOpen } from './tab';
import { sync } from './sync.svelte';

/** What the till shows after a sale was stored. */
export interface CompletedSale {
  deviceId: Id;
  /** The stored sale, for its receipt QR ("Receipt for the customer"). */
  saleId: Id;
  receiptNumber: number;
  paidCents: Cents;
  changeCents: Cents;
}

export type TillFailure =
  | StoreErrorCode
  | 'insufficient-tender'
  | 'no-event'
  | 'no-profile'
  // The device's stall or current event changed between the paint and the store (another
  // window): nothing was recorded, the till shows the store's (see #storeReady).
  | 'changed';

/** The painted till no longer matches what the store holds: nothing may be written for it. */
class TillChangedError extends Error {
  constructor() {
    super('the till changed on this device since it was painted');
    this.name = 'TillChangedError';
  }
}

/** A cart that was cleared, kept so "Undo" brings it back exactly. */
interface ClearedCart {
  cart: Cart;
  confirmed: ReadonlySet<Id>;
}

/**
 * The till: the products on sale, the cart, the payment step and the last sale. The cart
 * is an immutable value from the domain; it is cleared only after the store confirmed the
 * sale, so a failed save never loses what the customer is buying.
 */
class TillState {
  eventId = $state<Id | null>(null);
  products = $state.raw<Product[]>([]);
  /** productId -> stock kept at the current event (absent: not tracked). */
  stock = $state.raw<Record<Id, EventStock>>({});
  /** productId -> opening count + restocks at the current event (the "of" in "2 of 10 left"). */
  stockedIn = $state.raw<Record<Id, number>>({});
  /** Products the maker agreed to sell beyond their stock in this cart (asked once each). */
  confirmedOversell = $state.raw<ReadonlySet<Id>>(new Set());
  /** The product whose tap waits for "sell anyway" (its stock ran out). */
  pendingOversell = $state.raw<Product | null>(null);
  /** The cart "Clear cart" emptied, until Undo or the next change to the cart. */
  cleared = $state.raw<ClearedCart | null>(null);
  /** photoId -> object URL of the stored photo. */
  photos = $state.raw<Record<Id, string>>({});
  loaded = $state(false);

  #cart = $state.raw<Cart>(emptyCart());
  /** The id the sale being completed gets, saved with the cart before it is recorded. */
  #pendingSaleId: Id | null = null;
  /**
   * After a reload: the saved cart's pending sale id and its cart, not stored as a sale. A
   * payment by phone or card may have been open for it (docs/payments.md "Resuming a payment").
   */
  resumable = $state.raw<{ saleId: Id; cart: Cart } | null>(null);

  /**
   * A payment by phone or card is open for the cart (saleId) or is over (null): the id is
   * saved with the cart first, so a reload finds the payment (cardPayment.resume).
   */
  holdForCardPayment(saleId: Id | null, expected?: Id): Promise<void> {
    if (saleId === null && expected !== undefined && this.#pendingSaleId !== expected) {
      return Promise.resolve();
    }
    this.#pendingSaleId = saleId;
    return this.#saveCart();
  }
  /** Saves of the cart, one after the other, so the last change is the one kept. */
  #saving: Promise<void> = Promise.resolve();
  /**
   * Painted from the plain read (`paint`) and not yet loaded from the store: the saved cart
   * taken then (its tab), to be kept as this tab's once the store is up. The first load
   * from the store, once asked, is shared by whoever waits for it (a payment, the page).
   * `profileId`: the stall it was painted for, checked against the store's once it is open.
   * `dropped`: the store's till turned out to be another (see `load`), so a payment tapped on
   * the paint records nothing.
   */
  #painted: { takenFrom: string | undefined; profileId: Id | undefined; dropped: boolean } | null =
    null;
  #firstLoad: Promise<void> | null = null;

  /**
   * The cart. Every change is saved on the device (SalesStore.saveCart), so a reload or a
   * crash brings it back; see `load` for what reopening the till shows.
   */
  get cart(): Cart {
    return this.#cart;
  }

  set cart(cart: Cart) {
    this.#cart = cart;
    void this.#saveCart().catch(() => undefined);
  }

  priced = $derived(priceCart(this.#cart));
  paymentOpen = $state(false);
  busy = $state(false);
  completed = $state.raw<CompletedSale | null>(null);
  failure = $state<TillFailure | null>(null);
  lastSale = $state.raw<Sale | undefined>(undefined);
  /** Receipt number of the sale voided last, for the confirmation. */
  voidedReceipt = $state<number | null>(null);
  /** The codes of the maker's devices (SPEC.md, "Device codes"), shown with receipt numbers. */
  deviceCodes = $state.raw<Record<Id, string>>({});

  /** Cash due for the cart, with the maker's 5-cent rounding when it is on. */
  due = $derived(cashDue(this.priced.totalCents, app.profile?.cashRounding ?? false));

  /** The code of the device that made a sale, if known. */
  codeOf(sale: { deviceId: Id }): string | undefined {
    return this.deviceCodes[sale.deviceId];
  }

  /** A sale is under way: an update must not reload the page now. */
  get saleInProgress(): boolean {
    return this.cart.lines.length > 0 || this.paymentOpen || this.busy;
  }

  get canVoidLast(): boolean {
    return this.lastSale !== undefined && voidable(this.lastSale);
  }

  /**
   * Before the store is open (issue 11): shows what the plain read found (first-paint.ts), so
   * the grid is on screen and taps fill the cart while Dexie and the store load. The cart is
   * taken as `load` takes it. Nothing is written until the store is up: `load` then keeps the
   * cart, and a payment waits for the store (never the network). Returns whether it painted:
   * not once the store has loaded the till, nor without a current event.
   */
  async paint(first: FirstPaint): Promise<boolean> {
    const event = first.event;
    if (this.loaded || !event) return false;
    const taken = await takeSavedCart(first.carts);
    if (this.loaded) return false;
    const sold = taken?.pendingSaleId
      ? first.pendingSales.find((sale) => sale.id === taken.pendingSaleId)
      : undefined;
    const photos: Record<Id, string> = {};
    for (const photo of first.photos) photos[photo.id] = URL.createObjectURL(photo.blob);
    this.#apply(
      event.id,
      {
        products: first.products,
        stockRows: first.stock,
        movements: first.movements,
        lastSale: undefined,
        deviceCodes: {},
        photos,
      },
      { taken, sold },
    );
    this.#painted = { takenFrom: taken?.tabId, profileId: first.profile?.id, dropped: false };
    return true;
  }

  /**
   * Fetches the code a sale needs after the first paint, at once and side by side: the device
   * store (Dexie), the clock and the write services (sell, sell by link, void, restock). None
   * is in the till's first load (docs/style.md rule 12), and none may be fetched only when the
   * maker pays: a new phone, not yet controlled by the service worker, that loses the network
   * a moment after the till shows must still record the sale
   * (tests/e2e/first-visit-offline.e2e.ts). Nothing waits for it; a module that did not arrive
   * is asked for again where it is used.
   */
  preloadSalePath(): void {
    const modules: Promise<unknown>[] = [
      loadStoreCode(),
      import('$lib/domain/clock'),
      import('$lib/services/sell'),
      import('$lib/services/sell-by-link'),
      import('$lib/services/void'),
      import('$lib/services/restock'),
    ];
    for (const module of modules) void module.catch(() => undefined);
  }

  /** Loads the products, the event's stock and the last sale for the till. */
  load(store: DeviceStore, eventId: Id): Promise<void> {
    const painted = this.#painted;
    if (painted && (this.eventId !== eventId || app.profile?.id !== painted.profileId)) {
      // The store sells at another event or for another stall than was painted (another
      // window changed the device): the paint and the cart built on it go, and the till says
      // so; the cart the paint took from a gone tab stays saved for its own event.
      if (this.#cart.lines.length > 0) this.failure = 'changed';
      painted.dropped = true;
      return this.#repaintFromStore(store, eventId);
    }
    if (!painted) return this.#load(store, eventId);
    // The first load after the paint: cart as it is now, then saved (taken over) as this tab's.
    this.#firstLoad ??= this.#load(store, eventId).then(
      () => {
        this.#painted = null;
        this.#firstLoad = null;
        void this.#saveCart(painted.takenFrom).catch(() => undefined);
      },
      (error: unknown) => {
        this.#firstLoad = null;
        throw error;
      },
    );
    return this.#firstLoad;
  }

  async #load(store: DeviceStore, eventId: Id): Promise<void> {
    // Opening the till (or another event): this tab's saved cart comes back (a reload), or
    // the newest one of a tab that is gone (a crash); if the sale it was being completed as
    // is stored, that sale is shown as completed instead. A cart another open tab is filling
    // stays there (src/lib/state/tab.ts). Every read that does not need another's answer is
    // asked at once: this is the way to an interactive till after a cold start.
    const reopening = !this.loaded || this.eventId !== eventId;
    const savedCart = reopening
      ? store
          .listSavedCarts()
          .then((carts) => takeSavedCart(carts.filter((c) => c.eventId === eventId)))
          .then(async (taken) => ({
            taken,
            sold: taken?.pendingSaleId ? await store.getSale(taken.pendingSaleId) : undefined,
          }))
      : Promise.resolve({ taken: undefined, sold: undefined });
    const [products, stockRows, movements, lastSale, deviceCodes] = await Promise.all([
      store.listProducts(),
      store.listEventStock(eventId),
      store.listStockMovements(eventId),
      store.lastSale(eventId),
      store.getDeviceCodes(),
    ]);
    const [photos, { taken, sold }] = await Promise.all([
      loadPhotos(store, products, this.photos),
      savedCart,
    ]);
    this.#apply(
      eventId,
      { products, stockRows, movements, lastSale, deviceCodes, photos },
      reopening ? { taken, sold } : null,
    );
    // Kept as this tab's (taken over from the tab that is gone), or forgotten once sold.
    if (taken) void this.#saveCart(taken.tabId).catch(() => undefined);
  }

  /** Shows what was read; `reopened` (the saved cart taken) when the till opens anew. */
  #apply(
    eventId: Id,
    read: {
      products: Product[];
      stockRows: EventStock[];
      movements: StockMovement[];
      lastSale: Sale | undefined;
      deviceCodes: Record<Id, string>;
      photos: Record<Id, string>;
    },
    reopened: { taken: SavedCart | undefined; sold: Sale | undefined } | null,
  ): void {
    const { products, stockRows, movements, lastSale, deviceCodes, photos } = read;
    if (reopened) {
      const { taken, sold } = reopened;
      // A payment by phone or card may have been open for the pending id: the id stays with
      // the cart until the server was asked what became of it (cardPayment.resume).
      this.#pendingSaleId = taken?.pendingSaleId && !sold ? taken.pendingSaleId : null;
      this.resumable =
        taken?.pendingSaleId && !sold ? { saleId: taken.pendingSaleId, cart: taken.cart } : null;
      this.#cart = taken && !sold ? taken.cart : emptyCart();
      this.confirmedOversell = new Set();
      this.cleared = null;
      if (sold) this.completed = completedOf(sold);
    }
    this.eventId = eventId;
    this.products = products.filter((p) => !p.archived);
    this.stock = stockByProduct(stockRows);
    this.stockedIn = stockedInByProduct(stockRows, movements);
    this.photos = photos;
    this.lastSale = lastSale;
    this.deviceCodes = deviceCodes;
    this.loaded = true;
  }

  /**
   * The store, for a write: once it is open and, after a paint, has loaded the till (so the
   * write and the screen agree). Waits for the device only, never the network.
   */
  async #storeReady(): Promise<DeviceStore> {
    const tapped = this.#painted;
    const store = app.store ?? (await app.start());
    // The page's load found the store's till another while this waited for it.
    if (tapped?.dropped) throw new TillChangedError();
    const painted = this.#painted;
    if (painted && this.eventId) {
      // The paint was read before the store opened; the store's word stands. Another window
      // may have changed the device meanwhile (another account's stall, another current
      // event): then nothing is written for what was painted, and the till shows the store's.
      if (app.profile?.id !== painted.profileId || app.currentEvent?.id !== this.eventId) {
        painted.dropped = true;
        await this.#repaintFromStore(store, app.currentEvent?.id);
        throw new TillChangedError();
      }
      await this.load(store, this.eventId);
    }
    return store;
  }

  /** Drops the paint and its cart; shows the store's `eventId` (if any) as opened anew. */
  async #repaintFromStore(store: DeviceStore, eventId: Id | undefined): Promise<void> {
    this.#painted = null;
    this.#firstLoad = null;
    this.loaded = false;
    this.#pendingSaleId = null;
    this.resumable = null;
    this.#cart = emptyCart();
    this.confirmedOversell = new Set();
    this.cleared = null;
    this.paymentOpen = false;
    if (eventId) {
      await this.#load(store, eventId);
      return;
    }
    this.eventId = null;
    this.products = [];
    this.stock = {};
    this.stockedIn = {};
  }

  /**
   * Re-reads products, stock and the last sale after a pull brought changes (another
   * device's sales move stock). Skipped while a sale is being stored: the sale re-reads
   * stock itself after its commit, and an older read must not overwrite that.
   */
  async reload(store: DeviceStore, eventId: Id): Promise<void> {
    if (this.busy) return;
    await this.load(store, eventId);
  }

  /** What the tile says about a product's stock; null when its stock is not kept. */
  stockStateOf(productId: Id): StockState | null {
    const row = this.stock[productId];
    if (!row) return null;
    const of = this.stockedIn[productId] ?? row.openingCount;
    return stockState(row.level, of, lineQuantity(this.cart, productId));
  }

  /**
   * Adds one to the cart. Stock never blocks a sale: when the product's kept stock has run
   * out (the cart included), the till asks once per product per cart (`pendingOversell`)
   * and adds it after "sell anyway" (confirmOversell).
   */
  add(product: Product): void {
    const level = this.stock[product.id]?.level ?? null;
    const inCart = lineQuantity(this.cart, product.id);
    if (needsOversellConfirmation(level, inCart, this.confirmedOversell.has(product.id))) {
      this.pendingOversell = product;
      return;
    }
    this.#put(product);
  }

  confirmOversell(): void {
    const product = this.pendingOversell;
    if (!product) return;
    this.pendingOversell = null;
    this.confirmedOversell = new Set([...this.confirmedOversell, product.id]);
    this.#put(product);
  }

  cancelOversell(): void {
    this.pendingOversell = null;
  }

  #put(product: Product): void {
    this.completed = null;
    this.voidedReceipt = null;
    this.failure = null;
    this.cleared = null;
    this.cart = addProduct(this.cart, product);
  }

  more(productId: Id): void {
    const product = this.products.find((p) => p.id === productId);
    if (product) this.add(product);
  }

  less(productId: Id): void {
    this.cart = decrement(this.cart, productId);
  }

  /** Returns the reason it was refused, or null when the discount was applied. */
  discountLine(productId: Id, discount: LineDiscount): DiscountError | null {
    const result = setLineDiscount(this.cart, productId, discount);
    if (!result.ok) return result.error;
    this.cart = result.cart;
    return null;
  }

  discountCart(discount: LineDiscount): DiscountError | null {
    const result = setCartDiscount(this.cart, discount);
    if (!result.ok) return result.error;
    this.cart = result.cart;
    return null;
  }

  /** Empties the cart, keeping it for "Undo" until the cart changes again. */
  clear(): void {
    if (this.cart.lines.length > 0) {
      this.cleared = { cart: this.cart, confirmed: this.confirmedOversell };
    }
    this.cart = emptyCart();
    this.confirmedOversell = new Set();
    this.failure = null;
  }

  /** Brings the cleared cart back exactly (lines, quantities, discounts), if nothing came since. */
  undoClear(): void {
    const cleared = this.cleared;
    if (!cleared || this.cart.lines.length > 0) return;
    this.cart = cleared.cart;
    this.confirmedOversell = cleared.confirmed;
    this.cleared = null;
  }

  dismissCleared(): void {
    this.cleared = null;
  }

  /**
   * Restocks a product from the till (the maker brought more): one 'restock' movement via
   * the restock service; the tile's figures follow. Resolves with why typed input was
   * refused, or null when it was recorded; a storage failure is shown as the till's failure.
   */
  async restock(productId: Id, quantityText: string): Promise<RestockError | 'failed' | null> {
    if (!this.eventId) {
      this.fail('no-event');
      return 'failed';
    }
    try {
      const [store, { restockProduct }] = await Promise.all([
        this.#storeReady(),
        import('$lib/services/restock'),
      ]);
      const result = await restockProduct(
        { store, hlc: () => app.nextHlc() },
        this.eventId,
        productId,
        quantityText,
      );
      if (!result.ok) return result.error;
      const stock = await this.#readStock(store);
      if (stock) this.stock = stock;
      this.stockedIn = {
        ...this.stockedIn,
        [productId]: (this.stockedIn[productId] ?? 0) + result.quantity,
      };
      void app.refreshPending().catch(() => undefined);
      sync.notifyChange();
      return null;
    } catch (error) {
      this.fail(failureOf(error));
      return 'failed';
    }
  }

  openPayment(): void {
    if (this.cart.lines.length === 0) return;
    this.failure = null;
    this.paymentOpen = true;
  }

  closePayment(): void {
    if (!this.busy) this.paymentOpen = false;
  }

  /**
   * Records the cash sale. The cart is cleared and "completed" shown only after the store
   * resolved; on failure the cart and the payment step stay as they were.
   */
  async completeCash(tenderedCents: Cents): Promise<boolean> {
    const profile = app.profile;
    return this.#complete(uuidv7(), async (store, eventId, saleId) =>
      (await import('$lib/services/sell')).sellForCash(this.#sellContext(store), {
        cart: this.cart,
        eventId,
        makerId: profile?.id ?? '',
        tenderedCents,
        cashRounding: profile?.cashRounding ?? false,
        stockedProductIds: new Set(Object.keys(this.stock)),
        saleId,
      }),
    );
  }

  /**
   * Records the sale the server said was paid by phone or card (docs/payments.md), under the
   * payment's own sale id, for the cart as it was when the payment started. Like a cash sale:
   * the cart is cleared only after the store resolved.
   */
  async completeByPhoneOrCard(
    saleId: Id,
    cart: Cart,
    cashPart?: ElectronicSaleRequest['cashPart'],
  ): Promise<boolean> {
    const profile = app.profile;
    return this.#complete(saleId, async (store, eventId) =>
      (await import('$lib/services/sell')).sellByPhoneOrCard(this.#sellContext(store), {
        cart,
        eventId,
        makerId: profile?.id ?? '',
        saleId,
        stockedProductIds: new Set(Object.keys(this.stock)),
        ...(cashPart ? { cashPart } : {}),
      }),
    );
  }

  /** The customer paid on the stall's payment link (offline): recorded awaiting confirmation. */
  async completeByPaymentLink(saleId: Id, cart: Cart): Promise<boolean> {
    const profile = app.profile;
    return this.#complete(saleId, async (store, eventId) =>
      (await import('$lib/services/sell-by-link')).sellByPaymentLink(this.#sellContext(store), {
        cart,
        eventId,
        makerId: profile?.id ?? '',
        saleId,
        stockedProductIds: new Set(Object.keys(this.stock)),
      }),
    );
  }

  #sellContext(store: DeviceStore) {
    return { store, newId: () => uuidv7(), hlc: () => app.nextHlc(), now: Date.now };
  }

  async #complete(
    saleId: Id,
    sell: (store: DeviceStore, eventId: Id, saleId: Id) => Promise<Sale>,
  ): Promise<boolean> {
    if (this.busy) return false;
    if (!this.eventId) return this.fail('no-event');
    if (!app.profile) return this.fail('no-profile');
    this.busy = true;
    this.failure = null;
    try {
      // Painted before the store was up (a tap and "Pay" in the first second): the sale waits
      // for the device's store, then is recorded as any other.
      const store = await this.#storeReady();
      if (!this.eventId) return this.fail('no-event');
      // The sale's id goes with the saved cart first: after a reload at any moment, the till
      // finds either this sale stored or the cart to sell again, never neither (see load).
      this.#pendingSaleId = saleId;
      await this.#saveCart();
      const sale = await sell(store, this.eventId, saleId);
      // Re-read the stock first, so the screen changes once: cart, levels and receipt.
      const stock = await this.#readStock(store);
      this.completed = completedOf(sale);
      this.lastSale = sale;
      this.voidedReceipt = null;
      this.#pendingSaleId = null;
      this.cart = emptyCart();
      this.confirmedOversell = new Set();
      this.cleared = null;
      this.paymentOpen = false;
      if (stock) this.stock = stock;
      void app.refreshPending().catch(() => undefined);
      // After the commit, never inside it: the sale goes to the server shortly.
      sync.notifyChange();
      return true;
    } catch (error) {
      if (this.#pendingSaleId === saleId) {
        this.#pendingSaleId = null;
        void this.#saveCart().catch(() => undefined);
      }
      return this.fail(failureOf(error));
    } finally {
      this.busy = false;
    }
  }

  /**
   * Saves the cart as it is now (an empty cart with no sale under way: forgets it), after
   * the saves before it. Rejects when this save failed.
   */
  #saveCart(takenFrom?: string): Promise<void> {
    const store = app.store;
    const eventId = this.eventId;
    if (!store || !eventId) return Promise.resolve();
    const tabId = currentTabId();
    const cart = this.#cart;
    const pendingSaleId = this.#pendingSaleId;
    const empty = cart.lines.length === 0 && pendingSaleId === null;
    const save = this.#saving.then(async () => {
      if (!empty) {
        await store.saveCart(
          { eventId, cart, pendingSaleId, savedAt: Date.now(), tabId },
          takenFrom,
        );
        return;
      }
      if (takenFrom !== undefined && takenFrom !== tabId) await store.forgetCart(takenFrom);
      await store.forgetCart(tabId);
    });
    this.#saving = save.catch(() => undefined);
    return save;
  }

  /** Voids the last sale with a reason; it keeps its receipt number. */
  async voidLast(reason: string): Promise<boolean> {
    const store = app.store;
    const sale = this.lastSale;
    if (!store || !sale || this.busy) return false;
    this.busy = true;
    try {
      const { voidSaleWithReason } = await import('$lib/services/void');
      const voided = await voidSaleWithReason(
        { store, hlc: () => app.nextHlc(), now: Date.now },
        sale.id,
        reason,
      );
      const stock = await this.#readStock(store);
      this.lastSale = voided;
      this.voidedReceipt = voided.receiptNumber;
      this.completed = null;
      if (stock) this.stock = stock;
      void app.refreshPending().catch(() => undefined);
      // After the commit, never inside it: the sale goes to the server shortly.
      sync.notifyChange();
      return true;
    } catch (error) {
      return this.fail(failureOf(error));
    } finally {
      this.busy = false;
    }
  }

  dismissCompleted(): void {
    this.completed = null;
    this.voidedReceipt = null;
  }

  fail(failure: TillFailure): false {
    this.failure = failure;
    return false;
  }

  /** The event's stock levels after a write; null when the re-read fails (the write stands). */
  async #readStock(store: DeviceStore): Promise<Record<Id, EventStock> | null> {
    if (!this.eventId) return null;
    try {
      return stockByProduct(await store.listEventStock(this.eventId));
    } catch {
      return null;
    }
  }
}

/**
 * The saved cart the till takes among an event's `carts` (newest first): this tab's, else the
 * newest of a closed tab.
 */
async function takeSavedCart(carts: SavedCart[]): Promise<SavedCart | undefined> {
  const tabId = currentTabId();
  const own = carts.find((c) => c.tabId === tabId);
  if (own) return own;
  for (const cart of carts) if (!(await tabIsOpen(cart.tabId))) return cart;
  return undefined;
}

function completedOf(sale: Sale): CompletedSale {
  const cashPayment = sale.payments.find((p) => p.method === 'cash');
  return {
    saleId: sale.id,
    deviceId: sale.deviceId,
    receiptNumber: sale.receiptNumber,
    paidCents: sale.paidCents,
    changeCents: cashPayment?.changeCents ?? 0,
  };
}

function stockByProduct(rows: EventStock[]): Record<Id, EventStock> {
  const stock: Record<Id, EventStock> = {};
  for (const row of rows) stock[row.productId] = row;
  return stock;
}

function failureOf(error: unknown): TillFailure {
  if (error instanceof StoreError) return error.code;
  if (error instanceof TillChangedError) return 'changed';
  if (error instanceof SaleError && error.code === 'insufficient-tender') {
    return 'insufficient-tender';
  }
  return 'unknown';
}

/** Object URLs for the products' photos, reusing the ones already made. */
async function loadPhotos(
  store: DeviceStore,
  products: Product[],
  existing: Record<Id, string>,
): Promise<Record<Id, string>> {
  const urls: Record<Id, string> = {};
  // Side by side: a till of 40 products with photos must not wait 40 reads in a row.
  await Promise.all(
    products.map(async (product) => {
      const photoId = product.photoId;
      if (!photoId) return;
      const known = existing[photoId];
      if (known) {
        urls[photoId] = known;
        return;
      }
      const photo = await store.getPhoto(photoId);
      if (photo && !urls[photoId]) urls[photoId] = URL.createObjectURL(photo.blob);
    }),
  );
  for (const [photoId, url] of Object.entries(existing)) {
    if (!urls[photoId]) URL.revokeObjectURL(url);
  }
  return urls;
}

export const till = new TillState();
