/**
 * For the specs: reads back an `.xlsx` written by ./xlsx.ts with a strict XML 1.0 parser (no
 * package in the repository parses XML or xlsx). Throws on anything not well-formed: an
 * unbalanced or crossed tag, a duplicate attribute, a bare '&' or '<', an unknown entity, a
 * character XML cannot carry (raw or as a character reference), more than one root.
 */
import { strFromU8, unzipSync } from 'fflate';

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

/** Unzips and parses every XML part; the sheet's cells by row. */
export function readXlsx(bytes: Uint8Array): ReadWorkbook {
  const files = unzipSync(bytes);
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
