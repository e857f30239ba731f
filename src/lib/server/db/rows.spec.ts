// Statements kept prepared per PostgreSQL connection and sent by name (reusedRows,
// ReusedStatement in rows.ts): postgres.js names each text on each connection itself, so two
// texts never share a name, and forgets them all when a connection is replaced. These specs
// hold it to that: the rows each run answers are its own, whatever ran before on the same
// connection, after a rollback, after the connection was killed; a text with more values than
// MAX_REUSED_PARAMETERS is never kept. (PGlite has no wire: there it is queryRows.)
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './open';
import type { OpenedDatabase } from './types';
import { MAX_REUSED_PARAMETERS, ReusedStatement, reusedRows } from './rows';
import { createPostgresDatabase, testDbKinds } from './testing';

describe.each(testDbKinds().filter((kind) => kind === 'postgres'))(
  'statements kept prepared on one %s connection',
  () => {
    let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
    let opened: OpenedDatabase;
    beforeAll(async () => {
      database = await createPostgresDatabase();
      opened = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 1 });
      await opened.db.execute(sql`create table kept (id int primary key, label text not null)`);
      await opened.db.execute(
        sql`insert into kept select n, 'row ' || n from generate_series(1, 300) n`,
      );
    }, 120_000);
    afterAll(async () => {
      await opened?.close();
      await database?.drop();
    });

    const kept = async () =>
      (
        await reusedRows<{ n: number }>(
          opened.db,
          // This spec's statements (postgres.js also keeps its own begin, commit, rollback).
          sql`select count(*)::int as n from pg_prepared_statements where statement like '%from kept%'`,
        )
      )[0]!.n;

    const byId = new ReusedStatement<{ id: number; label: string }>(
      sql`select id, label from kept where id = ${sql.placeholder('id')}`,
    );
    const labelOf = (id: number) =>
      reusedRows<{ label: string }>(opened.db, sql`select label from kept where id = ${id}`);
    const between = (from: number, to: number) =>
      reusedRows<{ n: number }>(
        opened.db,
        sql`select count(*)::int as n from kept where id between ${from} and ${to}`,
      );

    it('answers each run its own rows: shapes interleaved, after a rollback, after the connection was killed', async () => {
      const { db } = opened;
      const check = async (round: number) => {
        for (let i = 1; i <= 20; i++) {
          const id = ((i * 37 + round) % 300) + 1;
          expect(await byId.rows(db, { id })).toEqual([{ id, label: `row ${id}` }]);
          expect(await labelOf(301 - id)).toEqual([{ label: `row ${301 - id}` }]);
          expect(await between(id, Math.min(300, id + i))).toEqual([
            { n: Math.min(300, id + i) - id + 1 },
          ]);
        }
      };
      await check(0);
      const before = await kept();

      // The same statements run first in a transaction rolled back: still right after it.
      await expect(
        db.transaction(async (tx) => {
          expect(await byId.rows(tx, { id: 7 })).toEqual([{ id: 7, label: 'row 7' }]);
          await tx.execute(sql`update kept set label = 'changed' where id = 7`);
          expect(await byId.rows(tx, { id: 7 })).toEqual([{ id: 7, label: 'changed' }]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await check(1);
      expect(await kept()).toBe(before);

      // The connection killed: the next one prepares them again, under its own names.
      const backend = async () =>
        (await reusedRows<{ pid: number }>(db, sql`select pg_backend_pid() as pid`))[0]?.pid;
      const pid = await backend();
      expect(pid).toBeGreaterThan(0);
      const admin = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        await admin`select pg_terminate_backend(${pid!})`;
      } finally {
        await admin.end({ timeout: 5 });
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      const next = await backend();
      expect(next).toBeGreaterThan(0);
      expect(next).not.toBe(pid);
      await check(2);
      expect(await kept()).toBe(before);
    }, 60_000);

    it('keeps one statement per text, and none with more than MAX_REUSED_PARAMETERS values', async () => {
      const { db } = opened;
      const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
      const among = (list: number[]) =>
        reusedRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from kept where id in (${sql.join(
            list.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        );
      const start = await kept();
      expect(await among(ids(MAX_REUSED_PARAMETERS))).toEqual([{ n: MAX_REUSED_PARAMETERS }]);
      expect(await among(ids(MAX_REUSED_PARAMETERS).reverse())).toEqual([
        { n: MAX_REUSED_PARAMETERS },
      ]);
      expect(await kept()).toBe(start + 1);
      for (const n of [MAX_REUSED_PARAMETERS + 1, 300]) {
        expect(await among(ids(n))).toEqual([{ n }]);
        expect(await among(ids(n))).toEqual([{ n }]);
      }
      expect(await kept()).toBe(start + 1);
    });
  },
);
