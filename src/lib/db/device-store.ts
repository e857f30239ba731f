import type { Hlc, Id, StallProfile } from '$lib/domain/types';
import type { CashBookStore } from './cashbook-store';
import type { CatalogueStore } from './catalogue-store';
import type { LinkPaymentStore } from './link-payment-store';
import type { SalesStore } from './sales-store';
import type { SyncStore } from './sync-store';

export type { CatalogueStore } from './catalogue-store';
export type {
  CashBook,
  CashBookStore,
  CashMovementRequest,
  CloseCashDayRequest,
  OpenCashDayRequest,
} from './cashbook-store';
export type {
  ExportCursor,
  ExportData,
  ExportRefundsPage,
  ExportSalesPage,
  ExportSelection,
  NewSale,
  SalesStore,
  VoidRequest,
} from './sales-store';
export type { PulledPage, SyncState, SyncStatePatch, SyncStore } from './sync-store';
export type { LinkPaymentStore, LinkSale } from './link-payment-store';

/** What every part of the device stands on: its id, the maker's profile, settings, the clock. */
export interface DeviceCore {
  /** This device's id, created on first use and never changed. */
  deviceId(): Promise<Id>;

  getProfile(): Promise<StallProfile | undefined>;
  saveProfile(profile: StallProfile): Promise<void>;
  getSetting<T>(key: string): Promise<T | undefined>;
  setSetting<T>(key: string, value: T): Promise<void>;

  /** The newest HLC this device wrote (sale, void, edit), so a restarted clock continues after it. */
  lastHlc(): Promise<Hlc | undefined>;

  /** Closes the connection; later calls reject with StoreError 'closed'. */
  close(): Promise<void>;
}

/**
 * The device's storage. One real implementation (Dexie/IndexedDB) and one in-memory twin;
 * the contract suite of each part runs against both.
 *
 * It is made of parts, each with its own interface and contract suite: the catalogue
 * (catalogue-store.ts), sales and books (sales-store.ts), the cash book (cashbook-store.ts)
 * and sync (sync-store.ts), on the
 * device core above. Code that needs one part should ask for that part only.
 *
 * Every method that records what a user did writes it, and its outbox entry, in ONE
 * transaction (G1) and resolves only after that transaction committed. A failed write
 * rejects with a `StoreError` and leaves nothing behind.
 */
export interface DeviceStore
  extends DeviceCore, CatalogueStore, SalesStore, CashBookStore, SyncStore, LinkPaymentStore {}

export type StoreErrorCode = 'quota' | 'closed' | 'not-found' | 'invalid' | 'unknown';

/** A storage failure in words the till can show. Never swallowed, never a false success. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
