/**
 * Gives the main thread back before the next piece of start-up work (issue 11, the cold
 * start): the browser can paint and take a tap in between, so no piece of the work after
 * the till's first paint runs in one long task with the next. `scheduler.yield()` where the
 * browser has it (the rest of the work keeps its place ahead of other tasks), a new task
 * otherwise.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Resolves once the browser has painted the next frame: a promise resolved in a
 * `requestAnimationFrame` callback continues before that frame's style, layout and paint,
 * so anything it then renders or runs would be in that frame's way; the new task after it
 * comes only once the frame is drawn.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
