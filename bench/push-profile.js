// Where the time of a one-sale push goes (issue 11): `node bench/push-profile.js`.
// In process, on PGlite (a data folder) and on PostgreSQL (TEST_DATABASE_URL, else the
// throwaway cluster of server-cluster.js), through the bundled app as bench/server.js runs it:
//   - the session lookup the hooks do before every API request (loadRequestAuth: better-auth's
//     getSession and the memberships), for a cookie from a real sign-up; then with the Cookie
//     header remembered, and as a push's route does it (remembered, no memberships);
//   - a push of 1 sale through pushEndpoint (body read, JSON, zod, the push's transaction).
// Every statement Drizzle sends is timed (its prepared query's execute/all, wrapped here), so
// each phase is split into: statements (how many, what they wait on the database) and the
// rest (JavaScript: parsing, validation, building statements, BEGIN/COMMIT round trips).
// Prints figures; never passes or fails on a time.
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { PglitePreparedQuery } from 'drizzle-orm/pglite/session';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js/session';
import { startCluster } from './server-cluster.js';
import { makeSales } from './server-fixtures.js';
import { loadApp, machine, openBenchDb, push, stall } from './server.js';
import { median, round } from './server-stats.js';

const RUNS = Number(process.env.PROFILE_RUNS ?? 200);
/** Sales per push (PROFILE_SALES, default 1): 100 shows where a batch's time goes. */
const SALES = Number(process.env.PROFILE_SALES ?? 1);
/** PROFILE_KINDS: a comma list of pglite, postgres (default both). */
const KINDS = (process.env.PROFILE_KINDS ?? 'pglite,postgres').split(',');
const WARM_UP = 20;
const ORIGIN = 'http://localhost';

/** Statement spans of the current measurement: label -> [count, ms]. */
let spans = null;

function label(text) {
  const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
  const table = /(?:from|into|update)\s+"?(\w+)"?/i.exec(text)?.[1] ?? '';
  const lock = /for update/i.test(text) ? ' for update' : '';
  return `${verb} ${table}${lock}`.trim();
}

// `select 1` is timed as a whole, not as a statement of a phase.
for (const Query of [PglitePreparedQuery, PostgresJsPreparedQuery]) {
  for (const method of ['execute', 'all']) {
    const original = Query.prototype[method];
    Query.prototype[method] = async function (...args) {
      if (!spans) return original.apply(this, args);
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const key = label(this.queryString ?? '');
        const entry = spans.get(key) ?? [0, 0];
        entry[0] += 1;
        entry[1] += performance.now() - started;
        spans.set(key, entry);
      }
    };
  }
}

// Every write to a socket while a measurement runs (PostgreSQL's driver writes to its
// connection's socket; PGlite writes to none): how many, and the wire protocol's messages in
// them by their type letter (P Parse, B Bind, D Describe, E Execute, S Sync, H Flush, Q a
// simple query), so a push's round trips can be read off: a statement whose parameter types
// the driver asks for first is "PDH" in one write and "BES" in the next, after an answer.
let writes = null;
const frontendMessages = (chunk) => {
  const letters = [];
  const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  for (let at = 0; at + 5 <= buffer.length;) {
    letters.push(String.fromCharCode(buffer[at]));
    at += 1 + buffer.readUInt32BE(at + 1);
  }
  return letters.join('');
};
const socketWrite = Socket.prototype.write;
Socket.prototype.write = function (chunk, ...rest) {
  if (writes && chunk && typeof chunk !== 'string') {
    writes.count += 1;
    writes.bytes += chunk.length;
    const key = frontendMessages(chunk);
    writes.kinds.set(key, (writes.kinds.get(key) ?? 0) + 1);
  }
  return socketWrite.call(this, chunk, ...rest);
};

/** Runs `fn` RUNS times (after WARM_UP), returns the median wall time and the mean spans. */
async function measure(fn) {
  for (let i = 0; i < WARM_UP; i++) await fn(i);
  const times = [];
  const total = new Map();
  writes = { count: 0, bytes: 0, kinds: new Map() };
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    spans = new Map();
    const started = performance.now();
    await fn(WARM_UP + i);
    times.push(performance.now() - started);
    for (const [key, [count, ms]] of spans) {
      const entry = total.get(key) ?? [0, 0];
      entry[0] += count;
      entry[1] += ms;
      total.set(key, entry);
    }
    spans = null;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const written = writes;
  writes = null;
  const statements = [...total].map(([key, [count, ms]]) => ({
    statement: key,
    perRun: round(count / RUNS, 2),
    ms: round(ms / RUNS, 3),
  }));
  statements.sort((a, b) => b.ms - a.ms);
  const statementMs = statements.reduce((sum, s) => sum + s.ms, 0);
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    medianMs: round(median(times), 2),
    meanMs: round(meanMs, 2),
    statementsPerRun: round(
      statements.reduce((sum, s) => sum + s.perRun, 0),
      1,
    ),
    statementMs: round(statementMs, 2),
    restMs: round(meanMs - statementMs, 2),
    // This process's CPU (user + system) a run: with PGlite, the database's work too.
    cpuMs: round((cpu.user + cpu.system) / 1000 / RUNS, 3),
    statements,
    socketWrites: {
      perRun: round(written.count / RUNS, 2),
      bytesPerRun: round(written.bytes / RUNS, 0),
      kinds: [...written.kinds]
        .map(([messages, count]) => ({ messages, perRun: round(count / RUNS, 2) }))
        .sort((a, b) => b.perRun - a.perRun),
    },
  };
}

