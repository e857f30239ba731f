// Where the page's main thread spends a cold offline start of the till, by function and by
// source file (issue 11; docs/benchmarks.md "the cold start, third look"): one cold start as
// `coldStart` makes it (bench/cold-start.js), traced with V8's sampling profiler
// (`disabled-by-default-v8.cpu_profiler`, through CDP `Tracing`), the samples of the page's
// main thread summed in two windows: the HTML to the tile in the document, and the tile to
// the moment Playwright's polling saw it enabled.
//
//   KRAAM_OUT=x npx vite build --sourcemap   (optional: names and files from the source maps)
//   KRAAM_OUT=x node bench/cold-profile.js [runs] [top]
//
// Without source maps the minified names and chunk files are printed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { openOffline, prepareProfile, tile } from './cold-start.js';
import { setUpStall, startApp } from './device.js';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-v8.cpu_profiler',
  'v8',
  'blink.user_timing',
  'loading',
  'toplevel',
  'blink',
  // More, for a closer look (e.g. `fonts`, `disabled-by-default-blink.debug.layout`).
  ...(process.env.COLD_PROFILE_CATEGORIES?.split(',') ?? []),
];

const buildDir = `build${process.env.KRAAM_OUT ? `-${process.env.KRAAM_OUT}` : ''}`;
const maps = new Map();
function mapOf(url) {
  const path = String(url).replace(/^https?:\/\/[^/]+/, '');
  if (!path.startsWith('/_app/')) return null;
  if (!maps.has(path)) {
    const file = join(buildDir, 'client', `${path}.map`);
    maps.set(path, existsSync(file) ? new TraceMap(readFileSync(file, 'utf8')) : null);
  }
  return maps.get(path);
}

