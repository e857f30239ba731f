/**
 * The device's sync engine (SPEC.md, "The device"). A round = push the outbox, then pull the
 * change feed, under the sync lock:
 *   push: read a batch (one store transaction) -> send (no transaction open) -> acknowledge
 *         what the server committed (a second transaction). Nothing leaves the outbox
 *         before the server acknowledged it [G2, G4].
 *   pull: fetch a page -> apply it and its cursor in one store transaction [docs/sync-faults.md fault 20].
 *   epoch: the server answers epochChanged (or a pull shows a new epoch): the outbox is
 *         rebuilt from what the device knows, numbered after what the server has, and the
 *         cursor starts over.
 *   gap:  the server reports a sequence gap [G3]: recorded in the status, then healed the
 *         same way (rebuild after what the server has).
 * Triggers: start, the browser's `online` event, shortly after each sale (debounced), every
 * few minutes; failures back off exponentially with jitter.
 */
import type { DeviceStore } from '$lib/db/device-store';
import type { Mutation } from '$lib/domain/types';
import { createSyncLock, type SyncLock } from './lock';
import {
  DEFAULT_PULL_LIMIT,
  MAX_PUSH_MUTATIONS,
  PROTOCOL_VERSION,
  type PushResponse,
} from './protocol';
import {
  backoffDelay,
  classifyFailure,
  GapError,
  initialStatus,
  SYNC_FAILURE_TEXT,
  type BackoffOptions,
  type SyncStatus,
} from './status';
import type { SyncTransport } from './transport';

/** What the engine needs of the device store. */
export type SyncStore = Pick<
  DeviceStore,
  | 'deviceId'
  | 'getProfile'
  | 'pendingCount'
  | 'readOutbox'
  | 'acknowledge'
  | 'getSyncState'
  | 'saveSyncState'
  | 'applyPull'
  | 'rebaseOutbox'
>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncEngineOptions {
  store: SyncStore;
  transport: SyncTransport;
  /** Default: a Web Lock when the browser has them, else an in-page mutex. */
  lock?: SyncLock;
  /** Where `online`/`offline` events come from (default: window, when there is one). */
  events?: EventTarget | null;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  /** Mutations per push (default 200, at most MAX_PUSH_MUTATIONS). */
  batchSize?: number;
  pullLimit?: number;
  /** Wait after a sale before syncing, so a burst of sales goes in one push. */
  debounceMs?: number;
  /** Sync this often even when nothing happens (to pull what others changed). */
  intervalMs?: number;
  backoff?: BackoffOptions;
  /** A pull page that is empty but says "more" (held back) is retried this often per round. */
  heldBackRetries?: number;
  /**
   * Called after every round this tab ran or skipped, whatever its trigger (start, online,
   * a sale, the timer): the app re-reads what a pull changed. `pulled` counts the changes
   * applied, also by a round that failed after some pages were applied.
   */
  onRound?: (result: RoundResult) => void;
}

export interface RoundResult {
  ok: boolean;
  /** False when another tab held the lock, so this one did not sync. */
  ran: boolean;
  pushed: number;
  pulled: number;
}

const MAX_REBASES_PER_ROUND = 3;

export class SyncEngine {
  readonly #store: SyncStore;
  readonly #transport: SyncTransport;
  readonly #lock: SyncLock;
  readonly #events: EventTarget | null;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #timers: Timers;
  readonly #batchSize: number;
  readonly #pullLimit: number;
  readonly #debounceMs: number;
  readonly #intervalMs: number;
  readonly #backoff: BackoffOptions;
  readonly #heldBackRetries: number;
  readonly #onRound: ((result: RoundResult) => void) | null;

  #status: SyncStatus = initialStatus();
  #listeners = new Set<(status: SyncStatus) => void>();
  #running: Promise<RoundResult> | null = null;
  #again = false;
  #failures = 0;
  #timer: unknown = null;
  #debounce: unknown = null;
  #started = false;
  /** Changes applied by the round running now (kept when it fails half-way). */
  #roundPulled = 0;

  constructor(options: SyncEngineOptions) {
    this.#store = options.store;
    this.#transport = options.transport;
    this.#lock = options.lock ?? createSyncLock();
    this.#events =
      options.events !== undefined ? options.events : typeof window !== 'undefined' ? window : null;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.#batchSize = Math.min(options.batchSize ?? 200, MAX_PUSH_MUTATIONS);
    this.#pullLimit = options.pullLimit ?? DEFAULT_PULL_LIMIT;
    this.#debounceMs = options.debounceMs ?? 2_000;
    this.#intervalMs = options.intervalMs ?? 5 * 60_000;
    this.#backoff = options.backoff ?? { baseMs: 2_000, maxMs: 5 * 60_000 };
    this.#heldBackRetries = options.heldBackRetries ?? 5;
    this.#onRound = options.onRound ?? null;
  }

