import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CASH_MOVEMENT_KINDS,
  CashBookError,
  DENOMINATIONS,
  MAX_CASH_DESCRIPTION_LENGTH,
  MAX_MOVEMENTS_PER_DAY,
  MAX_PIECES,
  cashDayId,
  cashRefundsCents,
  cashSalesCents,
  expectedCash,
  movementCheck,
  piecesTotal,
  planMovement,
  planReport,
  signedAmount,
  validateCount,
  validateDescription,
  validateFloat,
  validateMovementAmount,
  type CashDay,
  type CashMovement,
  type CashMovementKind,
} from './cashbook';
import { MAX_MONEY_CENTS } from './money';
import { addProduct, emptyCart, type CartProduct } from './cart';
import { planRefund } from './refund';
import { buildSale, type SalePaymentInput } from './sale';
import type { Payment, Refund, Sale, SaleLine } from './types';

const SEED = { seed: 42, numRuns: 500 };

const day: CashDay = {
  id: cashDayId('event-1', 'device-1'),
  eventId: 'event-1',
  makerId: 'maker-1',
  deviceId: 'device-1',
  openingFloatCents: 5000,
  openedAt: 1,
  hlc: '0001',
};

function movement(kind: CashMovementKind, amountCents: number, n = 0): CashMovement {
  return {
    id: `m-${n}`,
    eventId: day.eventId,
    makerId: day.makerId,
    deviceId: day.deviceId,
    kind,
    description: 'x',
    amountCents,
    correctsReportId: null,
    createdAt: n,
    hlc: String(n).padStart(4, '0'),
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CashBookError) return `${error.code}/${error.field}`;
    throw error;
  }
  return undefined;
}

const kindArb = fc.constantFrom(...CASH_MOVEMENT_KINDS);

describe('the cash book rule: float + cash sales - cash refunds +/- movements', () => {
  it('adds cash in and takes cash out by kind', () => {
    const book = {
      openingFloatCents: 5000,
      cashSalesCents: 12_345,
      cashRefundsCents: 450,
      movements: [
        movement('expense', 1250),
        movement('private-withdrawal', 2000),
        movement('bank-deposit', 5000),
        movement('bank-withdrawal', 1000),
        movement('private-deposit', 300),
      ],
    };
    expect(expectedCash(book)).toBe(5000 + 12_345 - 450 - 1250 - 2000 - 5000 + 1000 + 300);
  });

  it('is the sum of its parts in any order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_MONEY_CENTS }),
        fc.integer({ min: 0, max: MAX_MONEY_CENTS }),
        fc.integer({ min: 0, max: MAX_MONEY_CENTS }),
        fc.array(fc.tuple(kindArb, fc.integer({ min: 1, max: MAX_MONEY_CENTS })), {
          maxLength: 30,
        }),
        (float, sales, refunds, moves) => {
          const movements = moves.map(([k, a], i) => movement(k, a, i));
          const expected = expectedCash({
            openingFloatCents: float,
            cashSalesCents: sales,
            cashRefundsCents: refunds,
            movements,
          });
          const reversed = expectedCash({
            openingFloatCents: float,
            cashSalesCents: sales,
            cashRefundsCents: refunds,
            movements: [...movements].reverse(),
          });
          expect(Number.isSafeInteger(expected)).toBe(true);
          expect(reversed).toBe(expected);
          const ins = movements.filter((m) => signedAmount(m) > 0);
          const outs = movements.filter((m) => signedAmount(m) < 0);
          const sum = (ms: CashMovement[]) => ms.reduce((s, m) => s + m.amountCents, 0);
          expect(expected).toBe(float + sales - refunds + sum(ins) - sum(outs));
        },
      ),
      SEED,
    );
  });

  it('counts cash payments of completed sales (rounding included) and cash refunds only', () => {
    const pay = (method: 'cash' | 'qr', amountCents: number): Payment => ({
      method,
      amountCents,
      tenderedCents: null,
      changeCents: null,
    });
    const sales: Pick<Sale, 'status' | 'payments'>[] = [
      { status: 'completed', payments: [pay('cash', 995)] },
      { status: 'completed', payments: [pay('qr', 500), pay('cash', 250)] },
      { status: 'voided', payments: [pay('cash', 10_000)] },
      { status: 'completed', payments: [pay('qr', 700)] },
    ];
    expect(cashSalesCents(sales)).toBe(1245);
    expect(
      cashRefundsCents([
        { method: 'cash', totalCents: 300 },
        { method: 'qr', totalCents: 900 },
      ]),
    ).toBe(300);
  });
});

