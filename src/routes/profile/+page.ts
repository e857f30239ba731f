// The maker's profile lives on the server (the public directory reads it), so this screen
// needs the network: not prerendered, not in the service worker's navigate fallback.
export const prerender = false;
