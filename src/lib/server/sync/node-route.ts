// A device's push and pull served straight from Node's HTTP server (scripts/start.js), without
// SvelteKit's request and answer objects, for the requests whose every check the hooks
// (src/hooks.server.ts) would make is already decided here without a database round trip:
//   - POST to exactly /api/sync/push or /api/sync/pull (no query string);
//   - the body declared JSON and its length declared (Content-Length, no Transfer-Encoding),
//     at most the route's limit;
//   - the same-origin rule of http/origin.ts passes (the hooks' own check, same origins);
//   - the Cookie header is one this process remembers a signed-in session for
//     (auth/session-cache.ts: the same cache, the same expiry and sign-out rules).
// Anything else (no or unknown cookie, a cross-origin or oversized request, another method,
// path or content type, a chunked body) goes to SvelteKit as before and is answered there,
// which also fills the session cache. Served here, a request reads its body, parses it and
// answers through the same functions as the routes (endpoints.ts), with the same JSON
// answers and errors; the security headers are set by scripts/start.js on every answer.
//
// Why: on two cores, 200 devices at once queue behind Node's one thread, and SvelteKit's
// Request, hooks and Response cost a sync request about a fifth of its CPU
// (docs/benchmarks.md, "push4: the sync routes beside SvelteKit").
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '$lib/server/db';
import { ApiError, type ErrorBody } from '$lib/server/http';
import { crossOriginRefusal } from '$lib/server/http/origin';
import { MAX_PULL_BYTES, MAX_PUSH_BYTES } from '$lib/sync/protocol';
import type { SessionCache } from '$lib/server/auth/session-cache';
import { pullBodyAnswer, pushAnswer } from './endpoints';

/**
 * Where the hooks' `init` leaves this process's sync route for scripts/start.js (which
 * imports the built server and has no other way into its modules).
 */
export const SYNC_ROUTE_KEY = Symbol.for('kraam.sync-route');

export interface SyncRouteOptions {
  /** The origins whose pages may write here: the server's own first (the hooks' list). */
  allowedOrigins: readonly string[];
  cache: SessionCache;
  db: () => Promise<Db>;
}

/**
 * Takes a request Node's HTTP server received: true when it is answered here (see above),
 * false when it is left untouched for SvelteKit.
 */
export type SyncRoute = (request: IncomingMessage, response: ServerResponse) => boolean;

const JSON_TYPE = /^application\/json\s*(;|$)/i;

interface Route {
  maxBytes: number;
  answer: (db: Db, userId: string, body: unknown) => Promise<string>;
}

const ROUTES: ReadonlyMap<string, Route> = new Map([
  [
    '/api/sync/push',
    {
      maxBytes: MAX_PUSH_BYTES,
      answer: async (db, userId, body) => JSON.stringify(await pushAnswer(db, userId, body)),
    },
  ],
  ['/api/sync/pull', { maxBytes: MAX_PULL_BYTES, answer: pullBodyAnswer }],
]);

/** A request's header as one string (Node joins repeated ones), or null. */
function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

export function syncRoute(options: SyncRouteOptions): SyncRoute {
  const headersOf = (request: IncomingMessage) => ({
    get: (name: string) => header(request, name.toLowerCase()),
  });
  return (request, response) => {
    if (request.method !== 'POST' || request.url === undefined) return false;
    const route = ROUTES.get(request.url);
    if (!route) return false;
    const length = request.headers['content-length'];
    if (
      length === undefined ||
      !/^\d{1,9}$/.test(length) ||
      Number(length) > route.maxBytes ||
      request.headers['transfer-encoding'] !== undefined ||
      !JSON_TYPE.test(request.headers['content-type'] ?? '')
    ) {
      return false;
    }
    const cookie = request.headers.cookie;
    if (!cookie || !options.cache.enabled) return false;
    const found = options.cache.get(cookie);
    if (!found) return false;
    if (crossOriginRefusal('POST', headersOf(request), options.allowedOrigins) !== null) {
      return false;
    }
    void serve(request, response, route, found.user.id, options.db);
    return true;
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  route: Route,
  userId: string,
  db: () => Promise<Db>,
): Promise<void> {
  try {
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      // The words of http/body.ts's readJson.
      throw new ApiError(
        400,
        'invalid_json',
        `The request body is not valid JSON: ${(error as Error).message}`,
      );
    }
    const answer = await route.answer(await db(), userId, body);
    send(response, 200, answer, {
      'content-type': 'application/json; charset=utf-8',
      // Per-user data: never cached by the browser, the service worker or a proxy.
      'cache-control': 'no-store',
    });
  } catch (error) {
    if (error instanceof ApiError) {
      const payload: ErrorBody = {
        error: error.issues
          ? { code: error.code, message: error.message, issues: error.issues }
          : { code: error.code, message: error.message },
      };
      send(response, error.status, JSON.stringify(payload), {
        'content-type': 'application/json; charset=utf-8',
        ...error.headers,
      });
      return;
    }
    // The device went away before its body arrived: nobody to answer.
    if (request.destroyed && !request.complete) return;
    // As SvelteKit answers an endpoint that threw to a client that takes JSON: logged, and
    // nothing of the error leaves the server.
    console.error(error);
    send(response, 500, JSON.stringify({ message: 'Internal Error' }), {
      'content-type': 'application/json; charset=utf-8',
    });
  }
}

function send(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, headers);
  response.end(text);
}

/** The body's text (its declared length was checked), decoded as http/body.ts decodes it. */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    });
    request.once('error', reject);
    // Closed before its end (the device went away): settled, not left waiting.
    request.once('close', () => reject(new Error('the request closed before its body ended')));
  });
}
