import { describe, expect, it } from 'vitest';
import { journalEntries, journalRows } from './journal';
import { bookReport } from './report';
import { exportRefund, exportSale } from './testing';

describe('bookReport', () => {
  it('[EXP19] revenue net of refunds, sales, refunds, every month from first to last, VAT per rate', () => {
    const jan = exportSale(1, [{ productId: 'a', price: 1000, quantity: 2, vatRate: 21 }], {
      createdAt: Date.parse('2026-01-31T23:30:00Z'), // 1 February in Amsterdam
    });
    const apr = exportSale(2, [{ productId: 'b', price: 300, quantity: 1, vatRate: 9 }], {
      createdAt: Date.parse('2026-04-10T10:00:00Z'),
    });
    const refund = exportRefund(jan, [], {
      id: 'r',
      reason: 'x',
      createdAt: Date.parse('2026-03-01T10:00:00Z'),
      lines: [{ saleLineId: jan.lines[0]!.id, quantity: 1 }],
    });
    const report = bookReport(
      journalRows(
        journalEntries({
          sales: [jan.sale, apr.sale],
          lines: [...jan.lines, ...apr.lines],
          refunds: [refund],
        }),
      ),
    );
    expect(report.revenueCents).toBe(2000 + 300 - 1000);
    expect(report.salesCount).toBe(2);
    expect(report.refunds).toEqual({ count: 1, cents: 1000 });
    expect(report.perMonth).toEqual([
      { month: '2026-02', cents: 2000 },
      { month: '2026-03', cents: -1000 },
      { month: '2026-04', cents: 300 },
    ]);
    expect(report.vat.map((v) => [v.vatRate, v.grossCents])).toEqual([
      [21, 1000],
      [9, 300],
    ]);
    expect(bookReport([])).toMatchObject({ revenueCents: 0, salesCount: 0, perMonth: [] });
  });
});
