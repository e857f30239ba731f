import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HLC_MAX_COUNTER,
  compareHlc,
  createHlc,
  formatHlc,
  isHlc,
  parseHlc,
  type HybridLogicalClock,
} from './clock';

const DAY = 86_400_000;
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const NODE = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

function manualClock(start: number): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

describe('HLC encoding', () => {
  it('is 15-digit wall ms, 4 base-36 counter digits, then the node', () => {
    expect(formatHlc({ wallMs: T0, counter: 37, node: NODE })).toBe(`00${T0}-0011-${NODE}`);
    expect(parseHlc(`00${T0}-0011-${NODE}`)).toEqual({ wallMs: T0, counter: 37, node: NODE });
  });

  it('round-trips and string order equals (wall, counter, node) order', () => {
    const parts = fc.record({
      wallMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
      counter: fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
      node: fc.constantFrom('a', 'b', NODE, 'device-2'),
    });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const ea = formatHlc(a);
        const eb = formatHlc(b);
        expect(parseHlc(ea)).toEqual(a);
        const expected =
          a.wallMs !== b.wallMs
            ? Math.sign(a.wallMs - b.wallMs)
            : a.counter !== b.counter
              ? Math.sign(a.counter - b.counter)
              : a.node < b.node
                ? -1
                : a.node > b.node
                  ? 1
                  : 0;
        return compareHlc(ea, eb) === expected;
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('rejects malformed input', () => {
    expect(() => parseHlc('')).toThrow(RangeError);
    expect(() => parseHlc('123-0000-x')).toThrow(RangeError);
    expect(() => parseHlc(`00${T0}-00A0-x`)).toThrow(RangeError);
    expect(() => parseHlc(`00${T0}-0000-`)).toThrow(RangeError);
    expect(isHlc(`00${T0}-0000-x`)).toBe(true);
    expect(() => formatHlc({ wallMs: -1, counter: 0, node: 'x' })).toThrow(RangeError);
    expect(() => formatHlc({ wallMs: 1, counter: HLC_MAX_COUNTER + 1, node: 'x' })).toThrow(
      RangeError,
    );
    expect(() => createHlc('', () => T0)).toThrow(RangeError);
  });
});

describe('createHlc', () => {
  it('follows the wall clock when it moves forward, counter reset', () => {
    const wall = manualClock(T0);
    const hlc = createHlc('n', wall.now);
    expect(parseHlc(hlc.now())).toEqual({ wallMs: T0, counter: 0, node: 'n' });
    expect(parseHlc(hlc.now())).toEqual({ wallMs: T0, counter: 1, node: 'n' });
    wall.set(T0 + 5);
    expect(parseHlc(hlc.now())).toEqual({ wallMs: T0 + 5, counter: 0, node: 'n' });
  });

  it('stays monotonic when the wall clock jumps back a day', () => {
    const wall = manualClock(T0);
    const hlc = createHlc('n', wall.now);
    const before = hlc.now();
    wall.set(T0 - DAY);
    const after = hlc.now();
    expect(after > before).toBe(true);
    expect(parseHlc(after)).toEqual({ wallMs: T0, counter: 1, node: 'n' });
  });

  it('adopts a remote timestamp days ahead and stays after it', () => {
    const wall = manualClock(T0);
    const hlc = createHlc('local', wall.now);
    const remote = formatHlc({ wallMs: T0 + 2 * DAY, counter: 7, node: 'remote' });
    const merged = hlc.receive(remote);
    expect(parseHlc(merged)).toEqual({ wallMs: T0 + 2 * DAY, counter: 8, node: 'local' });
    const next = hlc.now();
    expect(next > merged).toBe(true);
    expect(parseHlc(next).wallMs).toBe(T0 + 2 * DAY);
  });

  it('continues after a persisted last timestamp across a restart', () => {
    const last = formatHlc({ wallMs: T0 + DAY, counter: 3, node: 'n' });
    const hlc = createHlc('n', () => T0, last);
    expect(hlc.now() > last).toBe(true);
  });

  it('moves the wall one ms on counter overflow instead of failing', () => {
    const last = formatHlc({ wallMs: T0, counter: HLC_MAX_COUNTER, node: 'n' });
    const hlc = createHlc('n', () => T0, last);
    const next = hlc.now();
    expect(parseHlc(next)).toEqual({ wallMs: T0 + 1, counter: 0, node: 'n' });
    expect(next > last).toBe(true);
  });

  it('ignores a broken wall clock (NaN) but keeps counting', () => {
    const hlc = createHlc('n', () => Number.NaN);
    const a = hlc.now();
    expect(hlc.now() > a).toBe(true);
  });

  it('property: strictly monotonic over random clock jumps and remote merges; receive(x) > x', () => {
    type Step =
      | { kind: 'tick'; jump: number }
      | { kind: 'receive'; offset: number; counter: number; node: string };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        kind: fc.constant('tick' as const),
        jump: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
      }),
      fc.record({
        kind: fc.constant('receive' as const),
        offset: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
        counter: fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
        node: fc.constantFrom('a', 'z', 'other-device'),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 100 }), (steps) => {
        const wall = manualClock(T0);
        const hlc: HybridLogicalClock = createHlc('m', wall.now);
        let prev = hlc.now();
        for (const s of steps) {
          let next: string;
          if (s.kind === 'tick') {
            wall.set(Math.max(0, wall.now() + s.jump));
            next = hlc.now();
          } else {
            const remote = formatHlc({
              wallMs: Math.max(0, wall.now() + s.offset),
              counter: s.counter,
              node: s.node,
            });
            next = hlc.receive(remote);
            if (compareHlc(next, remote) !== 1) return false;
          }
          if (compareHlc(next, prev) !== 1) return false;
          prev = next;
        }
        return true;
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
