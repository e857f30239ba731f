// The embedded database collects the planner's statistics (issue 11, statistics.ts).
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './testing';
import { queryRows } from './rows';
import { makerWithSales } from '$lib/server/sync/testing';
import { startCollectingStatistics } from './statistics';

async function feedStatistics(db: TestDb['db']): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_stats
      where tablename = 'sync_changes' and attname in ('maker_id', 'txid')`,
  );
  return row?.n ?? 0;
}

describe('the planner’s statistics on PGlite', () => {
  let opened: TestDb | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it('are collected as the server starts (PGlite has no autovacuum), so the feed is planned on them', async () => {
    opened = await createTestDb('pglite');
    const { db } = opened;
    await makerWithSales(db, 50);
    // Nothing collects them by itself.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await feedStatistics(db)).toBe(0);

    const stop = startCollectingStatistics(async () => db);
    try {
      for (let i = 0; i < 100 && (await feedStatistics(db)) < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await feedStatistics(db)).toBe(2);
    } finally {
      stop();
    }
  });
});
