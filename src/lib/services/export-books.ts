/**
 * Exports the maker's books from this device, offline: the sales journal, the VAT totals per
 * rate or the cash book (its closed day reports: src/lib/domain/cashbook-export.ts), for an event, a month, a quarter or a year, as Dutch
 * CSV, international CSV or `.xlsx` (src/lib/domain/exports). An `.xlsx` is compressed in a
 * Web Worker beside the page's reads where there is one (src/lib/exports/file-worker-protocol.ts);
 * its writer is loaded only when asked for (src/lib/exports/xlsx.ts).
 *
 * Bounded memory: a month, quarter or year is read from the store a page at a time (sales and
 * refunds by keyset on their time, merged: domain/exports/merge.ts) and each page is written
 * into the file before the next is read; the file itself is a Blob of the written chunks.
 * An event is read whole (one event's sales). `onProgress(done, total)` is told after each
 * page: sales and refunds written so far, of how many.
 */
import type {
  CashBookStore,
  CatalogueStore,
  DeviceCore,
  ExportCursor,
  ExportSelection,
  SalesStore,
  SyncStore,
} from '$lib/db/device-store';
import { cashBookRows, type DatedReport } from '$lib/domain/cashbook-export';
import {
  bookReport,
  CASHBOOK_HEADERS,
  cashBookCells,
  entryRows,
  EXPORT_COLUMNS,
  EXPORT_TIME_ZONE,
  exportFileName,
  formatLanguage,
  JOURNAL_HEADERS,
  journalEntries,
  journalPageCells,
  journalRows,
  localDateAndTime,
  mergedPages,
  periodRange,
  periodSlug,
  VAT_HEADERS,
  vatCells,
  VatTotals,
  type BookReport,
  type ExportFormat,
  type ExportKind,
  type ExportPeriod,
  type JournalEntry,
  type TableLanguage,
  type TableOptions,
} from '$lib/domain/exports';
import { fileBuilder, type FileBuilder, type FileSpec } from '$lib/exports/file-builder';
import { startFileWorker } from '$lib/exports/file-worker';
import type { WorkerLike } from '$lib/exports/file-worker-protocol';
import { summaryReport, type DayFigures } from '$lib/domain/summary';
import type { Id, MarketEvent, SaleLine, StallProfile } from '$lib/domain/types';

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  period: ExportPeriod;
  /** The headers' language for the `.xlsx` (the CSVs have their own: nl and en). */
  language?: TableLanguage;
  /** After each page read: sales and refunds done so far, of `total` (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Where an `.xlsx` is compressed: by default in a Web Worker (src/lib/exports/file-worker.ts)
   * where the platform has one, else on the page; `false` always on the page (the benchmark's
   * comparison); or a worker of the caller's (the specs).
   */
  worker?: (() => WorkerLike | null) | false;
}

/** Sales (or refunds) read from the store per page. */
export const EXPORT_PAGE = 2000;

export interface ExportFile {
  fileName: string;
  blob: Blob;
  /** Data rows written (headers and the total row not counted). */
  rowCount: number;
}

export type ExportStore = Pick<
  SalesStore,
  'listForExport' | 'listExportSales' | 'listExportRefunds' | 'countForExport'
> &
  Pick<SyncStore, 'getDeviceCodes'> &
  Pick<DeviceCore, 'getProfile'> &
  Pick<CatalogueStore, 'listEvents'> &
  Pick<CashBookStore, 'listCashReports'>;

/** The store's selection for a period. */
export function selectionOf(period: ExportPeriod): ExportSelection {
  return period.kind === 'event' ? { eventId: period.eventId } : periodRange(period);
}

/**
 * The closed day reports of the period, each dated by its event day (the report's closing
 * date in Amsterdam when the event is not on this device): an event's own, or those whose
 * day falls in the month, quarter or year.
 */
async function cashReports(store: ExportStore, period: ExportPeriod): Promise<DatedReport[]> {
  const [reports, events] = await Promise.all([
    store.listCashReports(period.kind === 'event' ? period.eventId : undefined),
    store.listEvents(),
  ]);
  const dates = new Map(events.map((e) => [e.id, e.date]));
  const dated = reports.map((report) => ({
    report,
    date: dates.get(report.eventId) ?? localDateAndTime(report.closedAt, EXPORT_TIME_ZONE)[0],
  }));
  if (period.kind === 'event') return dated;
  const { from, to } = periodRange(period);
  const first = localDateAndTime(from, EXPORT_TIME_ZONE)[0];
  const last = localDateAndTime(to, EXPORT_TIME_ZONE)[0];
  return dated.filter(({ date }) => date >= first && date < last);
}

type Range = { from: number; to: number };

async function* salePages(store: ExportStore, range: Range, size: number) {
  let after: ExportCursor | null = null;
  for (;;) {
    const page = await store.listExportSales(range, after, size);
    const bySale = linesBySale(page.lines);
    yield page.sales.map((sale): JournalEntry => ({
      kind: 'sale',
      sale,
      lines: bySale.get(sale.id) ?? [],
    }));
    const last = page.sales[page.sales.length - 1];
    if (!last || page.sales.length < size) return;
    after = { at: last.createdAt, id: last.id };
  }
}

async function* refundPages(store: ExportStore, range: Range, size: number) {
  let after: ExportCursor | null = null;
  for (;;) {
    const page = await store.listExportRefunds(range, after, size);
    const bySale = linesBySale(page.lines);
    const sales = new Map(page.sales.map((sale) => [sale.id, sale]));
    yield page.refunds.map((refund): JournalEntry => ({
      kind: 'refund',
      refund,
      sale: sales.get(refund.saleId),
      lines: bySale.get(refund.saleId) ?? [],
    }));
    const last = page.refunds[page.refunds.length - 1];
    if (!last || page.refunds.length < size) return;
    after = { at: last.createdAt, id: last.id };
  }
}

