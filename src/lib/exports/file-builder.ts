/**
 * An export's file made from its rows as they come, a page at a time, on the page: the Dutch
 * or international CSV, or the `.xlsx` (src/lib/exports/xlsx.ts, loaded only when asked for).
 * Where there is a Web Worker, an `.xlsx` is compressed there instead
 * (file-worker-protocol.ts), with the same XML and the same compressor, so the same bytes.
 *
 * Bounded memory: each page's text or compressed chunks become a Blob of their own (the
 * browser keeps Blob data out of the JS heap, on disk when large), so a year's file is never
 * held as strings until the end.
 */
import { CSV_OPTIONS, type ExportFormat } from '$lib/domain/exports/tables';
import { toCsv, type CsvCell } from '$lib/domain/organiser/csv';
import type { XlsxColumn } from './xlsx';

/** What a file is: its format, header row and, for the `.xlsx`, sheet name and columns. */
export interface FileSpec {
  format: ExportFormat;
  headers: readonly string[];
  /** The `.xlsx`'s sheet name (ignored by the CSVs). */
  sheet: string;
  columns?: readonly XlsxColumn[];
}

export type Rows = readonly (readonly CsvCell[])[];

/**
 * Where the rows go: `add` each page (awaiting it), then `finish` for the whole file; or
 * `abort` when the export fails before its end (the export worker is ended, not left running).
 */
export interface FileBuilder {
  add(rows: Rows): Promise<void>;
  finish(): Promise<Blob>;
  abort(): void;
}

export async function fileBuilder(spec: FileSpec): Promise<FileBuilder> {
  const parts: BlobPart[] = [];
  if (spec.format === 'xlsx') {
    const { XlsxWriter, XLSX_TYPE } = await import('./xlsx');
    const writer = new XlsxWriter(spec.headers, {
      sheet: spec.sheet,
      ...(spec.columns ? { columns: spec.columns } : {}),
    });
    return {
      async add(rows) {
        await writer.addRows(rows);
        // A page's compressed chunks as one Blob (out of the JS heap, as the CSV's pages).
        const chunks = writer.take();
        if (chunks.length) parts.push(new Blob(chunks as BlobPart[]));
      },
      async finish() {
        await writer.end();
        for (const chunk of writer.take()) parts.push(chunk as BlobPart);
        return new Blob(parts, { type: XLSX_TYPE });
      },
      abort() {
        parts.length = 0;
      },
    };
  }
  const options = CSV_OPTIONS[spec.format];
  const body = { ...options, bom: false };
  parts.push(toCsv([spec.headers], options));
  return {
    async add(rows) {
      if (rows.length) parts.push(new Blob([toCsv(rows, body)]));
    },
    async finish() {
      return new Blob(parts, { type: 'text/csv;charset=utf-8' });
    },
    abort() {
      parts.length = 0;
    },
  };
}
