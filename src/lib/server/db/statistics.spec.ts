// The embedded database collects the planner's statistics (issue 11, statistics.ts).
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './testing';
import { queryRows } from './rows';
import { makerWithSales } from '$lib/server/sync/testing';
import { collectStatistics, startCollectingStatistics, STATISTICS_MIN_ROWS } from './statistics';

/** How many of the table's columns have statistics. */
async function statisticsOf(db: TestDb['db'], table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_stats where tablename = ${table}`,
  );
  return row?.n ?? 0;
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
  });

  it('leave a small table alone, as autovacuum does: no statistics taken while it is (nearly) empty', async () => {
    opened = await createTestDb('pglite');
    const { db } = opened;
    await makerWithSales(db, 10);
    await collectStatistics(db);
    // Eleven changes, ten sales, one maker: all below the threshold.
    for (const table of ['sync_changes', 'sales', 'makers', 'sync_devices']) {
      expect(await statisticsOf(db, table)).toBe(0);
    }
  });
});
