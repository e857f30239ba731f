/**
 * Device benchmarks, run inside headless Chromium by bench/run.js. Measures the real
 * DexieDeviceStore on real IndexedDB next to a floor: a raw Dexie transaction writing the
 * same rows (a sale, its 3 lines, a stock movement and an outbox row), interleaved so that
 * both see the same machine load.
 */
import './jitless';
import { addProduct, emptyCart } from '$lib/domain/cart';
import { uuidv7 } from '$lib/domain/ids';
import { buildSale, saleMovements } from '$lib/domain/sale';
import { historyReport } from '$lib/domain/history';
import { planRefund } from '$lib/domain/refund';
import {
  applyRefund,
  applySale,
  emptySummary,
  localHourKey,
  monthKey,
  summaryReport,
} from '$lib/domain/summary';
import type {
  EventSummaryAggregate,
  MarketEvent,
  Product,
  Refund,
  Sale,
  SaleLine,
  StockMovement,
} from '$lib/domain/types';
import { readHistory } from '$lib/services/history';
import { exportBooks } from '$lib/services/export-books';
import { DexieDeviceStore } from '$lib/db/dexie-store';
import { KraamDb, META } from '$lib/db/schema';
import { SyncEngine } from '$lib/sync/engine';
import { PROTOCOL_VERSION, PullResponseSchema } from '$lib/sync/protocol';
import { PullAnswerSchema, readAnswer, type SyncTransport } from '$lib/sync/transport';

type Figures = Record<string, unknown>;
const log = (text: string) => {
  const el = document.getElementById('log');
  if (el) el.textContent += `\n${text}`;
};

const DEVICE = 'bench-device';
const MAKER = 'bench-maker';

function product(i: number, price: number, rate: 0 | 9 | 21): Product {
  return {
    id: `p${i}`,
    makerId: MAKER,
    name: `Product ${i}`,
    priceCents: price,
    vatRate: rate,
    photoId: null,
    colour: 'teal',
    category: '',
    archived: false,
    createdAt: 0,
    updatedAt: 0,
  };
}
const PRODUCTS = [product(1, 450, 9), product(2, 1250, 21), product(3, 300, 9)];
const STOCKED = new Set(['p1']);

function event(id: string): MarketEvent {
  return {
    id,
    organisationId: null,
    seriesId: null,
    name: 'Bench bazaar',
    date: '2026-11-28',
    place: 'Leidschendam',
    opensAt: null,
    closesAt: null,
    status: 'open',
    origin: 'device',
    createdAt: 0,
    updatedAt: 0,
  };
}

/** A realistic sale: three products, one with stock kept, paid cash. */
function draft(eventId: string, createdAt: number) {
  let cart = emptyCart();
  for (const p of PRODUCTS) cart = addProduct(cart, p, 1 + (createdAt % 2));
  const id = uuidv7();
  const hlc = `${String(createdAt).padStart(15, '0')}-0000-${DEVICE}`;
  const built = buildSale({
    id,
    eventId,
    makerId: MAKER,
    hlc,
    createdAt,
    cart,
    payment: { method: 'cash', tenderedCents: 5000, cashRounding: true },
    lineIds: () => uuidv7(),
  });
  const movements = saleMovements(built.sale, built.lines, STOCKED, () => uuidv7(), hlc);
  return { ...built, movements };
}