  // --- status ----------------------------------------------------------------------------

  get status(): SyncStatus {
    return this.#status;
  }

  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#status);
    return () => this.#listeners.delete(listener);
  }

  #update(patch: Partial<SyncStatus>): void {
    this.#status = { ...this.#status, ...patch };
    for (const listener of this.#listeners) listener(this.#status);
  }

  async #refreshPending(): Promise<void> {
    this.#update({ pendingCount: await this.#store.pendingCount() });
  }

  // --- triggers --------------------------------------------------------------------------

  #onOnline = () => {
    this.#failures = 0;
    void this.syncNow();
  };

  /** Starts syncing now, when the browser comes online, and every few minutes. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#events?.addEventListener('online', this.#onOnline);
    void this.#store.getSyncState().then(
      (state) => this.#update({ lastSyncAt: state.lastSyncAt }),
      () => undefined,
    );
    void this.syncNow();
  }

  stop(): void {
    this.#started = false;
    this.#events?.removeEventListener('online', this.#onOnline);
    this.#clearTimer();
    if (this.#debounce !== null) this.#timers.clearTimeout(this.#debounce);
    this.#debounce = null;
  }

  /** Call after each sale (or any queued change): syncs shortly after, once per burst. */
  notifyChange(): void {
    void this.#refreshPending().catch(() => undefined);
    if (this.#debounce !== null) this.#timers.clearTimeout(this.#debounce);
    this.#debounce = this.#timers.setTimeout(() => {
      this.#debounce = null;
      void this.syncNow();
    }, this.#debounceMs);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(ms: number): void {
    this.#clearTimer();
    if (!this.#started) {
      this.#update({ nextAttemptAt: null });
      return;
    }
    this.#update({ nextAttemptAt: this.#now() + ms });
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      void this.syncNow();
    }, ms);
  }

  // --- rounds ----------------------------------------------------------------------------

  /**
   * Runs a sync round now. A call while a round runs in this tab returns that round's
   * promise and makes it run once more at the end (so nothing queued meanwhile waits).
   */
  syncNow(): Promise<RoundResult> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #loop(): Promise<RoundResult> {
    let result: RoundResult;
    do {
      this.#again = false;
      result = await this.#lockedRound();
      this.#report(result);
    } while (this.#again && result.ok);
    return result;
  }

  #report(result: RoundResult): void {
    try {
      this.#onRound?.(result);
    } catch {
      // A listener's failure must never stop syncing.
    }
  }

  async #lockedRound(): Promise<RoundResult> {
    this.#roundPulled = 0;
    this.#update({ state: 'syncing' });
    try {
      const locked = await this.#lock.run(() => this.#round());
      if (!locked.ran) {
        // Another tab is syncing this device; just show what is left.
        await this.#refreshPending().catch(() => undefined);
        this.#update({ state: 'idle' });
        this.#schedule(this.#intervalMs);
        return { ok: true, ran: false, pushed: 0, pulled: 0 };
      }
      this.#failures = 0;
      this.#update({ state: 'idle', lastSyncAt: this.#now(), lastFailure: null });
      this.#schedule(this.#intervalMs);
      return locked.value;
    } catch (error) {
      this.#failures += 1;
      const reason = classifyFailure(error);
      const detail = error instanceof Error ? error.message : String(error);
      this.#update({
        state: 'waiting',
        lastFailure: {
          reason,
          message: `${SYNC_FAILURE_TEXT[reason]} (${detail})`,
          at: this.#now(),
        },
      });
      await this.#refreshPending().catch(() => undefined);
      // Signed out or refused: retrying fast cannot help; the next trigger (sign-in, online,
      // a sale) or the slow schedule will.
      const slow = reason === 'signed-out' || reason === 'forbidden';
      this.#schedule(
        slow ? this.#backoff.maxMs : backoffDelay(this.#failures, this.#backoff, this.#random),
      );
      return { ok: false, ran: true, pushed: 0, pulled: this.#roundPulled };
    }
  }

  async #round(): Promise<RoundResult> {
    let pushed = await this.#pushAll(false);
    let pulled = 0;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#pullAll();
      pulled += outcome.pulled;
      if (!outcome.epochChanged) break;
      if (attempt >= MAX_REBASES_PER_ROUND) throw new GapError('the server epoch keeps changing');
      // The server was reset since our last push: an empty push learns how far it got and
      // rebuilds the outbox (#pushAll handles epochChanged), then pull from the start.
      pushed += await this.#pushAll(true);
    }
    await this.#store.saveSyncState({ lastSyncAt: this.#now() });
    await this.#refreshPending();
    return { ok: true, ran: true, pushed, pulled };
  }

  /** Pushes until the outbox is empty. `hello`: push even with an empty outbox (epoch check). */
  async #pushAll(hello: boolean): Promise<number> {
    const deviceId = await this.#store.deviceId();
    const vendorId = (await this.#store.getProfile())?.id;
    let pushed = 0;
    let rebases = 0;
    for (;;) {
      const state = await this.#store.getSyncState();
      const entries = await this.#store.readOutbox(this.#batchSize);
      if (entries.length === 0 && !hello) return pushed;
      hello = false;
      const mutations = entries.map((e) => ({ seq: e.seq, mutation: e.mutation as Mutation }));
      const response = await this.#transport.push({
        protocol: PROTOCOL_VERSION,
        deviceId,
        epoch: state.epoch,
        highestSeq: state.highestSeq,
        ...(vendorId ? { vendorId } : {}),
        mutations,
      });
      this.#record(response);
      if (response.epochChanged || response.gap) {
        if (response.gap) {
          this.#update({ lastGap: { ...response.gap, at: this.#now() } });
        }
        if (++rebases > MAX_REBASES_PER_ROUND) {
          throw new GapError('the server keeps reporting a sequence gap');
        }
        // Keep what the server did commit of this batch, then renumber the rest after it.
        await this.#acknowledge(
          response,
          entries.map((e) => e.seq),
        );
        await this.#store.rebaseOutbox(response.acknowledgedUpTo + 1, response.epoch);
        await this.#refreshPending();
        continue;
      }
      await this.#acknowledge(
        response,
        entries.map((e) => e.seq),
      );
      if (state.epoch !== response.epoch)
        await this.#store.saveSyncState({ epoch: response.epoch });
      pushed += response.results.filter((r) => r.status !== 'duplicate').length;
      await this.#refreshPending();
      const last = entries[entries.length - 1];
      if (last && response.acknowledgedUpTo < last.seq) {
        throw new GapError(
          `the server acknowledged up to ${response.acknowledgedUpTo} of ${last.seq}`,
        );
      }
      if (entries.length < this.#batchSize) return pushed;
    }
  }

  /**
   * Acknowledges only numbers the server answered for in this response (and at most what it
   * says it applied): when a device's sequence restarted, the server's last number belongs
   * to mutations this device no longer has, and must not delete new ones [G2].
   */
  async #acknowledge(response: PushResponse, sent: number[]): Promise<void> {
    if (response.epochChanged) return;
    const answered = new Set(response.results.map((r) => r.seq));
    let upTo = 0;
    for (const seq of sent) {
      if (!answered.has(seq) || seq > response.acknowledgedUpTo) break;
      upTo = seq;
    }
    if (upTo > 0) await this.#store.acknowledge(upTo);
  }

  #record(response: PushResponse): void {
    const fresh = response.results.filter((r) => r.status !== 'duplicate');
    this.#update({
      rejectedCount:
        this.#status.rejectedCount + fresh.filter((r) => r.status === 'rejected').length,
      flaggedCount: this.#status.flaggedCount + fresh.filter((r) => r.flags?.length).length,
      devicesBehind: response.otherDevices?.length ?? 0,
    });
  }

  async #pullAll(): Promise<{ pulled: number; epochChanged: boolean }> {
    const deviceId = await this.#store.deviceId();
    const state = await this.#store.getSyncState();
    let cursor = state.cursor;
    let pulled = 0;
    let heldBack = 0;
    for (;;) {
      const page = await this.#transport.pull({
        protocol: PROTOCOL_VERSION,
        deviceId,
        cursor,
        limit: this.#pullLimit,
      });
      if (state.epoch !== null && page.epoch !== state.epoch) return { pulled, epochChanged: true };
      // The page and its cursor in one transaction: the cursor is never ahead of the data.
      await this.#store.applyPull({
        changes: page.changes,
        cursor: page.cursor,
        epoch: page.epoch,
      });
      pulled += page.changes.length;
      this.#roundPulled += page.changes.length;
      cursor = page.cursor;
      if (!page.hasMore) return { pulled, epochChanged: false };
      if (page.changes.length === 0) {
        // Changes exist behind a transaction still running on the server: come back soon,
        // but never spin; the next round picks them up.
        if (++heldBack > this.#heldBackRetries) return { pulled, epochChanged: false };
        await new Promise((resolve) =>
          this.#timers.setTimeout(() => resolve(undefined), 50 * heldBack),
        );
      }
    }
  }
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new SyncEngine(options);
}
