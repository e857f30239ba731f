import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RefundError } from '../refund';
import { applyRefund, applySale, emptySummary } from '../summary';
import type { Refund, VatRate } from '../types';
import { journalEntries, journalRows, vatTotals } from './journal';
import { exportRefund, exportSale } from './testing';

const HOUR = '2026-05-16T10';

describe('journal rows', () => {
  it('[EXP1] one row per sale line, a refund as negative rows with its reason and method, a voided sale none', () => {
    const a = exportSale(7, [
      { productId: 'bread', name: 'Brood', price: 350, quantity: 2, vatRate: 9 },
      { productId: 'vase', name: 'Vaas', price: 2500, quantity: 1, vatRate: 21 },
    ]);
    const b = exportSale(8, [{ productId: 'bread', price: 350, quantity: 1, vatRate: 9 }], {
      method: 'split',
    });
    const voided = exportSale(9, [{ productId: 'x', price: 100, quantity: 1, vatRate: 21 }]);
    voided.sale = { ...voided.sale, status: 'voided', voidReason: 'oops', voidedAt: 1 };
    const refund = exportRefund(a, [], {
      id: 'refund-1',
      reason: 'Barst',
      createdAt: a.sale.createdAt + 60_000,
      lines: [{ saleLineId: 'sale-7-line-1', quantity: 1 }],
    });
    const rows = [
      ...journalRows(
        journalEntries({
          sales: [b.sale, a.sale, voided.sale],
          lines: [...a.lines, ...b.lines, ...voided.lines],
          refunds: [refund],
        }),
        { deviceCodes: { 'device-1': 'A' } },
      ),
    ];
    expect(
      rows.map((r) => [r.kind, r.receipt, r.product, r.quantity, r.amountCents, r.method]),
    ).toEqual([
      ['sale', 'A-7', 'Brood', 2, 700, 'cash'],
      ['sale', 'A-7', 'Vaas', 1, 2500, 'cash'],
      ['sale', 'A-8', 'Product bread', 1, 350, 'cash+qr'],
      ['refund', 'A-7', 'Vaas', -1, -2500, 'cash'],
    ]);
    expect(rows[3]).toMatchObject({
      vatRate: 21,
      vatCents: -434,
      reason: 'Barst',
      unitPriceCents: 2500,
    });
  });

  it('[EXP1] a refund of a split sale says what went back: card first, then cash (cash+qr)', () => {
    // 20.00 + 10.00: 15.00 in cash, 15.00 by card.
    const sale = exportSale(
      11,
      [
        { productId: 'vase', name: 'Vaas', price: 2000, quantity: 1, vatRate: 21 },
        { productId: 'mug', name: 'Mok', price: 1000, quantity: 1, vatRate: 21 },
      ],
      { method: 'split' },
    );
    const first = exportRefund(sale, [], {
      id: 'refund-a',
      reason: 'Barst',
      createdAt: sale.sale.createdAt + 60_000,
      lines: [{ saleLineId: 'sale-11-line-1', quantity: 1 }],
    });
    const second = exportRefund(sale, [first], {
      id: 'refund-b',
      reason: 'Barst',
      createdAt: sale.sale.createdAt + 120_000,
      lines: [{ saleLineId: 'sale-11-line-0', quantity: 1 }],
    });
    const rows = [
      ...journalRows(
        journalEntries({ sales: [sale.sale], lines: sale.lines, refunds: [first, second] }),
      ),
    ].filter((r) => r.kind === 'refund');
    // 10.00 back by card; then 20.00: the card's last 5.00 and 15.00 in cash.
    expect(rows.map((r) => [r.amountCents, r.method])).toEqual([
      [-1000, 'qr'],
      [-2000, 'cash+qr'],
    ]);
    expect(second.cashCents).toBe(1500);
  });

  it('[EXP2] a refund of a sale outside the selection still names its receipt and product', () => {
    const old = exportSale(3, [
      { productId: 'p', name: 'Pot', price: 1000, quantity: 2, vatRate: 21 },
    ]);
    const refund = exportRefund(old, [], {
      id: 'r',
      reason: 'Kapot',
      createdAt: Date.UTC(2027, 0, 5),
      lines: 'all',
    });
    const rows = [
      ...journalRows(
        journalEntries({
          sales: [],
          lines: old.lines,
          refunds: [refund],
          refundedSales: [old.sale],
        }),
      ),
    ];
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'refund',
        receipt: '3',
        product: 'Pot',
        quantity: -2,
        amountCents: -2000,
      }),
    ]);
  });
});

