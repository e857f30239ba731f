import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changeBetween,
  compareLabels,
  labelKey,
  minutesOfDay,
  parseTimeOfDay,
  percentOf,
  textLength,
} from './common';

const SEED = { seed: 4242, numRuns: 400 };

describe('parseTimeOfDay', () => {
  it('[C1] accepts HH:MM from 00:00 to 23:59, Arabic-Indic digits included', () => {
    expect(parseTimeOfDay('09:30')).toBe('09:30');
    expect(parseTimeOfDay(' 23:59 ')).toBe('23:59');
    expect(parseTimeOfDay('00:00')).toBe('00:00');
    expect(parseTimeOfDay('٠٩:٣٠')).toBe('09:30');
  });

  it.each(['9:30', '24:00', '12:60', '12.30', '1230', '', 'noon', '12:3'])(
    '[C1] refuses %j',
    (text) => {
      expect(parseTimeOfDay(text)).toBeNull();
    },
  );

  it('[C1] minutesOfDay counts from midnight and refuses a bad time', () => {
    expect(minutesOfDay('10:15')).toBe(615);
    expect(() => minutesOfDay('25:00')).toThrow(RangeError);
  });
});

describe('labels and lengths', () => {
  it('[C2] orders labels naturally: A2 before A10, 9 before 10', () => {
    expect(['A10', 'b1', 'A2', '10', '9'].sort(compareLabels)).toEqual([
      '9',
      '10',
      'A2',
      'A10',
      'b1',
    ]);
  });

  it('[C2] a label key ignores case, surrounding spaces and digit script', () => {
    expect(labelKey(' a1 ')).toBe(labelKey('A1'));
    expect(labelKey('A١')).toBe('A1');
  });

  it('[C3] counts characters as people do', () => {
    expect(textLength('خبز')).toBe(3);
    expect(textLength('🧁🧁')).toBe(2);
  });
});

describe('percentages and change', () => {
  it('[C4] rounds half away from zero', () => {
    expect(percentOf(1, 40)).toBe(3); // 2.5%
    expect(percentOf(-1, 40)).toBe(-3);
    expect(percentOf(1, 400)).toBe(0); // 0.25%
    expect(percentOf(-1, 400)).toBe(0); // never -0
    expect(Object.is(percentOf(-1, 400), -0)).toBe(false);
    expect(percentOf(50, 100)).toBe(50);
  });

  it('[C4] equals the exact rational rounded half away from zero (BigInt reference)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (part, whole) => {
          // Quotient and remainder: round up when the remainder is at least half the whole.
          const scaled = BigInt(Math.abs(part)) * 100n;
          const quotient = scaled / BigInt(whole);
          const remainder = scaled % BigInt(whole);
          const magnitude = Number(remainder * 2n >= BigInt(whole) ? quotient + 1n : quotient);
          const expected = part < 0 && magnitude !== 0 ? -magnitude : magnitude;
          expect(percentOf(part, whole)).toBe(expected);
        },
      ),
      SEED,
    );
  });

  it('[C4] refuses a zero or negative whole and non-integers', () => {
    expect(() => percentOf(1, 0)).toThrow(RangeError);
    expect(() => percentOf(1.5, 10)).toThrow(RangeError);
  });

  it('[C5] change has no percentage against nothing', () => {
    expect(changeBetween(0, 500)).toEqual({ absolute: 500, percent: null });
    expect(changeBetween(1000, 1250)).toEqual({ absolute: 250, percent: 25 });
    expect(changeBetween(1000, 0)).toEqual({ absolute: -1000, percent: -100 });
  });
});
