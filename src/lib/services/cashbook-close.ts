import { validateCount, type CashDayReport } from '$lib/domain/cashbook';
import type { Id } from '$lib/domain/types';
import type { CashBookContext } from './cashbook-open';

/**
 * Closes this device's cash book of an event day with the cash counted, by total or by note
 * and coin: the store makes the numbered day report (never changed afterwards) and queues it.
 * Rejects with a CashBookError for a bad count (nothing is written) or the store's StoreError.
 */
export async function closeCashDay(
  context: CashBookContext,
  eventId: Id,
  count: { countedCents?: number; pieces?: Record<string, number> | null },
): Promise<CashDayReport> {
  const checked = validateCount(count);
  return context.store.closeCashDay({
    id: context.newId(),
    eventId,
    countedCents: checked.countedCents,
    pieces: checked.pieces,
    closedAt: context.now(),
    hlc: context.hlc(),
  });
}
