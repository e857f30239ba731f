/**
 * The maker's books export from the server (src/lib/exports/contract.ts): the sales journal
 * or VAT totals of the signed-in maker across all their devices. Sales and refunds are read a
 * page at a time (keyset on time and id, PAGE rows a query), merged in time order, and written
 * out as they come, so a year of sales never sits in memory as a whole (CSV). The `.xlsx` is
 * a zip written in one go by write-excel-file: its rows are held for the writing (bounded by
 * the period, at most a year).
 */
import { and, asc, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { refundLines, refunds, saleLines, sales, syncDevices } from '$lib/server/db/schema';
import { lineFromRow, refundFromRows, saleFromRow } from '$lib/server/sync/rows';
import {
  compareEntries,
  csvPiecesAsync,
  exportFileName,
  formatLanguage,
  JOURNAL_HEADERS,
  journalCells,
  journalRowsAsync,
  mapRowsAsync,
  periodRange,
  periodSlug,
  VAT_HEADERS,
  vatCells,
  vatTotalsAsync,
  type ExportFormat,
  type ExportKind,
  type ExportPeriod,
  type JournalEntry,
  type TableOptions,
} from '$lib/domain/exports';
import type { CsvCell } from '$lib/domain/organiser/csv';
import type { Id, Sale, SaleLine } from '$lib/domain/types';

/** Rows per query: small enough to bound memory, large enough to keep the round trips few. */
export const PAGE = 1000;

export interface BooksExportRequest {
  kind: Exclude<ExportKind, 'cashbook'>;
  format: ExportFormat;
  period: ExportPeriod;
  kor?: boolean;
}

type Cursor = { at: number; id: string } | null;

function scope(
  table: typeof sales | typeof refunds,
  makerId: Id,
  period: ExportPeriod,
  cursor: Cursor,
): SQL | undefined {
  const where: (SQL | undefined)[] = [eq(table.makerId, makerId)];
  if (period.kind === 'event') where.push(eq(table.eventId, period.eventId));
  else {
    const { from, to } = periodRange(period);
    where.push(gte(table.createdAt, from), lt(table.createdAt, to));
  }
  if (cursor) {
    where.push(
      or(
        gt(table.createdAt, cursor.at),
        and(eq(table.createdAt, cursor.at), gt(table.id, cursor.id)),
      ),
    );
  }
  return and(...where);
}

async function linesOf(db: Db, saleIds: readonly Id[]): Promise<Map<Id, SaleLine[]>> {
  const bySale = new Map<Id, SaleLine[]>();
  if (saleIds.length === 0) return bySale;
  const rows = await db
    .select()
    .from(saleLines)
    .where(inArray(saleLines.saleId, [...saleIds]));
  for (const row of rows) {
    const line = lineFromRow(row);
    const list = bySale.get(line.saleId);
    if (list) list.push(line);
    else bySale.set(line.saleId, [line]);
  }
  return bySale;
}

async function* saleEntries(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page: number,
): AsyncGenerator<JournalEntry> {
  let cursor: Cursor = null;
  for (;;) {
    const rows: (typeof sales.$inferSelect)[] = await db
      .select()
      .from(sales)
      .where(scope(sales, makerId, period, cursor))
      .orderBy(asc(sales.createdAt), asc(sales.id))
      .limit(page);
    if (rows.length === 0) return;
    const lines = await linesOf(
      db,
      rows.map((r) => r.id),
    );
    for (const row of rows) {
      yield { kind: 'sale', sale: saleFromRow(row), lines: lines.get(row.id) ?? [] };
    }
    const last = rows[rows.length - 1]!;
    cursor = { at: last.createdAt, id: last.id };
    if (rows.length < page) return;
  }
}

async function* refundEntries(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page: number,
): AsyncGenerator<JournalEntry> {
  let cursor: Cursor = null;
  for (;;) {
    const rows: (typeof refunds.$inferSelect)[] = await db
      .select()
      .from(refunds)
      .where(scope(refunds, makerId, period, cursor))
      .orderBy(asc(refunds.createdAt), asc(refunds.id))
      .limit(page);
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const saleIds: Id[] = [...new Set(rows.map((r) => r.saleId))];
    const [backLines, saleRows, lines] = await Promise.all([
      db.select().from(refundLines).where(inArray(refundLines.refundId, ids)),
      // The sales refunded, the maker's own only (a refund row is always its sale's maker's).
      db
        .select()
        .from(sales)
        .where(and(eq(sales.makerId, makerId), inArray(sales.id, saleIds))),
      linesOf(db, saleIds),
    ]);
    const salesById = new Map<Id, Sale>(saleRows.map((r) => [r.id, saleFromRow(r)]));
    for (const row of rows) {
      yield {
        kind: 'refund',
        refund: refundFromRows(
          row,
          backLines.filter((l) => l.refundId === row.id),
        ),
        sale: salesById.get(row.saleId),
        lines: lines.get(row.saleId) ?? [],
      };
    }
    const last = rows[rows.length - 1]!;
    cursor = { at: last.createdAt, id: last.id };
    if (rows.length < page) return;
  }
}

/** Two time-ordered streams as one, in time order (compareEntries). */
async function* merged(
  a: AsyncGenerator<JournalEntry>,
  b: AsyncGenerator<JournalEntry>,
): AsyncGenerator<JournalEntry> {
  let x = await a.next();
  let y = await b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && compareEntries(x.value, y.value) <= 0)) {
      yield x.value as JournalEntry;
      x = await a.next();
    } else {
      yield y.value;
      y = await b.next();
    }
  }
}

