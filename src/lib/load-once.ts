/**
 * Told what becomes of each load of code on first use, so the app can notice a download
 * that keeps failing while the server answers (src/lib/state/downloads.svelte.ts).
 */
export interface DownloadWatch {
  /** `loader` failed to load; `again` when it had failed before in this page. */
  failed(loader: object, again: boolean): void;
  /** `loader` loaded. */
  arrived(loader: object): void;
}

/**
 * A loader that asks `load` once and hands every caller the same promise: what arrived is
 * kept; a load that failed (no network, and the chunk was never downloaded) is forgotten, so
 * the next call tries again. For the code and dialogs loaded on first use (docs/style.md,
 * rule 12): the till's dialogs (src/routes/till/dialogs.ts), the device store's code
 * (`loadStoreCode` in src/lib/db/index.ts) and the sync engine's (src/lib/state/sync.svelte.ts).
 * `watch` hears of every failure and arrival.
 */
export function loadOnce<T>(load: () => Promise<T>, watch?: DownloadWatch): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  let failures = 0;
  const loader = {};
  return () => {
    loaded ??= load().then(
      (value) => {
        watch?.arrived(loader);
        return value;
      },
      (error: unknown) => {
        loaded = null;
        failures += 1;
        watch?.failed(loader, failures > 1);
        throw error;
      },
    );
    return loaded;
  };
}
