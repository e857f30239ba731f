/**
 * The `.xlsx` variant of an export, written with write-excel-file (it zips with fflate). This
 * module is only ever loaded with a dynamic import() when a maker asks for an `.xlsx`, so the
 * library stays out of the till's first load (its own chunk in the build).
 *
 * Cells are typed: text is a string cell (never a formula, so no injection is possible),
 * counts are numbers, amounts are numbers in euros shown with two decimals.
 */
import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/universal';
import type { CsvCell } from '$lib/domain/organiser/csv';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function cell(value: CsvCell): Cell {
  if (value === null) return null;
  if (typeof value === 'string') return { value, type: String };
  if (typeof value === 'number') return { value, type: Number };
  return { value: value.cents / 100, type: Number, format: '0.00' };
}

/** One sheet: a bold header row, then the rows. */
export async function xlsxBlob(
  headers: readonly string[],
  rows: Iterable<readonly CsvCell[]>,
  options: { sheet: string; rightToLeft?: boolean },
): Promise<Blob> {
  const data: Row[] = [headers.map((text) => ({ value: text, type: String, fontWeight: 'bold' }))];
  for (const row of rows) data.push(row.map(cell));
  return writeXlsxFile(data, {
    sheet: options.sheet.slice(0, 31),
    stickyRowsCount: 1,
    ...(options.rightToLeft ? { rightToLeft: true } : {}),
  }).toBlob();
}
