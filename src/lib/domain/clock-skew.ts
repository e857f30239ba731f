/**
 * A phone whose clock runs ahead (a wrong date is common on market phones) stamps its sales
 * in the future. The server compares a sale's time, and the time a push says it was sent,
 * with its own clock when the push arrives, and flags what is well ahead: more than
 * `CLOCK_AHEAD_TOLERANCE_MS`, far beyond any network delay or ordinary clock drift, and
 * less than a phone set to the wrong time zone or day. Behind is not flagged: a sale sent
 * hours after it was made (offline all day) is normal.
 */
export const CLOCK_AHEAD_TOLERANCE_MS = 10 * 60_000;

/** How far `deviceMs` is ahead of `serverMs`, when that is more than the tolerance; else null. */
export function clockAheadBy(deviceMs: number, serverMs: number): number | null {
  if (!Number.isFinite(deviceMs) || !Number.isFinite(serverMs)) return null;
  const ahead = deviceMs - serverMs;
  return ahead > CLOCK_AHEAD_TOLERANCE_MS ? ahead : null;
}
