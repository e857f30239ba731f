import type { DeviceStore } from '$lib/db';
import type { RoundResult, SyncEngine, SyncEngineOptions } from '$lib/sync/engine';
import { initialStatus, SYNC_FAILURE_TEXT, type SyncStatus } from '$lib/sync/status';
import type { SyncTransport } from '$lib/sync/transport';
import { loadOnce } from '$lib/load-once';
import { app } from './app.svelte';
import { downloads } from './downloads.svelte';

/** Something a screen re-reads after a pull brought changes (its list, its summary). */
export type RemoteChangeListener = () => void | Promise<void>;

export interface SyncStartOptions {
  /** Default: fetch to this origin's /api/sync endpoints. */
  transport?: SyncTransport;
  /** Engine options for tests (timers, lock, events). */
  engine?: Partial<Omit<SyncEngineOptions, 'store' | 'transport' | 'onRound'>>;
}

/**
 * The sync engine's status as runes, for the header's status line ("3 not sent yet",
 * last sync time, why the last attempt failed). One engine per page; the Web Lock inside it
 * makes sure only one tab syncs at a time. Translate `status.lastFailure.reason` for the UI;
 * `failureText` is the English fallback.
 *
 * After every round the app's pending count is re-read from the outbox (so the header never
 * drifts from what is really waiting), and after a round that applied pulled changes the
 * app state and every registered screen re-read the store.
 */
// The sync's code, loaded once the till is up; a download that keeps failing while the server
// answers offers a reload (./downloads.svelte.ts).
const engineCode = loadOnce(() => import('$lib/sync/engine'), downloads);
const transportCode = loadOnce(() => import('$lib/sync/transport'), downloads);

/** How long a sync whose code could not be fetched waits before it tries again (online or not). */
const RETRY_START_MS = 15_000;

class SyncState {
  status = $state<SyncStatus>(initialStatus());
  #engine: SyncEngine | null = null;
  /**
   * The engine and the fetch transport (with zod, to validate the server's answers) load
   * after the till is up: selling never waits for the sync code to download or parse.
   */
  #starting: Promise<void> | null = null;
  #changedWhileStarting = false;
  #listeners = new Set<RemoteChangeListener>();
  /** The after-round work in flight, so tests (and sign-in) can wait for it. */
  #afterRound: Promise<void> = Promise.resolve();
  /** Cancels a start waiting to try again (`#retryStart`). */
  #cancelRetry: (() => void) | null = null;

  get started(): boolean {
    return this.#engine !== null || this.#starting !== null;
  }

  /** Starts syncing this device's store (on start, online, after sales, periodically). */
  start(store: DeviceStore, options: SyncStartOptions = {}): Promise<void> {
    this.#starting ??= this.#start(store, options).catch(() => this.#retryStart(store, options));
    return this.#starting;
  }

  /**
   * The engine's code could not be fetched: a new phone, not yet controlled by the service
   * worker, that lost the network before it arrived (the till sells meanwhile; its sales wait
   * in the outbox). Tried again once the browser is back online, or after RETRY_START_MS.
   */
  #retryStart(store: DeviceStore, options: SyncStartOptions): void {
    this.#starting = null;
    // One wait at a time: an earlier one left waiting would outlive stop() (a sign-out).
    this.#cancelRetry?.();
    if (typeof window === 'undefined') return;
    const timer = setTimeout(() => again(), RETRY_START_MS);
    const cancel = () => {
      clearTimeout(timer);
      window.removeEventListener('online', again);
      this.#cancelRetry = null;
    };
    const again = () => {
      cancel();
      if (!this.started) void this.start(store, options);
    };
    window.addEventListener('online', again);
    this.#cancelRetry = cancel;
  }

  async #start(store: DeviceStore, options: SyncStartOptions): Promise<void> {
    const [{ SyncEngine }, transport] = await Promise.all([
      engineCode(),
      options.transport ??
        transportCode().then(({ createFetchTransport }) => createFetchTransport()),
    ]);
    if (this.#starting === null) return; // stopped while loading
    const engine = new SyncEngine({
      ...options.engine,
      store,
      transport,
      onRound: (result) => {
        this.#afterRound = this.#afterRound.then(() => this.#settle(result));
      },
    });
    this.#engine = engine;
    engine.subscribe((status) => (this.status = status));
    engine.start();
    if (this.#changedWhileStarting) engine.notifyChange();
    this.#changedWhileStarting = false;
  }

  /** Call after a sale or any other queued change: syncs shortly after, once per burst. */
  notifyChange(): void {
    if (this.#engine) this.#engine.notifyChange();
    else if (this.#starting) this.#changedWhileStarting = true;
  }

  /**
   * Syncs now, e.g. right after signing in (the engine waits long after a 401, so without
   * this the first sales would only go at the next trigger). Resolves after the round and
   * the screens' refresh; never rejects.
   */
  async syncNow(): Promise<RoundResult | null> {
    await this.#starting?.catch(() => undefined);
    const engine = this.#engine;
    if (!engine) return null;
    const result = await engine.syncNow();
    await this.#afterRound;
    return result;
  }

  /** Re-read by a screen after pulled changes; returns the function that stops it. */
  onRemoteChanges(listener: RemoteChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Whether the outbox can drain at all: not while the device has no account, is signed out,
   * belongs to another account or runs a version the server refuses. Offline or a failing
   * server are passing states: the outbox still drains later.
   */
  get canSend(): boolean {
    const reason = this.status.lastFailure?.reason;
    return reason !== 'signed-out' && reason !== 'forbidden' && reason !== 'rejected-request';
  }

  get failureText(): string | null {
    const failure = this.status.lastFailure;
    return failure ? SYNC_FAILURE_TEXT[failure.reason] : null;
  }

  stop(): void {
    this.#cancelRetry?.();
    this.#engine?.stop();
    this.#engine = null;
    this.#starting = null;
    this.#changedWhileStarting = false;
  }

  /**
   * Keeps every screen of this tab in step with the device store, whoever wrote to it: this
   * tab, another tab of this browser (which may hold the sync lock and so do every pull) or
   * its sync engine. A burst of writes (a sale is one transaction, a pulled page another)
   * re-reads once, `delayMs` after the last. Returns the function that stops it.
   */
  followStore(watch: (onChange: () => void) => () => void, delayMs = 60): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = watch(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.#afterRound = this.#afterRound.then(() => this.#refreshScreens());
      }, delayMs);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }

  async #settle(result: RoundResult): Promise<void> {
    // One source of truth for "not sent yet": the outbox itself, read after the round.
    await app.refreshPending().catch(() => undefined);
    // Product photos travel beside the outbox, after a round that reached the server
    // (src/lib/services/photo-sync.ts); one that arrived is shown at once.
    // Loaded here, after a round: not part of the till's first load (docs/style.md rule 12).
    const store = app.store;
    const photos =
      result.ok && result.ran && store
        ? await import('$lib/services/photo-sync')
            .then(({ fetchPhotoTransport, syncProductPhotos }) =>
              syncProductPhotos(store, fetchPhotoTransport()),
            )
            .catch(() => null)
        : null;
    if (result.pulled === 0 && !photos?.downloaded) return;
    await this.#refreshScreens();
  }

  async #refreshScreens(): Promise<void> {
    await app.refresh().catch(() => undefined);
    for (const listener of [...this.#listeners]) {
      try {
        await listener();
      } catch {
        // One screen failing to re-read must not keep the others stale.
      }
    }
  }
}

export const sync = new SyncState();
