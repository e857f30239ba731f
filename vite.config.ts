import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

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
 * Paths of the device app (client-rendered, precached, usable offline). `r` is the
 * customer's receipt (src/routes/r): its data is in the URL fragment, never sent anywhere.
 */
const deviceRoutes = /^\/(?:$|welcome|till|products|events|sales|settings|account|r)(?:\/|$|\?)/;

export default defineConfig({
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
        clientsClaim: false,
        skipWaiting: false,
      },
      kit: {
        includeVersionFile: true,
        outDir: kitDir,
      },
    }),
    moveServiceWorkerForCustomOutDir(),
  ],
});
