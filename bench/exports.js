// The accountant's exports (issue 9): a year of 50,000 sales (150,000 lines) and 500 refunds
// of one maker, exported (1) by the server, on PGlite and on PostgreSQL when
// TEST_DATABASE_URL is set, as streamed Dutch CSV and as xlsx, and (2) on the device from the
// in-memory store twin (the Dexie store in a browser is not measured here: see
// docs/benchmarks.md). Each: wall time, and the peak RSS and heap above the level before the
// run (sampled every 10 ms). Aim: under 3 s, memory bounded. Run: node bench/exports.js
import { pathToFileURL } from 'node:url';
import { bundleApp, machine, openBenchDb } from './bench-app.js';
const YEAR = 2026;
/** Which runs and formats (comma lists), e.g. EXPORT_RUNS=postgres EXPORT_FORMATS=csv-nl. */
const RUNS = (process.env.EXPORT_RUNS ?? 'pglite,postgres,device').split(',');
const FORMATS = (process.env.EXPORT_FORMATS ?? 'csv-nl,xlsx').split(',');

/** A year of sales: spread over the year, 3 lines each, and a refund of every 100th. */
function makeYear(app, makerId, SALES) {
  const start = Date.UTC(YEAR, 0, 1, 9);
  const span = Date.UTC(YEAR, 11, 30, 9) - start;
  const made = [];
  const refunds = [];
  for (let n = 1; n <= SALES; n++) {
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
  return { made, refunds };
}

/** Runs `fn`, sampling memory; returns its result, ms and the peaks above the start (MB). */
async function measured(fn) {
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
  const result = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const end = process.memoryUsage();
  rss = Math.max(rss, end.rss);
  heap = Math.max(heap, end.heapUsed);
  const mb = (x) => Math.round((x / 1024 / 1024) * 10) / 10;
  return {
    result,
    ms: Math.round(ms),
    // This process's CPU time (user + system): on a shared, loaded machine a steadier figure
    // than the wall time (PGlite runs in this process; PostgreSQL's own work is not in it).
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMB: mb(rss - base.rss),
    heapMB: mb(heap - base.heapUsed),
  };
}

async function drain(body) {
  if (body instanceof Blob) return body.size;
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.byteLength;
  return bytes;
}

async function seed(app, db, year) {
  for (let i = 0; i < year.made.length; i += 1000) {
    const chunk = year.made.slice(i, i + 1000);
    await db.insert(app.sales).values(chunk.map((m) => app.saleToRow(m.sale, m.sale.makerId, [])));
    await db.insert(app.saleLines).values(chunk.flatMap((m) => m.lines));
  }
  for (const r of year.refunds) {
    const { row, lines } = app.refundToRows(r);
    await db.insert(app.refunds).values(row);
    await db.insert(app.refundLines).values(lines);
  }
}

async function serverRuns(app, kind, year) {
  const opened = await openBenchDb(
    app,
    kind,
    process.env.TEST_DATABASE_URL,
    `exports_${year.made.length}`,
  );
  try {
    await seed(app, opened.db, year);
    const out = {};
    for (const format of FORMATS) {
      const run = await measured(async () => {
        const file = await app.booksExport(opened.db, 'maker-1', {
          kind: 'journal',
          format,
          period: { kind: 'year', year: YEAR },
        });
        return drain(file.body);
      });
      out[format] = {
        ms: run.ms,
        cpuMs: run.cpuMs,
        rssMB: run.rssMB,
        heapMB: run.heapMB,
        bytes: run.result,
      };
      console.log(
        `server ${kind} ${format}: ${run.ms} ms (CPU ${run.cpuMs} ms), +${run.rssMB} MB RSS, +${run.heapMB} MB heap peak, ${run.result} bytes`,
      );
    }
    return out;
  } finally {
    await opened.close();
  }
}

async function deviceRuns(app, year) {
  const store = new app.MemoryDeviceStore();
  const backing = store.backing;
  for (const m of year.made) {
    backing.sales.set(m.sale.id, m.sale);
    backing.linesBySale.set(m.sale.id, m.lines);
  }
  for (const r of year.refunds) backing.refunds.set(r.id, r);
  const out = {};
  for (const format of FORMATS) {
    const run = await measured(async () => {
      const file = await app.exportBooks(store, {
        kind: 'journal',
        format,
        period: { kind: 'year', year: YEAR },
      });
      return file.blob.size;
    });
    out[format] = {
      ms: run.ms,
      cpuMs: run.cpuMs,
      rssMB: run.rssMB,
      heapMB: run.heapMB,
      bytes: run.result,
    };
    console.log(
      `device (memory twin) ${format}: ${run.ms} ms (CPU ${run.cpuMs} ms), +${run.rssMB} MB RSS, +${run.heapMB} MB heap peak, ${run.result} bytes`,
    );
  }
  return out;
}

/**
 * `sales`: the year's size (50,000 by default, EXPORT_SALES to change it; bench/run.js runs a
 * smaller one unless EXPORT_SALES is set).
 */
export async function exportsBenchmark(sales = Number(process.env.EXPORT_SALES ?? 50_000)) {
  const app = await bundleApp('exports-app', 'bench-exports');
  const year = makeYear(app, 'maker-1', sales);
  console.log(
    `exports: ${sales} sales, ${sales * 3} lines, ${Math.floor(sales / 100)} refunds in ${YEAR}`,
    machine(),
  );
  const results = { sales, machine: machine(), date: new Date().toISOString() };
  if (RUNS.includes('pglite')) results.pglite = await serverRuns(app, 'pglite', year);
  if (!RUNS.includes('postgres')) {
    // not asked for
  } else if (process.env.TEST_DATABASE_URL) {
    results.postgres = await serverRuns(app, 'postgres', year);
  } else console.log('PostgreSQL skipped: set TEST_DATABASE_URL');
  if (RUNS.includes('device')) results.device = await deviceRuns(app, year);
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await exportsBenchmark();
  console.log(JSON.stringify(results, null, 2));
}
