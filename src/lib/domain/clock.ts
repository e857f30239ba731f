/**
 * Hybrid logical clock (Kulkarni et al. 2014; the shape Actual Budget uses). Device clocks
 * at markets are often wrong, so ordering never relies on the wall clock alone: an HLC
 * timestamp is (logical wall ms, counter, node), it never goes backwards on one device,
 * and after receiving a remote timestamp every local one sorts after it.
 *
 * Encoding, chosen so that plain string comparison is HLC order:
 *   `WWWWWWWWWWWWWWW-CCCC-node`
 *   - W: logical wall time in epoch ms, 15 decimal digits, zero-padded (good to year ~33,000);
 *   - C: counter, 4 lowercase base-36 digits, zero-padded (0..1,679,615 events per ms);
 *     '0'-'9' sort before 'a'-'z' in ASCII, so base-36 strings of equal length sort numerically;
 *   - node: the device id (may itself contain '-'), the final tie-breaker.
 *
 * Departures from the paper, both deliberate:
 *   - No maximum drift: a remote timestamp days ahead (a phone set to the wrong date) is
 *     adopted rather than rejected, because a sale must never be refused for a clock
 *     (docs/sync-faults.md fault 16). The local clock then runs on the logical time until the wall
 *     clock catches up.
 *   - Counter overflow moves the logical wall time one ms ahead instead of throwing, so the
 *     clock stays monotonic and the till never fails on a burst.
 */

export interface HlcParts {
  wallMs: number;
  counter: number;
  node: string;
}

export interface HybridLogicalClock {
  /** A new timestamp for a local event, greater than every timestamp seen before. */
  now(): string;
  /** Merge a timestamp from another node; returns a new local timestamp greater than it. */
  receive(remote: string): string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 4;
export const HLC_MAX_WALL_MS = 10 ** WALL_DIGITS - 1;
export const HLC_MAX_COUNTER = 36 ** COUNTER_DIGITS - 1;
const HLC_PATTERN = /^(\d{15})-([0-9a-z]{4})-(.+)$/;

export function formatHlc({ wallMs, counter, node }: HlcParts): string {
  if (!Number.isInteger(wallMs) || wallMs < 0 || wallMs > HLC_MAX_WALL_MS) {
    throw new RangeError(`HLC wall time out of range: ${wallMs}`);
  }
  if (!Number.isInteger(counter) || counter < 0 || counter > HLC_MAX_COUNTER) {
    throw new RangeError(`HLC counter out of range: ${counter}`);
  }
  if (node.length === 0) throw new RangeError('HLC node id is empty');
  return (
    String(wallMs).padStart(WALL_DIGITS, '0') +
    '-' +
    counter.toString(36).padStart(COUNTER_DIGITS, '0') +
    '-' +
    node
  );
}

/** Parses an encoded HLC; throws RangeError on anything malformed. */
export function parseHlc(value: string): HlcParts {
  const match = HLC_PATTERN.exec(value);
  if (!match) throw new RangeError(`not an HLC timestamp: ${value}`);
  const [, wall = '', counter = '', node = ''] = match;
  return { wallMs: Number(wall), counter: parseInt(counter, 36), node };
}

export function isHlc(value: string): boolean {
  return HLC_PATTERN.test(value);
}

/** -1, 0 or 1. Equal to comparing the strings, which is the point of the encoding. */
export function compareHlc(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A clock for one node. `now` is the wall clock (injected so tests can make it jump).
 * Pass `last`, the newest timestamp this node persisted, so that a restart after the wall
 * clock stepped back still continues after it.
 */
export function createHlc(nodeId: string, now: () => number, last?: string): HybridLogicalClock {
  if (nodeId.length === 0) throw new RangeError('HLC node id is empty');
  let wallMs = 0;
  let counter = 0;
  if (last !== undefined) {
    const parsed = parseHlc(last);
    wallMs = parsed.wallMs;
    counter = parsed.counter;
  }

  function physical(): number {
    const t = Math.floor(now());
    // A broken clock (NaN, negative) must not poison the logical time; the counter
    // still moves it forward.
    return Number.isFinite(t) && t >= 0 ? Math.min(t, HLC_MAX_WALL_MS) : 0;
  }

  function advance(nextWall: number, nextCounter: number): string {
    if (nextCounter > HLC_MAX_COUNTER) {
      nextWall += 1;
      nextCounter = 0;
    }
    wallMs = nextWall;
    counter = nextCounter;
    return formatHlc({ wallMs, counter, node: nodeId });
  }

  return {
    now() {
      const pt = physical();
      if (pt > wallMs) return advance(pt, 0);
      return advance(wallMs, counter + 1);
    },
    receive(remote) {
      const r = parseHlc(remote);
      const pt = physical();
      const nextWall = Math.max(wallMs, r.wallMs, pt);
      if (nextWall === wallMs && nextWall === r.wallMs) {
        return advance(nextWall, Math.max(counter, r.counter) + 1);
      }
      if (nextWall === wallMs) return advance(nextWall, counter + 1);
      if (nextWall === r.wallMs) return advance(nextWall, r.counter + 1);
      return advance(nextWall, 0);
    },
  };
}
