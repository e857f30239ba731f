/**
 * Loads the messages of one language, when they are not in the page's code yet.
 *
 * In the browser build the compiled messages are split by language
 * (`splitLocaleMessages` in src/lib/i18n/split-messages.ts, wired in vite.config.ts): the
 * base language (Dutch) stays in each message's module, so a page carries only the Dutch
 * texts it uses; every other language is two modules of its own, fetched here: before the
 * first render (src/hooks.client.ts), before a switch to it (src/lib/state/locale.svelte.ts)
 * and before another screen shows (src/routes/+layout.svelte). `part = 'first'` loads only
 * the messages of the till and the app's shell (`isFirstLoadMessage`), what a till in that
 * language needs before its first render; the default loads them all. The service worker precaches them all, so a switch works
 * offline too. The build replaces this module's body with the real loader; on the server, in
 * development and in unit tests every language is in each message's module already and
 * there is nothing to load.
 */
export async function loadLocaleMessages(
  locale: string,
  part: 'first' | 'all' = 'all',
): Promise<void> {
  void locale;
  void part;
}
