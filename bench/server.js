// Server benchmarks (issue 3, "Benchmarks"), each on embedded PGlite and on PostgreSQL 15:
//   1. push ingest (sales/s) for backlogs of 100 and 1,000 sales, next to a floor: a raw
//      batched INSERT ... ON CONFLICT DO NOTHING of the same rows in the same database;
//   2. a fresh device pulling a feed of 100,000 changes;
//   3. 200 devices syncing at once against the real built server over HTTP (server-devices.js).
// Prints figures and returns them; never passes or fails on a time. bench/README.md explains
// each benchmark and its floor.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { bundleApp, machine, openBenchDb as openSharedDb } from './bench-app.js';
import { startCluster } from './server-cluster.js';
import { DEVICES, devicesBenchmark, SCENARIOS, scenarioKey } from './server-devices.js';
import { LINES_PER_SALE, makeSales, shopSetup } from './server-fixtures.js';
import { median, percentile, round, timeIt } from './server-stats.js';

/** Backlog sizes and how many of each are pushed (and inserted raw) per database. */
const INGEST_RUNS = [
  { sales: 100, batches: 20 },
  { sales: 1000, batches: 5 },
];
const PRODUCTS = 20;
const PULL_CHANGES = 100_000;
const SEED_CHUNK = 10_000;

/** The app's modules the server benchmarks drive (bench/server-app.ts), bundled. */
export function loadApp() {
  return bundleApp('server-app', `bench-server-${process.env.KRAAM_OUT || 'default'}`);
}

export { machine };

// ---------------------------------------------------------------------------------------
// Opening databases

/** A migrated, empty database of `kind` (bench/bench-app.js) on the cluster's server. */
export function openBenchDb(app, kind, cluster, name) {
  return openSharedDb(app, kind, cluster?.url, name);
}

/** Runs SQL text with parameters in one transaction on the driver underneath Drizzle. */
function rawTransaction(opened, statements) {
  const client = opened.db.$client;
  if (opened.kind === 'pglite') {
    return client.transaction(async (tx) => {
      for (const [text, params] of statements) await tx.query(text, params);
    });
  }
  return client.begin(async (tx) => {
    for (const [text, params] of statements) await tx.unsafe(text, params);
  });
}

// ---------------------------------------------------------------------------------------
// A maker's device and its sales

