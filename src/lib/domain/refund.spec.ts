import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RefundError,
  planRefund,
  refundMovements,
  remainingCents,
  remainingQuantities,
  type RefundRequest,
} from './refund';
import { applyRefund, applySale, emptySummary, recompute, summaryReport } from './summary';
import { exportSale } from './exports/testing';
import type { Refund, Sale, SaleLine, StockMovement, VatRate } from './types';

const EVENT = 'event-1';
const HOUR = '2026-05-16T10';

function makeSale(
  n: number,
  specs: { productId: string; price: number; quantity: number; vatRate: VatRate }[],
  method: 'cash' | 'qr' = 'cash',
): { sale: Sale; lines: SaleLine[] } {
  return exportSale(n, specs, { method, eventId: EVENT, createdAt: Date.UTC(2026, 4, 16, 8) + n });
}

let next = 0;
function request(
  saleId: string,
  lines: RefundRequest['lines'],
  reason = 'Kapot thuisgekomen',
): RefundRequest {
  next += 1;
  return {
    id: `refund-${next}`,
    saleId,
    reason,
    createdAt: Date.UTC(2026, 4, 16, 12),
    hlc: `r${String(next).padStart(6, '0')}`,
    lines,
  };
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof RefundError ? error.code : 'other';
  }
}

describe('planRefund', () => {
  const { sale, lines } = makeSale(9, [
    { productId: 'bread', price: 350, quantity: 3, vatRate: 9 },
    { productId: 'earrings', price: 1249, quantity: 1, vatRate: 21 },
  ]);

  it('refunds chosen lines and quantities: a share of the line, to the cent, in sale order', () => {
    const refund = planRefund(
      sale,
      lines,
      [],
      request(sale.id, [
        { saleLineId: lines[1]!.id, quantity: 1 },
        { saleLineId: lines[0]!.id, quantity: 1 },
      ]),
      'device-2',
    );
    expect(refund.lines.map((l) => [l.saleLineId, l.quantity, l.amountCents, l.vatCents])).toEqual([
      [lines[0]!.id, 1, 350, 29],
      [lines[1]!.id, 1, 1249, 217],
    ]);
    expect(refund.totalCents).toBe(1599);
    expect(refund.itemCount).toBe(2);
    expect(refund.deviceId).toBe('device-2');
    expect(refund.method).toBe('cash');
  });

  it('a line refunded in steps gives back exactly its total and VAT; "all" is what remains', () => {
    const { sale: odd, lines: oddLines } = makeSale(3, [
      { productId: 'x', price: 333, quantity: 3, vatRate: 21 },
    ]);
    const first = planRefund(
      odd,
      oddLines,
      [],
      request(odd.id, [{ saleLineId: oddLines[0]!.id, quantity: 1 }]),
      'd',
    );
    const rest = planRefund(odd, oddLines, [first], request(odd.id, 'all'), 'd');
    expect(rest.itemCount).toBe(2);
    expect(first.totalCents + rest.totalCents).toBe(oddLines[0]!.totalCents);
    expect(first.lines[0]!.vatCents + rest.lines[0]!.vatCents).toBe(oddLines[0]!.vatCents);
    expect(remainingCents(odd, [first, rest])).toBe(0);
    expect(code(() => planRefund(odd, oddLines, [first, rest], request(odd.id, 'all'), 'd'))).toBe(
      'more-than-remains',
    );
  });

  it('refuses a voided sale, no reason, no lines, a foreign or doubled line, 0, negative, 2^31, 2^53 and more than remains', () => {
    const one = (quantity: number) => [{ saleLineId: lines[0]!.id, quantity }];
    const voided = { ...sale, status: 'voided' as const };
    expect(code(() => planRefund(voided, lines, [], request(sale.id, 'all'), 'd'))).toBe(
      'sale-voided',
    );
    expect(code(() => planRefund(sale, lines, [], request(sale.id, 'all', '  '), 'd'))).toBe(
      'reason-required',
    );
    expect(
      code(() => planRefund(sale, lines, [], request(sale.id, 'all', 'x'.repeat(201)), 'd')),
    ).toBe('reason-too-long');
    expect(code(() => planRefund(sale, lines, [], request(sale.id, []), 'd'))).toBe('no-lines');
    expect(
      code(() =>
        planRefund(sale, lines, [], request(sale.id, [{ saleLineId: 'nope', quantity: 1 }]), 'd'),
      ),
    ).toBe('unknown-line');
    expect(
      code(() => planRefund(sale, lines, [], request(sale.id, [...one(1), ...one(1)]), 'd')),
    ).toBe('duplicate-line');
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(code(() => planRefund(sale, lines, [], request(sale.id, one(bad)), 'd'))).toBe(
        'bad-quantity',
      );
    }
    for (const big of [4, 2 ** 31, 2 ** 53 - 1]) {
      expect(code(() => planRefund(sale, lines, [], request(sale.id, one(big)), 'd'))).toBe(
        'more-than-remains',
      );
    }
    expect(code(() => planRefund(sale, lines, [], request(sale.id, one(2 ** 53)), 'd'))).toBe(
      'bad-quantity',
    );
  });

  it('gives back stock only for products whose stock the sale took', () => {
    const refund = planRefund(sale, lines, [], request(sale.id, 'all'), 'device-2');
    const sold: StockMovement[] = [
      {
        id: 'm1',
        eventId: EVENT,
        productId: 'bread',
        deviceId: 'device-1',
        kind: 'sale',
        delta: -3,
        saleId: sale.id,
        hlc: sale.hlc,
        createdAt: sale.createdAt,
      },
    ];
    let n = 0;
    const movements = refundMovements(refund, sold, () => `new-${++n}`);
    expect(movements).toEqual([
      expect.objectContaining({ productId: 'bread', kind: 'refund', delta: 3, saleId: sale.id }),
    ]);
    expect(movements[0]?.deviceId).toBe('device-2');
  });
});

