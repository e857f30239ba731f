/**
 * The exports as tables (headers and typed cells), in Dutch or English, and their CSV text.
 * Two CSV variants: 'csv-nl' for Dutch Excel (';', decimal comma, UTF-8 BOM, CRLF, Dutch
 * headers) and 'csv-intl' (',', decimal point, no BOM, CRLF, English headers). The CSV rules,
 * quoting and formula-injection safety are the organiser CSV's (../organiser/csv.ts `toCsv`);
 * the `.xlsx` is written from the same tables (src/lib/exports/xlsx.ts).
 *
 * Writers yield the file a piece at a time (the header, then one record per row), so the
 * server streams it with bounded memory and the device can join the pieces into one Blob.
 */
import { money, toCsv, type CsvCell, type CsvOptions } from '../organiser/csv';
import {
  entryRows,
  type JournalContext,
  type JournalEntry,
  type JournalRow,
  type VatTotal,
} from './journal';
import type { CashBookRow, CashBookRowKind } from '../cashbook-export';
import type { VatRate } from '../types';

export type ExportKind = 'journal' | 'vat' | 'cashbook';
export const EXPORT_KINDS: readonly ExportKind[] = ['journal', 'vat', 'cashbook'];
export type ExportFormat = 'csv-nl' | 'csv-intl' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv-nl', 'csv-intl', 'xlsx'];
export type TableLanguage = 'nl' | 'en';

/** The headers' language of a format: Dutch for the Dutch CSV, English for the others. */
export function formatLanguage(
  format: ExportFormat,
  preferred: TableLanguage = 'nl',
): TableLanguage {
  if (format === 'csv-nl') return 'nl';
  if (format === 'csv-intl') return 'en';
  return preferred;
}

export const CSV_OPTIONS: Readonly<Record<Exclude<ExportFormat, 'xlsx'>, CsvOptions>> = {
  'csv-nl': { bom: true, decimal: 'comma', delimiter: ';' },
  'csv-intl': { bom: false, decimal: 'dot', delimiter: ',' },
};

export interface TableOptions {
  language: TableLanguage;
  /** The maker uses the small-business scheme: 0% is "btw-vrijgesteld (KOR)". */
  kor?: boolean;
  timeZone?: string;
}

export const JOURNAL_HEADERS: Readonly<Record<TableLanguage, readonly string[]>> = {
  nl: [
    'datum',
    'tijd',
    'bonnummer',
    'soort',
    'product',
    'aantal',
    'prijs',
    'bedrag_incl_btw',
    'btw_tarief',
    'btw',
    'bedrag_excl_btw',
    'betaalwijze',
    'reden',
  ],
  en: [
    'date',
    'time',
    'receipt_number',
    'type',
    'product',
    'quantity',
    'unit_price',
    'amount_incl_vat',
    'vat_rate',
    'vat',
    'amount_excl_vat',
    'payment_method',
    'reason',
  ],
};

export const VAT_HEADERS: Readonly<Record<TableLanguage, readonly string[]>> = {
  nl: [
    'btw_tarief',
    'rubriek',
    'verkopen_incl_btw',
    'terugbetalingen_incl_btw',
    'omzet_incl_btw',
    'omzet_excl_btw',
    'btw',
  ],
  en: [
    'vat_rate',
    'return_box',
    'sales_incl_vat',
    'refunds_incl_vat',
    'turnover_incl_vat',
    'turnover_excl_vat',
    'vat',
  ],
};

export const CASHBOOK_HEADERS: Readonly<Record<TableLanguage, readonly string[]>> = {
  nl: ['datum', 'dagrapport', 'soort', 'omschrijving', 'bedrag', 'saldo'],
  en: ['date', 'day_report', 'type', 'description', 'amount', 'balance'],
};

/** What a column holds, for a spreadsheet: dates and times become typed cells in the `.xlsx`. */
export interface ExportColumn {
  kind?: 'text' | 'date' | 'time';
  width?: number;
}

export const EXPORT_COLUMNS: Readonly<Record<ExportKind, readonly ExportColumn[]>> = {
  journal: [{ kind: 'date' }, { kind: 'time' }, {}, {}, { width: 28 }],
  vat: [{ width: 24 }],
  cashbook: [{ kind: 'date' }, {}, { width: 26 }, { width: 32 }],
};

