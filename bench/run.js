// `npm run bench`: prints figures (never passes or fails on a time) and writes them to
// bench/results/latest.json. The figures in docs/benchmarks.md come from this.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import {
  coldOfflineStart,
  languageSwitch,
  startApp,
  storeBenchmarks,
  tillJavaScript,
} from './device.js';
import { coldStart } from './cold-start.js';
import { startFloor } from './floor.js';
import { routeJavaScript } from './route-js.js';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
};

/** The load average now (1, 5, 15 min), printed with the figures measured beside it. */
const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;
const ms = (x) => (typeof x === 'number' ? `${x.toFixed(1)} ms` : '-');

/** A cold start's figures (bench/cold-start.js), with the load beside them. */
function printCold(name, cold) {
  console.log(
    `${name}: median ${ms(cold.medianMs)}, max ${ms(cold.maxMs)} (${cold.runs} runs: ${cold.allMs.join(', ')} ms; ${load()})`,
  );
  console.log(
    `    medians from navigation start: HTML from the service worker ${cold.phasesMs.html} ms, last script ${cold.phasesMs.scripts} ms, tile in the document ${cold.phasesMs.inDom} ms, first task after it ${cold.phasesMs.free} ms, load event ${cold.phasesMs.load} ms, tile enabled as polled ${cold.phasesMs.interactive} ms`,
  );
  if (cold.tap) {
    console.log(
      `    a real tap as soon as the tile can take it: navigation start to the cart showing it median ${cold.tap.medianMs} ms, max ${cold.tap.maxMs} ms (${cold.tap.allMs.join(', ')}); the tap's input at ${cold.tap.inputMs} ms, input to cart ${cold.tap.inputToCartMs} ms`,
    );
  }
}

if (want('device')) {
  console.log('\n== Device store (headless Chromium, IndexedDB) ==');
  const r = await storeBenchmarks();
  results.device = r;
  if (r.error) console.log('ERROR', r.error);
  for (const key of ['recordSaleEmpty', 'recordSale50k']) {
    const f = r[key];
    if (!f) continue;
    console.log(
      `recordSale with ${f.storedSales} stored: median ${ms(f.recordSale.median)}, p95 ${ms(f.recordSale.p95)}` +
        ` | raw Dexie floor: median ${ms(f.floor.median)}, p95 ${ms(f.floor.p95)}` +
        ` | ratio median ${f.ratioMedian.toFixed(2)}x, p95 ${f.ratioP95.toFixed(2)}x`,
    );
  }
  for (const key of ['summary10k', 'summary100k']) {
    const f = r[key];
    if (!f) continue;
    console.log(
      `summary of ${f.sales} sales: median ${ms(f.summary.median)}, p95 ${ms(f.summary.p95)}` +
        ` | full recount from the sales: ${ms(f.recomputeFromSalesMs)} (matches: ${f.revenueMatches})`,
    );
  }
}

function printHistory(f) {
  if (!f) return;
  console.log(
    `My sales (history) of ${f.sales} sales across ${f.events} events (${f.refunds} refunded): median ${ms(f.history.median)}, p95 ${ms(f.history.p95)}` +
      ` | full recount from the sales: median ${ms(f.recount.median)}, p95 ${ms(f.recount.p95)} (${f.recount.n} runs; reports match: ${f.reportsMatch})`,
  );
}

if (want('device')) printHistory(results.device?.history100k);

// `node bench/run.js history`: the history benchmark alone (it is part of `device` too).
if (only.includes('history')) {
  console.log('\n== My sales across events (headless Chromium, IndexedDB) ==');
  const r = await storeBenchmarks('history');
  results.history = r;
  if (r.error) console.log('ERROR', r.error);
  printHistory(r.history100k);
}

