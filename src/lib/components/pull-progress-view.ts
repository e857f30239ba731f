import { progressOf, timeLeftParts } from '$lib/domain/progress';
import { m } from '$lib/paraglide/messages';
import type { PullProgress } from '$lib/sync/status';

/**
 * What the header shows while a long pull runs (a first sync of a year of sales, a catch-up
 * after access grew): "received X of about Y changes · about N minutes left", and a progress
 * bar. Nothing for a pull that is over within a second (src/lib/domain/progress.ts).
 */
export interface PullProgressView {
  text: string;
  /** For the progress bar: changes received, of about `max`; max null when unknown. */
  value: number;
  max: number | null;
}

export function pullProgressView(
  progress: PullProgress | null,
  now: number,
): PullProgressView | null {
  if (!progress) return null;
  const p = progressOf({
    done: progress.received,
    remaining: progress.remaining,
    startedAt: progress.startedAt,
    now,
  });
  if (!p.show) return null;
  const received =
    p.total === null
      ? m.shell_sync_progress_count({ count: p.done })
      : m.shell_sync_progress_of({ count: p.total, received: p.done });
  let left = '';
  if (p.msLeft !== null && p.msLeft > 0) {
    const parts = timeLeftParts(p.msLeft);
    left =
      'minutes' in parts
        ? m.shell_sync_minutes_left({ count: parts.minutes })
        : m.shell_sync_seconds_left({ count: parts.seconds });
  }
  return { text: left ? `${received} · ${left}` : received, value: p.done, max: p.total };
}
