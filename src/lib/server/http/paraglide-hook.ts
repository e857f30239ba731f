import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getTextDirection } from '$lib/paraglide/runtime';

/**
 * The sync routes (src/routes/api/sync): push, pull and a photo. Only these paths: any other
 * under /api/sync/ is answered by SvelteKit's page (a 404), whose HTML needs its language.
 */
const SYNC_ROUTE = /^\/api\/sync\/(?:push|pull|photos\/[^/]+)$/;

/**
 * Requests whose answer never holds a message or a page: a device's sync (push, pull,
 * photos) answers JSON with fixed English problem texts (src/lib/sync/protocol.ts), so the
 * language middleware would only copy the request (a new Request whose body is piped through
 * a second stream) and run the answer in a language context nothing reads.
 */
export function needsLanguage(pathname: string): boolean {
  return !SYNC_ROUTE.test(pathname);
}

/**
 * Paraglide's middleware: the request's language (cookie, then Accept-Language) for the
 * messages, and `%paraglide.lang%` / `%paraglide.dir%` in the page's HTML. Skipped for the
 * sync API (needsLanguage).
 */
export const handleParaglide: Handle = ({ event, resolve }) => {
  if (!needsLanguage(event.url.pathname)) return resolve(event);
  return paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) =>
        html
          .replace('%paraglide.lang%', locale)
          .replace('%paraglide.dir%', getTextDirection(locale)),
    });
  });
};
