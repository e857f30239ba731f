/**
 * The `.xlsx` variant of an export: our own minimal SpreadsheetML writer, streamed. The sheet's
 * XML is made a row at a time and compressed as it goes, in batches of about 64 KB, so memory
 * holds one batch and the compressed output, never the whole sheet: the server streams the
 * chunks to the response, the device joins them in a Blob. The zip is fflate's streaming
 * `Zip`; the sheet is deflated by the platform's gzip (CompressionStream, native zlib: about a
 * third of the CPU time of deflate in JavaScript, and its CRC-32 comes free in the gzip
 * trailer), or by a gzip stream the caller gives (the server: Node's zlib at level 3,
 * src/lib/server/exports/gzip.ts), or by fflate's `ZipDeflate` where there is neither (older
 * browsers).
 * Each cell's XML is put together from per-column pieces made once (a date's and a time's
 * serial once per distinct value; text escaped only when it holds a character that needs it):
 * docs/benchmarks.md has the profile that asked for it.
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
import { strToU8, Zip, ZipDeflate, ZipPassThrough, type ZipInputFile } from 'fflate';
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
  /**
   * How the sheet is compressed: 'platform' (the default) uses the platform's gzip where it
   * has one (CompressionStream) and fflate where not; 'fflate' always fflate (for the specs).
   */
  deflate?: 'platform' | 'fflate';
  /**
   * A gzip stream to use instead of the platform's (the server passes Node's zlib at a lower
   * level than CompressionStream's fixed 6: docs/benchmarks.md).
   */
  gzip?: () => ReadableWritablePair<Uint8Array, Uint8Array>;
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

/** About how many characters of XML are compressed at once (bounded memory, few calls). */
const BATCH = 1 << 16;

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;

