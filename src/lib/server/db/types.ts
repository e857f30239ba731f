import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Schema = typeof schema;
/**
 * The server's database, whichever engine is underneath: callers write Drizzle pg-core
 * queries and never care whether it is embedded PGlite or a PostgreSQL server.
 */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle, as passed to `db.transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbKind = 'pglite' | 'postgres';

export interface OpenedDatabase {
  db: Db;
  kind: DbKind;
  /** Closes the client (and releases the data folder's lock); safe to call twice. */
  close(): Promise<void>;
}
