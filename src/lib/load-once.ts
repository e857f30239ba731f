/**
 * A loader that asks `load` once and hands every caller the same promise: what arrived is
 * kept; a load that failed (no network, and the chunk was never downloaded) is forgotten, so
 * the next call tries again. For the code and dialogs loaded on first use (docs/style.md,
 * rule 12): the till's dialogs (src/routes/till/dialogs.ts) and the device store's code
 * (`loadStoreCode` in src/lib/db/index.ts).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  return () => {
    loaded ??= load().catch((error: unknown) => {
      loaded = null;
      throw error;
    });
    return loaded;
  };
}
