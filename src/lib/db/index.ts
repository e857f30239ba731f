import { loadOnce } from '$lib/load-once';
import { downloads } from '$lib/state/downloads.svelte';
import type { DeviceStore } from './device-store';

export type { DeviceStore, NewSale, VoidRequest, StoreErrorCode } from './device-store';
export { StoreError } from './device-store';

const stores = new Map<string, Promise<DeviceStore>>();

/**
 * Fetches and runs the device store's code (Dexie and `dexie-store.ts`) once. The till asks
 * for it as it starts, beside its first paint (`till.preloadSalePath()`), so a phone that
 * loses the network a moment later can still record a sale. A failed fetch is forgotten, so
 * the next call tries again.
 */
export const loadStoreCode: () => Promise<typeof import('./dexie-store')> = loadOnce(
  () => import('./dexie-store'),
  downloads,
);

/**
 * The app's device store, opened once per database name and shared by every caller. A failed
 * open is forgotten so the next call tries again (e.g. after the user freed space).
 *
 * Dexie and the store's code load here, on first use, not with the page: the till paints from
 * a plain IndexedDB read meanwhile (first-paint.ts; docs/style.md rule 12).
 */
export function openDeviceStore(name = 'kraam'): Promise<DeviceStore> {
  let store = stores.get(name);
  if (!store) {
    store = loadStoreCode().then(({ DexieDeviceStore }) => new DexieDeviceStore(name).open());
    stores.set(name, store);
    void store.catch(() => stores.delete(name));
  }
  return store;
}

/**
 * Wipes this device's data (after deleting the account, when the person asks for it): closes
 * the store and deletes its database. The page must reload afterwards: nothing may use the
 * closed store.
 */
export async function deleteDeviceStore(name = 'kraam'): Promise<void> {
  const store = stores.get(name);
  stores.delete(name);
  if (store) await store.then((s) => s.close()).catch(() => undefined);
  const { Dexie } = await import('dexie');
  await Dexie.delete(name);
}

export type PersistenceResult = 'granted' | 'denied' | 'unsupported';
/** The setting under which the answer to navigator.storage.persist() is remembered. */
export const PERSISTENCE_SETTING = 'storage.persistence';

type PersistApi = Partial<Pick<StorageManager, 'persist' | 'persisted'>>;

interface PersistenceOptions {
  /** Defaults to the app's store (openDeviceStore()). */
  store?: DeviceStore;
  /** Defaults to navigator.storage. */
  storage?: PersistApi;
}

function defaultStorage(): PersistApi | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

let asking: Promise<PersistenceResult> | null = null;

/**
 * Asks the browser once to keep this device's storage (so it is not evicted under storage
 * pressure with unsynced sales in it), and remembers the answer in the store so settings can
 * show it. Later calls return the remembered answer without asking again: Firefox shows a
 * prompt for it, and asking at every start would nag.
 */
export function requestPersistence(options: PersistenceOptions = {}): Promise<PersistenceResult> {
  if (options.store || options.storage) return askOnce(options);
  asking ??= askOnce(options).finally(() => (asking = null));
  return asking;
}

async function askOnce(options: PersistenceOptions): Promise<PersistenceResult> {
  const store = options.store ?? (await openDeviceStore());
  const storage = 'storage' in options ? options.storage : defaultStorage();
  const recorded = await store.getSetting<PersistenceResult>(PERSISTENCE_SETTING);
  if (recorded) return recorded;
  let result: PersistenceResult;
  if (typeof storage?.persist !== 'function') {
    result = 'unsupported';
  } else {
    try {
      result = (await storage.persist()) ? 'granted' : 'denied';
    } catch {
      // Some browsers throw in private windows; that is a "no", not a failure of the app.
      result = 'denied';
    }
  }
  await store.setSetting(PERSISTENCE_SETTING, result);
  return result;
}

/**
 * What settings shows: 'granted' when the browser keeps our storage now (it may grant later
 * than it was asked), otherwise the remembered answer, or 'unknown' before we asked.
 */
export async function persistenceState(
  options: PersistenceOptions = {},
): Promise<PersistenceResult | 'unknown'> {
  const store = options.store ?? (await openDeviceStore());
  const storage = 'storage' in options ? options.storage : defaultStorage();
  if (typeof storage?.persisted === 'function') {
    try {
      if (await storage.persisted()) return 'granted';
    } catch {
      // Fall back to what we remembered.
    }
  }
  return (await store.getSetting<PersistenceResult>(PERSISTENCE_SETTING)) ?? 'unknown';
}