describe('VAT totals', () => {
  it('[EXP3] per rate, net of refunds, 21 before 9 before 0', () => {
    const a = exportSale(1, [
      { productId: 'a', price: 1210, quantity: 1, vatRate: 21 },
      { productId: 'b', price: 109, quantity: 3, vatRate: 9 },
      { productId: 'c', price: 500, quantity: 1, vatRate: 0 },
    ]);
    const refund = exportRefund(a, [], {
      id: 'r',
      reason: 'x',
      createdAt: a.sale.createdAt + 1,
      lines: [{ saleLineId: 'sale-1-line-1', quantity: 1 }],
    });
    const totals = vatTotals(
      journalRows(journalEntries({ sales: [a.sale], lines: a.lines, refunds: [refund] })),
    );
    expect(totals).toEqual([
      {
        vatRate: 21,
        salesCents: 1210,
        refundsCents: 0,
        grossCents: 1210,
        vatCents: 210,
        netCents: 1000,
      },
      {
        vatRate: 9,
        salesCents: 327,
        refundsCents: 109,
        grossCents: 218,
        vatCents: 18,
        netCents: 200,
      },
      { vatRate: 0, salesCents: 500, refundsCents: 0, grossCents: 500, vatCents: 0, netCents: 500 },
    ]);
  });

  it('[property] the journal of random sales and refunds adds up to the event summary: revenue, per VAT rate and items', () => {
    const lineSpec = fc.record({
      productId: fc.constantFrom('a', 'b', 'c'),
      price: fc.integer({ min: 0, max: 5000 }),
      quantity: fc.integer({ min: 1, max: 5 }),
      vatRate: fc.constantFrom<VatRate>(0, 9, 21),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lines: fc.array(lineSpec, { minLength: 1, maxLength: 3 }),
            method: fc.constantFrom<'cash' | 'qr' | 'split'>('cash', 'qr', 'split'),
            voided: fc.boolean(),
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
          const made = saleSpecs.map((spec, i) => {
            const m = exportSale(i + 1, spec.lines, { method: spec.method });
            if (spec.voided) m.sale = { ...m.sale, status: 'voided', voidReason: 'x', voidedAt: 1 };
            return m;
          });
          let summary = emptySummary('event-1');
          for (const { sale, lines } of made) {
            if (sale.status === 'completed') summary = applySale(summary, sale, lines, HOUR);
          }
          const refunds: Refund[] = [];
          refundSpecs.forEach((spec, n) => {
            const m = made[spec.sale % made.length]!;
            const earlier = refunds.filter((r) => r.saleId === m.sale.id);
            try {
              const refund = exportRefund(m, earlier, {
                id: `r-${n}`,
                reason: 'terug',
                createdAt: m.sale.createdAt + 1000 + n,
                lines: spec.all
                  ? 'all'
                  : spec.picks.map((p) => ({
                      saleLineId: m.lines[p.line % m.lines.length]!.id,
                      quantity: p.quantity,
                    })),
              });
              refunds.push(refund);
              summary = applyRefund(summary, refund, HOUR);
            } catch (error) {
              expect(error).toBeInstanceOf(RefundError);
            }
          });
          const rows = [
            ...journalRows(
              journalEntries({
                sales: made.map((m) => m.sale),
                lines: made.flatMap((m) => m.lines),
                refunds,
              }),
            ),
          ];
          expect(rows.reduce((s, r) => s + r.amountCents, 0)).toBe(summary.revenueCents);
          expect(rows.reduce((s, r) => s + r.quantity, 0)).toBe(summary.itemCount);
          expect(
            rows.filter((r) => r.kind === 'refund').reduce((s, r) => s - r.amountCents, 0),
          ).toBe(summary.refundedCents ?? 0);
          const totals = vatTotals(rows);
          for (const total of totals) {
            const figure = summary.byVatRate[String(total.vatRate)] ?? {
              grossCents: 0,
              vatCents: 0,
            };
            expect(total.grossCents).toBe(figure.grossCents);
            expect(total.vatCents).toBe(figure.vatCents);
          }
          expect(totals.reduce((s, t) => s + t.grossCents, 0)).toBe(summary.revenueCents);
          // Time order: never a row earlier than the one before.
          for (let i = 1; i < rows.length; i++)
            expect(rows[i]!.at).toBeGreaterThanOrEqual(rows[i - 1]!.at);
        },
      ),
      { seed: 909, numRuns: 300 },
    );
  });
});