/** Fills an event with `count` sales directly (bulk), with a matching summary row. */
async function prefill(db: KraamDb, eventId: string, count: number, startReceipt = 1) {
  let summary = emptySummary(eventId);
  const chunk = 5000;
  const t0 = Date.UTC(2026, 10, 28, 9);
  for (let start = 0; start < count; start += chunk) {
    const sales: Sale[] = [];
    const lines: SaleLine[] = [];
    const movements: StockMovement[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const createdAt = t0 + i * 1000;
      const d = draft(eventId, createdAt);
      const sale: Sale = { ...d.sale, receiptNumber: startReceipt + i, deviceId: DEVICE };
      sales.push(sale);
      lines.push(...d.lines);
      movements.push(...d.movements.map((m) => ({ ...m, deviceId: DEVICE })));
      summary = applySale(summary, sale, d.lines, localHourKey(createdAt));
    }
    await db.transaction(
      'rw',
      [db.sales, db.saleLines, db.stockMovements, db.summaries],
      async () => {
        await db.sales.bulkPut(sales);
        await db.saleLines.bulkPut(lines);
        await db.stockMovements.bulkPut(movements);
        await db.summaries.put(summary);
      },
    );
  }
  await db.meta.put({ key: META.receiptCounter, value: startReceipt + count - 1 });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, median: at(0.5), p95: at(0.95), max: at(1) };
}

/** recordSale through the store, next to the raw floor, interleaved. */
async function recordSaleVsFloor(label: string, stored: number, runs: number): Promise<Figures> {
  const storeDb = new KraamDb(`bench-store-${label}`);
  const floorDb = new KraamDb(`bench-floor-${label}`);
  await Promise.all([storeDb.delete(), floorDb.delete()]);
  await Promise.all([storeDb.open(), floorDb.open()]);
  const store = await new DexieDeviceStore(storeDb).open();
  const eventId = `event-${label}`;
  await store.saveEvent(event(eventId));
  for (const p of PRODUCTS) await store.saveProduct(p);
  await store.setOpeningStock(eventId, 'p1', 1_000_000, `000000000000000-0000-${DEVICE}`);
  if (stored > 0) {
    log(`prefilling ${stored} sales (${label})…`);
    await prefill(storeDb, eventId, stored);
    await prefill(floorDb, eventId, stored);
  }
  const storeTimes: number[] = [];
  const floorTimes: number[] = [];
  let seq = 1_000_000;
  let createdAt = Date.UTC(2026, 10, 28, 15);
  const warmup = 20;
  for (let i = 0; i < runs + warmup; i++) {
    createdAt += 1000;
    const a = draft(eventId, createdAt);
    const t0 = performance.now();
    await store.recordSale({ sale: a.sale, lines: a.lines, movements: a.movements });
    const t1 = performance.now();

    const b = draft(eventId, createdAt);
    const sale: Sale = { ...b.sale, receiptNumber: seq, deviceId: DEVICE };
    const t2 = performance.now();
    await floorDb.transaction(
      'rw',
      [floorDb.sales, floorDb.saleLines, floorDb.stockMovements, floorDb.outbox],
      async () => {
        await floorDb.sales.add(sale);
        await floorDb.saleLines.bulkAdd(b.lines);
        await floorDb.stockMovements.bulkAdd(b.movements.map((m) => ({ ...m, deviceId: DEVICE })));
        await floorDb.outbox.add({
          seq,
          deviceId: DEVICE,
          createdAt,
          mutation: { type: 'sale.record', sale, lines: b.lines, movements: [] },
        });
      },
    );
    const t3 = performance.now();
    seq += 1;
    if (i >= warmup) {
      storeTimes.push(t1 - t0);
      floorTimes.push(t3 - t2);
    }
  }
  await store.close();
  floorDb.close();
  await Promise.all([storeDb.delete(), floorDb.delete()]);
  const s = stats(storeTimes);
  const f = stats(floorTimes);
  return {
    storedSales: stored,
    recordSale: s,
    floor: f,
    ratioMedian: s.median / f.median,
    ratioP95: s.p95 / f.p95,
  };
}

