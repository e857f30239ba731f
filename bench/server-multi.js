// 4. More than one server (README, "Running more than one server"): PROCESSES identical Kraam
// processes (the real build, `node scripts/start.js`) on one PostgreSQL, behind a round-robin
// balancer that lives in this benchmark only (each request to the next process in turn, no
// sticky sessions), and the same load through the same balancer to ONE process for
// comparison. DEVICES devices (ACCOUNTS makers x DEVICES_PER_ACCOUNT) each push one sale and
// then pull to the end of their feed, all at the same moment, ROUNDS times.
//
// Checked, not only timed: every request answered 200 (errors counted), every sale pushed is
// answered "applied", and the database holds each sale exactly once (rows counted by id).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createDatabase, freePort } from './server-cluster.js';
import { makeSales, shopSetup } from './server-fixtures.js';
import { percentile, round } from './server-stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export const PROCESSES = 3;
export const DEVICES = 500;
const ACCOUNTS = 125;
const DEVICES_PER_ACCOUNT = DEVICES / ACCOUNTS;
const PRODUCTS = 10;
const ROUNDS = 2;
const REQUEST_TIMEOUT_MS = 120_000;
const MAX_PULL_PAGES = 50;
const HELD_BACK_RETRIES = 5;
const PUSH_ATTEMPTS = 5;
const PASSWORD = 'correct horse battery staple';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One Kraam process on `databaseUrl`, serving at its own port; ORIGIN is the balancer's. */
async function startProcess(databaseUrl, secret, origin) {
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/start.js'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: origin,
      ADDRESS_HEADER: 'x-forwarded-for',
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: secret,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve({ code })));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const own = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; ;) {
    const gone = await Promise.race([exited, sleep(200).then(() => null)]);
    if (gone) throw new Error(`a Kraam process exited (code ${gone.code}): ${stderr.trim()}`);
    try {
      await fetch(`${own}/api/me`, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`a Kraam process did not answer within 120 s: ${stderr.trim()}`);
      }
    }
  }
  return { port, stderr: () => stderr, stop };
}

