// "Download all my data" from the server (docs/my-data.md), on PGlite and (with
// TEST_DATABASE_URL) PostgreSQL: the zip opens, has every table, and holds nothing of
// another maker; a helper's download is their own, not their maker's books.
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MY_DATA_CSV_TABLES, readAllBytes, myDataZipStream } from '$lib/domain/my-data';
import { parseCsv } from '$lib/domain/organiser/csv';
import { CONTACT_CHANNELS } from '$lib/domain/organiser/maker-profile';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { addPhoto } from '$lib/server/organiser/photos';
import { saveOwnProfile } from '$lib/server/organiser/profiles';
import {
  organisationWithMakers,
  publishedEvent,
  type TestMaker,
} from '$lib/server/organiser/testing';
import { addMember, createUser, push } from '$lib/server/sync/testing';
import { RawDevice } from '$lib/sync/testing/factories';
import { uuidv7 } from '$lib/domain/ids';
import { putProductPhoto } from '$lib/server/sync/product-photos';
import { SERVER_MY_DATA_TABLES, myDataSource } from './my-data';

/** A small page, so a download of a few rows walks several pages. */
const PAGE = 3;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

async function unzipDownload(t: TestDb, userId: string) {
  const bytes = await readAllBytes(
    myDataZipStream(await myDataSource(t.db, userId, { pageSize: PAGE })),
  );
  const files = unzipSync(bytes);
  const json = (name: string) => JSON.parse(strFromU8(files[name] as Uint8Array)) as unknown;
  const rows = (table: string) => json(`${table}.json`) as Record<string, unknown>[];
  const everything = Object.values(files)
    .map((f) => strFromU8(f, true))
    .join('\n');
  return { files, json, rows, everything };
}

describe.each(testDbKinds())('download all my data on %s', (kind) => {
  let t: TestDb;
  let a: TestMaker;
  let b: TestMaker;
  let organiserId: string;
  let helperId: string;
  let saleCount = 0;
  beforeAll(async () => {
    t = await createTestDb(kind);
    const org = await organisationWithMakers(t.db, 2);
    organiserId = org.organiser.userId;
    [a, b] = org.makers as [TestMaker, TestMaker];
    const { event } = await publishedEvent(t.db, org.organisationId, 1);
    for (const [maker, name] of [
      [a, 'Baklava van Amira'],
      [b, 'Geheime taart van B'],
    ] as const) {
      const device = new RawDevice({ makerId: maker.makerId });
      const product = device.product({ name, priceCents: 450 });
      // More sales than a page, so paging is walked.
      const sold = Array.from({ length: maker === a ? PAGE * 2 + 1 : 2 }, () =>
        device.sale(event.id, [{ product, quantity: 2 }]),
      );
      const refund = device.refundOf(sold[0]!, [{ position: 0, quantity: 1 }]);
      const answer = await push(
        t.db,
        maker.userId,
        device.request(device.queue(device.productUpsert(product), ...sold, refund)),
      );
      expect(answer.results.every((r) => r.status === 'applied')).toBe(true);
      if (maker === a) saleCount = sold.length;
      await putProductPhoto(t.db, maker.userId, uuidv7(), { type: 'image/png', bytes: PNG });
      const { photoId } = await addPhoto(t.db, maker.makerId, { type: 'image/png', bytes: PNG });
      await saveOwnProfile(t.db, maker.makerId, {
        displayName: maker === a ? 'Amira Bakt' : 'Bertus Geheim',
        craft: 'bakker',
        story: '',
        languages: [],
        photoIds: [photoId],
        contact: Object.fromEntries(
          CONTACT_CHANNELS.map((c) => [c, { value: '', public: false }]),
        ) as never,
        listed: true,
        needs: { power: false, table: false, foodHygiene: false, notes: '' },
      });
    }
    helperId = await createUser(t.db, 'Helper van Amira');
    await addMember(t.db, {
      userId: helperId,
      organisationId: org.organisationId,
      role: 'helper',
      makerId: a.makerId,
    });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the zip opens and has every table as JSON, the books also as CSV, photos as files, and about.json', async () => {
    const { files, json, rows } = await unzipDownload(t, a.userId);
    for (const table of SERVER_MY_DATA_TABLES) {
      expect(Array.isArray(json(`${table}.json`)), table).toBe(true);
    }
    for (const table of MY_DATA_CSV_TABLES) expect(files[`${table}.csv`], table).toBeDefined();
    expect(rows('account')).toEqual([expect.objectContaining({ id: a.userId })]);
    expect(rows('sales')).toHaveLength(saleCount);
    expect(rows('sale_lines')).toHaveLength(saleCount);
    expect(rows('refunds')).toHaveLength(1);
    expect(rows('refund_lines')).toHaveLength(1);
    expect(rows('products')).toEqual([expect.objectContaining({ name: 'Baklava van Amira' })]);
    expect(rows('maker_profiles')).toEqual([
      expect.objectContaining({ displayName: 'Amira Bakt' }),
    ]);
    expect(rows('memberships')).toEqual([expect.objectContaining({ role: 'maker' })]);
    expect(rows('events')).toHaveLength(1);
    expect(rows('devices')).toHaveLength(1);
    expect(rows('stock_movements').length).toBeGreaterThan(0);
    const photos = Object.keys(files).filter((name) => name.startsWith('photos/profile/'));
    expect(photos).toHaveLength(1);
    expect(Object.keys(files).filter((name) => name.startsWith('photos/products/'))).toHaveLength(
      1,
    );
    expect([...(files[photos[0]!] as Uint8Array)]).toEqual([...PNG]);
    const csv = parseCsv(strFromU8(files['sales.csv'] as Uint8Array));
    expect(csv).toHaveLength(saleCount + 1);
    const total = csv[0]!.indexOf('totalCents');
    expect(csv[1]![total]).toBe('9.00');
    const about = json('about.json') as { tables: Record<string, number>; origin: string };
    expect(about.origin).toBe('server');
    expect(about.tables.sales).toBe(saleCount);
  });

  it('holds nothing of another maker, and never a password or a session token', async () => {
    const { everything, rows } = await unzipDownload(t, a.userId);
    for (const foreign of [b.makerId, b.userId, 'Geheime taart van B', 'Bertus Geheim']) {
      expect(everything).not.toContain(foreign);
    }
    for (const row of rows('sales')) expect(row.makerId).toBe(a.makerId);
    expect(everything).not.toMatch(/"password"|"token"/);
  });

  it('a helper gets their own account and membership, not the books of the maker they sell for', async () => {
    const { rows, everything } = await unzipDownload(t, helperId);
    expect(rows('account')).toEqual([expect.objectContaining({ id: helperId })]);
    expect(rows('memberships')).toEqual([
      expect.objectContaining({ role: 'helper', makerId: a.makerId }),
    ]);
    for (const table of ['sales', 'sale_lines', 'refunds', 'products', 'maker_profiles']) {
      expect(rows(table), table).toEqual([]);
    }
    expect(everything).not.toContain('Baklava van Amira');
  });

  it('an organiser gets their account and membership, not the makers’ books', async () => {
    const { rows, everything } = await unzipDownload(t, organiserId);
    expect(rows('memberships')).toEqual([expect.objectContaining({ role: 'organiser' })]);
    expect(rows('sales')).toEqual([]);
    expect(everything).not.toContain('Baklava van Amira');
    expect(everything).not.toContain('Amira Bakt');
  });
});