/** The summary screen's work: read the event's aggregate and turn it into the report. */
async function summaryTime(count: number): Promise<Figures> {
  const db = new KraamDb(`bench-summary-${count}`);
  await db.delete();
  await db.open();
  const store = await new DexieDeviceStore(db).open();
  const eventId = `event-summary-${count}`;
  await store.saveEvent(event(eventId));
  log(`prefilling ${count} sales for the summary…`);
  await prefill(db, eventId, count);
  const times: number[] = [];
  let revenue = 0;
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const report = summaryReport(await store.getSummary(eventId));
    times.push(performance.now() - t0);
    revenue = report.revenueCents;
  }
  // The full recount from the sales themselves (a check/repair path, not the screen's path).
  const r0 = performance.now();
  const recomputed = await store.recomputeSummary(eventId);
  const recomputeMs = performance.now() - r0;
  await store.close();
  await db.delete();
  return {
    sales: count,
    summary: stats(times),
    recomputeFromSalesMs: recomputeMs,
    revenueMatches: summaryReport(recomputed).revenueCents === revenue,
  };
}

/**
 * A maker's year on the device: `count` sales across `events` weekly events from January
 * (every 100th refunded whole), written in bulk with their stored aggregates.
 */
async function prefillYear(
  db: KraamDb,
  store: DexieDeviceStore,
  count: number,
  events: number,
): Promise<{ perEvent: number; refunds: number }> {
  const perEvent = Math.floor(count / events);
  let receipt = 1;
  let refunds = 0;
  for (let e = 0; e < events; e++) {
    const eventId = `event-history-${String(e).padStart(3, '0')}`;
    // A Saturday-ish market every week from January, a day's sales from 10:00.
    const day = Date.UTC(2026, 0, 3 + 7 * e, 9);
    await store.saveEvent({
      ...event(eventId),
      name: `Markt ${e + 1}`,
      date: new Date(day).toISOString().slice(0, 10),
    });
    let summary: EventSummaryAggregate = emptySummary(eventId);
    const chunk = 2000;
    for (let start = 0; start < perEvent; start += chunk) {
      const sales: Sale[] = [];
      const lines: SaleLine[] = [];
      const movements: StockMovement[] = [];
      const refundRows: Refund[] = [];
      for (let i = start; i < Math.min(perEvent, start + chunk); i++) {
        const createdAt = day + i * 10_000;
        const d = draft(eventId, createdAt);
        const sale: Sale = { ...d.sale, receiptNumber: receipt++, deviceId: DEVICE };
        sales.push(sale);
        lines.push(...d.lines);
        movements.push(...d.movements.map((m) => ({ ...m, deviceId: DEVICE })));
        summary = applySale(summary, sale, d.lines, localHourKey(createdAt));
        if (i % 100 === 99) {
          const refund = planRefund(
            sale,
            d.lines,
            [],
            {
              id: uuidv7(),
              saleId: sale.id,
              reason: 'bench',
              createdAt: createdAt + 60_000,
              hlc: `${String(createdAt + 60_000).padStart(15, '0')}-0000-${DEVICE}`,
              lines: 'all',
            },
            DEVICE,
          );
          refundRows.push(refund);
          summary = applyRefund(summary, refund, localHourKey(createdAt));
          refunds += 1;
        }
      }
      await db.transaction(
        'rw',
        [db.sales, db.saleLines, db.stockMovements, db.refunds, db.summaries],
        async () => {
          await db.sales.bulkPut(sales);
          await db.saleLines.bulkPut(lines);
          await db.stockMovements.bulkPut(movements);
          await db.refunds.bulkPut(refundRows);
          await db.summaries.put(summary);
        },
      );
    }
  }
  return { perEvent, refunds };
}

/**
 * The "My sales" screen's work (services/history.ts): read every event and every per-event
 * aggregate and turn them into the history report, for `count` sales across `events` events
 * (spread over a year, every 100th sale refunded whole). Next to it, the full recount: every
 * event's aggregate rebuilt from its sales, lines and refunds (recomputeSummary) and the same
 * report made from those, with a check that both reports agree.
 */
