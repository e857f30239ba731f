import type { RequestEvent } from '@sveltejs/kit';
import { ApiError, errorResponse } from './errors';

/**
 * Wraps an API route handler: an ApiError thrown anywhere inside becomes its JSON error
 * response; anything else is left to SvelteKit (a 500 that is logged, never a leak).
 */
export function api<E extends RequestEvent>(
  handler: (event: E) => Promise<Response> | Response,
): (event: E) => Promise<Response> {
  return async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      throw error;
    }
  };
}

/** A JSON success response. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  return jsonText(JSON.stringify(data), init);
}

/** A JSON success response whose body is already JSON text (the pull's feed rows). */
export function jsonText(text: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  // Per-user data: never cached by the browser, the service worker or a proxy.
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  return new Response(text, { ...init, headers });
}
