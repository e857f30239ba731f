// insertRows must store exactly what Drizzle's insert stores for the same rows: the push
// path switched to it for speed only. Each case writes the same rows both ways (under
// different ids) and compares what PostgreSQL holds.
import { asc, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleFlag } from '$lib/domain/types';
import { queryRows } from '$lib/server/db';
import { productHistory, products, sales, syncChanges } from '$lib/server/db/schema';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { insertRows } from './bulk-insert';
import { SALE_KEYS } from './batch-flush';

const TRICKY = `quote " backslash \\ apostrophe ' newline \n tab \t emoji 🧶 arabic مرحبا {a,b} $1`;

describe.each(testDbKinds())('insertRows on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('[G2] stores the same cells as Drizzle: NULLs, jsonb strings/booleans/numbers, odd text', async () => {
    const product = (id: string) => ({
      id,
      makerId: 'v1',
      name: TRICKY,
      priceCents: 9_007_199_254_740_991,
      vatRate: 9,
      photoId: null,
      colour: 'red',
      category: '',
      archived: false,
      createdAt: 1,
      updatedAt: 2,
      hlc: 'h',
    });
    await t.db.insert(products).values(product('p-drizzle'));
    await t.db.execute(
      insertRows(
        products,
        [
          'id',
          'makerId',
          'name',
          'priceCents',
          'vatRate',
          'photoId',
          'colour',
          'category',
          'archived',
          'createdAt',
          'updatedAt',
          'hlc',
        ],
        [product('p-json')],
      ),
    );
    const history = (productId: string) =>
      [null, 'Red', TRICKY, false, 0, 12.5, ['a'], { k: 'v' }, undefined].map((value, i) => ({
        productId,
        field: `f${i}`,
        oldValue: value,
        newValue: i % 2 ? value : null,
        deviceId: 'd',
        seq: i,
        hlc: TRICKY,
      }));
    await t.db.insert(productHistory).values(history('p-drizzle'));
    const keys = ['productId', 'field', 'oldValue', 'newValue', 'deviceId', 'seq', 'hlc'] as const;
    await t.db.execute(insertRows(productHistory, keys, history('p-json')));

    const cells = async (id: string) => {
      const [row] = await t.db
        .select()
        .from(products)
        .where(inArray(products.id, [id]));
      const hist = await queryRows<Record<string, unknown>>(
        t.db,
        sql`select field, old_value::text as old, new_value::text as new, old_value is null as old_null,
              device_id, seq, hlc from product_history where product_id = ${id} order by id`,
      );
      return { row: { ...row, id: null, serverUpdatedAt: null }, hist };
    };
    const viaDrizzle = await cells('p-drizzle');
    expect(viaDrizzle.hist).toHaveLength(9);
    expect(await cells('p-json')).toEqual(viaDrizzle);
  });

  it('[G2] ON CONFLICT DO NOTHING returns only the new rows; an undefined defaulted column gets its default', async () => {
    const sale = (id: string, flags?: SaleFlag[]): typeof sales.$inferInsert => {
      const row: typeof sales.$inferInsert = {
        id,
        deviceId: 'd',
        makerId: 'v',
        eventId: 'e',
        receiptNumber: 1,
        hlc: 'h',
        createdAt: 1,
        subtotalCents: 100,
        lineDiscountCents: 0,
        cartDiscountCents: 0,
        totalCents: 100,
        roundingCents: 0,
        paidCents: 100,
        payments: [{ method: 'cash', amountCents: 100, tenderedCents: 100, changeCents: 0 }],
        itemCount: 1,
        status: 'completed',
        voidReason: null,
        voidedAt: null,
      };
      // Left out, not undefined-valued: Drizzle and insertRows must both apply the default.
      if (flags) row.flags = flags;
      return row;
    };
    const keys = SALE_KEYS;
    const tail = 'on conflict (id) do nothing returning id';
    const first = await queryRows(
      t.db,
      insertRows(sales, keys, [sale('s1'), sale('s2', ['oversell'])], tail),
    );
    expect(first.map((r) => r.id)).toEqual(['s1', 's2']);
    const again = await queryRows(t.db, insertRows(sales, keys, [sale('s2'), sale('s3')], tail));
    expect(again.map((r) => r.id)).toEqual(['s3']);
    await t.db.insert(sales).values(sale('s4'));
    const stored = await t.db.select().from(sales).orderBy(asc(sales.id));
    expect(stored.map((s) => [s.id, s.flags])).toEqual([
      ['s1', []],
      ['s2', ['oversell']],
      ['s3', []],
      ['s4', []],
    ]);
    const { receivedAt: _a, id: _b, ...viaJson } = stored[0]!;
    const { receivedAt: _c, id: _d, ...viaDrizzle } = stored[3]!;
    expect(viaJson).toEqual(viaDrizzle);
  });

  it('[G5] feed rows get ids in input order and the writing transaction as txid, 1,500 rows at once', async () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => ({
      entity: 'sale',
      entityId: `x${i}`,
      op: 'upsert' as const,
      makerId: i % 3 ? 'v' : null,
      organisationId: i % 3 ? null : 'o',
      data: { i, text: TRICKY, nested: { list: [1, null, 'a'] } },
    }));
    const keys = ['entity', 'entityId', 'op', 'makerId', 'organisationId', 'data'] as const;
    const txid = await t.db.transaction(async (tx) => {
      await tx.execute(insertRows(syncChanges, keys, rows));
      const [row] = await queryRows<{ txid: string }>(
        tx,
        sql`select pg_current_xact_id()::text as txid`,
      );
      return row!.txid;
    });
    const stored = await queryRows<{
      entity_id: string;
      txid: string;
      data: unknown;
      maker_id: string | null;
    }>(
      t.db,
      sql`select entity_id, txid::text as txid, data, maker_id from sync_changes where entity_id like 'x%' order by id`,
    );
    expect(stored.map((r) => r.entity_id)).toEqual(rows.map((r) => r.entityId));
    expect(new Set(stored.map((r) => r.txid))).toEqual(new Set([txid]));
    expect(stored[7]!.data).toEqual(rows[7]!.data);
    expect(stored.map((r) => r.maker_id)).toEqual(rows.map((r) => r.makerId));
  });
});