/** The round-robin in front: each request to the next process in turn. */
async function startBalancer(ports, port) {
  // A new connection per request: a kept-alive one that the process closes just as the
  // balancer reuses it would fail a request for the balancer's sake ("socket hang up").
  const agent = new Agent({ keepAlive: false, maxSockets: 512 });
  const served = ports.map(() => 0);
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const i = next;
    next = (next + 1) % ports.length;
    served[i] += 1;
    const forwarded = httpRequest(
      {
        host: '127.0.0.1',
        port: ports[i],
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`balancer: ${error.message}`);
    });
    incoming.pipe(forwarded);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    async stop() {
      agent.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

function httpClient(origin) {
  return async function call(path, { body, cookie, address }) {
    const started = performance.now();
    try {
      const response = await fetch(origin + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin,
          'x-forwarded-for': address,
          ...(cookie ? { cookie } : {}),
        },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      return { status: response.status, ms, text, cookies: response.headers.getSetCookie() };
    } catch (error) {
      const ms = performance.now() - started;
      const cause = error?.cause
        ? ` (${error.cause.code ?? error.cause.message ?? error.cause})`
        : '';
      return { status: 0, ms, text: `${error?.message ?? error}${cause}`, cookies: [] };
    }
  };
}

function expectOk(answer, status, what) {
  if (answer.status !== status) {
    throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  return JSON.parse(answer.text);
}

const cookieOf = (answer) => answer.cookies.map((c) => c.split(';')[0]).join('; ');

async function makeAccounts(call, runId) {
  const organiserAddress = '10.91.0.1';
  const founder = await call('/api/auth/sign-up/email', {
    address: organiserAddress,
    body: JSON.stringify({
      email: `organiser-${runId}@example.org`,
      password: PASSWORD,
      name: 'Organiser',
      organisationName: 'Bench Bazaar',
    }),
  });
  expectOk(founder, 200, 'organiser sign-up');
  const organiser = cookieOf(founder);
  return mapLimit(
    Array.from({ length: ACCOUNTS }, (_, i) => i),
    4,
    async (i) => {
      const invited = await call('/api/invitations', {
        address: organiserAddress,
        cookie: organiser,
        body: JSON.stringify({ role: 'maker' }),
      });
      const { token } = expectOk(invited, 201, 'invitation');
      const address = `10.91.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
      const signedUp = await call('/api/auth/sign-up/email', {
        address,
        body: JSON.stringify({
          email: `maker-${i}-${runId}@example.org`,
          password: PASSWORD,
          name: `Maker ${i}`,
          invitationToken: token,
        }),
      });
      expectOk(signedUp, 200, `maker ${i} sign-up`);
      return { cookie: cookieOf(signedUp), address };
    },
  );
}

const stats = (values) => ({
  count: values.length,
  p50: round(percentile(values, 50)),
  p99: round(percentile(values, 99)),
  max: round(percentile(values, 100)),
});

/** The load, through `origin`: set-up (untimed), then ROUNDS rounds of all devices at once. */
async function runLoad(app, origin, databaseUrl) {
  const call = httpClient(origin);
  const setupStarted = performance.now();
  const runId = randomBytes(4).toString('hex');
  const accounts = await makeAccounts(call, runId);
  const devices = [];
  const shops = [];
  for (const account of accounts) {
    const first = new app.RawDevice();
    const shop = { account, ...shopSetup(first, PRODUCTS, 100_000), first };
    shops.push(shop);
    for (let d = 0; d < DEVICES_PER_ACCOUNT; d++) {
      const raw = d === 0 ? first : new app.RawDevice({ makerId: first.makerId });
      devices.push({ raw, shop, cursor: null, pulled: 0 });
    }
  }
  let epoch = null;
  await mapLimit(shops, 8, async (shop) => {
    const request = shop.first.request(shop.first.queue(...shop.mutations), null);
    const answer = await call('/api/sync/push', {
      address: shop.account.address,
      cookie: shop.account.cookie,
      body: JSON.stringify(request),
    });
    epoch = expectOk(answer, 200, 'set-up push').epoch;
  });
  const pullBody = (device) =>
    JSON.stringify({
      protocol: app.PROTOCOL_VERSION,
      deviceId: device.raw.deviceId,
      cursor: device.cursor,
      limit: app.DEFAULT_PULL_LIMIT,
    });
  const pullToEnd = async (device) => {
    const answers = [];
    let heldBack = 0;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      const { address, cookie } = device.shop.account;
      const answer = await call('/api/sync/pull', { address, cookie, body: pullBody(device) });
      answers.push(answer);
      if (answer.status !== 200) break;
      const body = JSON.parse(answer.text);
      device.cursor = body.cursor;
      device.pulled += body.changes.length;
      if (!body.hasMore) break;
      if (body.changes.length === 0) {
        if (++heldBack > HELD_BACK_RETRIES) break;
        await sleep(50 * heldBack);
      }
    }
    return answers;
  };
  await mapLimit(devices, 16, async (device) => {
    for (const answer of await pullToEnd(device)) expectOk(answer, 200, 'warm-up pull');
  });
  const setupSeconds = round((performance.now() - setupStarted) / 1000, 1);

  const pushMs = [];
  const pullMs = [];
  const deviceMs = [];
  const wallMs = [];
  const failures = [];
  let applied = 0;
  let duplicates = 0;
  let retries = 0;
  let notApplied = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const bodies = devices.map(({ raw, shop }) => {
      const sales = makeSales(raw, shop.event, shop.products, 1);
      return JSON.stringify(raw.request(raw.queue(...sales), epoch));
    });
    const started = performance.now();
    await Promise.all(
      devices.map(async (device, i) => {
        const { address, cookie } = device.shop.account;
        // A failed push is sent again, as the engine does (its answer may have been lost
        // after the sale was stored: then the server answers "duplicate").
        for (let attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
          if (attempt > 0) retries++;
          const pushed = await call('/api/sync/push', { address, cookie, body: bodies[i] });
          pushMs.push(pushed.ms);
          if (pushed.status !== 200) {
            failures.push(`push ${pushed.status}: ${pushed.text.slice(0, 200)}`);
            await sleep(200 * (attempt + 1));
            continue;
          }
          for (const result of JSON.parse(pushed.text).results) {
            if (result.status === 'applied') applied++;
            else if (result.status === 'duplicate') duplicates++;
            else notApplied++;
          }
          break;
        }
        for (const answer of await pullToEnd(device)) {
          pullMs.push(answer.ms);
          if (answer.status !== 200) {
            failures.push(`pull ${answer.status}: ${answer.text.slice(0, 200)}`);
          }
        }
        deviceMs.push(performance.now() - started);
      }),
    );
    wallMs.push(round(performance.now() - started));
    await sleep(500);
  }

  // Every sale exactly once: counted in the database itself.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let stored;
  try {
    const [row] =
      await sql`select count(*)::int as rows, count(distinct id)::int as ids from sales`;
    stored = { rows: row.rows, distinctIds: row.ids };
  } finally {
    await sql.end({ timeout: 5 });
  }
  const expected = DEVICES * ROUNDS;
  const all = [...pushMs, ...pullMs];
  return {
    setupSeconds,
    devices: DEVICES,
    rounds: ROUNDS,
    requests: all.length,
    all: stats(all),
    push: stats(pushMs),
    pull: stats(pullMs),
    deviceSync: stats(deviceMs),
    roundWallMs: wallMs,
    errors: failures.length,
    firstErrors: failures.slice(0, 5),
    salesExpected: expected,
    salesApplied: applied,
    duplicatesOnRetry: duplicates,
    pushRetries: retries,
    mutationsNotApplied: notApplied,
    salesStored: stored,
    everySaleExactlyOnce:
      applied + duplicates === expected &&
      notApplied === 0 &&
      stored.rows === expected &&
      stored.distinctIds === expected,
  };
}

/** PROCESSES processes behind the balancer, then one process behind it: the same load. */
export async function multiServerBenchmark(app, cluster) {
  const out = process.env.KRAAM_OUT;
  const buildDir = join(root, `build${out ? `-${out}` : ''}`);
  if (!existsSync(join(buildDir, 'index.js'))) {
    const reason = `no built server in ${buildDir}`;
    console.log(`  ${PROCESSES} processes skipped: ${reason}`);
    return { skipped: reason };
  }
  if (cluster.skipped) {
    console.log(`  ${PROCESSES} processes skipped: ${cluster.skipped}`);
    return { skipped: cluster.skipped };
  }
  const figures = {};
  for (const processes of [PROCESSES, 1]) {
    const databaseUrl = await createDatabase(cluster.url, `kraam_bench_multi_${processes}`);
    const secret = randomBytes(32).toString('base64url');
    const balancerPort = await freePort();
    const origin = `http://127.0.0.1:${balancerPort}`;
    const started = [];
    let balancer = null;
    try {
      // Started together, as a deployment would: they migrate one after the other.
      started.push(
        ...(await Promise.all(
          Array.from({ length: processes }, () => startProcess(databaseUrl, secret, origin)),
        )),
      );
      balancer = await startBalancer(
        started.map((p) => p.port),
        balancerPort,
      );
      const f = await runLoad(app, origin, databaseUrl);
      f.processes = processes;
      f.requestsPerProcess = [...balancer.served];
      figures[processes === 1 ? 'oneProcess' : `processes${processes}`] = f;
      console.log(
        `  ${processes} process${processes === 1 ? '' : 'es'} on one PostgreSQL behind a round-robin:` +
          ` ${f.devices} devices at once, push 1 sale then pull, ${f.rounds} rounds:` +
          ` ${f.requests} requests, p50 ${f.all.p50} ms, p99 ${f.all.p99} ms, max ${f.all.max} ms,` +
          ` ${f.errors} errors; every sale exactly once: ${f.everySaleExactlyOnce ? 'yes' : 'NO'}` +
          ` (${f.salesApplied}/${f.salesExpected} applied, ${f.duplicatesOnRetry} duplicates after ${f.pushRetries} retries,` +
          ` ${f.salesStored.rows} rows, ${f.salesStored.distinctIds} ids)`,
      );
      console.log(
        `    push p50 ${f.push.p50} / p99 ${f.push.p99} ms; pull p50 ${f.pull.p50} / p99 ${f.pull.p99} ms;` +
          ` whole device sync p50 ${f.deviceSync.p50} / p99 ${f.deviceSync.p99} ms;` +
          ` rounds took ${f.roundWallMs.join(', ')} ms; requests per process ${f.requestsPerProcess.join(', ')}` +
          ` (set-up untimed: ${f.setupSeconds} s)`,
      );
      if (f.errors > 0) console.log(`    first errors: ${f.firstErrors.join(' | ')}`);
    } finally {
      await balancer?.stop();
      await Promise.all(started.map((p) => p.stop()));
    }
  }
  return figures;
}
