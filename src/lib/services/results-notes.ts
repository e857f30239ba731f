import type { DeviceStore } from '$lib/db/device-store';
import { cashTakenWhenRounded } from '$lib/domain/cash';
import { soldBeyondStock } from '$lib/domain/stock';
import type { Cents, Id } from '$lib/domain/types';

/** What the maker's results say beside the server's figures, from what the device holds. */
export interface ResultsNotes {
  /** The cash taken when the 5-cent rounding made it differ from the revenue; else null. */
  cashTakenCents: Cents | null;
  /** Items sold beyond the kept stock at the event (0: none). */
  soldBeyond: number;
}

/**
 * The results (computed by the server at closing) carry the revenue but neither the cash
 * rounding nor the stock: both are on the device, which holds every sale of the maker at the
 * event (its own and, through sync, those of the maker's other devices) and the event's stock.
 */
export async function resultsNotes(
  store: DeviceStore,
  eventId: Id,
  revenueCents: Cents,
): Promise<ResultsNotes> {
  const [summary, stock] = await Promise.all([
    store.getSummary(eventId),
    store.listEventStock(eventId),
  ]);
  return {
    cashTakenCents: cashTakenWhenRounded(revenueCents, summary.roundingCents),
    soldBeyond: soldBeyondStock(stock),
  };
}
