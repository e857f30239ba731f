/**
 * The languages Kraam speaks, listed once. Everything that offers or formats a language (the
 * pickers, <html lang dir>, dates, money, a receipt in the customer's language) reads this
 * list; `project.inlang/settings.json` holds the same codes for Paraglide, and
 * tests/unit/messages.spec.ts checks that the two agree and that every message exists in
 * every language.
 */
export const LOCALES = ['nl', 'en', 'ar', 'ti', 'fa', 'uk', 'tr'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Each language named in itself, so anyone finds their own in a list. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  nl: 'Nederlands',
  en: 'English',
  ar: 'العربية',
  ti: 'ትግርኛ',
  fa: 'فارسی',
  uk: 'Українська',
  tr: 'Türkçe',
};

/** Arabic and Persian are written right to left; the others left to right. */
export const LOCALE_DIRECTIONS: Readonly<Record<Locale, 'ltr' | 'rtl'>> = {
  nl: 'ltr',
  en: 'ltr',
  ar: 'rtl',
  ti: 'ltr',
  fa: 'rtl',
  uk: 'ltr',
  tr: 'ltr',
};

/**
 * The Intl tag for dates and times in each language. Two rules hold for all of them:
 *   - the Gregorian calendar: an event is on a Dutch calendar day, the one on its poster.
 *     Plain 'fa' would give the Solar Hijri calendar ("15 آذر 1405") and plain 'ti' may give
 *     the Ethiopic one in some engines. (Browsers have no Tigrinya date data at all: Tigrinya
 *     dates are written by tigrinyaDate below.)
 *   - Western digits, as money has (src/lib/domain/money.ts): plain 'fa' would write
 *     Persian digits (۱۴۰۵), plain 'ar' Arabic-Indic ones in some engines.
 * Tigrinya is tagged for Eritrea, where most Tigrinya speakers in the Netherlands come from.
 */
export const DATE_LOCALE_TAGS: Readonly<Record<Locale, string>> = {
  nl: 'nl-NL',
  en: 'en-IE',
  ar: 'ar-u-nu-latn',
  ti: 'ti-ER-u-ca-gregory-nu-latn',
  fa: 'fa-u-ca-gregory-nu-latn',
  uk: 'uk-UA',
  tr: 'tr-TR',
};

/**
 * Tigrinya's names of the Gregorian months and weekdays (CLDR's, with the usual spelling
 * ግንቦት for May). Browsers ship no Tigrinya
 * date data (Chromium formats a 'ti' date as "2026 M12 6, Sun", its root fallback), so
 * Tigrinya dates are written with these names, in CLDR's Tigrinya order: "ሰን፣ 6 ታሕ 2026".
 */
const TIGRINYA_MONTHS_SHORT = [
  'ጥሪ',
  'ለካ',
  'መጋ',
  'ሚያ',
  'ግን',
  'ሰነ',
  'ሓም',
  'ነሓ',
  'መስ',
  'ጥቅ',
  'ሕዳ',
  'ታሕ',
] as const;
const TIGRINYA_MONTHS = [
  'ጥሪ',
  'ለካቲት',
  'መጋቢት',
  'ሚያዝያ',
  'ግንቦት',
  'ሰነ',
  'ሓምለ',
  'ነሓሰ',
  'መስከረም',
  'ጥቅምቲ',
  'ሕዳር',
  'ታሕሳስ',
] as const;
/** Sunday first, as Date.getUTCDay counts. */
const TIGRINYA_WEEKDAYS_SHORT = ['ሰን', 'ሰኑ', 'ሰሉ', 'ረቡ', 'ሓሙ', 'ዓር', 'ቀዳ'] as const;
const TIGRINYA_WEEKDAYS = ['ሰንበት', 'ሰኑይ', 'ሰሉስ', 'ረቡዕ', 'ሓሙስ', 'ዓርቢ', 'ቀዳም'] as const;

/**
 * A calendar day in Tigrinya: 'short' "ሰን፣ 6 ታሕ 2026", 'long' "ሰንበት፣ 6 ታሕሳስ 2026",
 * 'day-month' "6 ታሕሳስ". `month` counts from 1.
 */
export function tigrinyaDate(
  year: number,
  month: number,
  day: number,
  style: 'short' | 'long' | 'day-month',
): string {
  const weekday = new Date(Date.UTC(year, month - 1, day, 12)).getUTCDay();
  if (style === 'day-month') return `${day} ${TIGRINYA_MONTHS[month - 1] ?? month}`;
  const long = style === 'long';
  const weekdayName = (long ? TIGRINYA_WEEKDAYS : TIGRINYA_WEEKDAYS_SHORT)[weekday];
  const monthName = (long ? TIGRINYA_MONTHS : TIGRINYA_MONTHS_SHORT)[month - 1] ?? month;
  return `${weekdayName}፣ ${day} ${monthName} ${year}`;
}
