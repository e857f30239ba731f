// Migration 0015 (ingest): the change feed's `data` went from jsonb to json, and a pull sends
// the stored text on as it is (change-feed.ts). Rows written before keep jsonb's text (its
// spacing, its key order); a device must pull them exactly as it pulled them before, and the
// feed must go on from a cursor handed out before the migration.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '$lib/server/db';
import { migratePgliteDb } from '$lib/server/db/migrate';
import { openDatabase } from '$lib/server/db/open';
import { createPostgresDatabase, testDbKinds } from '$lib/server/db/testing';
import type { Db, Schema } from '$lib/server/db/types';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { RawDevice } from '$lib/sync/testing/factories';
import { pullAnswer, pullAnswerText } from './pull';
import { createUser, pullAll, push } from './testing';

const drizzleDir = resolve('drizzle');
const journal = JSON.parse(readFileSync(join(drizzleDir, 'meta', '_journal.json'), 'utf8')) as {
  entries: { idx: number; tag: string }[];
};
/** The migration just before ingest (0014 when it was written). */
const LAST_BEFORE = (journal.entries.find((e) => e.tag.endsWith('_ingest'))?.idx ?? NaN) - 1;

/** A copy of drizzle/ holding only the migrations up to `last`. */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kraam-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const entries = journal.entries.filter((e) => e.idx <= last);
  for (const entry of entries) {
    copyFileSync(join(drizzleDir, `${entry.tag}.sql`), join(dir, `${entry.tag}.sql`));
  }
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

/** Text valid everywhere, but written differently by jsonb and by JSON.stringify. */
const NAMES = [
  'Brood 🍞 met "zaden" en \\ schuine streep',
  'خبز بالسمسم',
  'line\u2028separator</script><!--',
  'tab\tand newline\n, end',
  '𝒦𝓇𝒶𝒶𝓂 \u00e9\u0301',
];

interface Seeded {
  userId: string;
  device: RawDevice;
  epoch: string;
}

/** Before the migration: a maker's products with tricky names, an event, stock and a sale. */
async function seedOldFeed(db: Db): Promise<Seeded> {
  const userId = await createUser(db);
  const device = new RawDevice();
  const event = device.event({ name: 'Markt "aan de gracht" ½' });
  const products = NAMES.map((name, i) => device.product({ name, priceCents: 125 * (i + 1) }));
  const setup = await push(
    db,
    userId,
    device.request(
      device.queue(
        device.eventUpsert(event),
        ...products.map((p) => device.productUpsert(p)),
        ...products.map((p) => device.stock(event.id, p.id, 20, 'recount')),
        device.sale(
          event.id,
          products.map((product) => ({ product, quantity: 2 })),
        ),
      ),
      null,
    ),
  );
  expect(setup.results.every((r) => r.status === 'applied')).toBe(true);
  return { userId, device, epoch: setup.epoch };
}

/** What a device pulls, as the HTTP answer's text parsed, page by page from the start. */
async function pulledText(db: Db, seeded: Seeded): Promise<unknown[]> {
  const pages: unknown[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const answer = await pullAnswer(db, seeded.userId, {
      protocol: PROTOCOL_VERSION,
      deviceId: seeded.device.deviceId,
      cursor,
      limit: 4,
    });
    const parsed = JSON.parse(pullAnswerText(answer)) as {
      changes: unknown[];
      cursor: string | null;
      hasMore: boolean;
    };
    pages.push(...parsed.changes);
    cursor = parsed.cursor;
    if (!parsed.hasMore) return pages;
  }
  throw new Error('the feed never ended');
}

async function storedType(db: Db): Promise<string | undefined> {
  const [row] = await queryRows<{ type: string }>(
    db,
    sql`select data_type as type from information_schema.columns
        where table_name = 'sync_changes' and column_name = 'data'`,
  );
  return row?.type;
}

describe.each(testDbKinds())('migration ingest (the feed as json) on %s', (kind) => {
  let before: string;
  beforeAll(() => {
    before = migrationsUpTo(LAST_BEFORE);
  });
  afterAll(() => rmSync(before, { recursive: true, force: true }));

  /** Runs `old` on a database at the migration before ingest, then `now` after migrating it. */
  async function acrossTheMigration<T>(
    old: (db: Db) => Promise<T>,
    now: (db: Db, kept: T) => Promise<void>,
  ): Promise<void> {
    if (kind === 'pglite') {
      const opened = await openDatabase({ kind: 'pglite-memory', migrations: before });
      try {
        const kept = await old(opened.db);
        await migratePgliteDb(opened.db as PgliteDatabase<Schema>, drizzleDir);
        await now(opened.db, kept);
      } finally {
        await opened.close();
      }
      return;
    }
    const database = await createPostgresDatabase();
    try {
      const first = await openDatabase({ kind: 'postgres', url: database.url, migrations: before });
      let kept: T;
      try {
        kept = await old(first.db);
      } finally {
        await first.close();
      }
      const second = await openDatabase({
        kind: 'postgres',
        url: database.url,
        migrations: drizzleDir,
      });
      try {
        await now(second.db, kept);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  }

  it('[G5] changes stored as jsonb before it are pulled exactly as before, and the feed goes on from a cursor handed out before it', async () => {
    await acrossTheMigration(
      async (db) => {
        expect(await storedType(db)).toBe('jsonb');
        const seeded = await seedOldFeed(db);
        const text = await pulledText(db, seeded);
        const objects = await pullAll(db, seeded.userId, seeded.device.deviceId);
        expect(objects.changes).toEqual(text);
        return { seeded, text, cursor: objects.cursor };
      },
      async (db, { seeded, text, cursor }) => {
        expect(await storedType(db)).toBe('json');
        // The rows written before keep jsonb's text: a space after each colon and comma.
        const old = await queryRows<{ text: string }>(
          db,
          sql`select data::text as text from sync_changes where entity = 'product'`,
        );
        expect(old.length).toBe(NAMES.length);
        for (const { text } of old) expect(text).toMatch(/^\{"\w+": /);
        expect(await pulledText(db, seeded)).toEqual(text);
        expect((await pullAll(db, seeded.userId, seeded.device.deviceId)).changes).toEqual(text);
        const names = text.flatMap((c) => {
          const change = c as { entity: string; data: { name?: string } };
          return change.entity === 'product' && change.data.name ? [change.data.name] : [];
        });
        expect(names.sort()).toEqual([...NAMES].sort());

        // A sale pushed after the migration: the device that pulled before gets only it.
        const product = seeded.device.product({ name: NAMES[0] });
        const event = seeded.device.event();
        const sale = seeded.device.sale(event.id, [{ product }], { stocked: new Set() });
        const answer = await push(
          db,
          seeded.userId,
          seeded.device.request(
            seeded.device.queue(
              seeded.device.eventUpsert(event),
              seeded.device.productUpsert(product),
              sale,
            ),
            seeded.epoch,
          ),
        );
        expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
        const after = await pullAll(db, seeded.userId, seeded.device.deviceId, cursor);
        expect(after.changes.map((c) => c.entity).sort()).toEqual(['event', 'product', 'sale']);
        const pulledSale = after.changes.find((c) => c.entity === 'sale');
        expect(pulledSale?.entity === 'sale' && pulledSale.data.sale).toMatchObject(sale.sale);
      },
    );
  }, 180_000);
});