async function historyTime(count: number, events: number): Promise<Figures> {
  const db = new KraamDb(`bench-history-${count}`);
  await db.delete();
  await db.open();
  const store = await new DexieDeviceStore(db).open();
  log(`prefilling ${count} sales across ${events} events for the history…`);
  const { perEvent, refunds } = await prefillYear(db, store, count, events);
  const now = Date.UTC(2026, 11, 20, 12);
  const times: number[] = [];
  let fromAggregates = '';
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const view = await readHistory(store, now);
    times.push(performance.now() - t0);
    fromAggregates = JSON.stringify(view.report);
  }
  // The full recount: every event's aggregate from its sales, lines and refunds.
  const recounts: number[] = [];
  let fromRecount = '';
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const inputs = [];
    for (const e of await store.listEvents()) {
      inputs.push({ event: e, summary: await store.recomputeSummary(e.id) });
    }
    fromRecount = JSON.stringify(historyReport(inputs, monthKey(now)));
    recounts.push(performance.now() - t0);
  }
  await store.close();
  await db.delete();
  return {
    sales: perEvent * events,
    events,
    refunds,
    history: stats(times),
    recount: stats(recounts),
    reportsMatch: fromAggregates === fromRecount,
  };
}

/**
 * The accountant's export of a year on the real Dexie store (services/export-books.ts): the
 * sales journal as Dutch CSV and as `.xlsx`, each timed, with the JS heap's peak above its
 * level before the run (Chromium's performance.memory, sampled every 10 ms while the export
 * awaits its pages).
 */
/** The page's main thread's CPU time in seconds, when the runner gives it (bench/device.js). */
function mainThreadCpu(): Promise<number> {
  const read = (window as { __mainThreadCpu?: () => Promise<number> }).__mainThreadCpu;
  return read ? read() : Promise.resolve(Number.NaN);
}

