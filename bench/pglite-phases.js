// Where PGlite's time in a one-sale push and a small pull goes (issue 11, "PGlite's cost per
// statement" in docs/benchmarks.md): `node bench/pglite-phases.js`.
//
// In process, on a durable PGlite data folder as the server opens it (the bundled app, as
// bench/server.js runs it). A device pushes one sale, then another device of the same maker
// pulls it (a page of a few changes), PHASES_RUNS times after a warm-up. Printed:
//   - the wire messages PGlite runs a push and a pull (each `execProtocolRawSync` call is one
//     entry into Postgres's loop: its message letters, P Parse, D Describe, B Bind, E Execute,
//     S Sync, Q a simple query), the bytes sent in, and the time inside those calls;
//   - the process's CPU a push and a pull (`process.cpuUsage`) and the host fsync calls on the
//     WAL (durable-fs.js's count);
//   - a V8 CPU profile of the runs (node:inspector; Postgres's WASM functions show by name),
//     split two ways: by the protocol message Postgres was serving (the outermost `exec_*`
//     function on the stack) and by phase (the innermost of raw_parser, parse analysis,
//     planner, executor, commit, the WAL fsync …), with PGlite's JavaScript (protocol,
//     result parsing) and the rest (Drizzle, the app) beside.
// PHASES_RUNS (default 300), PHASES_SALES sales a push (default 1), PHASES_PROFILE=0 to skip the profile (the CPU figures then carry
// no profiler overhead). Prints figures; never passes or fails on a time.
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { makeSales } from './server-fixtures.js';
import { loadApp, machine, openBenchDb, push, stall } from './server.js';
import { round } from './server-stats.js';
import { wasmExportNames } from './wasm-names.js';

const RUNS = Number(process.env.PHASES_RUNS ?? 300);
/** Sales a push carries (PHASES_SALES, default 1; the devices benchmark pushes 1 and 10). */
const SALES = Number(process.env.PHASES_SALES ?? 1);
const WARM_UP = 30;
const PROFILE = process.env.PHASES_PROFILE !== '0';

const PGLITE = /@electric-sql\/pglite/;

/**
 * Phases by Postgres's exported functions on the stack (pglite.wasm has no name section:
 * bench/wasm-names.js reads the export section; static functions such as exec_parse_message
 * stay nameless). The outermost marker wins (the executor's work inside a commit is the
 * commit's), except the host fsync, which wins wherever it is.
 */
const PHASES = [
  [/^(raw_parser|pg_parse_query)$/, 'parse (raw_parser)'],
  [/^parse_analyze\w*$/, 'analyze (parse analysis)'],
  [/^(GetCachedPlan|pg_plan_query|standard_planner)$/, 'plan'],
  [/^(ExecutorStart|standard_ExecutorStart)$/, 'executor start'],
  [/^(ExecutorRun|standard_ExecutorRun)$/, 'execute'],
  [/^(ExecutorFinish|ExecutorEnd|standard_ExecutorFinish|standard_ExecutorEnd)$/, 'executor end'],
  [/^(XLogFlush)$/, 'WAL flush (Postgres side, host fsync left out)'],
  [/^(CommitTransactionCommand)$/, 'commit (Postgres side)'],
  [/^(StartTransactionCommand)$/, 'start transaction command'],
];

/**
 * Postgres's exported functions by the samples under them (inclusive: each function counted
 * once a sample, wherever on the stack), for PHASES_DETAIL=1.
 */
function wasmInclusive(profile, wasmNames, into) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const names = new Set();
    for (let at = profile.samples[i]; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at).callFrame;
      const index = /^wasm-function\[(\d+)\]$/.exec(frame.functionName)?.[1];
      if (index === undefined) continue;
      const name = wasmNames.get(Number(index));
      if (name) names.add(name);
    }
    for (const name of names) into.set(name, (into.get(name) ?? 0) + ms);
  }
}

