// Where the time of a batch push goes (issue 11, ingest): `node bench/ingest-profile.js`.
// In process, on PGlite (a data folder) and on PostgreSQL (TEST_DATABASE_URL, else the
// throwaway cluster of server-cluster.js), through the bundled app as bench/server.js runs it:
// a device's backlog of PROFILE_SALES sales (default 1,000: two pushes of 500), PROFILE_RUNS
// times (default 6, after one warm-up), each push through pushEndpoint. Prints:
//   - every statement Drizzle sent (count, mean ms, the size of its parameters);
//   - the batch's write statement part by part (EXPLAIN ANALYZE of it, once, on a copy of the
//     batch, rolled back): each INSERT/UPDATE and each foreign key check, in ms;
//   - the JavaScript between the statements, from V8's CPU profile of the pushes: the
//     functions that took the most time (with what they call), and the idle share (waiting).
// Prints figures; never passes or fails on a time.
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { PglitePreparedQuery } from 'drizzle-orm/pglite/session';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js/session';
import { startCluster } from './server-cluster.js';
import { makeSales } from './server-fixtures.js';
import { loadApp, machine, openBenchDb, push, stall } from './server.js';
import { round } from './server-stats.js';

const RUNS = Number(process.env.PROFILE_RUNS ?? 6);
const SALES = Number(process.env.PROFILE_SALES ?? 1000);
const KINDS = (process.env.PROFILE_KINDS ?? 'pglite,postgres').split(',');

/** Statement spans of the current measurement: label -> { count, ms, bytes }. */
let spans = null;
/** When set, the next batch write statement is explained (ANALYZE, rolled back) first. */
let explainNext = null;

function label(text) {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const table = /(?:from|into|update)\s+"?(\w+)"?/i.exec(text)?.[1] ?? '';
  const lock = /for update/i.test(text) ? ' for update' : '';
  return `${verb} ${table}${lock}`.trim();
}

const paramBytes = (params) =>
  (params ?? []).reduce((sum, p) => sum + (typeof p === 'string' ? p.length : 8), 0);

async function explain(query, kind) {
  const text = `explain (analyze, format json) ${query.queryString}`;
  if (kind === 'pglite') {
    await query.client.query('savepoint profile_explain');
    const result = await query.client.query(text, query.params);
    await query.client.query('rollback to savepoint profile_explain');
    return result.rows[0]['QUERY PLAN'];
  }
  await query.client.unsafe('savepoint profile_explain');
  const rows = await query.client.unsafe(text, query.params);
  await query.client.unsafe('rollback to savepoint profile_explain');
  const plan = rows[0]['QUERY PLAN'];
  return typeof plan === 'string' ? JSON.parse(plan) : plan;
}

for (const [Query, kind] of [
  [PglitePreparedQuery, 'pglite'],
  [PostgresJsPreparedQuery, 'postgres'],
]) {
  for (const method of ['execute', 'all']) {
    const original = Query.prototype[method];
    Query.prototype[method] = async function (...args) {
      if (!spans) return original.apply(this, args);
      const text = this.queryString ?? '';
      if (explainNext && /^with w0 as/.test(text)) {
        const done = explainNext;
        explainNext = null;
        done(await explain(this, kind));
      }
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const key = label(text);
        const entry = spans.get(key) ?? { count: 0, ms: 0, bytes: 0 };
        entry.count += 1;
        entry.ms += performance.now() - started;
        entry.bytes += paramBytes(this.params);
        spans.set(key, entry);
      }
    };
  }
}