describe("a split sale's refund in the cash book: card first, only the cash handed back", () => {
  /** A till made of the domain's own rules: products, sales as buildSale makes them, refunds. */
  class Till {
    private n = 0;
    private next = (prefix: string) => `${prefix}-${String(++this.n).padStart(6, '0')}`;
    product({ priceCents }: { priceCents: number }): CartProduct {
      const id = this.next('product');
      return { id, name: id, priceCents, vatRate: 21 };
    }
    sale(
      eventId: string,
      items: readonly { product: CartProduct; quantity?: number }[],
      { payment }: { payment: SalePaymentInput },
    ): { sale: Sale; lines: SaleLine[] } {
      let cart = emptyCart();
      for (const item of items) cart = addProduct(cart, item.product, item.quantity ?? 1);
      const draft = buildSale({
        id: this.next('sale'),
        eventId,
        makerId: 'maker-1',
        hlc: this.next('hlc'),
        createdAt: 1,
        cart,
        payment,
        lineIds: () => this.next('line'),
      });
      return {
        sale: { ...draft.sale, deviceId: 'device-1', receiptNumber: this.n },
        lines: draft.lines,
      };
    }
    refundOf(
      record: { sale: Sale; lines: SaleLine[] },
      lines: { position: number; quantity: number }[],
      earlier: readonly { refund: Refund }[] = [],
    ): { refund: Refund } {
      const refund = planRefund(
        record.sale,
        record.lines,
        earlier.map((r) => r.refund),
        {
          id: this.next('refund'),
          saleId: record.sale.id,
          reason: 'Kapot',
          createdAt: 2,
          hlc: this.next('hlc'),
          lines: lines.map((l) => ({
            saleLineId: record.lines[l.position]?.id ?? 'no-such-line',
            quantity: l.quantity,
          })),
        },
        'device-1',
      );
      return { refund };
    }
  }
  const device = () => new Till();

  it('a refund of a part-cash, part-card sale takes from the drawer only what went back in cash', () => {
    const d = device();
    const vase = d.product({ priceCents: 600 });
    const mug = d.product({ priceCents: 400 });
    // 10.00: 4.00 in cash, 6.00 by card.
    const sale = d.sale('event-1', [{ product: vase }, { product: mug }], {
      payment: { method: 'split', cashPartCents: 400, tenderedCents: 400, cashRounding: false },
    });
    const first = d.refundOf(sale, [{ position: 1, quantity: 1 }]);
    // 4.00 back: all of it by card (6.00 went in by card).
    expect(first.refund).toMatchObject({ totalCents: 400, method: 'qr' });
    expect(first.refund.cashCents).toBeUndefined();
    const second = d.refundOf(sale, [{ position: 0, quantity: 1 }], [first]);
    // 6.00 back: the card's last 2.00, then 4.00 in cash.
    expect(second.refund).toMatchObject({ totalCents: 600, method: 'cash', cashCents: 400 });
    const refunds = [first.refund, second.refund];
    expect(cashSalesCents([sale.sale])).toBe(400);
    expect(cashRefundsCents(refunds)).toBe(400);
    expect(
      expectedCash({
        openingFloatCents: 5000,
        cashSalesCents: cashSalesCents([sale.sale]),
        cashRefundsCents: cashRefundsCents(refunds),
        movements: [],
      }),
    ).toBe(5000);
  });

  it("an older app's refund without the cash part reads as before: all of it when its method is cash", () => {
    expect(cashRefundsCents([{ method: 'cash', totalCents: 600 }])).toBe(600);
    expect(cashRefundsCents([{ method: 'qr', totalCents: 600 }])).toBe(0);
    expect(cashRefundsCents([{ method: 'cash', totalCents: 600, cashCents: 150 }])).toBe(150);
  });

  it('expected cash = float + cash sales - cash refunds +/- movements, for random split sales and partial refunds (property)', () => {
    const saleArb = fc.record({
      prices: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 4 }),
      quantities: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
      cashShare: fc.double({ min: 0, max: 1, noNaN: true }),
      refunds: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.integer({ min: 1, max: 3 })), {
        maxLength: 6,
      }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(saleArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(kindArb, fc.integer({ min: 1, max: 10_000 })), { maxLength: 6 }),
        (float, specs, moves) => {
          const d = device();
          const sales: Sale[] = [];
          const refunds: Refund[] = [];
          let cashIn = 0;
          let cashBack = 0;
          for (const spec of specs) {
            const products = spec.prices.map((priceCents) => d.product({ priceCents }));
            const items = products.map((product, i) => ({
              product,
              quantity: spec.quantities[i] ?? 1,
            }));
            const total = items.reduce((sum, it) => sum + it.product.priceCents * it.quantity, 0);
            // A split needs some of each; 0 or all is a plain cash or card sale.
            // At least 0.50 by card in a split (split-payment.ts MIN_ELECTRONIC_CENTS).
            const cash = Math.min(Math.floor(total * spec.cashShare), total - 50);
            const payment =
              cash <= 0
                ? ({ method: 'qr' } as const)
                : spec.cashShare === 1
                  ? ({ method: 'cash', tenderedCents: total, cashRounding: false } as const)
                  : ({
                      method: 'split',
                      cashPartCents: cash,
                      tenderedCents: cash,
                      cashRounding: false,
                    } as const);
            const record = d.sale('event-1', items, { payment });
            sales.push(record.sale);
            const cashPaid = record.sale.payments
              .filter((p) => p.method === 'cash')
              .reduce((sum, p) => sum + p.amountCents, 0);
            cashIn += cashPaid;
            // The model: card first, so cash goes back only once the card part is used up.
            let cardLeft = record.sale.totalCents - cashPaid;
            const earlier: { refund: Refund }[] = [];
            for (const [position, quantity] of spec.refunds) {
              let refund;
              try {
                refund = d.refundOf(
                  record,
                  [{ position: position % items.length, quantity }],
                  earlier,
                );
              } catch {
                continue; // more than remains of that line
              }
              earlier.push(refund);
              refunds.push(refund.refund);
              const byCard = Math.min(refund.refund.totalCents, cardLeft);
              cardLeft -= byCard;
              cashBack += refund.refund.totalCents - byCard;
            }
            // Never more cash back than the sale took in cash.
            expect(
              earlier.reduce((sum, r) => sum + cashRefundsCents([r.refund]), 0),
            ).toBeLessThanOrEqual(cashPaid);
          }
          const movements = moves.map(([k, a], i) => movement(k, a, i));
          const signed = movements.reduce((sum, m) => sum + signedAmount(m), 0);
          expect(cashSalesCents(sales)).toBe(cashIn);
          expect(cashRefundsCents(refunds)).toBe(cashBack);
          expect(
            expectedCash({
              openingFloatCents: float,
              cashSalesCents: cashSalesCents(sales),
              cashRefundsCents: cashRefundsCents(refunds),
              movements,
            }),
          ).toBe(float + cashIn - cashBack + signed);
        },
      ),
      { seed: 8, numRuns: 150 },
    );
  });
});

