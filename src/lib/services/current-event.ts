// The current event's setting and today's date, a module of their own: the app's and the
// account's state read them on the way to an interactive till, which does not need the rest
// of the events service (src/lib/services/events.ts re-exports both).

/** The device setting under which the events screen stores the event the till sells into. */
export const CURRENT_EVENT_SETTING = 'currentEventId';

/** Today's local calendar date as YYYY-MM-DD (the date input's format). */
export function todayIsoDate(now: Date = new Date()): string {
  const y = String(now.getFullYear()).padStart(4, '0');
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
