/**
 * Loads the messages of one language, when they are not in the page's code yet.
 *
 * In the browser build the compiled messages are split by language
 * (`splitLocaleMessages` in src/lib/i18n/split-messages.ts, wired in vite.config.ts): the
 * base language (Dutch) stays in each message's module, so a page carries only the Dutch
 * texts it uses; every other language is one module of its own, fetched here before the
 * first render (src/hooks.client.ts) and before a switch to it
 * (src/lib/state/locale.svelte.ts). The service worker precaches them all, so a switch works
 * offline too. The build replaces this module's body with the real loader; on the server, in
 * development and in unit tests every language is in each message's module already and
 * there is nothing to load.
 */
export async function loadLocaleMessages(locale: string): Promise<void> {
  void locale;
}
