import { describe, expect, it } from 'vitest';
import { CLOCK_AHEAD_TOLERANCE_MS, clockAheadBy } from './clock-skew';

const SERVER = 1_765_000_000_000;
const MINUTE = 60_000;

describe('a device clock ahead of the server', () => {
  it('is flagged only beyond ten minutes ahead, with how far', () => {
    expect(CLOCK_AHEAD_TOLERANCE_MS).toBe(10 * MINUTE);
    expect(clockAheadBy(SERVER, SERVER)).toBeNull();
    expect(clockAheadBy(SERVER + 10 * MINUTE, SERVER)).toBeNull();
    expect(clockAheadBy(SERVER + 10 * MINUTE + 1, SERVER)).toBe(10 * MINUTE + 1);
    expect(clockAheadBy(SERVER + 2 * 86_400_000, SERVER)).toBe(2 * 86_400_000);
  });

  it('never for a time behind the server (a sale sent after a day offline)', () => {
    expect(clockAheadBy(SERVER - 8 * 3_600_000, SERVER)).toBeNull();
  });

  it('never for a time that is not a number', () => {
    expect(clockAheadBy(Number.NaN, SERVER)).toBeNull();
    expect(clockAheadBy(Number.POSITIVE_INFINITY, SERVER)).toBeNull();
  });
});
