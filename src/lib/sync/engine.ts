/**
 * The device's sync engine (SPEC.md, "The device"). A round = push the outbox, then pull the
 * change feed, under the sync lock:
 *   push: read a batch (one store transaction) -> send (no transaction open) -> acknowledge
 *         what the server committed (a second transaction). Nothing leaves the outbox
 *         before the server acknowledged it [G2, G4].
 *   pull: fetch a page -> apply it and its cursor in one store transaction [docs/sync-faults.md fault 20];
 *         the next page is asked for while this one is applied, never applied before it.
 *   epoch: the server answers epochChanged (or a pull shows a new epoch): the outbox is
 *         rebuilt from what the device knows, numbered after what the server has, and the
 *         cursor starts over.
 *   gap:  the server reports a sequence gap [G3]: recorded in the status, then healed the
 *         same way (rebuild after what the server has).
 * size: a batch holds at most `batchSize` mutations AND at most `maxBatchBytes` of JSON; a
 *         413 halves it; a mutation that fits no push is kept on the device (the setting
 *         UNSENDABLE_KEY, shown in the status) and a 'too-large' marker takes its sequence
 *         number, so the server sees consecutive numbers and the queue behind it goes on.
 * Triggers: start, the browser's `online` event, shortly after each sale (debounced), every
 * few minutes; failures back off exponentially with jitter.
 */
