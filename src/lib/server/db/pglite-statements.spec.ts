// PGlite's statements run by name (pglite-statements.js, issue 11): a statement PGlite has seen
// is not parsed again, answers exactly as PGlite's own `query` does, and a statement that can
// no longer run as prepared (its result type changed under it) fails once and is prepared
// again, never wedged. The contract the server relies on (rows, errors, transactions, queueing)
// runs against this client too, in pglite-client.spec.ts.
import { PGlite, types } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { createUser, push, stallWithStockedSale } from '$lib/server/sync/testing';
import { MAX_STATEMENTS, StatementReusingPGlite } from './pglite-statements.js';
import { createTestDb, type TestDb } from './testing';

/** The wire messages' type letters of every entry into Postgres's loop while counting. */
function countEntries(client: PGlite) {
  const entries: string[] = [];
  let counting = false;
  const target = client as unknown as { execProtocolRawSync(message: Uint8Array): Uint8Array };
  const original = target.execProtocolRawSync.bind(client);
  target.execProtocolRawSync = (message) => {
    if (counting) {
      let letters = '';
      for (let at = 0; at + 5 <= message.length;) {
        letters += String.fromCharCode(message[at] ?? 0);
        at += 1 + new DataView(message.buffer, message.byteOffset + at + 1, 4).getUint32(0);
      }
      entries.push(letters);
    }
    return original(message);
  };
  return {
    async during(run: () => Promise<unknown>): Promise<string[]> {
      entries.length = 0;
      counting = true;
      try {
        await run();
      } finally {
        counting = false;
      }
      return [...entries];
    },
  };
}

const open: { close(): Promise<void>; closed?: boolean }[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) if (!client.closed) await client.close();
});

async function both() {
  const plain = new PGlite();
  const reusing = new StatementReusingPGlite();
  open.push(plain, reusing);
  for (const client of [plain, reusing]) {
    await client.waitReady;
    await client.exec(`
      create table t (id int primary key, label text, at timestamptz, doc jsonb, tags text[],
        cents bigint, ok boolean, day date);
      insert into t values (1, 'one', '2026-12-07 10:00:00+00', '{"a":1}', '{x,y}', 250, true,
        '2026-12-07');`);
  }
  return { plain, reusing };
}

