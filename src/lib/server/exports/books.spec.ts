// The server's books export against PGlite and (with TEST_DATABASE_URL) PostgreSQL: only the
// session maker's rows, in time order across pages, refunds as negative rows, streamed.
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/ids';
import { parseCsv } from '$lib/domain/organiser/csv';
import { exportRefund, exportSale } from '$lib/domain/exports/testing';
import type { Refund, Sale, SaleLine } from '$lib/domain/types';
import type { JournalLine } from '$lib/domain/exports';
import { booksExportQuery, queryPeriod } from '$lib/exports/contract';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { refundLines, refunds, saleLines, sales, syncDevices, makers } from '$lib/server/db/schema';
import { ApiError, validate } from '$lib/server/http';
import { refundToRows, saleToRow } from '$lib/server/sync/rows';
import { createUser } from '$lib/server/sync/testing';
import { readXlsx, rowsAsCsvText } from '$lib/exports/xlsx-testing';
import { bookEntries, booksExport } from './books';

const Q4 = { kind: 'quarter', year: 2026, quarter: 4 } as const;
const IN_Q4 = Date.parse('2026-10-10T09:00:00Z');

async function text(body: ReadableStream<Uint8Array> | Blob): Promise<string> {
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

describe.each(testDbKinds())('books export on %s', (kind) => {
  let t: TestDb;
  let makerA: string;
  let makerB: string;
  let eventB: string;
  const made: { sale: Sale; lines: SaleLine[] }[] = [];
  const refundsA: Refund[] = [];

  async function store(makerId: string, m: { sale: Sale; lines: SaleLine[] }) {
    await t.db.insert(sales).values(saleToRow(m.sale, makerId, []));
    await t.db.insert(saleLines).values(m.lines);
  }
  async function storeRefund(refund: Refund) {
    const { row, lines } = refundToRows(refund);
    await t.db.insert(refunds).values(row);
    await t.db.insert(refundLines).values(lines);
  }

  beforeAll(async () => {
    t = await createTestDb(kind);
    const userA = await createUser(t.db, 'Maker A');
    const userB = await createUser(t.db, 'Maker B');
    makerA = uuidv7();
    makerB = uuidv7();
    eventB = uuidv7();
    await t.db.insert(makers).values([
      { id: makerA, ownerUserId: userA },
      { id: makerB, ownerUserId: userB },
    ]);
    const deviceA = uuidv7();
    await t.db
      .insert(syncDevices)
      .values({ id: deviceA, userId: userA, makerId: makerA, code: 'A' });
    const eventA = uuidv7();
    // Maker A: seven sales in Q4 (two of them at the same instant), one in Q3, a refund in
    // Q4 of the Q3 sale and one of a Q4 sale.
    for (let n = 1; n <= 7; n++) {
      const m = exportSale(
        n,
        [
          { productId: 'bowl', name: 'Kom', price: 1250, quantity: 1, vatRate: 21 },
          { productId: 'cookie', name: 'Koekjes', price: 300, quantity: n, vatRate: 9 },
        ],
        {
          createdAt: IN_Q4 + (n === 5 ? 4 : n) * 60_000,
          deviceId: deviceA,
          eventId: eventA,
          makerId: makerA,
          idPrefix: `a-${uuidv7()}`,
        },
      );
      made.push(m);
      await store(makerA, m);
    }
    const q3 = exportSale(
      9,
      [{ productId: 'bowl', name: 'Kom', price: 1250, quantity: 2, vatRate: 21 }],
      {
        createdAt: Date.parse('2026-09-30T12:00:00Z'),
        deviceId: deviceA,
        eventId: uuidv7(),
        makerId: makerA,
        idPrefix: `a-${uuidv7()}`,
      },
    );
    await store(makerA, q3);
    refundsA.push(
      exportRefund(
        q3,
        [],
        { id: uuidv7(), reason: 'Barst', createdAt: IN_Q4 + 30_000, lines: 'all' },
        deviceA,
      ),
      exportRefund(
        made[2]!,
        [],
        {
          id: uuidv7(),
          reason: 'Te veel',
          createdAt: IN_Q4 + 10 * 60_000,
          lines: [{ saleLineId: made[2]!.lines[1]!.id, quantity: 2 }],
        },
        deviceA,
      ),
    );
    for (const r of refundsA) await storeRefund(r);
    // Maker B sells in the same quarter at their own event.
    const b = exportSale(
      1,
      [{ productId: 'x', name: 'Geheim van B', price: 9999, quantity: 1, vatRate: 21 }],
      {
        createdAt: IN_Q4 + 90_000,
        eventId: eventB,
        makerId: makerB,
        idPrefix: `b-${uuidv7()}`,
      },
    );
    await store(makerB, b);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('[EXP14] the quarter journal as streamed Dutch CSV: only the maker’s rows, refunds negative, totals net of them', async () => {
    const file = await booksExport(t.db, makerA, {
      kind: 'journal',
      format: 'csv-nl',
      period: Q4,
    });
    expect(file.fileName).toBe('kraam-verkoopjournaal-2026-K4.csv');
    expect(file.body).toBeInstanceOf(ReadableStream);
    const csv = await text(file.body);
    expect(csv.startsWith('\ufeffdatum;')).toBe(true);
    const [, ...rows] = parseCsv(csv, { delimiter: ';' });
    expect(csv).not.toContain('Geheim van B');
    expect(rows).toHaveLength(7 * 2 + 2);
    const cents = (r: string[]) => Math.round(Number(r[7]!.replace(',', '.')) * 100);
    const sold = made.reduce((s, m) => s + m.sale.totalCents, 0);
    const back = refundsA.reduce((s, r) => s + r.totalCents, 0);
    expect(rows.reduce((s, r) => s + cents(r), 0)).toBe(sold - back);
    expect(
      rows.filter((r) => r[3] === 'terugbetaling').map((r) => [r[2], r[4], r[5], cents(r)]),
    ).toEqual([
      ['A-9', 'Kom', '-2', -2500],
      ['A-3', 'Koekjes', '-2', -600],
    ]);
    // Time order, a refund between the sales of its minute.
    const times = rows.map((r) => `${r[0]} ${r[1]}`);
    expect([...times].sort()).toEqual(times);
  });

  it('[EXP15] pages of any size give the same entries in the same order (keyset over equal times)', async () => {
    const all: string[] = [];
    for await (const e of bookEntries(t.db, makerA, Q4))
      all.push(e.kind === 'sale' ? e.sale.id : e.refund.id);
    for (const page of [1, 2, 3]) {
      const paged: string[] = [];
      for await (const e of bookEntries(t.db, makerA, Q4, page)) {
        paged.push(e.kind === 'sale' ? e.sale.id : e.refund.id);
      }
      expect(paged).toEqual(all);
    }
    expect(all).toHaveLength(9);
  });

  it('[EXP16] another maker’s event id gives an empty file, never their rows; VAT totals and xlsx', async () => {
    const theirs = await booksExport(t.db, makerA, {
      kind: 'journal',
      format: 'csv-intl',
      period: { kind: 'event', eventId: eventB },
    });
    expect(parseCsv(await text(theirs.body))).toHaveLength(1);
    const own = await booksExport(t.db, makerB, {
      kind: 'journal',
      format: 'csv-intl',
      period: { kind: 'event', eventId: eventB },
    });
    expect(parseCsv(await text(own.body))).toHaveLength(2);

    const vat = parseCsv(
      await text(
        (await booksExport(t.db, makerA, { kind: 'vat', format: 'csv-intl', period: Q4 })).body,
      ),
    );
    expect(vat.at(-1)?.[0]).toBe('total');
    const xlsx = await booksExport(t.db, makerA, { kind: 'journal', format: 'xlsx', period: Q4 });
    expect(xlsx.fileName).toBe('kraam-verkoopjournaal-2026-K4.xlsx');
    const files = unzipSync(new Uint8Array(await new Response(xlsx.body).arrayBuffer()));
    expect(strFromU8(files['xl/worksheets/sheet1.xml']!)).toContain('<v>-25</v>');
  });

  it('[EXP20] the streamed xlsx holds the same rows as the CSV, every part well-formed', async () => {
    const csv = await booksExport(t.db, makerA, { kind: 'journal', format: 'csv-nl', period: Q4 });
    const xlsx = await booksExport(t.db, makerA, { kind: 'journal', format: 'xlsx', period: Q4 });
    expect(xlsx.body).toBeInstanceOf(ReadableStream);
    const book = readXlsx(new Uint8Array(await new Response(xlsx.body).arrayBuffer()));
    const rows = parseCsv(await text(csv.body), { delimiter: ';' });
    expect(rows.length).toBeGreaterThan(5);
    expect(rowsAsCsvText(book, 'comma')).toEqual(rows);
  });
});

// The same rows on every database kind give the same files, byte for byte: the page query
// builds JSON in the database (books.ts salePage), so its escaping, number and ordering must
// not depend on the driver. Awkward text, a sale without lines, a voided one, a split payment,
// the largest receipt number and amount, equal times, pages of one and of many.
describe('books export: the same bytes on every database', () => {
  const files: string[][] = [];
  const makerId = 'maker-same-bytes';
  const deviceId = 'device-same-bytes';
  const at = Date.parse('2026-11-02T23:59:59.999Z');
  const names = [
    'Kom "groot"; 1/2',
    'back\\slash \\u0041 en tab\tnieuwe\nregel\r\n',
    'كوب شاي 🍵 ⅓ ü',
    '\u2028\u2029\u0001 =SUM(A1)',
    "'",
  ];
  const made = [
    ...names.map((name, i) =>
      exportSale(
        i + 1,
        [
          { productId: `p-${i}`, name, price: 1250 + i, quantity: i + 1, vatRate: 21 },
          { productId: 'q', name: 'Koekjes', price: 300, quantity: 2, vatRate: 9 },
        ],
        { createdAt: at, deviceId, eventId: 'e-1', makerId, idPrefix: `z${i}`, method: 'split' },
      ),
    ),
    exportSale(2 ** 31 - 1, [], { createdAt: at + 1, deviceId, eventId: 'e-1', makerId }),
    exportSale(
      6,
      [{ productId: 'big', name: 'Groot', price: 2 ** 40, quantity: 2000, vatRate: 0 }],
      { createdAt: at - 86_400_000 * 30, deviceId, eventId: 'e-2', makerId, method: 'qr' },
    ),
  ];
  made[1]!.sale.status = 'voided';

  for (const kind of testDbKinds()) {
    it(`[EXP23] ${kind}: the year's journal (CSV and xlsx) and VAT totals, with pages of 1 and 5,000`, async () => {
      const t = await createTestDb(kind);
      try {
        const owner = await createUser(t.db, 'Maker Same');
        await t.db.insert(makers).values({ id: makerId, ownerUserId: owner });
        await t.db.insert(syncDevices).values({ id: deviceId, userId: owner, makerId, code: 'Z' });
        for (const m of made) {
          await t.db.insert(sales).values(saleToRow(m.sale, makerId, []));
          if (m.lines.length) await t.db.insert(saleLines).values(m.lines);
        }
        const year = { kind: 'year', year: 2026 } as const;
        const out: string[] = [];
        for (const format of ['csv-nl', 'csv-intl'] as const) {
          for (const kind of ['journal', 'vat'] as const) {
            out.push(
              await text((await booksExport(t.db, makerId, { kind, format, period: year })).body),
            );
          }
        }
        const xlsx = await booksExport(t.db, makerId, {
          kind: 'journal',
          format: 'xlsx',
          period: year,
        });
        const book = readXlsx(new Uint8Array(await new Response(xlsx.body).arrayBuffer()));
        out.push(JSON.stringify(rowsAsCsvText(book, 'comma')));
        const read = async (page: number) => {
          const got: { id: string; lines: readonly JournalLine[] }[] = [];
          for await (const e of bookEntries(t.db, makerId, year, page))
            if (e.kind === 'sale') got.push({ id: e.sale.id, lines: e.lines });
          return got;
        };
        const one = await read(1);
        expect(await read(5000)).toEqual(one);
        out.push(JSON.stringify(one));
        // Every sale once, its lines as stored (the awkward names exactly, the large amounts
        // exact, the sale without lines without any), in time order.
        expect(one.map((s) => s.id).sort()).toEqual(made.map((m) => m.sale.id).sort());
        for (const m of made) {
          const got = one.find((s) => s.id === m.sale.id)!;
          expect(got.lines).toEqual(
            m.lines.map((l) => ({
              id: l.id,
              saleId: l.saleId,
              position: l.position,
              productId: l.productId,
              name: l.name,
              unitPriceCents: l.unitPriceCents,
              vatRate: l.vatRate,
              quantity: l.quantity,
              totalCents: l.totalCents,
              vatCents: l.vatCents,
            })),
          );
        }
        expect(out[2]).toContain(String((2 ** 40 * 2000) / 100));
        files.push(out);
      } finally {
        await t.close();
      }
    });
  }

  it('[EXP23] every database kind gave the same files', () => {
    expect(files).toHaveLength(testDbKinds().length);
    for (const other of files.slice(1)) expect(other).toEqual(files[0]);
  });
});

describe('the export query', () => {
  const bad = (query: Record<string, string>): string[] => {
    try {
      validate(booksExportQuery, query, 'query');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      return ((error as ApiError).issues ?? []).map((i) => i.path);
    }
    throw new Error('accepted');
  };

  it('[EXP17] names the field of every bad input: missing, malformed, out of range, unknown, huge', () => {
    const ok = { kind: 'journal', format: 'csv-nl', period: 'quarter', year: '2026', quarter: '4' };
    expect(queryPeriod(validate(booksExportQuery, ok, 'query'))).toEqual(Q4);
    expect(bad({ ...ok, quarter: '5' })).toEqual(['quarter']);
    expect(bad({ ...ok, quarter: '' })).toEqual(['quarter']);
    expect(bad({ ...ok, year: '1999' })).toEqual(['year']);
    expect(bad({ ...ok, year: String(2 ** 53) })).toEqual(['year']);
    expect(bad({ ...ok, year: '-2026' })).toEqual(['year']);
    expect(bad({ ...ok, format: 'pdf' })).toEqual(['format']);
    expect(bad({ ...ok, kind: 'everything' })).toEqual(['kind']);
    expect(bad({ ...ok, makerId: 'someone-else' })).toEqual(['']);
    expect(bad({ kind: 'journal', format: 'csv-nl', period: 'month', year: '2026' })).toEqual([
      'month',
    ]);
    expect(bad({ kind: 'journal', format: 'csv-nl', period: 'event' })).toEqual(['eventId']);
    expect(
      bad({ kind: 'journal', format: 'csv-nl', period: 'event', eventId: 'a\u0000b' }),
    ).toEqual(['eventId']);
    expect(
      bad({ kind: 'journal', format: 'csv-nl', period: 'event', eventId: 'x'.repeat(65) }),
    ).toEqual(['eventId']);
  });
});
