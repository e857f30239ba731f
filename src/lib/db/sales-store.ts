import type { ElectronicRefundStatus } from '$lib/domain/electronic-refund';
import type { SavedCart } from '$lib/domain/cart';
import type { RefundRequest } from '$lib/domain/refund';
import type {
  EventSummaryAggregate,
  Id,
  Refund,
  Sale,
  SaleLine,
  StockMovement,
} from '$lib/domain/types';

/** What recordSale needs: the sale without the numbers only the store can hand out. */
export interface NewSale {
  sale: Omit<Sale, 'receiptNumber' | 'deviceId'>;
  lines: SaleLine[];
  /** Stock movements for lines whose product has stock kept at this event. */
  movements: Omit<StockMovement, 'deviceId'>[];
}

/** What an export reads: one event's, or an instant range [from, to) (domain/exports/period.ts). */
export type ExportSelection = { eventId: Id } | { from: number; to: number };

/** The device's books for an export (domain/exports/journal.ts `journalEntries` takes it). */
export interface ExportData {
  /** The selection's sales (voided ones too; the journal leaves them out), any order. */
  sales: Sale[];
  /** The lines of `sales` and of `refundedSales`. */
  lines: SaleLine[];
  /** The selection's refunds: of the event's sales, or made in the range. */
  refunds: Refund[];
  /** Sales outside the selection that a refund in it refunds. */
  refundedSales: Sale[];
}

/** A keyset position in time order: after the row with this time and, at that time, this id. */
export interface ExportCursor {
  at: number;
  id: Id;
}

/** A page of a range's sales in time order (then id), with their lines. */
export interface ExportSalesPage {
  sales: Sale[];
  lines: SaleLine[];
}

/** A page of a range's refunds in time order (then id), with the sales refunded and their lines. */
export interface ExportRefundsPage {
  refunds: Refund[];
  sales: Sale[];
  lines: SaleLine[];
}

export interface VoidRequest {
  saleId: Id;
  reason: string;
  voidedAt: number;
  hlc: string;
}

/**
 * The sales-and-books part of the device store: sales with their receipt numbers, voids, and
 * the event summary. Its contract: sales-store.contract.ts.
 */
export interface SalesStore {
  /**
   * Records a completed sale: the sale, its lines, its stock movements, the event summary and
   * an outbox entry, in one transaction. Hands out the next receipt number of this device
   * (a number is consumed only when the sale commits, and never handed out again).
   * Rejects with 'invalid' when the sale is not 'completed', has no lines, a line or
   * movement belongs to another sale/event, or the sale id was recorded before.
   * A sale whose movements take a kept stock below zero is stored flagged 'oversell' (the
   * server's rule, domain/stock.ts `oversells`), so the screens show it before any sync; the
   * queued mutation carries no flags (the server decides its own, and a pull replaces these).
   */
  recordSale(input: NewSale): Promise<Sale>;
  /**
   * Voids a sale (it keeps its receipt number): reverses its stock movements and its share
   * of the summary, queues a 'sale.void'. 'not-found' for an unknown sale, 'invalid' for an
   * already voided sale, a sale with refunds (refund what remains instead) or an empty reason.
   */
  voidSale(request: VoidRequest): Promise<Sale>;
  /**
   * Records a refund of a sale (any sale on this device, its own or pulled): the whole sale
   * (`lines: 'all'`, what remains) or chosen lines and quantities, with a reason. The refund
   * record, its stock movements (stock given back, kind 'refund'), the summary and a
   * 'refund.record' outbox entry, in one transaction; the sale itself is never changed.
   * 'not-found' for an unknown sale; 'invalid' for a voided sale, an empty reason, a refund
   * id used before, or lines and quantities that are not what remains of the sale.
   */
  recordRefund(request: RefundRequest): Promise<Refund>;
  /** A sale's refunds, oldest first. */
  listRefunds(saleId: Id): Promise<Refund[]>;
  /**
   * Where the sale's refunds by phone or card stand at the payment provider, as the server
   * last said (pulled; docs/payments.md "Refunds"), oldest first by refund id.
   */
  listRefundStatuses(saleId: Id): Promise<ElectronicRefundStatus[]>;
  getSale(id: Id): Promise<Sale | undefined>;
  getSaleLines(saleId: Id): Promise<SaleLine[]>;
  /** The event's sales, newest first, a page at a time. */
  listSales(eventId: Id, options?: { limit?: number; offset?: number }): Promise<Sale[]>;
  lastSale(eventId: Id): Promise<Sale | undefined>;
  /**
   * The sales, lines and refunds of an event or of an instant range, for the accountant's
   * exports (read by index: the event's, or sales and refunds by their time).
   */
  listForExport(selection: ExportSelection): Promise<ExportData>;
  /**
   * The sales made in [from, to), in time order (createdAt, then id), `limit` at a time after
   * `after` (keyset: a year is read page by page, never whole), with their lines.
   */
  listExportSales(
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportSalesPage>;
  /** The same for the refunds made in [from, to), with the sales they refund and their lines. */
  listExportRefunds(
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportRefundsPage>;
  /** How many sales and refunds were made in [from, to) (by index: an export's progress). */
  countForExport(range: { from: number; to: number }): Promise<number>;
  getSummary(eventId: Id): Promise<EventSummaryAggregate>;
  /**
   * Every stored event summary (one per event that ever had a sale, a void or a refund on
   * this device, the maker's other devices' pulled ones included), in no particular order:
   * the maker's history across events reads these, never the sales (domain/history.ts). An
   * aggregate stored before months were kept has no `byMonth` (rebuild it with
   * recomputeSummary repair).
   */
  listSummaries(): Promise<EventSummaryAggregate[]>;
  /**
   * Recomputes the event summary from its sales and refunds (scans them: for checks and repairs, never
   * for the screen). With `repair: true` the stored aggregate is replaced by the result.
   */
  recomputeSummary(eventId: Id, options?: { repair?: boolean }): Promise<EventSummaryAggregate>;

  /** The tills' carts as last saved, one per browser tab, newest first. */
  listSavedCarts(): Promise<SavedCart[]>;
  /**
   * Keeps a tab's cart (replacing what that tab saved before). Written on every change of
   * the cart, in its own small transaction: a reload or a crash brings it back (till.svelte.ts).
   * `takenFrom`: the tab whose saved cart this tab took over; its row goes in the same
   * transaction, so the cart is never kept twice nor lost.
   */
  saveCart(saved: SavedCart, takenFrom?: string): Promise<void>;
  /** Forgets a tab's saved cart (sold, emptied, or taken over by another tab). */
  forgetCart(tabId: string): Promise<void>;
}