function splitProfile(profile, wasmNames) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nameOf = (frame) => {
    const index = /^wasm-function\[(\d+)\]$/.exec(frame.functionName)?.[1];
    return index === undefined ? frame.functionName : (wasmNames.get(Number(index)) ?? '');
  };
  const cache = new Map();
  const classify = (id) => {
    if (cache.has(id)) return cache.get(id);
    const stack = [];
    for (let at = id; at !== undefined; at = parentOf.get(at)) stack.push(byId.get(at).callFrame);
    const leaf = stack[0];
    let result;
    if (leaf.functionName === '(idle)' || leaf.functionName === '(program)') result = null;
    else if (leaf.functionName === '(garbage collector)') result = 'GC';
    else if (stack.some((frame) => /^fsync/.test(frame.functionName))) {
      result = 'the WAL fsync (host fsync(2), durable-fs.js)';
    } else if (stack.some((frame) => frame.url.startsWith('wasm://'))) {
      const names = stack.map(nameOf);
      result = null;
      for (let i = names.length - 1; i >= 0 && result === null; i--) {
        const found = PHASES.find(([pattern]) => pattern.test(names[i]));
        if (found) result = found[1];
      }
      result ??= leaf.url.startsWith('wasm://')
        ? 'Postgres, other (wire messages, catalog, memory, …)'
        : 'host calls from Postgres (file I/O …)';
    } else if (PGLITE.test(leaf.url)) result = 'PGlite JS (protocol, result parsing)';
    else if (stack.some((frame) => PGLITE.test(frame.url))) result = 'called by PGlite JS';
    else result = 'the rest (Drizzle, the app, Node)';
    cache.set(id, result);
    return result;
  };
  const byPhase = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const part = classify(profile.samples[i]);
    if (part === null) continue;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    byPhase.set(part, (byPhase.get(part) ?? 0) + ms);
  }
  return byPhase;
}

/** Counts every entry into Postgres's loop on `client` while `counting` is set. */
function countProtocol(client) {
  const state = { counting: null };
  const original = client.execProtocolRawSync.bind(client);
  client.execProtocolRawSync = (message) => {
    const counting = state.counting;
    if (!counting) return original(message);
    const letters = [];
    for (let at = 0; at + 5 <= message.length;) {
      letters.push(String.fromCharCode(message[at]));
      at += 1 + new DataView(message.buffer, message.byteOffset + at + 1, 4).getUint32(0);
    }
    const key = letters.join('');
    const started = performance.now();
    const answer = original(message);
    counting.ms += performance.now() - started;
    counting.calls += 1;
    counting.bytesIn += message.length;
    const kind = counting.kinds.get(key) ?? { calls: 0, ms: 0 };
    kind.calls += 1;
    kind.ms += performance.now() - started;
    counting.kinds.set(key, kind);
    return answer;
  };
  return state;
}

const fresh = () => ({ calls: 0, ms: 0, bytesIn: 0, kinds: new Map() });

function printProtocol(name, c, runs) {
  const kinds = [...c.kinds]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([k, n]) => `${round(n.calls / runs, 2)} x ${k} ${round(n.ms / runs, 3)} ms`)
    .join(', ');
  console.log(
    `  ${name}: ${round(c.calls / runs, 2)} calls into Postgres a run, ${round(c.bytesIn / runs, 0)} bytes in,` +
      ` ${round(c.ms / runs, 3)} ms inside them (wall)`,
  );
  console.log(`    ${kinds}`);
}

