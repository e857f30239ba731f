// What the Node benchmarks share (bench/server.js, bench/exports.js, bench/durability.js):
// the app's modules bundled with Vite, the machine's description, and a migrated database of
// either kind.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { createDatabase } from './server-cluster.js';
import { round } from './server-stats.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const migrations = join(root, 'drizzle');

/**
 * Bundles bench/<entry>.ts (the app's modules) for Node, as adapter-node bundles the server:
 * $lib resolved, dependencies left to node_modules. Into tmp/<outName> (git-ignored) so that
 * bare imports still find node_modules. Returns the bundle's module.
 */
export async function bundleApp(entry, outName) {
  const outDir = join(root, 'tmp', outName);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    mode: 'production',
    resolve: { alias: { $lib: join(root, 'src/lib') } },
    plugins: [
      {
        // Only src/lib/server/db/index.ts asks; this process is never a `vite build`.
        name: 'kraam-bench-app-environment',
        resolveId: (id) => (id === '$app/environment' ? '\0app-environment' : null),
        load: (id) =>
          id === '\0app-environment'
            ? 'export const building = false, dev = false, browser = false, version = "bench";'
            : null,
      },
    ],
    build: {
      ssr: join(root, `bench/${entry}.ts`),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: `${entry}.js` } },
    },
  });
  return import(pathToFileURL(join(outDir, `${entry}.js`)).href);
}

export function machine() {
  const model =
    /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  let nproc = cpus().length;
  try {
    nproc = Number(execFileSync('nproc').toString().trim());
  } catch {
    // cpus() is close enough.
  }
  return {
    nproc,
    cpu: model ?? '?',
    node: process.version,
    loadAverage: loadavg().map((x) => round(x, 1)),
  };
}

/**
 * A migrated, empty database of `kind`, as the server opens it (PGlite: a data folder,
 * removed on close; PostgreSQL: a fresh database on the server at `postgresUrl`).
 */
export async function openBenchDb(app, kind, postgresUrl, name) {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), `kraam-bench-${name}-`));
    const opened = await app.openDatabase({ kind: 'pglite', dataDir, migrations });
    return {
      ...opened,
      async close() {
        await opened.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  // KRAAM_OUT keeps the databases of two checkouts benchmarking on one server apart.
  const suffix = process.env.KRAAM_OUT ? `_${process.env.KRAAM_OUT.replace(/\W/g, '_')}` : '';
  const url = await createDatabase(postgresUrl, `kraam_bench_${name}${suffix}`);
  // The server's own pool size (open.ts default).
  return app.openDatabase({ kind: 'postgres', url, poolSize: 10, migrations });
}
