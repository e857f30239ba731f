/**
 * The figures of the printable A4 report (per event or per year): revenue net of refunds,
 * sales, refunds, revenue per month and VAT per rate, from the journal's rows (so the report
 * and the exports can never disagree).
 */
import type { Cents } from '../types';
import type { JournalRow, VatTotal } from './journal';
import { VatTotals } from './journal';
import { localDateAndTime } from './tables';

export interface BookReport {
  revenueCents: Cents;
  /** Receipts with at least one line in the rows. */
  salesCount: number;
  refunds: { count: number; cents: Cents };
  /** 'YYYY-MM' ascending, months without rows between the first and last as zeros. */
  perMonth: { month: string; cents: Cents }[];
  vat: VatTotal[];
}

export function bookReport(rows: Iterable<JournalRow>, timeZone = 'Europe/Amsterdam'): BookReport {
  const vat = new VatTotals();
  const receipts = new Set<string>();
  const refunds = new Set<string>();
  const months = new Map<string, Cents>();
  let revenue = 0;
  let refunded = 0;
  for (const row of rows) {
    vat.add(row);
    revenue += row.amountCents;
    if (row.kind === 'sale') receipts.add(`${row.receipt}@${row.at}`);
    else {
      refunds.add(`${row.receipt}@${row.at}`);
      refunded -= row.amountCents;
    }
    const month = localDateAndTime(row.at, timeZone)[0].slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + row.amountCents);
  }
  const keys = [...months.keys()].sort();
  const perMonth: BookReport['perMonth'] = [];
  if (keys.length > 0) {
    let [y, m] = (keys[0] as string).split('-').map(Number) as [number, number];
    const last = keys[keys.length - 1] as string;
    for (;;) {
      const key = `${y}-${String(m).padStart(2, '0')}`;
      perMonth.push({ month: key, cents: months.get(key) ?? 0 });
      if (key >= last) break;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  }
  return {
    revenueCents: revenue,
    salesCount: receipts.size,
    refunds: { count: refunds.size, cents: refunded },
    perMonth,
    vat: vat.totals(),
  };
}
