import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Vitest gets its own config with only sveltekit(): the Paraglide and PWA plugins in
// serve mode keep Vitest alive for ~10 s at exit (docs/stack-notes.md pitfall 8).
export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['src/**/*.spec.ts', 'tests/unit/**/*.spec.ts'],
    environment: 'node',
    setupFiles: ['tests/setup-unit.ts'],
    testTimeout: 20_000,
    // A hook that migrates a fresh database (PGlite runs every migration in-process) can take
    // more than the default 10 s on a 2-core machine under load; a real hang still fails.
    hookTimeout: 60_000,
  },
});
