// The accountant's exports (issue 9): a year of 50,000 sales (150,000 lines) and 500 refunds
// of one maker, exported (1) by the server, on PGlite and on PostgreSQL when
// TEST_DATABASE_URL is set, as streamed Dutch CSV and as xlsx, and (2) on the device from the
// in-memory store twin (the Dexie store in a browser is bench/browser's part). Each: wall
// time, this process's CPU time, the load average, and the peak RSS and heap above the level
// before the run (sampled every 10 ms). Aim: under 3 s, memory bounded.
//
// `memory` mode (node bench/exports.js memory): each export of 10,000, 50,000 and 100,000
// sales in a child process with a small heap (--max-old-space-size, EXPORT_HEAP_MB, 96 by
// default) and --expose-gc, the live heap and RSS sampled after a forced garbage collection
// as the file is made: if anything held the year's rows the peak would grow with the year
// (and the child would run out of heap).
//
// EXPORT_PROFILE=<dir> writes a CPU profile of each export (the export alone, not the set-up).
// Run: node --expose-gc bench/exports.js [memory]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleApp, machine, openBenchDb, root } from './bench-app.js';
import { round } from './server-stats.js';
const YEAR = 2026;
/** Which runs and formats (comma lists), e.g. EXPORT_RUNS=postgres EXPORT_FORMATS=csv-nl. */
const RUNS = (process.env.EXPORT_RUNS ?? 'pglite,postgres,device').split(',');
const FORMATS = (process.env.EXPORT_FORMATS ?? 'csv-nl,xlsx').split(',');
const BUNDLE = 'bench-exports';
/** The memory mode's own bundle (its children load it while the other mode may rebuild its). */
const MEMORY_BUNDLE = 'bench-exports-memory';

/**
 * A year of sales, `size` at a time (so a child with a small heap can seed 100,000): spread
 * over the year, 3 lines each, and a refund of every 100th.
 */
function* yearChunks(app, makerId, SALES, size = 1000) {
  const start = Date.UTC(YEAR, 0, 1, 9);
  const span = Date.UTC(YEAR, 11, 30, 9) - start;
  for (let first = 1; first <= SALES; first += size) {
    const made = [];
    const refunds = [];
    for (let n = first; n < first + size && n <= SALES; n++) {
      const m = app.exportSale(
        n,
        [
          { productId: 'p1', name: 'Kom', price: 1250, quantity: 1, vatRate: 21 },
          { productId: 'p2', name: 'Koekjes', price: 300, quantity: 2, vatRate: 9 },
          { productId: 'p3', name: 'Kaart', price: 250, quantity: 1, vatRate: 21 },
        ],
        {
          createdAt: start + Math.floor((span * n) / SALES),
          makerId,
          eventId: `event-${Math.floor(n / 500)}`,
          deviceId: n % 2 ? 'device-a' : 'device-b',
          method: n % 3 ? 'cash' : 'qr',
          idPrefix: `s${n}`,
        },
      );
      made.push(m);
      if (n % 100 === 0) {
        refunds.push(
          app.exportRefund(m, [], {
            id: `r${n}`,
            reason: 'Terug',
            createdAt: m.sale.createdAt + 60_000,
            lines: [{ saleLineId: m.lines[0].id, quantity: 1 }],
          }),
        );
      }
    }
    yield { made, refunds };
  }
}

const mb = (x) => round(x / 1024 / 1024, 1);

/** A CPU profile of `fn` alone into EXPORT_PROFILE/<label>.cpuprofile (when set). */
async function profiled(label, fn) {
  const dir = process.env.EXPORT_PROFILE;
  if (!dir) return fn();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** Runs `fn`, sampling memory; returns its result, ms, CPU ms and the peaks above the start. */
async function measured(label, fn) {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss);
    heap = Math.max(heap, now.heapUsed);
  }, 10);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await profiled(label, fn);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const end = process.memoryUsage();
  rss = Math.max(rss, end.rss);
  heap = Math.max(heap, end.heapUsed);
  return {
    result,
    ms: Math.round(ms),
    // This process's CPU time (user + system, all its threads: zlib's too): on a shared,
    // loaded machine a steadier figure than the wall time (PGlite runs in this process;
    // PostgreSQL's own work is not in it).
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMB: mb(rss - base.rss),
    heapMB: mb(heap - base.heapUsed),
    load: machine().loadAverage,
  };
}

