// Where the CPU of a small pull goes (issue 11): `node bench/pull-profile.js`.
// In process, on PGlite (a data folder) and on PostgreSQL (TEST_DATABASE_URL, else the
// throwaway cluster of server-cluster.js), through the bundled app as bench/server.js runs it.
// A maker's device pushes one sale (untimed), then pulls what is new since its cursor (the
// sale's changes) as the app does (its PULL_FEATURES), timed:
//   - the session lookup the hooks do before a pull (loadRequestAuth, the Cookie header
//     remembered by the process's cache, session-cache.ts; with the memberships or without,
//     as session.ts readsMemberships says for POST /api/sync/pull);
//   - the pull through pullEndpoint (body read, JSON, validation, statements, the answer).
// Every statement Drizzle sends is counted (its prepared query's execute/all, wrapped here),
// and every write to a socket with the PostgreSQL wire messages in it (round trips).
// PROFILE_RUNS (default 300), PROFILE_KINDS (pglite,postgres). Prints figures; never passes
// or fails on a time.
import { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { PglitePreparedQuery } from 'drizzle-orm/pglite/session';
import { PostgresJsPreparedQuery } from 'drizzle-orm/postgres-js/session';
import { startCluster } from './server-cluster.js';
import { makeSales } from './server-fixtures.js';
import { loadApp, machine, openBenchDb, push, stall } from './server.js';
import { median, round } from './server-stats.js';

const RUNS = Number(process.env.PROFILE_RUNS ?? 300);
const KINDS = (process.env.PROFILE_KINDS ?? 'pglite,postgres').split(',');
const WARM_UP = 30;
const ORIGIN = 'http://localhost';

let statements = null;
for (const Query of [PglitePreparedQuery, PostgresJsPreparedQuery]) {
  for (const method of ['execute', 'all']) {
    const original = Query.prototype[method];
    Query.prototype[method] = function (...args) {
      if (statements) statements.push(this.queryString ?? '');
      return original.apply(this, args);
    };
  }
}

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

/**
 * Runs `before(i)` untimed and `fn(i)` timed, RUNS times after WARM_UP: the median wall time,
 * this process's CPU a run (user + system; with PGlite, the database's work too), statements
 * and socket writes a run.
 */
async function measure(before, fn) {
  for (let i = 0; i < WARM_UP; i++) {
    await before(i);
    await fn(i);
  }
  const times = [];
  let cpuMicros = 0;
  let count = 0;
  const texts = new Map();
  const written = { count: 0, bytes: 0, kinds: new Map() };
  for (let i = 0; i < RUNS; i++) {
    await before(WARM_UP + i);
    statements = [];
    writes = written;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await fn(WARM_UP + i);
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    writes = null;
    count += statements.length;
    for (const text of statements) {
      const key = text.replace(/\s+/g, ' ').slice(0, 90);
      texts.set(key, (texts.get(key) ?? 0) + 1);
    }
    statements = null;
  }
  return {
    medianMs: round(median(times), 3),
    cpuMs: round(cpuMicros / 1000 / RUNS, 3),
    statementsPerRun: round(count / RUNS, 2),
    statements: [...texts].map(([text, n]) => `${round(n / RUNS, 2)} x ${text}`),
    socketWritesPerRun: round(written.count / RUNS, 2),
    bytesPerRun: round(written.bytes / RUNS, 0),
    kinds: [...written.kinds].map(([k, n]) => `${round(n / RUNS, 2)} x ${k}`),
  };
}

async function sessionCookie(auth) {
  const response = await auth.handler(
    new Request(`${ORIGIN}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({
        email: `pull-profile-${Date.now()}@example.org`,
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
    `${name}: median ${r.medianMs} ms; this process's CPU ${r.cpuMs} ms a run;` +
      ` ${r.statementsPerRun} statements, ${r.socketWritesPerRun} socket writes (${r.bytesPerRun} bytes) a run`,
  );
  for (const s of r.statements) console.log(`    ${s}`);
  if (r.kinds.length > 0) console.log(`    wire: ${r.kinds.join(', ')}`);
}

async function profile(app, kind, cluster) {
  const opened = await openBenchDb(app, kind, cluster, 'pullprofile');
  try {
    const { db } = opened;
    const auth = app.createAuth({ db, secret: 's'.repeat(32), baseURL: ORIGIN, logLevel: 'error' });
    const { cookie } = await sessionCookie(auth);
    const headers = new Headers({ cookie });
    const cache = new app.SessionCache({ ttlMs: 600_000, maxEntries: 100 });
    const withMemberships = app.readsMemberships('POST', '/api/sync/pull');
    const session = await measure(
      async () => {},
      async () => {
        const loaded = await app.loadRequestAuth(auth, db, headers, cache, withMemberships);
        if (!loaded.auth.user) throw new Error('the session was not found');
      },
    );
    // A maker's stall (its own account, made in the database): its device's set-up pushed.
    const shop = await stall(app, db);
    const { userId } = shop;
    let cursor = null;
    const pullBody = () =>
      JSON.stringify({
        protocol: app.PROTOCOL_VERSION,
        deviceId: shop.device.deviceId,
        cursor,
        limit: app.DEFAULT_PULL_LIMIT,
        features: [...app.PULL_FEATURES],
      });
    const pullOnce = async () => {
      const response = await app.pullEndpoint(
        db,
        userId,
        new Request('http://kraam.bench/api/sync/pull', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: pullBody(),
        }),
      );
      const text = await response.text();
      if (response.status !== 200) throw new Error(`pull answered ${response.status}: ${text}`);
      return JSON.parse(text);
    };
    for (let page = 0; page < 100; page++) {
      const answer = await pullOnce();
      cursor = answer.cursor;
      if (!answer.hasMore) break;
    }
    // One sale pushed after the device's cursor: every timed pull is the same small page
    // (the sale's change, the last page: the held-back check runs too) from the same cursor.
    const [sale] = makeSales(shop.device, shop.event, shop.products, 1);
    const pushed = await push(
      app,
      db,
      userId,
      shop.device.request(shop.device.queue(sale), shop.epoch),
    );
    if (pushed.results[0]?.status !== 'applied') throw new Error('the sale was not applied');
    const from = cursor;
    let changes = 0;
    let pulls = 0;
    const pull = await measure(
      async () => {
        cursor = from;
      },
      async () => {
        const answer = await pullOnce();
        // Held back (a transaction still running elsewhere) is a pull too: counted below.
        changes += answer.changes.length;
        pulls += 1;
      },
    );
    pull.changesPerPull = round(changes / pulls, 2);
    return { session, pull };
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
    print('session lookup for a pull (Cookie header remembered)', r.session);
    print(`pull of the sale just pushed (${r.pull.changesPerPull} changes a pull)`, r.pull);
  }
} finally {
  if (!cluster.skipped) await cluster.stop();
}
console.log(`\nload average at the end ${machine().loadAverage.join(' ')}`);
