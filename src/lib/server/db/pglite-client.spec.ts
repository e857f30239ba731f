// One contract for the two PGlite clients the server can run (issue 11): PGlite itself on the
// main thread, and PgliteWorkerClient (PGlite in a worker thread, pglite-worker.js). The same
// queries, errors, transactions, rollbacks, transactions queued behind each other and a close
// with work in flight must behave alike; the worker's own risk, a worker that dies, last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './open';
import { StatementReusingPGlite } from './pglite-statements.js';
import { PgliteWorkerClient, type QueryOptions } from './pglite-worker-client';
import { queryRows } from './rows';
import { serverMeta } from './schema/org';

/** The calls both clients answer (what Drizzle's PGlite driver and the project use). */
interface Client {
  query<T>(
    text: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: T[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number }>;
  exec(text: string): Promise<unknown[]>;
  transaction<T>(
    callback: (tx: {
      query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
    }) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
  readonly closed: boolean;
  readonly waitReady: Promise<void>;
}

const KINDS = {
  'in-process': () => new PGlite() as unknown as Client,
  // The server's own (open.ts): PGlite whose statements run by name (pglite-statements.js).
  'in-process, statements by name': () => new StatementReusingPGlite() as unknown as Client,
  worker: () => new PgliteWorkerClient({ folder: null }) as unknown as Client,
};

const open: Client[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) if (!client.closed) await client.close();
});

async function start(kind: keyof typeof KINDS): Promise<Client> {
  const client = KINDS[kind]();
  open.push(client);
  await client.waitReady;
  await client.exec('create table t (id int primary key, label text not null, at timestamptz)');
  return client;
}

/** An error's fields as the push's retry rules and messages read them. */
async function failure(run: Promise<unknown>) {
  const error = (await run.then(
    () => null,
    (e: unknown) => e,
  )) as (Error & Record<string, unknown>) | null;
  expect(error).toBeInstanceOf(Error);
  return error!;
}

