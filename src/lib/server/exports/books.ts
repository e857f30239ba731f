/**
 * The maker's books export from the server (src/lib/exports/contract.ts): the sales journal
 * or VAT totals of the signed-in maker across all their devices. Sales (with their lines,
 * one query a page, the page as one JSON text) and refunds are read a page at a time by
 * keyset on time and id, merged in time order a page at a time (domain/exports/merge.ts),
 * and written out as they come, as CSV or as a streamed `.xlsx` (src/lib/exports/xlsx.ts),
 * so a year of sales never sits in memory as a whole. Work is per page, never an await per
 * row: docs/benchmarks.md has the profiles that asked for it.
 */
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '$lib/server/db';
import { refundLines, refunds, saleLines, sales, syncDevices } from '$lib/server/db/schema';
import { lineFromRow, refundFromRows, saleFromRow } from '$lib/server/sync/rows';
import {
  CSV_OPTIONS,
  entryRows,
  EXPORT_COLUMNS,
  exportFileName,
  flatPages,
  formatLanguage,
  JOURNAL_HEADERS,
  journalPageCells,
  mergedPages,
  periodRange,
  periodSlug,
  VAT_HEADERS,
  vatCells,
  VatTotals,
  type ExportFormat,
  type ExportKind,
  type ExportPeriod,
  type JournalEntry,
  type JournalLine,
  type JournalSale,
  type TableOptions,
} from '$lib/domain/exports';
import { toCsv, type CsvCell } from '$lib/domain/organiser/csv';
import { serverGzip } from './gzip';
import type { Id, Sale, SaleLine, VatRate } from '$lib/domain/types';

/**
 * Sales per query (with their lines, about three each): few round trips for a year (ten for
 * 50,000 sales), yet a page in memory (its JSON text, about 2 MB, and its objects) stays a
 * few MB.
 */
export const PAGE = 5000;

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
  // A row comparison, so the (maker, created_at, id) index starts at the cursor instead of
  // reading every earlier row of the period again on each page.
  if (cursor) where.push(sql`(${table.createdAt}, ${table.id}) > (${cursor.at}, ${cursor.id})`);
  return and(...where);
}

/** The driver's bigint (a string from postgres.js, a number or bigint from PGlite) as a number. */
const num = (value: unknown): number => Number(value);
/** jsonb: postgres.js under Drizzle gives the text, PGlite the parsed value. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * A sale as the page query gives it: `[id, device_id, receipt_number, event_id, created_at,
 * payments, status, lines]`, each line `[id, position, product_id, name, unit_price_cents,
 * vat_rate, quantity, total_cents, vat_cents]` (only what the journal reads: JournalSale,
 * JournalLine). bigint columns come as JSON numbers (cents and epoch ms are far below 2^53).
 */
type SaleTuple = [
  string,
  string,
  number,
  string,
  number,
  Sale['payments'],
  Sale['status'],
  LineTuple[],
];
type LineTuple = [string, number, string, string, number, number, number, number, number];

function saleOf(t: SaleTuple): { sale: JournalSale; lines: JournalLine[] } {
  const id = t[0];
  return {
    sale: {
      id,
      deviceId: t[1],
      receiptNumber: num(t[2]),
      eventId: t[3],
      createdAt: num(t[4]),
      payments: json<Sale['payments']>(t[5]),
      status: t[6],
    },
    lines: t[7].map((l): JournalLine => ({
      id: l[0],
      saleId: id,
      position: num(l[1]),
      productId: l[2],
      name: l[3],
      unitPriceCents: num(l[4]),
      vatRate: num(l[5]) as VatRate,
      quantity: num(l[6]),
      totalCents: num(l[7]),
      vatCents: num(l[8]),
    })),
  };
}

/**
 * One page of the maker's sales in time order, with their lines, as ONE row of ONE text
 * field: the database builds the page as a JSON array (a sale an array, its lines an array of
 * arrays) and the server parses it with `JSON.parse`. The drivers' row parsing was most of
 * the export's time, on PGlite above all (its wire-protocol parser decodes and copies every
 * field of every row in JavaScript, and a join repeats the sale's columns on each of its line
 * rows): one field a page instead of 16 a line (docs/benchmarks.md, "Third round").
 */
async function salePage(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  cursor: Cursor,
  page: number,
): Promise<{ sale: JournalSale; lines: JournalLine[] }[]> {
  const rows = await queryRows<{ page: string | null }>(
    db,
    sql`select coalesce(json_agg(json_build_array(
          p.id, p.device_id, p.receipt_number, p.event_id, p.created_at, p.payments, p.status,
          coalesce((select json_agg(json_build_array(
                l.id, l.position, l.product_id, l.name, l.unit_price_cents, l.vat_rate,
                l.quantity, l.total_cents, l.vat_cents) order by l.position)
              from ${saleLines} as l where l.sale_id = p.id), '[]'::json)
        ) order by p.created_at, p.id), '[]'::json)::text as page
      from (select id, device_id, receipt_number, event_id, created_at, payments, status
            from ${sales} where ${scope(sales, makerId, period, cursor)}
            order by ${sales.createdAt}, ${sales.id} limit ${page}) as p`,
  );
  const text = rows[0]?.page ?? '[]';
  return (JSON.parse(text) as SaleTuple[]).map(saleOf);
}