describe('the book never goes negative: the warning comes before the movement', () => {
  const book = { openingFloatCents: 1000, cashSalesCents: 500, cashRefundsCents: 0, movements: [] };

  it('says how short the book would be before it is saved', () => {
    expect(movementCheck(book, { kind: 'expense', amountCents: 1500 })).toEqual({
      ok: true,
      balanceAfterCents: 0,
    });
    expect(movementCheck(book, { kind: 'private-withdrawal', amountCents: 1501 })).toEqual({
      ok: false,
      balanceAfterCents: -1,
      shortCents: 1,
    });
    expect(movementCheck(book, { kind: 'private-deposit', amountCents: 1501 }).ok).toBe(true);
  });

  it('refuses a movement that would take it below zero, with the field named', () => {
    expect(
      codeOf(() =>
        planMovement(day, book, {
          id: 'm',
          kind: 'bank-deposit',
          description: 'to the bank',
          amountCents: 1501,
          createdAt: 1,
          hlc: '1',
        }),
      ),
    ).toBe('negative/amount');
  });

  it('any sequence of accepted movements keeps every balance at zero or above (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.tuple(kindArb, fc.integer({ min: 1, max: 50_000 })), { maxLength: 40 }),
        (float, moves) => {
          const accepted: CashMovement[] = [];
          moves.forEach(([kind, amountCents], i) => {
            const figures = {
              openingFloatCents: float,
              cashSalesCents: 0,
              cashRefundsCents: 0,
              movements: accepted,
            };
            const before = expectedCash(figures);
            try {
              accepted.push(
                planMovement({ ...day, openingFloatCents: float }, figures, {
                  id: `m-${i}`,
                  kind,
                  description: 'd',
                  amountCents,
                  createdAt: i,
                  hlc: String(i),
                }),
              );
            } catch (error) {
              expect((error as CashBookError).code).toBe('negative');
              expect(before + signedAmount({ kind, amountCents })).toBeLessThan(0);
            }
            let running = float;
            for (const m of accepted) {
              running += signedAmount(m);
              expect(running).toBeGreaterThanOrEqual(0);
            }
          });
        },
      ),
      SEED,
    );
  });
});

