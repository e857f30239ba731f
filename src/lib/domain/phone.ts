/**
 * A phone number as a visitor sees it and dials it, the same however the maker typed it
 * ("0612345678", "+31 6 1234 5678" and "0031 (0)6 ..." are one number).
 *
 * - Dutch numbers (+31, or a national number with the trunk 0; Kraam's bazaars are in the
 *   Netherlands) are shown the Dutch way: mobile "06-12345678", a two-digit area code
 *   "020-123 4567", a three-digit one "0113-123456", service numbers "0800-1234".
 * - Foreign numbers are shown as "+49 15112345678": the country code apart (ITU-T E.164
 *   code lengths by zone, below), the rest as digits.
 * - `e164` is the form for a tel: link ("+31612345678"), or null when the number has neither
 *   a country code nor a trunk 0 and so cannot be placed in a country.
 *
 * Which inputs are phone numbers at all is `normalisePhone`'s rule, below; the maker's
 * profile (organiser/maker-profile.ts) validates and stores numbers with it.
 */

export interface FormattedPhone {
  text: string;
  e164: string | null;
}

/** Dutch area and network codes (after the trunk 0) with two digits; the others have three. */
const DUTCH_TWO_DIGIT_CODES = new Set(
  (
    '10 13 15 20 23 24 26 30 33 35 36 38 40 43 45 46 50 53 55 58 70 71 72 73 74 75 76 77 78 ' +
    '79 84 85 87 88 91'
  ).split(' '),
);

/** Country codes with two digits, by zone (zones 1 and 7 have one digit; the rest three). */
const TWO_DIGIT_COUNTRY_CODES = new Set(
  (
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 ' +
    '62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'
  ).split(' '),
);

export function normalisePhone(raw: string): string | null {
  if (!/^(\+|00)?[\d\s().-]+$/.test(raw)) return null;
  const international = raw.startsWith('+') || raw.startsWith('00');
  // "+31 (0)70 ...": the bracketed trunk 0 is dialled only inside the country, so an
  // international number drops it.
  const body = international ? raw.replace(/\(\s*0\s*\)/, '') : raw;
  const digits = body.replace(/^(\+|00)/, '').replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return null;
  return international ? `+${digits}` : digits;
}

function countryCodeLength(digits: string): number {
  if (digits.startsWith('1') || digits.startsWith('7')) return 1;
  return TWO_DIGIT_COUNTRY_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

/** A Dutch national significant number (without 0 or +31) the Dutch way, or null. */
function dutchNational(nsn: string): string | null {
  if (/^(800|900|906|909)\d{4,7}$/.test(nsn)) return `0${nsn.slice(0, 3)}-${nsn.slice(3)}`;
  if (nsn.length !== 9) return null;
  if (nsn.startsWith('6')) return `06-${nsn.slice(1)}`;
  if (DUTCH_TWO_DIGIT_CODES.has(nsn.slice(0, 2))) {
    return `0${nsn.slice(0, 2)}-${nsn.slice(2, 5)} ${nsn.slice(5)}`;
  }
  return `0${nsn.slice(0, 3)}-${nsn.slice(3)}`;
}

export function formatPhone(raw: string): FormattedPhone | null {
  const compact = normalisePhone(raw.trim());
  if (compact === null) return null;
  if (compact.startsWith('+')) {
    const digits = compact.slice(1);
    if (digits.startsWith('31')) {
      const dutch = dutchNational(digits.slice(2));
      if (dutch) return { text: dutch, e164: compact };
    }
    const cc = countryCodeLength(digits);
    return { text: `+${digits.slice(0, cc)} ${digits.slice(cc)}`, e164: compact };
  }
  if (compact.startsWith('0')) {
    const nsn = compact.slice(1);
    const dutch = dutchNational(nsn);
    if (dutch) return { text: dutch, e164: `+31${nsn}` };
  }
  return { text: compact, e164: null };
}
