// The security headers every answer of this server carries: pages, API answers, errors,
// 404s, static files and prerendered pages alike. Plain JavaScript so that both the
// SvelteKit hooks (src/hooks.server.ts) and scripts/start.js, which wraps adapter-node's
// static file server (it answers before the hooks run), share one list.
//
// The full Content-Security-Policy of pages is SvelteKit's `kit.csp` (svelte.config.js):
// a header with nonces on server-rendered pages, a <meta> tag with hashes on prerendered
// ones. A <meta> policy cannot forbid framing, so the floor policy below (frame-ancestors,
// object-src, base-uri) goes on every answer as a header; where SvelteKit sends its own
// header, that one (which repeats these directives) replaces it.
//
// Framing: no page of Kraam is meant to be embedded in another site today (the public maker
// and event pages are linked and printed, not framed), so every answer says
// `frame-ancestors 'none'` and `X-Frame-Options: DENY`. A page that should be embeddable
// later gets its own frame-ancestors list in the hooks.

/** The policy every answer carries when SvelteKit does not send a fuller one. */
export const FLOOR_CSP = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

/** @type {Readonly<Record<string, string>>} */
export const SECURITY_HEADERS = Object.freeze({
  'x-content-type-options': 'nosniff',
  // The full URL (which may hold an invitation token) never leaves the site.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy': FLOOR_CSP,
});

/**
 * Sets the headers on a Node response before anything is written; headers written later by
 * the static file server or SvelteKit with the same name (e.g. the page's CSP) win.
 * @param {{ setHeader(name: string, value: string): unknown; headersSent?: boolean }} res
 */
export function setSecurityHeaders(res) {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/**
 * The same headers on a fetch Response, keeping any the response set itself (SvelteKit's
 * page CSP). Answers with immutable headers are copied.
 * @param {Response} response
 * @returns {Response}
 */
export function withSecurityHeaders(response) {
  let target = response;
  try {
    addMissing(target.headers);
  } catch {
    target = new Response(response.body, response);
    addMissing(target.headers);
  }
  return target;
}

/** @param {Headers} headers */
function addMissing(headers) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!headers.has(name)) headers.set(name, value);
  }
}
