// A PostgreSQL whose operator set lock_timeout (a common guard on managed servers): a push
// waiting longer than that for a product another device's push holds is refused with 55P03.
// That is a race between devices, as a deadlock is, never anything the waiting sale carries:
// the batch runs again, and the sale must never be rejected for it [G1].
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '$lib/server/db';
import { openDatabase } from '$lib/server/db/open';
import type { OpenedDatabase } from '$lib/server/db/types';
import { createPostgresDatabase, testDbKinds } from '$lib/server/db/testing';
import { RawDevice } from '$lib/sync/testing/factories';
import { handlePush } from './push';
import { createUser, gate, stallWithStockedSale } from './testing';

describe.each(testDbKinds().filter((kind) => kind === 'postgres'))(
  'a push behind another device’s locks with lock_timeout set on %s',
  () => {
    let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
    let opened: OpenedDatabase;
    beforeAll(async () => {
      database = await createPostgresDatabase();
      const admin = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const name = new URL(database.url).pathname.slice(1);
        await admin.unsafe(`alter database ${name} set lock_timeout = '200ms'`);
      } finally {
        await admin.end({ timeout: 5 });
      }
      opened = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 4 });
    }, 120_000);
    afterAll(async () => {
      await opened?.close();
      await database?.drop();
    });

    it('[G1] a sale that waited past lock_timeout is applied once the lock is free, never rejected (fault 32)', async () => {
      const { db } = opened;
      const userId = await createUser(db);
      const { device, event, products, setup, sale } = await stallWithStockedSale(db, userId);
      const other = new RawDevice({ makerId: device.makerId });
      const waiting = other.sale(event.id, [{ product: products[0]! }]);
      const held = gate();
      const holding = handlePush(
        db,
        userId,
        JSON.parse(JSON.stringify(device.request(device.queue(sale), setup.epoch))),
        { beforeCommit: () => held.wait },
      );
      // The first push holds the products' locks until its gate opens: the second one runs
      // into lock_timeout (55P03), and the gate opens as it begins its third run.
      let runs = 0;
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const answer = await handlePush(
          db,
          userId,
          JSON.parse(JSON.stringify(other.request(other.queue(waiting), setup.epoch))),
          {
            afterDeviceLock: () => {
              runs++;
              if (runs === 3) held.open();
            },
          },
        );
        expect(answer.results).toEqual([expect.objectContaining({ seq: 1, status: 'applied' })]);
      } finally {
        held.open();
        await holding;
      }
      expect(runs).toBeGreaterThanOrEqual(3);
      const rows = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from sales where id in (${sale.sale.id}, ${waiting.sale.id})`,
      );
      expect(rows).toEqual([{ n: 2 }]);
    }, 60_000);
  },
);
