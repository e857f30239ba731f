import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this (a dev tool): migrations are applied by the server
// itself at start (src/lib/server/db/migrate.ts), never from a second process.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/lib/server/db/schema/index.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
