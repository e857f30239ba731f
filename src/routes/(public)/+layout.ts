// The public directory (/m, /e) and printable pages (/print): rendered on the server for
// every request (no sign-in, fast, linkable), with no JavaScript and outside the service
// worker's offline shell (vite.config.ts lists only device routes for its fallback).
export const ssr = true;
export const csr = false;
export const prerender = false;
