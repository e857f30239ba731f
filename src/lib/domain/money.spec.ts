import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_MONEY_CENTS,
  MONEY_LOCALE_TAGS,
  assertCents,
  centsToDecimalString,
  decimalSeparator,
  formatMoney,
  isCents,
  normalizeDigits,
  parseMoneyInput,
  sumCents,
} from './money';
import { LOCALES } from './locales';
import type { Locale } from './types';

const SEED = { seed: 42, numRuns: 500 };
const cents = fc.integer({ min: 0, max: MAX_MONEY_CENTS });
const toArabicIndic = (s: string) =>
  s.replace(/\d/g, (d) => String.fromCodePoint(0x0660 + Number(d))).replace('.', '\u066b');
/** Strip bidi marks and spaces so assertions do not depend on invisible characters. */
const visible = (s: string) => s.replace(/[\u200e\u200f\u061c\s]/g, ' ').trim();

describe('formatMoney', () => {
  it('formats Dutch, English and Arabic (Western digits, pinned) with the euro sign', () => {
    expect(visible(formatMoney(350, 'nl'))).toBe('€ 3,50');
    expect(visible(formatMoney(123456, 'nl'))).toBe('€ 1.234,56');
    expect(visible(formatMoney(350, 'en'))).toBe('€3.50');
    expect(visible(formatMoney(123456, 'en'))).toBe('€1,234.56');
    expect(visible(formatMoney(350, 'ar'))).toBe('3.50 €');
    expect(formatMoney(350, 'ar')).not.toMatch(/[\u0660-\u0669]/);
    expect(visible(formatMoney(5, 'nl'))).toBe('€ 0,05');
    expect(visible(formatMoney(0, 'nl'))).toBe('€ 0,00');
    expect(visible(formatMoney(-1205, 'nl'))).toBe('€ -12,05');
  });

  it('formats Tigrinya, Persian, Ukrainian and Turkish with Western digits and the euro sign', () => {
    expect(visible(formatMoney(123456, 'ti'))).toBe('€1,234.56');
    expect(visible(formatMoney(123456, 'fa'))).toBe('€ 1,234.56');
    expect(visible(formatMoney(123456, 'uk'))).toBe('1 234,56 €');
    expect(visible(formatMoney(123456, 'tr'))).toBe('€1.234,56');
    for (const locale of ['ti', 'fa', 'uk', 'tr'] as const) {
      // Persian would otherwise write ۱٬۲۳۴٫۵۶; Ukrainian's own sign for the euro is "EUR".
      expect(formatMoney(350, locale)).not.toMatch(/[\u0660-\u0669\u06f0-\u06f9]|EUR/);
    }
  });

  it('property: the digits shown are exactly the cents (no float drift)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_MONEY_CENTS * 100, max: MAX_MONEY_CENTS * 100 }), (c) => {
        for (const locale of LOCALES) {
          const digits = formatMoney(c, locale).replace(/\D/g, '');
          expect(Number(digits)).toBe(Math.abs(c));
          expect(/[-\u2212]/.test(formatMoney(c, locale))).toBe(c < 0);
        }
      }),
      SEED,
    );
  });

  // The formats are written out in money.ts (EURO_FORMATS) instead of asked of Intl, whose
  // first use costs the till's cold start its locale data (issue 11): every language must
  // stay what Intl writes, character for character (bidi marks, no-break spaces, minus).
  const intlFormat = (locale: Locale) =>
    new Intl.NumberFormat(MONEY_LOCALE_TAGS[locale], {
      style: 'currency',
      currency: 'EUR',
      numberingSystem: 'latn',
      currencyDisplay: 'narrowSymbol',
    });

  it('property: every language writes every amount exactly as Intl.NumberFormat does', () => {
    const formats = LOCALES.map((locale) => [locale, intlFormat(locale)] as const);
    const amounts = fc.oneof(
      fc.integer({ min: -MAX_MONEY_CENTS, max: MAX_MONEY_CENTS }),
      fc.integer({ min: -99_999, max: 99_999 }),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(amounts, (c) => {
        for (const [locale, intl] of formats) {
          expect(formatMoney(c, locale)).toBe(intl.format(centsToDecimalString(c) as `${number}`));
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
    // Every length of digits and both signs around the grouping, zero included.
    for (let digits = 1; digits <= 16; digits += 1) {
      const c = Number('9'.repeat(digits));
      for (const amount of [c, -c, 10 ** (digits - 1), -(10 ** (digits - 1)), 0]) {
        if (!Number.isSafeInteger(amount)) continue;
        for (const [locale, intl] of formats) {
          expect(formatMoney(amount, locale)).toBe(
            intl.format(centsToDecimalString(amount) as `${number}`),
          );
        }
      }
    }
  });

  it('the keypad’s decimal separator is the one Intl writes in every language', () => {
    for (const locale of LOCALES) {
      const part = intlFormat(locale)
        .formatToParts(1.5)
        .find((p) => p.type === 'decimal');
      expect(decimalSeparator(locale)).toBe(part?.value);
    }
  });

  it('refuses non-integer cents', () => {
    expect(() => formatMoney(3.5, 'nl')).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN, 'en')).toThrow(RangeError);
  });
});

