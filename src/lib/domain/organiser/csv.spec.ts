import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventDashboardCsv,
  EVENT_DASHBOARD_HEADERS,
  formatAmount,
  localDateTime,
  money,
  parseCsv,
  protectFormula,
  toCsv,
  type EventDashboardRow,
} from './csv';

const SEED = { seed: 4180, numRuns: 500 };

describe('toCsv', () => {
  it('[CSV1] quotes only what needs it, doubles quotes, ends every record in CRLF', () => {
    expect(toCsv([['a', 'b, c', 'say "hi"', 'two\nlines', 'cr\rhere', '']])).toBe(
      'a,"b, c","say ""hi""","two\nlines","cr\rhere",\r\n',
    );
    expect(toCsv([])).toBe('');
  });

  it('[CSV2] a BOM on request, so Excel reads UTF-8', () => {
    expect(toCsv([['خبز']], { bom: true })).toBe('\ufeffخبز\r\n');
  });

  it('[CSV3] amounts as decimal euros with a dot, or a comma with ";" for Dutch Excel', () => {
    const row = [['Brood', money(1250), money(-5), 3]];
    expect(toCsv(row)).toBe('Brood,12.50,-0.05,3\r\n');
    expect(toCsv(row, { decimal: 'comma' })).toBe('Brood;12,50;-0,05;3\r\n');
    expect(toCsv(row, { decimal: 'comma', delimiter: ',' })).toBe('Brood,"12,50","-0,05",3\r\n');
    expect(formatAmount(100_000_000)).toBe('1000000.00');
    expect(() => toCsv([[1.5]])).toThrow(RangeError);
    expect(() => toCsv([[money(1.5)]])).toThrow(RangeError);
  });

  it('[CSV4] text that a spreadsheet would run as a formula gets a leading apostrophe', () => {
    expect(toCsv([['=1+1', '+31 6', '-x', '@SUM(A1)', '\tx', 'a=b', '＝1']])).toBe(
      "'=1+1,'+31 6,'-x,'@SUM(A1),'\tx,a=b,'＝1\r\n",
    );
    expect(toCsv([['=HYPERLINK("http://x", "a, b")']])).toBe(
      '"\'=HYPERLINK(""http://x"", ""a, b"")"\r\n',
    );
    // Amounts and counts are typed, so a negative amount stays a number.
    expect(toCsv([[money(-1250), -3]])).toBe('-12.50,-3\r\n');
    expect(toCsv([['=1+1']], { protectFormulas: false })).toBe('=1+1\r\n');
  });
});

const cellText = fc.string({
  unit: fc.constantFrom('a', 'b', ',', ';', '"', '\n', '\r', ' ', '=', '-', 'ع', '€'),
});
const rowsArb = fc.array(fc.array(cellText, { minLength: 1, maxLength: 5 }), { maxLength: 6 });

describe('parseCsv', () => {
  it('[CSV5] parse(toCsv(rows)) gives the rows back, with either delimiter and a BOM', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.constantFrom<',' | ';'>(',', ';'),
        fc.boolean(),
        (rows, delimiter, bom) => {
          const text = toCsv(rows, { delimiter, bom, protectFormulas: false });
          expect(parseCsv(text, { delimiter })).toEqual(rows);
        },
      ),
      SEED,
    );
  });

  it('[CSV5] with protection on, the only change is the apostrophe before a formula', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        expect(parseCsv(toCsv(rows))).toEqual(rows.map((row) => row.map(protectFormula)));
      }),
      SEED,
    );
  });

  it('[CSV5] reads LF files too, and refuses broken quoting', () => {
    expect(parseCsv('a,b\nc,"d\ne"\n')).toEqual([
      ['a', 'b'],
      ['c', 'd\ne'],
    ]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    expect(() => parseCsv('"open')).toThrow(RangeError);
    expect(() => parseCsv('a"b')).toThrow(RangeError);
    expect(() => parseCsv('"a"b')).toThrow(RangeError);
  });
});

describe('eventDashboardCsv', () => {
  const rows: EventDashboardRow[] = [
    {
      makerName: 'Bakkerij Amal',
      stallLabels: ['A1', 'A2'],
      shares: true,
      salesCount: 42,
      itemCount: 60,
      revenueCents: 31_550,
      averageSaleCents: 751,
      feeDueCents: 5000,
      feePaidCents: 2500,
      feeStatus: 'part-paid',
    },
    {
      makerName: '=Atelier Noor',
      stallLabels: ['B1'],
      shares: false,
      salesCount: 10,
      itemCount: 12,
      revenueCents: 9000,
      averageSaleCents: 900,
      feeDueCents: 2500,
      feePaidCents: 3000,
      feeStatus: 'overpaid',
    },
  ];

  it('[CSV6] one row per maker; figures of a maker who does not share are left empty', () => {
    const parsed = parseCsv(eventDashboardCsv(rows, { language: 'en' }));
    expect(parsed).toEqual([
      [...EVENT_DASHBOARD_HEADERS.en],
      [
        'Bakkerij Amal',
        'A1 A2',
        'yes',
        '42',
        '60',
        '315.50',
        '7.51',
        '50.00',
        '25.00',
        '25.00',
        'part paid',
      ],
      ["'=Atelier Noor", 'B1', 'no', '', '', '', '', '25.00', '30.00', '0.00', 'overpaid'],
      // Totals of what the rows show: only the sharing maker's figures; all fees.
      ['total', '', '1', '42', '60', '315.50', '7.51', '75.00', '55.00', '25.00', ''],
    ]);
    expect(eventDashboardCsv(rows, { language: 'en' })).not.toContain('90.00');
  });

  it("[CSV8] the fee has the screens' one word (standplaatsgeld); with no sharing maker the figure totals stay empty", () => {
    const parsed = parseCsv(eventDashboardCsv(rows.slice(1)), { delimiter: ',' });
    expect(parsed[0]?.slice(7)).toEqual([
      'standplaatsgeld',
      'standplaatsgeld_betaald',
      'standplaatsgeld_open',
      'status_standplaatsgeld',
    ]);
    expect(parsed.join('\n')).not.toContain('kraamhuur');
    expect(parsed.at(-1)).toEqual([
      'totaal',
      '',
      '0',
      '',
      '',
      '',
      '',
      '25.00',
      '30.00',
      '0.00',
      '',
    ]);
  });

  it('[CSV6] Dutch headers and words by default; decimal comma on request', () => {
    const parsed = parseCsv(eventDashboardCsv(rows, { decimal: 'comma', bom: true }), {
      delimiter: ';',
    });
    expect(parsed[0]).toEqual([...EVENT_DASHBOARD_HEADERS.nl]);
    expect(parsed[1]?.slice(2, 7)).toEqual(['ja', '42', '60', '315,50', '7,51']);
    expect(parsed[2]?.[10]).toBe('te veel betaald');
    expect(parsed[3]?.slice(0, 6)).toEqual(['totaal', '', '1', '42', '60', '315,50']);
  });
});

describe('localDateTime', () => {
  it('[CSV7] local date and time follow the time zone’s daylight saving', () => {
    const amsterdam = localDateTime('Europe/Amsterdam');
    expect(amsterdam(Date.UTC(2026, 0, 1, 23, 59))).toEqual({ date: '2026-01-02', time: '00:59' });
    expect(amsterdam(Date.UTC(2026, 5, 1, 9, 0))).toEqual({ date: '2026-06-01', time: '11:00' });
    expect(localDateTime('UTC')(Date.UTC(2026, 5, 1, 9, 0))).toEqual({
      date: '2026-06-01',
      time: '09:00',
    });
  });
});
