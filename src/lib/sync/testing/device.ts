/**
 * A simulated device for sync tests: the real device store (in-memory twin by default, or
 * Dexie on fake-indexeddb), the real engine, and a transport the test chooses. It sells
 * through the domain's cart and sale code, like the till does. Test code only.
 */
import { addProduct, emptyCart, priceCart, type Cart } from '$lib/domain/cart';
import { createHlc, type HybridLogicalClock } from '$lib/domain/clock';
import { uuidv7 } from '$lib/domain/ids';
import { buildSale, saleMovements } from '$lib/domain/sale';
import type { MarketEvent, Product, Refund, Sale } from '$lib/domain/types';
import type { DeviceStore } from '$lib/db/device-store';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { SyncEngine, type SyncEngineOptions } from '../engine';
import type { SyncLock } from '../lock';
import type { SyncTransport } from '../transport';
import { BASE_TIME, type SaleItem } from './factories';

/** A lock that is no lock: for tests that bypass it on purpose (docs/sync-faults.md fault 6). */
export const NO_LOCK: SyncLock = {
  run: async (fn) => ({ ran: true, value: await fn() }),
};

export interface TestDeviceOptions {
  transport: SyncTransport;
  store?: DeviceStore;
  makerId?: string;
  now?: () => number;
  engine?: Partial<SyncEngineOptions>;
}

export class TestDevice {
  readonly store: DeviceStore;
  readonly engine: SyncEngine;
  readonly makerId: string;
  readonly clock: HybridLogicalClock;
  readonly now: () => number;

  private constructor(
    store: DeviceStore,
    engine: SyncEngine,
    makerId: string,
    clock: HybridLogicalClock,
    now: () => number,
  ) {
    this.store = store;
    this.engine = engine;
    this.makerId = makerId;
    this.clock = clock;
    this.now = now;
  }

  static async create(options: TestDeviceOptions): Promise<TestDevice> {
    let tick = 0;
    const now = options.now ?? (() => BASE_TIME + ++tick * 1000);
    const store = options.store ?? new MemoryDeviceStore({ now });
    const makerId = options.makerId ?? uuidv7();
    await store.saveProfile({
      id: makerId,
      stallName: 'Kraam',
      organisationId: null,
      userId: null,
      cashRounding: false,
      createdAt: now(),
    });
    const deviceId = await store.deviceId();
    const clock = createHlc(deviceId, now, await store.lastHlc());
    const engine = new SyncEngine({
      store,
      transport: options.transport,
      events: null,
      lock: NO_LOCK,
      heldBackRetries: 20,
      ...options.engine,
    });
    return new TestDevice(store, engine, makerId, clock, now);
  }

  async addProduct(overrides: Partial<Product> = {}): Promise<Product> {
    const at = this.now();
    const product: Product = {
      id: uuidv7(),
      makerId: this.makerId,
      name: 'Brood',
      priceCents: 350,
      vatRate: 9,
      photoId: null,
      colour: 'saffron',
      category: '',
      archived: false,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
    await this.store.saveProduct(product, this.clock.now());
    return product;
  }

  async editProduct(product: Product, change: Partial<Product>): Promise<Product> {
    const current = (await this.store.getProduct(product.id)) ?? product;
    const next = { ...current, ...change, updatedAt: this.now() };
    await this.store.saveProduct(next, this.clock.now());
    return next;
  }

  async addEvent(overrides: Partial<MarketEvent> = {}): Promise<MarketEvent> {
    const at = this.now();
    const event: MarketEvent = {
      id: uuidv7(),
      organisationId: null,
      seriesId: null,
      name: 'Bazaar',
      date: '2026-05-16',
      place: 'Buurthuis',
      opensAt: '10:00',
      closesAt: '17:00',
      status: 'open',
      origin: 'device',
      createdAt: at,
      updatedAt: at,
      ...overrides,
    };
    await this.store.saveEvent(event, this.clock.now());
    return event;
  }

  setStock(eventId: string, productId: string, count: number | null): Promise<void> {
    return this.store.setOpeningStock(eventId, productId, count, this.clock.now());
  }

  /** Rings up a cash sale; stock moves for products whose stock is kept at the event. */
  async sell(eventId: string, items: readonly SaleItem[]): Promise<Sale> {
    let cart: Cart = emptyCart();
    for (const item of items) cart = addProduct(cart, item.product, item.quantity ?? 1);
    const stocked = new Set((await this.store.listEventStock(eventId)).map((row) => row.productId));
    const hlc = this.clock.now();
    const id = uuidv7();
    const { sale, lines } = buildSale({
      id,
      eventId,
      makerId: this.makerId,
      hlc,
      createdAt: this.now(),
      cart,
      payment: { method: 'cash', tenderedCents: priceCart(cart).totalCents, cashRounding: false },
      lineIds: () => uuidv7(),
    });
    const movements = saleMovements(sale, lines, stocked, uuidv7, hlc);
    return this.store.recordSale({ sale, lines, movements });
  }

  /** Refunds a sale: what remains, or chosen lines (by position) and quantities. */
  async refund(
    saleId: string,
    lines: 'all' | { position: number; quantity: number }[] = 'all',
    reason = 'Kapot thuisgekomen',
  ): Promise<Refund> {
    const saleLines = await this.store.getSaleLines(saleId);
    return this.store.recordRefund({
      id: uuidv7(),
      saleId,
      reason,
      createdAt: this.now(),
      hlc: this.clock.now(),
      lines:
        lines === 'all'
          ? 'all'
          : lines.map((l) => ({
              saleLineId: saleLines[l.position]?.id ?? 'no-such-line',
              quantity: l.quantity,
            })),
    });
  }

  voidSale(saleId: string, reason = 'Verkeerd aangeslagen'): Promise<Sale> {
    return this.store.voidSale({ saleId, reason, voidedAt: this.now(), hlc: this.clock.now() });
  }

  /** Syncs until a round succeeds with nothing left to send (or gives up). */
  async settle(maxRounds = 50): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      const result = await this.engine.syncNow();
      if (result.ok && (await this.store.pendingCount()) === 0) return;
    }
    throw new Error(
      `did not settle: ${await this.store.pendingCount()} pending, last failure ${this.engine.status.lastFailure?.message ?? 'none'}`,
    );
  }
}
