// The JavaScript a route needs before it can run: the static-import closure of the app's
// entry points, the root layout's node and the route's node, from Vite's build manifest
// (what the page's <link rel="modulepreload"> list loads). Code those load later through a
// dynamic import (the sync engine, dialogs) is counted apart as "deferred". The messages of
// each language other than Dutch (src/lib/i18n/locale-messages.ts) are two modules each: the
// till's and the shell's, loaded before the till's first render on a device in that language
// (counted per language), and the rest, loaded when the browser is idle (counted apart).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The generated node module (".../nodes/N.js") whose component is `componentPath`. */
function nodeKeyFor(kitDir, keys, componentPath) {
  const dir = join(kitDir, 'generated/client-optimized/nodes');
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (text.includes(`/${componentPath}"`)) {
      return keys.find((k) => k.endsWith(`client-optimized/nodes/${file}`));
    }
  }
  throw new Error(`no node for ${componentPath}`);
}

/** The manifest keys a route loads: before it runs, later (deferred), and per language. */
export function routeChunks(kitDir, routeComponent) {
  const client = join(kitDir, 'output/client');
  const manifest = JSON.parse(readFileSync(join(client, '.vite/manifest.json'), 'utf8'));
  const keys = Object.keys(manifest);
  const roots = [
    ...keys.filter((k) => /client-optimized\/app\.js$|runtime\/client\/entry\.js$/.test(k)),
    nodeKeyFor(kitDir, keys, 'src/routes/+layout.svelte'),
    nodeKeyFor(kitDir, keys, routeComponent),
  ];
  const critical = new Set();
  const deferred = new Set();
  const walk = (key, into) => {
    if (!key || critical.has(key) || into.has(key)) return;
    into.add(key);
    for (const i of manifest[key]?.imports ?? []) walk(i, into);
  };
  for (const root of roots) walk(root, critical);
  // A language's messages are two tables: the till's and the shell's (`first`, loaded
  // before the till's first render) and the rest (loaded when the browser is idle).
  const localeTable = /kraam-locale-table\/([\w-]+)\/(first|rest)$/;
  const locales = {};
  const localesRest = {};
  for (const key of [...critical]) {
    for (const d of manifest[key]?.dynamicImports ?? []) {
      const [, locale, part] = localeTable.exec(d) ?? [];
      if (locale) (part === 'first' ? locales : localesRest)[locale] = new Set([d]);
      // Other routes' nodes are not this route's code.
      else if (!/client-optimized\/nodes\//.test(d)) walk(d, deferred);
    }
  }
  return { manifest, critical, deferred, locales, localesRest };
}

export function routeJavaScript(kitDir, routeComponent) {
  const client = join(kitDir, 'output/client');
  const { manifest, critical, deferred, locales, localesRest } = routeChunks(
    kitDir,
    routeComponent,
  );
  const size = (set) => {
    let gzip = 0;
    let raw = 0;
    for (const key of set) {
      const file = join(client, manifest[key].file);
      if (!existsSync(file)) continue;
      const body = readFileSync(file);
      raw += body.length;
      gzip += gzipSync(body, { level: 9 }).length;
    }
    return { files: set.size, rawBytes: raw, gzipBytes: gzip };
  };
  return {
    critical: size(critical),
    deferred: size(deferred),
    localeMessages: Object.fromEntries(
      Object.entries(locales).map(([locale, set]) => [locale, size(set)]),
    ),
    localeMessagesLater: Object.fromEntries(
      Object.entries(localesRest).map(([locale, set]) => [locale, size(set)]),
    ),
  };
}
