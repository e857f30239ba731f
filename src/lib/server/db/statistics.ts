// The planner's statistics on PGlite (issue 11). PostgreSQL's autovacuum collects them by
// itself; PGlite runs PostgreSQL inside this process without that daemon, so nothing ever
// did, and the planner guessed: a page of the change feed sorted every change of the maker
// to hand out 1,000 of them (146 ms a page at 100,000 changes, 20 ms with statistics;
// docs/benchmarks.md, "Speed (issue 11), the pull's plan"). Like autovacuum, it leaves small
// tables alone: statistics taken of a table while it is (nearly) empty made the planner
// choose worse for the pushes that then filled it (measured in the same section).
import { sql } from 'drizzle-orm';
import { queryRows } from './rows';
import { scheduleJob } from '$lib/server/jobs/lease';
import type { Db } from './types';

export const STATISTICS_JOB = 'statistics';
/** How often the embedded database's statistics are collected again. */
export const STATISTICS_EVERY_MS = 10 * 60_000;

/** A table with fewer rows is left without statistics (the planner's defaults serve it). */
export const STATISTICS_MIN_ROWS = 1_000;

/**
 * Collects the planner's statistics (`ANALYZE`: a sample of each) of every table of the
 * schema with at least STATISTICS_MIN_ROWS rows (found by reading at most that many).
 */
export async function collectStatistics(db: Db): Promise<void> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname = current_schema() order by c.relname`,
  );
  for (const { name } of tables) {
    const table = sql.identifier(name);
    const [large] = await queryRows(
      db,
      sql`select 1 as large from ${table} offset ${STATISTICS_MIN_ROWS - 1} limit 1`,
    );
    if (large) await db.execute(sql`analyze ${table}`);
  }
}

/**
 * On PGlite: collects the statistics now (in the background, the server starts meanwhile)
 * and every STATISTICS_EVERY_MS after. Never keeps the process alive. Returns a function
 * that stops it.
 */
export function startCollectingStatistics(db: () => Promise<Db>): () => void {
  const failed = (error: unknown) =>
    console.error(`Collecting the database's statistics failed: ${String(error)}`);
  void db().then(collectStatistics).catch(failed);
  return scheduleJob({
    name: STATISTICS_JOB,
    everyMs: STATISTICS_EVERY_MS,
    db,
    run: async () => collectStatistics(await db()),
  });
}
