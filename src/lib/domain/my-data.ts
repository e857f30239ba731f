/**
 * "Download all my data": one zip, the same layout from the server and from the device.
 *
 * Layout: `about.json` (when, from where, which tables with how many rows), one
 * `<table>.json` per table (a JSON array, one object per row), a `<table>.csv` beside it for
 * the books an accountant reads (sales, sale_lines, refunds: written by `toCsv` of
 * ./organiser/csv.ts, so a text cell that looks like a formula is never run), and photos as
 * files under `photos/`.
 *
 * Memory stays bounded: a table comes in pages and each page is compressed as it arrives;
 * `myDataZipChunks` yields the zip's bytes page by page, so the reader's pace sets the pace
 * (a ReadableStream pulls the next page only when the last one was taken).
 */
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { money, toCsv, type CsvCell } from './organiser/csv';

/** The tables whose CSV is written beside the JSON (the books). */
export const MY_DATA_CSV_TABLES: ReadonlySet<string> = new Set(['sales', 'sale_lines', 'refunds']);

export type MyDataRow = Record<string, unknown>;

export interface MyDataTable {
  name: string;
  /**
   * The rows, a page at a time (a page may be empty), in the same order each time it is
   * called: a table with a CSV is read twice (JSON, then CSV), so neither is held whole.
   */
  pages: () => AsyncIterable<MyDataRow[]>;
}

export interface MyDataFile {
  /** Path inside the zip, e.g. `photos/<id>.jpg`. */
  path: string;
  bytes: Uint8Array;
}

export interface MyDataSource {
  /** 'server' (the account's data) or 'device' (this phone's data). */
  origin: 'server' | 'device';
  exportedAt: number;
  tables: AsyncIterable<MyDataTable>;
  files: AsyncIterable<MyDataFile>;
  /** Plain words on what the download holds, kept in about.json. */
  note: string;
}

export interface MyDataAbout {
  format: 'kraam-my-data';
  version: 1;
  origin: 'server' | 'device';
  exportedAt: string;
  tables: Record<string, number>;
  files: string[];
  note: string;
}

/** A file name extension for a photo's type. */
export function photoExtension(mimeType: string): string {
  if (mimeType === 'image/png') return 'png';
  if (mimeType === 'image/webp') return 'webp';
  if (mimeType === 'image/jpeg') return 'jpg';
  return 'bin';
}

/** One value as a CSV cell: amounts (`…Cents`) as euros, counts as numbers, the rest as text. */
export function csvCellOf(key: string, value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (key.endsWith('Cents') && Number.isSafeInteger(value)) return money(value);
    return Number.isSafeInteger(value) ? value : String(value);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

type Entry = ZipDeflate | ZipPassThrough;

/**
 * The zip's bytes, a chunk at a time: each yielded chunk is everything the archive made while
 * writing the next page of a table or the next file.
 */
export async function* myDataZipChunks(source: MyDataSource): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: unknown = null;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else ready.push(data);
  });
  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
    while (ready.length > 0) yield ready.shift() as Uint8Array;
  }
  const open = (path: string, deflate = true): Entry => {
    const entry = deflate ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    entry.mtime = source.exportedAt;
    zip.add(entry);
    return entry;
  };
  const text = (entry: Entry, value: string, final = false) => entry.push(strToU8(value), final);

  const counts: Record<string, number> = {};
  for await (const table of source.tables) {
    const json = open(`${table.name}.json`);
    let rows = 0;
    text(json, '[');
    for await (const page of table.pages()) {
      for (const row of page) {
        text(json, (rows === 0 ? '\n' : ',\n') + JSON.stringify(row));
        rows += 1;
      }
      yield* drain();
    }
    text(json, rows === 0 ? ']\n' : '\n]\n', true);
    counts[table.name] = rows;
    if (MY_DATA_CSV_TABLES.has(table.name)) {
      // A zip entry must end before the next one's bytes follow: the CSV reads the pages again.
      const csv = open(`${table.name}.csv`);
      let columns: string[] | null = null;
      for await (const page of table.pages()) {
        if (page.length === 0) continue;
        const header: string[] = columns ?? Object.keys(page[0] as MyDataRow);
        const body = page.map((row) => header.map((key) => csvCellOf(key, row[key])));
        text(csv, toCsv(columns ? body : [header, ...body]));
        columns = header;
        yield* drain();
      }
      text(csv, '', true);
    }
    yield* drain();
  }
  const files: string[] = [];
  for await (const file of source.files) {
    // Photos are compressed already: stored as they are.
    open(file.path, false).push(file.bytes, true);
    files.push(file.path);
    yield* drain();
  }
  const about: MyDataAbout = {
    format: 'kraam-my-data',
    version: 1,
    origin: source.origin,
    exportedAt: new Date(source.exportedAt).toISOString(),
    tables: counts,
    files,
    note: source.note,
  };
  text(open('about.json'), JSON.stringify(about, null, 2) + '\n', true);
  zip.end();
  yield* drain();
}

/** The zip as a byte stream that makes the next chunk only when the reader asks for it. */
export function myDataZipStream(source: MyDataSource): ReadableStream<Uint8Array> {
  const chunks = myDataZipChunks(source);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = await chunks.next();
        if (next.done) {
          controller.close();
          return;
        }
        if (next.value.byteLength > 0) {
          controller.enqueue(next.value);
          return;
        }
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** All of a stream's bytes (the device saves its zip as one Blob; tests read it whole). */
export async function readAllBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    length += value.byteLength;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Pages of an in-memory list (the device's tables, small fixed tables on the server). */
export async function* pagesOf<T extends MyDataRow>(
  rows: readonly T[],
  size = 500,
): AsyncGenerator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
  if (rows.length === 0) yield [];
}
