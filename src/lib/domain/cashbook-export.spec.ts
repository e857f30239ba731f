import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASH_MOVEMENT_KINDS, planReport, type CashDay, type CashMovement } from './cashbook';
import { cashBookRows } from './cashbook-export';

const day: CashDay = {
  id: 'e:d',
  eventId: 'e',
  makerId: 'v',
  deviceId: 'd',
  openingFloatCents: 5000,
  openedAt: 0,
  hlc: '0',
};

function mv(n: number, kind: CashMovement['kind'], amountCents: number, description = `m${n}`) {
  return {
    id: `m${n}`,
    eventId: 'e',
    makerId: 'v',
    deviceId: 'd',
    kind,
    description,
    amountCents,
    correctsReportId: null,
    createdAt: n,
    hlc: String(n),
  } satisfies CashMovement;
}

describe('cashBookRows: the cash book for the accountant', () => {
  it('gives date, report number, kind, description, signed amount and running balance', () => {
    const report = planReport(
      day,
      {
        openingFloatCents: 5000,
        cashSalesCents: 2000,
        cashRefundsCents: 300,
        movements: [mv(1, 'expense', 450, 'Koffie'), mv(2, 'private-withdrawal', 1000, 'Privé')],
      },
      { countedCents: 5200 },
      { id: 'r', number: 7, closedAt: 1, hlc: '9' },
    );
    expect(cashBookRows([{ date: '2026-12-05', report }])).toEqual([
      row('opening-float', '', 5000, 5000),
      row('cash-sales', '', 2000, 7000),
      row('cash-refunds', '', -300, 6700),
      row('expense', 'Koffie', -450, 6250),
      row('private-withdrawal', 'Privé', -1000, 5250),
      row('difference', '', -50, 5200),
      row('closing-count', '', 0, 5200),
    ]);
    function row(kind: string, description: string, amountCents: number, balanceCents: number) {
      return { date: '2026-12-05', reportNumber: 7, kind, description, amountCents, balanceCents };
    }
  });

  it('orders days by date, then report number; each day runs from its float to its count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            date: fc.constantFrom('2026-01-02', '2026-03-04', '2025-12-31'),
            number: fc.integer({ min: 1, max: 50 }),
            float: fc.integer({ min: 0, max: 100_000 }),
            sales: fc.integer({ min: 0, max: 100_000 }),
            moves: fc.array(
              fc.tuple(fc.constantFrom(...CASH_MOVEMENT_KINDS), fc.integer({ min: 1, max: 500 })),
              { maxLength: 5 },
            ),
            counted: fc.integer({ min: 0, max: 300_000 }),
          }),
          { maxLength: 6 },
        ),
        (days) => {
          const reports = days.map((d) => ({
            date: d.date,
            report: planReport(
              { ...day, openingFloatCents: d.float },
              {
                openingFloatCents: d.float,
                cashSalesCents: d.sales,
                cashRefundsCents: 0,
                movements: d.moves.map(([k, a], i) => mv(i, k, a)),
              },
              { countedCents: d.counted },
              { id: `r${d.number}`, number: d.number, closedAt: 1, hlc: '1' },
            ),
          }));
          const rows = cashBookRows(reports);
          const keys = rows.map((r) => `${r.date}#${String(r.reportNumber).padStart(3, '0')}`);
          expect(keys).toEqual([...keys].sort());
          const closings = rows.filter((r) => r.kind === 'closing-count');
          expect(closings).toHaveLength(days.length);
          let sum = 0;
          for (const r of rows) {
            if (r.kind === 'opening-float') sum = 0;
            sum += r.amountCents;
            expect(r.balanceCents).toBe(sum);
          }
          const byNumber = new Map(reports.map((r) => [r.report.number, r.report.countedCents]));
          for (const c of closings) {
            if (reports.filter((r) => r.report.number === c.reportNumber).length === 1) {
              expect(c.balanceCents).toBe(byNumber.get(c.reportNumber));
            }
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('gives no rows for no reports', () => {
    expect(cashBookRows([])).toEqual([]);
  });
});