/** One push through the very function the route calls (body read, JSON, validation). */
export async function push(app, db, userId, request) {
  const response = await app.pushEndpoint(
    db,
    userId,
    new Request('http://kraam.bench/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof request === 'string' ? request : JSON.stringify(request),
    }),
  );
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(`push answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return body;
}

/** A device with an event and PRODUCTS products in stock, pushed once for real (untimed). */
export async function stall(app, db) {
  const userId = await app.createUser(db);
  const device = new app.RawDevice();
  const { event, products, mutations } = shopSetup(device, PRODUCTS, 1_000_000);
  const answer = await push(app, db, userId, device.request(device.queue(...mutations), null));
  return { userId, device, event, products, epoch: answer.epoch };
}

// ---------------------------------------------------------------------------------------
// 1. Push ingest vs raw INSERT

const SALE_COLUMNS = [
  'id',
  'device_id',
  'maker_id',
  'event_id',
  'receipt_number',
  'hlc',
  'created_at',
  'subtotal_cents',
  'line_discount_cents',
  'cart_discount_cents',
  'total_cents',
  'rounding_cents',
  'paid_cents',
  'payments',
  'item_count',
  'status',
  'void_reason',
  'voided_at',
  'flags',
];
const LINE_COLUMNS = [
  'id',
  'sale_id',
  'position',
  'product_id',
  'name',
  'unit_price_cents',
  'vat_rate',
  'quantity',
  'line_discount_cents',
  'cart_discount_share_cents',
  'total_cents',
  'vat_cents',
];
const MOVEMENT_COLUMNS = [
  'id',
  'event_id',
  'product_id',
  'maker_id',
  'device_id',
  'kind',
  'delta',
  'sale_id',
  'hlc',
  'created_at',
];

/** `insert into table (cols) values ($1, ...), (...) [tail]`: one statement, parameters. */
function insertStatement(table, columns, rows, tail = '') {
  const params = [];
  const tuples = rows.map((row) => {
    const marks = row.map((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    return `(${marks.join(',')})`;
  });
  return [`insert into ${table} (${columns.join(',')}) values ${tuples.join(',')} ${tail}`, params];
}

/** The floor: the rows the push stores for these sales (sales, lines, movements). */
function saleStatements(records) {
  const sales = records.map(({ sale }) => [
    sale.id,
    sale.deviceId,
    sale.makerId,
    sale.eventId,
    sale.receiptNumber,
    sale.hlc,
    sale.createdAt,
    sale.subtotalCents,
    sale.lineDiscountCents,
    sale.cartDiscountCents,
    sale.totalCents,
    sale.roundingCents,
    sale.paidCents,
    JSON.stringify(sale.payments),
    sale.itemCount,
    sale.status,
    sale.voidReason,
    sale.voidedAt,
    '[]',
  ]);
  const lines = records.flatMap(({ lines }) =>
    lines.map((l) => [
      l.id,
      l.saleId,
      l.position,
      l.productId,
      l.name,
      l.unitPriceCents,
      l.vatRate,
      l.quantity,
      l.lineDiscountCents,
      l.cartDiscountShareCents,
      l.totalCents,
      l.vatCents,
    ]),
  );
  const movements = records.flatMap(({ sale, movements }) =>
    movements.map((m) => [
      m.id,
      m.eventId,
      m.productId,
      sale.makerId,
      m.deviceId,
      m.kind,
      m.delta,
      m.saleId,
      m.hlc,
      m.createdAt,
    ]),
  );
  return [
    insertStatement('sales', SALE_COLUMNS, sales, 'on conflict (id) do nothing'),
    insertStatement('sale_lines', LINE_COLUMNS, lines, 'on conflict (id) do nothing'),
    insertStatement('stock_movements', MOVEMENT_COLUMNS, movements, 'on conflict (id) do nothing'),
  ];
}

/**
 * For reference only: the two other tables a push must write per sale, its mutation log
 * row and its change-feed row (the sale, lines and movements as JSON), as raw INSERTs.
 */
function logAndFeedStatements(records, deviceId, firstSeq, hashes) {
  const log = records.map((_, i) => [deviceId, firstSeq + i, 'applied', 'sale.record', hashes[i]]);
  const feed = records.map(({ sale, lines, movements }) => [
    'sale',
    sale.id,
    'upsert',
    sale.makerId,
    JSON.stringify({ sale: { ...sale, flags: [] }, lines, movements, flags: [] }),
  ]);
  return [
    insertStatement('sync_mutations', ['device_id', 'seq', 'status', 'type', 'hash'], log),
    insertStatement('sync_changes', ['entity', 'entity_id', 'op', 'maker_id', 'data'], feed),
  ];
}

/** CPU ms a PostgreSQL server process has used (Linux /proc; 0 when it cannot be read). */
function serverProcessCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of stat, 12 and 13 after the name), in 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * CPU used so far: this process, and on PostgreSQL the server processes of the benchmark's
 * database (per pid). On a shared machine wall time counts the other processes' work too;
 * CPU time counts only this work (to 10 ms per server process and reading).
 */
async function cpuNow(app, opened) {
  const own = process.cpuUsage();
  const server = new Map();
  if (opened.kind === 'postgres') {
    const rows = await app.queryRows(
      opened.db,
      app.sql`select pid from pg_stat_activity where datname = current_database()`,
    );
    for (const { pid } of rows) server.set(pid, serverProcessCpuMs(pid));
  }
  return { node: (own.user + own.system) / 1000, server };
}

function cpuSince(before, after) {
  let server = 0;
  for (const [pid, ms] of after.server) server += ms - (before.server.get(pid) ?? 0);
  return { node: after.node - before.node, server };
}

async function ingestBenchmark(app, kind, cluster) {
  const opened = await openBenchDb(app, kind, cluster, 'ingest');
  const { db } = opened;
  try {
    const pushed = await stall(app, db);
    // The floors' rows come from other devices of the same maker (their own ids).
    const floorDevice = new app.RawDevice({ makerId: pushed.device.makerId });
    const fullDevice = new app.RawDevice({ makerId: pushed.device.makerId });
    await db.execute(
      app.sql`insert into sync_devices (id, user_id) values (${fullDevice.deviceId}, ${pushed.userId})`,
    );
    let fullSeq = 1;
    const figures = {};
    for (const { sales: size, batches } of INGEST_RUNS) {
      const ms = { push: [], floor: [], full: [] };
      const cpu = {
        push: { node: 0, server: 0 },
        floor: { node: 0, server: 0 },
        full: { node: 0, server: 0 },
      };
      let requests = 0;
      let applied = 0;
      for (let b = 0; b < batches; b++) {
        // Built before the clock starts: a device has its backlog ready to send.
        const records = makeSales(pushed.device, pushed.event, pushed.products, size);
        const entries = pushed.device.queue(...records);
        const bodies = [];
        for (let i = 0; i < entries.length; i += app.MAX_PUSH_MUTATIONS) {
          const part = entries.slice(i, i + app.MAX_PUSH_MUTATIONS);
          bodies.push(JSON.stringify(pushed.device.request(part, pushed.epoch)));
        }
        const floorRecords = makeSales(floorDevice, pushed.event, pushed.products, size);
        const fullRecords = makeSales(fullDevice, pushed.event, pushed.products, size);
        const hashes = fullRecords.map((r) =>
          createHash('sha256').update(JSON.stringify(r)).digest('hex'),
        );
        const runs = {
          push: async () => {
            for (const body of bodies) {
              const answer = await push(app, db, pushed.userId, body);
              applied += answer.results.filter((r) => r.status === 'applied').length;
            }
            requests += bodies.length;
          },
          floor: () => rawTransaction(opened, saleStatements(floorRecords)),
          full: () => {
            const statements = [
              ...saleStatements(fullRecords),
              ...logAndFeedStatements(fullRecords, fullDevice.deviceId, fullSeq, hashes),
            ];
            fullSeq += size;
            return rawTransaction(opened, statements);
          },
        };
        // Rotate the order, so drifting machine load hits all three alike.
        const order = ['push', 'floor', 'full'];
        for (let i = 0; i < order.length; i++) {
          const name = order[(b + i) % order.length];
          const before = await cpuNow(app, opened);
          ms[name].push(await timeIt(runs[name]));
          const used = cpuSince(before, await cpuNow(app, opened));
          cpu[name].node += used.node;
          cpu[name].server += used.server;
        }
      }
      const total = size * batches;
      const rate = (list) => (total / list.reduce((a, b) => a + b, 0)) * 1000;
      const pushRate = rate(ms.push);
      const floorRate = rate(ms.floor);
      const fullRate = rate(ms.full);
      const f = {
        salesPerBatch: size,
        batches,
        pushRequestsPerBatch: requests / batches,
        applied,
        expected: total,
        pushSalesPerSec: round(pushRate),
        floorSalesPerSec: round(floorRate),
        ratio: round(pushRate / floorRate, 2),
        aimMet: pushRate >= floorRate * 0.6,
        pushMedianBatchMs: round(median(ms.push)),
        floorMedianBatchMs: round(median(ms.floor)),
        withLogAndFeedSalesPerSec: round(fullRate),
        withLogAndFeedRatio: round(fullRate / floorRate, 2),
        // CPU per 1,000 sales (this process + the database's server processes), and the
        // floor's CPU over the push's: the ratio the wall times would give on an idle machine
        // when neither waits on the disk.
        cpuMsPer1000: Object.fromEntries(
          Object.entries(cpu).map(([name, c]) => [
            name,
            {
              node: round((c.node / total) * 1000),
              server: round((c.server / total) * 1000),
              all: round(((c.node + c.server) / total) * 1000),
            },
          ]),
        ),
      };
      const cpuAll = (name) => cpu[name].node + cpu[name].server;
      f.cpuRatio = round(cpuAll('floor') / cpuAll('push'), 2);
      figures[`batch${size}`] = f;
      const each = f.pushRequestsPerBatch > 1 ? `${f.pushRequestsPerBatch} requests` : '1 request';
      console.log(
        `  push ingest, batches of ${size} (${each} each, ${batches} batches):` +
          ` ${f.pushSalesPerSec} sales/s | raw INSERT floor ${f.floorSalesPerSec} sales/s | ratio ${f.ratio}` +
          ` (aim >= 0.6: ${f.aimMet ? 'met' : 'NOT met'}); applied ${applied}/${total}`,
      );
      console.log(
        `    reference: raw INSERT of the floor's rows + mutation log + feed rows: ${f.withLogAndFeedSalesPerSec} sales/s` +
          ` (${f.withLogAndFeedRatio} x the floor)`,
      );
      const c = f.cpuMsPer1000;
      const split = (x) => (kind === 'postgres' ? ` (Node ${x.node} + server ${x.server})` : '');
      console.log(
        `    CPU per 1,000 sales: push ${c.push.all} ms${split(c.push)} | floor ${c.floor.all} ms${split(c.floor)}` +
          ` | reference ${c.full.all} ms${split(c.full)} | floor / push ${f.cpuRatio}`,
      );
    }
    return figures;
  } finally {
    await opened.close();
  }
}

