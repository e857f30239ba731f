import {
  DATE_LOCALE_TAGS,
  isLocale,
  LOCALES,
  tigrinyaDate,
  type Locale,
} from '$lib/domain/locales';

/**
 * A receipt's date and time, as the market's clock showed them: in Dutch time
 * (Europe/Amsterdam) whatever the customer's phone is set to, in the receipt's language
 * (Gregorian, Western digits: src/lib/domain/locales.ts).
 */
const ZONE = 'Europe/Amsterdam';

export function receiptDateTime(epochMs: number, locale: Locale): string {
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: ZONE,
  }).format(epochMs);
  if (locale === 'ti') {
    const parts = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      timeZone: ZONE,
    }).formatToParts(epochMs);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return `${tigrinyaDate(part('year'), part('month'), part('day'), 'long')} ${time}`;
  }
  const date = new Intl.DateTimeFormat(DATE_LOCALE_TAGS[locale], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: ZONE,
  }).format(epochMs);
  return `${date} ${time}`;
}

/** The phone's language when Kraam speaks it (by its primary subtag), else Dutch. */
export function phoneLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return LOCALES[0];
}
