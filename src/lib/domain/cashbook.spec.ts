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
import type { Payment, Sale } from './types';

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
