/**
 * The cash book as rows for an accountant (the exports put them in CSV or xlsx): per closed
 * day report, in date order, one row for the opening float, the cash sales, the cash refunds,
 * each movement, the difference found at the count and the counted closing balance, each with
 * its signed amount in cents and the running balance after it. So every day's rows start at
 * its float and end at what was counted; the sum of a day's amounts (the closing row carries
 * none) is counted - float.
 */
import { signedAmount, type CashDayReport, type CashMovementKind } from './cashbook';
import type { Cents } from './types';

export type CashBookRowKind =
  | 'opening-float'
  | 'cash-sales'
  | 'cash-refunds'
  | CashMovementKind
  | 'difference'
  | 'closing-count';

export interface CashBookRow {
  /** The event day, YYYY-MM-DD. */
  date: string;
  reportNumber: number;
  kind: CashBookRowKind;
  /** The movement's description; '' for the book's own rows. */
  description: string;
  /** Signed: cash in positive, cash out negative; 0 for the closing row. */
  amountCents: Cents;
  balanceCents: Cents;
}

/** A closed day report and the date of its event day. */
export interface DatedReport {
  date: string;
  report: CashDayReport;
}

export function cashBookRows(reports: readonly DatedReport[]): CashBookRow[] {
  const ordered = [...reports].sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.report.deviceId.localeCompare(b.report.deviceId) ||
      a.report.number - b.report.number,
  );
  const rows: CashBookRow[] = [];
  for (const { date, report } of ordered) {
    let balance = 0;
    const push = (kind: CashBookRowKind, amountCents: Cents, description = '') => {
      balance += amountCents;
      rows.push({
        date,
        reportNumber: report.number,
        kind,
        description,
        amountCents,
        balanceCents: balance,
      });
    };
    push('opening-float', report.openingFloatCents);
    push('cash-sales', report.cashSalesCents);
    if (report.cashRefundsCents !== 0) push('cash-refunds', -report.cashRefundsCents);
    for (const m of report.movements) push(m.kind, signedAmount(m), m.description);
    if (report.differenceCents !== 0) push('difference', report.differenceCents);
    push('closing-count', 0);
  }
  return rows;
}
