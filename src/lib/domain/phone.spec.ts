import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone';

describe('formatPhone: one way to show a number, however the maker typed it', () => {
  it.each([
    // Mobile numbers, typed in every way makers type them.
    ['0612345678', '06-12345678', '+31612345678'],
    ['06-12345678', '06-12345678', '+31612345678'],
    ['06 1234 5678', '06-12345678', '+31612345678'],
    ['+31 6 1234 5678', '06-12345678', '+31612345678'],
    ['+31612345678', '06-12345678', '+31612345678'],
    ['0031 (0)6 12345678', '06-12345678', '+31612345678'],
    // Landlines: a two-digit area code (Amsterdam 020) or a three-digit one (Goes 0113).
    ['020 123 4567', '020-123 4567', '+31201234567'],
    ['+31 (0)20 1234567', '020-123 4567', '+31201234567'],
    ['(0113) 123456', '0113-123456', '+31113123456'],
    ['088-1234567', '088-123 4567', '+31881234567'],
    // Free and paid service numbers have a four-digit prefix.
    ['0800 1234', '0800-1234', '+318001234'],
    ['0900-1234567', '0900-1234567', '+319001234567'],
  ])('Dutch %j is shown as %j and dialled as %j', (typed, text, e164) => {
    expect(formatPhone(typed)).toEqual({ text, e164 });
  });

  it.each([
    ['+49 151 12345678', '+49 15112345678', '+4915112345678'],
    ['0049 151 1234 5678', '+49 15112345678', '+4915112345678'],
    ['+1 (212) 555-0100', '+1 2125550100', '+12125550100'],
    ['+380 44 123 4567', '+380 441234567', '+380441234567'],
    ['+90 212 123 45 67', '+90 2121234567', '+902121234567'],
    ['+291 1 123456', '+291 1123456', '+2911123456'],
  ])('a foreign number %j is shown with its country code apart: %j', (typed, text, e164) => {
    expect(formatPhone(typed)).toEqual({ text, e164 });
  });

  it('a number without a country code or trunk 0 is shown compact, without a guessed E.164 form', () => {
    expect(formatPhone('12 34 56 78')).toEqual({ text: '12345678', e164: null });
  });

  it('refuses what is not a phone number', () => {
    for (const bad of ['', 'call me', '06 12a45678', '1234567', 'javascript:alert(1)']) {
      expect(formatPhone(bad)).toBeNull();
    }
  });

  it('the same number typed two ways looks the same, and its E.164 form is + and digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^6\d{8}$/), (nsn) => {
        const national = formatPhone(`0${nsn.slice(0, 1)} ${nsn.slice(1)}`);
        const international = formatPhone(`+31 ${nsn}`);
        expect(national).toEqual(international);
        expect(national?.e164).toMatch(/^\+31\d{9}$/);
      }),
      { seed: 10, numRuns: 200 },
    );
  });
});
