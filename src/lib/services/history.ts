import type { DeviceStore } from '$lib/db/device-store';
import { historyReport, type HistoryEvent, type HistoryReport } from '$lib/domain/history';
import { emptySummary, monthKey } from '$lib/domain/summary';

/** What the "My sales" screen needs: the report, and every event with its aggregate (to compare). */
export interface HistoryView {
  /** 'YYYY-MM' in Europe/Amsterdam: the month the report was read in. */
  currentMonth: string;
  report: HistoryReport;
  /** Every event on this device with its aggregate (an event without sales has an empty one). */
  events: HistoryEvent[];
}

/**
 * The maker's history across events, read from the per-event aggregates (domain/history.ts):
 * one read of the events and one of the aggregates, never the sales. An aggregate stored
 * before months were kept (an app updated from an older version) is rebuilt from its event's
 * sales once, here, and stored (recomputeSummary repair); after that it is kept in step with
 * every sale, void and refund like the rest of the summary.
 */
export async function readHistory(
  store: Pick<DeviceStore, 'listEvents' | 'listSummaries' | 'recomputeSummary'>,
  now: number = Date.now(),
): Promise<HistoryView> {
  const [events, stored] = await Promise.all([store.listEvents(), store.listSummaries()]);
  const summaries = new Map(stored.map((s) => [s.eventId, s]));
  for (const summary of stored) {
    if (summary.byMonth === undefined) {
      summaries.set(
        summary.eventId,
        await store.recomputeSummary(summary.eventId, { repair: true }),
      );
    }
  }
  const inputs: HistoryEvent[] = events.map((event) => ({
    event,
    summary: summaries.get(event.id) ?? emptySummary(event.id),
  }));
  const currentMonth = monthKey(now);
  return { currentMonth, report: historyReport(inputs, currentMonth), events: inputs };
}
