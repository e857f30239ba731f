// What one push batch knows and has decided so far. Loaded once at the start of the batch's
// transaction (rows it will change are locked), changed in memory mutation by mutation in
// the order the device made them, and written in a few bulk statements at the end.
import type { Id, Refund, SaleFlag, SaleLine, StockMovement } from '$lib/domain/types';
import type { eventStock, productHistory } from '$lib/server/db/schema';
import type { MutationResult } from '$lib/sync/protocol';
import type { SyncAccount, MakerResolver } from './account';
import type { CashState } from './cashbook';
import type { ChangeInput } from './change-feed';
import type { SettlementState } from './link-settlement';
import type { EventInsert, MovementInsert, ProductInsert, SaleInsert } from './rows';

export type StockRow = typeof eventStock.$inferSelect;
export type HistoryInsert = typeof productHistory.$inferInsert;

export interface SaleState {
  row: SaleInsert;
  lines: SaleLine[];
  movements: StockMovement[];
  /** Recorded in this batch (inserted at the end). */
  isNew: boolean;
  /** Voided in this batch (updated at the end). */
  voided: boolean;
  /** Its refunds: on the server (loaded for a sale a refund or void names) and new ones. */
  refunds: Refund[];
}

export interface StockState {
  row: StockRow;
  dirty: boolean;
}

export interface LogRow {
  deviceId: Id;
  seq: number;
  status: 'applied' | 'duplicate' | 'rejected';
  type: string;
  reason: string | null;
  flags: SaleFlag[];
  hash: string;
  body: unknown;
}

export interface BatchState {
  deviceId: Id;
  account: SyncAccount;
  resolver: MakerResolver;
  products: Map<Id, ProductInsert>;
  newProducts: Set<Id>;
  changedProducts: Set<Id>;
  history: HistoryInsert[];
  events: Map<Id, EventInsert>;
  changedEvents: Set<Id>;
  /** `${eventId}:${makerId}` of every stall assignment of the account's makers. */
  assignments: Set<string>;
  /** The same keys for organised events the makers take part in (taking-part.ts). */
  takingPart: Set<string>;
  sales: Map<Id, SaleState>;
  /** Stock movement ids already used (on the server or earlier in this batch): their maker. */
  movementIds: Map<Id, Id>;
  /** Sale line ids already used (on the server or earlier in this batch). */
  lineIds: Set<Id>;
  newMovements: MovementInsert[];
  /** Refund ids already used (on the server or earlier in this batch): their sale and maker. */
  refundIds: Map<Id, { saleId: Id; makerId: Id }>;
  /** Refunds applied in this batch (inserted at the end) with the stock they gave back. */
  newRefunds: { refund: Refund; movements: StockMovement[] }[];
  stock: Map<string, StockState>;
  /** The cash book rows the batch reads and writes (cashbook.ts). */
  cash: CashState;
  /** Settlements of link payments the batch reads and writes (link-settlement.ts). */
  settlements: SettlementState;
  /** Changes that are not derived from the maps above (standalone stock movements). */
  extraChanges: ChangeInput[];
  results: MutationResult[];
  log: LogRow[];
  /** The pushing device's code (SPEC.md, "Device codes"), sent with its sales' changes. */
  deviceCode?: string | null;
  /** The server's clock when the push arrived (ms), for `clockAheadMs` (clock-skew.ts). */
  receivedAt?: number;
}

export function stockKey(eventId: Id, productId: Id): string {
  return `${eventId}:${productId}`;
}

export function assignmentKey(eventId: Id, makerId: Id): string {
  return `${eventId}:${makerId}`;
}
