/** Timers a test runs by hand (the engine's debounce after a sale, its retry and periodic rounds). Test code only. */
import type { Timers } from '../engine';

export function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** The delays of the timers waiting now. */
    delays: () => [...pending.values()].map((p) => p.ms),
    /** Runs every timer waiting now (not the ones they set). */
    runAll: () => {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, p] of due) p.fn();
    },
    /** Runs the timers set for `ms`. */
    run: (ms: number) => {
      for (const [id, p] of [...pending.entries()]) {
        if (p.ms !== ms) continue;
        pending.delete(id);
        p.fn();
      }
    },
  };
}
