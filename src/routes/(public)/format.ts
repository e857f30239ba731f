// Formatting for the public pages (server-rendered in the visitor's language).
import { DATE_LOCALE_TAGS as TAGS, tigrinyaDate } from '$lib/domain/locales';
import type { Locale } from '$lib/domain/types';

/** "zaterdag 14 maart 2026" for a YYYY-MM-DD date (a calendar day, no time zone shift). */
export function longDate(date: string, locale: Locale): string {
  const [y, mo, d] = date.split('-').map(Number);
  if (locale === 'ti') return tigrinyaDate(y ?? 1970, mo ?? 1, d ?? 1, 'long');
  const at = Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1, 12);
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'full', timeZone: 'UTC' }).format(at);
}

/** A language's own name in the visitor's language ("ar" -> "Arabisch"); the code if unknown. */
export function languageName(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames([TAGS[locale]], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
