/**
 * Exports the maker's books from this device, offline: the sales journal, the VAT totals per
 * rate or (once merged) the cash book, for an event, a month, a quarter or a year, as Dutch
 * CSV, international CSV or `.xlsx` (src/lib/domain/exports). The `.xlsx` writer is loaded
 * only here, when asked for (src/lib/exports/xlsx.ts).
 */
import type {
  CatalogueStore,
  DeviceCore,
  ExportSelection,
  SalesStore,
  SyncStore,
} from '$lib/db/device-store';
import {
  csvPieces,
  exportFileName,
  formatLanguage,
  JOURNAL_HEADERS,
  journalCells,
  journalEntries,
  journalRows,
  mapRows,
  periodRange,
  periodSlug,
  VAT_HEADERS,
  vatCells,
  vatTotals,
  type ExportFormat,
  type ExportKind,
  type ExportPeriod,
  type TableLanguage,
  type TableOptions,
} from '$lib/domain/exports';
import type { CsvCell } from '$lib/domain/organiser/csv';

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
  Pick<CatalogueStore, 'listEvents'>;

export class ExportNotAvailableError extends Error {
  constructor(readonly kind: ExportKind) {
    super(`the ${kind} export is not available yet`);
    this.name = 'ExportNotAvailableError';
  }
}

/** The store's selection for a period. */
export function selectionOf(period: ExportPeriod): ExportSelection {
  return period.kind === 'event' ? { eventId: period.eventId } : periodRange(period);
}

export async function exportBooks(store: ExportStore, request: ExportRequest): Promise<ExportFile> {
  const language = formatLanguage(request.format, request.language);
  const [data, deviceCodes, profile] = await Promise.all([
    store.listForExport(selectionOf(request.period)),
    store.getDeviceCodes(),
    store.getProfile(),
  ]);
  const options: TableOptions = { language, kor: profile?.kor === true };
  const rows = [...journalRows(journalEntries(data), { deviceCodes })];
  let headers: readonly string[];
  let cells: CsvCell[][];
  switch (request.kind) {
    case 'journal':
      headers = JOURNAL_HEADERS[language];
      cells = rows.map((row) => journalCells(row, options));
      break;
    case 'vat':
      headers = VAT_HEADERS[language];
      cells = vatCells(vatTotals(rows), options);
      break;
    case 'cashbook':
      // Extension point: the cash book export joins here (domain/cashbook-export.ts).
      throw new ExportNotAvailableError('cashbook');
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
    return { fileName, blob: await xlsxBlob(headers, cells, { sheet }), rowCount };
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
