// Migration 0007 (maker_vocabulary): a database made by migrations 0000-0006, holding rows
// that say "vendor" (role, vendor_id, the vendors table, the change feed), keeps every row
// under the new names. rename.py: keep-legacy-names
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePgliteDb } from './migrate';
import { openDatabase } from './open';
import { queryRows } from './rows';
import { createPostgresDatabase, testDbKinds } from './testing';
import type { Db, OpenedDatabase, Schema } from './types';

const drizzleDir = resolve('drizzle');
const journalEntries = (
  JSON.parse(readFileSync(join(drizzleDir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  }
).entries;
/** The migration just before maker_vocabulary (0006 when it was written). */
const LAST_BEFORE =
  (journalEntries.find((e) => e.tag.endsWith('_maker_vocabulary'))?.idx ?? Number.NaN) - 1;

/** A copy of drizzle/ holding only the migrations up to `last` (the database before the rename). */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kraam-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const journal = JSON.parse(readFileSync(join(drizzleDir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  for (const entry of journal.entries) {
    copyFileSync(join(drizzleDir, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  }
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

const run = (db: Db, text: string) => queryRows(db, sql.raw(text));

async function fillOldDatabase(db: Db): Promise<void> {
  await run(db, `insert into "user" (id, name, email) values ('u1', 'Amal', 'amal@example.org')`);
  await run(db, `insert into organisations (id, name) values ('o1', 'Bazaar')`);
  await run(db, `insert into vendors (id, owner_user_id) values ('v1', 'u1')`);
  await run(
    db,
    `insert into memberships (id, user_id, organisation_id, role, vendor_id)
     values ('m1', 'u1', 'o1', 'vendor', 'v1')`,
  );
  await run(
    db,
    `insert into invitations (id, token_hash, organisation_id, role, vendor_id, expires_at)
     values ('i1', 'hash', 'o1', 'vendor', 'v1', now())`,
  );
  await run(
    db,
    `insert into products (id, vendor_id, name, price_cents, vat_rate, colour, created_at, updated_at, hlc)
     values ('p1', 'v1', 'Bread', 350, 9, 'olive', 1, 1, 'h')`,
  );
  await run(
    db,
    `insert into sync_changes (entity, entity_id, op, vendor_id, data) values
     ('vendor_results', 'e1', 'upsert', 'v1',
      '{"eventId": "e1", "vendorId": "v1", "results": {"ownerVendorId": "v1", "note": "a \\"vendorId\\": stays"}}'),
     ('product', 'p1', 'upsert', 'v1', '{"id": "p1", "vendorId": "v1", "name": "Bread"}')`,
  );
}

async function expectRenamed(db: Db): Promise<void> {
  expect(await run(db, `select id, role, maker_id from memberships`)).toEqual([
    { id: 'm1', role: 'maker', maker_id: 'v1' },
  ]);
  expect(await run(db, `select id, owner_user_id from makers`)).toEqual([
    { id: 'v1', owner_user_id: 'u1' },
  ]);
  expect(await run(db, `select id, maker_id from products`)).toEqual([
    { id: 'p1', maker_id: 'v1' },
  ]);
  const feed = await run(db, `select entity, maker_id, data from sync_changes order by id`);
  expect(feed).toEqual([
    {
      entity: 'maker_results',
      maker_id: 'v1',
      data: {
        eventId: 'e1',
        makerId: 'v1',
        results: { ownerMakerId: 'v1', note: 'a "vendorId": stays' },
      },
    },
    { entity: 'product', maker_id: 'v1', data: { id: 'p1', makerId: 'v1', name: 'Bread' } },
  ]);
  // The new CHECK: the old role is refused from now on, the new one accepted.
  await expect(run(db, `update memberships set role = 'vendor' where id = 'm1'`)).rejects.toThrow();
  expect(await run(db, `select id, role, maker_id from invitations`)).toEqual([
    { id: 'i1', role: 'maker', maker_id: 'v1' },
  ]);
  await expect(run(db, `update invitations set role = 'vendor' where id = 'i1'`)).rejects.toThrow();
}

describe.each(testDbKinds())('migration maker_vocabulary on %s', (kind) => {
  let before: string;
  beforeAll(() => {
    before = migrationsUpTo(LAST_BEFORE);
  });
  afterAll(() => rmSync(before, { recursive: true, force: true }));

  it('a database at the migration before, with role vendor and vendor_id rows keeps them all as maker / maker_id', async () => {
    if (kind === 'pglite') {
      const opened: OpenedDatabase = await openDatabase({
        kind: 'pglite-memory',
        migrations: before,
      });
      try {
        await fillOldDatabase(opened.db);
        await migratePgliteDb(opened.db as PgliteDatabase<Schema>, drizzleDir);
        await expectRenamed(opened.db);
      } finally {
        await opened.close();
      }
      return;
    }
    const database = await createPostgresDatabase();
    try {
      const old = await openDatabase({ kind: 'postgres', url: database.url, migrations: before });
      try {
        await fillOldDatabase(old.db);
      } finally {
        await old.close();
      }
      const now = await openDatabase({
        kind: 'postgres',
        url: database.url,
        migrations: drizzleDir,
      });
      try {
        await expectRenamed(now.db);
      } finally {
        await now.close();
      }
    } finally {
      await database.drop();
    }
  }, 120_000);
});
