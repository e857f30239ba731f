import { PgDialect } from 'drizzle-orm/pg-core';
import { SQL, StringChunk, type Query } from 'drizzle-orm';
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
  return rowsOf<T>(result);
}

function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

/**
 * At most this many parameters in a statement that `reusedRows` keeps prepared: the text
 * of a small push (a sale or a few) comes back with the same shape again and again; a large
 * batch's text is rarely seen twice, and each prepared text stays in the connection (and
 * in its PostgreSQL backend) until the connection is closed (postgres.js closes each after
 * 30 to 60 minutes).
 */
export const MAX_REUSED_PARAMETERS = 200;

const dialect = new PgDialect();

/**
 * `queryRows` for a statement sent again and again with the same text (a push's): on
 * PostgreSQL it is prepared once per connection and then sent by name with its values only
 * (Bind, Execute, Sync: one write, one round trip). Drizzle sends every statement of
 * `db.execute` unnamed, and postgres.js then asks the server for an unnamed statement's
 * parameter types before it can send its values: the text and a Describe in one write, the
 * values in a second write after the answer, two round trips (docs/benchmarks.md, "fifth
 * pass"). PGlite has no wire: the same as `queryRows` there.
 */
export async function reusedRows<T extends Record<string, unknown>>(
  db: Db | Tx,
  query: SQL,
): Promise<T[]> {
  const built = plainQuery(query) ?? dialect.sqlToQuery(query);
  // A name makes Drizzle's postgres.js session prepare the statement (the name on the wire
  // is postgres.js's own, one per text); PGlite's session takes no name into account.
  const name = built.params.length > MAX_REUSED_PARAMETERS ? undefined : 'reused';
  const prepared = db._.session.prepareQuery(built, undefined, name, false);
  return rowsOf<T>(await prepared.execute());
}

/**
 * A statement of one shape whose text is built once, when the module loads, with its values
 * as named placeholders (`sql.placeholder('name')`) given at each run: Drizzle builds no
 * text per request, and on PostgreSQL it is prepared once per connection (`reusedRows`).
 */
export class ReusedStatement<T extends Record<string, unknown>> {
  private readonly built: Query;

  constructor(query: SQL) {
    this.built = dialect.sqlToQuery(query);
  }

  async rows(db: Db | Tx, values: Record<string, unknown>): Promise<T[]> {
    const prepared = db._.session.prepareQuery(this.built, undefined, 'reused', false);
    return rowsOf<T>(await prepared.execute(values));
  }
}

/**
 * The text and parameters of a statement made of text and plain values only (`sql` templates,
 * `sql.raw`, `sql.join`; strings, numbers, booleans and nulls as parameters), as Drizzle's
 * `sqlToQuery` would build them, in one walk: Drizzle asks each chunk what it is through
 * `is()` (a walk up its prototypes, for each of a dozen kinds) and merges a list of pieces
 * per nested statement, about a tenth of a push's JavaScript (docs/benchmarks.md, "push3").
 * Anything else (a table, a column, a placeholder, inlined parameters, a value Drizzle maps
 * with an encoder): null, and the caller asks Drizzle.
 */
export function plainQuery(query: SQL): Query | null {
  const text: string[] = [];
  const params: unknown[] = [];
  const walk = (chunks: readonly unknown[]): boolean => {
    for (const chunk of chunks) {
      if (chunk instanceof StringChunk) {
        for (const part of chunk.value) text.push(part);
      } else if (chunk instanceof SQL) {
        // `sql.inlineParams()` writes values into the text: Drizzle's to do.
        if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return false;
        if (!walk(chunk.queryChunks)) return false;
      } else if (
        chunk === null ||
        typeof chunk === 'string' ||
        typeof chunk === 'number' ||
        typeof chunk === 'boolean'
      ) {
        params.push(chunk);
        text.push(`$${params.length}`);
      } else if (chunk !== undefined) {
        return false;
      }
    }
    return true;
  };
  if ((query as unknown as { shouldInlineParams: boolean }).shouldInlineParams) return null;
  return walk(query.queryChunks) ? { sql: text.join(''), params } : null;
}
