import type { DeviceStore } from '$lib/db';
import { SyncEngine } from '$lib/sync/engine';
import { initialStatus, SYNC_FAILURE_TEXT, type SyncStatus } from '$lib/sync/status';
import { createFetchTransport } from '$lib/sync/transport';

/**
 * The sync engine's status as runes, for the header's status line ("3 sales not yet sent",
 * last sync time, why the last attempt failed). One engine per page; the Web Lock inside it
 * makes sure only one tab syncs at a time. Translate `status.lastFailure.reason` for the UI;
 * `failureText` is the English fallback.
 */
class SyncState {
  status = $state<SyncStatus>(initialStatus());
  #engine: SyncEngine | null = null;

  /** Starts syncing this device's store (on start, online, after sales, periodically). */
  start(store: DeviceStore): void {
    if (this.#engine) return;
    this.#engine = new SyncEngine({ store, transport: createFetchTransport() });
    this.#engine.subscribe((status) => (this.status = status));
    this.#engine.start();
  }

  /** Call after a sale or any other queued change: syncs shortly after, once per burst. */
  notifyChange(): void {
    this.#engine?.notifyChange();
  }

  /** E.g. right after signing in again. */
  syncNow(): void {
    void this.#engine?.syncNow();
  }

  get failureText(): string | null {
    const failure = this.status.lastFailure;
    return failure ? SYNC_FAILURE_TEXT[failure.reason] : null;
  }

  stop(): void {
    this.#engine?.stop();
    this.#engine = null;
  }
}

export const sync = new SyncState();
