// A child process for the durability benchmark (bench/durability.js), run under strace:
//   node --import tsx bench/durability-child.ts <fsync|off> <dataDir> <commits>
// Opens a PGlite data folder exactly as the server does (or, with "off", as PGlite does by
// default), makes <commits> single-row commits and closes. The benchmark runs it with 0 and
// with N commits and divides the difference in fsync calls by N.
import { openDatabase } from '../src/lib/server/db/open';
import { serverMeta } from '../src/lib/server/db/schema/org';

const [mode, dataDir, count] = process.argv.slice(2);
if ((mode !== 'fsync' && mode !== 'off') || !dataDir) {
  throw new Error('usage: durability-child.ts fsync|off <dataDir> <commits>');
}
const opened = await openDatabase({ kind: 'pglite', dataDir, durability: mode });
try {
  const n = Number(count ?? 0);
  for (let i = 0; i < n; i++) {
    // Each statement outside a transaction block is its own commit.
    await opened.db.insert(serverMeta).values({ key: `commit-${Date.now()}-${i}`, value: 'x' });
  }
} finally {
  await opened.close();
}
