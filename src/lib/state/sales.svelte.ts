import type { ElectronicRefundStatus } from '$lib/domain/electronic-refund';
import { StoreError, type DeviceStore, type StoreErrorCode } from '$lib/db/device-store';
import { soldBeyondStock } from '$lib/domain/stock';
import { uuidv7 } from '$lib/domain/ids';
import { RefundError, type RefundErrorCode, type RefundRequest } from '$lib/domain/refund';
import { summaryReport, type SummaryReport } from '$lib/domain/summary';
import { linkNeedsSettling, linkOutcome, linkPartCents } from '$lib/domain/link-payment';
import { linkStanding, type LinkFlag } from '$lib/domain/link-settlement';
import { settleLinkPayment, SettleNoteError, type SettleChoice } from '$lib/services/settle-link';
import type { Id, Refund, Sale, SaleLine } from '$lib/domain/types';
import { refundSale } from '$lib/services/refund';
import { voidSaleWithReason } from '$lib/services/void';
import { SaleError } from '$lib/domain/sale';
import { app } from './app.svelte';
import { sync } from './sync.svelte';

/** One sale opened from the list: everything the sale view shows. */
export interface OpenedSale {
  sale: Sale;
  lines: SaleLine[];
  refunds: Refund[];
  /** Where its refunds by phone or card stand at Stripe (pulled). */
  refundStatuses: ElectronicRefundStatus[];
  /** The sale was made on this device. */
  own: boolean;
}

export type CorrectionFailure = StoreErrorCode | RefundErrorCode | 'void-reason';

/** Sales are read a page at a time: an event can have thousands. */
export const SALES_PAGE_SIZE = 50;

/**
 * The event sales screen: the summary (from the kept-up-to-date aggregate, never a scan of
 * every sale) and the list of sales, newest first, paged.
 */
class SalesState {
  eventId = $state<Id | null>(null);
  report = $state.raw<SummaryReport | null>(null);
  sales = $state.raw<Sale[]>([]);
  /** Items sold beyond the kept stock at this event (the negative levels). */
  soldBeyond = $state(0);
  /** Sales paid on the payment link still unconfirmed 24 hours on: the maker is asked. */
  linkToSettle = $state.raw<Sale[]>([]);
  /** Settled sales Stripe paid after all: paid after a write-off, or paid twice. */
  linkFlagged = $state.raw<{ sale: Sale; flag: LinkFlag }[]>([]);
  /** The last settlement made here (for the status line), or why it failed. */
  settled = $state.raw<{ receiptNumber: number; outcome: SettleChoice } | null>(null);
  settleFailure = $state<StoreErrorCode | SettleNoteError['code'] | null>(null);
  /** The codes of the maker's devices (SPEC.md, "Device codes"), shown with receipt numbers. */
  deviceCodes = $state.raw<Record<Id, string>>({});
  hasMore = $state(false);
  loading = $state(false);
  failure = $state<StoreErrorCode | null>(null);
  opened = $state.raw<OpenedSale | null>(null);
  busy = $state(false);
  correctionFailure = $state<CorrectionFailure | null>(null);
  /** What the last refund gave back, for the status line (receipt number and amount). */
  refunded = $state.raw<{ receiptNumber: number; cents: number } | null>(null);

  /** Opens a sale of the list (its lines, refunds and where it was made). */
  async openSale(store: DeviceStore, saleId: Id): Promise<void> {
    try {
      const [sale, lines, refunds, refundStatuses, deviceId] = await Promise.all([
        store.getSale(saleId),
        store.getSaleLines(saleId),
        store.listRefunds(saleId),
        store.listRefundStatuses(saleId),
        store.deviceId(),
      ]);
      if (!sale) throw new StoreError('not-found', 'This sale is not on this device.');
      this.correctionFailure = null;
      this.opened = { sale, lines, refunds, refundStatuses, own: sale.deviceId === deviceId };
    } catch (error) {
      this.failure = error instanceof StoreError ? error.code : 'unknown';
    }
  }

  closeSale(): void {
    this.opened = null;
    this.correctionFailure = null;
  }

