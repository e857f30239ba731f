// "Download all my data" from this phone (docs/my-data.md): works with no account and no
// network, from the device store alone.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import {
  BASE_TIME,
  EVENT,
  OPTIONS,
  marketEvent,
  newSale,
  nextHlc,
  product,
} from '$lib/db/contract-fixtures';
import { MY_DATA_CSV_TABLES } from '$lib/domain/my-data';
import { parseCsv } from '$lib/domain/organiser/csv';
import { uuidv7 } from '$lib/domain/ids';
import { DEVICE_MY_DATA_TABLES, deviceMyDataZip } from './my-data';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);

describe('deviceMyDataZip', () => {
  it('zips every table of this phone as JSON, the books also as CSV, and product photos as files', async () => {
    const store = new MemoryDeviceStore(OPTIONS);
    await store.saveProfile({
      id: 'maker-1',
      stallName: 'Kraam van Amira',
      organisationId: null,
      userId: null,
      cashRounding: false,
      createdAt: BASE_TIME,
    });
    await store.saveEvent(marketEvent(EVENT, '2026-05-16'), nextHlc());
    await store.saveProduct(
      product('p1', { name: '=HYPERLINK("x")', photoId: 'photo-1' }),
      nextHlc(),
      {
        id: 'photo-1',
        blob: new Blob([PNG], { type: 'image/png' }),
        mimeType: 'image/png',
        width: 10,
        height: 10,
      },
    );
    const sales = [];
    for (let i = 0; i < 205; i++) {
      sales.push(await store.recordSale(newSale([{ productId: 'p1', name: '=HYPERLINK("x")' }])));
    }
    await store.recordRefund({
      id: uuidv7(),
      saleId: sales[0]!.id,
      reason: 'kapot',
      createdAt: BASE_TIME + 1,
      hlc: nextHlc(),
      lines: 'all',
    });

    const files = unzipSync(new Uint8Array(await (await deviceMyDataZip(store)).arrayBuffer()));
    const rows = (name: string) =>
      JSON.parse(strFromU8(files[`${name}.json`] as Uint8Array)) as Record<string, unknown>[];
    for (const name of DEVICE_MY_DATA_TABLES) expect(Array.isArray(rows(name)), name).toBe(true);
    for (const name of MY_DATA_CSV_TABLES) expect(files[`${name}.csv`], name).toBeDefined();
    expect(rows('profile')).toEqual([expect.objectContaining({ stallName: 'Kraam van Amira' })]);
    expect(rows('sales')).toHaveLength(205);
    expect(rows('sale_lines')).toHaveLength(205);
    expect(rows('refunds')).toHaveLength(1);
    expect(rows('refund_lines')).toHaveLength(1);
    expect(rows('device')[0]).toMatchObject({ id: await store.deviceId() });
    expect([...(files['photos/products/p1.png'] as Uint8Array)]).toEqual([...PNG]);
    // The CSV writer's formula guard holds: a product name never runs as a formula.
    const lines = parseCsv(strFromU8(files['sale_lines.csv'] as Uint8Array));
    expect(lines).toHaveLength(206);
    expect(lines[1]![lines[0]!.indexOf('name')]).toBe(`'=HYPERLINK("x")`);
    const about = JSON.parse(strFromU8(files['about.json'] as Uint8Array)) as {
      origin: string;
      tables: Record<string, number>;
    };
    expect(about).toMatchObject({ origin: 'device', tables: { sales: 205, refunds: 1 } });
  });

  it('an empty phone still gives a zip with every table, empty', async () => {
    const store = new MemoryDeviceStore(OPTIONS);
    const files = unzipSync(new Uint8Array(await (await deviceMyDataZip(store)).arrayBuffer()));
    for (const name of DEVICE_MY_DATA_TABLES.filter((n) => n !== 'device')) {
      expect(JSON.parse(strFromU8(files[`${name}.json`] as Uint8Array)), name).toEqual([]);
    }
  });
});