const CASHBOOK_WORDS: Record<TableLanguage, Record<CashBookRowKind, string>> = {
  nl: {
    'opening-float': 'beginsaldo (wisselgeld)',
    'cash-sales': 'contante verkopen',
    'cash-refunds': 'contante terugbetalingen',
    expense: 'uitgave',
    'bank-deposit': 'naar de bank',
    'bank-withdrawal': 'van de bank',
    'private-withdrawal': 'privéopname',
    'private-deposit': 'privéstorting',
    difference: 'kasverschil',
    'closing-count': 'eindsaldo (geteld)',
  },
  en: {
    'opening-float': 'opening float',
    'cash-sales': 'cash sales',
    'cash-refunds': 'cash refunds',
    expense: 'expense',
    'bank-deposit': 'deposit to bank',
    'bank-withdrawal': 'withdrawal from bank',
    'private-withdrawal': 'private withdrawal',
    'private-deposit': 'private deposit',
    difference: 'cash difference',
    'closing-count': 'closing balance (counted)',
  },
};

/** A cash book row (src/lib/domain/cashbook-export.ts) as cells. */
export function cashBookCells(row: CashBookRow, options: TableOptions): CsvCell[] {
  return [
    row.date,
    row.reportNumber,
    CASHBOOK_WORDS[options.language][row.kind],
    row.description,
    money(row.amountCents),
    money(row.balanceCents),
  ];
}

const KIND_WORDS: Record<TableLanguage, Record<JournalRow['kind'], string>> = {
  nl: { sale: 'verkoop', refund: 'terugbetaling' },
  en: { sale: 'sale', refund: 'refund' },
};

const METHOD_WORDS: Record<TableLanguage, Record<string, string>> = {
  nl: { cash: 'contant', qr: 'qr' },
  en: { cash: 'cash', qr: 'qr' },
};

const EXEMPT: Record<TableLanguage, string> = {
  nl: 'btw-vrijgesteld (KOR)',
  en: 'VAT exempt (KOR)',
};

const TOTAL: Record<TableLanguage, string> = { nl: 'totaal', en: 'total' };

/** The Dutch VAT return's box for a rate (1a 21%, 1b 9%, 1e 0%); none under the KOR. */
const RETURN_BOX: Record<VatRate, string> = { 21: '1a', 9: '1b', 0: '1e' };

export function vatRateText(rate: VatRate, options: TableOptions): string {
  return rate === 0 && options.kor ? EXEMPT[options.language] : `${rate}%`;
}

/** Per language, a method ('cash+qr') in words: few distinct values, asked once a row. */
const methodWords = new Map<string, string>();

