import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import {
  localeTableModule,
  RUNTIME_ID,
  runtimeModule,
  splitMessageModule,
  TABLE_ID_PREFIX,
} from './src/lib/i18n/split-messages';

const kitDir = process.env.KRAAM_OUT ? `.svelte-kit-${process.env.KRAAM_OUT}` : '.svelte-kit';

/**
 * @vite-pwa/sveltekit moves the generated service worker from the server output to the client
 * output only when SvelteKit's outDir is the default .svelte-kit. For a KRAAM_OUT build
 * (see svelte.config.js) this plugin does that move, before the adapter copies the client.
 */
function moveServiceWorkerForCustomOutDir(): Plugin {
  let ssr = false;
  return {
    name: 'kraam-move-service-worker',
    apply: 'build',
    // Same phase as the PWA plugin's own move (it is enforce: 'pre'), listed after it.
    enforce: 'pre',
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    closeBundle: {
      sequential: true,
      async handler() {
        if (!process.env.KRAAM_OUT || !ssr) return;
        const server = join(kitDir, 'output/server');
        const client = join(kitDir, 'output/client');
        for (const file of await readdir(server)) {
          if (/^(sw|workbox-[\w-]+)\.js(\.map)?$/.test(file)) {
            await rename(join(server, file), join(client, file));
          }
        }
      },
    },
  };
}

/**
 * The browser build ships only the base language's messages in each page's code; every
 * other language is one module loaded before the first render or a switch to it
 * (src/lib/i18n/locale-messages.ts, src/lib/i18n/split-messages.ts). The server build,
 * development and unit tests keep Paraglide's modules as they are.
 */
function splitLocaleMessages(): Plugin {
  const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
    baseLocale: string;
    locales: string[];
  };
  const paraglide = resolve('src/lib/paraglide');
  const messagesDir = join(paraglide, 'messages');
  const loaderModule = resolve('src/lib/i18n/locale-messages.ts');
  const RESOLVED_PREFIX = '\0kraam-locale:';
  return {
    name: 'kraam-split-locale-messages',
    apply: 'build',
    applyToEnvironment: (environment) => environment.name === 'client',
    resolveId(id) {
      if (id === RUNTIME_ID || id.startsWith(TABLE_ID_PREFIX)) return RESOLVED_PREFIX + id;
    },
    async load(id) {
      if (!id.startsWith(RESOLVED_PREFIX)) return;
      const name = id.slice(RESOLVED_PREFIX.length);
      if (name === RUNTIME_ID) return runtimeModule(settings.locales, settings.baseLocale);
      const [locale, part] = name.slice(TABLE_ID_PREFIX.length).split('/');
      if (!locale || (part !== 'first' && part !== 'rest')) return;
      const files = (await readdir(messagesDir)).filter((f) => /^[a-z0-9_]+\.js$/i.test(f));
      const modules = await Promise.all(
        files
          .filter((f) => f !== '_index.js')
          .map(async (f) => ({
            key: f.slice(0, -3),
            code: await readFile(join(messagesDir, f), 'utf8'),
          })),
      );
      return localeTableModule(modules, locale, join(paraglide, 'registry.js'), part);
    },
    transform(code, id) {
      if (id === loaderModule) return `export { loadLocaleMessages } from "${RUNTIME_ID}";\n`;
      if (!id.startsWith(messagesDir + '/') || id.endsWith('/_index.js')) return;
      const key = id.slice(messagesDir.length + 1, -3);
      return splitMessageModule(code, key, settings.baseLocale, settings.locales) ?? undefined;
    },
  };
}

/**
 * `KRAAM_CHUNK_REPORT=file npx vite build`: also writes every browser chunk's modules with
 * their rendered size (before minifying) and their size minified and gzipped on their own to
 * `file` (`bench/till-breakdown.js` turns it into the till's table), to see where a route's bytes
 * go (docs/benchmarks.md, "Where the till's JavaScript goes").
 */
function chunkReport(file: string | undefined): Plugin | false {
  if (!file) return false;
  return {
    name: 'kraam-chunk-report',
    apply: 'build',
    applyToEnvironment: (environment) => environment.name === 'client',
    async generateBundle(_options, bundle) {
      const { transform } = await import('esbuild');
      const chunks: Record<string, Record<string, { rendered: number; gzip: number }>> = {};
      for (const [name, out] of Object.entries(bundle)) {
        if (out.type !== 'chunk') continue;
        chunks[name] = {};
        for (const [id, info] of Object.entries(out.modules)) {
          // Each module minified and compressed on its own: an estimate of its share of the
          // chunk's gzip size (modules compress better together, so the shares are scaled).
          const code = info.code ?? '';
          const minified = await transform(code, { minify: true, format: 'esm' }).then(
            (r) => r.code,
            () => code,
          );
          chunks[name][id] = {
            rendered: info.renderedLength,
            gzip: minified.length ? gzipSync(minified, { level: 9 }).length : 0,
          };
        }
      }
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(chunks, null, 1));
    },
  };
}

/**
 * The Svelte runtime's internal modules in one chunk: the router and every route share
 * them, and left to itself Rollup cuts them into a dozen files of a few hundred bytes each
 * (each its own request and gzip stream before the till can run).
 */
const SVELTE_RUNTIME =
  /\/node_modules\/(svelte\/src\/(internal|index-client|version|store)|clsx|esm-env)\//;

