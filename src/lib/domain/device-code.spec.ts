import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deviceCodeAt, isDeviceCode, lowestFreeDeviceCode, receiptLabel } from './device-code';

describe('device codes', () => {
  it('count A..Z, then AA..ZZ, then AAA', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(deviceCodeAt)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(() => deviceCodeAt(-1)).toThrow(RangeError);
    expect(() => deviceCodeAt(0.5)).toThrow(RangeError);
  });

  it('two devices of one maker never get the same code: the lowest free one is taken', () => {
    expect(lowestFreeDeviceCode([])).toBe('A');
    expect(lowestFreeDeviceCode(['A'])).toBe('B');
    // A device that left gives its letter back to the next new one.
    expect(lowestFreeDeviceCode(['A', 'C'])).toBe('B');
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(800), { maxLength: 60 }), (indexes) => {
        const taken = indexes.map(deviceCodeAt);
        const code = lowestFreeDeviceCode(taken);
        expect(taken).not.toContain(code);
        expect(isDeviceCode(code)).toBe(true);
      }),
      { seed: 10, numRuns: 200 },
    );
  });

  it('a code is one to three capital letters, nothing else', () => {
    for (const good of ['A', 'ZZ', 'ABC']) expect(isDeviceCode(good)).toBe(true);
    for (const bad of ['', 'a', 'ABCD', 'A1', 'A-', 'Ä', 7, null]) {
      expect(isDeviceCode(bad)).toBe(false);
    }
  });

  it('a receipt reads A-7 with a code, 7 before the device has one', () => {
    expect(receiptLabel(7, 'A')).toBe('A-7');
    expect(receiptLabel(7, 'AB')).toBe('AB-7');
    expect(receiptLabel(7, null)).toBe('7');
    expect(receiptLabel(7, undefined)).toBe('7');
  });
});
