import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Builds bench/browser into bench/dist: a plain page that runs the device benchmarks with
// the app's own modules ($lib), in production mode.
export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  plugins: [svelte()],
  worker: { format: 'es' },
  resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: true },
  logLevel: 'warn',
});