/** A frame's name: the source's file, line and function where a map says, else the chunk's. */
function frameName(cf) {
  if (!cf.url) return cf.functionName ? `(${cf.functionName})` : '(native)';
  const map = mapOf(cf.url);
  if (map) {
    const pos = originalPositionFor(map, { line: cf.lineNumber + 1, column: cf.columnNumber });
    if (pos.source) {
      const src = pos.source.replace(/^(\.\.\/)+/, '').replace(/^node_modules\//, 'nm/');
      return `${pos.name ?? cf.functionName ?? '?'} ${src}:${pos.line}`;
    }
  }
  const file = String(cf.url).replace(/^.*\//, '');
  return `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}:${cf.columnNumber}`;
}
const fileOf = (name) => name.replace(/^.* /, '').replace(/:\d+(:\d+)?$/, '');

async function traceOnce(profile, url, path) {
  const events = [];
  let cdp;
  const { context, page } = await openOffline(profile, url, path, {
    waitUntil: 'commit',
    async onPage(p) {
      cdp = await p.context().newCDPSession(p);
      cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
      await cdp.send('Tracing.start', {
        traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
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
  await page.waitForTimeout(1000);
  const timing = await page.evaluate(() => ({
    inDom: window.__kraamTileInDom,
    html: performance.getEntriesByType('navigation')[0]?.responseEnd,
  }));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  await context.close();
  return { events, timing: { ...timing, polled } };
}

function analyse(events, timing, top) {
  const nav = events.find(
    (e) => e.name === 'navigationStart' && /\/till/.test(e.args?.data?.documentLoaderURL ?? ''),
  );
  if (!nav) return { error: 'no navigationStart for /till' };
  const t0 = nav.ts;
  // The page's main thread's profile: its `Profile` event on that thread, its chunks by id.
  const head = events.find((e) => e.name === 'Profile' && e.pid === nav.pid && e.tid === nav.tid);
  if (!head) return { error: 'no CPU profile of the main thread' };
  const chunks = events.filter(
    (e) => e.name === 'ProfileChunk' && e.pid === head.pid && e.id === head.id,
  );
  const nodes = new Map();
  const samples = [];
  let t = head.args.data.startTime;
  for (const c of chunks) {
    const p = c.args.data.cpuProfile ?? {};
    for (const n of p.nodes ?? []) nodes.set(n.id, n);
    const deltas = c.args.data.timeDeltas ?? [];
    (p.samples ?? []).forEach((id, i) => {
      t += deltas[i] ?? 0;
      samples.push({ id, ms: (t - t0) / 1000 });
    });
  }
  const names = new Map();
  const nameOf = (id) => {
    if (!names.has(id)) names.set(id, frameName(nodes.get(id)?.callFrame ?? {}));
    return names.get(id);
  };
  const windows = {
    'HTML to tile in the document': [timing.html, timing.inDom],
    'tile to polled': [timing.inDom, timing.polled],
  };
  // `COLD_PROFILE_WINDOW=a,b`: one more window, ms from navigation start.
  if (process.env.COLD_PROFILE_WINDOW) {
    const [a, b] = process.env.COLD_PROFILE_WINDOW.split(',').map(Number);
    windows[`${a} to ${b}`] = [a, b];
  }
  const out = {};
  for (const [w, [a, b]] of Object.entries(windows)) {
    const inside = samples
      .map((s, i) => ({ ...s, dur: (samples[i + 1]?.ms ?? s.ms) - s.ms }))
      .filter((s) => s.ms >= a && s.ms < b);
    const self = {};
    const files = {};
    const total = {};
    for (const s of inside) {
      const n = nameOf(s.id);
      self[n] = (self[n] ?? 0) + s.dur;
      const f = /^\((idle|program|garbage collector)\)$/.test(n) ? n : fileOf(n);
      files[f] = (files[f] ?? 0) + s.dur;
      // Time with callees: every distinct frame on the stack.
      const seen = new Set();
      for (let id = s.id; id !== undefined; id = nodes.get(id)?.parent) {
        const name = nameOf(id);
        if (seen.has(name)) continue;
        seen.add(name);
        total[name] = (total[name] ?? 0) + s.dur;
      }
    }
    const list = (o, k) =>
      Object.entries(o)
        .sort((x, y) => y[1] - x[1])
        .slice(0, k)
        .map(([n, v]) => `${v.toFixed(1).padStart(6)}  ${n}`);
    out[w] = {
      wall: Math.round(b - a),
      sampled: Math.round(inside.reduce((s, x) => s + x.dur, 0)),
      files: list(files, top),
      self: list(self, top),
      total: list(total, top),
    };
  }
  // `COLD_PROFILE_WHEN=regex`: the first and last sample of each frame whose name matches.
  if (process.env.COLD_PROFILE_WHEN) {
    const re = new RegExp(process.env.COLD_PROFILE_WHEN);
    const when = {};
    for (const s of samples) {
      for (let id = s.id; id !== undefined; id = nodes.get(id)?.parent) {
        const name = nameOf(id);
        if (!re.test(name)) continue;
        when[name] ??= [s.ms, s.ms];
        when[name][1] = s.ms;
      }
    }
    out.when = Object.entries(when)
      .sort((x, y) => x[1][0] - y[1][0])
      .map(([n, [a, b]]) => `${a.toFixed(0).padStart(5)}-${b.toFixed(0).padEnd(5)} ${n}`);
  }
  return {
    timing: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])),
    ...out,
  };
}

const runs = Number(process.argv[2] ?? 1);
const top = Number(process.argv[3] ?? 30);
const app = await startApp(Number(process.env.BENCH_APP_PORT ?? 4191));
try {
  const profile = await prepareProfile(app.url, '/till', setUpStall);
  for (let i = 0; i < runs; i++) {
    const { events, timing } = await traceOnce(profile, app.url, '/till');
    const result = analyse(events, timing, top);
    // `COLD_PROFILE_TRACE=file`: the first run's raw trace (chrome://tracing, Perfetto).
    if (process.env.COLD_PROFILE_TRACE && i === 0)
      writeFileSync(process.env.COLD_PROFILE_TRACE, JSON.stringify({ traceEvents: events }));
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(' ');
    console.log(`run ${i + 1}, load ${load}`);
    console.log(JSON.stringify(result.error ?? result.timing));
    if (result.error) continue;
    for (const [w, r] of Object.entries(result)) {
      if (w === 'timing') continue;
      if (w === 'when') {
        console.log(`\n== when\n${r.join('\n')}`);
        continue;
      }
      console.log(`\n== ${w}: wall ${r.wall} ms, sampled ${r.sampled} ms`);
      for (const part of ['files', 'self', 'total']) {
        console.log(`-- by ${part}`);
        console.log(r[part].join('\n'));
      }
    }
  }
} finally {
  await app.stop();
}