// ---------------------------------------------------------------------------------------
// 2. Pull of 100,000 changes onto a fresh device

/**
 * Fills the feed up to PULL_CHANGES changes. A few hundred come from real pushes; the rest
 * are copies of a sale change the server wrote (sale, 3 lines, 3 movements), each with new
 * sale, line and movement ids and its own receipt number, inserted by SQL in transactions
 * of SEED_CHUNK rows: pushing 100,000 sales for real would take minutes.
 */
async function seedFeed(app, db, shop) {
  const records = makeSales(shop.device, shop.event, shop.products, 200);
  await push(app, db, shop.userId, shop.device.request(shop.device.queue(...records), shop.epoch));
  const [template] = await app.queryRows(
    db,
    app.sql`select data::text as data from sync_changes where entity = 'sale' order by id limit 1`,
  );
  const text = template.data;
  const parsed = JSON.parse(text);
  const ids = [
    parsed.sale.id,
    ...parsed.lines.map((l) => l.id),
    ...parsed.movements.map((m) => m.id),
  ];
  // As the feed stored it: `json` keeps the text as written, `jsonb` (before issue 11's
  // ingest pass) wrote a space after the colon.
  const receipt = /"receiptNumber": ?\d+/.exec(text)?.[0];
  if (!receipt || ids.length !== 1 + 2 * LINES_PER_SALE) throw new Error('unexpected template');
  let expr = app.sql`${text}::text`;
  ids.forEach((id, i) => {
    expr = app.sql`replace(${expr}, ${id}, g.id${app.sql.raw(String(i))})`;
  });
  const receiptKey = receipt.replace(/\d+$/, '');
  expr = app.sql`replace(${expr}, ${receipt}, ${receiptKey}::text || g.n)::json`;
  const idColumns = app.sql.raw(ids.map((_, i) => `gen_random_uuid()::text as id${i}`).join(', '));
  const [{ n: existing }] = await app.queryRows(
    db,
    app.sql`select count(*)::int as n from sync_changes`,
  );
  let from = 1_000_000;
  let left = PULL_CHANGES - existing;
  while (left > 0) {
    const count = Math.min(SEED_CHUNK, left);
    await db.execute(app.sql`
      insert into sync_changes (entity, entity_id, op, maker_id, organisation_id, data)
      select 'sale', g.id0, 'upsert', ${parsed.sale.makerId}, null, ${expr}
      from (select n, ${idColumns} from generate_series(${from}::int, ${from + count - 1}::int) n) g`);
    from += count;
    left -= count;
  }
  // The feed with the planner's statistics, as a running server has them: PostgreSQL's
  // autovacuum collects them within a minute of a burst, a PGlite server at its start and
  // every 10 minutes (src/lib/server/db/statistics.ts). Without them a page sorts every
  // change of the maker (docs/benchmarks.md, "Speed (issue 11), the pull's plan").
  await db.execute(app.sql`analyze sync_changes`);
  const [{ n, bytes }] = await app.queryRows(
    db,
    app.sql`select count(*)::int as n, sum(pg_column_size(data))::bigint as bytes from sync_changes`,
  );
  return { changes: n, changeBytes: text.length, storedMiB: round(Number(bytes) / 2 ** 20) };
}

