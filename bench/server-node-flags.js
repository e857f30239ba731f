// The Node flags the benchmarks start the server with: the ones `npm start` uses
// (scripts/node-flags.js), or BENCH_SERVER_NODE_FLAGS (space-separated; `none` for Node's
// own defaults), to compare two settings in the same minutes.
import { SERVER_NODE_FLAGS } from '../scripts/node-flags.js';

/** @returns {string[]} */
export function serverNodeFlags(env = process.env) {
  const given = env.BENCH_SERVER_NODE_FLAGS?.trim();
  if (given === undefined || given === '') return [...SERVER_NODE_FLAGS];
  if (given === 'none') return [];
  return given.split(/\s+/);
}
