// Does a push's CPU grow with the tables on PGlite? (issue 11, docs/benchmarks.md "pglite4"):
// `node bench/pglite-growth.js`.
//
// In process, on a durable PGlite data folder as the server opens it (the bundled app, as
// bench/server.js runs it): one device pushes GROWTH_SALES sales a push (default 10),
// GROWTH_BLOCKS blocks of GROWTH_PUSHES pushes (default 8 x 50), and prints the process's CPU a
// push block by block. With GROWTH_ANALYZE=1, after each block the tables where more rows
// changed since their last analysis than autovacuum's threshold (50 + 10% of the rows they
// had) are analysed, as autovacuum would, and that time is printed (src/lib/server/db/
// statistics.ts analyses only at the start and every 10 minutes, tables of 1,000 rows or more).
// At the end: each table's sequential scans and the rows they read (pg_stat_user_tables), and
// with GROWTH_EXPLAIN=1 the plan (`EXPLAIN ANALYZE EXECUTE`) of each statement the pushes keep
// prepared, run with the last parameters it had (rolled back). Prints figures; never passes
// or fails on a time.
import { performance } from 'node:perf_hooks';
import { makeSales } from './server-fixtures.js';
import { loadApp, machine, openBenchDb, push, stall } from './server.js';
import { round } from './server-stats.js';

const SALES = Number(process.env.GROWTH_SALES ?? 10);
const BLOCKS = Number(process.env.GROWTH_BLOCKS ?? 8);
const PUSHES = Number(process.env.GROWTH_PUSHES ?? 50);
const ANALYZE = process.env.GROWTH_ANALYZE === '1';

const info = machine();
console.log(
  `machine: ${info.nproc} x ${info.cpu}, Node ${info.node}, load average ${info.loadAverage.join(' ')};` +
    ` ${BLOCKS} x ${PUSHES} pushes of ${SALES} sales; statistics job ${ANALYZE ? 'after each block' : 'off'}`,
);
const app = await loadApp();
const opened = await openBenchDb(app, 'pglite', null, 'growth');
try {
  const { db } = opened;
  const client = db.$client;
  // The last parameters of each statement text run in a transaction (for GROWTH_EXPLAIN).
  const seen = new Map();
  const transaction = client.transaction.bind(client);
  client.transaction = (callback) =>
    transaction((tx) =>
      callback({
        query: (text, params, options) => {
          seen.set(text, params);
          return tx.query(text, params, options);
        },
        sql: tx.sql,
        exec: tx.exec,
        rollback: tx.rollback,
        listen: tx.listen,
        get closed() {
          return tx.closed;
        },
      }),
    );
  const shop = await stall(app, db);
  const sales = makeSales(shop.device, shop.event, shop.products, BLOCKS * PUSHES * SALES);
  let n = 0;
  for (let b = 0; b < BLOCKS; b++) {
    let cpu = process.cpuUsage();
    for (let i = 0; i < PUSHES; i++, n++) {
      const queued = shop.device.queue(...sales.slice(n * SALES, (n + 1) * SALES));
      await push(app, db, shop.userId, JSON.stringify(shop.device.request(queued, shop.epoch)));
    }
    cpu = process.cpuUsage(cpu);
    let job = '';
    if (ANALYZE) {
      const started = performance.now();
      await client.query('select pg_stat_force_next_flush()');
      const { rows } = await client.query(
        `select s.relname as name from pg_stat_user_tables s
          join pg_class c on c.oid = s.relid
          where s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`,
      );
      const analysed = rows.map((row) => row.name);
      for (const name of analysed) await client.exec(`analyze "${name}"`);
      job = `; statistics job ${round(performance.now() - started, 1)} ms (${analysed.join(', ') || 'nothing'})`;
    }
    console.log(
      `after ${n} pushes (${n * SALES} sales): CPU ${round((cpu.user + cpu.system) / 1000 / PUSHES, 2)} ms a push${job}`,
    );
  }
  const { rows: scans } = await client.query(
    `select relname as table, seq_scan, seq_tup_read, idx_scan, n_live_tup
      from pg_stat_user_tables where seq_tup_read > 0 order by seq_tup_read desc`,
  );
  console.table(scans);
  if (process.env.GROWTH_EXPLAIN === '1') {
    const { rows: prepared } = await client.query(
      `select name, statement from pg_prepared_statements`,
    );
    const literal = (v) => (v === null || v === undefined ? 'null' : `$q$${v}$q$`);
    for (const [text, params] of seen) {
      const named = prepared.find((p) => p.statement === text);
      if (!named || !/^\s*(with|select)/i.test(text)) continue;
      const args = (params ?? []).map(literal).join(', ');
      console.log(`\n${named.name}: ${text.slice(0, 80).replace(/\s+/g, ' ')}`);
      await client.exec('begin');
      try {
        const { rows } = await client.query(
          `explain (analyze, costs off) execute ${named.name}${args ? `(${args})` : ''}`,
        );
        for (const row of rows) console.log(`  ${row['QUERY PLAN']}`);
      } catch (error) {
        console.log(`  (not explained: ${error.message})`);
      } finally {
        await client.exec('rollback');
      }
    }
  }
} finally {
  await opened.close();
}
console.log(`load average at the end ${machine().loadAverage.join(' ')}`);
