// The device app renders in the browser only and is prerendered as empty shells that the
// service worker precaches: after one online visit, every screen starts with no network.
export const ssr = false;
export const prerender = true;
export const trailingSlash = 'never';
