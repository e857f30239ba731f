/**
 * CSV exports an accountant (and Excel) accepts.
 *
 * Format: RFC 4180. Records end in CRLF (the last one too); a field is quoted when it holds
 * the delimiter, a double quote, CR or LF, and a quote inside is doubled. Options:
 * - `bom`: a leading U+FEFF so Excel reads the file as UTF-8 (Arabic names stay readable).
 * - `decimal`: amounts as '12.50' (default, what bookkeeping software imports) or '12,50'
 *   for Dutch Excel; with a comma the delimiter defaults to ';', as Dutch Excel expects.
 * - `protectFormulas` (default on): a text cell starting with = + - @ tab or CR (or their
 *   full-width forms) gets a leading apostrophe, so a product called "=HYPERLINK(...)" is
 *   shown as text, never run as a formula (OWASP "CSV injection"). Amounts and counts are
 *   typed cells and never get one, so "-12.50" stays a number.
 * Money is integer cents until it is written, then exact decimal text: no float ever.
 */
import type { Cents } from '../types';
import { centsToDecimalString } from '../money';
import { divideHalfUp } from '../summary';
import type { FeeStatus } from './assignments';

export type Decimal = 'dot' | 'comma';
export type Delimiter = ',' | ';';

/** An amount in cents, written as decimal euros. */
export interface MoneyCell {
  cents: Cents;
}

export type CsvCell = string | number | null | MoneyCell;

export function money(cents: Cents): MoneyCell {
  return { cents };
}

export interface CsvOptions {
  bom?: boolean;
  decimal?: Decimal;
  delimiter?: Delimiter;
  protectFormulas?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** The text with a leading apostrophe when a spreadsheet would take it for a formula. */
export function protectFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Cents as decimal euros: '-12.05', or '-12,05' with a decimal comma. */
export function formatAmount(cents: Cents, decimal: Decimal = 'dot'): string {
  const text = centsToDecimalString(cents);
  return decimal === 'comma' ? text.replace('.', ',') : text;
}

function delimiterOf(options: CsvOptions): Delimiter {
  return options.delimiter ?? (options.decimal === 'comma' ? ';' : ',');
}

function cellText(cell: CsvCell, options: CsvOptions): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell)) {
      throw new RangeError(`CSV numbers are whole counts; use money() for amounts: ${cell}`);
    }
    return String(cell);
  }
  if (typeof cell === 'object') return formatAmount(cell.cents, options.decimal);
  return options.protectFormulas === false ? cell : protectFormula(cell);
}

const NEEDS_QUOTES = /["\r\n]/;

function quote(text: string, delimiter: Delimiter): string {
  return text.includes(delimiter) || NEEDS_QUOTES.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/** Rows to CSV text (see the module comment). A row should have at least one cell. */
export function toCsv(rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  const delimiter = delimiterOf(options);
  // Plain concatenation (no array per row): the exports write 150,000 rows a year through here.
  let out = options.bom ? '\ufeff' : '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += delimiter;
      out += quote(cellText(row[i] as CsvCell, options), delimiter);
    }
    out += '\r\n';
  }
  return out;
}

/**
 * CSV text back to rows of strings (RFC 4180; CRLF or LF; a leading BOM is skipped; a final
 * line ending does not start another row). Throws RangeError on a stray or unclosed quote.
 */
export function parseCsv(text: string, options: { delimiter?: Delimiter } = {}): string[][] {
  const delimiter = options.delimiter ?? ',';
  const input = text.startsWith('\ufeff') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < input.length) {
    const ch = input[i] as string;
    if (ch === '"' && !fieldStarted && field === '') {
      // A quoted field: runs to the closing quote; "" inside is one quote.
      let j = i + 1;
      for (;;) {
        if (j >= input.length) throw new RangeError('CSV: unclosed quote');
        if (input[j] === '"') {
          if (input[j + 1] === '"') {
            field += '"';
            j += 2;
            continue;
          }
          break;
        }
        field += input[j];
        j++;
      }
      i = j + 1;
      fieldStarted = true;
      const next = input[i];
      if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n') {
        throw new RangeError('CSV: text after a closing quote');
      }
      continue;
    }
    if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === '\r' && input[i + 1] === '\n') {
      endRow();
      i += 2;
    } else if (ch === '\n') {
      endRow();
      i++;
    } else if (ch === '"') {
      throw new RangeError('CSV: quote inside an unquoted field');
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (fieldStarted || field !== '' || row.length > 0) endRow();
  return rows;
}

// ---------------------------------------------------------------------------------------
// The organiser's event dashboard

export type HeaderLanguage = 'nl' | 'en';