describe('parseMoneyInput', () => {
  it.each([
    ['3', 300],
    ['3,50', 350],
    ['3.50', 350],
    ['€ 3,5', 350],
    ['€3.5', 350],
    [' 12,00 ', 1200],
    ['3,50 €', 350],
    ['EUR 4', 400],
    [',5', 50],
    ['3,', 300],
    ['0', 0],
    ['007,05', 705],
    ['٣٫٥٠', 350],
    ['۱۲,۵', 1250],
    ['\u200f3.50\u00a0€', 350],
    ['1000000', MAX_MONEY_CENTS],
  ])('accepts %j as %i cents', (text, expected) => {
    expect(parseMoneyInput(text)).toEqual({ ok: true, cents: expected });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['€', 'empty'],
    ['abc', 'not-a-number'],
    ['.', 'not-a-number'],
    ['1.2.3', 'not-a-number'],
    ['1.234,50', 'not-a-number'],
    ['12 50', 'not-a-number'],
    ['3e2', 'not-a-number'],
    ['+3', 'not-a-number'],
    ['--1', 'not-a-number'],
    ['-1', 'negative'],
    ['−2,50', 'negative'],
    ['€ -3', 'negative'],
    ['1,234', 'too-many-decimals'],
    ['0.001', 'too-many-decimals'],
    ['1000000,01', 'too-large'],
    ['99999999999999999999999', 'too-large'],
  ])('rejects %j as %s', (text, error) => {
    expect(parseMoneyInput(text)).toEqual({ ok: false, error });
  });

  it('property: every amount up to the limit round-trips through "12.34", "12,34" and Arabic digits', () => {
    fc.assert(
      fc.property(cents, (c) => {
        const dot = centsToDecimalString(c);
        expect(parseMoneyInput(dot)).toEqual({ ok: true, cents: c });
        expect(parseMoneyInput(dot.replace('.', ','))).toEqual({ ok: true, cents: c });
        expect(parseMoneyInput(toArabicIndic(dot))).toEqual({ ok: true, cents: c });
      }),
      SEED,
    );
  });

  it('property: anything above one million euros is too large', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_MONEY_CENTS + 1, max: Number.MAX_SAFE_INTEGER }), (c) => {
        expect(parseMoneyInput(centsToDecimalString(c))).toEqual({ ok: false, error: 'too-large' });
      }),
      SEED,
    );
  });
});

describe('cents helpers', () => {
  it('isCents / assertCents accept safe integers only', () => {
    expect(isCents(0)).toBe(true);
    expect(isCents(-5)).toBe(true);
    expect(isCents(0.1)).toBe(false);
    expect(isCents(2 ** 53)).toBe(false);
    expect(isCents('5')).toBe(false);
    expect(() => assertCents(1.5)).toThrow(RangeError);
    expect(() => assertCents(150)).not.toThrow();
  });

  it('sumCents adds exactly and refuses floats', () => {
    expect(sumCents([])).toBe(0);
    expect(sumCents([10, 20, -5])).toBe(25);
    expect(() => sumCents([10, 0.1])).toThrow(RangeError);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it('centsToDecimalString is exact for negatives and small amounts', () => {
    expect(centsToDecimalString(5)).toBe('0.05');
    expect(centsToDecimalString(-5)).toBe('-0.05');
    expect(centsToDecimalString(-0)).toBe('0.00');
    expect(centsToDecimalString(123456)).toBe('1234.56');
  });

  it('reads what an Arabic or Persian keyboard types: its comma and percent sign too', () => {
    // The comma key of an Arabic or Persian keyboard types '،', so "3,50" typed there is "٣،٥٠".
    expect(parseMoneyInput('٣،٥٠')).toEqual({ ok: true, cents: 350 });
    expect(parseMoneyInput('۱۲٫۵')).toEqual({ ok: true, cents: 1250 });
    expect(parseMoneyInput('۳،۵')).toEqual({ ok: true, cents: 350 });
    expect(normalizeDigits('۱۰٪')).toBe('10%');
    // Persian's thousands separator is not a decimal point: refused, never misread.
    expect(parseMoneyInput('۱٬۲۳۴')).toEqual({ ok: false, error: 'not-a-number' });
  });

  it('normalizeDigits maps both Arabic digit sets and the Arabic decimal separator', () => {
    expect(normalizeDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeDigits('٣٫٥')).toBe('3.5');
  });
});

describe('decimalSeparator', () => {
  it('a comma in Dutch, a point in English and Arabic (Western digits, like the amounts)', () => {
    expect(decimalSeparator('nl')).toBe(',');
    expect(decimalSeparator('en')).toBe('.');
    expect(decimalSeparator('ar')).toBe(formatMoney(150, 'ar').includes(',') ? ',' : '.');
  });
});
