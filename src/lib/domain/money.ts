/**
 * Money is integer euro cents everywhere (`Cents`); floats never hold an amount. This
 * module formats cents for people and parses what people type back into cents.
 *
 * Locales for formatting (decided once, here):
 *   - nl -> 'nl-NL': "€ 3,50", the Dutch convention the market uses.
 *   - en -> 'en-IE': English in a euro country, "€3.50". ('en-NL' gives the same digits but
 *     is missing from some engines' locale data; 'en-GB' is a pound locale.)
 *   - ar -> 'ar' with numberingSystem 'latn' explicitly: "‏3.50 €". The till is read by
 *     the maker and a customer at the same time, at a Dutch market, paid with euro notes
 *     and coins that carry Western digits; many Arabic speakers in the Netherlands
 *     (Moroccan, Algerian, Tunisian) use Western digits day to day anyway. Engines also
 *     disagree on the default digits for plain 'ar' (CLDR changed it), so the numbering
 *     system is pinned rather than left to the browser. The text direction of the page
 *     stays RTL; Intl adds the bidi mark that keeps the amount intact inside it.
 *   - fa -> 'fa', uk -> 'uk-UA', tr -> 'tr-TR', with Western digits for the same reason as
 *     Arabic (Persian would otherwise write ۳٫۵۰), and always the '€' sign.
 *   - ti -> 'en-IE': Tigrinya writes euros as English does ("€3.50", CLDR), but browsers ship
 *     no Tigrinya number data and Chromium would fall back to the device's own language
 *     ("€ 3,50" on a Dutch phone), so the identical English pattern is named.
 * Input is the other way round: parseMoneyInput accepts Arabic-Indic digits too, because a
 * maker on an Arabic keyboard will type them.
 */
import type { Cents, Locale } from './types';

/** Largest amount a person may enter: one million euros. Beyond that it is a typo. */
export const MAX_MONEY_CENTS: Cents = 100_000_000;

export const MONEY_LOCALE_TAGS: Readonly<Record<Locale, string>> = {
  nl: 'nl-NL',
  en: 'en-IE',
  ar: 'ar',
  ti: 'en-IE',
  fa: 'fa',
  uk: 'uk-UA',
  tr: 'tr-TR',
};

/**
 * How each language writes euros, as `Intl.NumberFormat(MONEY_LOCALE_TAGS[locale], { style:
 * 'currency', currency: 'EUR', numberingSystem: 'latn', currencyDisplay: 'narrowSymbol' })`
 * writes them (CLDR's patterns): text before and after the digits, for amounts of zero and up
 * and for negative ones, the grouping separator (every three digits) and the decimal one.
 * Written out here rather than asked of Intl: the first `Intl.NumberFormat` of a page loads
 * the engine's locale data, 16-20 ms of the main thread inside the till's first paint on a
 * cold start (issue 11, docs/benchmarks.md). money.spec.ts proves every language equal to
 * Intl over a wide range of cents; tests/e2e/till-paint.e2e.ts does so in the browser.
 */
interface EuroFormat {
  readonly before: string;
  readonly after: string;
  readonly negativeBefore: string;
  readonly negativeAfter: string;
  readonly group: string;
  readonly decimal: ',' | '.';
}

const NBSP = '\u00a0';
const ENGLISH: EuroFormat = {
  before: '€',
  after: '',
  negativeBefore: '-€',
  negativeAfter: '',
  group: ',',
  decimal: '.',
};

export const EURO_FORMATS: Readonly<Record<Locale, EuroFormat>> = {
  nl: {
    before: `€${NBSP}`,
    after: '',
    negativeBefore: `€${NBSP}-`,
    negativeAfter: '',
    group: '.',
    decimal: ',',
  },
  en: ENGLISH,
  // Right-to-left mark first; a negative amount also a left-to-right mark before its minus.
  ar: {
    before: '\u200f',
    after: `${NBSP}€`,
    negativeBefore: '\u200f\u200e-',
    negativeAfter: `${NBSP}€`,
    group: ',',
    decimal: '.',
  },
  ti: ENGLISH,
  // Left-to-right marks, and the minus sign (U+2212) for a negative amount.
  fa: {
    before: `\u200e€${NBSP}`,
    after: '',
    negativeBefore: `\u200e\u2212\u200e€${NBSP}`,
    negativeAfter: '',
    group: ',',
    decimal: '.',
  },
  uk: {
    before: '',
    after: `${NBSP}€`,
    negativeBefore: '-',
    negativeAfter: `${NBSP}€`,
    group: NBSP,
    decimal: ',',
  },
  tr: {
    before: '€',
    after: '',
    negativeBefore: '-€',
    negativeAfter: '',
    group: '.',
    decimal: ',',
  },
};

export function isCents(n: unknown): n is Cents {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** Throws RangeError unless `n` is a safe integer: a float reaching here is a bug upstream. */
export function assertCents(n: unknown, what = 'amount'): asserts n is Cents {
  if (!isCents(n)) throw new RangeError(`${what} must be integer cents, got ${String(n)}`);
}

/** Sum of cents; throws RangeError on a non-integer input or an unsafe result. */
export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) {
    assertCents(value);
    total += value;
  }
  assertCents(total, 'sum');
  return total;
}

