// What durable commits cost on embedded PGlite (issue 7, "Durable means durable"), and the
// proof that each commit reaches the disk. `node bench/run.js durability`.
//   1. strace: host fsync(2)/fdatasync(2) calls per commit, PGlite as the server opens it
//      ("after") and with PGlite's own defaults ("before": fsync off, no host call at all).
//      Counted as (calls with N commits - calls with 0 commits) / N, in a child process
//      (bench/durability-child.ts) that opens the data folder exactly as the server does.
//   2. commits/s: single-row commits, before and after, interleaved in rounds, next to the
//      floor: an 8 KB page written in place in a preallocated file + fsync(2), in the same
//      folder (what one WAL flush costs on this disk).
//   3. push latency: a 1-sale push and a 100-sale push through pushEndpoint (what
//      POST /api/sync/push runs), before and after, interleaved.
// Prints figures and returns them; never passes or fails on a time.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  fsyncSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApp, machine } from './server.js';
import { makeSales, shopSetup } from './server-fixtures.js';
import { median, percentile, round, timeIt } from './server-stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const migrations = join(root, 'drizzle');
const STRACE = process.env.STRACE ?? '/usr/bin/strace';
const STRACE_COMMITS = 200;
const ROUNDS = 5;
const COMMITS_PER_ROUND = 100;
const PUSHES = 60;
const BIG_PUSHES = 10;
const MODES = ['off', 'fsync'];
const LABEL = { off: 'before (PGlite defaults: fsync off)', fsync: 'after (durable: fsync on)' };

function folder(name) {
  return mkdtempSync(join(tmpdir(), `kraam-durable-${name}-`));
}

