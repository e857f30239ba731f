// The planner's statistics on PGlite (issue 11). PostgreSQL's autovacuum collects them by
// itself; PGlite runs PostgreSQL inside this process without that daemon, so nothing ever
// did, and the planner guessed: a page of the change feed sorted every change of the maker
// to hand out 1,000 of them (146 ms a page at 100,000 changes, 20 ms with statistics;
// docs/benchmarks.md, "Speed (issue 11), the pull's plan").
import { sql } from 'drizzle-orm';
import { scheduleJob } from '$lib/server/jobs/lease';
import type { Db } from './types';

export const STATISTICS_JOB = 'statistics';
/** How often the embedded database's statistics are collected again. */
export const STATISTICS_EVERY_MS = 10 * 60_000;

/** Collects the planner's statistics of every table (`ANALYZE`: a sample of each). */
export async function collectStatistics(db: Db): Promise<void> {
  await db.execute(sql`analyze`);
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
