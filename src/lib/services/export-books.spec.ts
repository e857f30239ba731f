import { unzipSync, strFromU8 } from 'fflate';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE_TIME, OPTIONS, marketEvent, newSale, nextHlc } from '$lib/db/contract-fixtures';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { parseCsv } from '$lib/domain/organiser/csv';
import { journalEntries, periodRange, type JournalEntry } from '$lib/domain/exports';
import { channelWorker } from '$lib/exports/file-worker-testing';
import { readXlsx, rowsAsCsvText } from '$lib/exports/xlsx-testing';
import { exportBooks, journalPages, type ExportStore } from './export-books';

let store: MemoryDeviceStore;
// BASE_TIME is 16 May 2026: the second quarter.
const Q2 = { kind: 'quarter', year: 2026, quarter: 2 } as const;

beforeEach(async () => {
  store = new MemoryDeviceStore(OPTIONS);
  await store.saveEvent(marketEvent('event-a', '2026-05-16', { name: 'Lentemarkt' }), nextHlc());
  const sale = await store.recordSale(
    newSale([
      { productId: 'a', name: 'Baklava', priceCents: 450, quantity: 2, vatRate: 9 },
      { productId: 'b', name: 'Vaas', priceCents: 2500, vatRate: 21 },
    ]),
  );
  await store.recordSale(
    newSale([{ productId: 'a', name: 'Baklava', priceCents: 450, vatRate: 9 }]),
  );
  const lines = await store.getSaleLines(sale.id);
  await store.recordRefund({
    id: 'refund-1',
    saleId: sale.id,
    reason: 'Gebroken',
    createdAt: BASE_TIME + 3_600_000,
    hlc: nextHlc(),
    lines: [{ saleLineId: lines[1]!.id, quantity: 1 }],
  });
});

