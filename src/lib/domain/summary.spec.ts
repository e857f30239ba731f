import fc from 'fast-check';
import { cashSalesCents } from './cashbook';
import { describe, expect, it } from 'vitest';
import type { Payment, Refund, Sale, SaleLine, VatRate } from './types';
import {
  MAX_FILLED_HOURS,
  applyRefund,
  applySale,
  applyVoid,
  divideHalfUp,
  emptySummary,
  hourKey,
  paymentSplitOf,
  recompute,
  summaryReport,
  sumSplits,
  type PaymentSplit,
} from './summary';

const EVENT = 'event-1';

interface LineSpec {
  productId: string;
  name?: string;
  unitPriceCents: number;
  quantity: number;
  vatRate?: VatRate;
  lineDiscountCents?: number;
}

/** A sale shaped like what buildSale makes; VAT here is simply 21/121 or 9/109 of the line. */
function makeSale(
  n: number,
  specs: LineSpec[],
  opts: {
    cartDiscountCents?: number;
    roundingCents?: number;
    payments?: Payment[];
    createdAt?: number;
    status?: Sale['status'];
  } = {},
): { sale: Sale; lines: SaleLine[] } {
  const id = `sale-${n}`;
  const lines: SaleLine[] = specs.map((spec, position) => {
    const vatRate = spec.vatRate ?? 21;
    const lineDiscountCents = spec.lineDiscountCents ?? 0;
    const totalCents = spec.unitPriceCents * spec.quantity - lineDiscountCents;
    return {
      id: `${id}-line-${position}`,
      saleId: id,
      position,
      productId: spec.productId,
      name: spec.name ?? `Product ${spec.productId}`,
      unitPriceCents: spec.unitPriceCents,
      vatRate,
      quantity: spec.quantity,
      lineDiscountCents,
      cartDiscountShareCents: 0,
      totalCents,
      vatCents: Math.round((totalCents * vatRate) / (100 + vatRate)),
    };
  });
  const subtotalCents = lines.reduce((sum, l) => sum + l.totalCents, 0);
  const lineDiscountCents = lines.reduce((sum, l) => sum + l.lineDiscountCents, 0);
  const cartDiscountCents = opts.cartDiscountCents ?? 0;
  const totalCents = subtotalCents - cartDiscountCents;
  const roundingCents = opts.roundingCents ?? 0;
  const paidCents = totalCents + roundingCents;
  return {
    sale: {
      id,
      deviceId: 'device-1',
      receiptNumber: n,
      eventId: EVENT,
      makerId: 'maker-1',
      hlc: `hlc-${String(n).padStart(6, '0')}`,
      createdAt: opts.createdAt ?? Date.UTC(2026, 4, 16, 10, 0, 0),
      subtotalCents,
      lineDiscountCents,
      cartDiscountCents,
      totalCents,
      roundingCents,
      paidCents,
      payments: opts.payments ?? [
        { method: 'cash', amountCents: paidCents, tenderedCents: paidCents, changeCents: 0 },
      ],
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
      status: opts.status ?? 'completed',
      voidReason: null,
      voidedAt: null,
    },
    lines,
  };
}

describe('hourKey', () => {
  it('gives the UTC hour without an offset', () => {
    expect(hourKey(Date.UTC(2026, 4, 16, 9, 59, 59))).toBe('2026-05-16T09');
  });
  it('gives the wall-clock hour of the offset, across midnight and month ends', () => {
    // 23:30 UTC on 31 May is 01:30 on 1 June in Amsterdam summer time (+120).
    expect(hourKey(Date.UTC(2026, 4, 31, 23, 30), 120)).toBe('2026-06-01T01');
    // 00:30 UTC is the previous evening in New York (-240).
    expect(hourKey(Date.UTC(2026, 5, 1, 0, 30), -240)).toBe('2026-05-31T20');
  });
});

describe('divideHalfUp', () => {
  it('rounds halves up and everything else to the nearest', () => {
    expect(divideHalfUp(1001, 2)).toBe(501);
    expect(divideHalfUp(1001, 3)).toBe(334);
    expect(divideHalfUp(1000, 3)).toBe(333);
    expect(divideHalfUp(0, 7)).toBe(0);
    expect(() => divideHalfUp(1, 0)).toThrow(RangeError);
  });
});

