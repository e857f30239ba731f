/**
 * Exports the maker's books from this device, offline: the sales journal, the VAT totals per
 * rate or the cash book (its closed day reports: src/lib/domain/cashbook-export.ts), for an event, a month, a quarter or a year, as Dutch
 * CSV, international CSV or `.xlsx` (src/lib/domain/exports). The `.xlsx` writer is loaded
 * only here, when asked for (src/lib/exports/xlsx.ts).
 */
import type {
  CashBookStore,
  CatalogueStore,
  DeviceCore,
  ExportSelection,
  SalesStore,
  SyncStore,
} from '$lib/db/device-store';
import { cashBookRows, type DatedReport } from '$lib/domain/cashbook-export';
import {
  bookReport,
  CASHBOOK_HEADERS,
  cashBookCells,
  csvPieces,
  EXPORT_COLUMNS,
  EXPORT_TIME_ZONE,
  exportFileName,
  formatLanguage,
  JOURNAL_HEADERS,
  journalCells,
  journalEntries,
  journalRows,
  localDateAndTime,
  mapRows,
  periodRange,
  periodSlug,
  VAT_HEADERS,
  vatCells,
  vatTotals,
  type BookReport,
  type ExportFormat,
  type ExportKind,
  type ExportPeriod,
  type TableLanguage,
  type TableOptions,
} from '$lib/domain/exports';
import type { CsvCell } from '$lib/domain/organiser/csv';
import { summaryReport, type DayFigures } from '$lib/domain/summary';
import type { MarketEvent, StallProfile } from '$lib/domain/types';

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  period: ExportPeriod;
  /** The headers' language for the `.xlsx` (the CSVs have their own: nl and en). */
  language?: TableLanguage;
}

export interface ExportFile {
  fileName: string;
  blob: Blob;
  /** Data rows written (headers and the total row not counted). */
  rowCount: number;
}

export type ExportStore = Pick<SalesStore, 'listForExport'> &
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

export async function exportBooks(store: ExportStore, request: ExportRequest): Promise<ExportFile> {
  const language = formatLanguage(request.format, request.language);
  const profile = await store.getProfile();
  const options: TableOptions = { language, kor: profile?.kor === true };
  const journal = async () => {
    const [data, deviceCodes] = await Promise.all([
      store.listForExport(selectionOf(request.period)),
      store.getDeviceCodes(),
    ]);
    return [...journalRows(journalEntries(data), { deviceCodes })];
  };
  let headers: readonly string[];
  let cells: CsvCell[][];
  switch (request.kind) {
    case 'journal':
      headers = JOURNAL_HEADERS[language];
      cells = (await journal()).map((row) => journalCells(row, options));
      break;
    case 'vat':
      headers = VAT_HEADERS[language];
      cells = vatCells(vatTotals(await journal()), options);
      break;
    case 'cashbook':
      headers = CASHBOOK_HEADERS[language];
      cells = cashBookRows(await cashReports(store, request.period)).map((row) =>
        cashBookCells(row, options),
      );
      break;
  }
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
  const rowCount = request.kind === 'vat' ? cells.length - 1 : cells.length;
  if (request.format === 'xlsx') {
    const { xlsxBlob } = await import('$lib/exports/xlsx');
    const sheet = fileName.replace(/^kraam-|\.xlsx$/g, '');
    const columns = EXPORT_COLUMNS[request.kind];
    return { fileName, blob: xlsxBlob(headers, cells, { sheet, columns }), rowCount };
  }
  const pieces = [
    ...csvPieces(
      headers,
      mapRows(cells, (c) => c),
      request.format,
    ),
  ];
  return { fileName, blob: new Blob(pieces, { type: 'text/csv;charset=utf-8' }), rowCount };
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
