// Where a PGlite server's thread spends its time (issue 11, "fifth pass" in docs/benchmarks.md):
// sums a V8 CPU profile (`node --cpu-prof`; with BENCH_SERVER_CPU_PROF=dir, bench/server-devices.js
// leaves one file per thread: `….0.001.cpuprofile` the main thread, `….1.002…` PGlite's worker)
// into PGlite's parts, within the benchmark's time windows:
//
//   node bench/pglite-cpu-split.js <file.cpuprofile> <windows.json>
//
// Each sample (idle ones left out) counts once, in the first of: V8's garbage collector; the WAL
// fsync (a host fsync(2) anywhere on the stack, durable-fs.js); PGlite's WASM (Postgres itself);
// PGlite's JavaScript (the wire protocol, result parsing, emscripten's glue); file I/O and other
// Node calls made by PGlite; the worker's messages (postMessage, pglite-worker.js); the rest
// (Node, SvelteKit, Drizzle, the app). The profiler samples on the wall clock: on a loaded
// machine a thread taken off the CPU is counted where it stopped (often postMessage, which
// wakes the other thread), so the process's CPU from /proc is the steadier figure.
import { readFileSync } from 'node:fs';

const [file, windowsFile] = process.argv.slice(2);
if (!file || !windowsFile) {
  console.error('usage: node bench/pglite-cpu-split.js <file.cpuprofile> <windows.json>');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const windows = JSON.parse(readFileSync(windowsFile, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

const PGLITE = /@electric-sql\/pglite/;
const parts = new Map();
function part(id) {
  if (parts.has(id)) return parts.get(id);
  const leaf = byId.get(id).callFrame;
  const stack = [];
  for (let at = id; at !== undefined; at = parentOf.get(at)) stack.push(byId.get(at).callFrame);
  let name;
  if (leaf.functionName === '(idle)') name = null;
  else if (leaf.functionName === '(garbage collector)') name = 'GC';
  else if (stack.some((frame) => /^fsync/.test(frame.functionName))) name = 'WAL fsync';
  else if (leaf.url.startsWith('wasm://')) name = 'PGlite WASM (Postgres)';
  else if (PGLITE.test(leaf.url)) name = 'PGlite JS (protocol, parsing, glue)';
  else if (stack.some((frame) => PGLITE.test(frame.url))) name = 'file I/O etc. called by PGlite';
  else if (
    leaf.functionName === 'postMessage' ||
    stack.some((frame) => /pglite-worker/.test(frame.url))
  ) {
    name = 'worker messages';
  } else name = 'the rest (Node, SvelteKit, Drizzle, app)';
  parts.set(id, name);
  return name;
}

const sums = new Map();
let time = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  time += profile.timeDeltas[i];
  const window = windows.find((w) => time >= w.from && time <= w.to);
  if (!window) continue;
  const name = part(profile.samples[i]);
  if (name === null) continue;
  const sum = sums.get(window.name) ?? new Map();
  sum.set(name, (sum.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  sums.set(window.name, sum);
}
for (const [window, sum] of sums) {
  const busy = [...sum.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${window}: busy ${Math.round(busy)} ms`);
  for (const [name, ms] of [...sum].sort((a, b) => b[1] - a[1])) {
    console.log(
      `  ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${String(Math.round(ms)).padStart(6)} ms  ${name}`,
    );
  }
}
