// Node's CPU a one-sale push, in process (issue 11): `node bench/push-cpu.js`.
// On PostgreSQL (TEST_DATABASE_URL, else the throwaway cluster of server-cluster.js), through
// the bundled app as bench/server.js runs it: PUSH_CPU_RUNS one-sale pushes (default 1,000)
// through pushEndpoint after 200 untimed ones, and this process's CPU (process.cpuUsage,
// user + system) and wall time a push. PUSH_CPU_PROFILE=file: V8's CPU profile of the timed
// pushes only (sampled every 50 µs) written there, for Chrome's DevTools or a script.
// Two checkouts compare by CPU, which the machine's load moves less than wall times: run them
// one after the other, pair by pair (KRAAM_OUT keeps their bundles apart). Prints figures;
// never passes or fails on a time.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { startCluster } from './server-cluster.js';
import { makeSales } from './server-fixtures.js';
import { loadApp, machine, openBenchDb, push, stall } from './server.js';

const RUNS = Number(process.env.PUSH_CPU_RUNS ?? 1000);
const WARM_UP = 200;
const PROFILE = process.env.PUSH_CPU_PROFILE;

const app = await loadApp();
const shared = process.env.TEST_DATABASE_URL;
const cluster = shared ? { url: shared, stop: async () => {} } : await startCluster();
if (cluster.skipped) {
  console.log(`PostgreSQL skipped: ${cluster.skipped}`);
  process.exit(0);
}
const opened = await openBenchDb(app, 'postgres', cluster, 'push_cpu');
try {
  const shop = await stall(app, opened.db);
  const sales = makeSales(shop.device, shop.event, shop.products, WARM_UP + RUNS);
  const requests = sales.map((sale) =>
    JSON.stringify(shop.device.request(shop.device.queue(sale), shop.epoch)),
  );
  const pushAt = async (i) => {
    const answer = await push(app, opened.db, shop.userId, requests[i]);
    if (answer.results[0]?.status !== 'applied') throw new Error('a sale was not applied');
  };
  for (let i = 0; i < WARM_UP; i++) await pushAt(i);
  const session = PROFILE ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
  }
  const load = machine().loadAverage;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = WARM_UP; i < WARM_UP + RUNS; i++) await pushAt(i);
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(PROFILE, JSON.stringify(profile));
  }
  const perPush = (us) => (us / 1000 / RUNS).toFixed(3);
  console.log(
    `one-sale push, PostgreSQL, ${RUNS} after ${WARM_UP}: this process's CPU ${perPush(cpu.user + cpu.system)} ms a push` +
      ` (user ${perPush(cpu.user)}), wall ${(wall / RUNS).toFixed(2)} ms a push;` +
      ` load average ${load.join(' ')} → ${machine().loadAverage.join(' ')}`,
  );
} finally {
  await opened.close();
  await cluster.stop();
}
