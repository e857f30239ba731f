/**
 * The `.xlsx` variant of an export: our own minimal SpreadsheetML writer, streamed. The sheet's
 * XML is made a row at a time and deflated as it goes (fflate's streaming `Zip` and
 * `ZipDeflate`), so memory holds one batch of rows and the compressed output, never the
 * whole sheet: the server streams the chunks to the response, the device joins them in a Blob.
 * This module is only ever loaded with a dynamic import() when a maker asks for an `.xlsx`,
 * so it stays out of the till's first load.
 *
 * What it writes (ECMA-376 part 1, SpreadsheetML, the least a spreadsheet needs): one sheet, a
 * bold and frozen header row, column widths, optionally right to left. Cells are typed: text
 * is an inline string (no shared-strings table to hold; never a formula, so no injection is
 * possible), counts are numbers, amounts are numbers in euros shown with two decimals, a
 * 'YYYY-MM-DD' in a date column is a date serial with a date style, an 'HH:MM' in a time
 * column a fraction of a day with a time style. Characters XML 1.0 cannot carry (NUL and
 * other controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD: the file always opens.
 */
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { CsvCell } from '$lib/domain/organiser/csv';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A spreadsheet's limits (Excel's): rows per sheet, characters per cell, sheet name length. */
export const MAX_XLSX_ROWS = 1_048_576;
const MAX_CELL_TEXT = 32_767;
const MAX_SHEET_NAME = 31;

export type XlsxColumnKind = 'text' | 'date' | 'time';

export interface XlsxColumn {
  kind?: XlsxColumnKind;
  /** Width in characters; by default from the header. */
  width?: number;
}

export interface XlsxOptions {
  sheet: string;
  rightToLeft?: boolean;
  /** Per column, by position; columns not given are text-or-number as their cells say. */
  columns?: readonly XlsxColumn[];
}

// Style indexes in styles.xml's cellXfs.
const STYLE_BOLD = 1;
const STYLE_MONEY = 2;
const STYLE_DATE = 3;
const STYLE_TIME = 4;

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CONTENT_TYPES =
  HEAD +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  '</Types>';

const ROOT_RELS =
  HEAD +
  `<Relationships xmlns="${PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
  '</Relationships>';

const WORKBOOK_RELS =
  HEAD +
  `<Relationships xmlns="${PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/>` +
  '</Relationships>';

const xf = (numFmtId: number, fontId: number, extra = '') =>
  `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"${extra}/>`;

const STYLES =
  HEAD +
  `<styleSheet xmlns="${MAIN}">` +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>' +
  '<numFmt numFmtId="165" formatCode="hh:mm"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill>' +
  '<fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5">' +
  xf(0, 0) +
  xf(0, 1, ' applyFont="1"') +
  xf(2, 0, ' applyNumberFormat="1"') +
  xf(164, 0, ' applyNumberFormat="1"') +
  xf(165, 0, ' applyNumberFormat="1"') +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

// XML 1.0 allows tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD and whole surrogate pairs.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot carry
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPED = /[&<>"\r]/g;
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
};

/** Text as XML character data or an attribute value (double quotes). */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(ESCAPED, (c) => ENTITY[c]!);
}

/** A sheet name a spreadsheet accepts: no []:*?/\, not quoted, 1..31 characters. */
export function sheetName(name: string): string {
  const cleaned = name
    .replace(NOT_XML, '')
    .replace(/[[\]:*?/\\]/g, '')
    .replace(/^'+|'+$/g, '')
    .slice(0, MAX_SHEET_NAME)
    .trim();
  return cleaned || 'Sheet1';
}

/** 'A', 'B', ... 'Z', 'AA', ... for a 0-based column. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

function textCell(ref: string, text: string, style = 0): string {
  const value = xmlText(text.length > MAX_CELL_TEXT ? text.slice(0, MAX_CELL_TEXT) : text);
  const space = /^\s|\s$/.test(value) ? ' xml:space="preserve"' : '';
  const s = style ? ` s="${style}"` : '';
  return `<c r="${ref}"${s} t="inlineStr"><is><t${space}>${value}</t></is></c>`;
}

function cellXml(ref: string, cell: CsvCell, kind: XlsxColumnKind | undefined): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new RangeError(`xlsx: not a finite number: ${cell}`);
    return `<c r="${ref}"><v>${cell}</v></c>`;
  }
  if (typeof cell === 'object') {
    if (!Number.isSafeInteger(cell.cents)) {
      throw new RangeError(`xlsx: amounts are whole cents: ${cell.cents}`);
    }
    // The shortest decimal that reads back as the same double: 1234 cents is 12.34.
    return `<c r="${ref}" s="${STYLE_MONEY}"><v>${cell.cents / 100}</v></c>`;
  }
  if (kind === 'date') {
    const m = DATE.exec(cell);
    if (m) {
      const days = (Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - EXCEL_EPOCH) / 86_400_000;
      if (days >= 1) return `<c r="${ref}" s="${STYLE_DATE}"><v>${days}</v></c>`;
    }
  } else if (kind === 'time') {
    const m = TIME.exec(cell);
    if (m && +m[1]! < 24 && +m[2]! < 60) {
      const fraction = (+m[1]! * 60 + +m[2]!) / 1440;
      return `<c r="${ref}" s="${STYLE_TIME}"><v>${fraction}</v></c>`;
    }
  }
  return textCell(ref, cell);
}

/** About how many characters of XML are deflated at once (bounded memory, few calls). */
const BATCH = 1 << 16;

