import { browser } from '$app/environment';
import { LOCALE_DIRECTIONS, LOCALES, type Locale } from '$lib/domain/locales';
import { loadLocaleMessages } from '$lib/i18n/locale-messages';
import { getLocale, overwriteGetLocale, setLocale } from '$lib/paraglide/runtime';

/**
 * The UI language. Paraglide resolves it (cookie, then the browser's preferred languages,
 * then Dutch) and remembers a manual choice in its cookie.
 *
 * Switching is instant and loses nothing: in the browser every message reads the language
 * from `current` (Paraglide's getLocale is pointed at it), so a change re-renders only the
 * texts that depend on it. Nothing is re-mounted: no screen reloads its data from the
 * device store or flashes "loading", the cart, an open dialog, the focus and the scroll
 * position all stay. (It used to re-mount the whole app under a {#key}; with a till full of
 * products and photos that took over a second on a phone.) On the server each request keeps
 * Paraglide's own per-request locale.
 */
class LocaleState {
  current = $state<Locale>('nl');

  /** Reads Paraglide's locale and applies it to the document. Call once at start. */
  init(): void {
    this.current = getLocale();
    if (browser) overwriteGetLocale(() => this.current);
    applyToDocument(this.current);
  }

  /** The language chosen last: a slower load of an earlier choice does not win over it. */
  #wanted: Locale | null = null;

  /**
   * Switches the language. Its messages are loaded first when they are not in the page's
   * code yet (src/lib/i18n/locale-messages.ts; precached, so offline too), then every text
   * changes at once.
   */
  async change(locale: Locale): Promise<void> {
    this.#wanted = locale;
    if (locale === this.current) return;
    await loadLocaleMessages(locale);
    if (this.#wanted !== locale) return;
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
