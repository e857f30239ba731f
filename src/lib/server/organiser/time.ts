// The organisation's local time. Bazaars are Dutch: dates ("is this in the past?") and the
// hours of the sales-per-hour chart are Amsterdam time unless KRAAM_TIME_ZONE says otherwise.
import { localDateTime } from '$lib/domain/organiser/csv';

export function timeZone(env: NodeJS.ProcessEnv = process.env): string {
  return env.KRAAM_TIME_ZONE || 'Europe/Amsterdam';
}

/** Today's date (YYYY-MM-DD) in the organisation's time zone. */
export function today(now: number = Date.now()): string {
  return localDateTime(timeZone())(now).date;
}

/** The hour key of the device summaries ('YYYY-MM-DDTHH', local) for an instant. */
export function hourKeyAt(epochMs: number): string {
  const { date, time } = localDateTime(timeZone())(epochMs);
  return `${date}T${time.slice(0, 2)}`;
}