describe('exportBooks (device, offline)', () => {
  it('[EXP11] the quarter journal as Dutch CSV: a refund as a negative row, amounts add up to the summary', async () => {
    const file = await exportBooks(store, { kind: 'journal', format: 'csv-nl', period: Q2 });
    expect(file.fileName).toBe('kraam-verkoopjournaal-2026-K2.csv');
    expect(file.rowCount).toBe(4);
    const bytes = new Uint8Array(await file.blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const [header, ...rows] = parseCsv(text, { delimiter: ';' });
    expect(header?.[0]).toBe('datum');
    const amounts = rows.map((r) => Math.round(Number(r[7]!.replace(',', '.')) * 100));
    expect(amounts).toEqual([900, 2500, 450, -2500]);
    const summary = await store.getSummary('event-a');
    expect(amounts.reduce((a, b) => a + b, 0)).toBe(summary.revenueCents);
    expect(rows[3]?.slice(3, 6)).toEqual(['terugbetaling', 'Vaas', '-1']);
    // Another quarter is empty: only the header.
    const q3 = await exportBooks(store, {
      kind: 'journal',
      format: 'csv-nl',
      period: { kind: 'quarter', year: 2026, quarter: 3 },
    });
    expect(parseCsv(await q3.blob.text(), { delimiter: ';' })).toHaveLength(1);
  });

  it('[EXP12] the event VAT totals as international CSV, and as xlsx (typed cells, its own sheet)', async () => {
    const event = { kind: 'event', eventId: 'event-a' } as const;
    const csv = await exportBooks(store, { kind: 'vat', format: 'csv-intl', period: event });
    expect(csv.fileName).toBe('kraam-vat-totals-2026-05-16-lentemarkt.csv');
    expect(parseCsv(await csv.blob.text())).toEqual([
      [
        'vat_rate',
        'return_box',
        'sales_incl_vat',
        'refunds_incl_vat',
        'turnover_incl_vat',
        'turnover_excl_vat',
        'vat',
      ],
      ['21%', '1a', '25.00', '25.00', '0.00', '0.00', '0.00'],
      ['9%', '1b', '13.50', '0.00', '13.50', '12.39', '1.11'],
      ['total', '', '38.50', '25.00', '13.50', '12.39', '1.11'],
    ]);
    const xlsx = await exportBooks(store, { kind: 'journal', format: 'xlsx', period: Q2 });
    expect(xlsx.fileName).toBe('kraam-verkoopjournaal-2026-K2.xlsx');
    const files = unzipSync(new Uint8Array(await xlsx.blob.arrayBuffer()));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    const strings = strFromU8(files['xl/sharedStrings.xml'] ?? new Uint8Array());
    expect(sheet + strings).toContain('Baklava');
    expect(sheet).toContain('<v>-25</v>');
  });

  it('[EXP20] the xlsx journal holds the same rows as the CSV: dates and times typed, amounts numbers, every part well-formed', async () => {
    const csv = await exportBooks(store, { kind: 'journal', format: 'csv-intl', period: Q2 });
    const xlsx = await exportBooks(store, {
      kind: 'journal',
      format: 'xlsx',
      period: Q2,
      language: 'en',
    });
    const book = readXlsx(new Uint8Array(await xlsx.blob.arrayBuffer()));
    const rows = parseCsv(await csv.blob.text());
    expect(rows).toHaveLength(5);
    expect(rowsAsCsvText(book)).toEqual(rows);
    expect(book.numberFormats[book.rows[1]![0]!.style]).toBe(164);
  });

  it('[EXP22] a quarter is read a page at a time, never whole, and tells its progress up to the total', async () => {
    for (let i = 0; i < 5; i++) {
      await store.recordSale(
        newSale([{ productId: 'c', name: 'Kaart', priceCents: 250, vatRate: 21 }], {
          createdAt: BASE_TIME + 60_000 * (i % 2),
        }),
      );
    }
    const calls: string[] = [];
    const spied = new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(key));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as ExportStore;
    const progress: [number, number][] = [];
    const file = await exportBooks(spied, {
      kind: 'journal',
      format: 'csv-nl',
      period: Q2,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(calls).not.toContain('listForExport');
    expect(calls).toContain('listExportSales');
    expect(file.rowCount).toBe(9);
    // 7 sales and 1 refund in the quarter.
    expect(progress[0]).toEqual([0, 8]);
    expect(progress.at(-1)).toEqual([8, 8]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    }
    // Pages of two give the entries the whole read gives, in the same order.
    const whole = journalEntries(await store.listForExport(periodRange(Q2)));
    const { total, pages } = await journalPages(store, Q2, 2);
    const paged: JournalEntry[] = [];
    let count = 0;
    for await (const page of pages) {
      count++;
      paged.push(...page);
    }
    expect(total).toBe(8);
    expect(count).toBeGreaterThan(3);
    expect(paged).toEqual(whole);
  });

  it('[EXP24] the quarter xlsx compressed in the export worker is the file made on the page, every kind; the CSVs on the page; a worker that cannot start leaves it to the page', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(BASE_TIME + 86_400_000);
    try {
      for (const kind of ['journal', 'vat', 'cashbook'] as const) {
        for (const format of ['csv-nl', 'csv-intl', 'xlsx'] as const) {
          const request = { kind, format, period: Q2 };
          const worker = channelWorker();
          let started = false;
          const there = await exportBooks(store, {
            ...request,
            worker: () => ((started = true), worker),
          });
          const here = await exportBooks(store, { ...request, worker: false });
          // Only an xlsx is compressed in the worker (the CSVs are cheaper made on the page).
          expect(started).toBe(format === 'xlsx');
          expect(worker.terminated).toBe(format === 'xlsx');
          expect(there.fileName).toBe(here.fileName);
          expect(there.rowCount).toBe(here.rowCount);
          expect(there.blob.type).toBe(here.blob.type);
          expect(new Uint8Array(await there.blob.arrayBuffer())).toEqual(
            new Uint8Array(await here.blob.arrayBuffer()),
          );
        }
      }
      const broken = {
        postMessage() {
          queueMicrotask(() => errors.forEach((l) => l(new Event('error'))));
        },
        addEventListener(type: 'message' | 'error', listener: (event: never) => void) {
          if (type === 'error') errors.push(listener as (event: Event) => void);
        },
        terminate() {},
      };
      const errors: ((event: Event) => void)[] = [];
      const file = await exportBooks(store, {
        kind: 'journal',
        format: 'xlsx',
        period: Q2,
        worker: () => broken,
      });
      expect(readXlsx(new Uint8Array(await file.blob.arrayBuffer())).rows).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('[EXP24] an xlsx export that fails midway (the device store refuses a read) ends its export worker: none is left running', async () => {
    const worker = channelWorker();
    const failing = new (class extends MemoryDeviceStore {
      override listExportSales(): ReturnType<MemoryDeviceStore['listExportSales']> {
        return Promise.reject(new Error('the device storage went away'));
      }
    })(OPTIONS);
    await expect(
      exportBooks(failing, { kind: 'journal', format: 'xlsx', period: Q2, worker: () => worker }),
    ).rejects.toThrow('the device storage went away');
    expect(worker.terminated).toBe(true);
  });

  it('[EXP13] the cash book of the quarter: float, cash sales, cash refund, a movement, counted balance', async () => {
    await store.openCashDay({
      eventId: 'event-a',
      makerId: 'maker-1',
      openingFloatCents: 5000,
      openedAt: BASE_TIME,
      hlc: nextHlc(),
    });
    await store.recordCashMovement({
      id: 'move-1',
      eventId: 'event-a',
      kind: 'expense',
      description: '=Koffie',
      amountCents: 250,
      createdAt: BASE_TIME,
      hlc: nextHlc(),
    });
    await store.closeCashDay({
      id: 'close-1',
      eventId: 'event-a',
      countedCents: 5000 + 3850 - 2500 - 250,
      closedAt: BASE_TIME + 7_200_000,
      hlc: nextHlc(),
    });
    const file = await exportBooks(store, { kind: 'cashbook', format: 'csv-intl', period: Q2 });
    expect(file.fileName).toBe('kraam-cash-book-2026-Q2.csv');
    expect(parseCsv(await file.blob.text())).toEqual([
      ['date', 'day_report', 'type', 'description', 'amount', 'balance'],
      ['2026-05-16', '1', 'opening float', '', '50.00', '50.00'],
      ['2026-05-16', '1', 'cash sales', '', '38.50', '88.50'],
      ['2026-05-16', '1', 'cash refunds', '', '-25.00', '63.50'],
      ['2026-05-16', '1', 'expense', "'=Koffie", '-2.50', '61.00'],
      ['2026-05-16', '1', 'closing balance (counted)', '', '0.00', '61.00'],
    ]);
    // Another quarter has no day in it.
    const q3 = await exportBooks(store, {
      kind: 'cashbook',
      format: 'csv-nl',
      period: { kind: 'quarter', year: 2026, quarter: 3 },
    });
    expect(q3.rowCount).toBe(0);
  });
});