/** Reads the body as a client would; `every` is told after each chunk. */
async function drain(body, every) {
  if (body instanceof Blob) return body.size;
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    every?.(chunk.byteLength);
  }
  return bytes;
}

async function seed(app, db, sales) {
  for (const chunk of yearChunks(app, 'maker-1', sales)) {
    await db
      .insert(app.sales)
      .values(chunk.made.map((m) => app.saleToRow(m.sale, m.sale.makerId, [])));
    await db.insert(app.saleLines).values(chunk.made.flatMap((m) => m.lines));
    for (const r of chunk.refunds) {
      const { row, lines } = app.refundToRows(r);
      await db.insert(app.refunds).values(row);
      await db.insert(app.refundLines).values(lines);
    }
  }
}

function serverExport(app, db, format, every) {
  return async () => {
    const file = await app.booksExport(db, 'maker-1', {
      kind: 'journal',
      format,
      period: { kind: 'year', year: YEAR },
    });
    return drain(file.body, every);
  };
}

function line(label, run) {
  const [l1, l5] = run.load;
  console.log(
    `${label}: CPU ${run.cpuMs} ms, wall ${run.ms} ms (load ${l1}/${l5}), +${run.rssMB} MB RSS, +${run.heapMB} MB heap peak, ${run.result} bytes (${round(run.result / 1e6, 1)} MB)`,
  );
}

const figures = (run) => ({
  ms: run.ms,
  cpuMs: run.cpuMs,
  load: run.load,
  rssMB: run.rssMB,
  heapMB: run.heapMB,
  bytes: run.result,
});

async function serverRuns(app, kind, sales) {
  const opened = await openBenchDb(app, kind, process.env.TEST_DATABASE_URL, `exports_${sales}`);
  try {
    await seed(app, opened.db, sales);
    const out = {};
    for (const format of FORMATS) {
      const run = await measured(`server-${kind}-${format}`, serverExport(app, opened.db, format));
      out[format] = figures(run);
      line(`server ${kind} ${format}`, run);
    }
    return out;
  } finally {
    await opened.close();
  }
}

/** The memory twin with the year in it, and the part of it the export reads. */
function deviceStore(app, sales, every) {
  const store = new app.MemoryDeviceStore();
  const backing = store.backing;
  for (const chunk of yearChunks(app, 'maker-1', sales)) {
    for (const m of chunk.made) {
      backing.sales.set(m.sale.id, m.sale);
      backing.linesBySale.set(m.sale.id, m.lines);
    }
    for (const r of chunk.refunds) backing.refunds.set(r.id, r);
  }
  return {
    listForExport: (s) => store.listForExport(s),
    listExportSales: (...a) => {
      every?.();
      return store.listExportSales(...a);
    },
    listExportRefunds: (...a) => store.listExportRefunds(...a),
    countForExport: (r) => store.countForExport(r),
    getDeviceCodes: () => store.getDeviceCodes(),
    getProfile: () => store.getProfile(),
    listEvents: () => store.listEvents(),
    listCashReports: (e) => store.listCashReports(e),
  };
}

function deviceExport(app, store, format) {
  return async () => {
    const file = await app.exportBooks(store, {
      kind: 'journal',
      format,
      period: { kind: 'year', year: YEAR },
    });
    return file.blob.size;
  };
}

async function deviceRuns(app, sales) {
  const store = deviceStore(app, sales);
  const out = {};
  for (const format of FORMATS) {
    const run = await measured(`device-${format}`, deviceExport(app, store, format));
    out[format] = figures(run);
    line(`device (memory twin) ${format}`, run);
  }
  return out;
}

/**
 * `sales`: the year's size (50,000 by default, EXPORT_SALES to change it; the aim's size).
 */
export async function exportsBenchmark(sales = Number(process.env.EXPORT_SALES ?? 50_000)) {
  const app = await bundleApp('exports-app', BUNDLE);
  console.log(
    `exports: ${sales} sales, ${sales * 3} lines, ${Math.floor(sales / 100)} refunds in ${YEAR}`,
    JSON.stringify(machine()),
  );
  const results = { sales, machine: machine(), date: new Date().toISOString() };
  if (RUNS.includes('pglite')) results.pglite = await serverRuns(app, 'pglite', sales);
  if (!RUNS.includes('postgres')) {
    // not asked for
  } else if (process.env.TEST_DATABASE_URL) {
    results.postgres = await serverRuns(app, 'postgres', sales);
  } else console.log('PostgreSQL skipped: set TEST_DATABASE_URL');
  if (RUNS.includes('device')) results.device = await deviceRuns(app, sales);
  return results;
}

