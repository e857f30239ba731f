import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../organiser/csv';
import { journalEntries, journalRows, vatTotals } from './journal';
import {
  csvPieces,
  exportFileName,
  JOURNAL_HEADERS,
  journalCells,
  mapRows,
  VAT_HEADERS,
  vatCells,
} from './tables';
import { exportRefund, exportSale } from './testing';

function sample() {
  const a = exportSale(
    7,
    [
      { productId: 'p', name: '=HYPERLINK("http://evil")', price: 1250, quantity: 2, vatRate: 21 },
      { productId: 'k', name: 'كعك; "zoet"', price: 300, quantity: 1, vatRate: 0 },
    ],
    { createdAt: Date.parse('2026-10-03T08:15:00Z') },
  );
  const refund = exportRefund(a, [], {
    id: 'r1',
    reason: '-kapot',
    createdAt: Date.parse('2026-10-03T09:00:00Z'),
    lines: [{ saleLineId: 'sale-7-line-0', quantity: 1 }],
  });
  return [
    ...journalRows(journalEntries({ sales: [a.sale], lines: a.lines, refunds: [refund] }), {
      deviceCodes: { 'device-1': 'B' },
    }),
  ];
}

describe('export CSV', () => {
  it('[EXP7] the Dutch CSV: BOM, semicolons, decimal comma, CRLF, Dutch headers, local time, formulas defused', () => {
    const rows = sample();
    const text = [
      ...csvPieces(
        JOURNAL_HEADERS.nl,
        mapRows(rows, (r) => journalCells(r, { language: 'nl' })),
        'csv-nl',
      ),
    ].join('');
    expect(text.startsWith('\ufeffdatum;tijd;bonnummer;soort;')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(5);
    expect(text).not.toMatch(/[^\r]\n/);
    const parsed = parseCsv(text, { delimiter: ';' });
    expect(parsed[1]).toEqual([
      '2026-10-03',
      '10:15',
      'B-7',
      'verkoop',
      `'=HYPERLINK("http://evil")`,
      '2',
      '12,50',
      '25,00',
      '21%',
      '4,34',
      '20,66',
      'contant',
      '',
    ]);
    expect(parsed[2]?.[4]).toBe('كعك; "zoet"');
    expect(parsed[3]?.slice(3, 13)).toEqual([
      'terugbetaling',
      `'=HYPERLINK("http://evil")`,
      '-1',
      '12,50',
      '-12,50',
      '21%',
      '-2,17',
      '-10,33',
      'contant',
      "'-kapot",
    ]);
  });

  it('[EXP8] the international CSV: commas, decimal point, no BOM, English headers; KOR says exempt', () => {
    const rows = sample();
    const text = [
      ...csvPieces(
        JOURNAL_HEADERS.en,
        mapRows(rows, (r) => journalCells(r, { language: 'en', kor: true })),
        'csv-intl',
      ),
    ].join('');
    expect(text.startsWith('date,time,receipt_number,type,')).toBe(true);
    const parsed = parseCsv(text);
    expect(parsed[1]?.slice(5, 12)).toEqual([
      '2',
      '12.50',
      '25.00',
      '21%',
      '4.34',
      '20.66',
      'cash',
    ]);
    expect(parsed[2]?.[8]).toBe('VAT exempt (KOR)');
    const vat = parseCsv(
      [
        ...csvPieces(
          VAT_HEADERS.nl,
          vatCells(vatTotals(rows), { language: 'nl', kor: true }),
          'csv-nl',
        ),
      ].join(''),
      { delimiter: ';' },
    );
    expect(vat).toEqual([
      [...VAT_HEADERS.nl],
      ['21%', '1a', '25,00', '12,50', '12,50', '10,33', '2,17'],
      ['btw-vrijgesteld (KOR)', '', '3,00', '0,00', '3,00', '3,00', '0,00'],
      ['totaal', '', '28,00', '12,50', '15,50', '13,33', '2,17'],
    ]);
  });

  it('[EXP9] file names say what and which period', () => {
    expect(exportFileName('journal', 'csv-nl', '2026-K4')).toBe(
      'kraam-verkoopjournaal-2026-K4.csv',
    );
    expect(exportFileName('vat', 'xlsx', '2026')).toBe('kraam-btw-totalen-2026.xlsx');
    expect(exportFileName('journal', 'csv-intl', '2026-Q4', 'en')).toBe(
      'kraam-sales-journal-2026-Q4.csv',
    );
    expect(exportFileName('cashbook', 'csv-nl', '../"x\r\n')).toBe('kraam-kasboek-x.csv');
  });
});

describe('local date and time', () => {
  it('[EXP18] agrees with Intl for every hour of a year with both clock changes, and other zones', async () => {
    const { localDateAndTime } = await import('./tables');
    const { localDateTime } = await import('../organiser/csv');
    for (const zone of ['Europe/Amsterdam', 'UTC', 'Asia/Kolkata', 'America/St_Johns']) {
      const intl = localDateTime(zone);
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000 + 7 * 60_000) {
        const { date, time } = intl(t);
        expect(localDateAndTime(t, zone)).toEqual([date, time]);
      }
    }
  });

  it('[EXP18] agrees with Intl in any order, across zones, before 1970 and at the edges of a day', async () => {
    const { localDateAndTime } = await import('./tables');
    const { localDateTime } = await import('../organiser/csv');
    const zones = ['Europe/Amsterdam', 'UTC', 'Asia/Kolkata', 'America/St_Johns'];
    const intl = zones.map((zone) => localDateTime(zone));
    const day = 86_400_000;
    const edges = [-1, 0, 1, day - 1, day, -day, -day - 1, Date.UTC(1969, 11, 31, 23, 59)];
    fc.assert(
      fc.property(
        fc.oneof(
          // From 1950: before it some zones' offsets had seconds (St John's -3:30:52 in 1918),
          // which the quarter-hour offsets do not model.
          fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) }),
          fc.constantFrom(...edges),
        ),
        fc.integer({ min: 0, max: zones.length - 1 }),
        (t, z) => {
          const { date, time } = intl[z]!(t);
          expect(localDateAndTime(t, zones[z])).toEqual([date, time]);
        },
      ),
      { seed: 18, numRuns: 3000 },
    );
  });
});
