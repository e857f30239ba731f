// Quiet, honest build output: `npm start` builds first, and adapter-node's bundling step
// printed some thirty "Circular dependency: node_modules/kysely/…" lines (kysely comes with
// better-auth). They are harmless (kysely's own modules import each other; the order works)
// and a newcomer reads a screen of them as breakage.
//
// Where they come from: adapter-node bundles the server output a second time with its own
// Rollup run (to inline packages that are not in package.json's dependencies, kysely among
// them). That run takes no `onwarn` option and prints each warning with console.warn; Vite's
// own Rollup run (where vite.config.ts's `build.rollupOptions.onwarn` would apply) already
// drops circular-dependency warnings. So the filter sits around the adapter (svelte.config.js):
// while it runs, exactly the circular-dependency warnings whose every module is inside one of
// QUIET_PACKAGES are dropped; every other line, circular ones in our own code included, is
// printed as before.
import { sep } from 'node:path';

/** Packages whose internal import cycles are theirs to keep, not ours to read. */
export const QUIET_PACKAGES = ['kysely'];

const CIRCULAR = 'Circular dependency: ';

/**
 * Pure: whether a printed Rollup warning is a circular dependency entirely inside one of
 * `packages` (every module of the cycle in node_modules/<package>/).
 * @param {unknown} message
 * @param {readonly string[]} packages
 */
export function isQuietDependencyWarning(message, packages = QUIET_PACKAGES) {
  if (typeof message !== 'string' || !message.startsWith(CIRCULAR)) return false;
  if (message.includes('\n')) return false;
  const modules = message.slice(CIRCULAR.length).split(' -> ');
  if (modules.length < 2) return false;
  return packages.some((name) =>
    modules.every((module) => {
      const path = module.split(sep).join('/');
      return path.startsWith(`node_modules/${name}/`) || path.includes(`/node_modules/${name}/`);
    }),
  );
}

/**
 * Pure: a console.warn that drops the quiet warnings and hands everything else to `warn`.
 * @param {(...args: unknown[]) => void} warn
 * @param {readonly string[]} packages
 */
export function filteredWarn(warn, packages = QUIET_PACKAGES) {
  return (/** @type {unknown[]} */ ...args) => {
    if (args.length === 1 && isQuietDependencyWarning(args[0], packages)) return;
    warn(...args);
  };
}

/**
 * The adapter, with the quiet warnings dropped from what it prints while it adapts.
 * @template {{ adapt: (builder: any) => unknown }} A
 * @param {A} adapter
 * @returns {A}
 */
export function quietDependencyWarnings(adapter) {
  return {
    ...adapter,
    async adapt(builder) {
      const warn = console.warn;
      console.warn = filteredWarn(warn);
      try {
        return await adapter.adapt(builder);
      } finally {
        console.warn = warn;
      }
    },
  };
}