async function pullBenchmark(app, kind, cluster) {
  const opened = await openBenchDb(app, kind, cluster, 'pull');
  const { db } = opened;
  try {
    const shop = await stall(app, db);
    const seedStarted = performance.now();
    const seed = await seedFeed(app, db, shop);
    const seedMs = performance.now() - seedStarted;

    // (a) The server's pull handler alone, paging as the app's engine does: each page read
    // and written out as the JSON text the route sends (what `pullEndpoint` answers).
    const deviceId = crypto.randomUUID();
    let cursor = null;
    let pages = 0;
    let changes = 0;
    let bytes = 0;
    const pageMs = [];
    // What the device does with each page's text before applying it, timed apart (not part
    // of the handler's time): JSON.parse, then the answer's zod schema.
    let parseMs = 0;
    let schemaMs = 0;
    let checkMs = 0;
    let handlerMs = 0;
    for (let hasMore = true; hasMore && pages < 10_000; pages++) {
      const started = performance.now();
      const page = await app.pullAnswer(db, shop.userId, {
        protocol: app.PROTOCOL_VERSION,
        deviceId,
        cursor,
        limit: app.PULL_PAGE,
        features: [...app.PULL_FEATURES],
      });
      const text = app.pullAnswerText(page);
      bytes += text.length;
      const ms = performance.now() - started;
      pageMs.push(ms);
      handlerMs += ms;
      changes += page.changes.length;
      cursor = page.head.cursor;
      hasMore = page.head.hasMore;
      const parseStarted = performance.now();
      const body = JSON.parse(text);
      parseMs += performance.now() - parseStarted;
      // The app's check (src/lib/sync/pull-check.ts) and zod alone, every page, the order
      // alternating so that neither always meets the other's garbage.
      const checks = [
        () => {
          const started = performance.now();
          const checked = app.PullResponseSchema.safeParse(body);
          schemaMs += performance.now() - started;
          if (!checked.success) throw new Error('the pull answer fails its own schema');
        },
        () => {
          const started = performance.now();
          const checked = app.checkPullAnswer(body);
          checkMs += performance.now() - started;
          if (!checked.success) throw new Error('the pull answer fails the app’s check');
        },
      ];
      if (pages % 2 === 1) checks.reverse();
      for (const check of checks) check();
    }

    // (b) A fresh device: the real engine and MemoryDeviceStore, through the endpoint
    // functions (JSON both ways, the response validated by its schema, each page applied).
    // The store's apply is timed (the in-memory twin applies synchronously, so this is time
    // the device's one thread spent applying); the rest of the device's time is waiting for
    // pages (server, JSON, zod: split above).
    let applyMs = 0;
    class TimedStore extends app.MemoryDeviceStore {
      async applyPull(page) {
        const started = performance.now();
        try {
          return await super.applyPull(page);
        } finally {
          applyMs += performance.now() - started;
        }
      }
    }
    const device = await app.TestDevice.create({
      store: new TimedStore(),
      transport: app.createInProcessTransport({ db, userId: () => shop.userId }),
    });
    let synced;
    const deviceMs = await timeIt(async () => {
      synced = await device.engine.syncNow();
    });
    device.engine.stop();
    const summary = await device.store.getSummary(shop.event.id);
    const figures = {
      feed: { ...seed, seedSeconds: round(seedMs / 1000) },
      pageSize: app.PULL_PAGE,
      answerMiB: round(bytes / 2 ** 20),
      handler: {
        changes,
        pages,
        seconds: round(handlerMs / 1000, 2),
        changesPerSec: round((changes / handlerMs) * 1000),
        pageMedianMs: round(median(pageMs)),
        pageP99Ms: round(percentile(pageMs, 99)),
      },
      // Per 100,000 changes' worth of pages, seconds: the device's JSON.parse and zod of the
      // handler's answers (measured beside the handler, untimed there).
      deviceParseSeconds: round(parseMs / 1000, 2),
      deviceSchemaSeconds: round(schemaMs / 1000, 2),
      deviceCheckSeconds: round(checkMs / 1000, 2),
      device: {
        store: 'MemoryDeviceStore',
        ok: synced?.ok === true,
        changes: synced?.pulled ?? 0,
        salesOnDevice: summary.salesCount,
        seconds: round(deviceMs / 1000, 2),
        applySeconds: round(applyMs / 1000, 2),
        changesPerSec: round(((synced?.pulled ?? 0) / deviceMs) * 1000),
        failure: device.engine.status.lastFailure?.message ?? null,
      },
    };
    console.log(
      `  pull of ${changes} changes (${pages} pages of ${figures.pageSize}), handler only:` +
        ` ${figures.handler.seconds} s, ${figures.handler.changesPerSec} changes/s` +
        ` (page median ${figures.handler.pageMedianMs} ms, p99 ${figures.handler.pageP99Ms} ms)`,
    );
    console.log(
      `  the device's share of each page, beside the handler: JSON.parse ${figures.deviceParseSeconds} s,` +
        ` zod (PullResponseSchema) ${figures.deviceSchemaSeconds} s; the app's check (checkPullAnswer,` +
        ` what the engine reads pages with) ${figures.deviceCheckSeconds} s`,
    );
    console.log(
      `  onto a fresh device (engine + MemoryDeviceStore, in-process endpoints): ${figures.device.seconds} s,` +
        ` ${figures.device.changesPerSec} changes/s (of which the store's applyPull ${figures.device.applySeconds} s);` +
        ` ${figures.device.salesOnDevice} sales on the device` +
        (figures.device.failure ? `; FAILED: ${figures.device.failure}` : ''),
    );
    console.log(
      `  (feed: ${seed.changes} changes, ~${seed.changeBytes} bytes of JSON per sale change,` +
        ` ${seed.storedMiB} MiB stored; seeded in ${figures.feed.seedSeconds} s, not timed)`,
    );
    return figures;
  } finally {
    await opened.close();
  }
}