if (want('till') || only.includes('cold')) {
  console.log('\n== Till in the built app ==');
  const kitDir = process.env.KRAAM_OUT ? `.svelte-kit-${process.env.KRAAM_OUT}` : '.svelte-kit';
  const route = routeJavaScript(kitDir, 'src/routes/till/+page.svelte');
  results.tillRouteBundle = route;
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  console.log(
    `till route, from the build manifest: before the till can run ${kb(route.critical.gzipBytes)} gzip` +
      ` (${route.critical.files} files, ${kb(route.critical.rawBytes)} raw);` +
      ` loaded after it is up or on first use (sync engine, zod, dialogs, payments) ${kb(route.deferred.gzipBytes)} gzip`,
  );
  const perLocale = (table) =>
    Object.entries(table)
      .map(([locale, s]) => `${locale} ${kb(s.gzipBytes)}`)
      .join(', ');
  const firstLoads = Object.values(route.localeMessages).map((s) => s.gzipBytes);
  console.log(
    `  plus, before the first render on a device in another language, its till's and shell's messages: ${perLocale(route.localeMessages)} gzip` +
      ` (so ${kb(route.critical.gzipBytes + Math.min(...firstLoads))} to ${kb(route.critical.gzipBytes + Math.max(...firstLoads))} in all);` +
      ` its other messages when the browser is idle: ${perLocale(route.localeMessagesLater)} gzip`,
  );
  // Where the first load's bytes go, by part of the app (needs the build's chunk report).
  const report = process.env.KRAAM_CHUNK_REPORT;
  if (report && existsSync(report)) {
    const { tillBreakdown } = await import('./till-breakdown.js');
    const breakdown = tillBreakdown(kitDir, report);
    results.tillBreakdown = breakdown;
    console.log("  by part (estimated shares of each file's gzip):");
    for (const [name, part] of breakdown.parts.sort((a, b) => b[1].gzip - a[1].gzip)) {
      console.log(`  ${kb(part.gzip).padStart(9)}  ${name}`);
    }
  }
  const app = await startApp(Number(process.env.BENCH_APP_PORT ?? 4191));
  try {
    // `node bench/run.js cold`: the build's figures and the cold starts only.
    if (!only.includes('cold')) {
      const js = await tillJavaScript(app.url);
      results.tillJavaScript = js;
      console.log(
        `till route JavaScript fetched by the browser until the network is idle: ${js.files} files, ${(js.rawBytes / 1024).toFixed(1)} KB raw, ${(js.gzipBytes / 1024).toFixed(1)} KB gzip`,
      );
    }
    // The till's cold start beside its floor in the same minutes (bench/floor.js): one
    // button served by a minimal service worker, and the same page drawn by as many tiny
    // module files as the till's first load.
    const floor = await startFloor(
      Number(process.env.BENCH_FLOOR_PORT ?? Number(process.env.BENCH_APP_PORT ?? 4191) + 1),
      route.critical.files,
    );
    try {
      const cold = await coldOfflineStart(app.url, 7, { tap: true });
      results.coldOfflineStart = cold;
      printCold('cold offline start to an interactive till', cold);
      const one = await coldStart(floor.url, '/one/', { tap: true });
      const many = await coldStart(floor.url, '/scripts/', { tap: true });
      results.coldOfflineStartFloor = { onePage: one, scripts: many };
      printCold('  floor: one button, its HTML from a minimal service worker', one);
      printCold(
        `  floor with ${route.critical.files} tiny module files (as many as the till's first load)`,
        many,
      );
    } finally {
      await floor.stop();
    }
    const lang = only.includes('cold') ? null : await languageSwitch(app.url);
    results.languageSwitch = lang;
    if (lang)
      console.log(
        `language switch at the till: first to English ${ms(lang.first.en)}, to Arabic ${ms(lang.first.ar)}; afterwards median ${ms(lang.repeatMedianMs)}, max ${ms(lang.maxMs)} (${lang.allMs.join(', ')} ms; ${load()})`,
      );
  } finally {
    await app.stop();
  }
}

// Only when asked by name (`npm run bench:lighthouse`, `node bench/run.js lighthouse`): about
// a minute per page on a loaded machine.
if (only.includes('lighthouse')) {
  console.log('\n== Lighthouse (mobile emulation, headless Chromium) ==');
  const { lighthouseScores } = await import('./lighthouse.js');
  // The organiser and the maker sign up from addresses of their own (per-address limits).
  const app = await startApp(Number(process.env.BENCH_APP_PORT ?? 4191), {
    ADDRESS_HEADER: 'x-forwarded-for',
  });
  try {
    const scores = await lighthouseScores(
      app.url,
      Number(process.env.BENCH_DEBUGGING_PORT ?? 9222),
    );
    results.lighthouse = scores;
    for (const [name, r] of Object.entries(scores)) {
      console.log(
        `${name} (${r.path}): performance ${r.performance}, accessibility ${r.accessibility}; FCP ${r.fcpMs} ms, LCP ${r.lcpMs} ms, TBT ${r.tbtMs} ms, CLS ${r.cls?.toFixed(3)}` +
          `${r.failing.length ? `; failing: ${r.failing.join(', ')}` : ''} (${load()})`,
      );
    }
  } finally {
    await app.stop();
  }
}

