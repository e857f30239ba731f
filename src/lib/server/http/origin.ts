// Cross-origin writes are refused at the edge (src/hooks.server.ts), for every endpoint and
// form action: SvelteKit's own check covers only form content types, and a JSON endpoint
// or a body-less POST is otherwise open to any site the user visits while signed in.
//
// A request that changes state (any method but GET, HEAD, OPTIONS) is allowed when
//  - its Origin header is one of the server's origins, or
//  - it has no Origin header and Sec-Fetch-Site says same-origin (or none: typed by the user).
// It is refused (403) when Origin names another site (or is "null": sandboxed frames,
// file: pages) or Sec-Fetch-Site says cross-site or same-site (a sibling subdomain is
// another origin too).
// A request with neither header is not from a browser page (browsers send Origin on every
// cross-origin write, and Sec-Fetch-Site on every request since 2023): command-line and
// server-to-server clients (curl, scripts, the tests) are let through; they carry no
// victim's cookies, so they cannot be used against one.

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Why a request is refused, or null when it may go on. */
export function crossOriginRefusal(
  method: string,
  headers: Headers,
  allowedOrigins: readonly string[],
): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const origin = headers.get('origin');
  if (origin !== null) {
    if (allowedOrigins.includes(origin)) return null;
    return `Cross-origin requests may not change anything here (Origin "${origin.slice(0, 200)}" is not this server).`;
  }
  const site = headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none') return null;
  return `Cross-origin requests may not change anything here (Sec-Fetch-Site: ${site.slice(0, 50)}).`;
}
