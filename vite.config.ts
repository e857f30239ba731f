import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

/** Paths of the device app (client-rendered, precached, usable offline). */
const deviceRoutes = /^\/(?:$|welcome|till|products|events|sales|settings|account)(?:\/|$|\?)/;

export default defineConfig({
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
        // (API, auth, public directory) always go to the network (STACK-NOTES pitfall 2).
        navigateFallback: '/',
        navigateFallbackAllowlist: [deviceRoutes],
        cleanupOutdatedCaches: true,
        clientsClaim: false,
        skipWaiting: false,
      },
      kit: { includeVersionFile: true },
    }),
  ],
});