describe('applySale / applyVoid', () => {
  it('counts a sale in every figure', () => {
    const { sale, lines } = makeSale(
      1,
      [
        { productId: 'bread', unitPriceCents: 350, quantity: 2, vatRate: 9 },
        { productId: 'scarf', unitPriceCents: 2500, quantity: 1, lineDiscountCents: 500 },
      ],
      {
        cartDiscountCents: 0,
        roundingCents: 0,
        payments: [
          { method: 'cash', amountCents: 1000, tenderedCents: 1000, changeCents: 0 },
          { method: 'qr', amountCents: 1700, tenderedCents: null, changeCents: null },
        ],
      },
    );
    const s = applySale(emptySummary(EVENT), sale, lines, '2026-05-16T12');
    expect(s).toEqual({
      eventId: EVENT,
      salesCount: 1,
      voidCount: 0,
      revenueCents: 2700,
      roundingCents: 0,
      discountCents: 500,
      voidedCents: 0,
      itemCount: 3,
      byHour: { '2026-05-16T12': { count: 1, cents: 2700 } },
      byProduct: {
        bread: { name: 'Product bread', quantity: 2, cents: 700 },
        scarf: { name: 'Product scarf', quantity: 1, cents: 2000 },
      },
      byVatRate: {
        '9': { grossCents: 700, vatCents: 58 },
        '21': { grossCents: 2000, vatCents: 347 },
      },
      byPayment: { cash: { count: 1, cents: 1000 }, qr: { count: 1, cents: 1700 } },
      byMonth: { '2026-05': { count: 1, cents: 2700 } },
      cashByDevice: { [sale.deviceId]: { salesCents: 1000, refundsCents: 0 } },
    });
  });

  it('does not change the summary it was given', () => {
    const start = emptySummary(EVENT);
    const { sale, lines } = makeSale(1, [{ productId: 'a', unitPriceCents: 100, quantity: 1 }]);
    applySale(start, sale, lines, '2026-05-16T10');
    expect(start).toEqual(emptySummary(EVENT));
  });

  it('a void takes the sale out of revenue, hours, products, VAT and payments and counts it as a void', () => {
    const a = makeSale(1, [{ productId: 'a', unitPriceCents: 498, quantity: 1 }], {
      roundingCents: 2,
    });
    const b = makeSale(2, [{ productId: 'b', unitPriceCents: 300, quantity: 3 }], {
      cartDiscountCents: 100,
    });
    let s = applySale(emptySummary(EVENT), a.sale, a.lines, '2026-05-16T10');
    s = applySale(s, b.sale, b.lines, '2026-05-16T11');
    s = applyVoid(s, a.sale, a.lines, '2026-05-16T10');
    expect(s).toEqual({
      ...applySale(emptySummary(EVENT), b.sale, b.lines, '2026-05-16T11'),
      voidCount: 1,
      voidedCents: 498,
    });
    expect(s.byHour).toEqual({ '2026-05-16T11': { count: 1, cents: 800 } });
    expect(s.byProduct.a).toBeUndefined();
    expect(s.roundingCents).toBe(0);
  });

  it('sold then voided leaves empty maps', () => {
    const a = makeSale(1, [{ productId: 'a', unitPriceCents: 100, quantity: 1 }]);
    const s = applyVoid(
      applySale(emptySummary(EVENT), a.sale, a.lines, '2026-05-16T10'),
      a.sale,
      a.lines,
      '2026-05-16T10',
    );
    expect(s).toEqual({ ...emptySummary(EVENT), voidCount: 1, voidedCents: 100 });
  });

  it('a product renamed during the event shows its latest name', () => {
    const a = makeSale(1, [{ productId: 'p', name: 'Brood', unitPriceCents: 100, quantity: 1 }]);
    const b = makeSale(2, [{ productId: 'p', name: 'Desem', unitPriceCents: 100, quantity: 1 }]);
    let s = applySale(emptySummary(EVENT), a.sale, a.lines, '2026-05-16T10');
    s = applySale(s, b.sale, b.lines, '2026-05-16T10');
    expect(s.byProduct.p?.name).toBe('Desem');
    s = applyVoid(s, b.sale, b.lines, '2026-05-16T10');
    expect(s.byProduct.p).toEqual({ name: 'Desem', quantity: 1, cents: 100 });
  });
});

