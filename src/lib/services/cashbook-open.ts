import type { CashBookStore } from '$lib/db/device-store';
import { validateFloat, type CashDay } from '$lib/domain/cashbook';
import type { Id } from '$lib/domain/types';

export interface CashBookContext {
  store: CashBookStore;
  newId: () => Id;
  hlc: () => string;
  now: () => number;
}

/**
 * Opens this device's cash book of an event day with the float in the drawer
 * (src/lib/domain/cashbook.ts). Rejects with a CashBookError for a float that is not whole
 * cents from 0 (nothing is written), or with the store's StoreError (an unknown event, a book
 * opened before).
 */
export async function openCashDay(
  context: CashBookContext,
  eventId: Id,
  makerId: Id,
  openingFloatCents: number,
): Promise<CashDay> {
  return context.store.openCashDay({
    eventId,
    makerId,
    openingFloatCents: validateFloat(openingFloatCents),
    openedAt: context.now(),
    hlc: context.hlc(),
  });
}