/**
 * The app's own modules the till needs before it runs, in two chunks instead of about 25
 * files of a few hundred bytes (issue 11, the cold start: each file is a fetch through the
 * service worker, a compile and a code cache entry before the till's first paint;
 * docs/benchmarks.md "Speed (issue 11), the cold start: its floor and where it goes"):
 * `shell`, what the root layout and the client hooks import statically (every screen loads
 * it), and `till`, what only the till's page adds. Found by walking each module's static
 * importers up to those roots; a module reached only through a dynamic `import()` keeps its
 * own chunk and still loads on first use (docs/style.md rule 12).
 */
const FIRST_LOAD_ROOTS: Record<string, 'shell' | 'till'> = {
  '/src/routes/+layout.svelte': 'shell',
  '/src/hooks.client.ts': 'shell',
  '/src/routes/till/+page.svelte': 'till',
};

type ModuleInfoOf = (
  id: string,
) => { importers: readonly string[]; importedIds: readonly string[] } | null;

function firstLoadGroup(id: string, info: ModuleInfoOf): 'shell' | 'till' | undefined {
  const seen = new Set<string>();
  let group: 'shell' | 'till' | undefined;
  const stack = [id];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const root = Object.entries(FIRST_LOAD_ROOTS).find(([path]) => current.endsWith(path))?.[1];
    if (root === 'shell') return 'shell';
    if (root === 'till') group = 'till';
    else stack.push(...(info(current)?.importers ?? []));
  }
  return group;
}

const reachesMessagesMemo = new Map<string, boolean>();

/**
 * Whether `id` imports the messages, directly or not. Each answer comes from a whole walk of
 * what it imports: a memo of "no" taken while a module on an import cycle was still being
 * looked at would be wrong for the modules met on the way.
 */
function reachesMessages(id: string, info: ModuleInfoOf): boolean {
  const known = reachesMessagesMemo.get(id);
  if (known !== undefined) return known;
  const seen = new Set<string>();
  const stack = [id];
  let result = false;
  while (stack.length > 0 && !result) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const memo = reachesMessagesMemo.get(current);
    if (memo === false) continue;
    result = memo === true || current.includes('/src/lib/paraglide/messages');
    stack.push(...(info(current)?.importedIds ?? []));
  }
  reachesMessagesMemo.set(id, result);
  return result;
}

export function manualChunks(id: string, { getModuleInfo }: { getModuleInfo: ModuleInfoOf }) {
  if (SVELTE_RUNTIME.test(id)) return 'svelte';
  // The app's own source only (not SvelteKit's runtime, not a style sheet or virtual module).
  if (id.includes('?') || id.startsWith('\0') || !id.includes('/src/')) return undefined;
  if (id.includes('/node_modules/')) return undefined;
  // Rollup moves a manual chunk's unassigned static dependencies into it: a module that
  // reaches Paraglide's barrel of every message (`$lib/paraglide/messages`) would bring every
  // message of every screen into the till's first load. Those stay where Rollup puts them.
  if (id.includes('/src/lib/paraglide/') || reachesMessages(id, getModuleInfo)) return undefined;
  return firstLoadGroup(id, getModuleInfo);
}

/**
 * Paths of the device app (client-rendered, precached, usable offline). `r` is the
 * customer's receipt (src/routes/r): its data is in the URL fragment, never sent anywhere.
 */
const deviceRoutes = /^\/(?:$|welcome|till|products|events|sales|settings|account|r)(?:\/|$|\?)/;

export default defineConfig({
  // The export's Web Worker (src/lib/exports/file.worker.ts) is an ES module worker: it loads
  // the xlsx writer with import() only for an xlsx, which a classic worker bundle cannot split.
  worker: { format: 'es' },
  resolve: {
    // Dexie's package entry wraps its ES5 UMD build; its modern ES module build is the same
    // library, smaller, and every import in the app resolves to this one copy.
    alias: [{ find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' }],
  },
  plugins: [
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
    }),
    splitLocaleMessages(),
    sveltekit(),
    SvelteKitPWA({
      registerType: 'prompt',
      scope: '/',
      base: '/',
      injectRegister: false,
      strategies: 'generateSW',
      manifest: {
        name: 'Kraam',
        short_name: 'Kraam',
        description: 'Kassa voor pop-upmarkten — werkt zonder internet',
        lang: 'nl',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#fffaf3',
        theme_color: '#9a3412',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: [
          'client/**/*.{js,css,ico,png,svg,webmanifest,woff2}',
          'prerendered/**/*.html',
        ],
        // Only device routes fall back to the precached shell; server-rendered routes
        // (API, auth, public directory) always go to the network (docs/stack-notes.md pitfall 2).
        navigateFallback: '/',
        navigateFallbackAllowlist: [deviceRoutes],
        cleanupOutdatedCaches: true,
        // clientsClaim stays false (measured, 2026-12-07). Claiming the first visit would let
        // the precache serve a new phone's dialogs as soon as it is installed, but
        // vite-plugin-pwa's prompt flow reloads a page after an update only when a worker
        // controlled it when it registered (workbox-window's `isUpdate`): a claimed first-visit
        // page never reloads once the maker accepts a new version, keeps the old code under the
        // new worker and shows "Wordt bijgewerkt" for good (tests/e2e/sync-two-devices.e2e.ts,
        // [fault 17], fails with true). What a sale needs is in the till's first load instead,
        // and the till fetches its other dialogs right after its first render
        // (src/routes/till/dialogs.ts, tests/e2e/first-visit-offline.e2e.ts).
        clientsClaim: false,
        skipWaiting: false,
      },
      kit: {
        includeVersionFile: true,
        outDir: kitDir,
      },
    }),
    moveServiceWorkerForCustomOutDir(),
    chunkReport(process.env.KRAAM_CHUNK_REPORT),
  ],
  build: { rollupOptions: { output: { manualChunks } } },
});
