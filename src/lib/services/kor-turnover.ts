import type { DeviceStore } from '$lib/db/device-store';
import {
  calendarYearOf,
  KOR_TIME_ZONE,
  korStanding,
  yearTurnover,
  type KorStanding,
  type TurnoverRefund,
  type TurnoverSale,
} from '$lib/domain/kor';

const PAGE = 500;

/** An hour key ('YYYY-MM-DDTHH', device-local) that may hold a sale of `year` in Amsterdam. */
function mayHoldYear(hour: string, year: number): boolean {
  // A day's margin either side: the phone's own time zone is at most a day from Amsterdam's.
  return hour >= `${year - 1}-12-31` && hour < `${year + 1}-01-02`;
}

/**
 * The KOR tracker: the net turnover of the calendar year of `now` (Europe/Amsterdam) over
 * every event on this device, net of refunds, and where it stands against the limit. Only the events whose
 * summary has a sale hour near that year are read (the summary is kept in step with every
 * sale); their sales go through domain/kor.ts `yearTurnover`, which decides to the minute.
 */
export async function readKorStanding(
  store: DeviceStore,
  now: number = Date.now(),
): Promise<KorStanding & { year: number }> {
  const year = calendarYearOf(now, KOR_TIME_ZONE);
  const sales: TurnoverSale[] = [];
  const refunds: TurnoverRefund[] = [];
  for (const event of await store.listEvents()) {
    const summary = await store.getSummary(event.id);
    if (!Object.keys(summary.byHour).some((hour) => mayHoldYear(hour, year))) continue;
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.listSales(event.id, { limit: PAGE, offset });
      sales.push(...page);
      // Refunds are read only at events that had one (the summary counts them).
      if ((summary.refundCount ?? 0) > 0) {
        for (const sale of page) {
          for (const refund of await store.listRefunds(sale.id)) {
            refunds.push({ createdAt: refund.createdAt, amountCents: refund.totalCents });
          }
        }
      }
      if (page.length < PAGE) break;
    }
  }
  return { ...korStanding(yearTurnover({ sales, refunds }, year)), year };
}
