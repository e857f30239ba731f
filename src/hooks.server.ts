import type { Handle, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { svelteKitHandler } from 'better-auth/svelte-kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getTextDirection } from '$lib/paraglide/runtime';
import { ANONYMOUS, CLIENT_ADDRESS_HEADER, getAuth, loadRequestAuth } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { jsonError } from '$lib/server/http';

const handleParaglide: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) =>
        html
          .replace('%paraglide.lang%', locale)
          .replace('%paraglide.dir%', getTextDirection(locale)),
    });
  });

/** Sign-in and sign-up bodies are small; anything bigger is refused before better-auth reads it. */
const AUTH_MAX_BODY_BYTES = 64 * 1024;

/** The client's address, or null when ADDRESS_HEADER is configured but the request lacks it. */
function clientAddress(event: RequestEvent): string | null {
  try {
    return event.getClientAddress();
  } catch {
    // Not through the proxy (e.g. a health check on loopback): the rate limiter then
    // falls back to one shared bucket for such requests.
    return null;
  }
}

const handleAuth: Handle = async ({ event, resolve }) => {
  if (building) {
    // Prerendering the device shell: no database, nobody signed in.
    Object.assign(event.locals, ANONYMOUS, { memberships: [] });
    return resolve(event);
  }
  // The rate limiter keys on this header: always overwrite what the client sent with the
  // address adapter-node saw (the socket, or ADDRESS_HEADER behind a trusted proxy).
  event.request.headers.delete(CLIENT_ADDRESS_HEADER);
  const address = clientAddress(event);
  if (address) event.request.headers.set(CLIENT_ADDRESS_HEADER, address);
  const auth = await getAuth();
  if (event.url.pathname === '/api/auth' || event.url.pathname.startsWith('/api/auth/')) {
    if (Number(event.request.headers.get('content-length') ?? 0) > AUTH_MAX_BODY_BYTES) {
      return jsonError(
        413,
        'payload_too_large',
        `Auth requests are limited to ${AUTH_MAX_BODY_BYTES} bytes.`,
      );
    }
    return svelteKitHandler({ auth, event, resolve, building });
  }
  const loaded = await loadRequestAuth(auth, await getDb(), event.request.headers);
  Object.assign(event.locals, loaded.auth);
  const response = await resolve(event);
  // better-auth extended the session: hand the refreshed cookie to the client.
  if (loaded.setCookie.length === 0) return response;
  try {
    for (const cookie of loaded.setCookie) response.headers.append('set-cookie', cookie);
  } catch {
    // Immutable headers (e.g. a proxied fetch response): the cookie is refreshed next time.
  }
  return response;
};

export const handle: Handle = sequence(handleParaglide, handleAuth);

/** Opens and migrates the database before the server accepts requests. */
export const init: ServerInit = async () => {
  if (building) return;
  try {
    await getAuth();
  } catch (error) {
    // A clear line, not a stack trace: e.g. the data folder is in use by another server.
    console.error(`Kraam cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
};
