// Runs in the browser before any page module is loaded.
import { readFirstPaintEarly } from '$lib/db/first-paint';
import { messagesNeededFirst } from '$lib/i18n/first-load';
import { loadLocaleMessages } from '$lib/i18n/locale-messages';
import { getLocale } from '$lib/paraglide/runtime';

// Zod compiles fast parsers with `new Function` when eval is allowed, and probes for that
// when a schema is made. The Content-Security-Policy (svelte.config.js) forbids eval, so the
// probe would only be reported as a violation: parse without it from the start. Zod reads
// its settings from this global object when it loads (zod/v4/core `globalConfig`, what
// `z.config()` writes), so it is set here without importing zod: zod is not part of the
// JavaScript the till needs before it runs (it arrives later, with sync and payments).
const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };

/**
 * Before the first page renders: the messages of the device's language that this screen
 * needs, when it is not the base language (src/lib/i18n/locale-messages.ts; Dutch is always
 * in the page's own code). On the till only its own and the shell's; the rest follows when
 * the browser is idle (and before another screen or a till dialog shows).
 */
export async function init(): Promise<void> {
  // A cold start on the till: its first paint's read of the device begins now, beside the
  // rest of the app's start (src/lib/db/first-paint.ts, issue 11).
  if (location.pathname === '/till') readFirstPaintEarly();
  const locale = getLocale();
  const part = messagesNeededFirst(location.pathname);
  await loadLocaleMessages(locale, part);
  if (part === 'all') return;
  const rest = () => void loadLocaleMessages(locale);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(rest, { timeout: 1000 });
  else setTimeout(rest, 200);
}
