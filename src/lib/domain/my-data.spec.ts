import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toCsv } from './organiser/csv';
import {
  csvCellOf,
  myDataZipChunks,
  myDataZipStream,
  pagesOf,
  readAllBytes,
  type MyDataSource,
} from './my-data';

function source(rows: Record<string, unknown>[]): MyDataSource {
  return {
    origin: 'device',
    exportedAt: Date.UTC(2026, 11, 6),
    tables: (async function* () {
      yield { name: 'sales', pages: () => pagesOf(rows, 2) };
      yield { name: 'products', pages: () => pagesOf([]) };
    })(),
    files: (async function* () {
      yield { path: 'photos/products/p.png', bytes: new Uint8Array([1, 2, 3]) };
    })(),
    note: 'test',
  };
}

describe('my data zip', () => {
  it('amounts in cents become euros in the CSV, other numbers stay counts, objects become JSON', () => {
    expect(toCsv([[csvCellOf('totalCents', -1205), csvCellOf('itemCount', 3)]])).toBe(
      '-12.05,3\r\n',
    );
    expect(csvCellOf('payments', [{ method: 'cash' }])).toBe('[{"method":"cash"}]');
    expect(csvCellOf('x', 1.5)).toBe('1.5');
    expect(csvCellOf('voidReason', null)).toBeNull();
    expect(csvCellOf('archived', false)).toBe('false');
  });

  it('writes each table as JSON (and the books as CSV, formulas made harmless), files as they are, and about.json', async () => {
    const rows = [
      { id: 'a', totalCents: 450, note: '=cmd|calc' },
      { id: 'b', totalCents: 900, note: 'ok' },
      { id: 'c', totalCents: 100, note: 'ok' },
    ];
    const files = unzipSync(await readAllBytes(myDataZipStream(source(rows))));
    expect(JSON.parse(strFromU8(files['sales.json']!))).toEqual(rows);
    expect(JSON.parse(strFromU8(files['products.json']!))).toEqual([]);
    expect(strFromU8(files['sales.csv']!)).toBe(
      "id,totalCents,note\r\na,4.50,'=cmd|calc\r\nb,9.00,ok\r\nc,1.00,ok\r\n",
    );
    expect([...files['photos/products/p.png']!]).toEqual([1, 2, 3]);
    expect(JSON.parse(strFromU8(files['about.json']!))).toMatchObject({
      format: 'kraam-my-data',
      origin: 'device',
      exportedAt: '2026-12-06T00:00:00.000Z',
      tables: { sales: 3, products: 0 },
      files: ['photos/products/p.png'],
    });
  });

  it('hands the zip on in chunks as pages are written, not all at the end', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      id: `row-${i}`,
      text: 'x'.repeat(200),
    }));
    let chunks = 0;
    for await (const chunk of myDataZipChunks(source(many))) if (chunk.byteLength > 0) chunks += 1;
    expect(chunks).toBeGreaterThan(2);
  });
});