function printSplit(title, sums, runs) {
  const busy = [...sums.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${title} (profile, ${round(busy / runs, 2)} ms of samples a run):`);
  for (const [name, ms] of [...sums].sort((a, b) => b[1] - a[1])) {
    console.log(
      `    ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${round(ms / runs, 3)
        .toFixed(3)
        .padStart(7)} ms  ${name}`,
    );
  }
}

const info = machine();
console.log(
  `machine: ${info.nproc} x ${info.cpu}, Node ${info.node}, load average ${info.loadAverage.join(' ')};` +
    ` ${RUNS} runs after ${WARM_UP}, ${SALES} sale${SALES === 1 ? '' : 's'} a push; profile ${PROFILE ? 'on' : 'off'}`,
);
const app = await loadApp();
const wasmNames = wasmExportNames(
  fileURLToPath(import.meta.resolve('@electric-sql/pglite').replace(/index\.js$/, 'pglite.wasm')),
);
const opened = await openBenchDb(app, 'pglite', null, 'phases');
try {
  const { db } = opened;
  const client = db.$client;
  const fs = client.fs;
  const protocol = countProtocol(client);
  const shop = await stall(app, db);
  const reader = new app.RawDevice({ makerId: shop.device.makerId });
  const sales = makeSales(shop.device, shop.event, shop.products, (WARM_UP + RUNS) * SALES);
  const requests = Array.from({ length: WARM_UP + RUNS }, (_, i) =>
    JSON.stringify(
      shop.device.request(
        shop.device.queue(...sales.slice(i * SALES, (i + 1) * SALES)),
        shop.epoch,
      ),
    ),
  );
  let cursor = null;
  const pull = async () => {
    const response = await app.pullEndpoint(
      db,
      shop.userId,
      new Request('http://kraam.bench/api/sync/pull', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          protocol: app.PROTOCOL_VERSION,
          deviceId: reader.deviceId,
          cursor,
          limit: app.DEFAULT_PULL_LIMIT,
        }),
      }),
    );
    const text = await response.text();
    if (response.status !== 200) throw new Error(`pull answered ${response.status}: ${text}`);
    const body = JSON.parse(text);
    cursor = body.cursor;
    return body.changes.length;
  };
  // The reader catches up with the set-up's changes first (untimed).
  while ((await pull()) > 0);
  const onePush = async (i) => {
    const answer = await push(app, db, shop.userId, requests[i]);
    if (answer.results.filter((r) => r.status === 'applied').length !== SALES) {
      throw new Error('the sales were not applied');
    }
  };
  for (let i = 0; i < WARM_UP; i++) {
    await onePush(i);
    await pull();
  }

  const session = new Session();
  session.connect();
  const pushCount = fresh();
  const pullCount = fresh();
  let pushCpu = 0;
  let pullCpu = 0;
  let pulled = 0;
  const walBefore = fs.walSyncs;
  let pushWal = 0;
  if (PROFILE) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
  }
  // Two profiles, one for the pushes and one for the pulls, each run alternately.
  const profiles = { push: [], pull: [] };
  for (let i = 0; i < RUNS; i++) {
    if (PROFILE) await session.post('Profiler.start');
    protocol.counting = pushCount;
    let cpu = process.cpuUsage();
    const wal = fs.walSyncs;
    await onePush(WARM_UP + i);
    cpu = process.cpuUsage(cpu);
    pushWal += fs.walSyncs - wal;
    pushCpu += (cpu.user + cpu.system) / 1000;
    protocol.counting = null;
    if (PROFILE) profiles.push.push((await session.post('Profiler.stop')).profile);

    if (PROFILE) await session.post('Profiler.start');
    protocol.counting = pullCount;
    cpu = process.cpuUsage();
    pulled += await pull();
    cpu = process.cpuUsage(cpu);
    pullCpu += (cpu.user + cpu.system) / 1000;
    protocol.counting = null;
    if (PROFILE) profiles.pull.push((await session.post('Profiler.stop')).profile);
  }
  session.disconnect();

  console.log(
    `\npush of ${SALES} sale${SALES === 1 ? '' : 's'} (pushEndpoint): CPU ${round(pushCpu / RUNS, 3)} ms a push; host WAL fsyncs` +
      ` ${round(pushWal / RUNS, 2)} a push (${fs.walSyncs - walBefore} in all)`,
  );
  printProtocol('wire', pushCount, RUNS);
  console.log(
    `\npull of the sale (pullEndpoint, ${round(pulled / RUNS, 1)} changes a page): CPU ${round(pullCpu / RUNS, 3)} ms a pull`,
  );
  printProtocol('wire', pullCount, RUNS);
  if (PROFILE) {
    for (const kind of ['push', 'pull']) {
      const byPhase = new Map();
      for (const profile of profiles[kind]) {
        for (const [k, v] of splitProfile(profile, wasmNames)) {
          byPhase.set(k, (byPhase.get(k) ?? 0) + v);
        }
      }
      console.log(`\n${kind}, split:`);
      printSplit('by phase', byPhase, RUNS);
      if (process.env.PHASES_DETAIL === '1') {
        const inclusive = new Map();
        for (const profile of profiles[kind]) wasmInclusive(profile, wasmNames, inclusive);
        console.log(`  Postgres's exported functions, inclusive (ms a run):`);
        for (const [name, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 60)) {
          console.log(
            `    ${round(ms / RUNS, 3)
              .toFixed(3)
              .padStart(8)}  ${name}`,
          );
        }
      }
    }
  }
} finally {
  await opened.close();
}
console.log(`\nload average at the end ${machine().loadAverage.join(' ')}`);