async function* saleEntries(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page: number,
): AsyncGenerator<JournalEntry[]> {
  let cursor: Cursor = null;
  for (;;) {
    const got = await salePage(db, makerId, period, cursor, page);
    if (got.length === 0) return;
    yield got.map(({ sale, lines }): JournalEntry => ({ kind: 'sale', sale, lines }));
    const last = got[got.length - 1]!.sale;
    cursor = { at: last.createdAt, id: last.id };
    if (got.length < page) return;
  }
}

async function linesOf(db: Db, saleIds: readonly Id[]): Promise<Map<Id, SaleLine[]>> {
  const bySale = new Map<Id, SaleLine[]>();
  if (saleIds.length === 0) return bySale;
  const rows = await db
    .select()
    .from(saleLines)
    .where(inArray(saleLines.saleId, [...saleIds]))
    .orderBy(asc(saleLines.saleId), asc(saleLines.position));
  for (const row of rows) {
    const line = lineFromRow(row);
    const list = bySale.get(line.saleId);
    if (list) list.push(line);
    else bySale.set(line.saleId, [line]);
  }
  return bySale;
}

/** Refunds are few (about one in a hundred sales): Drizzle's typed reads are fast enough. */
async function* refundEntries(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page: number,
): AsyncGenerator<JournalEntry[]> {
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
    const backByRefund = new Map<Id, (typeof refundLines.$inferSelect)[]>();
    for (const line of backLines) {
      const list = backByRefund.get(line.refundId);
      if (list) list.push(line);
      else backByRefund.set(line.refundId, [line]);
    }
    yield rows.map((row): JournalEntry => ({
      kind: 'refund',
      refund: refundFromRows(row, backByRefund.get(row.id) ?? []),
      sale: salesById.get(row.saleId),
      lines: lines.get(row.saleId) ?? [],
    }));
    const last = rows[rows.length - 1]!;
    cursor = { at: last.createdAt, id: last.id };
    if (rows.length < page) return;
  }
}

/** The maker's journal entries of a period, in time order, a page (an array) at a time. */
export function bookPages(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page = PAGE,
): AsyncGenerator<JournalEntry[]> {
  return mergedPages(
    saleEntries(db, makerId, period, page),
    refundEntries(db, makerId, period, page),
  );
}

/** The same, one entry at a time. */
export function bookEntries(
  db: Db,
  makerId: Id,
  period: ExportPeriod,
  page = PAGE,
): AsyncGenerator<JournalEntry> {
  return flatPages(bookPages(db, makerId, period, page));
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
  /** The file as a stream, made as it is read (CSV and xlsx alike). */
  body: ReadableStream<Uint8Array>;
}

/** The export's cells, a page of rows at a time. */
async function* cellPages(
  db: Db,
  makerId: Id,
  request: BooksExportRequest,
  options: TableOptions,
): AsyncGenerator<CsvCell[][]> {
  const context = { deviceCodes: await deviceCodes(db, makerId) };
  const pages = bookPages(db, makerId, request.period);
  if (request.kind === 'journal') {
    for await (const entries of pages) yield journalPageCells(entries, context, options);
  } else {
    const totals = new VatTotals();
    for await (const entries of pages) {
      for (const entry of entries) for (const row of entryRows(entry, context)) totals.add(row);
    }
    yield vatCells(totals.totals(), options);
  }
}

/** Text made a page at a time, as UTF-8 bytes, pulled only as fast as the client reads. */
function byteStream(pieces: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else if (next.value) controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

async function* csvText(
  headers: readonly string[],
  pages: AsyncIterable<readonly (readonly CsvCell[])[]>,
  format: Exclude<ExportFormat, 'xlsx'>,
): AsyncGenerator<string> {
  const options = CSV_OPTIONS[format];
  yield toCsv([headers], options);
  const body = { ...options, bom: false };
  for await (const rows of pages) yield toCsv(rows, body);
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
  const pages = cellPages(db, makerId, request, options);
  if (request.format === 'xlsx') {
    const { xlsxStream, XLSX_TYPE } = await import('$lib/exports/xlsx');
    const body = xlsxStream(headers, pages, {
      sheet: fileName.replace(/^kraam-|\.xlsx$/g, ''),
      columns: EXPORT_COLUMNS[request.kind],
      gzip: serverGzip,
    });
    return { fileName, contentType: XLSX_TYPE, body };
  }
  return {
    fileName,
    contentType: 'text/csv; charset=utf-8',
    body: byteStream(csvText(headers, pages, request.format)),
  };
}