  /** Refunds the opened sale (what remains, or chosen lines); true when it was recorded. */
  async refund(
    store: DeviceStore,
    lines: RefundRequest['lines'],
    reason: string,
  ): Promise<boolean> {
    const opened = this.opened;
    if (!opened || this.busy) return false;
    this.busy = true;
    try {
      const refund = await refundSale(
        { store, newId: () => uuidv7(), hlc: () => app.nextHlc(), now: Date.now },
        opened.sale.id,
        lines,
        reason,
      );
      this.refunded = { receiptNumber: opened.sale.receiptNumber, cents: refund.totalCents };
      await this.#afterCorrection(store, opened.sale.id);
      return true;
    } catch (error) {
      this.correctionFailure =
        error instanceof RefundError
          ? error.code
          : error instanceof StoreError
            ? error.code
            : 'unknown';
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Voids the opened sale (no refunds yet); true when it was recorded. */
  async voidOpened(store: DeviceStore, reason: string): Promise<boolean> {
    const opened = this.opened;
    if (!opened || this.busy) return false;
    this.busy = true;
    try {
      await voidSaleWithReason(
        { store, hlc: () => app.nextHlc(), now: Date.now },
        opened.sale.id,
        reason,
      );
      this.refunded = null;
      await this.#afterCorrection(store, opened.sale.id);
      return true;
    } catch (error) {
      this.correctionFailure =
        error instanceof SaleError
          ? 'void-reason'
          : error instanceof StoreError
            ? error.code
            : 'unknown';
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #afterCorrection(store: DeviceStore, saleId: Id): Promise<void> {
    // After the commit, never inside it: the correction goes to the server shortly.
    sync.notifyChange();
    void app.refreshPending().catch(() => undefined);
    if (this.eventId) await this.load(store, this.eventId);
    await this.openSale(store, saleId);
  }

  async load(store: DeviceStore, eventId: Id): Promise<void> {
    this.loading = true;
    try {
      const [aggregate, page, stock, deviceCodes, linkSales] = await Promise.all([
        store.getSummary(eventId),
        store.listSales(eventId, { limit: SALES_PAGE_SIZE + 1, offset: 0 }),
        store.listEventStock(eventId),
        store.getDeviceCodes(),
        store.listLinkSales(eventId),
      ]);
      // Sales paid on the stall's payment link: awaiting until Stripe's word is pulled or the
      // maker settles them (src/lib/domain/link-settlement.ts).
      const outcomes = linkSales.map(({ sale, records, settlement }) => ({
        sale,
        outcome: linkOutcome(linkPartCents(sale.payments), records),
        settlement,
      }));
      const now = Date.now();
      this.linkToSettle = outcomes
        .filter(
          ({ sale, outcome, settlement }) => !settlement && linkNeedsSettling(sale, outcome, now),
        )
        .map(({ sale }) => sale);
      this.linkFlagged = outcomes.flatMap(({ sale, outcome, settlement }) => {
        const { flag } = linkStanding(outcome, settlement);
        return sale.status === 'completed' && flag ? [{ sale, flag }] : [];
      });
      this.eventId = eventId;
      this.soldBeyond = soldBeyondStock(stock);
      this.deviceCodes = deviceCodes;
      this.report = summaryReport(aggregate, { bestSellers: 5, linkSales: outcomes });
      this.sales = page.slice(0, SALES_PAGE_SIZE);
      this.hasMore = page.length > SALES_PAGE_SIZE;
      this.failure = null;
    } catch (error) {
      this.failure = error instanceof StoreError ? error.code : 'unknown';
    } finally {
      this.loading = false;
    }
  }

  /** The maker settles a sale paid on the link that Stripe never confirmed. */
  async settle(
    store: DeviceStore,
    sale: Sale,
    choice: SettleChoice,
    note: string,
  ): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.settleFailure = null;
    try {
      await settleLinkPayment(
        { store, newId: () => uuidv7(), hlc: () => app.nextHlc(), now: Date.now },
        sale.id,
        choice,
        note,
      );
      this.settled = { receiptNumber: sale.receiptNumber, outcome: choice };
      sync.notifyChange();
      void app.refreshPending().catch(() => undefined);
      if (this.eventId) await this.load(store, this.eventId);
      return true;
    } catch (error) {
      this.settleFailure =
        error instanceof SettleNoteError
          ? error.code
          : error instanceof StoreError
            ? error.code
            : 'unknown';
      return false;
    } finally {
      this.busy = false;
    }
  }

  async loadMore(store: DeviceStore): Promise<void> {
    if (!this.eventId || this.loading) return;
    this.loading = true;
    try {
      // One extra row tells whether another page follows.
      const page = await store.listSales(this.eventId, {
        limit: SALES_PAGE_SIZE + 1,
        offset: this.sales.length,
      });
      this.sales = [...this.sales, ...page.slice(0, SALES_PAGE_SIZE)];
      this.hasMore = page.length > SALES_PAGE_SIZE;
    } catch (error) {
      this.failure = error instanceof StoreError ? error.code : 'unknown';
    } finally {
      this.loading = false;
    }
  }
}

export const salesState = new SalesState();
