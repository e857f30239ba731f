import { StoreError, type DeviceStore, type StoreErrorCode } from '$lib/db/device-store';
import { soldBeyondStock } from '$lib/domain/stock';
import { summaryReport, type SummaryReport } from '$lib/domain/summary';
import type { Id, Sale } from '$lib/domain/types';

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
  hasMore = $state(false);
  loading = $state(false);
  failure = $state<StoreErrorCode | null>(null);

  async load(store: DeviceStore, eventId: Id): Promise<void> {
    this.loading = true;
    try {
      const [aggregate, page, stock] = await Promise.all([
        store.getSummary(eventId),
        store.listSales(eventId, { limit: SALES_PAGE_SIZE + 1, offset: 0 }),
        store.listEventStock(eventId),
      ]);
      this.eventId = eventId;
      this.soldBeyond = soldBeyondStock(stock);
      this.report = summaryReport(aggregate, { bestSellers: 5 });
      this.sales = page.slice(0, SALES_PAGE_SIZE);
      this.hasMore = page.length > SALES_PAGE_SIZE;
      this.failure = null;
    } catch (error) {
      this.failure = error instanceof StoreError ? error.code : 'unknown';
    } finally {
      this.loading = false;
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