describe.each(Object.keys(KINDS) as (keyof typeof KINDS)[])('a PGlite client (%s)', (kind) => {
  it('answers rows as objects or arrays, with fields and affected rows, and the caller’s parsers applied', async () => {
    const client = await start(kind);
    const inserted = await client.query('insert into t values ($1, $2, $3), ($4, $5, $6)', [
      1,
      'één',
      '2026-12-07T10:00:00Z',
      2,
      'two',
      null,
    ]);
    expect(inserted.affectedRows).toBe(2);
    const objects = await client.query<{ id: number; label: string; at: unknown }>(
      'select id, label, at from t order by id',
    );
    expect(objects.fields).toEqual([
      { name: 'id', dataTypeID: types.INT4 },
      { name: 'label', dataTypeID: types.TEXT },
      { name: 'at', dataTypeID: types.TIMESTAMPTZ },
    ]);
    expect(objects.rows[0]!.at).toBeInstanceOf(Date);
    expect(objects.rows.map((r) => [r.id, r.label])).toEqual([
      [1, 'één'],
      [2, 'two'],
    ]);
    // Drizzle keeps timestamps as PostgreSQL's text; a parser of another type applies too.
    const parsers = {
      [types.TIMESTAMPTZ]: (value: string) => value,
      [types.INT4]: (value: string) => `#${value}`,
    };
    const arrays = await client.query<unknown[]>(
      'select id, label, at, $1::bytea as bytes, $2::jsonb as doc from t order by id',
      [new Uint8Array([0, 255]), JSON.stringify({ a: [1, 'x'] })],
      { rowMode: 'array', parsers },
    );
    expect(arrays.rows[0]).toEqual([
      '#1',
      'één',
      '2026-12-07 10:00:00+00',
      new Uint8Array([0, 255]),
      { a: [1, 'x'] },
    ]);
    expect(arrays.rows[1]![2]).toBeNull();
  });

  it('fails with every field the code reads: code, constraint, detail (23505), and SQLSTATEs raised on purpose (40001, 40P01)', async () => {
    const client = await start(kind);
    await client.query('insert into t values (1, $1)', ['a']);
    const duplicate = await failure(client.query('insert into t values (1, $1)', ['b']));
    expect(duplicate.code).toBe('23505');
    expect(duplicate.constraint).toBe('t_pkey');
    expect(duplicate.detail).toBe('Key (id)=(1) already exists.');
    expect(duplicate.table).toBe('t');
    expect(duplicate.message).toBe('duplicate key value violates unique constraint "t_pkey"');
    for (const state of ['40001', '40P01']) {
      const raised = await failure(
        client.exec(`do $$ begin raise exception 'race' using errcode = '${state}'; end $$`),
      );
      expect(raised.code).toBe(state);
    }
    // The client goes on working after an error.
    expect((await client.query('select count(*)::int as n from t')).rows).toEqual([{ n: 1 }]);
  });

  it('commits a transaction when its callback returns and rolls it back (rethrowing the same error) when it throws', async () => {
    const client = await start(kind);
    const answer = await client.transaction(async (tx) => {
      await tx.query('insert into t values (1, $1)', ['kept']);
      return 'done';
    });
    expect(answer).toBe('done');
    const mine = new Error('the callback failed');
    const thrown = await failure(
      client.transaction(async (tx) => {
        await tx.query('insert into t values (2, $1)', ['gone']);
        throw mine;
      }),
    );
    expect(thrown).toBe(mine);
    // A statement the database refuses inside the transaction: rolled back as a whole.
    const refused = await failure(
      client.transaction(async (tx) => {
        await tx.query('insert into t values (3, $1)', ['gone too']);
        await tx.query('insert into t values (1, $1)', ['duplicate']);
      }),
    );
    expect(refused.code).toBe('23505');
    expect((await client.query('select id, label from t order by id')).rows).toEqual([
      { id: 1, label: 'kept' },
    ]);
  });

  it('runs one transaction at a time: the next transaction and statements outside wait for the open one', async () => {
    const client = await start(kind);
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstOpen!: () => void;
    const opened = new Promise<void>((resolve) => (firstOpen = resolve));
    const first = client.transaction(async (tx) => {
      await tx.query('insert into t values (1, $1)', ['first']);
      events.push('first: inserted');
      firstOpen();
      await gate;
      events.push('first: commits');
    });
    await opened;
    const second = client.transaction(async (tx) => {
      const seen = await tx.query<{ n: number }>('select count(*)::int as n from t');
      events.push(`second: sees ${seen.rows[0]!.n}`);
    });
    const outside = client
      .query<{ n: number }>('select count(*)::int as n from t')
      .then((r) => events.push(`outside: sees ${r.rows[0]!.n}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.push('released');
    release();
    await Promise.all([first, second, outside]);
    expect(events).toEqual([
      'first: inserted',
      'released',
      'first: commits',
      'second: sees 1',
      'outside: sees 1',
    ]);
  });

  it('closes after the work already asked for, and refuses work after', async () => {
    const client = await start(kind);
    const inFlight = [1, 2, 3].map((id) =>
      client.query('insert into t values ($1, $2)', [id, `n${id}`]),
    );
    const results = await Promise.allSettled([...inFlight, client.close()]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(client.closed).toBe(true);
    const late = await failure(client.query('select 1'));
    expect(late.message).toMatch(/closed/i);
  });
});

describe('PGlite in a worker thread', () => {
  it('a worker that dies fails the waiting statement and every later one with a clear error, without hanging', async () => {
    const client = await start('worker');
    const worker = (client as unknown as PgliteWorkerClient).worker;
    const waiting = client.query('select pg_sleep(5)');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await worker.terminate();
    const error = await failure(waiting);
    expect(error.message).toMatch(/embedded database's worker stopped/);
    const later = await failure(client.query('select 1'));
    expect(later.message).toMatch(/embedded database's worker stopped/);
    await client.close(); // still safe to call
  });

  it('[G4] a worker that dies inside a transaction: the transaction fails clearly and leaves nothing, the commit before it stays (data folder reopened)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kraam-worker-'));
    try {
      const first = new PgliteWorkerClient({ folder });
      open.push(first as unknown as Client);
      await first.waitReady;
      await first.exec('create table t (id int primary key, label text not null)');
      await first.query('insert into t values (1, $1)', ['committed']);
      let inside = () => {};
      const reached = new Promise<void>((resolve) => (inside = resolve));
      const dying = first.transaction(async (tx) => {
        await tx.query('insert into t values (2, $1)', ['in flight']);
        inside();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.query('insert into t values (3, $1)', ['after the worker died']);
      });
      await reached;
      await first.worker.terminate();
      const error = await failure(dying);
      expect(error.message).toMatch(/embedded database's worker stopped/);
      await first.close();

      const again = new PgliteWorkerClient({ folder });
      open.push(again as unknown as Client);
      await again.waitReady;
      const rows = await again.query<{ id: number; label: string }>('select * from t order by id');
      expect(rows.rows).toEqual([{ id: 1, label: 'committed' }]);
      await again.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it('serves the whole schema through Drizzle: migrations, reads, writes, duplicate keys as before', async () => {
    const opened = await openDatabase({ kind: 'pglite-memory', worker: true });
    try {
      const rows = await opened.db.select().from(serverMeta);
      expect(rows.map((r) => r.key)).toEqual(['epoch']);
      expect(typeof rows[0]!.createdAt).toBe('object');
      const error = await failure(
        opened.db.insert(serverMeta).values({ key: 'epoch', value: 'again' }),
      );
      // Drizzle wraps the driver's error; the push's rules read the code from its cause.
      expect((error.cause as { code?: string }).code).toBe('23505');
      const inTx = await opened.db.transaction(async (tx) => {
        await tx.insert(serverMeta).values({ key: 'k', value: 'v' });
        return queryRows<{ n: number }>(tx, sql`select count(*)::int as n from server_meta`);
      });
      expect(inTx).toEqual([{ n: 2 }]);
    } finally {
      await opened.close();
    }
  });
});
