// Serves the built app (adapter-node) with working defaults, so `npm start` needs nothing else.
// PORT defaults to 3000 and ORIGIN to http://localhost:PORT: without ORIGIN, adapter-node
// rejects form posts as cross-site (docs/stack-notes.md pitfall 7).
//
// Before the server listens, its init hook (src/hooks.server.ts) opens the database and
// applies the migrations from ./drizzle in this same process: embedded PGlite in DATA_DIR
// (default ./data), or PostgreSQL when DATABASE_URL is set (docs/stack-notes.md pitfall 5). If that
// fails (e.g. another server holds the data folder) it prints why and exits with code 1.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setSecurityHeaders } from '../src/lib/server/http/security-headers.js';

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
// The migrations ship beside the build; found wherever the server is started from.
process.env.KRAAM_MIGRATIONS_DIR ??= fileURLToPath(new URL('../drizzle', import.meta.url));
// So is the embedded database's worker thread (src/lib/server/db/pglite-worker.js), which Node
// runs from its source file, beside the build.
process.env.KRAAM_PGLITE_WORKER_SCRIPT ??= fileURLToPath(
  new URL('../src/lib/server/db/pglite-worker.js', import.meta.url),
);
// adapter-node's own cap for every request body (its default is 512K). Each endpoint sets
// its tighter limit (413 beyond it); this only has to be above the largest of them.
process.env.BODY_SIZE_LIMIT ??= '8M';

// KRAAM_OUT=name serves build-name (see svelte.config.js); the default is ./build.
const entry = new URL(
  `../build${process.env.KRAAM_OUT ? `-${process.env.KRAAM_OUT}` : ''}/index.js`,
  import.meta.url,
);
if (!existsSync(entry)) {
  console.error('No build found: run `npm run build` first (npm start does this for you).');
  process.exit(1);
}
const { server } = await import(entry.href);

// adapter-node serves static files and prerendered pages (sirv) before the SvelteKit hooks
// run, so the security headers are set here first, on every answer; the hooks and the page's
// own Content-Security-Policy (kit.csp) then add to or replace them. This runs right after the
// server module was evaluated, before the event loop hands it any request.
/** @type {import('node:http').Server | undefined} */
const httpServer = server?.server;
if (!httpServer) {
  console.error('Kraam cannot start: the built server did not expose its HTTP server.');
  process.exit(1);
}
httpServer.prependListener('request', (_request, response) => setSecurityHeaders(response));
