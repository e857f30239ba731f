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
