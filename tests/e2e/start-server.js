// Starts the built app for the browser tests on an EMPTY data folder every run: the account
// rules depend on "is this the first sign-up?" (on a fresh server the first account founds
// the organisation), so a folder left by an earlier run would change what the tests see.
// Then runs scripts/start.js in this same process, exactly as `npm start` does.
import { rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = process.env.E2E_FRESH_DATA_DIR;
if (!dataDir) throw new Error('E2E_FRESH_DATA_DIR must name the folder the test server may empty');

// Never empty the project, a folder above it, or the ./data folder `npm start` uses.
const root = fileURLToPath(new URL('../..', import.meta.url));
const target = resolve(dataDir);
/** @param {string} parent @param {string} child */
const within = (parent, child) => {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
};
if (within(target, root) || within(resolve(root, 'data'), target)) {
  throw new Error(`Refusing to empty ${target}: give the test server a folder of its own.`);
}

rmSync(target, { recursive: true, force: true });
process.env.DATA_DIR = target;

// A computed specifier: type-checkers must not follow it into the built server.
await import(new URL('../../scripts/start.js', import.meta.url).href);