// Only when asked by name (`node bench/run.js device-pull`): a fresh device's side of a pull of
// 100,000 changes on the real Dexie store in headless Chromium (bench/browser, `pullTime`).
if (only.includes('device-pull')) {
  console.log('\n== Pull onto a fresh device: the device side in Chromium (DexieDeviceStore) ==');
  const changes = Number(process.env.BENCH_PULL_CHANGES ?? 100_000);
  // BENCH_PULL_READERS: `check` (the app's, default) or `zod`, comma-separated runs in order.
  const readers = process.env.BENCH_PULL_READERS ?? 'check';
  const r = await storeBenchmarks('pull', { changes, readers });
  results.devicePull = r.pull ?? r;
  results.devicePullRuns = r.pullRuns;
  if (r.error) console.log('ERROR', r.error);
  for (const f of r.pullRuns ?? []) {
    console.log(
      `[${f.reader}] ${f.changes} changes (${f.salesOnDevice} sales on the device, ok: ${f.ok}): ${f.seconds} s, ${f.changesPerSec} changes/s` +
        ` | reading the answers (JSON, then ${f.reader === 'zod' ? 'zod' : "the app's check"}) ${f.readSeconds} s, the store's applyPull ${f.applySeconds} s` +
        ` (making the page texts, not counted: ${f.makeSeconds} s)` +
        ` | floor, raw Dexie bulkPut of the same sales, lines and movements per page: ${f.floorSeconds} s,` +
        ` ${f.floorChangesPerSec} changes/s | main thread CPU of the engine's run (page texts' making included) ${f.mainThreadCpuSeconds} s (${load()})`,
    );
  }
}

if (want('server')) {
  const { serverBenchmarks } = await import('./server.js');
  results.server = await serverBenchmarks();
}

// Several Kraam processes on one PostgreSQL behind a round-robin, and one for comparison
// (bench/server-multi.js; `node bench/run.js multi` runs it alone).
if (want('multi')) {
  const { loadApp, machine } = await import('./server.js');
  const { startCluster } = await import('./server-cluster.js');
  const { multiServerBenchmark, PROCESSES, DEVICES } = await import('./server-multi.js');
  console.log(`\n== ${PROCESSES} server processes on one PostgreSQL, ${DEVICES} devices ==`);
  const before = machine();
  console.log(
    `machine: ${before.nproc} x ${before.cpu}, Node ${before.node}, load average ${before.loadAverage.join(' ')}`,
  );
  const app = await loadApp();
  const cluster = await startCluster();
  try {
    results.multi = { machine: before, ...(await multiServerBenchmark(app, cluster)) };
  } finally {
    if (!cluster.skipped) await cluster.stop();
  }
  results.multi.loadAverageEnd = machine().loadAverage;
  console.log(`load average at the end ${results.multi.loadAverageEnd.join(' ')}`);
}

// The accountant's exports (issue 9): a year of 50,000 sales (the aim's size; EXPORT_SALES to
// change it) on the server (Node) and on the Dexie store in Chromium, then the memory runs
// (10,000, 50,000 and 100,000 sales, each in a child with a small heap; EXPORT_MEMORY=0 skips
// them): every figure docs/benchmarks.md's exports table has. Takes a quarter of an hour.
if (want('exports')) {
  const sales = Number(process.env.EXPORT_SALES ?? 50_000);
  console.log(`\n== The accountant's exports, a year of ${sales} sales ==`);
  const { exportsBenchmark, exportsMemory } = await import('./exports.js');
  results.exports = await exportsBenchmark(sales);
  if (process.env.EXPORT_MEMORY !== '0') results.exports.memory = await exportsMemory();
  const r = await storeBenchmarks('exports', { sales: String(sales) });
  if (r.error) console.log('ERROR', r.error);
  results.exports.dexie = r.exports;
  for (const format of ['csv-nl', 'xlsx-page', 'xlsx']) {
    const f = r.exports?.[format];
    if (f) {
      console.log(
        `device (Dexie, Chromium) ${{ 'xlsx-page': 'xlsx compressed on the page', xlsx: 'xlsx compressed in the worker' }[format] ?? format}: runs ${r.exports[`${format}-runs`].map((x) => `${x.ms} ms (main thread CPU ${x.mainThreadCpuMs} ms)`).join(', ')}; last: wall ${f.ms} ms (load ${loadavg()
          .slice(0, 2)
          .map((x) => x.toFixed(1))
          .join(
            '/',
          )}), +${f.heapPeakMB} MB heap peak, ${f.bytes} bytes (${(f.bytes / 1e6).toFixed(1)} MB)`,
      );
    }
  }
}

if (want('durability')) {
  const { durabilityBenchmarks } = await import('./durability.js');
  results.durability = await durabilityBenchmarks();
}

mkdirSync(new URL('./results', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));
console.log('\nwritten to bench/results/latest.json');