describe('PGlite statements run by name', () => {
  let testDb: TestDb | null = null;
  afterEach(async () => {
    await testDb?.close();
    testDb = null;
  }, 90_000);

  it('a one-sale push of a shape PGlite has seen parses no statement: BEGIN, each statement as one Bind/Execute/Sync, COMMIT', async () => {
    testDb = await createTestDb('pglite');
    const { db } = testDb;
    const userId = await createUser(db);
    const { device, event, products, setup, sale } = await stallWithStockedSale(db, userId);
    // The same shape: the same products, other quantities.
    const second = device.sale(
      event.id,
      products.map((product) => ({ product, quantity: 1 })),
    );
    const client = (db as unknown as { $client: PGlite }).$client;
    expect(client).toBeInstanceOf(StatementReusingPGlite);
    const counter = countEntries(client);
    // The first push of this shape prepares its statements.
    const first = await counter.during(() =>
      push(db, userId, device.request(device.queue(sale), setup.epoch)),
    );
    expect(first.some((letters) => letters.includes('P'))).toBe(true);
    const again = await counter.during(async () => {
      const answer = await push(db, userId, device.request(device.queue(second), setup.epoch));
      expect(answer.results).toEqual([expect.objectContaining({ status: 'applied' })]);
    });
    expect(again.filter((letters) => letters.includes('P'))).toEqual([]);
    const statements = again.filter((letters) => letters === 'BES');
    expect(statements.length).toBeGreaterThanOrEqual(3);
    // Nothing but BEGIN and COMMIT (a simple query and its Sync each) beside them.
    expect(again.filter((letters) => letters !== 'BES').sort()).toEqual(['Q', 'Q', 'S', 'S']);
  }, 60_000);

  it('answers as PGlite’s own query: the same rows, fields and affected rows, in both row modes, with the caller’s parsers and serializers', async () => {
    const { plain, reusing } = await both();
    const before = reusing.prepared;
    const runs: [string, unknown[], Parameters<PGlite['query']>[2]?][] = [
      ['select * from t where id = $1', [1]],
      ['select * from t where id = $1', [1], { rowMode: 'array' }],
      ['select at, day from t where id = $1', [1], { parsers: { [types.TIMESTAMPTZ]: (v) => v } }],
      [
        'insert into t (id, label, doc, tags, cents, ok) values ($1, $2, $3, $4, $5, $6) returning *',
        [2, 'two', { b: [1, 2] }, ['p', 'q'], 1234567890123n, false],
      ],
      ['update t set label = $1 where id = any($2)', ['both', [1, 2]]],
      ['select count(*)::int as n, $1::text as echo from t', [null]],
      ['select id from t where label = $1', ['x'], { serializers: { [types.TEXT]: () => 'both' } }],
      ['delete from t where id = $1', [2]],
      ['(select id from t) union all (select $1::int)', [9]],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [text, params, options] of runs) {
        const expected = await plain.query(text, params, options);
        const actual = await reusing.query(text, params, options);
        expect(actual, text).toEqual(expected);
      }
    }
    // Each text prepared once (the two row modes of the first share one), none again.
    expect(reusing.prepared - before).toBe(runs.length - 1);
  }, 90_000);

  it('a statement whose result type changed under it fails once with Postgres’s message, then is prepared again; a duplicate key keeps it prepared', async () => {
    const { reusing } = await both();
    const select = 'select * from t where id = $1';
    await reusing.query(select, [1]);
    await reusing.exec('alter table t add column extra text');
    await expect(reusing.query(select, [1])).rejects.toMatchObject({
      message: expect.stringMatching(/cached plan must not change result type/),
      query: select,
      params: [1],
    });
    const again = await reusing.query<{ extra: string | null }>(select, [1]);
    expect(again.rows[0]).toMatchObject({ id: 1, extra: null });
    expect(again.fields.map((f) => f.name)).toContain('extra');

    const insert = 'insert into t (id, label) values ($1, $2)';
    await reusing.query(insert, [5, 'five']);
    const prepared = reusing.prepared;
    await expect(reusing.query(insert, [5, 'again'])).rejects.toMatchObject({
      code: '23505',
      constraint: 't_pkey',
    });
    await reusing.query(insert, [6, 'six']);
    expect(reusing.prepared).toBe(prepared);
  }, 90_000);

  it('in a transaction: an error rolls back everything, a statement first prepared there is kept after the rollback, and the next transaction runs', async () => {
    const { reusing } = await both();
    const insert = 'insert into t (id, label) values ($1, $2)';
    await expect(
      reusing.transaction(async (tx) => {
        await tx.query(insert, [10, 'ten']);
        await tx.query(insert, [10, 'ten again']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const prepared = reusing.prepared;
    await reusing.transaction(async (tx) => {
      await tx.query(insert, [11, 'eleven']);
    });
    expect(reusing.prepared).toBe(prepared);
    const ids = await reusing.query<{ id: number }>(
      'select id from t where id >= $1 order by id',
      [10],
    );
    expect(ids.rows).toEqual([{ id: 11 }]);
  }, 90_000);

  it('the same text with values of every kind (number, numeric text, null, undefined, bigint, boolean, array, object, Date, bytes, NUL, a lone surrogate, NaN, ±Infinity, -0, 2^53+1) answers and fails exactly as PGlite’s own query, whichever came first', async () => {
    const { plain, reusing } = await both();
    const values: unknown[] = [
      5,
      '5',
      null,
      undefined,
      2n ** 63n - 1n,
      true,
      [1, 2],
      ['a', null],
      { a: [1, 'x'] },
      new Date(Date.UTC(2026, 11, 7, 10)),
      new Uint8Array([0, 1, 255]),
      'a\u0000b',
      'x\ud800y',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
      2 ** 53 + 1,
      'x'.repeat(100_000),
    ];
    const texts = [
      'select $1 as v',
      'select $1::text as v',
      'select $1::int as v',
      'select $1::bigint as v',
      'select $1::numeric as v',
      'select $1::float8 as v',
      'select $1::jsonb as v',
      'select $1::json as v',
      'select $1::timestamptz as v',
      'select $1::text[] as v',
      'select $1::bytea as v',
      'update t set label = $1 where id = -1 returning label',
    ];
    const outcome = async (client: PGlite, text: string, value: unknown) => {
      try {
        const result = await client.query(text, [value]);
        return { rows: result.rows, fields: result.fields };
      } catch (error) {
        const { message, code } = error as { message: string; code?: string };
        return { message, code };
      }
    };
    const before = reusing.prepared;
    for (const text of texts) {
      // Both orders: the statement prepared by the first value, then run with every other.
      for (const order of [values, [...values].reverse()]) {
        for (const value of order) {
          const expected = await outcome(plain, text, value);
          expect(await outcome(reusing, text, value), `${text} with ${String(value)}`).toEqual(
            expected,
          );
        }
      }
    }
    // Kept by their text: prepared again only after a failure that says something about the
    // statement (none of these: a value's error or a serializer's keeps it or closes it once).
    expect(reusing.prepared - before).toBeLessThanOrEqual(texts.length * values.length);
    expect((await reusing.query('select count(*)::int as n from t')).rows).toEqual([{ n: 1 }]);
  }, 120_000);

  it('a value its parameter’s type cannot take (a number for a text[] parameter) fails alone: the next statements, of this client and of PGlite’s own, bind exactly their own values', async () => {
    const { plain, reusing } = await both();
    for (const client of [plain, reusing]) {
      const insert =
        'insert into t (id, label, tags) values ($1, $2, $3) returning id, label, tags';
      await expect(client.query(insert, [30, 'thirty', 5])).rejects.toThrow(/string/);
      // Before: a half-written Bind went out ahead of these (08P01, 26000, or other values).
      expect((await client.query(insert, [31, 'thirty-one', ['a']])).rows).toEqual([
        { id: 31, label: 'thirty-one', tags: ['a'] },
      ]);
      expect((await client.query('select $1::int as v', [3])).rows).toEqual([{ v: 3 }]);
      await expect(
        client.transaction(async (tx) => {
          await tx.query(insert, [32, 'thirty-two', ['b']]);
          await tx.query(insert, [33, 'thirty-three', true]);
        }),
      ).rejects.toThrow(/string/);
      expect((await client.query(insert, [34, 'thirty-four', ['c', 'd']])).rows).toEqual([
        { id: 34, label: 'thirty-four', tags: ['c', 'd'] },
      ]);
      expect(
        (await client.query<{ id: number }>('select id from t where id >= 30 order by id')).rows,
      ).toEqual([{ id: 31 }, { id: 34 }]);
    }
  }, 90_000);

  it('texts that differ only in whitespace or case are kept apart, each answering its own', async () => {
    const { reusing } = await both();
    const texts = [
      'select $1::int + 1 as n',
      'select $1::int + 1 as n ',
      'select  $1::int + 1 as n',
      'SELECT $1::int + 1 as n',
      'select $1::int + 1 as "N"',
    ];
    for (let round = 0; round < 2; round++) {
      for (const text of texts) {
        const row = (await reusing.query<Record<string, number>>(text, [round])).rows[0];
        expect(row, text).toEqual(text.includes('"N"') ? { N: round + 1 } : { n: round + 1 });
      }
    }
    const named = await reusing.query<{ n: number }>(
      'select count(*)::int as n from pg_prepared_statements where statement = any($1::text[])',
      [texts],
    );
    expect(named.rows[0]?.n).toBe(texts.length);
  }, 90_000);

  it('interleaved: a query sent while a transaction runs waits for its end; a statement evicted inside the transaction is prepared again there; a value refused at Bind rolls back and leaves the statement good', async () => {
    const { reusing } = await both();
    const insert = 'insert into t (id, label) values ($1, $2)';
    const count = 'select count(*)::int as n from t';
    let outside: Promise<unknown> | null = null;
    await reusing.transaction(async (tx) => {
      await tx.query(insert, [20, 'twenty']);
      // Sent now, answered after the COMMIT: it never sees the transaction half done.
      outside = reusing.query<{ n: number }>(count).then((r) => r.rows[0]?.n);
      for (let i = 0; i < MAX_STATEMENTS + 5; i++) {
        await tx.query(`select $1::int + ${i} as n`, [1]);
      }
      // The insert's statement was the least recently used: closed, prepared again here.
      const prepared = reusing.prepared;
      await tx.query(insert, [21, 'twenty-one']);
      expect(reusing.prepared).toBe(prepared + 1);
    });
    expect(await outside).toBe(3);
    // A value its parameter's type refuses (22P02 at Bind) aborts the transaction; the
    // rollback undoes the insert before it, and the statement runs again afterwards.
    const update = 'update t set cents = $1 where id = $2';
    await reusing.query(update, [1, 20]);
    const prepared = reusing.prepared;
    await expect(
      reusing.transaction(async (tx) => {
        await tx.query(insert, [22, 'twenty-two']);
        await tx.query(update, ['not a number', 20]);
      }),
    ).rejects.toMatchObject({ code: '22P02' });
    await reusing.query(update, [7, 20]);
    expect(reusing.prepared).toBe(prepared);
    const rows = await reusing.query<{ id: number; cents: string | null }>(
      'select id, cents::text as cents from t order by id',
    );
    expect(rows.rows).toEqual([
      { id: 1, cents: '250' },
      { id: 20, cents: '7' },
      { id: 21, cents: null },
    ]);
  }, 120_000);

  it(`keeps at most ${MAX_STATEMENTS} statements prepared: the least recently used is closed`, async () => {
    const { reusing } = await both();
    for (let i = 0; i <= MAX_STATEMENTS + 10; i++) {
      await reusing.query(`select $1::int + ${i} as n`, [1]);
    }
    // The Close messages go with the next message sent.
    await reusing.query('select $1::int as n', [1]);
    const count = await reusing.query<{ n: number }>(
      'select count(*)::int as n from pg_prepared_statements',
    );
    expect(count.rows[0]?.n).toBeLessThanOrEqual(MAX_STATEMENTS);
    expect(count.rows[0]?.n).toBeGreaterThan(MAX_STATEMENTS - 20);
    expect((await reusing.query(`select $1::int + 0 as n`, [1])).rows).toEqual([{ n: 1 }]);
  }, 90_000);
});