function methodText(method: string, language: TableLanguage): string {
  const key = `${language} ${method}`;
  let text = methodWords.get(key);
  if (text === undefined) {
    text = method
      .split('+')
      .map((m) => METHOD_WORDS[language][m] ?? m)
      .join('+');
    if (methodWords.size >= 1000) methodWords.clear();
    methodWords.set(key, text);
  }
  return text;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * Per zone, per quarter hour (UTC): the zone's offset from UTC in ms. Every zone changes its
 * offset on a quarter hour of UTC (St John's at 04:30 or 05:30, Chatham at 14:00).
 */
const offsets = new Map<string, Map<number, number>>();
/**
 * Per zone, per UTC day: the zone's offset when it is the same at the day's start and at its
 * end (no clock change that day: 363 days of a year), so Intl is asked twice a day, not 96
 * times. A day with a change falls back to its quarter hours.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();
const DAY = 86_400_000;

function offsetAt(epochMs: number, timeZone: string): number {
  let byDay = dayOffsets.get(timeZone);
  if (!byDay) {
    byDay = new Map();
    dayOffsets.set(timeZone, byDay);
  }
  const day = Math.floor(epochMs / DAY);
  let whole = byDay.get(day);
  if (whole === undefined) {
    const start = quarterOffset(day * DAY, timeZone);
    whole = start === quarterOffset(day * DAY + DAY - 900_000, timeZone) ? start : null;
    if (byDay.size > 100_000) byDay.clear();
    byDay.set(day, whole);
  }
  return whole ?? quarterOffset(epochMs, timeZone);
}

function quarterOffset(epochMs: number, timeZone: string): number {
  const hour = Math.floor(epochMs / 900_000);
  let byHour = offsets.get(timeZone);
  if (!byHour) {
    byHour = new Map();
    offsets.set(timeZone, byHour);
  }
  const known = byHour.get(hour);
  if (known !== undefined) return known;
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    offsetFormats.set(timeZone, format);
  }
  const at = hour * 900_000;
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
  );
  const offset = wall - at;
  if (byHour.size > 100_000) byHour.clear();
  byHour.set(hour, offset);
  return offset;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Epoch ms to local 'YYYY-MM-DD' and 'HH:MM'. Intl is asked once per zone and quarter hour (its
 * offset then), the rest is arithmetic: a year of rows formats in milliseconds, not seconds.
 */
export function localDateAndTime(epochMs: number, timeZone = 'Europe/Amsterdam'): [string, string] {
  const localMs = epochMs + offsetAt(epochMs, timeZone);
  // The last local day's date text (a year's rows come in time order: one Date per day).
  const day = Math.floor(localMs / DAY);
  if (day !== lastDay.day || !(Math.abs(localMs) <= MAX_DATE_MS)) {
    const local = new Date(localMs);
    lastDay = {
      day,
      text: `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`,
    };
    if (!(Math.abs(localMs) <= MAX_DATE_MS)) {
      return [lastDay.text, `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`];
    }
  }
  const ofDay = localMs - day * DAY;
  return [
    lastDay.text,
    `${two(Math.floor(ofDay / 3_600_000))}:${two(Math.floor((ofDay % 3_600_000) / 60_000))}`,
  ];
}

/** The largest time a Date holds (ECMA-262: 8.64e15 ms either side of 1970). */
const MAX_DATE_MS = 8.64e15;
let lastDay = { day: NaN, text: '' };

export function journalCells(row: JournalRow, options: TableOptions): CsvCell[] {
  const [date, time] = localDateAndTime(row.at, options.timeZone);
  return [
    date,
    time,
    row.receipt,
    KIND_WORDS[options.language][row.kind],
    row.product,
    row.quantity,
    money(row.unitPriceCents),
    money(row.amountCents),
    vatRateText(row.vatRate, options),
    money(row.vatCents),
    money(row.amountCents - row.vatCents),
    methodText(row.method, options.language),
    row.reason,
  ];
}

/** A page of journal entries as the journal's cells (no await per row: the exports' hot loop). */
export function journalPageCells(
  entries: readonly JournalEntry[],
  context: JournalContext,
  options: TableOptions,
): CsvCell[][] {
  const out: CsvCell[][] = [];
  for (const entry of entries) {
    for (const row of entryRows(entry, context)) out.push(journalCells(row, options));
  }
  return out;
}

/** The VAT table's rows, with a total row at the end. */
export function vatCells(totals: readonly VatTotal[], options: TableOptions): CsvCell[][] {
  const rows: CsvCell[][] = totals.map((t) => [
    vatRateText(t.vatRate, options),
    t.vatRate === 0 && options.kor ? '' : RETURN_BOX[t.vatRate],
    money(t.salesCents),
    money(t.refundsCents),
    money(t.grossCents),
    money(t.netCents),
    money(t.vatCents),
  ]);
  const sum = (pick: (t: VatTotal) => number) => totals.reduce((s, t) => s + pick(t), 0);
  rows.push([
    TOTAL[options.language],
    '',
    money(sum((t) => t.salesCents)),
    money(sum((t) => t.refundsCents)),
    money(sum((t) => t.grossCents)),
    money(sum((t) => t.netCents)),
    money(sum((t) => t.vatCents)),
  ]);
  return rows;
}

/** A CSV file a piece at a time: the BOM (Dutch) and header first, then one record per row. */
export function* csvPieces(
  headers: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  format: Exclude<ExportFormat, 'xlsx'>,
): Generator<string> {
  const options = CSV_OPTIONS[format];
  yield toCsv([headers], options);
  const body = { ...options, bom: false };
  for (const row of rows) yield toCsv([row], body);
}

/** The same over rows that arrive asynchronously (the server's stream). */
export async function* csvPiecesAsync(
  headers: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
  format: Exclude<ExportFormat, 'xlsx'>,
): AsyncGenerator<string> {
  const options = CSV_OPTIONS[format];
  yield toCsv([headers], options);
  const body = { ...options, bom: false };
  for await (const row of rows) yield toCsv([row], body);
}

export function* mapRows<T, U>(rows: Iterable<T>, map: (row: T) => U): Generator<U> {
  for (const row of rows) yield map(row);
}

export async function* mapRowsAsync<T, U>(
  rows: AsyncIterable<T>,
  map: (row: T) => U,
): AsyncGenerator<U> {
  for await (const row of rows) yield map(row);
}

const FILE_KIND: Record<TableLanguage, Record<ExportKind, string>> = {
  nl: { journal: 'verkoopjournaal', vat: 'btw-totalen', cashbook: 'kasboek' },
  en: { journal: 'sales-journal', vat: 'vat-totals', cashbook: 'cash-book' },
};

/** 'kraam-verkoopjournaal-2026-K4.csv' and the like (ASCII only: safe in any header). */
export function exportFileName(
  kind: ExportKind,
  format: ExportFormat,
  periodSlug: string,
  language: TableLanguage = 'nl',
): string {
  const extension = format === 'xlsx' ? 'xlsx' : 'csv';
  const slug = periodSlug.replace(/[^A-Za-z0-9-]/g, '');
  return `kraam-${FILE_KIND[language][kind]}-${slug}.${extension}`;
}
