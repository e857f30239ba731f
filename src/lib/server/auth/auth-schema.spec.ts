// docs/stack-notes.md pitfall 3: the auth tables are hand-written, so this test is what tells us
// when a better-auth upgrade adds or changes a field.
import { getAuthTables } from 'better-auth/db';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import * as schema from '../db/schema';
import { authOptions } from './config';

const ours: Record<string, PgTable> = {
  user: schema.user,
  session: schema.session,
  account: schema.account,
  verification: schema.verification,
  rateLimit: schema.rateLimit,
};

/** better-auth field type -> the Drizzle column types that store it. */
const COLUMN_TYPES: Record<string, string[]> = {
  string: ['PgText'],
  boolean: ['PgBoolean'],
  date: ['PgTimestamp'],
  number: ['PgInteger', 'PgBigInt53'],
};

describe('auth tables', () => {
  // The options the server really uses; the database itself is not needed to list tables.
  const tables = getAuthTables(
    authOptions({
      db: drizzle.mock({ schema }),
      secret: 'x'.repeat(32),
      baseURL: 'http://localhost',
    }),
  );

  it('has a Drizzle table for every table better-auth needs, and no other', () => {
    expect(Object.keys(tables).sort()).toEqual(Object.keys(ours).sort());
  });

  it('matches every better-auth field: name, type, required, unique, references', () => {
    const mismatches: string[] = [];
    for (const [model, table] of Object.entries(tables)) {
      const drizzleTable = ours[model];
      if (!drizzleTable) continue;
      const config = getTableConfig(drizzleTable);
      const columns = drizzleTable as unknown as Record<string, PgColumn>;
      for (const [key, field] of Object.entries(table.fields)) {
        const name = field.fieldName ?? key;
        const column = columns[name];
        const where = `${model}.${name}`;
        if (!column) {
          mismatches.push(`${where}: missing`);
          continue;
        }
        const type = field.bigint ? 'PgBigInt53' : undefined;
        const allowed = type ? [type] : (COLUMN_TYPES[String(field.type)] ?? []);
        if (!allowed.includes(column.columnType)) {
          mismatches.push(
            `${where}: ${column.columnType}, better-auth wants ${String(field.type)}`,
          );
        }
        if ((field.required ?? true) !== column.notNull) {
          mismatches.push(
            `${where}: notNull ${column.notNull}, required ${String(field.required)}`,
          );
        }
        if (Boolean(field.unique) !== column.isUnique) {
          mismatches.push(
            `${where}: unique ${column.isUnique}, better-auth ${String(field.unique)}`,
          );
        }
        if (field.references) {
          const fk = config.foreignKeys.find((f) =>
            f.reference().columns.some((c) => c.name === column.name),
          );
          const target = fk?.reference();
          const targetModel = field.references.model;
          if (
            !fk ||
            !target ||
            getTableConfig(target.foreignTable).name !==
              getTableConfig(ours[targetModel] as PgTable).name
          ) {
            mismatches.push(`${where}: no foreign key to ${targetModel}`);
          } else if ((field.references.onDelete ?? 'cascade') !== fk.onDelete) {
            mismatches.push(
              `${where}: on delete ${fk.onDelete}, better-auth ${field.references.onDelete}`,
            );
          }
        }
      }
      // Columns better-auth does not know must fill themselves, or its inserts fail.
      const known = new Set([
        'id',
        ...Object.entries(table.fields).map(([k, f]) => f.fieldName ?? k),
      ]);
      for (const [key, column] of Object.entries(columns)) {
        if (!(column && typeof column === 'object' && 'columnType' in column)) continue;
        if (!known.has(key) && column.notNull && !column.hasDefault) {
          mismatches.push(`${model}.${key}: required but unknown to better-auth`);
        }
      }
      if (!columns.id || columns.id.columnType !== 'PgText' || !columns.id.primary) {
        mismatches.push(`${model}.id: must be a text primary key (better-auth makes string ids)`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