describe('bounds on every input', () => {
  it('float: whole cents 0..one million euros', () => {
    expect(validateFloat(0)).toBe(0);
    expect(validateFloat(MAX_MONEY_CENTS)).toBe(MAX_MONEY_CENTS);
    for (const bad of [-1, 0.5, MAX_MONEY_CENTS + 1, 2 ** 31, 2 ** 53, NaN, Infinity, '5', null]) {
      expect(codeOf(() => validateFloat(bad))).toBe('bad-float/float');
    }
  });

  it('amount: whole cents 1..one million euros', () => {
    expect(validateMovementAmount(1)).toBe(1);
    for (const bad of [0, -1, 1.5, MAX_MONEY_CENTS + 1, 2 ** 31, 2 ** 53, NaN, undefined]) {
      expect(codeOf(() => validateMovementAmount(bad))).toBe('bad-amount/amount');
    }
  });

  it('description: 1..200 characters, trimmed; NUL and lone surrogates refused with a clear message', () => {
    expect(validateDescription('  koffie  ')).toBe('koffie');
    expect(validateDescription('€'.repeat(MAX_CASH_DESCRIPTION_LENGTH))).toHaveLength(200);
    // Characters, not UTF-16 units: 200 emoji are 400 units and fit.
    expect([...validateDescription('🧁'.repeat(200))]).toHaveLength(200);
    expect(codeOf(() => validateDescription('x'.repeat(201)))).toBe(
      'description-too-long/description',
    );
    expect(codeOf(() => validateDescription('   '))).toBe('description-required/description');
    expect(codeOf(() => validateDescription(''))).toBe('description-required/description');
    expect(codeOf(() => validateDescription(42))).toBe('description-required/description');
    expect(codeOf(() => validateDescription('a\u0000b'))).toBe('unsafe-text/description');
    expect(codeOf(() => validateDescription('a\ud800b'))).toBe('unsafe-text/description');
    expect(codeOf(() => validateDescription('\udc00'))).toBe('unsafe-text/description');
    expect(() => validateDescription('a\u0000b')).toThrow(/NUL/);
  });

  it('kind: only the five kinds', () => {
    const base = { id: 'm', description: 'd', amountCents: 1, createdAt: 1, hlc: '1' };
    const book = { openingFloatCents: 0, cashSalesCents: 0, cashRefundsCents: 0, movements: [] };
    expect(codeOf(() => planMovement(day, book, { ...base, kind: 'gift' }))).toBe('bad-kind/kind');
    expect(codeOf(() => planMovement(day, book, { ...base, kind: undefined }))).toBe(
      'bad-kind/kind',
    );
  });

  it(`a day holds at most ${MAX_MOVEMENTS_PER_DAY} movements`, () => {
    const full = Array.from({ length: MAX_MOVEMENTS_PER_DAY }, (_, i) =>
      movement('private-deposit', 1, i),
    );
    const book = { openingFloatCents: 0, cashSalesCents: 0, cashRefundsCents: 0, movements: full };
    expect(
      codeOf(() =>
        planMovement(day, book, {
          id: 'm',
          kind: 'private-deposit',
          description: 'd',
          amountCents: 1,
          createdAt: 1,
          hlc: '1',
        }),
      ),
    ).toBe('too-many-movements/amount');
  });
});

