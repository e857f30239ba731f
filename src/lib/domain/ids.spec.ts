import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UUID_V7_PATTERN, createUuidv7, isUuidv7, uuidv7, uuidv7Timestamp } from './ids';

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7, variant 10', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(id).toMatch(UUID_V7_PATTERN);
    }
  });

  it('encodes the given timestamp in the first 48 bits', () => {
    expect(uuidv7(0).slice(0, 13)).toBe('00000000-0000');
    expect(uuidv7(0x0123456789ab).slice(0, 13)).toBe('01234567-89ab');
    expect(uuidv7Timestamp(uuidv7(1_767_225_600_000))).toBe(1_767_225_600_000);
    expect(uuidv7(2 ** 48 - 1).slice(0, 13)).toBe('ffffffff-ffff');
  });

  it('rejects timestamps outside 48 bits', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7(1.5)).toThrow(RangeError);
  });

  it('orders by time: an id made for a later ms sorts after one for an earlier ms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (t, dt) => {
          const later = Math.min(t + dt, 2 ** 48 - 1);
          return uuidv7(t) < uuidv7(later);
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it('is unique over many calls', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7()));
    expect(ids.size).toBe(10_000);
  });

  it('a generator is strictly increasing within one ms and when the clock steps back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_000_000, max: 1_000_050 }), { minLength: 2, maxLength: 300 }),
        (times) => {
          let i = 0;
          const next = createUuidv7(() => times[i++ % times.length] ?? 0);
          let prev = next();
          for (let k = 1; k < times.length; k++) {
            const id = next();
            expect(isUuidv7(id)).toBe(true);
            if (!(id > prev)) return false;
            prev = id;
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('a generator stays increasing past 4096 ids in one ms (moves the timestamp on)', () => {
    const next = createUuidv7(() => 5_000);
    let prev = next();
    for (let k = 0; k < 10_000; k++) {
      const id = next();
      expect(id > prev).toBe(true);
      prev = id;
    }
    expect(uuidv7Timestamp(prev)).toBeGreaterThan(5_000);
  });

  it('isUuidv7 rejects other UUID versions and junk', () => {
    expect(isUuidv7('123e4567-e89b-42d3-a456-426614174000')).toBe(false);
    expect(isUuidv7('not-a-uuid')).toBe(false);
    expect(() => uuidv7Timestamp('nope')).toThrow(RangeError);
  });
});
