/**
 * For the specs: reads back an `.xlsx` written by ./xlsx.ts with a strict XML 1.0 parser (no
 * package in the repository parses XML or xlsx). Throws on anything not well-formed: an
 * unbalanced or crossed tag, a duplicate attribute, a bare '&' or '<', an unknown entity, a
 * character XML cannot carry (raw or as a character reference), more than one root.
 */
import { strFromU8, unzipSync } from 'fflate';
import type { CsvCell } from '$lib/domain/organiser/csv';
import { columnLetters, xmlText } from './xlsx';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*$/;
// Any character XML 1.0 does not allow (surrogates paired are allowed).
const BAD_CHAR =
  // eslint-disable-next-line no-control-regex -- the characters XML 1.0 cannot carry
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function allowedCode(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function unescape(raw: string, where: string): string {
  if (raw.includes('<')) throw new SyntaxError(`'<' in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new SyntaxError(`a bare '&' in ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref]!;
    const m = /^#(?:x([0-9A-Fa-f]+)|(\d+))$/.exec(ref);
    if (!m) throw new SyntaxError(`unknown entity ${whole} in ${where}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    if (!allowedCode(code)) throw new SyntaxError(`character reference ${whole} not allowed`);
    return String.fromCodePoint(code);
  });
}

/** A strict XML 1.0 parse (the subset SpreadsheetML uses: no DTD, comments or CDATA). */
export function parseXml(xml: string): XmlElement {
  if (BAD_CHAR.test(xml)) throw new SyntaxError('a character XML 1.0 does not allow');
  let at = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) at = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = /<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const text = xml.slice(at, lt === -1 ? xml.length : lt);
    if (text) {
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (text.trim()) throw new SyntaxError('text outside the root element');
      } else parent.text += unescape(text, `<${parent.name}>`);
    }
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new SyntaxError(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    const [whole, close, name, rawAttrs, selfClose] = m as unknown as string[];
    if (!NAME.test(name!)) throw new SyntaxError(`bad element name ${name}`);
    if (close) {
      if (rawAttrs || selfClose) throw new SyntaxError(`malformed end tag ${whole}`);
      const open = stack.pop();
      if (!open || open.name !== name) throw new SyntaxError(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of rawAttrs!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (!NAME.test(a[1]!)) throw new SyntaxError(`bad attribute name ${a[1]}`);
        if (a[1]! in attrs) throw new SyntaxError(`duplicate attribute ${a[1]} on <${name}>`);
        attrs[a[1]!] = unescape(a[2] ?? a[3] ?? '', `${name}@${a[1]}`);
      }
      const element: XmlElement = { name: name!, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new SyntaxError('more than one root element');
      else root = element;
      if (!selfClose) stack.push(element);
    }
    at = lt + whole!.length;
  }
  if (stack.length) throw new SyntaxError(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new SyntaxError('no root element');
  return root;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

export interface ReadCell {
  ref: string;
  style: number;
  /** Text for an inline string, a number otherwise. */
  value: string | number;
}

export interface ReadWorkbook {
  files: Record<string, Uint8Array>;
  sheetName: string;
  /** Every part, parsed (all must be well-formed). */
  xml: Record<string, XmlElement>;
  rows: ReadCell[][];
  /** cellXfs index to its numFmtId. */
  numberFormats: number[];
  /** cellXfs index to whether its font is bold. */
  bold: boolean[];
}

/**
 * Unzips and parses every XML part; the sheet's cells by row. Throws when a file's CRC-32 or
 * size is not what the zip's directory says.
 */
export function readXlsx(bytes: Uint8Array): ReadWorkbook {
  const files = unzipSync(bytes);
  const directory = zipDirectory(bytes);
  for (const [path, data] of Object.entries(files)) {
    const entry = directory.get(path);
    if (!entry || entry.size !== data.length || entry.crc !== crc32(data)) {
      throw new Error(`zip: ${path} does not match its CRC-32 or size`);
    }
  }
  const xml: Record<string, XmlElement> = {};
  for (const [path, data] of Object.entries(files)) {
    if (path.endsWith('.xml') || path.endsWith('.rels')) xml[path] = parseXml(strFromU8(data));
  }
  const workbook = xml['xl/workbook.xml'];
  const sheet = xml['xl/worksheets/sheet1.xml'];
  const styles = xml['xl/styles.xml'];
  if (!workbook || !sheet || !styles || !xml['[Content_Types].xml'] || !xml['_rels/.rels']) {
    throw new Error('xlsx: a required part is missing');
  }
  const sheetName = child(child(workbook, 'sheets')!, 'sheet')!.attrs.name!;
  const fonts = child(styles, 'fonts')!.children.map((f) => child(f, 'b') !== undefined);
  const xfs = child(styles, 'cellXfs')!.children;
  const rows = child(sheet, 'sheetData')!.children.map((row, i) => {
    if (row.attrs.r !== String(i + 1)) throw new Error(`row ${i + 1} has r=${row.attrs.r}`);
    return row.children.map((c): ReadCell => {
      const style = Number(c.attrs.s ?? 0);
      if (c.attrs.t === 'inlineStr') {
        return { ref: c.attrs.r!, style, value: child(child(c, 'is')!, 't')!.text };
      }
      if (c.attrs.t !== undefined) throw new Error(`unexpected cell type ${c.attrs.t}`);
      const v = child(c, 'v')!.text;
      if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) throw new Error(`not a number: ${v}`);
      return { ref: c.attrs.r!, style, value: Number(v) };
    });
  });
  return {
    files,
    sheetName,
    xml,
    rows,
    numberFormats: xfs.map((x) => Number(x.attrs.numFmtId)),
    bold: xfs.map((x) => fonts[Number(x.attrs.fontId)] === true),
  };
}

/** An Excel date serial as 'YYYY-MM-DD'. */
export function serialDate(serial: number): string {
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

/** A fraction of a day as 'HH:MM'. */
export function serialTime(fraction: number): string {
  const minutes = Math.round(fraction * 1440);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)![0];
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * The sheet's rows as the CSV writes them (for comparing the two files): a date cell as
 * 'YYYY-MM-DD', a time as 'HH:MM', an amount with two decimals (a comma for the Dutch CSV), a
 * missing cell ''.
 */
export function rowsAsCsvText(book: ReadWorkbook, decimal: 'dot' | 'comma' = 'dot'): string[][] {
  const width = book.rows[0]?.length ?? 0;
  return book.rows.map((row) => {
    const out = Array.from({ length: width }, () => '');
    for (const cell of row) {
      const format = book.numberFormats[cell.style];
      const v = cell.value;
      out[columnIndex(cell.ref)] =
        typeof v === 'string'
          ? v
          : format === 164
            ? serialDate(v)
            : format === 165
              ? serialTime(v)
              : format === 2
                ? decimal === 'comma'
                  ? v.toFixed(2).replace('.', ',')
                  : v.toFixed(2)
                : String(v);
    }
    return out;
  });
}

/** CRC-32 (ISO 3309, the zip's), bit by bit: slow and plain, for checking the writer's. */
export function crc32(data: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ -1) >>> 0;
}

/**
 * Each file's CRC-32 and sizes as the zip's central directory records them (fflate's unzip
 * does not check them; a spreadsheet program does).
 */
export function zipDirectory(
  bytes: Uint8Array,
): Map<string, { crc: number; compressed: number; size: number; method: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('zip: no end of central directory');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out = new Map<string, { crc: number; compressed: number; size: number; method: number }>();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('zip: bad central directory');
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const name = strFromU8(bytes.subarray(at + 46, at + 46 + nameLength));
    out.set(name, {
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
    });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

/**
 * The sheet's data rows as the writer first wrote them, a cell at a time with nothing made
 * ahead (commit 8ced485's `cellXml`): the reference the faster writer must equal byte for byte.
 */
export function plainSheetRows(
  rows: readonly (readonly CsvCell[])[],
  kinds: readonly ('text' | 'date' | 'time' | undefined)[] = [],
): string {
  const textCell = (ref: string, text: string) => {
    const value = xmlText(text.length > 32_767 ? text.slice(0, 32_767) : text);
    const space = /^\s|\s$/.test(value) ? ' xml:space="preserve"' : '';
    return `<c r="${ref}" t="inlineStr"><is><t${space}>${value}</t></is></c>`;
  };
  const cellXml = (ref: string, cell: CsvCell, kind: string | undefined): string => {
    if (cell === null) return '';
    if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
    if (typeof cell === 'object') return `<c r="${ref}" s="2"><v>${cell.cents / 100}</v></c>`;
    if (kind === 'date') {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
      if (m) {
        const days = (Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - Date.UTC(1899, 11, 30)) / 86_400_000;
        if (days >= 1) return `<c r="${ref}" s="3"><v>${days}</v></c>`;
      }
    } else if (kind === 'time') {
      const m = /^(\d{2}):(\d{2})$/.exec(cell);
      if (m && +m[1]! < 24 && +m[2]! < 60) {
        return `<c r="${ref}" s="4"><v>${(+m[1]! * 60 + +m[2]!) / 1440}</v></c>`;
      }
    }
    return textCell(ref, cell);
  };
  let out = '';
  rows.forEach((cells, index) => {
    const r = index + 2;
    out += `<row r="${r}">`;
    cells.forEach((cell, i) => (out += cellXml(`${columnLetters(i)}${r}`, cell, kinds[i])));
    out += '</row>';
  });
  return out;
}
