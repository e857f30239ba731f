/**
 * One sync at a time per device: a Web Lock (`navigator.locks`) held for a whole round, so
 * two tabs never push the same outbox together. Where Web Locks are missing, an in-page
 * mutex at least serialises this tab; the server's idempotency covers the rest (docs/sync-faults.md
 * fault 6: even with the lock bypassed, every sale lands once).
 */

export const SYNC_LOCK_NAME = 'kraam-sync';

/** The part of the LockManager API we use. */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

export type Locked<T> = { ran: true; value: T } | { ran: false };

export interface SyncLock {
  /** Runs `fn` holding the lock, or not at all when another tab holds it. */
  run<T>(fn: () => Promise<T>): Promise<Locked<T>>;
}

export function defaultLockManager(): LockManagerLike | null {
  if (typeof navigator === 'undefined') return null;
  const locks = (navigator as { locks?: LockManagerLike }).locks;
  return locks && typeof locks.request === 'function' ? locks : null;
}

export function createSyncLock(manager: LockManagerLike | null = defaultLockManager()): SyncLock {
  if (manager) {
    return {
      run: (fn) =>
        manager.request(SYNC_LOCK_NAME, { ifAvailable: true }, async (lock) =>
          lock ? { ran: true as const, value: await fn() } : { ran: false as const },
        ),
    };
  }
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run: <T>(fn: () => Promise<T>) => {
      const result = tail.then(async (): Promise<Locked<T>> => ({ ran: true, value: await fn() }));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