/**
 * A streaming `.xlsx`: `addRow` as often as needed, then `end`; `take` hands over the
 * compressed bytes made so far (call it after each batch of rows to keep memory bounded).
 */
export class XlsxWriter {
  readonly #columns: readonly XlsxColumn[];
  readonly #letters: string[] = [];
  readonly #sheet: ZipDeflate;
  readonly #zip: Zip;
  #out: Uint8Array[] = [];
  #xml = '';
  #row = 0;
  #ended = false;
  #error: Error | null = null;

  constructor(headers: readonly string[], options: XlsxOptions) {
    this.#columns = options.columns ?? [];
    this.#zip = new Zip((error, chunk) => {
      if (error) this.#error = error;
      else this.#out.push(chunk);
    });
    const whole = (path: string, text: string) => {
      const file = new ZipPassThrough(path);
      this.#zip.add(file);
      file.push(strToU8(text), true);
    };
    whole('[Content_Types].xml', CONTENT_TYPES);
    whole('_rels/.rels', ROOT_RELS);
    whole(
      'xl/workbook.xml',
      HEAD +
        `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews>` +
        `<sheets><sheet name="${xmlText(sheetName(options.sheet))}" sheetId="1" r:id="rId1"/>` +
        '</sheets></workbook>',
    );
    whole('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    whole('xl/styles.xml', STYLES);
    // Level 3: a year's 50 MB of sheet XML deflates in a third of level 6's time for a file
    // about a tenth larger (measured: docs/benchmarks.md).
    this.#sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 3 });
    this.#zip.add(this.#sheet);
    const count = Math.max(headers.length, this.#columns.length);
    let cols = '';
    for (let i = 0; i < count; i++) {
      this.#letters.push(columnLetters(i));
      const column = this.#columns[i];
      const fallback = column?.kind === 'date' ? 11 : column?.kind === 'time' ? 6 : 10;
      const width = column?.width ?? Math.max(fallback, (headers[i]?.length ?? 0) + 2);
      cols += `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`;
    }
    const rtl = options.rightToLeft ? ' rightToLeft="1"' : '';
    this.#xml =
      HEAD +
      `<worksheet xmlns="${MAIN}" xmlns:r="${REL}">` +
      `<sheetViews><sheetView workbookViewId="0"${rtl}>` +
      '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '</sheetView></sheetViews>' +
      '<sheetFormatPr defaultRowHeight="15"/>' +
      (cols ? `<cols>${cols}</cols>` : '') +
      '<sheetData>';
    this.#row = 1;
    let header = '<row r="1">';
    for (let i = 0; i < headers.length; i++) {
      header += textCell(`${this.#letters[i]}1`, headers[i]!, STYLE_BOLD);
    }
    this.#xml += header + '</row>';
  }

  /** Data rows written so far (the header not counted). */
  get rowCount(): number {
    return this.#row - 1;
  }

  addRow(cells: readonly CsvCell[]): void {
    if (this.#ended) throw new Error('xlsx: the file is already ended');
    if (this.#row >= MAX_XLSX_ROWS) {
      throw new RangeError(`xlsx: a sheet holds at most ${MAX_XLSX_ROWS} rows`);
    }
    const r = ++this.#row;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const letters = this.#letters[i] ?? (this.#letters[i] = columnLetters(i));
      xml += cellXml(`${letters}${r}`, cells[i] as CsvCell, this.#columns[i]?.kind);
    }
    this.#xml += xml + '</row>';
    if (this.#xml.length >= BATCH) this.#flush(false);
  }

  end(): void {
    if (this.#ended) return;
    this.#xml += '</sheetData></worksheet>';
    this.#flush(true);
    this.#zip.end();
    this.#ended = true;
  }

  /** The compressed bytes made since the last call. */
  take(): Uint8Array[] {
    if (this.#error) throw this.#error;
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #flush(final: boolean): void {
    this.#sheet.push(strToU8(this.#xml), final);
    this.#xml = '';
  }
}

/** A whole `.xlsx` of the rows, as a Blob of its compressed chunks. */
export function xlsxBlob(
  headers: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: XlsxOptions,
): Blob {
  const writer = new XlsxWriter(headers, options);
  const parts: Uint8Array[] = [];
  for (const row of rows) {
    writer.addRow(row);
    parts.push(...writer.take());
  }
  writer.end();
  parts.push(...writer.take());
  return new Blob(parts as BlobPart[], { type: XLSX_TYPE });
}

/**
 * An `.xlsx` of rows that arrive a page at a time, as a byte stream pulled only as fast as it
 * is read (the server's response): memory holds a page of rows and one batch of XML.
 */
export function xlsxStream(
  headers: readonly string[],
  pages: AsyncIterator<readonly (readonly CsvCell[])[]>,
  options: XlsxOptions,
): ReadableStream<Uint8Array> {
  const writer = new XlsxWriter(headers, options);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const ready = writer.take();
        if (ready.length > 0) {
          for (const chunk of ready) controller.enqueue(chunk);
          return;
        }
        const next = await pages.next();
        if (next.done) {
          writer.end();
          for (const chunk of writer.take()) controller.enqueue(chunk);
          controller.close();
          return;
        }
        for (const row of next.value) writer.addRow(row);
      }
    },
    async cancel() {
      await pages.return?.(undefined);
    },
  });
}