// ---------------------------------------------------------------------------------------

/** The figures as a Markdown table, ready for docs/benchmarks.md. */
function printTable(results) {
  const kinds = ['pglite', 'postgres'];
  const cell = (kind, pick) => {
    const r = results[kind];
    if (!r || r.skipped) return 'skipped';
    try {
      return pick(r) ?? '-';
    } catch {
      // A benchmark that was skipped (e.g. no build for the HTTP one) has no figure.
      return 'skipped';
    }
  };
  const n = (x) => x.toLocaleString('en');
  const ingest = (size) => (r) => r.ingest[`batch${size}`];
  const rows = [];
  for (const { sales } of INGEST_RUNS) {
    rows.push(
      [`Push ingest, batches of ${n(sales)} (sales/s)`, (r) => n(ingest(sales)(r).pushSalesPerSec)],
      [
        `Floor: raw batched INSERT, ${n(sales)} (sales/s)`,
        (r) => n(ingest(sales)(r).floorSalesPerSec),
      ],
      [
        `Push / floor, ${n(sales)} (aim >= 0.6)`,
        (r) => `${ingest(sales)(r).ratio} (${ingest(sales)(r).aimMet ? 'met' : 'not met'})`,
      ],
      [
        `Push / floor by CPU (this process + the database's), ${n(sales)}`,
        (r) => `${ingest(sales)(r).cpuRatio}`,
      ],
      [
        `Reference: floor + mutation log + feed rows, ${n(sales)} (sales/s)`,
        (r) => n(ingest(sales)(r).withLogAndFeedSalesPerSec),
      ],
    );
  }
  const pulled = n(PULL_CHANGES);
  rows.push(
    [
      `Pull ${pulled} changes, server handler (changes/s)`,
      (r) => `${n(r.pull.handler.changesPerSec)} (${r.pull.handler.seconds} s)`,
    ],
    [
      `Pull ${pulled} changes onto a fresh device (changes/s)`,
      (r) => `${n(r.pull.device.changesPerSec)} (${r.pull.device.seconds} s)`,
    ],
  );
  for (const scenario of SCENARIOS) {
    const pick = (r) => r.devices[scenarioKey(scenario)];
    const sales = `${scenario.salesPerPush} sale${scenario.salesPerPush > 1 ? 's' : ''} per push`;
    if (scenario.oneAtATime) {
      rows.push([
        `One device at a time (service time), ${sales}: push / pull p50 (ms)`,
        (r) => `${pick(r).push.p50} / ${pick(r).pull.p50}`,
      ]);
      continue;
    }
    const label = scenario.spreadMs
      ? `${DEVICES} devices within ${scenario.spreadMs / 1000} s (random moments), ${sales}`
      : `${DEVICES} devices at once, ${sales}`;
    rows.push(
      [`${label}: p50 / p99 per request (ms)`, (r) => `${pick(r).all.p50} / ${pick(r).all.p99}`],
      [`${label}: push p50 / p99 (ms)`, (r) => `${pick(r).push.p50} / ${pick(r).push.p99}`],
      [`${label}: pull p50 / p99 (ms)`, (r) => `${pick(r).pull.p50} / ${pick(r).pull.p99}`],
      scenario.spreadMs
        ? [
            `${label}: errors / requests (aim: p99 < 100 ms, 0 errors)`,
            (r) => `${pick(r).errors} / ${pick(r).requests} (${pick(r).aimMet ? 'yes' : 'no'})`,
          ]
        : [
            `${label}: errors / requests (aim: p99 <= 1 s PostgreSQL, 2 s PGlite, 0 errors)`,
            (r) =>
              `${pick(r).errors} / ${pick(r).requests} (${pick(r).aimMet ? 'met' : 'not met'})`,
          ],
    );
  }
  for (const [name, what] of [
    ['sveltekit', 'Floor: the same server, SvelteKit + hooks, push route without a session (401)'],
    ['bare', 'Floor: a bare node:http server answering {}'],
  ]) {
    rows.push([
      `${what}: one at a time p50 / ${DEVICES} at once p99 (ms)`,
      (r) => `${r.devices.floors[name].oneAtATime.p50} / ${r.devices.floors[name].atOnce.p99}`,
    ]);
  }
  const pg = results.postgres?.version
    ? `PostgreSQL ${results.postgres.version.split(' ')[0]}`
    : 'PostgreSQL';
  console.log(`\n| Benchmark | PGlite | ${pg} |\n| --- | --: | --: |`);
  for (const [label, pick] of rows) {
    console.log(`| ${label} | ${kinds.map((k) => cell(k, pick)).join(' | ')} |`);
  }
}

