import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VatRate } from './types';
import { isVatRate, netOf, vatIncluded } from './vat';

const SEED = { seed: 42, numRuns: 500 };
const gross = fc.integer({ min: 0, max: 100_000_000_000 });
const rate = fc.constantFrom<VatRate>(0, 9, 21);

/** Reference: the same rule with BigInt and the textbook formula, independent of the code. */
function referenceVat(g: number, r: VatRate): number {
  const num = BigInt(Math.abs(g)) * BigInt(r) * 2n + BigInt(100 + r);
  const rounded = Number(num / (2n * BigInt(100 + r)));
  return g < 0 ? 0 - rounded : rounded;
}

describe('vatIncluded (the one rounding rule: nearest cent, half away from zero)', () => {
  it('known Dutch examples', () => {
    expect(vatIncluded(121, 21)).toBe(21);
    expect(vatIncluded(109, 9)).toBe(9);
    expect(vatIncluded(1000, 21)).toBe(174); // 173.55 -> 174
    expect(vatIncluded(1000, 9)).toBe(83); // 82.57 -> 83
    expect(vatIncluded(350, 9)).toBe(29); // 28.90 -> 29
    expect(vatIncluded(250, 21)).toBe(43); // 43.39 -> 43
    expect(vatIncluded(1, 21)).toBe(0); // 0.17 -> 0
    expect(vatIncluded(3, 21)).toBe(1); // 0.52 -> 1
    expect(vatIncluded(999, 0)).toBe(0);
  });

  it('property: matches an independent BigInt reference of the rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), rate, (g, r) => {
        expect(vatIncluded(g, r)).toBe(referenceVat(g, r));
      }),
      SEED,
    );
  });

  it('property: 0 <= vat <= gross for positive gross', () => {
    fc.assert(
      fc.property(gross, rate, (g, r) => {
        const vat = vatIncluded(g, r);
        return vat >= 0 && vat <= g && Number.isInteger(vat);
      }),
      SEED,
    );
  });

  it('property: symmetric for negatives, vat(-g) = -vat(g) (voids mirror sales)', () => {
    fc.assert(
      fc.property(gross, rate, (g, r) => vatIncluded(-g, r) === -vatIncluded(g, r)),
      SEED,
    );
  });

  it('property: 0% (KOR) is always 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), (g) => {
        return vatIncluded(g, 0) === 0;
      }),
      SEED,
    );
  });

  it('property: net + vat = gross, and the VAT is within half a cent of the exact value', () => {
    fc.assert(
      fc.property(gross, rate, (g, r) => {
        const vat = vatIncluded(g, r);
        expect(netOf(g, r) + vat).toBe(g);
        // |vat - g*r/(100+r)| <= 1/2  <=>  |vat*(100+r) - g*r| * 2 <= 100+r (integers)
        expect(Math.abs(vat * (100 + r) - g * r) * 2).toBeLessThanOrEqual(100 + r);
      }),
      SEED,
    );
  });

  it('refuses floats and unknown rates', () => {
    expect(() => vatIncluded(1.5, 21)).toThrow(RangeError);
    expect(() => vatIncluded(100, 6 as VatRate)).toThrow(RangeError);
    expect(isVatRate(9)).toBe(true);
    expect(isVatRate(6)).toBe(false);
    expect(isVatRate('21')).toBe(false);
  });
});
