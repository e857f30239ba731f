import type { Handle, RequestEvent, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { svelteKitHandler } from 'better-auth/svelte-kit';
import {
  ANONYMOUS,
  CLIENT_ADDRESS_HEADER,
  getAuth,
  loadRequestAuth,
  publicOrigin,
  readsMemberships,
  trustedOrigins,
} from '$lib/server/auth';
import {
  beginAttempt,
  clearFailures,
  emailOfSignInBody,
  minutesOf,
  refundAttempt,
} from '$lib/server/auth/sign-in-limit';
import { changesSessions, processSessionCache } from '$lib/server/auth/session-cache';
import { getDb, getDbKind } from '$lib/server/db';
import { startCollectingStatistics } from '$lib/server/db/statistics';
import { serverPayments, serverStripe } from '$lib/server/payments';
import { startReconciling } from '$lib/server/payments/reconcile';
import { nudgeRefunds, startRefunding } from '$lib/server/payments/refunds';
import { onRefundsPushed } from '$lib/server/sync/endpoints';
import { ApiError, errorResponse, jsonError, readBodyText } from '$lib/server/http';
import { crossOriginRefusal } from '$lib/server/http/origin';
import { withSecurityHeaders } from '$lib/server/http/security-headers.js';
import { handleParaglide } from '$lib/server/http/paraglide-hook';

/**
 * The security headers on every answer the hooks see (pages, API answers, errors, 404s);
 * scripts/start.js sets them on static files and prerendered pages, which adapter-node
 * serves before the hooks run.
 */
const handleSecurityHeaders: Handle = async ({ event, resolve }) =>
  withSecurityHeaders(await resolve(event));

/** Origins whose pages may change state here: ORIGIN (and its loopback twin in development). */
let trusted: string[] | null = null;

/** Refuses cross-origin writes (403) to every endpoint and form action: see http/origin.ts. */
const handleCrossOrigin: Handle = ({ event, resolve }) => {
  trusted ??= trustedOrigins(publicOrigin());
  const allowed = [event.url.origin, ...trusted];
  const refusal = crossOriginRefusal(event.request.method, event.request.headers, allowed);
  if (refusal) return jsonError(403, 'cross_origin', refusal);
  return resolve(event);
};

/** Sign-in and sign-up bodies are small; anything bigger is refused before better-auth reads it. */
const AUTH_MAX_BODY_BYTES = 64 * 1024;

const SIGN_IN_PATH = '/api/auth/sign-in/email';

/** The same request with the body already read (as text) in place of its stream. */
function withBody(request: Request, text: string): Request {
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  return new Request(request.url, {
    method: request.method,
    headers,
    body: text,
    signal: request.signal,
  });
}

/**
 * The per-account sign-in limit (auth/sign-in-limit.ts) around better-auth's sign-in: a
 * paused account is answered 429 before any password is checked. Each attempt is counted
 * before its password is checked (so attempts sent at once cannot all slip through); a right
 * password clears the count, and an attempt refused for anything but its password (a bad
 * body, the per-address limit) is given back. `key`: the account key `emailOfSignInBody` read
 * from the body, null when there is none.
 */
async function signInLimited(
  key: string | null,
  signIn: () => Promise<Response>,
): Promise<Response> {
  if (key === null) return signIn();
  const db = await getDb();
  const attempt = await beginAttempt(db, key, new Date());
  if (attempt.wait > 0) return accountPaused(attempt.wait);
  const response = await signIn();
  if (response.ok) await clearFailures(db, key);
  else if (response.status !== 401) await refundAttempt(db, key, attempt);
  return response;
}

function accountPaused(seconds: number): Response {
  const minutes = minutesOf(seconds);
  return jsonError(
    429,
    'account_sign_in_paused',
    `Too many failed sign-ins for this account: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
}

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
    let text: string | null = null;
    if (event.request.body) {
      // Count the bytes actually read (a chunked body has no Content-Length), then hand
      // better-auth the body that was read.
      try {
        text = await readBodyText(event.request, AUTH_MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        throw error;
      }
      event.request = withBody(event.request, text);
    }
    const handled = () => {
      if (event.request.method === 'POST' && event.url.pathname === SIGN_IN_PATH && text !== null) {
        const key = emailOfSignInBody(text, event.request.headers.get('content-type'));
        return signInLimited(key, () => svelteKitHandler({ auth, event, resolve, building }));
      }
      return svelteKitHandler({ auth, event, resolve, building });
    };
    // Sign-out, revoking sessions, a new password...: no remembered session outlives it.
    if (changesSessions(event.request.method, event.url.pathname)) {
      return processSessionCache().around(handled);
    }
    return handled();
  }
  const loaded = await loadRequestAuth(
    auth,
    await getDb(),
    event.request.headers,
    processSessionCache(),
    readsMemberships(event.request.method, event.url.pathname),
  );
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

export const handle: Handle = sequence(
  handleSecurityHeaders,
  handleCrossOrigin,
  handleParaglide,
  handleAuth,
);

/** Opens and migrates the database before the server accepts requests. */
export const init: ServerInit = async () => {
  if (building) return;
  try {
    await getAuth();
    // PGlite has no autovacuum: the server collects the planner's statistics itself.
    if ((await getDbKind()) === 'pglite') startCollectingStatistics(getDb);
    // A half-set Stripe configuration stops the start with a clear line, not a first sale.
    if (serverStripe()) {
      startReconciling(serverPayments);
      // Refunds of payments by phone or card: sent after the push that brought them
      // committed, and retried by the job while Stripe fails (docs/payments.md "Refunds").
      startRefunding(serverPayments);
      onRefundsPushed(() => void nudgeRefunds(serverPayments));
    }
  } catch (error) {
    // A clear line, not a stack trace: e.g. the data folder is in use by another server.
    console.error(`Kraam cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
};
