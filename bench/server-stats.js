// Small helpers for the server benchmarks' figures.

/** Milliseconds `fn` took. */
export async function timeIt(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers; NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const median = (values) => percentile(values, 50);

/** Rounds to `digits` decimals (whole numbers by default), for printing and JSON. */
export function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
