// The Node flags the server runs with (`npm start`, `npm run serve`, and the benchmarks that
// start it): V8 flags must be given when Node starts, so they live in package.json's scripts,
// and a spec (src/lib/server/node-flags.spec.ts) keeps those scripts and this list the same.
//
// --max-semi-space-size=64: V8's young generation may grow to 64 MB a half (Node 20's
// default is 16). A device's push or pull makes a few hundred KB of short-lived objects; with
// 200 devices syncing at once the young generation filled before they died, so the scavenger
// copied them and promoted them to the old generation, whose collections then cost more
// still. With room for them, 200 devices at once cost the server about a fifth less CPU a
// request (docs/benchmarks.md, "push4: room for V8's young generation; the sync routes beside
// SvelteKit tried"), for up to about 150 MB more memory at the peak.

/** @type {readonly string[]} */
export const SERVER_NODE_FLAGS = Object.freeze(['--max-semi-space-size=64']);
