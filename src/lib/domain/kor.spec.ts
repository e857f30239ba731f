import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarYearOf,
  defaultVatRate,
  KOR_LIMIT_CENTS,
  KOR_WARNING_CENTS,
  korStanding,
  yearTurnover,
  type TurnoverSale,
} from './kor';

const SEED = { seed: 42, numRuns: 300 };
const at = (iso: string): number => Date.parse(iso);
const sale = (createdAt: number, totalCents: number, voided = false): TurnoverSale => ({
  createdAt,
  totalCents,
  status: voided ? 'voided' : 'completed',
});

describe('defaultVatRate (the rate a new product starts with)', () => {
  it('is none under the KOR', () => {
    expect(defaultVatRate({ kor: true })).toBe(0);
    expect(defaultVatRate({ kor: true, usualVatRate: 9 })).toBe(0);
  });
  it("is the maker's usual rate outside the KOR", () => {
    expect(defaultVatRate({ kor: false, usualVatRate: 9 })).toBe(9);
    expect(defaultVatRate({ kor: false, usualVatRate: 21 })).toBe(21);
  });
  it('is 21% when the question was skipped or no rate was named', () => {
    expect(defaultVatRate(undefined)).toBe(21);
    expect(defaultVatRate({})).toBe(21);
    expect(defaultVatRate({ kor: false })).toBe(21);
  });
});

describe('korStanding (against the EUR 20,000 limit)', () => {
  it('the limit is EUR 20,000.00 and the warning starts at 80%', () => {
    expect(KOR_LIMIT_CENTS).toBe(2_000_000);
    expect(KOR_WARNING_CENTS).toBe(1_600_000);
  });
  it.each([
    [0, 'below'],
    [1_599_999, 'below'],
    [1_600_000, 'near'],
    [1_999_999, 'near'],
    [2_000_000, 'near'],
    [2_000_001, 'passed'],
    [-500, 'below'],
  ] as const)('%i cents is %s', (cents, level) => {
    expect(korStanding(cents).level).toBe(level);
  });
  it('says what is left and the whole percent', () => {
    expect(korStanding(1_600_000)).toMatchObject({ leftCents: 400_000, percent: 80 });
    expect(korStanding(1_599_999)).toMatchObject({ leftCents: 400_001, percent: 79 });
    expect(korStanding(2_000_001)).toMatchObject({ leftCents: 0, percent: 100 });
    expect(korStanding(-500)).toMatchObject({ leftCents: 2_000_500, percent: 0 });
  });
  it('refuses an amount that is not integer cents', () => {
    expect(() => korStanding(1.5)).toThrow(RangeError);
    expect(() => korStanding(Number.NaN)).toThrow(RangeError);
  });
  it('is monotone: more turnover never lowers the level (property)', () => {
    const rank = { below: 0, near: 1, passed: 2 };
    fc.assert(
      fc.property(fc.integer({ min: -1e8, max: 1e8 }), fc.nat(1e7), (a, d) => {
        expect(rank[korStanding(a + d).level]).toBeGreaterThanOrEqual(rank[korStanding(a).level]);
      }),
      SEED,
    );
  });
});

describe('calendarYearOf (Europe/Amsterdam)', () => {
  it('31 December 23:30 local counts in that year', () => {
    // 23:30 CET is 22:30 UTC.
    expect(calendarYearOf(at('2026-12-31T22:30:00Z'))).toBe(2026);
  });
  it('1 January 00:30 local counts in the new year, though it is still the old year in UTC', () => {
    expect(calendarYearOf(at('2026-12-31T23:30:00Z'))).toBe(2027);
  });
  it('the exact local midnight starts the new year', () => {
    expect(calendarYearOf(at('2026-12-31T22:59:59.999Z'))).toBe(2026);
    expect(calendarYearOf(at('2026-12-31T23:00:00Z'))).toBe(2027);
  });
});

describe('yearTurnover (net turnover of a calendar year)', () => {
  it.each([1_599_999, 1_600_000, 1_999_999, 2_000_000, 2_000_001])(
    'adds the sales to the cent: %i',
    (cents) => {
      const sales = [
        sale(at('2026-03-01T10:00:00Z'), cents - 1000),
        sale(at('2026-07-01T10:00:00Z'), 1000),
      ];
      expect(yearTurnover({ sales }, 2026)).toBe(cents);
    },
  );
  it('counts a sale at 2026-12-31 23:30 Amsterdam in 2026 and one at 2027-01-01 00:30 in 2027', () => {
    const sales = [sale(at('2026-12-31T22:30:00Z'), 500), sale(at('2026-12-31T23:30:00Z'), 700)];
    expect(yearTurnover({ sales }, 2026)).toBe(500);
    expect(yearTurnover({ sales }, 2027)).toBe(700);
  });
  it('counts the local year, not the one of another time zone', () => {
    const sales = [sale(at('2026-12-31T23:30:00Z'), 700)];
    expect(yearTurnover({ sales }, 2026, 'UTC')).toBe(700);
    expect(yearTurnover({ sales }, 2026)).toBe(0);
  });
  it('leaves voided sales out', () => {
    const sales = [
      sale(at('2026-05-01T10:00:00Z'), 1000),
      sale(at('2026-05-01T11:00:00Z'), 2500, true),
    ];
    expect(yearTurnover({ sales }, 2026)).toBe(1000);
  });
  it('is net of refunds given in the year', () => {
    const sales = [sale(at('2026-05-01T10:00:00Z'), 2_000_100)];
    const refunds = [
      { createdAt: at('2026-05-02T10:00:00Z'), amountCents: 200 },
      { createdAt: at('2027-01-02T10:00:00Z'), amountCents: 999 },
    ];
    expect(yearTurnover({ sales, refunds }, 2026)).toBe(1_999_900);
    expect(korStanding(yearTurnover({ sales, refunds }, 2026)).level).toBe('near');
  });
  it('refuses amounts that are not integer cents', () => {
    expect(() => yearTurnover({ sales: [sale(0, 1.5)] }, 1970)).toThrow(RangeError);
    expect(() =>
      yearTurnover({ sales: [], refunds: [{ createdAt: 0, amountCents: Number.NaN }] }, 1970),
    ).toThrow(RangeError);
  });
  it('the years split the sales without loss (property)', () => {
    const instant = fc.integer({
      min: at('2025-06-01T00:00:00Z'),
      max: at('2027-06-01T00:00:00Z'),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ createdAt: instant, totalCents: fc.nat(100_000), voided: fc.boolean() }),
        ),
        (rows) => {
          const sales = rows.map((r) => sale(r.createdAt, r.totalCents, r.voided));
          const standing = rows.filter((r) => !r.voided).reduce((s, r) => s + r.totalCents, 0);
          const byYear = [2025, 2026, 2027].map((y) => yearTurnover({ sales }, y));
          expect(byYear.reduce((a, b) => a + b, 0)).toBe(standing);
        },
      ),
      SEED,
    );
  });
});
