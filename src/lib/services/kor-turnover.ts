import type { DeviceStore } from '$lib/db/device-store';
import { calendarYearOf, KOR_TIME_ZONE, korStanding, type KorStanding } from '$lib/domain/kor';

/**
 * The KOR tracker: the net turnover of the calendar year of `now` (Europe/Amsterdam) over
 * every event this device knows (the maker's other devices' too), net of refunds, and where it
 * stands against the limit. Read from the stored per-event aggregates' months (`byMonth`: a
 * completed sale's total in the Amsterdam month it was made, a refund taken from the month it
 * was given, voids taken back: domain/summary.ts), the same net turnover domain/kor.ts
 * `yearTurnover` counts from the sales, never a scan. An aggregate stored before months were
 * kept is rebuilt from its sales once and stored (as the history does: services/history.ts).
 */
export async function readKorStanding(
  store: Pick<DeviceStore, 'listSummaries' | 'recomputeSummary'>,
  now: number = Date.now(),
): Promise<KorStanding & { year: number }> {
  const year = calendarYearOf(now, KOR_TIME_ZONE);
  const prefix = `${year}-`;
  let turnover = 0;
  for (const stored of await store.listSummaries()) {
    const summary =
      stored.byMonth === undefined
        ? await store.recomputeSummary(stored.eventId, { repair: true })
        : stored;
    for (const [month, figures] of Object.entries(summary.byMonth ?? {})) {
      if (month.startsWith(prefix)) turnover += figures.cents;
    }
  }
  return { ...korStanding(turnover), year };
}
