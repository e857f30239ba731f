// Serves the built app (adapter-node) with working defaults, so `npm start` needs nothing else.
// PORT defaults to 3000 and ORIGIN to http://localhost:PORT: without ORIGIN, adapter-node
// rejects form posts as cross-site (STACK-NOTES pitfall 7).
import { existsSync } from 'node:fs';

process.env.PORT ??= '3000';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;

if (!existsSync(new URL('../build/index.js', import.meta.url))) {
  console.error('No build found: run `npm run build` first (npm start does this for you).');
  process.exit(1);
}
await import('../build/index.js');
