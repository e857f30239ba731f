// The planner's statistics on PGlite (issue 11). PostgreSQL's autovacuum collects them by
// itself; PGlite runs PostgreSQL inside this process without that daemon, so nothing ever
// did, and the planner guessed: a page of the change feed sorted every change of the maker
// to hand out 1,000 of them (146 ms a page at 100,000 changes, 20 ms with statistics;
// docs/benchmarks.md, "Speed (issue 11), the pull's plan"). Like autovacuum, it leaves small
// tables alone: statistics taken of a table while it is (nearly) empty made the planner
// choose worse for the pushes that then filled it (measured in the same section).
//
// Collecting them also makes Postgres plan again the statements the server keeps prepared
// (pglite-statements.js): a statement's generic plan is kept until a table it reads is
// invalidated, which ANALYZE does and a table's growth alone does not. A plan made while a
// new server's tables were nearly empty read every row of `sales` and `stock_movements` on
// each push for as long as it was kept (docs/benchmarks.md, "pglite4"). So, by autovacuum's
// rule, the server looks every 10 seconds for the tables where more rows changed since their
// last analysis than autovacuum's threshold, and analyses those. More often than autovacuum's
// minute: a new server's tables fill fastest in its first minutes (a bazaar opening), and
// here ANALYZE runs on the one backend, so smaller and sooner is better; a look that finds
// nothing is one catalog read (and the job's lease).
import { sql } from 'drizzle-orm';
import { queryRows } from './rows';
import { scheduleJob } from '$lib/server/jobs/lease';
import type { Db } from './types';

export const STATISTICS_JOB = 'statistics';
/** How often the server looks for tables to analyse again. */
export const STATISTICS_EVERY_MS = 10_000;

/** A table with fewer rows is left without statistics at the start (the planner's defaults serve it). */
export const STATISTICS_MIN_ROWS = 1_000;

/**
 * autovacuum's rule for analysing a table again (its defaults): once more rows were inserted,
 * updated or deleted since its last analysis than ANALYZE_THRESHOLD plus ANALYZE_SCALE_FACTOR
 * times the rows it then had.
 */
export const ANALYZE_THRESHOLD = 50;
export const ANALYZE_SCALE_FACTOR = 0.1;

/** The schema's tables. */
async function tablesOf(db: Db) {
  return queryRows<{ name: string; rows: number; changed: number | null }>(
    db,
    sql`select c.relname as name, greatest(c.reltuples, 0)::float8 as rows,
          s.n_mod_since_analyze::float8 as changed
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
          left join pg_stat_user_tables s on s.relid = c.oid
        where c.relkind = 'r' and n.nspname = current_schema() order by c.relname`,
  );
}

/**
 * Collects the planner's statistics (`ANALYZE`: a sample of each) of every table of the
 * schema with at least STATISTICS_MIN_ROWS rows (found by reading at most that many): what
 * the server does as it starts, when the counts of changed rows may have been lost.
 */
export async function collectStatistics(db: Db): Promise<void> {
  for (const { name } of await tablesOf(db)) {
    const table = sql.identifier(name);
    const [large] = await queryRows(
      db,
      sql`select 1 as large from ${table} offset ${STATISTICS_MIN_ROWS - 1} limit 1`,
    );
    if (large) await db.execute(sql`analyze ${table}`);
  }
}

/**
 * Analyses the tables where more rows changed since their last analysis than autovacuum's
 * threshold (ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR x the rows it had then). Returns their
 * names.
 */
export async function collectChangedStatistics(db: Db): Promise<string[]> {
  // The counts of this backend's changes reach pg_stat_user_tables when it next goes idle:
  // now, not up to a second later.
  await queryRows(db, sql`select pg_stat_force_next_flush()::text`);
  const analysed: string[] = [];
  for (const { name, rows, changed } of await tablesOf(db)) {
    if ((changed ?? 0) <= ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * rows) continue;
    await db.execute(sql`analyze ${sql.identifier(name)}`);
    analysed.push(name);
  }
  return analysed;
}

/**
 * On PGlite: collects the statistics now (in the background, the server starts meanwhile),
 * then every `everyMs` analyses the tables that changed enough since (autovacuum's rule).
 * Never keeps the process alive. Returns a function that stops it.
 */
export function startCollectingStatistics(
  db: () => Promise<Db>,
  everyMs = STATISTICS_EVERY_MS,
): () => void {
  const failed = (error: unknown) =>
    console.error(`Collecting the database's statistics failed: ${String(error)}`);
  void db().then(collectStatistics).catch(failed);
  return scheduleJob({
    name: STATISTICS_JOB,
    everyMs,
    db,
    run: async () => collectChangedStatistics(await db()),
  });
}
