// The push's statements are prepared once per PostgreSQL connection and then sent by name
// (reusedRows and the stock rows' upsert, src/lib/server/db/rows.ts and batch-load.ts). A
// migration run while a server is up (another server's start, a rolling deploy) can change
// the type of a column such a statement returns; PostgreSQL then refuses the statement kept
// prepared ("cached plan must not change result type") until it is prepared again. That is
// the server's state, not anything a mutation carries: it must never reject a sale.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '$lib/server/db';
import { openDatabase } from '$lib/server/db/open';
import type { OpenedDatabase } from '$lib/server/db/types';
import { createPostgresDatabase, testDbKinds } from '$lib/server/db/testing';
import { createUser, push, stallWithStockedSale } from './testing';

describe.each(testDbKinds().filter((kind) => kind === 'postgres'))(
  'statements kept prepared on %s',
  () => {
    let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
    let opened: OpenedDatabase;
    beforeAll(async () => {
      database = await createPostgresDatabase();
      opened = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 4 });
    }, 120_000);
    afterAll(async () => {
      await opened?.close();
      await database?.drop();
    });

    it('[G1][G7] a column’s type changed under them (a migration while the server runs): every sale pushed after it is applied, none rejected (fault 31)', async () => {
      const { db } = opened;
      const userId = await createUser(db);
      const stalls = await Promise.all([1, 2, 3, 4].map(() => stallWithStockedSale(db, userId)));
      // Every connection of the pool has prepared the push's statements: pushes at once.
      for (let round = 0; round < 2; round++) {
        await Promise.all(
          stalls.map(({ device, event, products, setup }) =>
            push(
              db,
              userId,
              device.request(
                device.queue(device.sale(event.id, [{ product: products[0]! }])),
                setup.epoch,
              ),
            ),
          ),
        );
      }
      // What a migration may do: a column the stock rows' upsert returns gets another type
      // (before, the sale was rejected: "the database refused this mutation (0A000)"), then
      // one the push's first statement returns, the device bound (before, the push failed).
      for (const migration of [
        sql`alter table event_stock alter column maker_id type varchar(200)`,
        sql`alter table sync_devices alter column code type varchar(16)`,
      ]) {
        await db.execute(migration);
        for (const { device, event, products, setup } of stalls) {
          const sale = device.sale(event.id, [{ product: products[1]! }]);
          const answer = await push(db, userId, device.request(device.queue(sale), setup.epoch));
          expect(answer.results).toEqual([
            expect.objectContaining({ seq: answer.acknowledgedUpTo, status: 'applied' }),
          ]);
          const rows = await queryRows<{ n: number }>(
            db,
            sql`select count(*)::int as n from sales where id = ${sale.sale.id}`,
          );
          expect(rows).toEqual([{ n: 1 }]);
        }
      }
    }, 120_000);

    it('[G1][G7] statements gone from the server (DEALLOCATE ALL, as a pooler’s reset does): every sale pushed after it is applied, none rejected (fault 31)', async () => {
      const { db } = opened;
      const userId = await createUser(db);
      const stalls = await Promise.all([1, 2, 3, 4].map(() => stallWithStockedSale(db, userId)));
      const sell = (stall: (typeof stalls)[number], productIndex: number) => {
        const { device, event, products, setup } = stall;
        const sale = device.sale(event.id, [{ product: products[productIndex]! }]);
        return { sale, request: device.request(device.queue(sale), setup.epoch) };
      };
      for (let round = 0; round < 2; round++) {
        await Promise.all(stalls.map((stall) => push(db, userId, sell(stall, 0).request)));
      }
      // Every connection of the pool at once (each held by its own transaction meanwhile).
      await Promise.all(
        stalls.map(() =>
          db.transaction(async (tx) => {
            await tx.execute(sql`deallocate all`);
            await tx.execute(sql`select pg_sleep(0.2)`);
          }),
        ),
      );
      for (const stall of stalls) {
        const { sale, request } = sell(stall, 2);
        const answer = await push(db, userId, request);
        expect(answer.results).toEqual([
          expect.objectContaining({ seq: answer.acknowledgedUpTo, status: 'applied' }),
        ]);
        const rows = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from sales where id = ${sale.sale.id}`,
        );
        expect(rows).toEqual([{ n: 1 }]);
      }
    }, 120_000);
  },
);
