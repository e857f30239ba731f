import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventStock, syncMutations } from './schema';
import { plainQuery } from './rows';

const dialect = new PgDialect();

/**
 * Values at the edges of what a device's JSON or the server's arithmetic can make: each must
 * reach the driver as the very value Drizzle hands it (Object.is), never another one.
 */
const oddValue = fc.constantFrom<unknown>(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '',
  'x'.repeat(100_000),
  2 ** 53 + 1,
  -(2 ** 53) - 1,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  1e21,
  undefined,
);

/** A statement of text and plain values, nested as the push's writes nest them. */
const plainStatement: fc.Arbitrary<ReturnType<typeof sql>> = fc.letrec<{
  statement: ReturnType<typeof sql>;
}>((tie) => ({
  statement: fc.oneof(
    { depthSize: 'small' },
    fc.string().map((text) => sql.raw(text)),
    fc
      .tuple(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          oddValue,
        ),
        fc.string(),
      )
      .map(([value, text]) => sql`select ${value}${sql.raw(text)}`),
    fc
      .array(tie('statement'), { maxLength: 4 })
      .map((parts) => sql`with ${sql.join(parts, sql`, `)} select 1`),
    fc
      .tuple(tie('statement'), tie('statement'), fc.integer())
      .map(([a, b, n]) => sql`${a} where x = ${n} and (${b})`),
  ),
})).statement;

describe('plainQuery: a statement of text and plain values built in one walk', () => {
  it('builds the text and parameters Drizzle builds, for any nesting of templates, raw text, joins and plain values (NUL, lone surrogates, 2^53+1, -0, NaN, ±Infinity, huge strings, undefined: each the very same value)', () => {
    fc.assert(
      fc.property(plainStatement, (statement) => {
        const { sql: text, params } = dialect.sqlToQuery(statement);
        const plain = plainQuery(statement);
        expect(plain).toEqual({ sql: text, params });
        expect(plain?.params.every((value, i) => Object.is(value, params[i]))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves to Drizzle what is not plain: a table, a column, a placeholder, a typed parameter, inlined values', () => {
    expect(plainQuery(sql`update ${eventStock} set level = 1`)).toBeNull();
    expect(plainQuery(sql`select 1 where ${eventStock.eventId} = 'e'`)).toBeNull();
    expect(plainQuery(sql`select ${sql.placeholder('id')}`)).toBeNull();
    expect(plainQuery(sql`select ${sql.param(1, syncMutations.seq)}`)).toBeNull();
    expect(plainQuery(sql`select ${'a'}`.inlineParams())).toBeNull();
    expect(plainQuery(sql`with w as (${sql`select ${'a'}`.inlineParams()}) select 1`)).toBeNull();
    expect(plainQuery(sql`select ${new Date(0) as unknown as string}`)).toBeNull();
    // Values Drizzle writes otherwise than as one parameter (a list), or maps: Drizzle's to do.
    for (const value of [[1, 2], { a: 1 }, Buffer.from('x'), 1n, Symbol('s')]) {
      expect(plainQuery(sql`select ${value as unknown as string}`)).toBeNull();
    }
  });
});