describe('the count at close: by total or by note and coin', () => {
  it('counts euro notes 500..5 and coins 2 euro..1 cent', () => {
    expect(DENOMINATIONS).toEqual([
      50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1,
    ]);
    expect(
      validateCount({ pieces: { '2000': 2, '500': 1, '200': 3, '5': 1, '1': 2, '10': 0 } }),
    ).toEqual({
      countedCents: 4000 + 500 + 600 + 5 + 2,
      pieces: { '2000': 2, '500': 1, '200': 3, '5': 1, '1': 2 },
    });
  });

  it('by total', () => {
    expect(validateCount({ countedCents: 12_345 })).toEqual({ countedCents: 12_345, pieces: null });
    expect(validateCount({ countedCents: 0, pieces: null })).toEqual({
      countedCents: 0,
      pieces: null,
    });
  });

  it('refuses unknown denominations, bad numbers of pieces, a total that does not match, too much', () => {
    expect(codeOf(() => validateCount({ pieces: { '300': 1 } }))).toBe('bad-pieces/pieces');
    expect(codeOf(() => validateCount({ pieces: { '0.5': 1 } }))).toBe('bad-pieces/pieces');
    expect(codeOf(() => validateCount({ pieces: { '500': -1 } }))).toBe('bad-pieces/pieces');
    expect(codeOf(() => validateCount({ pieces: { '500': 1.5 } }))).toBe('bad-pieces/pieces');
    expect(codeOf(() => validateCount({ pieces: { '500': MAX_PIECES + 1 } }))).toBe(
      'bad-pieces/pieces',
    );
    expect(codeOf(() => validateCount({ pieces: [] }))).toBe('bad-pieces/pieces');
    expect(codeOf(() => validateCount({ pieces: 'x' }))).toBe('bad-pieces/pieces');
    expect(codeOf(() => validateCount({ pieces: { '50000': MAX_PIECES } }))).toBe(
      'bad-count/count',
    );
    expect(codeOf(() => validateCount({ countedCents: 100, pieces: { '50': 1 } }))).toBe(
      'count-mismatch/count',
    );
    for (const bad of [-1, 0.1, MAX_MONEY_CENTS + 1, 2 ** 53, undefined, '10']) {
      expect(codeOf(() => validateCount({ countedCents: bad }))).toBe('bad-count/count');
    }
  });

  it('a count by pieces totals the pieces (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...DENOMINATIONS.map(String)),
          fc.integer({ min: 0, max: 1000 }),
        ),
        (pieces) => {
          const count = validateCount({ pieces });
          expect(count.countedCents).toBe(piecesTotal(pieces));
          expect(Object.values(count.pieces ?? {}).every((n) => n > 0)).toBe(true);
        },
      ),
      SEED,
    );
  });
});

describe('the day report', () => {
  it('holds the float, takings, refunds, each movement, expected, counted, difference', () => {
    const movements = [movement('expense', 700, 2), movement('private-withdrawal', 1000, 1)];
    const report = planReport(
      day,
      { openingFloatCents: 5000, cashSalesCents: 9_995, cashRefundsCents: 450, movements },
      { pieces: { '5000': 1, '2000': 1, '1000': 1, '200': 5, '100': 1, '50': 1, '20': 2 } },
      { id: 'r-1', number: 3, closedAt: 99, hlc: '0099' },
    );
    expect(report).toMatchObject({
      id: 'r-1',
      number: 3,
      openingFloatCents: 5000,
      cashSalesCents: 9_995,
      cashRefundsCents: 450,
      expectedCents: 5000 + 9_995 - 450 - 700 - 1000,
      countedCents: 9190,
      differenceCents: 9190 - 12_845,
      closedAt: 99,
      deviceId: 'device-1',
    });
    expect(report.movements.map((m) => m.id)).toEqual(['m-1', 'm-2']);
  });

  it('difference = counted - expected (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (float, sales, counted) => {
          const r = planReport(
            day,
            { openingFloatCents: float, cashSalesCents: sales, cashRefundsCents: 0, movements: [] },
            { countedCents: counted },
            { id: 'r', number: 1, closedAt: 1, hlc: '1' },
          );
          expect(r.differenceCents).toBe(counted - (float + sales));
          expect(r.countedCents - r.differenceCents).toBe(r.expectedCents);
        },
      ),
      SEED,
    );
  });
});
