// Where the till's first-load JavaScript goes, by part of the app: `node bench/till-breakdown.js`
// after `KRAAM_CHUNK_REPORT=tmp/chunks.json npx vite build` (the report lists every chunk's
// modules with their size minified and gzipped on their own, vite.config.ts `chunkReport`).
// Each file's real gzip size is shared among its modules in proportion to those sizes (modules
// compress better together than alone), so a part's figure is an estimate; the total is exact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { routeChunks } from './route-js.js';

/** Parts of the app, first match wins (paths as Rollup names the modules). */
export const PARTS = [
  ['Dexie (IndexedDB library)', /node_modules\/dexie\//],
  ['Svelte runtime', /node_modules\/(svelte|clsx|esm-env)\//],
  ['SvelteKit client router, devalue', /node_modules\/(@sveltejs\/kit|devalue)\//],
  [
    'SvelteKit entry (generated app, root, route nodes), hooks',
    /\.svelte-kit\/generated|\/src\/hooks/,
  ],
  ['device store (Dexie store, its rules, schema)', /\/src\/lib\/db\//],
  [
    'domain rules the store applies (summary, cash book, refund, sale, stock, clock)',
    /\/src\/lib\/domain\/(summary|cashbook|refund|sale|stock|clock|cash|history)\.ts/,
  ],
  ['other domain modules (cart, money, ids, validation, locales, VAT)', /\/src\/lib\/domain\//],
  ['Dutch messages (one module per message)', /\/paraglide\/messages\//],
  ['Paraglide runtime, language loader', /\/paraglide\/|kraam-locale|preload-helper/],
  ['till page and its components', /\/src\/routes\/till\//],
  ['payment states used by the till (card, link)', /\/state\/(card|link)-payment/],
  [
    'till state, sell / void / restock services',
    /\/state\/(till|tab)\.|\/services\/(sell|void|restock)/,
  ],
  ['app state (opens the store)', /\/state\/app\.svelte/],
  ['sync state, photo sync, sync status', /\/state\/sync|photo-sync|\/lib\/sync\//],
  ['account state and services', /\/state\/account|\/services\/(account|profile|vat)/],
  [
    'root layout, header, navigation, shell panels',
    /\/routes\/\+layout|\/lib\/components\/|\/state\/(update|dutch|locale)/,
  ],
  ['other', /./],
];

export function tillBreakdown(kitDir, reportFile) {
  const client = join(kitDir, 'output/client');
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const { manifest, critical } = routeChunks(kitDir, 'src/routes/till/+page.svelte');
  const parts = new Map(PARTS.map(([name]) => [name, { gzip: 0, modules: [] }]));
  let total = 0;
  for (const key of critical) {
    const file = manifest[key].file;
    const gzip = gzipSync(readFileSync(join(client, file)), { level: 9 }).length;
    total += gzip;
    const modules = Object.entries(report[file] ?? {});
    const alone = modules.reduce((sum, [, m]) => sum + m.gzip, 0);
    if (!alone) {
      parts.get('other').gzip += gzip;
      continue;
    }
    for (const [id, m] of modules) {
      const part = parts.get(PARTS.find(([, pattern]) => pattern.test(id))[0]);
      const share = (gzip * m.gzip) / alone;
      part.gzip += share;
      part.modules.push([id.replace(/^.*node_modules\//, '').replace(process.cwd(), ''), share]);
    }
  }
  return { total, files: critical.size, parts: [...parts].filter(([, p]) => p.gzip > 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const kitDir = process.env.KRAAM_OUT ? `.svelte-kit-${process.env.KRAAM_OUT}` : '.svelte-kit';
  const reportFile = process.argv[2] ?? 'tmp/chunks.json';
  const { total, files, parts } = tillBreakdown(kitDir, reportFile);
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  for (const [name, part] of parts.sort((a, b) => b[1].gzip - a[1].gzip)) {
    console.log(`${kb(part.gzip).padStart(9)}  ${name}`);
    if (process.env.MODULES) {
      for (const [id, share] of part.modules.sort((a, b) => b[1] - a[1]).slice(0, 8)) {
        console.log(`${kb(share).padStart(20)}  ${id}`);
      }
    }
  }
  console.log(`${kb(total).padStart(9)}  in all, ${files} files (gzip level 9, per file)`);
}