describe('refunds in the summary', () => {
  const lineSpec = fc.record({
    productId: fc.constantFrom('a', 'b', 'c'),
    price: fc.integer({ min: 0, max: 5000 }),
    quantity: fc.integer({ min: 1, max: 5 }),
    vatRate: fc.constantFrom<VatRate>(0, 9, 21),
  });

  it('[property] after sales and random refunds, every figure equals a recount of what remains, and a recompute', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lines: fc.array(lineSpec, { minLength: 1, maxLength: 3 }),
            qr: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.array(
          fc.record({
            sale: fc.nat(),
            all: fc.boolean(),
            picks: fc.array(
              fc.record({ line: fc.nat(), quantity: fc.integer({ min: 1, max: 5 }) }),
              {
                maxLength: 3,
              },
            ),
          }),
          { maxLength: 12 },
        ),
        (saleSpecs, refundSpecs) => {
          const made = saleSpecs.map((spec, i) =>
            makeSale(i + 1, spec.lines, spec.qr ? 'qr' : 'cash'),
          );
          let summary = emptySummary(EVENT);
          for (const { sale, lines } of made) summary = applySale(summary, sale, lines, HOUR);
          const refunds = new Map<string, Refund[]>();
          for (const spec of refundSpecs) {
            const { sale, lines } = made[spec.sale % made.length]!;
            const earlier = refunds.get(sale.id) ?? [];
            const picks = spec.all
              ? ('all' as const)
              : spec.picks.map((p) => ({
                  saleLineId: lines[p.line % lines.length]!.id,
                  quantity: p.quantity,
                }));
            let refund: Refund;
            try {
              refund = planRefund(sale, lines, earlier, request(sale.id, picks), 'd');
            } catch (error) {
              expect(error).toBeInstanceOf(RefundError);
              continue;
            }
            refunds.set(sale.id, [...earlier, refund]);
            summary = applyRefund(summary, refund, HOUR);
          }

          // A recount: what remains of every line, straight from the sales and refunds.
          let revenue = 0;
          let items = 0;
          const perRate = new Map<number, { gross: number; vat: number }>();
          const perMethod = new Map<string, number>();
          const perProduct = new Map<string, number>();
          let refunded = 0;
          for (const { sale, lines } of made) {
            const done = refunds.get(sale.id) ?? [];
            const left = remainingQuantities(lines, done);
            for (const line of lines) {
              const back = done.flatMap((r) => r.lines).filter((l) => l.saleLineId === line.id);
              const gross = line.totalCents - back.reduce((s, l) => s + l.amountCents, 0);
              const vat = line.vatCents - back.reduce((s, l) => s + l.vatCents, 0);
              expect(gross).toBeGreaterThanOrEqual(0);
              expect(vat).toBeGreaterThanOrEqual(0);
              revenue += gross;
              items += left.get(line.id) ?? 0;
              const rate = perRate.get(line.vatRate) ?? { gross: 0, vat: 0 };
              perRate.set(line.vatRate, { gross: rate.gross + gross, vat: rate.vat + vat });
              perProduct.set(line.productId, (perProduct.get(line.productId) ?? 0) + gross);
            }
            const method = sale.payments[0]!.method;
            perMethod.set(method, (perMethod.get(method) ?? 0) + remainingCents(sale, done));
            refunded += sale.totalCents - remainingCents(sale, done);
          }
          expect(summary.revenueCents).toBe(revenue);
          expect(summary.itemCount).toBe(items);
          expect(summary.refundedCents ?? 0).toBe(refunded);
          for (const [rate, figure] of perRate) {
            expect(summary.byVatRate[String(rate)]?.grossCents ?? 0).toBe(figure.gross);
            expect(summary.byVatRate[String(rate)]?.vatCents ?? 0).toBe(figure.vat);
          }
          for (const [method, cents] of perMethod) {
            expect(summary.byPayment[method]?.cents ?? 0).toBe(cents);
          }
          for (const [productId, cents] of perProduct) {
            expect(summary.byProduct[productId]?.cents ?? 0).toBe(cents);
          }
          const report = summaryReport(summary);
          expect(report.revenueCents).toBe(revenue);
          expect(report.refunds.cents).toBe(refunded);

          const again = recompute(
            EVENT,
            made.map((m) => m.sale),
            new Map(made.map((m) => [m.sale.id, m.lines])),
            () => HOUR,
            refunds,
          );
          expect(again).toEqual(summary);
        },
      ),
      { numRuns: 200 },
    );
  });
});