/** The plan's nodes that write or check: [what, ms]. */
function planParts(plan) {
  const [top] = plan;
  const out = [];
  const walk = (node) => {
    const name = node['Node Type'];
    if (name === 'ModifyTable' || /Insert|Update/.test(node.Operation ?? '')) {
      out.push([
        `${node.Operation ?? name} on ${node['Relation Name']}`,
        node['Actual Total Time'],
      ]);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(top.Plan);
  for (const trigger of top.Triggers ?? []) {
    out.push([`${trigger['Trigger Name']} (${trigger.Calls} calls)`, trigger.Time]);
  }
  out.push(['planning', top['Planning Time']]);
  out.push(['execution (all)', top['Execution Time']]);
  return out;
}

/** Self and total (with callees) ms per function from a V8 CPU profile. */
function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    const where = f.url.includes('node_modules/')
      ? f.url.split('node_modules/').pop().split('/').slice(0, 2).join('/')
      : f.url.split('/').pop();
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map();
  const total = new Map();
  const deltas = profile.timeDeltas;
  let idle = 0;
  let all = 0;
  profile.samples.forEach((id, i) => {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    all += ms;
    const node = byId.get(id);
    if (node.callFrame.functionName === '(idle)') idle += ms;
    const key = name(node);
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = name(byId.get(at));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  });
  return { self, total, idle, all };
}

async function profileKind(app, kind, cluster) {
  const opened = await openBenchDb(app, kind, cluster, 'ingestprofile');
  try {
    const { db } = opened;
    const shop = await stall(app, db);
    const backlogs = [];
    for (let r = 0; r <= RUNS; r++) {
      const sales = makeSales(shop.device, shop.event, shop.products, SALES);
      const entries = shop.device.queue(...sales);
      const bodies = [];
      for (let i = 0; i < entries.length; i += app.MAX_PUSH_MUTATIONS) {
        const part = entries.slice(i, i + app.MAX_PUSH_MUTATIONS);
        bodies.push(JSON.stringify(shop.device.request(part, shop.epoch)));
      }
      backlogs.push(bodies);
    }
    const run = async (bodies) => {
      for (const body of bodies) {
        const answer = await push(app, db, shop.userId, body);
        if (answer.results.some((r) => r.status !== 'applied')) throw new Error('not applied');
      }
    };
    // Warm-up, with the write statement explained (its own savepoint, rolled back).
    spans = new Map();
    const explained = new Promise((resolve) => (explainNext = resolve));
    await run(backlogs[0]);
    const plan = await explained;
    spans = new Map();
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const started = performance.now();
    for (let r = 1; r <= RUNS; r++) await run(backlogs[r]);
    const wall = performance.now() - started;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const statements = [...spans].map(([key, s]) => ({
      statement: key,
      perBacklog: round(s.count / RUNS, 1),
      ms: round(s.ms / RUNS, 1),
      kBytes: round(s.bytes / s.count / 1024, 1),
    }));
    spans = null;
    statements.sort((a, b) => b.ms - a.ms);
    return { wall: wall / RUNS, statements, plan: planParts(plan), cpu: summarise(profile) };
  } finally {
    await opened.close();
  }
}

const info = machine();
console.log(
  `machine: ${info.nproc} x ${info.cpu}, Node ${info.node}, load average ${info.loadAverage.join(' ')};` +
    ` backlog of ${SALES} sales, ${RUNS} runs after 1 warm-up`,
);
const app = await loadApp();
const shared = process.env.TEST_DATABASE_URL;
const cluster = shared ? { url: shared, stop: async () => {} } : await startCluster();
const top = (map, n, runs) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `    ${round(ms / runs, 1)} ms  ${k}`)
    .join('\n');
try {
  for (const kind of KINDS) {
    if (kind === 'postgres' && cluster.skipped) continue;
    const r = await profileKind(app, kind, cluster);
    const statementMs = r.statements.reduce((sum, s) => sum + s.ms, 0);
    console.log(
      `\n-- ${kind}: a backlog of ${SALES} sales takes ${round(r.wall, 1)} ms` +
        ` (${round((SALES / r.wall) * 1000)} sales/s); statements ${round(statementMs, 1)} ms,` +
        ` the rest ${round(r.wall - statementMs, 1)} ms --`,
    );
    for (const s of r.statements) {
      console.log(
        `  ${s.perBacklog} x ${s.statement}: ${s.ms} ms (parameters ${s.kBytes} KB each)`,
      );
    }
    console.log('  the write statement of one push (EXPLAIN ANALYZE, rolled back), ms:');
    for (const [what, ms] of r.plan) console.log(`    ${round(ms, 1)} ms  ${what}`);
    const cpuMs = r.cpu.all - r.cpu.idle;
    console.log(
      `  CPU profile per backlog: ${round(r.cpu.all / RUNS, 1)} ms sampled, of which idle` +
        ` (waiting on the database) ${round(r.cpu.idle / RUNS, 1)} ms, this process busy ${round(cpuMs / RUNS, 1)} ms`,
    );
    console.log('  self time, top 25:');
    console.log(top(r.cpu.self, 25, RUNS));
    console.log('  total time (with callees), top 40:');
    console.log(top(r.cpu.total, Number(process.env.PROFILE_TOP ?? 40), RUNS));
  }
} finally {
  if (!cluster.skipped) await cluster.stop();
}
console.log(`\nload average at the end ${machine().loadAverage.join(' ')}`);
