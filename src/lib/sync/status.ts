/**
 * What the sync engine tells the UI (the header's status line): how many changes wait, when
 * the device last synced, and why the last attempt failed, in plain words. The words here
 * are the English fallback; the UI translates by `reason`.
 */
import { StoreError } from '$lib/db/device-store';
import { TransportError } from './transport-error';

export type SyncFailureReason =
  | 'offline'
  | 'signed-out'
  | 'forbidden'
  | 'server-unavailable'
  | 'rejected-request'
  | 'gap-detected'
  | 'storage'
  | 'unknown';

export const SYNC_FAILURE_TEXT: Readonly<Record<SyncFailureReason, string>> = {
  offline: 'Offline: sales are kept on this device and sent when there is a connection.',
  'signed-out': 'Signed out: sign in again to send the sales on this device.',
  forbidden: 'This device belongs to another account.',
  'server-unavailable': 'The server is not available right now; trying again soon.',
  'rejected-request': 'The server did not accept the request; update the app.',
  'gap-detected': 'Some changes of this device never reached the server; they were sent again.',
  storage: 'This device’s storage failed; nothing was lost from the server.',
  unknown: 'Sync failed; trying again soon.',
};

export interface SyncFailure {
  reason: SyncFailureReason;
  message: string;
  at: number;
}

export interface SyncStatus {
  /** idle: nothing running; syncing: a round is running; waiting: a retry is scheduled. */
  state: 'idle' | 'syncing' | 'waiting';
  /** Changes on this device the server has not acknowledged. */
  pendingCount: number;
  /** When the last round completed (device clock, display only). */
  lastSyncAt: number | null;
  /** Why the last round failed; null after a round that succeeded. */
  lastFailure: SyncFailure | null;
  /** The last sequence gap the server reported (kept after healing, for the record) [G3]. */
  lastGap: { expected: number; received: number; at: number } | null;
  /** When the next attempt is scheduled (device clock), if one is. */
  nextAttemptAt: number | null;
  /** Mutations the server stored as rejected, since the engine started [G7]. */
  rejectedCount: number;
  /** Sales the server flagged (oversell, closed event, ...), since the engine started [G7]. */
  flaggedCount: number;
  /** Other devices of this account that made changes the server never received. */
  devicesBehind: number;
  /**
   * Changes too large for any push, kept on this device instead of being sent (SPEC.md,
   * "Too large"); the queue behind them went on.
   */
  unsendable: number;
  /**
   * How far this device's clock was ahead of the server's at the last push, when more than 10
   * minutes (src/lib/domain/clock-skew.ts); null when it was not, or before any push.
   */
  clockAheadMs: number | null;
  /**
   * The pull under way (SPEC.md "Progress"): changes received so far, about how many are left
   * (the server's word, counted down between its answers; null from an older server) and when
   * it began (device clock). null when no pull is running.
   */
  pullProgress: PullProgress | null;
}

export interface PullProgress {
  received: number;
  remaining: number | null;
  startedAt: number;
}

export function initialStatus(): SyncStatus {
  return {
    state: 'idle',
    pendingCount: 0,
    lastSyncAt: null,
    lastFailure: null,
    lastGap: null,
    nextAttemptAt: null,
    rejectedCount: 0,
    flaggedCount: 0,
    devicesBehind: 0,
    unsendable: 0,
    clockAheadMs: null,
    pullProgress: null,
  };
}

const BY_TRANSPORT = {
  offline: 'offline',
  unauthorized: 'signed-out',
  forbidden: 'forbidden',
  server: 'server-unavailable',
  rejected: 'rejected-request',
} as const satisfies Record<TransportError['kind'], SyncFailureReason>;

export function classifyFailure(error: unknown): SyncFailureReason {
  if (error instanceof TransportError) return BY_TRANSPORT[error.kind];
  if (error instanceof StoreError) return 'storage';
  if (error instanceof GapError) return 'gap-detected';
  return 'unknown';
}

/** The server kept reporting a gap even after the outbox was rebuilt. */
export class GapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GapError';
  }
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * min(max, base * 2^(n-1)), so many devices coming online at once spread out.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
