import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextColour } from './colours';

const PALETTE = ['red', 'green', 'blue'] as const;

describe('a new product gets a distinct colour', () => {
  it('the first unused colour of the palette', () => {
    expect(nextColour(PALETTE, [])).toBe('red');
    expect(nextColour(PALETTE, ['red'])).toBe('green');
    expect(nextColour(PALETTE, ['green', 'red'])).toBe('blue');
    expect(nextColour(PALETTE, ['blue'])).toBe('red');
  });

  it('all used: the least used one, ties in palette order; unknown colours are ignored', () => {
    expect(nextColour(PALETTE, ['red', 'green', 'blue'])).toBe('red');
    expect(nextColour(PALETTE, ['red', 'red', 'green', 'blue'])).toBe('green');
    expect(nextColour<string>(PALETTE, ['pink', 'red', 'green'])).toBe('blue');
    expect(() => nextColour([], [])).toThrow(RangeError);
  });

  it('property: adding products one by one with the suggested colour spreads the palette evenly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (n) => {
        const used: string[] = [];
        for (let i = 0; i < n; i++) used.push(nextColour(PALETTE, used));
        const counts = PALETTE.map((c) => used.filter((u) => u === c).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
