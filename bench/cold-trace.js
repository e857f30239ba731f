// Where a cold offline start of the till goes (issue 11; docs/benchmarks.md "Speed (issue 11),
// the cold start: its floor and where it goes"): one cold start as `coldStart` makes it
// (bench/cold-start.js), with a Chromium trace (CDP `Tracing` through Playwright's
// `newCDPSession`) of the page's main thread and its service worker, summed by phase.
//
//   node bench/cold-trace.js [runs] [out.json]   (the built app, as `node bench/run.js till`)
//
// Printed per run, in ms from navigation start: the main thread's busy time by kind (script
// compile, module evaluation and the app's JavaScript per file, style/layout/paint, GC,
// parsing HTML), every task of 10 ms or more with the file its time went to, and the service
// worker's thread (its start, its fetch events, each script's time in it from resource timing).
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openOffline, prepareProfile, tile } from './cold-start.js';
import { setUpStall, startApp } from './device.js';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'loading',
  'ServiceWorker',
  'toplevel',
  'blink',
].join(',');

async function traceOnce(profile, url, path) {
  const events = [];
  let cdp;
  const { context, page } = await openOffline(profile, url, path, {
    waitUntil: 'commit',
    async onPage(p) {
      cdp = await p.context().newCDPSession(p);
      cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
      await cdp.send('Tracing.start', {
        traceConfig: {
          includedCategories: CATEGORIES.split(','),
          recordMode: 'recordAsMuchAsPossible',
        },
        transferMode: 'ReportEvents',
      });
    },
  });
  await tile(page).waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const t = [...document.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Brood'),
    );
    return t && !t.disabled;
  });
  const polled = await page.evaluate(() => performance.now());
  // What runs after the polled moment belongs to the start too (the store, the dialogs).
  await page.waitForTimeout(1500);
  const timing = await page.evaluate(() => ({
    inDom: window.__kraamTileInDom,
    free: window.__kraamTileFree,
    nodesAtTile: window.__kraamNodesAtTile,
    nodesAtPolled: document.getElementsByTagName('*').length,
    load: performance.getEntriesByType('navigation')[0]?.loadEventEnd,
    html: performance.getEntriesByType('navigation')[0]?.responseEnd,
    scripts: performance
      .getEntriesByType('resource')
      .filter((r) => r.name.endsWith('.js'))
      .map((r) => ({
        file: r.name.replace(/^.*\//, ''),
        start: r.startTime,
        worker: r.workerStart,
        responseStart: r.responseStart,
        end: r.responseEnd,
      })),
  }));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  await context.close();
  return { events, timing: { ...timing, polled } };
}

