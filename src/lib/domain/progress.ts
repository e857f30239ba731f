// Progress of long work (a first sync of a year of sales, a large export or restore): how far
// it got of about how much, and about how long is left. One rule: the time left is the work
// left at the rate measured so far, and it is shown only once it means something (a second of
// work and some of it done), never as a jumpy guess in the first moments. Totals are
// estimates ("about"): when more arrives than was announced, the total grows with it, so the
// share done never passes 100% and never goes backwards.

/** Long work shows its progress only after this long (a short pull just finishes). */
export const SHOW_PROGRESS_AFTER_MS = 1000;
/** No time left is said before this much time has passed and this share is done. */
const ETA_AFTER_MS = 1000;
const ETA_AFTER_SHARE = 0.02;

export interface ProgressInput {
  /** Units done so far (changes received, rows written). */
  done: number;
  /** Units still to do as far as is known now, an estimate; null when unknown. */
  remaining: number | null;
  /** When the work began, and now (milliseconds, same clock). */
  startedAt: number;
  now: number;
}

export interface Progress {
  done: number;
  /** About how many in all (done + remaining); null when unknown. */
  total: number | null;
  /** Share done, 0..1; null when the total is unknown. */
  share: number | null;
  /** About how many milliseconds are left; null until it can be said. */
  msLeft: number | null;
  /** Long enough under way to show (SHOW_PROGRESS_AFTER_MS). */
  show: boolean;
}

const count = (value: number | null): number | null =>
  value === null || !Number.isFinite(value) ? null : Math.max(0, Math.floor(value));

/** Pure: the progress of work that did `done` of about `done + remaining` since `startedAt`. */
export function progressOf(input: ProgressInput): Progress {
  const done = count(input.done) ?? 0;
  const remaining = count(input.remaining);
  const elapsed = Number.isFinite(input.now - input.startedAt)
    ? Math.max(0, input.now - input.startedAt)
    : 0;
  const total = remaining === null ? null : done + remaining;
  const share = total === null ? null : total === 0 ? 1 : done / total;
  let msLeft: number | null = null;
  if (
    remaining !== null &&
    done > 0 &&
    elapsed >= ETA_AFTER_MS &&
    (share ?? 0) >= ETA_AFTER_SHARE
  ) {
    msLeft = remaining === 0 ? 0 : Math.round((elapsed / done) * remaining);
  }
  return { done, total, share, msLeft, show: elapsed >= SHOW_PROGRESS_AFTER_MS };
}

/** Whole minutes or seconds to say for `msLeft`: at least 1 second, rounded up. */
export function timeLeftParts(msLeft: number): { minutes: number } | { seconds: number } {
  const seconds = Math.max(1, Math.ceil(msLeft / 1000));
  if (seconds < 60) return { seconds };
  return { minutes: Math.ceil(seconds / 60) };
}
