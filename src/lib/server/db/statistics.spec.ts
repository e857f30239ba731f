// The embedded database collects the planner's statistics (issue 11, statistics.ts).
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './testing';
import { queryRows } from './rows';
import {
  count,
  createUser,
  makerWithSales,
  push,
  stallWithStockedSale,
} from '$lib/server/sync/testing';
import {
  ANALYZE_SCALE_FACTOR,
  ANALYZE_THRESHOLD,
  collectChangedStatistics,
  collectStatistics,
  startCollectingStatistics,
  STATISTICS_MIN_ROWS,
} from './statistics';

/** How many of the table's columns have statistics. */
async function statisticsOf(db: TestDb['db'], table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_stats where tablename = ${table}`,
  );
  return row?.n ?? 0;
}

/** `count` stock movements with ids from `from`, written by SQL (the table has no foreign keys). */
async function addMovements(db: TestDb['db'], from: number, count: number): Promise<void> {
  await db.execute(sql`insert into stock_movements
      (id, event_id, product_id, maker_id, device_id, kind, delta, hlc, created_at)
    select 'mv-' || g, 'event', 'product-' || (g % 20), 'maker', 'device', 'sale', -1, 'hlc', g
    from generate_series(${from}::int, ${from + count - 1}::int) as g`);
}

const until = async (done: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await done()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the planner’s statistics on PGlite', () => {
  let opened: TestDb | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it('are collected as the server starts (PGlite has no autovacuum), so the feed is planned on them', async () => {
    opened = await createTestDb('pglite');
    const { db } = opened;
    // Three makers of 400 sales each (a push carries at most 500 mutations).
    for (let i = 0; i < 3; i++) await makerWithSales(db, 400);
    expect(1_200).toBeGreaterThan(STATISTICS_MIN_ROWS);
    // Nothing collects them by itself.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await statisticsOf(db, 'sync_changes')).toBe(0);

    const stop = startCollectingStatistics(async () => db);
    try {
      await until(async () => (await statisticsOf(db, 'sales')) > 0);
      expect(await statisticsOf(db, 'sync_changes')).toBeGreaterThanOrEqual(2);
      expect(await statisticsOf(db, 'sales')).toBeGreaterThan(0);
    } finally {
      stop();
    }
  }, 120_000);

  it('leave a small table alone, as autovacuum does: no statistics taken while it is (nearly) empty', async () => {
    opened = await createTestDb('pglite');
    const { db } = opened;
    await makerWithSales(db, 10);
    await collectStatistics(db);
    // Eleven changes, ten sales, one maker: all below the threshold.
    for (const table of ['sync_changes', 'sales', 'makers', 'sync_devices']) {
      expect(await statisticsOf(db, table)).toBe(0);
    }
  }, 120_000);

  it('are collected again, as autovacuum does, for a table where more rows changed since its last analysis than 50 plus a tenth of its rows', async () => {
    opened = await createTestDb('pglite');
    const { db } = opened;
    const userId = await createUser(db);
    const { device, event, products, setup } = await stallWithStockedSale(db, userId);
    // The push's reads are kept prepared (pglite-statements.js) from its first runs on.
    for (let i = 0; i < 8; i++) {
      const sale = device.sale(event.id, [{ product: products[0]!, quantity: 1 }]);
      const answer = await push(db, userId, device.request(device.queue(sale), setup.epoch));
      expect(answer.results.map((r) => r.status)).toEqual(['applied']);
    }
    // A few rows in each table: nothing to analyse.
    expect(await collectChangedStatistics(db)).toEqual([]);
    expect(await statisticsOf(db, 'stock_movements')).toBe(0);

    // 600 more movements: below the start's STATISTICS_MIN_ROWS, past the threshold.
    await addMovements(db, 0, 600);
    const rows = await count(db, 'stock_movements');
    expect(rows).toBeLessThan(STATISTICS_MIN_ROWS);
    expect(await collectChangedStatistics(db)).toEqual(['stock_movements']);
    expect(await statisticsOf(db, 'stock_movements')).toBeGreaterThan(0);
    expect(await collectChangedStatistics(db)).toEqual([]);

    // Analysed again only past 50 + a tenth of the rows it had.
    const threshold = ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * rows;
    const below = Math.floor(threshold) - 5;
    await addMovements(db, 1_000, below);
    expect(await collectChangedStatistics(db)).toEqual([]);
    await addMovements(db, 2_000, 10);
    expect(await collectChangedStatistics(db)).toEqual(['stock_movements']);
  }, 120_000);

  it('are looked at again by the server every few seconds, not only as it starts', async () => {
    opened = await createTestDb('pglite');
    const { db } = opened;
    const stop = startCollectingStatistics(async () => db, 50);
    try {
      // After the start's collection: a table that grows past autovacuum's threshold.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await addMovements(db, 0, 300);
      await until(async () => (await statisticsOf(db, 'stock_movements')) > 0);
      expect(await statisticsOf(db, 'stock_movements')).toBeGreaterThan(0);
    } finally {
      stop();
    }
  }, 120_000);
});