/** fsync-family calls made by one child run: all of them, and those on WAL segments. */
function straceRun(mode, dataDir, commits) {
  const out = join(dataDir, '..', `strace-${mode}-${commits}-${process.pid}.txt`);
  const run = spawnSync(
    STRACE,
    [
      '-f',
      '-y',
      '-e',
      'trace=fsync,fdatasync',
      '-o',
      out,
      process.execPath,
      '--import',
      'tsx',
      join(root, 'bench/durability-child.ts'),
      mode,
      dataDir,
      String(commits),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`strace run failed (${run.status}): ${run.stderr}`);
  const calls = readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => /\b(fsync|fdatasync)\(/.test(l));
  rmSync(out, { force: true });
  return { all: calls.length, wal: calls.filter((l) => l.includes('/pg_wal/')).length };
}

function straceBenchmark() {
  if (!existsSync(STRACE)) {
    console.log(`  strace not found at ${STRACE} (STRACE=path): fsync counts not measured`);
    return { error: 'no strace' };
  }
  const figures = {};
  for (const mode of MODES) {
    const dataDir = folder(`strace-${mode}`);
    try {
      straceRun(mode, dataDir, 0); // creates the cluster (and, durable, syncs it once)
      const idle = straceRun(mode, dataDir, 0);
      const busy = straceRun(mode, dataDir, STRACE_COMMITS);
      const f = {
        commits: STRACE_COMMITS,
        callsOpenClose: idle.all,
        callsWithCommits: busy.all,
        fsyncPerCommit: round((busy.all - idle.all) / STRACE_COMMITS, 2),
        walFsyncPerCommit: round((busy.wal - idle.wal) / STRACE_COMMITS, 2),
      };
      figures[mode] = f;
      console.log(
        `  ${LABEL[mode]}: ${f.fsyncPerCommit} host fsync calls per commit (${f.walFsyncPerCommit} on the WAL);` +
          ` open + close alone: ${f.callsOpenClose}, with ${STRACE_COMMITS} commits: ${f.callsWithCommits}`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return figures;
}

/**
 * The floor: what one WAL flush costs on this disk without Postgres. Like a WAL segment, a
 * 16 MB file written in full (and synced) beforehand; then one 8 KB page written in place and
 * fsync(2)ed per "commit".
 */
function fsyncFloor(dir, count) {
  const path = join(dir, 'floor.bin');
  const page = Buffer.alloc(8192, 7);
  const fd = openSync(path, 'w');
  const ms = [];
  try {
    for (let i = 0; i < 2048; i++) writeSync(fd, page);
    fsyncSync(fd);
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      writeSync(fd, page, 0, page.length, (i % 2048) * 8192);
      fsyncSync(fd);
      ms.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return ms;
}

async function commitBenchmark(app) {
  const dirs = Object.fromEntries(MODES.map((m) => [m, folder(`commits-${m}`)]));
  const dbs = {};
  try {
    for (const mode of MODES) {
      dbs[mode] = await app.openDatabase({
        kind: 'pglite',
        dataDir: dirs[mode],
        migrations,
        durability: mode,
      });
    }
    const ms = { off: [], fsync: [], floor: [] };
    let key = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of r % 2 ? [...MODES].reverse() : MODES) {
        for (let i = 0; i < COMMITS_PER_ROUND; i++) {
          ms[mode].push(
            await timeIt(() =>
              dbs[mode].db.execute(
                app.sql`insert into server_meta (key, value) values (${`bench-${key++}`}, 'x')`,
              ),
            ),
          );
        }
      }
      ms.floor.push(...fsyncFloor(dirs.fsync, COMMITS_PER_ROUND));
    }
    const figures = {};
    for (const name of ['off', 'fsync', 'floor']) {
      const list = ms[name];
      figures[name] = {
        commitsPerSec: round((list.length / list.reduce((a, b) => a + b, 0)) * 1000),
        medianMs: round(median(list), 2),
        p95Ms: round(percentile(list, 95), 2),
      };
    }
    figures.addedMedianMs = round(figures.fsync.medianMs - figures.off.medianMs, 2);
    for (const mode of MODES) {
      const f = figures[mode];
      console.log(
        `  ${LABEL[mode]}: ${f.commitsPerSec} commits/s, median ${f.medianMs} ms, p95 ${f.p95Ms} ms`,
      );
    }
    const f = figures.floor;
    console.log(
      `  floor, an 8 KB page written in place + fsync(2), same disk: ${f.commitsPerSec}/s, median ${f.medianMs} ms, p95 ${f.p95Ms} ms;` +
        ` durability adds ${figures.addedMedianMs} ms per commit (median)`,
    );
    return figures;
  } finally {
    for (const mode of MODES) await dbs[mode]?.close();
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}

async function push(app, db, userId, body) {
  const response = await app.pushEndpoint(
    db,
    userId,
    new Request('http://kraam.bench/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }),
  );
  if (response.status !== 200) throw new Error(`push answered ${response.status}`);
  return response.json();
}

async function pushBenchmark(app) {
  const dirs = Object.fromEntries(MODES.map((m) => [m, folder(`push-${m}`)]));
  const shops = {};
  try {
    for (const mode of MODES) {
      const opened = await app.openDatabase({
        kind: 'pglite',
        dataDir: dirs[mode],
        migrations,
        durability: mode,
      });
      const userId = await app.createUser(opened.db);
      const device = new app.RawDevice();
      const { event, products, mutations } = shopSetup(device, 5, 1_000_000);
      const answer = await push(
        app,
        opened.db,
        userId,
        JSON.stringify(device.request(device.queue(...mutations), null)),
      );
      shops[mode] = { opened, userId, device, event, products, epoch: answer.epoch };
    }
    const ms = { off: { 1: [], 100: [] }, fsync: { 1: [], 100: [] } };
    const once = async (mode, size) => {
      const s = shops[mode];
      const body = JSON.stringify(
        s.device.request(
          s.device.queue(...makeSales(s.device, s.event, s.products, size)),
          s.epoch,
        ),
      );
      ms[mode][size].push(await timeIt(() => push(app, s.opened.db, s.userId, body)));
    };
    for (let i = 0; i < PUSHES; i++)
      for (const mode of i % 2 ? [...MODES].reverse() : MODES) await once(mode, 1);
    for (let i = 0; i < BIG_PUSHES; i++)
      for (const mode of i % 2 ? [...MODES].reverse() : MODES) await once(mode, 100);
    const figures = {};
    for (const mode of MODES) {
      figures[mode] = {};
      for (const size of [1, 100]) {
        const list = ms[mode][size];
        figures[mode][`sales${size}`] = {
          pushes: list.length,
          medianMs: round(median(list), 1),
          p95Ms: round(percentile(list, 95), 1),
        };
      }
      const f = figures[mode];
      console.log(
        `  ${LABEL[mode]}: 1-sale push median ${f.sales1.medianMs} ms, p95 ${f.sales1.p95Ms} ms;` +
          ` 100-sale push median ${f.sales100.medianMs} ms, p95 ${f.sales100.p95Ms} ms`,
      );
    }
    return figures;
  } finally {
    for (const mode of MODES) await shops[mode]?.opened.close();
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}

export async function durabilityBenchmarks() {
  const results = { machine: machine() };
  try {
    results.filesystem = execFileSync('df', ['-T', tmpdir()]).toString().trim().split('\n').at(-1);
  } catch {
    // not important
  }
  console.log(
    `\n== Durable commits on PGlite (${results.machine.nproc} cores, load ${results.machine.loadAverage.join(' ')}) ==`,
  );
  console.log('strace, host fsync calls per commit:');
  results.strace = straceBenchmark();
  const app = await loadApp();
  console.log('single-row commits:');
  results.commits = await commitBenchmark(app);
  console.log('push latency (pushEndpoint, in-process):');
  results.push = await pushBenchmark(app);
  results.machine.loadAverageAfter = machine().loadAverage;
  return results;
}