async function exportsTime(count: number): Promise<Figures> {
  const db = new KraamDb(`bench-exports-${count}`);
  await db.delete();
  await db.open();
  const store = await new DexieDeviceStore(db).open();
  log(`prefilling ${count} sales for the exports…`);
  const { perEvent, refunds } = await prefillYear(db, store, count, 50);
  const heap = () =>
    (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  const out: Figures = { sales: perEvent * 50, refunds };
  // The xlsx compressed on the page (`worker: false`, the code before the export's worker) and
  // in the export's worker, alternating, `rounds` times: before and after in the same minutes.
  // The CSV is always made on the page (once a round).
  const rounds = Number(new URLSearchParams(location.search).get('rounds') ?? 2);
  for (let round = 0; round < rounds; round++) {
    for (const format of ['csv-nl', 'xlsx'] as const) {
      for (const where of format === 'xlsx'
        ? (['page', 'worker'] as const)
        : (['worker'] as const)) {
        const base = heap();
        let peak = base;
        const timer = setInterval(() => (peak = Math.max(peak, heap())), 10);
        const cpu0 = await mainThreadCpu();
        const t0 = performance.now();
        const file = await exportBooks(store, {
          kind: 'journal',
          format,
          period: { kind: 'year', year: 2026 },
          ...(where === 'page' ? { worker: false as const } : {}),
        });
        const ms = performance.now() - t0;
        const cpu = (await mainThreadCpu()) - cpu0;
        clearInterval(timer);
        peak = Math.max(peak, heap());
        const key = where === 'worker' ? format : `${format}-page`;
        const figures = {
          ms: Math.round(ms),
          mainThreadCpuMs: Math.round(cpu * 1000),
          heapPeakMB: Math.round(((peak - base) / 2 ** 20) * 10) / 10,
          bytes: file.blob.size,
          rows: file.rowCount,
        };
        const runs = ((out[`${key}-runs`] as unknown[] | undefined) ?? []).concat(figures);
        out[`${key}-runs`] = runs;
        out[key] = figures;
        log(`export ${format} (${where}): ${Math.round(ms)} ms, +${figures.heapPeakMB} MB heap`);
      }
    }
  }
  await store.close();
  await db.delete();
  return out;
}

/**
 * A fresh device's side of a pull, on the real DexieDeviceStore in Chromium (issue 11): the
 * real SyncEngine pulls `count` sale changes in pages of 1,000 from a transport that answers
 * each page as the fetch transport reads an HTTP answer (`readAnswer` of a Response: the
 * body's JSON, then the app's check PullAnswerSchema, or zod's PullResponseSchema alone when
 * `reader` says 'zod'), with no server and no network (the server's handler
 * is measured in bench/server.js). Each change is a sale as the server sends it (sale, 3
 * lines, 3 movements, flags, device code), made by the domain's code. Timed: the whole
 * engine run, and apart: making the page texts (subtracted: the server's work), reading
 * them (JSON and zod), and the store's applyPull.
 */
async function pullTime(count: number, reader: 'check' | 'zod' = 'check'): Promise<Figures> {
  const db = new KraamDb(`bench-pull-${count}`);
  await db.delete();
  await db.open();
  const store = await new DexieDeviceStore(db).open();
  const maker = uuidv7();
  const seller = uuidv7();
  const eventId = uuidv7();
  const productIds = [uuidv7(), uuidv7(), uuidv7()];
  await store.saveProfile({
    id: maker,
    stallName: 'Bench',
    organisationId: null,
    userId: null,
    cashRounding: false,
    createdAt: 0,
  });
  const t0 = Date.UTC(2026, 0, 3, 9);
  const pageSize = 1000;
  let made = 0;
  let makeMs = 0;
  let readMs = 0;
  let applyMs = 0;
  const change = (i: number) => JSON.stringify(saleChange(i));
  const saleChange = (i: number) => {
    const createdAt = t0 + i * 60_000;
    const d = draft(eventId, createdAt);
    const ids = new Map(PRODUCTS.map((p, k) => [p.id, productIds[k]!]));
    const hlc = `${String(createdAt).padStart(15, '0')}-0000-${seller}`;
    const sale = { ...d.sale, makerId: maker, deviceId: seller, receiptNumber: i + 1, hlc };
    const lines = d.lines.map((l) => ({ ...l, productId: ids.get(l.productId)! }));
    const movements = PRODUCTS.map((p, k) => ({
      id: uuidv7(),
      eventId,
      productId: productIds[k]!,
      deviceId: seller,
      kind: 'sale',
      delta: -(lines.find((l) => l.productId === productIds[k])?.quantity ?? 1),
      saleId: sale.id,
      hlc,
      createdAt,
    }));
    return {
      entity: 'sale' as const,
      op: 'upsert' as const,
      data: { sale: { ...sale, flags: [] }, lines, movements, flags: [], deviceCode: 'B' },
    };
  };
  const transport: SyncTransport = {
    push: async () => ({
      protocol: PROTOCOL_VERSION,
      epoch: 'bench',
      acknowledgedUpTo: 0,
      results: [],
    }),
    pull: async (request) => {
      const started = performance.now();
      const from = request.cursor === null ? 0 : Number(request.cursor.split('.')[1]);
      const n = Math.min(pageSize, count - from);
      const changes: string[] = [];
      for (let i = 0; i < n; i++) changes.push(change(from + i));
      made = from + n;
      const text =
        `{"protocol":${PROTOCOL_VERSION},"epoch":"bench","changes":[${changes.join(',')}],` +
        `"cursor":"1.${made}","hasMore":${made < count},"makerId":"${maker}"}`;
      const read = performance.now();
      makeMs += read - started;
      const answer = await readAnswer(
        new Response(text, { headers: { 'content-type': 'application/json' } }),
        reader === 'check' ? PullAnswerSchema : PullResponseSchema,
      );
      readMs += performance.now() - read;
      return answer;
    },
  };
  const applyPull = store.applyPull.bind(store);
  store.applyPull = async (page) => {
    const started = performance.now();
    try {
      return await applyPull(page);
    } finally {
      applyMs += performance.now() - started;
    }
  };
  const engine = new SyncEngine({ store, transport, events: null });
  const cpu = await mainThreadCpu();
  const started = performance.now();
  const round = await engine.syncNow();
  const totalMs = performance.now() - started;
  // The page's main thread's CPU over the engine's run (the page texts' making included).
  const cpuSeconds = (await mainThreadCpu()) - cpu;
  const failure = engine.status.lastFailure?.message ?? null;
  engine.stop();
  const summary = await store.getSummary(eventId);
  await store.close();
  await db.delete();
  const deviceMs = totalMs - makeMs;
  // Floor: the same rows written the most direct way, a raw Dexie transaction per page of
  // bulkPut into sales, lines and movements (no reads, no summary, no stock, no cursor), on a
  // fresh database; the rows are made untimed.
  const floorDb = new KraamDb(`bench-pull-floor-${count}`);
  await floorDb.delete();
  await floorDb.open();
  let floorMs = 0;
  for (let from = 0; from < count; from += pageSize) {
    const page = Array.from({ length: Math.min(pageSize, count - from) }, (_, i) =>
      saleChange(from + i),
    );
    const started = performance.now();
    await floorDb.transaction(
      'rw',
      [floorDb.sales, floorDb.saleLines, floorDb.stockMovements],
      async () => {
        await Promise.all([
          floorDb.sales.bulkPut(page.map((c) => c.data.sale as Sale)),
          floorDb.saleLines.bulkPut(page.flatMap((c) => c.data.lines)),
          floorDb.stockMovements.bulkPut(page.flatMap((c) => c.data.movements as StockMovement[])),
        ]);
      },
    );
    floorMs += performance.now() - started;
  }
  floorDb.close();
  await floorDb.delete();
  return {
    store: 'DexieDeviceStore (IndexedDB, Chromium)',
    reader,
    mainThreadCpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
    ok: round.ok,
    failure,
    changes: round.pulled,
    salesOnDevice: summary.salesCount,
    seconds: Math.round(deviceMs) / 1000,
    changesPerSec: Math.round((round.pulled / deviceMs) * 1000),
    readSeconds: Math.round(readMs) / 1000,
    applySeconds: Math.round(applyMs) / 1000,
    makeSeconds: Math.round(makeMs) / 1000,
    floorSeconds: Math.round(floorMs) / 1000,
    floorChangesPerSec: Math.round((count / floorMs) * 1000),
  };
}

async function run() {
  const results: Figures = { userAgent: navigator.userAgent };
  const only = new URLSearchParams(location.search).get('only');
  try {
    if (only === 'exports') {
      const sales = Number(new URLSearchParams(location.search).get('sales') ?? 50_000);
      results.exports = await exportsTime(sales);
      log('exports done');
      return;
    }
    if (only === 'pull') {
      const params = new URLSearchParams(location.search);
      const changes = Number(params.get('changes') ?? 100_000);
      // `readers`: the answers read by the app's check (pull-check.ts) or by zod alone, run
      // after run in this order (e.g. `zod,check,zod,check` for an interleaved comparison).
      const readers = (params.get('readers') ?? 'check').split(',');
      const runs: Figures[] = [];
      for (const reader of readers) {
        runs.push(await pullTime(changes, reader === 'zod' ? 'zod' : 'check'));
        log(`pull (${reader}) done`);
      }
      results.pull = runs[0];
      results.pullRuns = runs;
      log('pull done');
      return;
    }
    if (only === 'history') {
      results.history100k = await historyTime(100_000, 50);
      log('history 100k done');
      return;
    }
    results.recordSaleEmpty = await recordSaleVsFloor('empty', 0, 300);
    log('recordSale (empty) done');
    results.recordSale50k = await recordSaleVsFloor('50k', 50_000, 300);
    log('recordSale (50k) done');
    results.summary10k = await summaryTime(10_000);
    log('summary 10k done');
    results.summary100k = await summaryTime(100_000);
    log('summary 100k done');
    results.history100k = await historyTime(100_000, 50);
    log('history 100k done');
  } catch (error) {
    results.error = String((error as Error)?.stack ?? error);
  } finally {
    (window as unknown as { __benchResults: Figures }).__benchResults = results;
    log('done');
  }
}

void run();