function linesBySale(lines: readonly SaleLine[]): Map<Id, SaleLine[]> {
  const bySale = new Map<Id, SaleLine[]>();
  for (const line of lines) {
    const list = bySale.get(line.saleId);
    if (list) list.push(line);
    else bySale.set(line.saleId, [line]);
  }
  return bySale;
}

/**
 * The period's journal entries in time order, a page at a time, and how many there are.
 * An event is one page (read whole); a range is read by keyset, `size` sales a page.
 */
export async function journalPages(
  store: ExportStore,
  period: ExportPeriod,
  size = EXPORT_PAGE,
): Promise<{ total: number; pages: AsyncGenerator<JournalEntry[]> }> {
  if (period.kind === 'event') {
    const entries = journalEntries(await store.listForExport({ eventId: period.eventId }));
    return {
      total: entries.length,
      pages: (async function* () {
        yield entries;
      })(),
    };
  }
  const range = periodRange(period);
  return {
    total: await store.countForExport(range),
    pages: mergedPages(salePages(store, range, size), refundPages(store, range, size)),
  };
}

/**
 * The file's builder: an `.xlsx` is compressed in the export's Web Worker where there is one
 * (beside the page's reads: src/lib/exports/file-worker-protocol.ts), else on the page; the
 * CSVs are made on the page (cheaper than handing their rows over: docs/benchmarks.md).
 */
async function rowSink(spec: FileSpec, worker: ExportRequest['worker']): Promise<FileBuilder> {
  const started = spec.format !== 'xlsx' || worker === false ? null : (worker ?? startFileWorker)();
  if (started) {
    try {
      const { workerXlsxBuilder } = await import('$lib/exports/file-worker-protocol');
      return await workerXlsxBuilder(started, spec);
    } catch {
      // The worker could not start (its script not loaded): the page makes the file.
      started.terminate();
    }
  }
  return fileBuilder(spec);
}

export async function exportBooks(store: ExportStore, request: ExportRequest): Promise<ExportFile> {
  const language = formatLanguage(request.format, request.language);
  const profile = await store.getProfile();
  const options: TableOptions = { language, kor: profile?.kor === true };
  const period = request.period;
  const event =
    period.kind === 'event'
      ? (await store.listEvents()).find((e) => e.id === period.eventId)
      : undefined;
  const fileName = exportFileName(
    request.kind,
    request.format,
    periodSlug(period, { language, ...(event ? { event } : {}) }),
    language,
  );
  const headers =
    request.kind === 'journal'
      ? JOURNAL_HEADERS[language]
      : request.kind === 'vat'
        ? VAT_HEADERS[language]
        : CASHBOOK_HEADERS[language];
  const sink = await rowSink(
    {
      format: request.format,
      headers,
      sheet: fileName.replace(/^kraam-|\.xlsx$/g, ''),
      columns: EXPORT_COLUMNS[request.kind],
    },
    request.worker,
  );
  try {
    return { fileName, ...(await writeRows(store, request, sink, options)) };
  } catch (error) {
    // Nothing more will be added: the builder lets go of what it holds (its worker ends).
    sink.abort();
    throw error;
  }
}

/** The export's rows into `sink`, then its file. */
async function writeRows(
  store: ExportStore,
  request: ExportRequest,
  sink: FileBuilder,
  options: TableOptions,
): Promise<{ blob: Blob; rowCount: number }> {
  const period = request.period;
  let rowCount = 0;
  if (request.kind === 'cashbook') {
    const rows = cashBookRows(await cashReports(store, period)).map((row) =>
      cashBookCells(row, options),
    );
    await sink.add(rows);
    rowCount = rows.length;
  } else {
    const [{ total, pages }, deviceCodes] = await Promise.all([
      journalPages(store, period),
      store.getDeviceCodes(),
    ]);
    const context = { deviceCodes };
    const totals = new VatTotals();
    let done = 0;
    request.onProgress?.(0, total);
    for await (const entries of pages) {
      if (request.kind === 'journal') {
        const rows = journalPageCells(entries, context, options);
        await sink.add(rows);
        rowCount += rows.length;
      } else {
        for (const entry of entries) for (const row of entryRows(entry, context)) totals.add(row);
      }
      done += entries.length;
      request.onProgress?.(Math.min(done, total), total);
    }
    if (request.kind === 'vat') {
      const rows = vatCells(totals.totals(), options);
      await sink.add(rows);
      rowCount = rows.length - 1;
    }
  }
  return { blob: await sink.finish(), rowCount };
}

export interface PrintableReport {
  figures: BookReport;
  /** An event's sales per hour (its summary), for the hour chart; none for a year. */
  days: DayFigures[];
  event: MarketEvent | undefined;
  profile: StallProfile | undefined;
}

/** The figures of the printable report of an event or a year, from this device's data. */
export async function loadPrintableReport(
  store: ExportStore & Pick<SalesStore, 'getSummary'>,
  period: Extract<ExportPeriod, { kind: 'event' } | { kind: 'year' }>,
): Promise<PrintableReport> {
  const [data, deviceCodes, profile, events] = await Promise.all([
    store.listForExport(selectionOf(period)),
    store.getDeviceCodes(),
    store.getProfile(),
    store.listEvents(),
  ]);
  const figures = bookReport(journalRows(journalEntries(data), { deviceCodes }));
  if (period.kind === 'year') return { figures, days: [], event: undefined, profile };
  const summary = summaryReport(await store.getSummary(period.eventId));
  return {
    figures,
    days: summary.perDay,
    event: events.find((e) => e.id === period.eventId),
    profile,
  };
}
