import type { Id, OutboxEntry, Stall, StallAssignment } from '$lib/domain/types';
import type { AnnouncementData, Change, EventMapData, MakerResultsData } from '$lib/sync/protocol';

/**
 * The sync part of the device store (src/lib/sync/SPEC.md): the outbox, what the server sent
 * (stalls, assignments, map, announcements, results), where sync stands, pulled pages and
 * rebases. Its contract: sync-store.contract.ts.
 */
export interface SyncStore {
  pendingCount(): Promise<number>;
  /**
   * Sales recorded on this device that the server has not acknowledged yet: the outbox's
   * 'sale.record' entries. What the status line counts for a maker ("3 sales not sent");
   * voids, product and event changes are not sales.
   */
  pendingSalesCount(): Promise<number>;
  /** Oldest first. */
  readOutbox(limit: number): Promise<OutboxEntry[]>;
  /** Removes acknowledged entries (seq <= upTo). */
  acknowledge(upTo: number): Promise<void>;

  /** The stalls of an event, as the organiser's server sent them (by label). */
  listStalls(eventId: Id): Promise<Stall[]>;
  /** This maker's stall assignments at an event, as the server sent them. */
  listAssignments(eventId: Id): Promise<StallAssignment[]>;
  /** The organiser's map frame and landmarks of an event (pulled `event_map`), if any. */
  getEventMap(eventId: Id): Promise<EventMapData | undefined>;
  /** Announcements the organiser sent to this maker for an event, newest first. */
  listAnnouncements(eventId: Id): Promise<AnnouncementData[]>;
  /** The maker's results of a closed event (pulled `maker_results`), if any. */
  getMakerResults(eventId: Id): Promise<MakerResultsData | undefined>;

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

  /**
   * The codes of the maker's devices (SPEC.md, "Device codes"), per device id: this one's
   * from the push answers, the others' from their pulled sales. Shown before receipt numbers.
   */
  getDeviceCodes(): Promise<Record<Id, string>>;
  /** Keeps the code the server gave a device (a push answer's `deviceCode`); idempotent. */
  saveDeviceCode(deviceId: Id, code: string): Promise<void>;
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