import type { DeviceStore } from '$lib/db/device-store';
import type { Mutation } from '$lib/domain/types';
import { createSyncLock, type SyncLock } from './lock';
import type { OutboxEntry } from '$lib/domain/types';
import {
  MAX_PULL_LIMIT,
  MAX_PUSH_BYTES,
  MAX_PUSH_MUTATIONS,
  PROTOCOL_VERSION,
  PULL_FEATURES,
  REMAINING_EVERY_PAGES,
  REMAINING_FEATURE,
  type PullResponse,
  type PushRequestOut,
  type PushResponse,
  type TooLargeMarker,
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
import { TransportError } from './transport-error';

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
  | 'saveDeviceCode'
  | 'getDeviceCodes'
  | 'getSetting'
  | 'setSetting'
>;

/** The device setting that keeps mutations no push can carry (never sent, never lost). */
export const UNSENDABLE_KEY = 'sync.unsendable';

/** A mutation kept on the device because it fits no push (SPEC.md, "Too large"). */
export interface UnsendableEntry {
  /** The sequence number its 'too-large' marker took. */
  seq: number;
  /** Its size as JSON, in bytes. */
  bytes: number;
  /** When the device set it aside (device clock). */
  at: number;
  mutation: Mutation;
}

/**
 * Room for the envelope (protocol, ids, epoch, highestSeq) and the JSON array around the
 * mutations: a batch's mutations stay this far below the server's limit.
 */
const ENVELOPE_BYTES = 4 * 1024;

const encoder = new TextEncoder();
/** Bytes of `{"seq":..,"mutation":..}` as it travels (UTF-8), plus its comma. */
function entryBytes(entry: { seq: number; mutation: unknown }): number {
  return encoder.encode(JSON.stringify(entry)).length + 1;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Changes the engine asks for per pull page: a page costs the server a few fixed round trips
 * (device, account, epoch, horizon) and the device one store transaction, so a first sync of
 * a year of sales goes faster in fewer, larger pages (docs/benchmarks.md, issue 11).
 */
export const ENGINE_PULL_LIMIT = MAX_PULL_LIMIT;

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
  /**
   * Largest push body the engine builds, in bytes (default and at most MAX_PUSH_BYTES, the
   * server's limit). A 413 answer halves the batch regardless.
   */
  maxBatchBytes?: number;
  /** Changes asked for per pull page (default ENGINE_PULL_LIMIT). */
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
  readonly #maxBatchBytes: number;
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
  /** The device code last stored, so an unchanged one is not written on every push. */
  #deviceCode: string | null = null;
  #askedForCode = false;
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
    this.#maxBatchBytes = Math.min(options.maxBatchBytes ?? MAX_PUSH_BYTES, MAX_PUSH_BYTES);
    this.#pullLimit = options.pullLimit ?? ENGINE_PULL_LIMIT;
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
    void this.unsendable().then(
      (kept) => this.#update({ unsendable: kept.length }),
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
        // Another tab is syncing this device; show what is left. Its round may have started
        // before this tab's newest sale was written, so while anything waits, try again
        // shortly (a lock check costs nothing) instead of at the next period.
        await this.#refreshPending().catch(() => undefined);
        this.#update({ state: 'idle' });
        this.#schedule(this.status.pendingCount > 0 ? this.#debounceMs : this.#intervalMs);
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
    // A device without its code says hello even with nothing to send, so it learns its code
    // before it pulls another phone's sales (SPEC.md, "Device codes"); once per start, so an
    // older server, which sends no codes, costs one empty push.
    const hello = !this.#askedForCode && !(await this.#knowsDeviceCode());
    let pushed = await this.#pushAll(hello);
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

  async #knowsDeviceCode(): Promise<boolean> {
    if (this.#deviceCode !== null) return true;
    const [deviceId, codes] = await Promise.all([
      this.#store.deviceId(),
      this.#store.getDeviceCodes(),
    ]);
    this.#deviceCode = codes[deviceId] ?? null;
    return this.#deviceCode !== null;
  }

  /** Mutations kept on this device because no push can carry them, oldest first. */
  async unsendable(): Promise<UnsendableEntry[]> {
    return (await this.#store.getSetting<UnsendableEntry[]>(UNSENDABLE_KEY)) ?? [];
  }

  /**
   * Keeps `entry` on the device before its marker is sent (so it is never lost, even if the
   * device stops right after the server consumed its number). Idempotent: the same mutation
   * again (the marker's answer was lost, or the outbox was rebuilt) is kept once.
   */
  async #keepUnsendable(entry: OutboxEntry, bytes: number): Promise<void> {
    const kept = await this.unsendable();
    const json = JSON.stringify(entry.mutation);
    const others = kept.filter((k) => JSON.stringify(k.mutation) !== json);
    const next = [...others, { seq: entry.seq, bytes, at: this.#now(), mutation: entry.mutation }];
    await this.#store.setSetting(UNSENDABLE_KEY, next);
    this.#update({ unsendable: next.length });
  }

  /**
   * The batch to send from what was read: as many entries as fit `maxBatchBytes`, in order.
   * An entry that fits no push on its own (or got 413 alone) goes as a 'too-large' marker.
   */
  async #fit(
    read: OutboxEntry[],
    tooLarge: ReadonlySet<number>,
  ): Promise<{ seq: number; mutation: Mutation | TooLargeMarker }[]> {
    const out: { seq: number; mutation: Mutation | TooLargeMarker }[] = [];
    let total = ENVELOPE_BYTES;
    for (const entry of read) {
      const item = { seq: entry.seq, mutation: entry.mutation as Mutation };
      const bytes = entryBytes(item);
      if (tooLarge.has(entry.seq) || ENVELOPE_BYTES + bytes > this.#maxBatchBytes) {
        if (out.length > 0) break; // send what comes before it first
        await this.#keepUnsendable(entry, bytes);
        const marker: TooLargeMarker = { type: 'too-large', of: item.mutation.type, bytes };
        return [{ seq: entry.seq, mutation: marker }];
      }
      if (total + bytes > this.#maxBatchBytes) break;
      total += bytes;
      out.push(item);
    }
    return out;
  }

  /** Pushes until the outbox is empty. `hello`: push even with an empty outbox (epoch check). */
  async #pushAll(hello: boolean): Promise<number> {
    const deviceId = await this.#store.deviceId();
    const makerId = (await this.#store.getProfile())?.id;
    let pushed = 0;
    let rebases = 0;
    /** Mutations per push for the rest of this round (halved by a 413). */
    let limit = this.#batchSize;
    /** Entries the server refused with 413 when sent alone. */
    const tooLarge = new Set<number>();
    for (;;) {
      const state = await this.#store.getSyncState();
      const read = await this.#store.readOutbox(limit);
      if (read.length === 0 && !hello) return pushed;
      hello = false;
      const mutations = await this.#fit(read, tooLarge);
      const request: PushRequestOut = {
        protocol: PROTOCOL_VERSION,
        deviceId,
        epoch: state.epoch,
        highestSeq: state.highestSeq,
        ...(makerId ? { makerId } : {}),
        sentAt: this.#now(),
        mutations,
      };
      let response: PushResponse;
      try {
        response = await this.#transport.push(request);
      } catch (error) {
        // 413: the server (or a proxy before it) takes less than we estimated. Halve the
        // batch; a single mutation refused alone fits no push and goes as a marker.
        const first = mutations[0];
        if (error instanceof TransportError && error.status === 413 && first) {
          if (mutations.length > 1) {
            limit = Math.max(1, Math.floor(mutations.length / 2));
            continue;
          }
          if (first.mutation.type !== 'too-large') {
            tooLarge.add(first.seq);
            continue;
          }
        }
        throw error;
      }
      const sent = mutations.map((m) => m.seq);
      this.#record(response);
      this.#askedForCode = true;
      // The code shown before this device's receipt numbers (SPEC.md, "Device codes").
      if (response.deviceCode && response.deviceCode !== this.#deviceCode) {
        await this.#store.saveDeviceCode(deviceId, response.deviceCode);
        this.#deviceCode = response.deviceCode;
      }
      if (response.epochChanged || response.gap) {
        if (response.gap) {
          this.#update({ lastGap: { ...response.gap, at: this.#now() } });
        }
        if (++rebases > MAX_REBASES_PER_ROUND) {
          throw new GapError('the server keeps reporting a sequence gap');
        }
        // Keep what the server did commit of this batch, then renumber the rest after it.
        await this.#acknowledge(response, sent);
        await this.#store.rebaseOutbox(response.acknowledgedUpTo + 1, response.epoch);
        await this.#refreshPending();
        tooLarge.clear();
        continue;
      }
      await this.#acknowledge(response, sent);
      if (state.epoch !== response.epoch)
        await this.#store.saveSyncState({ epoch: response.epoch });
      pushed += response.results.filter((r) => r.status !== 'duplicate').length;
      await this.#refreshPending();
      const last = sent[sent.length - 1];
      if (last !== undefined && response.acknowledgedUpTo < last) {
        throw new GapError(`the server acknowledged up to ${response.acknowledgedUpTo} of ${last}`);
      }
      if (read.length < limit && mutations.length === read.length) return pushed;
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
      clockAheadMs: response.clockAheadMs ?? null,
    });
  }

  async #pullAll(): Promise<{ pulled: number; epochChanged: boolean }> {
    const deviceId = await this.#store.deviceId();
    const state = await this.#store.getSyncState();
    let cursor = state.cursor;
    let pulled = 0;
    let heldBack = 0;
    // Progress for the screen (SPEC.md "Progress"): the server says about how many changes are
    // left when asked; between its answers the estimate counts down by what arrived.
    let remaining: number | null = null;
    const startedAt = this.#now();
    this.#update({ pullProgress: { received: 0, remaining, startedAt } });
    const ask = (page: number, from: string | null) =>
      this.#transport.pull({
        protocol: PROTOCOL_VERSION,
        deviceId,
        cursor: from,
        limit: this.#pullLimit,
        // This app reads refunds (SPEC.md "Refunds"); the server leaves them out otherwise.
        features:
          page % REMAINING_EVERY_PAGES === 0
            ? [...PULL_FEATURES, REMAINING_FEATURE]
            : [...PULL_FEATURES],
      });
    /** The next page, asked for while the one before it is applied. */
    let ahead: Promise<PullResponse> | null = null;
    try {
      for (let page = 0; ; page++) {
        const answer = await (ahead ?? ask(page, cursor));
        ahead = null;
        if (state.epoch !== null && answer.epoch !== state.epoch) {
          return { pulled, epochChanged: true };
        }
        // Ask for the next page now, from this page's cursor, so the network and the server
        // work while this page is applied (docs/benchmarks.md, issue 11). Only the request
        // goes ahead: pages are applied in order, and the device's cursor moves only with
        // its page. A page that fails to apply ends the round and the page asked for after
        // it is dropped unread; the next round asks again from the last cursor applied.
        if (answer.hasMore && answer.changes.length > 0) {
          const next = ask(page + 1, answer.cursor);
          next.catch(() => undefined);
          ahead = next;
        }
        // The page and its cursor in one transaction: the cursor is never ahead of the data.
        await this.#store.applyPull({
          changes: answer.changes,
          cursor: answer.cursor,
          epoch: answer.epoch,
        });
        pulled += answer.changes.length;
        this.#roundPulled += answer.changes.length;
        cursor = answer.cursor;
        remaining =
          answer.remaining !== undefined
            ? answer.remaining
            : remaining === null
              ? null
              : Math.max(0, remaining - answer.changes.length);
        if (!answer.hasMore) remaining = 0;
        this.#update({
          pullProgress: { received: pulled, remaining, startedAt },
        });
        if (!answer.hasMore) return { pulled, epochChanged: false };
        if (answer.changes.length === 0) {
          // Changes exist behind a transaction still running on the server: come back soon,
          // but never spin; the next round picks them up.
          if (++heldBack > this.#heldBackRetries) return { pulled, epochChanged: false };
          await new Promise((resolve) =>
            this.#timers.setTimeout(() => resolve(undefined), 50 * heldBack),
          );
        }
      }
    } finally {
      this.#update({ pullProgress: null });
    }
  }
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  return new SyncEngine(options);
}