// ---------------------------------------------------------------------------------------
// Memory, shown: each export in a child with a small heap

/** In the child: seed, then export while sampling the live heap after a forced GC. */
async function memoryChild(run, format, sales) {
  const app = await import(pathToFileURL(join(root, 'tmp', MEMORY_BUNDLE, 'exports-app.js')).href);
  let peakHeap = 0;
  let peakRss = 0;
  let samples = 0;
  const sample = () => {
    globalThis.gc();
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
    samples++;
  };
  // Server: after each 256 KB of the file read (each page of the CSV, every dozen or so of the
  // xlsx's compressed chunks); device: each page read from the store.
  let unsampled = 0;
  const every =
    run === 'device'
      ? sample
      : (bytes) => {
          unsampled += bytes;
          if (unsampled >= 256 * 1024) {
            unsampled = 0;
            sample();
          }
        };
  let opened;
  let fn;
  if (run === 'device') fn = deviceExport(app, deviceStore(app, sales, every), format);
  else {
    opened = await openBenchDb(app, run, process.env.TEST_DATABASE_URL, `exports_mem_${sales}`);
    await seed(app, opened.db, sales);
    fn = serverExport(app, opened.db, format, every);
  }
  globalThis.gc();
  const base = process.memoryUsage();
  const cpu0 = process.cpuUsage();
  const bytes = await fn();
  const cpu = process.cpuUsage(cpu0);
  sample();
  await opened?.close();
  process.stdout.write(
    `${JSON.stringify({
      run,
      format,
      sales,
      bytes,
      samples,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      baseHeapMB: mb(base.heapUsed),
      peakHeapMB: mb(peakHeap),
      baseRssMB: mb(base.rss),
      peakRssMB: mb(peakRss),
    })}\n`,
  );
}

function child(args, heapMB) {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      ['--expose-gc', `--max-old-space-size=${heapMB}`, join(root, 'bench/exports.js'), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last));
      else
        resolve({ error: `exit ${code}: ${(err || out).trim().split('\n').slice(-3).join(' ')}` });
    });
  });
}

/**
 * The exports of 10,000, 50,000 and 100,000 sales (EXPORT_MEMORY_SIZES), each in a child
 * with EXPORT_HEAP_MB of heap (96; the device's twin holds the year itself, so it gets
 * EXPORT_DEVICE_HEAP_MB, 768, and its figure is read above the level with the year loaded).
 */
export async function exportsMemory() {
  const sizes = (process.env.EXPORT_MEMORY_SIZES ?? '10000,50000,100000').split(',').map(Number);
  const heap = Number(process.env.EXPORT_HEAP_MB ?? 96);
  const deviceHeap = Number(process.env.EXPORT_DEVICE_HEAP_MB ?? 768);
  await bundleApp('exports-app', MEMORY_BUNDLE);
  console.log(
    `exports memory: live heap and RSS after a forced GC, peak while exporting; server children --max-old-space-size=${heap}, device ${deviceHeap}`,
    JSON.stringify(machine()),
  );
  const runs = RUNS.filter((r) => r !== 'postgres' || process.env.TEST_DATABASE_URL);
  const results = {};
  for (const run of runs) {
    for (const format of FORMATS) {
      const row = [];
      for (const sales of sizes) {
        const r = await child(
          ['child', run, format, String(sales)],
          run === 'device' ? deviceHeap : heap,
        );
        row.push(r);
      }
      results[`${run} ${format}`] = row;
      const cell = (r) =>
        r.error
          ? `FAILED (${r.error})`
          : run === 'device'
            ? `heap +${round(r.peakHeapMB - r.baseHeapMB, 1)} MB above the loaded twin, RSS +${round(r.peakRssMB - r.baseRssMB, 1)} MB`
            : `heap ${r.peakHeapMB} MB, RSS ${r.peakRssMB} MB`;
      console.log(
        `memory ${run} ${format}: ` +
          row.map((r, i) => `${sizes[i].toLocaleString('en')} sales: ${cell(r)}`).join(' | '),
      );
    }
  }
  return { sizes, heapMB: heap, deviceHeapMB: deviceHeap, machine: machine(), results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'child') await memoryChild(args[0], args[1], Number(args[2]));
  else if (mode === 'memory') console.log(JSON.stringify(await exportsMemory(), null, 2));
  else console.log(JSON.stringify(await exportsBenchmark(), null, 2));
}
