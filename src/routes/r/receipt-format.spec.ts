import { describe, expect, it } from 'vitest';
import { phoneLocale, receiptDateTime } from './receipt-format';

describe('receipt date and language', () => {
  it('writes the time in Dutch time, whatever the phone says', () => {
    // 13:05 UTC on 6 December is 14:05 in Amsterdam.
    const at = Date.UTC(2026, 11, 6, 13, 5);
    expect(receiptDateTime(at, 'nl')).toBe('zondag 6 december 2026 14:05');
    expect(receiptDateTime(at, 'ti')).toBe('ሰንበት፣ 6 ታሕሳስ 2026 14:05');
    expect(receiptDateTime(at, 'ar')).toContain('2026');
  });

  it('takes the phone language Kraam speaks, else Dutch', () => {
    expect(phoneLocale(['ar-EG', 'en'])).toBe('ar');
    expect(phoneLocale(['de-DE', 'TR'])).toBe('tr');
    expect(phoneLocale(['de-DE'])).toBe('nl');
    expect(phoneLocale([])).toBe('nl');
  });
});