/**
 * Cents as a plain decimal string with a dot and two decimals ("-12.05"): exact, for CSV
 * exports and for feeding Intl without ever building a float.
 */
export function centsToDecimalString(cents: Cents): string {
  assertCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = abs % 100;
  return `${sign}${euros}.${String(rest).padStart(2, '0')}`;
}

/** "€ 3,50" (nl), "€3.50" (en), "‏3.50 €" (ar). Throws RangeError for non-integer cents. */
export function formatMoney(cents: Cents, locale: Locale): string {
  const format = EURO_FORMATS[locale];
  // Digits from the integer, never through a float (centsToDecimalString also checks cents).
  const [euros = '0', rest = '00'] = centsToDecimalString(Math.abs(cents)).split('.');
  let grouped = euros.slice(0, ((euros.length - 1) % 3) + 1);
  for (let i = grouped.length; i < euros.length; i += 3) {
    grouped += format.group + euros.slice(i, i + 3);
  }
  const digits = `${grouped}${format.decimal}${rest}`;
  return cents < 0
    ? `${format.negativeBefore}${digits}${format.negativeAfter}`
    : `${format.before}${digits}${format.after}`;
}

/**
 * The decimal separator amounts are shown with in a language (',' in Dutch, '.' in English),
 * for the till's keypad; typing accepts both.
 */
export function decimalSeparator(locale: Locale): ',' | '.' {
  return EURO_FORMATS[locale].decimal;
}

const ARABIC_INDIC_ZERO = 0x0660; // ٠ .. ٩
const EXTENDED_ARABIC_INDIC_ZERO = 0x06f0; // ۰ .. ۹ (Persian/Urdu keyboards)

/**
 * Replaces Arabic-Indic and extended Arabic-Indic digits with ASCII digits, the Arabic
 * decimal separator (٫) with '.', the Arabic comma (،) with ',' and the Arabic percent sign
 * (٪) with '%', and drops bidi control marks that copy-paste carries. The thousands
 * separator (٬) stays, so "۱٬۲۳۴" is refused rather than read as 1.234.
 */
export function normalizeDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= ARABIC_INDIC_ZERO && code <= ARABIC_INDIC_ZERO + 9) {
      out += String(code - ARABIC_INDIC_ZERO);
    } else if (code >= EXTENDED_ARABIC_INDIC_ZERO && code <= EXTENDED_ARABIC_INDIC_ZERO + 9) {
      out += String(code - EXTENDED_ARABIC_INDIC_ZERO);
    } else if (ch === '\u066b') {
      out += '.';
    } else if (ch === '\u060c') {
      // '،': the comma key of an Arabic or Persian keyboard, so "3,50" typed there.
      out += ',';
    } else if (ch === '\u066a') {
      out += '%'; // '٪', the Arabic percent sign
    } else if (/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/.test(ch)) {
      // bidi marks: invisible, never meaningful in an amount
    } else {
      out += ch;
    }
  }
  return out;
}

export type MoneyInputError =
  'empty' | 'not-a-number' | 'negative' | 'too-many-decimals' | 'too-large';
export type MoneyInputResult = { ok: true; cents: Cents } | { ok: false; error: MoneyInputError };

// Optional minus (ASCII or U+2212), optional euro sign or "EUR" on either side, digits with
// at most ONE decimal separator (',' or '.'). No thousands separators: "1.234" would be
// ambiguous between Dutch thousands and English decimals, and prices at a stall are small.
const MONEY_PATTERN =
  /^([-\u2212])?\s*(?:€|eur)?\s*([-\u2212])?\s*(\d*)(?:[.,](\d*))?\s*(?:€|eur)?$/i;

/**
 * Parses a typed amount into cents. Accepts "3", "3,50", "3.50", "€ 3,5", " 12,00 ",
 * "3,50 €", ",5", "3," and Arabic-Indic digits ("٣٫٥٠"). Errors, checked in this order:
 * empty -> not-a-number -> negative -> too-many-decimals -> too-large (> MAX_MONEY_CENTS).
 */
export function parseMoneyInput(text: string): MoneyInputResult {
  const normalized = normalizeDigits(text).trim();
  if (normalized.replace(/€|eur/gi, '').trim() === '') return { ok: false, error: 'empty' };
  const match = MONEY_PATTERN.exec(normalized);
  if (!match) return { ok: false, error: 'not-a-number' };
  const [, signBefore, signAfter, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return { ok: false, error: 'not-a-number' };
  if (signBefore && signAfter) return { ok: false, error: 'not-a-number' };
  if (signBefore || signAfter) return { ok: false, error: 'negative' };
  if (fraction.length > 2) return { ok: false, error: 'too-many-decimals' };
  const wholeDigits = whole.replace(/^0+/, '');
  // Compare by length first so a 40-digit input never goes through a lossy Number.
  if (wholeDigits.length > String(MAX_MONEY_CENTS / 100).length) {
    return { ok: false, error: 'too-large' };
  }
  const cents = Number(wholeDigits || '0') * 100 + Number(fraction.padEnd(2, '0'));
  if (cents > MAX_MONEY_CENTS) return { ok: false, error: 'too-large' };
  return { ok: true, cents };
}
