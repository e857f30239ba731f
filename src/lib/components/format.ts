import { formatMoney } from '$lib/domain/money';
import { DATE_LOCALE_TAGS, tigrinyaDate } from '$lib/domain/locales';
import { receiptLabel } from '$lib/domain/device-code';
import type { Cents, Locale } from '$lib/domain/types';

/**
 * Display formatting for dates and times, per UI language (the tags and why: see
 * src/lib/domain/locales.ts): Gregorian dates with Western digits in every language, like
 * money (src/lib/domain/money.ts: the market counts euro coins and notes).
 */

const timeFormats = new Map<Locale, Intl.DateTimeFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

function cached(
  map: Map<Locale, Intl.DateTimeFormat>,
  locale: Locale,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = map.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(DATE_LOCALE_TAGS[locale], options);
    map.set(locale, format);
  }
  return format;
}

export function money(cents: Cents, locale: Locale): string {
  return formatMoney(cents, locale);
}

/** "14:05" */
export function formatTime(epochMs: number, locale: Locale): string {
  return cached(timeFormats, locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(
    epochMs,
  );
}

/** A calendar date 'YYYY-MM-DD' as "za 14 jun 2025". Invalid input is shown as it is. */
export function formatDate(isoDate: string, locale: Locale): string {
  const [y, mo, d] = isoDate.split('-').map(Number);
  if (!y || !mo || !d) return isoDate;
  if (locale === 'ti') return tigrinyaDate(y, mo, d, 'short');
  // Noon UTC, formatted in UTC: the calendar day never shifts with the device's time zone.
  return cached(dateFormats, locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(y, mo - 1, d, 12));
}

const monthFormats = new Map<Locale, Intl.DateTimeFormat>();

/**
 * A month 'YYYY-MM' as "mei 2026" ("05/2026" in Tigrinya, whose calendar dates are written
 * by tigrinyaDate). Invalid input is shown as it is.
 */
export function formatMonth(month: string, locale: Locale): string {
  const [y, mo] = month.split('-').map(Number);
  if (!y || !mo || mo > 12) return month;
  if (locale === 'ti') return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
  return cached(monthFormats, locale, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(y, mo - 1, 15, 12));
}

/** The hour of an hour key 'YYYY-MM-DDTHH' as "14:00". */
export function formatHourKey(hourKey: string): string {
  return `${hourKey.slice(11, 13)}:00`;
}

/**
 * A receipt number as shown: "A-7" with the device's code (src/lib/domain/device-code.ts),
 * "7" before the device has one. The coded form is isolated left to right, so right-to-left
 * text never shows it as "7-A".
 */
export function receiptText(receiptNumber: number, code: string | null | undefined): string {
  const label = receiptLabel(receiptNumber, code);
  return code ? `\u2066${label}\u2069` : label;
}