/** A benchmark that breaks is reported as broken (with why), and the others still run. */
async function attempt(name, run) {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.log(`  ERROR in the ${name} benchmark: ${message}`);
    return { error: message };
  }
}

export async function serverBenchmarks() {
  const results = { machine: machine() };
  console.log('\n== Server (push ingest, pull, 200 devices over HTTP) ==');
  console.log(
    `machine: ${results.machine.nproc} x ${results.machine.cpu}, Node ${results.machine.node},` +
      ` load average ${results.machine.loadAverage.join(' ')}`,
  );
  const started = performance.now();
  const app = await loadApp();
  // BENCH_POSTGRES_URL: an existing server instead of a throwaway cluster (a quick re-run of
  // one part while working on it); BENCH_SERVER_PARTS / BENCH_SERVER_KINDS: a comma list of
  // the parts (ingest, pull, devices) and databases (pglite, postgres) to run (default: all).
  const cluster = process.env.BENCH_POSTGRES_URL
    ? { url: process.env.BENCH_POSTGRES_URL, version: 'given', stop: async () => {} }
    : await startCluster();
  const chosen = (name, all) => (process.env[name] ? process.env[name].split(',') : all);
  const parts = new Set(chosen('BENCH_SERVER_PARTS', ['ingest', 'pull', 'devices']));
  const kinds = chosen('BENCH_SERVER_KINDS', ['pglite', 'postgres']);
  if (cluster.skipped) console.log(`PostgreSQL figures skipped: ${cluster.skipped}`);
  try {
    for (const kind of kinds) {
      if (kind === 'postgres' && cluster.skipped) {
        results.postgres = { skipped: cluster.skipped };
        continue;
      }
      console.log(
        `\n-- ${kind === 'pglite' ? 'PGlite (data folder)' : `PostgreSQL ${cluster.version} (127.0.0.1)`} --`,
      );
      const r = (results[kind] = kind === 'postgres' ? { version: cluster.version } : {});
      if (parts.has('ingest')) {
        r.ingest = await attempt('push ingest', () => ingestBenchmark(app, kind, cluster));
      }
      if (parts.has('pull'))
        r.pull = await attempt('pull', () => pullBenchmark(app, kind, cluster));
      if (parts.has('devices')) {
        r.devices = await attempt('devices', () => devicesBenchmark(app, kind, cluster));
      }
    }
  } finally {
    if (!cluster.skipped) await cluster.stop();
  }
  results.seconds = round((performance.now() - started) / 1000);
  // Other processes on a shared machine move every figure: say how busy it was.
  results.machine.loadAverageEnd = loadavg().map((x) => round(x, 1));
  printTable(results);
  console.log(
    `\nserver benchmarks took ${results.seconds} s; load average at the end ${results.machine.loadAverageEnd.join(' ')}`,
  );
  return results;
}