export interface EventDashboardRow {
  makerName: string;
  stallLabels: string[];
  shares: boolean;
  /** null where the maker does not share (the cell stays empty). */
  salesCount: number | null;
  itemCount: number | null;
  revenueCents: Cents | null;
  averageSaleCents: Cents | null;
  feeDueCents: Cents;
  feePaidCents: Cents;
  feeStatus: FeeStatus;
}

/**
 * Columns, one row per maker:
 *   maker | stalls (labels joined by ' ') | shares figures (yes/no) | sales | items |
 *   revenue | average sale | stall fee due | fee paid | fee outstanding | fee status
 * Figures of makers who do not share are empty cells, never zeros. Outstanding is what is
 * still owed (never negative; an overpayment shows in the status). The fee is
 * "standplaatsgeld" in Dutch, as on the screens. A last row adds up what the rows show:
 * "total" | '' | how many share | the sharing makers' sales, items, revenue and average (empty
 * when none shares) | all fees due, paid and outstanding | ''.
 */
export const EVENT_DASHBOARD_HEADERS: Readonly<Record<HeaderLanguage, readonly string[]>> = {
  en: [
    'maker',
    'stalls',
    'shares_figures',
    'sales',
    'items',
    'revenue',
    'average_sale',
    'stall_fee_due',
    'stall_fee_paid',
    'stall_fee_outstanding',
    'stall_fee_status',
  ],
  nl: [
    'maker',
    'kramen',
    'deelt_cijfers',
    'verkopen',
    'artikelen',
    'omzet',
    'gemiddelde_verkoop',
    'standplaatsgeld',
    'standplaatsgeld_betaald',
    'standplaatsgeld_open',
    'status_standplaatsgeld',
  ],
};

const TOTAL_WORD: Record<HeaderLanguage, string> = { en: 'total', nl: 'totaal' };

const YES_NO: Record<HeaderLanguage, [string, string]> = { en: ['yes', 'no'], nl: ['ja', 'nee'] };

const FEE_STATUS_WORDS: Record<HeaderLanguage, Record<FeeStatus, string>> = {
  en: {
    'nothing-due': 'nothing due',
    unpaid: 'unpaid',
    'part-paid': 'part paid',
    paid: 'paid',
    overpaid: 'overpaid',
  },
  nl: {
    'nothing-due': 'niets verschuldigd',
    unpaid: 'onbetaald',
    'part-paid': 'deels betaald',
    paid: 'betaald',
    overpaid: 'te veel betaald',
  },
};

const orNull = (cents: Cents | null): MoneyCell | null => (cents === null ? null : money(cents));

export function eventDashboardCsv(
  rows: readonly EventDashboardRow[],
  options: CsvOptions & { language?: HeaderLanguage } = {},
): string {
  const language = options.language ?? 'nl';
  const [yes, no] = YES_NO[language];
  const body: CsvCell[][] = rows.map((row) => [
    row.makerName,
    row.stallLabels.join(' '),
    row.shares ? yes : no,
    row.shares ? row.salesCount : null,
    row.shares ? row.itemCount : null,
    row.shares ? orNull(row.revenueCents) : null,
    row.shares ? orNull(row.averageSaleCents) : null,
    money(row.feeDueCents),
    money(row.feePaidCents),
    money(Math.max(0, row.feeDueCents - row.feePaidCents)),
    FEE_STATUS_WORDS[language][row.feeStatus],
  ]);
  const sharing = rows.filter((row) => row.shares);
  const sum = (values: readonly (number | null)[]) =>
    values.reduce<number>((total, value) => total + (value ?? 0), 0);
  const salesCount = sum(sharing.map((r) => r.salesCount));
  const revenueCents = sum(sharing.map((r) => r.revenueCents));
  const shown = sharing.length > 0;
  const totals: CsvCell[] = [
    TOTAL_WORD[language],
    '',
    sharing.length,
    shown ? salesCount : null,
    shown ? sum(sharing.map((r) => r.itemCount)) : null,
    shown ? money(revenueCents) : null,
    shown ? money(salesCount > 0 ? divideHalfUp(revenueCents, salesCount) : 0) : null,
    money(sum(rows.map((r) => r.feeDueCents))),
    money(sum(rows.map((r) => r.feePaidCents))),
    money(sum(rows.map((r) => Math.max(0, r.feeDueCents - r.feePaidCents)))),
    '',
  ];
  return toCsv([[...EVENT_DASHBOARD_HEADERS[language]], ...body, totals], options);
}

// ---------------------------------------------------------------------------------------
// Local time (the organiser's dates; a maker's exports are src/lib/domain/exports)

/** Epoch ms to local 'YYYY-MM-DD' and 'HH:MM' in a time zone (Intl knows its DST rules). */
export function localDateTime(
  timeZone: string,
): (epochMs: number) => { date: string; time: string } {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (epochMs) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(epochMs)) parts[part.type] = part.value;
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      time: `${parts.hour}:${parts.minute}`,
    };
  };
}
