import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './types';

/**
 * Runs raw SQL and returns its rows, whichever driver is underneath: postgres.js answers
 * an array of rows, PGlite an object with `rows`.
 */
export async function queryRows<T extends Record<string, unknown>>(
  db: Db | Tx,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
