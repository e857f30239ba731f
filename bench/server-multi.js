// 4. More than one server (README, "Running more than one server"): PROCESSES identical Kraam
// processes (the real build, `node scripts/start.js`) on one PostgreSQL, behind a round-robin
// balancer that lives in this benchmark only (each request to the next process in turn, no
// sticky sessions), and the same load through the same balancer to ONE process for
// comparison. DEVICES devices (ACCOUNTS makers x DEVICES_PER_ACCOUNT) each push one sale and
// then pull to the end of their feed, all at the same moment, ROUNDS times.
//
// Checked, not only timed: every request answered 200 (errors counted), every sale pushed is
// answered "applied", and the database holds each sale exactly once (rows counted by id).
import { serverNodeFlags } from './server-node-flags.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createDatabase, freePort } from './server-cluster.js';
import { makeSales } from './server-fixtures.js';
import { httpClient, setUpDevices, sleep, stats } from './server-load.js';
import { round } from './server-stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export const PROCESSES = 3;
export const DEVICES = 500;
const ACCOUNTS = 125;
const DEVICES_PER_ACCOUNT = DEVICES / ACCOUNTS;
const PRODUCTS = 10;
const ROUNDS = 2;
const REQUEST_TIMEOUT_MS = 120_000;
const PUSH_ATTEMPTS = 5;

/** One Kraam process on `databaseUrl`, serving at its own port; ORIGIN is the balancer's. */
async function startProcess(databaseUrl, secret, origin) {
  const port = await freePort();
  const child = spawn(process.execPath, [...serverNodeFlags(), 'scripts/start.js'], {
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

/** The load, through `origin`: set-up (untimed), then ROUNDS rounds of all devices at once. */
async function runLoad(app, origin, databaseUrl) {
  const call = httpClient(origin, REQUEST_TIMEOUT_MS);
  const { devices, epoch, pullToEnd, setupSeconds } = await setUpDevices(app, call, {
    accounts: ACCOUNTS,
    network: '10.91',
    devicesPerAccount: DEVICES_PER_ACCOUNT,
    products: PRODUCTS,
  });

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
