import { describe, expect, it } from 'vitest';
import { LOCALES } from '$lib/domain/locales';
import { formatDate, formatTime } from './format';

// Persian (extended Arabic-Indic) and Arabic-Indic digits: the app writes Western ones.
const EASTERN_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/;

describe('dates and times in every language', () => {
  it('the Gregorian date of the event, with Western digits, in each language', () => {
    const shown = Object.fromEntries(LOCALES.map((l) => [l, formatDate('2026-12-06', l)]));
    for (const locale of LOCALES) {
      expect(shown[locale], locale).toContain('2026');
      expect(shown[locale], locale).toMatch(/\b6\b/);
      expect(shown[locale], locale).not.toMatch(EASTERN_DIGITS);
    }
    // Plain 'fa' would give the Solar Hijri date, "۱۵ آذر ۱۴۰۵".
    expect(shown.fa).toContain('دسامبر');
    expect(shown.ti).toMatch(/[\u1200-\u137F]/);
    expect(shown.uk).toMatch(/груд/);
    expect(shown.tr).toMatch(/Ara/);
  });

  it("Tigrinya dates are written with Tigrinya names, whatever the browser's date data", () => {
    // Chromium has no Tigrinya date data and would show "2026 M12 6, Sun".
    expect(formatDate('2026-12-06', 'ti')).toBe('ሰን፣ 6 ታሕ 2026');
    expect(formatDate('2026-05-01', 'ti')).toBe('ዓር፣ 1 ግን 2026');
    expect(formatDate('not-a-date', 'ti')).toBe('not-a-date');
  });

  it('times are 24-hour with Western digits in each language', () => {
    const at = new Date(2026, 11, 6, 14, 5).getTime();
    for (const locale of LOCALES) {
      expect(formatTime(at, locale).replace(/[\u200e\u200f\u061c]/g, ''), locale).toBe('14:05');
    }
  });
});
