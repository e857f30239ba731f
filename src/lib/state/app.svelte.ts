import { openDeviceStore, requestPersistence, type PersistenceResult } from '$lib/db';
import { StoreError, type DeviceStore, type StoreErrorCode } from '$lib/db/device-store';
import type { FirstPaint } from '$lib/db/first-paint';
import type { HybridLogicalClock } from '$lib/domain/clock';
import type { Id, MarketEvent, StallProfile } from '$lib/domain/types';
// The events screen stores the event the till sells into under this setting.
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';

/** The longest the store's opening waits for the till's first paint (`start(after)`). */
const PAINT_FIRST_MS = 300;

/** How often the "not yet sent" count is re-read while the app is open. */
const PENDING_POLL_MS = 5_000;

type AppStatus = 'loading' | 'ready' | 'failed';

/**
 * The app's shared state: the device store, the maker's profile, the current event,
 * connectivity and the outbox size. Values change only after the store answered, so the
 * screen never shows something the device has not stored.
 */
class AppState {
  store = $state.raw<DeviceStore | null>(null);
  deviceId = $state('');
  profile = $state.raw<StallProfile | undefined>(undefined);
  currentEvent = $state.raw<MarketEvent | undefined>(undefined);
  status = $state<AppStatus>('loading');
  failure = $state<StoreErrorCode | null>(null);
  online = $state(true);
  pendingCount = $state(0);
  /** Sales among them: what the header counts for a maker with an account. */
  pendingSales = $state(0);
  /** The browser's answer to keeping our storage (null until it answered). */
  persistence = $state<PersistenceResult | null>(null);
  /**
   * The till's grid is on screen (its cold-start paint, issue 11): the layout's header and
   * navigation, left out of that first paint, follow in the next frame.
   */
  painted = $state(false);

  #starting: Promise<DeviceStore> | null = null;
  #clock: HybridLogicalClock | null = null;

  /**
   * Opens the device store once; every caller shares the same promise. `after`: the first
   * caller's work that goes first (the till's first paint, issue 11), so the store's code
   * (Dexie, 45 KB) is fetched and run after it, not in its way; waited for at most
   * PAINT_FIRST_MS.
   */
  start(after?: Promise<unknown>): Promise<DeviceStore> {
    this.#starting ??= this.#open(after);
    return this.#starting;
  }

  async #open(after?: Promise<unknown>): Promise<DeviceStore> {
    if (after) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        after.catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, PAINT_FIRST_MS))),
      ]);
      clearTimeout(timer);
    }
    try {
      const store = await openDeviceStore();
      await this.attach(store);
      // Asked at first use, not awaited: the till must not wait for a permission answer.
      void requestPersistence().then(
        (result) => (this.persistence = result),
        () => (this.persistence = null),
      );
      return store;
    } catch (error) {
      this.status = 'failed';
      this.failure = error instanceof StoreError ? error.code : 'unknown';
      this.#starting = null;
      throw error;
    }
  }

  /**
   * Before the store is open: the profile and current event the plain read found
   * (src/lib/db/first-paint.ts), so the till paints while the store loads. The status stays
   * 'loading' until the store answered; once it has, its word stands and this does nothing.
   */
  paint(first: FirstPaint): void {
    if (this.status !== 'loading') return;
    this.profile = first.profile;
    this.currentEvent = first.event;
  }

  /**
   * Uses `store` as the device's storage: reads what the screens need and starts the clock.
   * `start()` attaches the IndexedDB store; unit tests attach the in-memory twin.
   */
  async attach(store: DeviceStore): Promise<void> {
    // Independent reads, side by side: this is on the way to an interactive till.
    // The clock's code comes with the store (it is not in the till's first load).
    const [deviceId, lastHlc, shared, { createHlc }] = await Promise.all([
      store.deviceId(),
      store.lastHlc(),
      readShared(store),
      import('$lib/domain/clock'),
    ]);
    this.store = store;
    this.deviceId = deviceId;
    this.#apply(shared);
    // The clock continues after the newest timestamp this device wrote, even if the wall
    // clock stepped back since.
    this.#clock = createHlc(deviceId, Date.now, lastHlc);
    this.status = 'ready';
    this.failure = null;
    this.#starting = Promise.resolve(store);
  }

  /** Re-reads what other screens may have changed: profile, current event, outbox size. */
  async refresh(): Promise<void> {
    const store = this.store;
    if (!store) return;
    this.#apply(await readShared(store));
  }

  #apply(shared: SharedState): void {
    this.profile = shared.profile;
    this.currentEvent = shared.event;
    this.pendingCount = shared.pending;
    this.pendingSales = shared.pendingSales;
  }

  async refreshPending(): Promise<void> {
    const store = this.store;
    if (!store) return;
    const [pending, pendingSales] = await Promise.all([
      store.pendingCount(),
      store.pendingSalesCount(),
    ]);
    this.pendingCount = pending;
    this.pendingSales = pendingSales;
  }

  /** A new hybrid-logical-clock timestamp for something this device does now. */
  nextHlc(): string {
    if (!this.#clock) throw new StoreError('closed', 'the device store is not open');
    return this.#clock.now();
  }

  /** Follows navigator.onLine and polls the outbox size; returns a cleanup function. */
  watch(): () => void {
    const update = () => (this.online = navigator.onLine);
    const poll = () => void this.refreshPending().catch(() => undefined);
    update();
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    document.addEventListener('visibilitychange', poll);
    const timer = window.setInterval(poll, PENDING_POLL_MS);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      document.removeEventListener('visibilitychange', poll);
      window.clearInterval(timer);
    };
  }
}

interface SharedState {
  profile: StallProfile | undefined;
  event: MarketEvent | undefined;
  pending: number;
  pendingSales: number;
}

/** What every screen shows from the store: profile, current event, outbox size. */
async function readShared(store: DeviceStore): Promise<SharedState> {
  const [profile, event, pending, pendingSales] = await Promise.all([
    store.getProfile(),
    store
      .getSetting<Id>(CURRENT_EVENT_SETTING)
      .then((eventId) => (eventId ? store.getEvent(eventId) : undefined)),
    store.pendingCount(),
    store.pendingSalesCount(),
  ]);
  return { profile, event, pending, pendingSales };
}

export const app = new AppState();
