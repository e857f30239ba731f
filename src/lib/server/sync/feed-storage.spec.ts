// How the change feed stores a change (issue 11, ingest): as the JSON text the server wrote
// (`json`, not `jsonb`, which parsed and rebuilt every byte of every feed row), and a sale's
// change uncompressed in the table (toast_tuple_target, drizzle/custom/ingest.sql), since
// compressing each 2.8 KB row cost as much again. A pull sends the stored text as it is.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '$lib/server/db';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { createUser, pullAll, push, stallWithStockedSale } from './testing';

describe.each(testDbKinds())('the change feed’s storage on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('[G5] a pushed sale’s change is kept as the text the push wrote, uncompressed, and pulled as it was sent', async () => {
    const { db } = t;
    const userId = await createUser(db);
    const { device, setup, sale } = await stallWithStockedSale(db, userId);
    await push(db, userId, device.request(device.queue(sale), setup.epoch));
    const [row] = await queryRows<{ text: string; stored: number; length: number }>(
      db,
      sql`select data::text as text, pg_column_size(data) as stored,
            octet_length(data::text) as length
          from sync_changes where entity = 'sale' and entity_id = ${sale.sale.id}`,
    );
    expect(row).toBeDefined();
    // The text as JSON.stringify wrote it: no spaces added, keys in the order written.
    expect(row!.text).not.toMatch(/": |, "/);
    expect(row!.text.startsWith('{"sale":{"id":')).toBe(true);
    // A sale's change is over the 2 KB at which rows were compressed, and is kept whole.
    expect(row!.length).toBeGreaterThan(2_100);
    expect(row!.stored).toBeGreaterThanOrEqual(row!.length);
    const pulled = await pullAll(db, userId, device.deviceId);
    const change = pulled.changes.find(
      (c) => c.entity === 'sale' && c.data.sale.id === sale.sale.id,
    );
    expect(change?.data).toEqual(JSON.parse(row!.text));
  });
});