/** What a text needs before it goes in: escaping, or replacing characters XML cannot carry. */
// eslint-disable-next-line no-control-regex -- controls and surrogates take the careful path
const NEEDS_CARE = /[&<>"\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const EDGE_SPACE = /^\s|\s$/;

/** The tail of an inline string cell after its reference: `" t="inlineStr">…</c>`. */
function textTail(text: string, style: number): string {
  const cut = text.length > MAX_CELL_TEXT ? text.slice(0, MAX_CELL_TEXT) : text;
  const value = NEEDS_CARE.test(cut) ? xmlText(cut) : cut;
  // Only a value starting or ending in a character at or below U+0020 or beyond ASCII can
  // start or end in white space: most values skip the regular expression.
  let space = '';
  if (value.length > 0) {
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(value.length - 1);
    if ((first <= 32 || first >= 128 || last <= 32 || last >= 128) && EDGE_SPACE.test(value)) {
      space = ' xml:space="preserve"';
    }
  }
  const s = style ? ` s="${style}"` : '';
  return `"${s} t="inlineStr"><is><t${space}>${value}</t></is></c>`;
}

/**
 * Whole cents as the shortest decimal that reads back as the same double (what
 * `String(cents / 100)` gives: 1234 is '12.34', 1250 '12.5', -300 '-3'), by integer
 * arithmetic where that is exact (below 2^31 cents; the division beyond).
 */
export function centsText(cents: number): string {
  if (cents >= 2 ** 31 || cents <= -(2 ** 31)) return String(cents / 100);
  const negative = cents < 0;
  const a = negative ? -cents : cents;
  const whole = (a / 100) | 0;
  const frac = a - whole * 100;
  const text =
    frac === 0
      ? String(whole)
      : frac % 10 === 0
        ? `${whole}.${frac / 10}`
        : `${whole}.${frac < 10 ? '0' : ''}${frac}`;
  return negative && a !== 0 ? `-${text}` : text;
}

/** A bounded memo: cleared when full, so a column of distinct values costs no memory. */
const MEMO_LIMIT = 4096;

/**
 * The sheet's XML, a row at a time, cut into batches of about 64 KB: `row` returns a batch
 * once one is full (else null), `end` the last one. What is compressed is exactly these
 * batches, in order, whoever compresses them (XlsxWriter here, or the export's Web Worker,
 * src/lib/exports/file-worker-protocol.ts: the page makes the XML, the worker deflates it).
 */
export class SheetXml {
  readonly #kinds: (XlsxColumnKind | undefined)[] = [];
  /** Per column: `<c r="A` (the row number follows). */
  readonly #open: string[] = [];
  readonly #dates = new Map<string, string | null>();
  readonly #times = new Map<string, string | null>();
  #xml = '';
  #row = 0;
  #ended = false;

  constructor(
    headers: readonly string[],
    options: Pick<XlsxOptions, 'columns' | 'rightToLeft'> = {},
  ) {
    const columns = options.columns ?? [];
    const count = Math.max(headers.length, columns.length);
    let cols = '';
    for (let i = 0; i < count; i++) {
      this.#column(i, columns[i]?.kind);
      const column = columns[i];
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
      header +=
        (this.#open[i] ?? this.#column(i, undefined)) + '1' + textTail(headers[i]!, STYLE_BOLD);
    }
    this.#xml += header + '</row>';
  }

  /** Sets up column `i`; returns its `<c r="A`. */
  #column(i: number, kind: XlsxColumnKind | undefined): string {
    this.#kinds[i] = kind;
    return (this.#open[i] = `<c r="${columnLetters(i)}`);
  }

  /** Data rows made so far (the header not counted). */
  get rowCount(): number {
    return this.#row - 1;
  }

  /** Adds a row; returns a batch of XML when one is full (to be compressed next), else null. */
  row(cells: readonly CsvCell[]): string | null {
    if (this.#ended) throw new Error('xlsx: the file is already ended');
    if (this.#row >= MAX_XLSX_ROWS) {
      throw new RangeError(`xlsx: a sheet holds at most ${MAX_XLSX_ROWS} rows`);
    }
    const r = String(++this.#row);
    let xml = '<row r="' + r + '">';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as CsvCell;
      if (cell === null) continue;
      const open = (this.#open[i] ?? this.#column(i, undefined)) + r;
      if (typeof cell === 'number') {
        if (!Number.isFinite(cell)) throw new RangeError(`xlsx: not a finite number: ${cell}`);
        xml += open + '"><v>' + cell + '</v></c>';
      } else if (typeof cell === 'object') {
        if (!Number.isSafeInteger(cell.cents)) {
          throw new RangeError(`xlsx: amounts are whole cents: ${cell.cents}`);
        }
        xml += open + `" s="${STYLE_MONEY}"><v>` + centsText(cell.cents) + '</v></c>';
      } else {
        const kind = this.#kinds[i];
        const typed =
          kind === 'date' ? this.#date(cell) : kind === 'time' ? this.#time(cell) : null;
        xml += open + (typed ?? textTail(cell, 0));
      }
    }
    this.#xml += xml + '</row>';
    if (this.#xml.length < BATCH) return null;
    const batch = this.#xml;
    this.#xml = '';
    return batch;
  }

  /** The last batch, with the sheet's closing tags. */
  end(): string {
    if (this.#ended) throw new Error('xlsx: the file is already ended');
    this.#ended = true;
    const batch = this.#xml + '</sheetData></worksheet>';
    this.#xml = '';
    return batch;
  }

  /** A 'YYYY-MM-DD' as a date cell's tail (a serial with the date style), once per day. */
  #date(text: string): string | null {
    let tail = this.#dates.get(text);
    if (tail === undefined) {
      tail = null;
      const m = DATE.exec(text);
      if (m) {
        const days = (Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - EXCEL_EPOCH) / 86_400_000;
        if (days >= 1) tail = `" s="${STYLE_DATE}"><v>${days}</v></c>`;
      }
      if (this.#dates.size >= MEMO_LIMIT) this.#dates.clear();
      this.#dates.set(text, tail);
    }
    return tail;
  }

  /** An 'HH:MM' as a time cell's tail (a fraction of a day with the time style). */
  #time(text: string): string | null {
    let tail = this.#times.get(text);
    if (tail === undefined) {
      tail = null;
      const m = TIME.exec(text);
      if (m && +m[1]! < 24 && +m[2]! < 60) {
        const fraction = (+m[1]! * 60 + +m[2]!) / 1440;
        tail = `" s="${STYLE_TIME}"><v>${fraction}</v></c>`;
      }
      if (this.#times.size >= MEMO_LIMIT) this.#times.clear();
      this.#times.set(text, tail);
    }
    return tail;
  }
}

/**
 * The `.xlsx`'s zip around a sheet whose XML comes in batches (SheetXml's): `push` each batch
 * in order (awaiting it), then `end` with the last; `take` hands over the compressed bytes
 * made so far (call it after each page to keep memory bounded).
 */
export class XlsxZip {
  readonly #zip: Zip;
  readonly #sheet: SheetPart;
  #out: Uint8Array[] = [];
  #ended = false;
  #error: Error | null = null;

  constructor(options: Pick<XlsxOptions, 'sheet' | 'deflate' | 'gzip'>) {
    this.#zip = new Zip((error, chunk) => {
      if (error) this.#error = error;
      else if (chunk.byteLength > 0) this.#out.push(chunk);
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
    const path = 'xl/worksheets/sheet1.xml';
    const native = options.deflate !== 'fflate' && (options.gzip ?? nativeGzip());
    this.#sheet = native
      ? platformSheet(this.#zip, path, native, (error) => (this.#error ??= error))
      : fflateSheet(this.#zip, path);
  }

  /** Compresses a batch of the sheet's XML. */
  async push(batch: string): Promise<void> {
    if (this.#ended) throw new Error('xlsx: the file is already ended');
    if (batch) await this.#sheet.push(encoder.encode(batch));
    if (this.#error) throw this.#error;
  }

  /** Compresses the last batch and closes the zip. */
  async end(last: string): Promise<void> {
    await this.push(last);
    this.#ended = true;
    await this.#sheet.end();
    this.#zip.end();
    if (this.#error) throw this.#error;
  }

  /** The compressed bytes made since the last call. */
  take(): Uint8Array[] {
    if (this.#error) throw this.#error;
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/**
 * A streaming `.xlsx`: `addRows` as often as needed (awaiting each), then `end`; `take` hands
 * over the compressed bytes made so far (call it after each page of rows to keep memory
 * bounded). Rows are made into XML in batches of about 64 KB, each compressed before the next
 * is made: memory holds one batch, the compressor's window and what `take` has not collected.
 */
export class XlsxWriter {
  readonly #xml: SheetXml;
  readonly #zip: XlsxZip;
  #ended = false;

  constructor(headers: readonly string[], options: XlsxOptions) {
    this.#zip = new XlsxZip(options);
    this.#xml = new SheetXml(headers, options);
  }

  /** Data rows written so far (the header not counted). */
  get rowCount(): number {
    return this.#xml.rowCount;
  }

  /** Adds rows; resolves once all but the last part-batch of their XML is compressed. */
  async addRows(rows: Iterable<readonly CsvCell[]>): Promise<void> {
    for (const cells of rows) {
      const batch = this.#xml.row(cells);
      if (batch !== null) await this.#zip.push(batch);
    }
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#zip.end(this.#xml.end());
  }

  /** The compressed bytes made since the last call. */
  take(): Uint8Array[] {
    return this.#zip.take();
  }
}

const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------
// The sheet part's compression

/** Where the sheet's XML goes: compressed into the zip as `xl/worksheets/sheet1.xml`. */
interface SheetPart {
  push(bytes: Uint8Array): Promise<void>;
  end(): Promise<void>;
}

type GzipFactory = () => ReadableWritablePair<Uint8Array, Uint8Array>;

/** The platform's gzip (CompressionStream: native zlib in browsers and Node), if it has one. */
function nativeGzip(): GzipFactory | null {
  const Stream = (globalThis as { CompressionStream?: typeof CompressionStream }).CompressionStream;
  if (!Stream) return null;
  try {
    new Stream('gzip');
  } catch {
    return null;
  }
  return () => new Stream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
}

/** fflate's deflate in JavaScript, at level 3 (where the platform has no CompressionStream). */
function fflateSheet(zip: Zip, path: string): SheetPart {
  const file = new ZipDeflate(path, { level: 3 });
  zip.add(file);
  return {
    async push(bytes) {
      file.push(bytes, false);
    },
    async end() {
      file.push(new Uint8Array(0), true);
    },
  };
}

/**
 * Length of a gzip member's header (RFC 1952) at the start of `head`, or -1 while more bytes
 * are needed. Throws on what is not a deflate gzip header.
 */
export function gzipHeaderLength(head: Uint8Array): number {
  if (head.length < 10) return -1;
  if (head[0] !== 0x1f || head[1] !== 0x8b || head[2] !== 8) {
    throw new Error('xlsx: the compressor did not give gzip');
  }
  const flags = head[3]!;
  let at = 10;
  if (flags & 4) {
    if (head.length < at + 2) return -1;
    at += 2 + (head[at]! | (head[at + 1]! << 8));
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      while (at < head.length && head[at] !== 0) at++;
      if (at >= head.length) return -1;
      at++;
    }
  }
  if (flags & 2) at += 2;
  return head.length < at ? -1 : at;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The sheet compressed by the platform's gzip: its deflate data goes into the zip as it
 * comes, and its trailer gives the CRC-32 and size the zip's data descriptor needs (the
 * platform computes both; nothing is deflated or checksummed in JavaScript).
 */
function platformSheet(
  zip: Zip,
  path: string,
  gzip: GzipFactory,
  fail: (error: Error) => void,
): SheetPart {
  const file: ZipInputFile = {
    filename: path,
    size: 0,
    crc: 0,
    compression: 8,
    terminate() {},
  };
  zip.add(file);
  const stream = gzip();
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let size = 0;
  let head: Uint8Array | null = new Uint8Array(0);
  /** The last 8 bytes seen: the trailer once the stream ends. */
  let tail = new Uint8Array(0);
  const send = (chunk: Uint8Array) => {
    // The stream's chunks are plain ArrayBuffer views (never shared memory).
    if (chunk.length > 0) file.ondata!(null, chunk as Uint8Array<ArrayBuffer>, false);
  };
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      if (head) {
        const got = joined(head, chunk);
        const length = gzipHeaderLength(got);
        if (length < 0) {
          head = got;
          continue;
        }
        head = null;
        chunk = got.subarray(length);
      }
      if (chunk.length >= 8) {
        send(tail);
        send(chunk.subarray(0, chunk.length - 8));
        tail = chunk.slice(chunk.length - 8);
      } else {
        const both = joined(tail, chunk);
        send(both.subarray(0, Math.max(0, both.length - 8)));
        tail = both.slice(Math.max(0, both.length - 8));
      }
    }
    if (head || tail.length < 8) throw new Error('xlsx: the compressed sheet ended early');
    const view = new DataView(tail.buffer, tail.byteOffset, 8);
    if (view.getUint32(4, true) !== size % 2 ** 32) {
      throw new Error('xlsx: the compressed sheet has the wrong size');
    }
    file.crc = view.getUint32(0, true);
    file.size = size;
    file.ondata!(null, new Uint8Array(0), true);
  })().catch((error: unknown) => {
    // Told through the writer (take and end throw it); the writes then fail, never wait.
    fail(error instanceof Error ? error : new Error(String(error)));
    writer.abort(error).catch(() => {});
  });
  return {
    async push(bytes) {
      size += bytes.length;
      await writer.write(bytes);
    },
    async end() {
      await writer.close();
      await reading;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Whole files

/** A whole `.xlsx` of the rows, as a Blob of its compressed chunks. */
export async function xlsxBlob(
  headers: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: XlsxOptions,
): Promise<Blob> {
  const writer = new XlsxWriter(headers, options);
  await writer.addRows(rows);
  await writer.end();
  return new Blob(writer.take() as BlobPart[], { type: XLSX_TYPE });
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
          await writer.end();
          for (const chunk of writer.take()) controller.enqueue(chunk);
          controller.close();
          return;
        }
        await writer.addRows(next.value);
      }
    },
    async cancel() {
      await pages.return?.(undefined);
    },
  });
}
