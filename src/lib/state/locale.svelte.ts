import { LOCALE_DIRECTIONS, LOCALES, type Locale } from '$lib/domain/locales';
import { getLocale, setLocale } from '$lib/paraglide/runtime';

/**
 * The UI language. Paraglide resolves it (cookie, then the browser's preferred languages,
 * then Dutch) and remembers a manual choice in its cookie. We switch without a reload so
 * that a cart in progress is never lost: the root layout re-renders its content when
 * `current` changes, and <html lang dir> is updated here.
 */
class LocaleState {
  current = $state<Locale>('nl');

  /** Reads Paraglide's locale and applies it to the document. Call once at start. */
  init(): void {
    this.current = getLocale();
    applyToDocument(this.current);
  }

  change(locale: Locale): void {
    if (locale === this.current) return;
    // The cookie strategy writes the choice so the next start (even offline) uses it.
    void setLocale(locale, { reload: false });
    this.current = locale;
    applyToDocument(locale);
  }
}

function applyToDocument(locale: Locale): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = locale;
  document.documentElement.dir = LOCALE_DIRECTIONS[locale];
}

export const availableLocales: readonly Locale[] = LOCALES;
export const localeState = new LocaleState();