describe('summaryReport', () => {
  it('is all zeros with no sales', () => {
    expect(summaryReport(emptySummary(EVENT))).toEqual({
      revenueCents: 0,
      salesCount: 0,
      averageSaleCents: 0,
      itemCount: 0,
      bestSellers: [],
      perHour: [],
      perDay: [],
      paymentSplit: [],
      split: {
        cash: { count: 0, cents: 0 },
        phoneOrCard: { count: 0, cents: 0 },
        other: { count: 0, cents: 0 },
        awaiting: { count: 0, cents: 0 },
        writtenOff: { count: 0, cents: 0 },
        refunded: { count: 0, cents: 0 },
        paidAfterWriteOff: { count: 0, cents: 0 },
        paidTwice: { count: 0, cents: 0 },
      },
      vatPerRate: [],
      voids: { count: 0, cents: 0 },
      refunds: { count: 0, cents: 0 },
      roundingCents: 0,
      discountCents: 0,
    });
  });

  it('averages half up, orders best sellers by quantity, revenue, then name, and fills empty hours', () => {
    const sales = [
      makeSale(1, [{ productId: 'x', name: 'Zeep', unitPriceCents: 200, quantity: 2 }], {
        createdAt: Date.UTC(2026, 4, 16, 9, 5),
      }),
      makeSale(2, [{ productId: 'y', name: 'Appel', unitPriceCents: 200, quantity: 2 }], {
        createdAt: Date.UTC(2026, 4, 16, 9, 50),
      }),
      makeSale(
        3,
        [{ productId: 'z', name: 'Kaas', unitPriceCents: 301, quantity: 1, vatRate: 9 }],
        {
          createdAt: Date.UTC(2026, 4, 16, 12, 10),
          payments: [{ method: 'qr', amountCents: 301, tenderedCents: null, changeCents: null }],
        },
      ),
      makeSale(4, [{ productId: 'w', name: 'Wol', unitPriceCents: 150, quantity: 2 }], {
        createdAt: Date.UTC(2026, 4, 16, 12, 40),
      }),
    ];
    let agg = emptySummary(EVENT);
    for (const { sale, lines } of sales) agg = applySale(agg, sale, lines, hourKey(sale.createdAt));
    const v = sales[3];
    if (!v) throw new Error('missing sale');
    agg = applyVoid(agg, v.sale, v.lines, hourKey(v.sale.createdAt));

    const report = summaryReport(agg, { bestSellers: 2 });
    expect(report.revenueCents).toBe(1101);
    expect(report.salesCount).toBe(3);
    expect(report.averageSaleCents).toBe(367); // 1101 / 3 = 367.0
    expect(report.itemCount).toBe(5);
    // x and y tie on quantity and revenue: by name, Appel before Zeep; Kaas (1) is third.
    expect(report.bestSellers.map((b) => b.name)).toEqual(['Appel', 'Zeep']);
    expect(report.perHour).toEqual([
      { hour: '2026-05-16T09', count: 2, cents: 800 },
      { hour: '2026-05-16T10', count: 0, cents: 0 },
      { hour: '2026-05-16T11', count: 0, cents: 0 },
      { hour: '2026-05-16T12', count: 1, cents: 301 },
    ]);
    expect(report.paymentSplit).toEqual([
      { method: 'cash', count: 2, cents: 800 },
      { method: 'qr', count: 1, cents: 301 },
    ]);
    // VAT is per line: two lines of 400 at 21% hold 69 each.
    expect(report.vatPerRate).toEqual([
      { rate: 21, grossCents: 800, vatCents: 138, netCents: 662 },
      { rate: 9, grossCents: 301, vatCents: 25, netCents: 276 },
    ]);
    expect(report.voids).toEqual({ count: 1, cents: 300 });
  });

  it('rounds the average half up', () => {
    const a = makeSale(1, [{ productId: 'a', unitPriceCents: 500, quantity: 1 }]);
    const b = makeSale(2, [{ productId: 'a', unitPriceCents: 501, quantity: 1 }]);
    let agg = applySale(emptySummary(EVENT), a.sale, a.lines, '2026-05-16T10');
    agg = applySale(agg, b.sale, b.lines, '2026-05-16T10');
    expect(summaryReport(agg).averageSaleCents).toBe(501); // 500.5
  });

  it('ranks equal quantities by revenue before name', () => {
    const a = makeSale(1, [
      { productId: 'a', name: 'A', unitPriceCents: 100, quantity: 3 },
      { productId: 'b', name: 'B', unitPriceCents: 900, quantity: 3 },
      { productId: 'c', name: 'C', unitPriceCents: 50, quantity: 7 },
    ]);
    const agg = applySale(emptySummary(EVENT), a.sale, a.lines, '2026-05-16T10');
    expect(summaryReport(agg).bestSellers.map((b) => b.name)).toEqual(['C', 'B', 'A']);
  });

  it('does not fill years of empty hours when one sale had a wrong clock', () => {
    const a = makeSale(1, [{ productId: 'a', unitPriceCents: 100, quantity: 1 }], {
      createdAt: Date.UTC(1970, 0, 1, 0, 0),
    });
    const b = makeSale(2, [{ productId: 'a', unitPriceCents: 100, quantity: 1 }], {
      createdAt: Date.UTC(2026, 4, 16, 10, 0),
    });
    let agg = applySale(emptySummary(EVENT), a.sale, a.lines, hourKey(a.sale.createdAt));
    agg = applySale(agg, b.sale, b.lines, hourKey(b.sale.createdAt));
    expect(summaryReport(agg).perHour.map((h) => h.hour)).toEqual([
      '1970-01-01T00',
      '2026-05-16T10',
    ]);
    expect(MAX_FILLED_HOURS).toBeGreaterThanOrEqual(24);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: keeping the summary up to date sale by sale equals recomputing it from the sales.

type Op =
  | {
      kind: 'sale';
      lines: LineSpec[];
      cartDiscount: number;
      rounding: number;
      split: boolean;
      minute: number;
    }
  | { kind: 'void'; pick: number };

const lineArb: fc.Arbitrary<LineSpec> = fc.record({
  productId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
  // Names vary for the same product: a rename mid-event must not break the equality.
  name: fc.constantFrom('Brood', 'Desem', 'Sjaal', 'Zeep'),
  unitPriceCents: fc.integer({ min: 0, max: 10_000 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  vatRate: fc.constantFrom<VatRate>(0, 9, 21),
  lineDiscountCents: fc.integer({ min: 0, max: 50 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sale' as const),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
      cartDiscount: fc.integer({ min: 0, max: 50 }),
      rounding: fc.integer({ min: -2, max: 2 }),
      split: fc.boolean(),
      minute: fc.integer({ min: 0, max: 12 * 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
);

describe('summary property', () => {
  it('incremental applySale/applyVoid equals recompute from scratch, and both match a plain tally', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const recorded: { sale: Sale; lines: SaleLine[] }[] = [];
        const open = new Set<number>();
        const hourOf = (sale: Sale) => hourKey(sale.createdAt, 120);
        let incremental = emptySummary(EVENT);
        for (const op of ops) {
          if (op.kind === 'sale') {
            const n = recorded.length + 1;
            const base = makeSale(n, op.lines, {
              cartDiscountCents: op.cartDiscount,
              roundingCents: op.rounding,
              createdAt: Date.UTC(2026, 4, 16, 8, 0) + op.minute * 60_000,
            });
            const paid = base.sale.paidCents;
            const cashPart = op.split ? Math.floor(paid / 2) : paid;
            base.sale.payments = [
              { method: 'cash', amountCents: cashPart, tenderedCents: cashPart, changeCents: 0 },
              ...(op.split
                ? [
                    {
                      method: 'qr' as const,
                      amountCents: paid - cashPart,
                      tenderedCents: null,
                      changeCents: null,
                    },
                  ]
                : []),
            ];
            recorded.push(base);
            open.add(n - 1);
            incremental = applySale(incremental, base.sale, base.lines, hourOf(base.sale));
          } else if (open.size > 0) {
            const candidates = [...open];
            const index = candidates[op.pick % candidates.length] as number;
            const entry = recorded[index] as { sale: Sale; lines: SaleLine[] };
            incremental = applyVoid(incremental, entry.sale, entry.lines, hourOf(entry.sale));
            entry.sale = { ...entry.sale, status: 'voided', voidReason: 'test', voidedAt: 1 };
            open.delete(index);
          }
        }

        const linesBySaleId = new Map(recorded.map((r) => [r.sale.id, r.lines]));
        // Shuffled input: recompute must not depend on the order it is handed the sales.
        const shuffled = [...recorded].reverse().map((r) => r.sale);
        const fromScratch = recompute(EVENT, shuffled, linesBySaleId, hourOf);
        expect(fromScratch).toEqual(incremental);

        // An independent tally of a few figures, so a shared mistake cannot hide.
        const completed = recorded.filter((r) => r.sale.status === 'completed');
        const voided = recorded.filter((r) => r.sale.status === 'voided');
        expect(incremental.salesCount).toBe(completed.length);
        expect(incremental.revenueCents).toBe(completed.reduce((s, r) => s + r.sale.totalCents, 0));
        expect(incremental.voidedCents).toBe(voided.reduce((s, r) => s + r.sale.totalCents, 0));
        // The cash book's own count (domain/cashbook.ts), per device: what cashByDevice keeps.
        for (const deviceId of new Set(recorded.map((r) => r.sale.deviceId))) {
          const mine = recorded.filter((r) => r.sale.deviceId === deviceId).map((r) => r.sale);
          expect(incremental.cashByDevice?.[deviceId]?.salesCents ?? 0).toBe(cashSalesCents(mine));
        }
        const qty = new Map<string, number>();
        for (const r of completed)
          for (const l of r.lines) qty.set(l.productId, (qty.get(l.productId) ?? 0) + l.quantity);
        expect(
          Object.fromEntries(
            Object.entries(incremental.byProduct).map(([k, v]) => [k, v.quantity]),
          ),
        ).toEqual(Object.fromEntries(qty));
        const paid = completed.reduce((s, r) => s + r.sale.paidCents, 0);
        expect(Object.values(incremental.byPayment).reduce((s, p) => s + p.cents, 0)).toBe(paid);
        const hourCount = Object.values(incremental.byHour).reduce((s, h) => s + h.count, 0);
        expect(hourCount).toBe(completed.length);
      }),
      { seed: 20261128, numRuns: 300 },
    );
  });
});

describe('the payment split: cash, phone/card, awaiting confirmation, refunded', () => {
  const hour = () => '2026-05-16T10';
  const cash: Payment = { method: 'cash', amountCents: 500, tenderedCents: 500, changeCents: 0 };
  const card: Payment = { method: 'qr', amountCents: 700, tenderedCents: null, changeCents: null };
  const viaLink = (cents: number): Payment => ({
    method: 'qr',
    amountCents: cents,
    tenderedCents: null,
    changeCents: null,
    via: 'link',
  });

  function event() {
    const a = makeSale(1, [{ productId: 'p', unitPriceCents: 500, quantity: 1 }], {
      payments: [cash],
    });
    const b = makeSale(2, [{ productId: 'p', unitPriceCents: 700, quantity: 1 }], {
      payments: [card],
    });
    const c = makeSale(3, [{ productId: 'p', unitPriceCents: 1050, quantity: 1 }], {
      payments: [viaLink(1050)],
    });
    const d = makeSale(4, [{ productId: 'p', unitPriceCents: 300, quantity: 1 }], {
      payments: [viaLink(300)],
    });
    let agg = emptySummary(EVENT);
    for (const s of [a, b, c, d]) agg = applySale(agg, s.sale, s.lines, hour());
    return { agg, c, d };
  }

  it('[link] a sale paid on the link is awaiting confirmation, never phone/card, until confirmed', () => {
    const { agg, c, d } = event();
    const awaiting = paymentSplitOf(agg, [
      { sale: c.sale, outcome: 'awaiting' },
      { sale: d.sale, outcome: 'amount_mismatch' },
    ]);
    expect(awaiting).toEqual({
      cash: { count: 1, cents: 500 },
      phoneOrCard: { count: 1, cents: 700 },
      other: { count: 0, cents: 0 },
      awaiting: { count: 2, cents: 1350 },
      writtenOff: { count: 0, cents: 0 },
      refunded: { count: 0, cents: 0 },
      paidAfterWriteOff: { count: 0, cents: 0 },
      paidTwice: { count: 0, cents: 0 },
    });
    const confirmed = paymentSplitOf(agg, [
      { sale: c.sale, outcome: 'confirmed' },
      { sale: d.sale, outcome: 'amount_mismatch' },
    ]);
    expect(confirmed.phoneOrCard).toEqual({ count: 2, cents: 1750 });
    expect(confirmed.awaiting).toEqual({ count: 1, cents: 300 });
    // A voided sale paid on the link no longer waits for anything.
    const voided = paymentSplitOf(agg, [
      { sale: { ...c.sale, status: 'voided' }, outcome: 'awaiting' },
    ]);
    expect(voided.awaiting).toEqual({ count: 0, cents: 0 });
  });

  it('[split] a refund of a part-cash, part-card sale comes off card first, then cash, in the split', () => {
    // 10.00: 4.00 in cash, 6.00 by card; refunded 8.00: 6.00 by card, 2.00 in cash.
    const sale = makeSale(1, [{ productId: 'p', unitPriceCents: 1000, quantity: 1 }], {
      payments: [
        { method: 'cash', amountCents: 400, tenderedCents: 400, changeCents: 0 },
        { method: 'qr', amountCents: 600, tenderedCents: null, changeCents: null },
      ],
    });
    const agg = applySale(emptySummary(EVENT), sale.sale, sale.lines, hour());
    const line = sale.lines[0];
    if (!line) throw new Error('no line');
    const refund: Refund = {
      id: 'r1',
      saleId: sale.sale.id,
      eventId: EVENT,
      makerId: 'maker',
      deviceId: 'device',
      hlc: 'h1',
      createdAt: sale.sale.createdAt,
      reason: 'Barst',
      method: 'cash',
      cashCents: 200,
      lines: [
        {
          saleLineId: line.id,
          productId: 'p',
          vatRate: 21,
          quantity: 1,
          amountCents: 800,
          vatCents: 139,
        },
      ],
      totalCents: 800,
      itemCount: 1,
    };
    expect(paymentSplitOf(applyRefund(agg, refund, hour()))).toEqual({
      cash: { count: 1, cents: 200 },
      phoneOrCard: { count: 1, cents: 0 },
      awaiting: { count: 0, cents: 0 },
      refunded: { count: 1, cents: 800 },
      other: { count: 0, cents: 0 },
      writtenOff: { count: 0, cents: 0 },
      paidAfterWriteOff: { count: 0, cents: 0 },
      paidTwice: { count: 0, cents: 0 },
    });
  });

  it('[split] splits add up category by category, every category the split has', () => {
    const { agg, c } = event();
    const one = paymentSplitOf(agg, [{ sale: c.sale, outcome: 'awaiting' }]);
    const two = paymentSplitOf(agg);
    expect(sumSplits([])).toEqual(paymentSplitOf({ byPayment: {} }));
    expect(sumSplits([one, two])).toEqual({
      cash: { count: 2, cents: 1000 },
      phoneOrCard: { count: 5, cents: 3050 },
      awaiting: { count: 1, cents: 1050 },
      refunded: { count: 0, cents: 0 },
      other: { count: 0, cents: 0 },
      writtenOff: { count: 0, cents: 0 },
      paidAfterWriteOff: { count: 0, cents: 0 },
      paidTwice: { count: 0, cents: 0 },
    });
    // A category added to the split is summed too, with no change here.
    const more = { ...one, later: { count: 1, cents: 5 } } as PaymentSplit;
    expect(sumSplits([more, more])).toMatchObject({ later: { count: 2, cents: 10 } });
  });

  it('[settle] a settled link part leaves awaiting: received in cash counts as cash, another way on its own line, written off in no takings', () => {
    const { agg, c, d } = event();
    const split = paymentSplitOf(agg, [
      { sale: c.sale, outcome: 'awaiting', settlement: { outcome: 'written_off', method: null } },
      {
        sale: d.sale,
        outcome: 'awaiting',
        settlement: { outcome: 'received_other_way', method: 'cash' },
      },
    ]);
    expect(split.cash).toEqual({ count: 2, cents: 800 });
    expect(split.phoneOrCard).toEqual({ count: 1, cents: 700 });
    expect(split.awaiting).toEqual({ count: 0, cents: 0 });
    expect(split.writtenOff).toEqual({ count: 1, cents: 1050 });
    expect(split.other).toEqual({ count: 0, cents: 0 });
    const other = paymentSplitOf(agg, [
      {
        sale: d.sale,
        outcome: 'awaiting',
        settlement: { outcome: 'received_other_way', method: 'other' },
      },
    ]);
    expect(other.other).toEqual({ count: 1, cents: 300 });
    expect(other.cash).toEqual({ count: 1, cents: 500 });
  });

  it('[settle] Stripe paying after a settlement: written off becomes phone/card flagged "paid after write-off"; received another way stays, flagged "paid twice"', () => {
    const { agg, c, d } = event();
    const split = paymentSplitOf(agg, [
      { sale: c.sale, outcome: 'confirmed', settlement: { outcome: 'written_off', method: null } },
      {
        sale: d.sale,
        outcome: 'confirmed',
        settlement: { outcome: 'received_other_way', method: 'cash' },
      },
    ]);
    expect(split.phoneOrCard).toEqual({ count: 2, cents: 1750 });
    expect(split.writtenOff).toEqual({ count: 0, cents: 0 });
    expect(split.paidAfterWriteOff).toEqual({ count: 1, cents: 1050 });
    expect(split.cash).toEqual({ count: 2, cents: 800 });
    expect(split.paidTwice).toEqual({ count: 1, cents: 300 });
  });

  it('[link] the report carries the split; without link sales it is cash, phone/card and refunded as kept', () => {
    const { agg, c } = event();
    expect(summaryReport(agg).split.awaiting.cents).toBe(0);
    expect(summaryReport(agg).split.phoneOrCard.cents).toBe(2050);
    expect(
      summaryReport(agg, { linkSales: [{ sale: c.sale, outcome: 'awaiting' }] }).split.awaiting,
    ).toEqual({ count: 1, cents: 1050 });
  });

  it('[link] [settle] property: cash + phone/card + another way + awaiting + written off always equals what the sales took', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cents: fc.integer({ min: 1, max: 10_000 }),
            kind: fc.constantFrom('cash', 'qr', 'link'),
            outcome: fc.constantFrom(
              'awaiting' as const,
              'confirmed' as const,
              'amount_mismatch' as const,
            ),
            settlement: fc.constantFrom(
              null,
              { outcome: 'written_off' as const, method: null },
              { outcome: 'received_other_way' as const, method: 'cash' as const },
              { outcome: 'received_other_way' as const, method: 'other' as const },
            ),
          }),
          { maxLength: 30 },
        ),
        (specs) => {
          let agg = emptySummary(EVENT);
          const linkSales = [];
          let taken = 0;
          for (const [i, spec] of specs.entries()) {
            const payment: Payment =
              spec.kind === 'cash'
                ? {
                    method: 'cash',
                    amountCents: spec.cents,
                    tenderedCents: spec.cents,
                    changeCents: 0,
                  }
                : spec.kind === 'qr'
                  ? { ...card, amountCents: spec.cents }
                  : viaLink(spec.cents);
            const s = makeSale(i, [{ productId: 'p', unitPriceCents: spec.cents, quantity: 1 }], {
              payments: [payment],
            });
            agg = applySale(agg, s.sale, s.lines, hour());
            if (spec.kind === 'link') {
              linkSales.push({ sale: s.sale, outcome: spec.outcome, settlement: spec.settlement });
            }
            taken += spec.cents;
          }
          const split = paymentSplitOf(agg, linkSales);
          // Every cent is on exactly one line (written off included: rung up, never paid).
          expect(
            split.cash.cents +
              split.phoneOrCard.cents +
              split.other.cents +
              split.awaiting.cents +
              split.writtenOff.cents,
          ).toBe(taken);
          expect(split.phoneOrCard.cents).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 8, numRuns: 200 },
    );
  });
});