const short = (u) => (u ? String(u).replace(/^.*\//, '').replace(/\?.*$/, '') : '');

/** Sums the trace of one start into phases (ms from navigation start). */
export function analyse(events, timing) {
  const nav = events.find(
    (e) => e.name === 'navigationStart' && /\/till/.test(e.args?.data?.documentLoaderURL ?? ''),
  );
  if (!nav) return { error: 'no navigationStart for /till in the trace' };
  const t0 = nav.ts;
  const rel = (ts) => (ts - t0) / 1000;
  // The page's main thread: the thread that had the navigationStart mark.
  const main = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid);
  const threadNames = new Map(
    events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]),
  );
  const workerThreads = new Set(
    [...threadNames].filter(([, n]) => /ServiceWorker/i.test(n)).map(([k]) => k),
  );
  const worker = events.filter((e) => workerThreads.has(`${e.pid}:${e.tid}`));
  const complete = (list) =>
    list.filter((e) => e.ph === 'X' && typeof e.dur === 'number' && e.ts >= t0);
  // The outermost tasks of a thread (a task may run nested tasks).
  const outermost = (list) => {
    let until = -1;
    return list
      .filter((e) => e.name === 'RunTask')
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur)
      .filter((e) => {
        if (e.ts < until) return false;
        until = e.ts + e.dur;
        return true;
      });
  };
  const tasks = outermost(complete(main));
  // Busy time by kind, counting only the outermost event of each kind.
  const kinds = {
    'compile (module/script)':
      /^(v8\.compileModule|v8\.compile|V8\.CompileCode|CompileScript|V8\.CompileLazy)$/,
    'evaluate modules and scripts': /^(v8\.evaluateModule|EvaluateScript)$/,
    'JavaScript run later (promises, timers, frames, events)':
      /^(FunctionCall|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|v8\.callFunction)$/,
    'code cache made': /^v8\.produceModuleCache$/,
    'style, layout, paint':
      /^(UpdateLayoutTree|RecalculateStyles|Layout|Paint|PrePaint|UpdateLayerTree|Layerize|Commit)$/,
    GC: /^(MinorGC|MajorGC|V8\.GCScavenger|V8\.GCIncrementalMarking|V8\.GCFinalizeMC|BlinkGC\.AtomicPhase)$/,
    'parse HTML': /^ParseHTML$/,
  };
  const windows = {
    'to the HTML': [0, timing.html],
    'HTML to tile in the document': [timing.html, timing.inDom],
    'tile in the document to polled': [timing.inDom, timing.polled],
    'after polled (1.5 s)': [timing.polled, timing.polled + 1500],
  };
  const mainX = complete(main);
  const byWindow = {};
  for (const [w, [a, b]] of Object.entries(windows)) {
    const inside = (e) => rel(e.ts) >= a && rel(e.ts) < b;
    const row = { wall: Math.round(b - a) };
    row.busy = Math.round(tasks.filter(inside).reduce((s, e) => s + e.dur / 1000, 0));
    // The same tasks' thread time (CPU), which other processes' load does not stretch.
    row.cpu = Math.round(tasks.filter(inside).reduce((s, e) => s + (e.tdur ?? 0) / 1000, 0));
    for (const [kind, re] of Object.entries(kinds)) {
      let sum = 0;
      let until = -1;
      for (const e of mainX
        .filter((e) => re.test(e.name) && inside(e))
        .sort((x, y) => x.ts - y.ts)) {
        if (e.ts >= until) {
          sum += e.dur / 1000;
          until = e.ts + e.dur;
        }
      }
      row[kind] = Math.round(sum);
    }
    byWindow[w] = row;
  }
  // Each long task and where its time went (the scripts evaluated or called in it).
  const long = tasks
    .filter((t) => t.dur >= 10_000 && rel(t.ts) < timing.polled + 1500)
    .map((t) => {
      const within = mainX.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t);
      const files = {};
      for (const e of within) {
        const url =
          e.args?.data?.url ??
          e.args?.data?.scriptName ??
          e.args?.fileName ??
          e.args?.data?.functionName;
        if (!url || !/\.js|\.html|^\w+$/.test(String(url))) continue;
        if (
          !/^(v8\.evaluateModule|EvaluateScript|FunctionCall|v8\.compileModule|v8\.compile)$/.test(
            e.name,
          )
        )
          continue;
        const key = `${e.name === 'FunctionCall' ? 'call' : e.name.includes('compile') ? 'compile' : 'eval'} ${short(url)}`;
        files[key] = (files[key] ?? 0) + e.dur / 1000;
      }
      const top = Object.entries(files)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, v]) => `${k} ${Math.round(v)}`);
      return { at: Math.round(rel(t.ts)), ms: Math.round(t.dur / 1000), top };
    });
  // Style recalculation and layout before the tile and after it (their sum, the longest),
  // and the longest task between the tile and the polled moment.
  const layoutsOf = (a, b) => {
    const inside = mainX.filter(
      (e) => /^(Layout|UpdateLayoutTree)$/.test(e.name) && rel(e.ts) >= a && rel(e.ts) < b,
    );
    const longest = inside.reduce((x, e) => (e.dur > (x?.dur ?? -1) ? e : x), null);
    return {
      ms: Math.round(inside.reduce((sum, e) => sum + e.dur, 0) / 1000),
      longest:
        longest &&
        `${longest.name} at ${Math.round(rel(longest.ts))}: ${Math.round(longest.dur / 1000)} ms`,
    };
  };
  const layouts = {
    beforeTile: layoutsOf(0, timing.inDom + 1),
    tileToPolled: layoutsOf(timing.inDom + 1, timing.polled),
  };
  const afterTile = tasks.filter((t) => rel(t.ts) >= timing.inDom && rel(t.ts) < timing.polled);
  const longestAfterTile = Math.round(Math.max(0, ...afterTile.map((t) => t.dur / 1000)));
  // The service worker: its thread's busy time and its fetch events (count, time).
  const workerX = complete(worker);
  const fetches = workerX.filter(
    (e) =>
      e.name === 'ServiceWorkerGlobalScope::DispatchFetchEventInternal' && rel(e.ts) < timing.inDom,
  );
  const workerBusy = outermost(workerX)
    .filter((e) => rel(e.ts) < timing.inDom)
    .reduce((s, e) => s + e.dur / 1000, 0);
  const workerFirst = workerX.length ? rel(Math.min(...workerX.map((e) => e.ts))) : null;
  const scripts = timing.scripts.filter((s) => s.start < timing.inDom);
  const inWorker = scripts.map((s) => s.end - s.worker).sort((a, b) => a - b);
  return {
    timing: Object.fromEntries(
      Object.entries(timing)
        .filter(([k]) => k !== 'scripts')
        .map(([k, v]) => [k, Math.round(v)]),
    ),
    byWindow,
    layouts,
    longestTaskTileToPolled: longestAfterTile,
    tasksTileToPolled: afterTile.length,
    long,
    worker: {
      threads: [...workerThreads].map((k) => threadNames.get(k)),
      firstEventMs: workerFirst === null ? null : Math.round(workerFirst),
      busyBeforeTileMs: Math.round(workerBusy),
      fetchEvents: fetches.length,
      scriptsBeforeTile: scripts.length,
      firstScriptAskedMs: Math.round(Math.min(...scripts.map((s) => s.start))),
      lastScriptInMs: Math.round(Math.max(...scripts.map((s) => s.end))),
      perScriptInWorkerMs: {
        median: Math.round(inWorker[Math.floor(inWorker.length / 2)] ?? 0),
        max: Math.round(inWorker[inWorker.length - 1] ?? 0),
      },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 3);
  const out = process.argv[3];
  const app = await startApp(Number(process.env.BENCH_APP_PORT ?? 4191));
  const all = [];
  try {
    const profile = await prepareProfile(app.url, '/till', setUpStall);
    for (let i = 0; i < runs; i++) {
      const { events, timing } = await traceOnce(profile, app.url, '/till');
      const result = analyse(events, timing);
      result.load = loadavg()
        .map((x) => x.toFixed(1))
        .join(' ');
      all.push(result);
      console.log(JSON.stringify(result, null, 1));
      if (out && i === 0) writeFileSync(out, JSON.stringify({ traceEvents: events }));
    }
  } finally {
    await app.stop();
  }
}