async function sessionCookie(app, auth) {
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        email: `profile-${Date.now()}@example.org`,
        password: 'correct horse battery staple',
        name: 'Profile',
        organisationName: 'Profile Bazaar',
      }),
    }),
  );
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}`);
  const body = await response.json();
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, userId: body.user.id };
}

function print(name, r) {
  console.log(
    `${name}: median ${r.medianMs} ms, mean ${r.meanMs} ms = ${r.statementsPerRun} statements` +
      ` (${r.statementMs} ms waiting on them) + ${r.restMs} ms the rest; this process's CPU ${r.cpuMs} ms a run`,
  );
  for (const s of r.statements) console.log(`    ${s.perRun} x ${s.statement}: ${s.ms} ms`);
  const w = r.socketWrites;
  if (w.perRun > 0) {
    const kinds = w.kinds.map((k) => `${k.perRun} x ${k.messages}`).join(', ');
    console.log(`    socket writes: ${w.perRun} (${w.bytesPerRun} bytes): ${kinds}`);
  }
}

async function profile(app, kind, cluster) {
  const opened = await openBenchDb(app, kind, cluster, 'profile');
  try {
    const { db } = opened;
    const auth = app.createAuth({ db, secret: 's'.repeat(32), baseURL: ORIGIN, logLevel: 'error' });
    const { cookie } = await sessionCookie(app, auth);
    const headers = new Headers({ cookie });
    const session = await measure(async () => {
      const loaded = await app.loadRequestAuth(auth, db, headers);
      if (!loaded.auth.user) throw new Error('the session was not found');
    });
    const cache = new app.SessionCache({ ttlMs: 60_000, maxEntries: 100 });
    const cachedSession = await measure(async () => {
      const loaded = await app.loadRequestAuth(auth, db, headers, cache);
      if (!loaded.auth.user) throw new Error('the session was not found');
    });
    // As the hooks look it up for POST /api/sync/push: the memberships are not read there
    // (the push reads the account itself, session.ts readsMemberships).
    const pushSession = await measure(async () => {
      const loaded = await app.loadRequestAuth(auth, db, headers, cache, false);
      if (!loaded.auth.user) throw new Error('the session was not found');
    });
    // One round trip that does nothing: what each statement costs at least, in this run.
    const roundTrip = await measure(() => db.execute(app.sql`select 1`));
    const shop = await stall(app, db);
    const sales = makeSales(shop.device, shop.event, shop.products, (WARM_UP + RUNS) * SALES);
    const requests = [];
    for (let i = 0; i < sales.length; i += SALES) {
      const part = sales.slice(i, i + SALES);
      requests.push(JSON.stringify(shop.device.request(shop.device.queue(...part), shop.epoch)));
    }
    const onePush = await measure(async (i) => {
      const answer = await push(app, db, shop.userId, requests[i]);
      if (answer.results.filter((r) => r.status === 'applied').length !== SALES) {
        throw new Error('a sale was not applied');
      }
    });
    return { session, cachedSession, pushSession, roundTrip, onePush };
  } finally {
    await opened.close();
  }
}

const results = { machine: machine() };
console.log(
  `machine: ${results.machine.nproc} x ${results.machine.cpu}, Node ${results.machine.node},` +
    ` load average ${results.machine.loadAverage.join(' ')}; ${RUNS} runs after ${WARM_UP} warm-up`,
);
const app = await loadApp();
const shared = process.env.TEST_DATABASE_URL;
const cluster = shared ? { url: shared, stop: async () => {} } : await startCluster();
try {
  for (const kind of KINDS) {
    if (kind === 'postgres' && cluster.skipped) {
      console.log(`PostgreSQL skipped: ${cluster.skipped}`);
      continue;
    }
    console.log(`\n-- ${kind} --`);
    const r = (results[kind] = await profile(app, kind, cluster));
    print('one round trip (select 1)', r.roundTrip);
    print('session lookup (loadRequestAuth)', r.session);
    print('session lookup, the Cookie header remembered (session-cache.ts)', r.cachedSession);
    print(
      'session lookup for a push, the Cookie header remembered (no memberships)',
      r.pushSession,
    );
    print(`push of ${SALES} sale${SALES === 1 ? '' : 's'} (pushEndpoint)`, r.onePush);
  }
} finally {
  if (!cluster.skipped) await cluster.stop();
}
results.machine.loadAverageEnd = machine().loadAverage;
console.log(`\nload average at the end ${results.machine.loadAverageEnd.join(' ')}`);