/** The maker's journal entries of a period, in time order, a page at a time. */
export function bookEntries(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page = PAGE,
): AsyncGenerator<JournalEntry> {
  return merged(saleEntries(db, makerId, period, page), refundEntries(db, makerId, period, page));
}

async function deviceCodes(db: Db, makerId: Id): Promise<Record<Id, string>> {
  const rows = await db
    .select({ id: syncDevices.id, code: syncDevices.code })
    .from(syncDevices)
    .where(eq(syncDevices.makerId, makerId));
  return Object.fromEntries(rows.flatMap((r) => (r.code ? [[r.id, r.code]] : [])));
}

export interface BooksExportFile {
  fileName: string;
  contentType: string;
  /** A stream (CSV) or the whole file (xlsx). */
  body: ReadableStream<Uint8Array> | Blob;
}

async function* cellRows(
  db: Db,
  makerId: Id,
  request: BooksExportRequest,
  options: TableOptions,
): AsyncGenerator<readonly CsvCell[]> {
  const codes = await deviceCodes(db, makerId);
  const rows = journalRowsAsync(bookEntries(db, makerId, request.period), { deviceCodes: codes });
  if (request.kind === 'journal') {
    yield* mapRowsAsync(rows, (row) => journalCells(row, options));
  } else {
    yield* vatCells(await vatTotalsAsync(rows), options);
  }
}

/** A stream of text pieces as UTF-8 bytes, pulled only as fast as the client reads. */
function byteStream(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Join a few pieces per chunk: one enqueue per row would be slow.
      let chunk = '';
      while (chunk.length < 16_384) {
        const next = await pieces.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

export async function booksExport(
  db: Db,
  makerId: Id,
  request: BooksExportRequest,
): Promise<BooksExportFile> {
  const language = formatLanguage(request.format, 'nl');
  const options: TableOptions = { language, kor: request.kor === true };
  const headers = request.kind === 'journal' ? JOURNAL_HEADERS[language] : VAT_HEADERS[language];
  const slug =
    request.period.kind === 'event'
      ? `evenement-${request.period.eventId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}`
      : periodSlug(request.period, { language });
  const fileName = exportFileName(request.kind, request.format, slug, language);
  const rows = cellRows(db, makerId, request, options);
  if (request.format === 'xlsx') {
    const held: (readonly CsvCell[])[] = [];
    for await (const row of rows) held.push(row);
    const { xlsxBlob, XLSX_TYPE } = await import('$lib/exports/xlsx');
    const blob = await xlsxBlob(headers, held, { sheet: fileName.replace(/^kraam-|\.xlsx$/g, '') });
    return { fileName, contentType: XLSX_TYPE, body: blob };
  }
  return {
    fileName,
    contentType: 'text/csv; charset=utf-8',
    body: byteStream(csvPiecesAsync(headers, rows, request.format)),
  };
}
