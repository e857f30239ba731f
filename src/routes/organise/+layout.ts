// The organiser's screens need the network: every figure on them is the server's. They are
// NOT prerendered and NOT in the service worker's navigate-fallback allowlist (vite.config.ts
// deviceRoutes), so opening one always asks the server. Their code is still precached with
// the rest of the app, so following a link to them offline shows "needs the internet" (the
// layout) instead of the browser's error page.
export const prerender = false;
