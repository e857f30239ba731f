import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money, type CsvCell } from '$lib/domain/organiser/csv';
import {
  centsText,
  columnLetters,
  gzipHeaderLength,
  sheetName,
  xlsxBlob,
  xlsxStream,
  XlsxWriter,
  XLSX_TYPE,
} from './xlsx';
import {
  parseXml,
  plainSheetRows,
  readXlsx,
  serialDate,
  serialTime,
  zipDirectory,
} from './xlsx-testing';
import { serverGzip } from '$lib/server/exports/gzip';

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/** What a cell reads back as: text with XML's forbidden characters as U+FFFD. */
function expected(cell: CsvCell): string | number | undefined {
  if (cell === null) return undefined;
  if (typeof cell === 'object') return cell.cents / 100;
  if (typeof cell === 'number') return cell;
  return cell.replace(
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot carry
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

describe('the xlsx writer', () => {
  it('[EXP20] any text, count and amount reads back the same through a strict XML parser (NUL, lone surrogates, quotes, huge, negative)', async () => {
    const cell = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('=HYPERLINK("x")', ' padded ', '<b>&amp;</b>', 'a\r\nb', '\u0000', '\ud800'),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.constantFrom(2 ** 53 - 1, -(2 ** 53 - 1), 0),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map(money),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 30 }),
        async (rows) => {
          const blob = await xlsxBlob(['a', 'b'], rows, { sheet: 'Test' });
          const book = readXlsx(await bytesOf(blob));
          expect(book.rows).toHaveLength(rows.length + 1);
          rows.forEach((row, r) => {
            const read = book.rows[r + 1]!;
            const want = row
              .map((c, i) => ({ ref: `${columnLetters(i)}${r + 2}`, value: expected(c) }))
              .filter((c) => c.value !== undefined);
            expect(read.map((c) => ({ ref: c.ref, value: c.value }))).toEqual(want);
          });
        },
      ),
      { seed: 20, numRuns: 150 },
    );
  });

  it('[EXP20] a bold frozen header, column widths, money with two decimals, dates and times as numbers with their styles, right to left', async () => {
    const blob = await xlsxBlob(
      ['datum', 'tijd', 'product', 'bedrag'],
      [
        ['2026-10-10', '09:05', 'Kom', money(-2500)],
        ['2026-12-31', '23:59', 'Koekjes', money(1234)],
      ],
      {
        sheet: "'verkoop[2026]:K4?'",
        rightToLeft: true,
        columns: [{ kind: 'date' }, { kind: 'time' }, { width: 30 }],
      },
    );
    expect(blob.type).toBe(XLSX_TYPE);
    const book = readXlsx(await bytesOf(blob));
    expect(book.sheetName).toBe('verkoop2026K4');
    const header = book.rows[0]!;
    expect(header.map((c) => c.value)).toEqual(['datum', 'tijd', 'product', 'bedrag']);
    expect(header.every((c) => book.bold[c.style])).toBe(true);
    const [date, time, product, amount] = book.rows[1]!;
    expect(serialDate(date!.value as number)).toBe('2026-10-10');
    expect(book.numberFormats[date!.style]).toBe(164);
    expect(serialTime(time!.value as number)).toBe('09:05');
    expect(book.numberFormats[time!.style]).toBe(165);
    expect(product!.value).toBe('Kom');
    expect(book.bold[product!.style]).toBe(false);
    expect(amount!.value).toBe(-25);
    expect(book.numberFormats[amount!.style]).toBe(2);
    expect(serialDate(book.rows[2]![0]!.value as number)).toBe('2026-12-31');
    const sheet = book.xml['xl/worksheets/sheet1.xml']!;
    const view = sheet.children.find((c) => c.name === 'sheetViews')!.children[0]!;
    expect(view.attrs.rightToLeft).toBe('1');
    expect(view.children[0]!.attrs).toMatchObject({ ySplit: '1', state: 'frozen' });
    const cols = sheet.children.find((c) => c.name === 'cols')!.children;
    expect(cols.map((c) => c.attrs.width)).toEqual(['11', '6', '30', '10']);
    // Not a date where the column says text, and not a date when it is not one.
    const plain = readXlsx(
      await bytesOf(
        await xlsxBlob(['d'], [['2026-10-10'], ['2026-13-45x']], { sheet: 's', columns: [] }),
      ),
    );
    expect(plain.rows[1]![0]!.value).toBe('2026-10-10');
  });

  it.each(['platform', 'fflate'] as const)(
    '[EXP21] streams: compressed bytes come out while rows are still being added (memory holds a batch, not the sheet), %s deflate',
    async (deflate) => {
      const writer = new XlsxWriter(['n', 'text'], { sheet: 'big', deflate });
      let before = 0;
      for (let i = 0; i < 50_000; i += 100) {
        await writer.addRows(
          Array.from({ length: 100 }, (_, k) => [
            i + k,
            `row ${i + k} with some text that compresses`,
          ]),
        );
        for (const chunk of writer.take()) before += chunk.byteLength;
      }
      expect(writer.rowCount).toBe(50_000);
      // Nearly all of the file is out before the end: at most a batch of XML is held back.
      await writer.end();
      let after = 0;
      for (const chunk of writer.take()) after += chunk.byteLength;
      expect(before).toBeGreaterThan(10 * after);
    },
  );

  it('[EXP21] the server stream gives the same file, read page by page only as it is pulled', async () => {
    const rows: CsvCell[][] = Array.from({ length: 3000 }, (_, i) => [i, `p${i}`, money(i * 7)]);
    let pulled = 0;
    async function* pages() {
      for (let i = 0; i < rows.length; i += 500) {
        pulled++;
        yield rows.slice(i, i + 500);
      }
    }
    const stream = xlsxStream(['n', 'p', 'a'], pages(), { sheet: 'x' });
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(pulled).toBeLessThan(6);
    const parts: Uint8Array[] = [first.value!];
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      parts.push(next.value);
    }
    const book = readXlsx(await bytesOf(new Blob(parts as BlobPart[])));
    expect(book.rows.slice(1).map((r) => r.map((c) => c.value))).toEqual(
      rows.map(([n, p, a]) => [n, p, (a as { cents: number }).cents / 100]),
    );
  });

  it('[EXP22] the sheet is byte for byte what the plain cell-by-cell writer made (same cells, types, styles), with either compressor', async () => {
    const cell = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(' lead', 'trail\u00a0', '\tx', 'a&b', '"q"', '\r', '\ud800x', '', 'Kom'),
      fc.constantFrom(
        '2026-10-10',
        '1899-12-30',
        '1900-01-01',
        '2026-13-45',
        '09:05',
        '23:59',
        '24:00',
        '00:00',
      ),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc
        .oneof(
          fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
          fc.constantFrom(2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 31, -(2 ** 31), -0),
        )
        .map(money),
      fc.constant(null),
    );
    const kinds = ['date', 'time', undefined, 'text', 'date'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 40 }),
        fc.constantFrom('platform', 'fflate', 'server') as fc.Arbitrary<
          'platform' | 'fflate' | 'server'
        >,
        async (rows, compressor) => {
          const columns = kinds.map((kind) => ({ kind }));
          const blob = await xlsxBlob(['a', 'b', 'c'], rows, {
            sheet: 'T',
            columns,
            ...(compressor === 'server' ? { gzip: serverGzip } : { deflate: compressor }),
          });
          const sheet = new TextDecoder().decode(
            readXlsx(await bytesOf(blob)).files['xl/worksheets/sheet1.xml'],
          );
          const data = sheet.slice(sheet.indexOf('</row>') + 6, sheet.indexOf('</sheetData>'));
          expect(data).toBe(plainSheetRows(rows, kinds));
        },
      ),
      { seed: 22, numRuns: 200 },
    );
  });

  it('[EXP22] amounts: integer arithmetic gives exactly what dividing by 100 gives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
          fc.integer({ min: -1000, max: 1000 }),
          fc.constantFrom(
            2 ** 53 - 1,
            -(2 ** 53 - 1),
            2 ** 31 - 1,
            -(2 ** 31) + 1,
            -0,
            5,
            -5,
            10,
            100,
            1999,
          ),
        ),
        (cents) => {
          expect(centsText(cents)).toBe(String(cents / 100));
        },
      ),
      { seed: 22, numRuns: 20_000 },
    );
  });

  it('[EXP22] a year-sized sheet through the platform compressor: every CRC-32 and size in the zip is right', async () => {
    const rows: CsvCell[][] = Array.from({ length: 20_000 }, (_, i) => [
      '2026-10-10',
      `${i}`,
      money(i * 13 - 5000),
    ]);
    const blob = await xlsxBlob(['d', 'r', 'a'], rows, { sheet: 'big' });
    const bytes = await bytesOf(blob);
    const book = readXlsx(bytes);
    expect(book.rows).toHaveLength(20_001);
    const entry = zipDirectory(bytes).get('xl/worksheets/sheet1.xml')!;
    expect(entry.method).toBe(8);
    expect(entry.compressed).toBeLessThan(entry.size / 5);
    // The server's own gzip (Node's zlib at level 3): the same sheet, compressed otherwise.
    const server = await bytesOf(
      await xlsxBlob(['d', 'r', 'a'], rows, { sheet: 'big', gzip: serverGzip }),
    );
    const serverBook = readXlsx(server);
    const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
    expect(
      text(serverBook.files['xl/worksheets/sheet1.xml']) ===
        text(book.files['xl/worksheets/sheet1.xml']),
    ).toBe(true);
    const serverEntry = zipDirectory(server).get('xl/worksheets/sheet1.xml')!;
    expect(serverEntry.crc).toBe(entry.crc);
    expect(serverEntry.compressed).not.toBe(entry.compressed);
  });

  it('reads any gzip header the platform may give (RFC 1952: extra field, name, comment, header CRC)', () => {
    const base = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    expect(gzipHeaderLength(new Uint8Array(base))).toBe(10);
    expect(gzipHeaderLength(new Uint8Array(base.slice(0, 9)))).toBe(-1);
    const flagged = [...base];
    flagged[3] = 4 | 8 | 16 | 2;
    const full = [...flagged, 3, 0, 1, 2, 3, 110, 0, 99, 0, 0xaa, 0xbb];
    expect(gzipHeaderLength(new Uint8Array(full))).toBe(full.length);
    expect(gzipHeaderLength(new Uint8Array(full.slice(0, -1)))).toBe(-1);
    expect(gzipHeaderLength(new Uint8Array(full.slice(0, 16)))).toBe(-1);
    expect(() => gzipHeaderLength(new Uint8Array([0x78, 0x9c, 8, 0, 0, 0, 0, 0, 0, 3]))).toThrow();
  });

  it('names columns past Z and cleans sheet names', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    expect(sheetName('')).toBe('Sheet1');
    expect(sheetName('x'.repeat(40))).toHaveLength(31);
  });

  it('the test parser rejects what is not well-formed', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a x="1" x="2"/>',
      '<a>&nope;</a>',
      '<a>&</a>',
      '<a>\u0000</a>',
      '<a>&#0;</a>',
      '<a/><b/>',
      '<a>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow(SyntaxError);
    }
    expect(parseXml('<a x="&lt;">t&amp;<b/></a>').attrs.x).toBe('<');
  });
});
