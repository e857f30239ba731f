// Multi-row INSERTs for the push path, with all rows in ONE json parameter.
//
// Why not `tx.insert(table).values(rows)`: Drizzle builds one parameter per cell, and for a
// 500-sale push building those statements cost about a third of the push (profiled). Here
// the statement text is fixed per table and column list, and the rows travel as a single
// JSON array that PostgreSQL unpacks with json_to_recordset; no 65,535-parameter limit.
//
// Same semantics as Drizzle's insert: a cell that is null or undefined becomes NULL; a
// column with a default that a row leaves undefined gets that default (a JS default value is
// filled in; an SQL default cannot be, so leaving such a column out of a listed row throws);
// columns not listed get their defaults (identity ids, txid, server times). Rows are
// inserted in array order (WITH ORDINALITY ... ORDER BY), so identity ids follow it.
import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

type InsertRow<T extends PgTable> = T['$inferInsert'];
type Key<T extends PgTable> = keyof InsertRow<T> & string;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The statement text around the one parameter, built once per table and column list. */
const texts = new Map<string, [string, string]>();

function textOf<T extends PgTable>(table: T, keys: readonly Key<T>[]): [string, string] {
  const tableName = getTableName(table);
  const id = `${tableName}\0${keys.join('\0')}`;
  const cached = texts.get(id);
  if (cached) return cached;
  const columns = getTableColumns(table);
  const targets: string[] = [];
  const definitions: string[] = [];
  const values: string[] = [];
  for (const key of keys) {
    const column = columns[key];
    if (!column) throw new Error(`${tableName} has no column ${key}`);
    targets.push(quote(column.name));
    definitions.push(`${quote(key)} ${column.getSQLType()}`);
    values.push(`r.${quote(key)}`);
  }
  const text: [string, string] = [
    `insert into ${quote(tableName)} (${targets.join(', ')}) select ${values.join(', ')}` +
      ` from rows from (json_to_recordset(`,
    `::text::json) as (${definitions.join(', ')})) with ordinality as r order by r.ordinality`,
  ];
  texts.set(id, text);
  return text;
}

/** Rows with every defaulted column set (Drizzle would write DEFAULT for an undefined one). */
function withDefaults<T extends PgTable>(
  table: T,
  keys: readonly Key<T>[],
  rows: readonly InsertRow<T>[],
): readonly InsertRow<T>[] {
  const columns = getTableColumns(table);
  let out = rows;
  for (const key of keys) {
    const column = columns[key];
    if (!column?.hasDefault) continue;
    if (out.every((row) => (row as Record<string, unknown>)[key] !== undefined)) continue;
    const fallback: unknown = column.default;
    if (fallback === undefined || is(fallback, SQL)) {
      throw new Error(`${getTableName(table)}.${key} has an SQL default: leave it out of the list`);
    }
    out = out.map((row) =>
      (row as Record<string, unknown>)[key] === undefined ? { ...row, [key]: fallback } : row,
    );
  }
  return out;
}

/**
 * `insert into table (keys...) <rows> [tail]` as one statement with one parameter. `keys`
 * are the table's property names (camelCase), which are also the rows' JSON keys; `tail` is
 * e.g. `on conflict (id) do nothing returning id`.
 */
export function insertRows<T extends PgTable>(
  table: T,
  keys: readonly Key<T>[],
  rows: readonly InsertRow<T>[],
  tail = '',
): SQL {
  const [before, after] = textOf(table, keys);
  const json = JSON.stringify(withDefaults(table, keys, rows));
  return sql`${sql.raw(before)}${json}${sql.raw(after)} ${sql.raw(tail)}`;
}
