import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleRecordProblem, saleVoidProblem, stockMovementProblem } from './mutation-checks';
import {
  CursorSchema,
  MAX_PUSH_MUTATIONS,
  MutationSchema,
  PROTOCOL_VERSION,
  PullRequestSchema,
  PushRequestSchema,
} from './protocol';
import { RawDevice } from './testing/factories';

const device = new RawDevice();
const product = device.product({ priceCents: 1299, vatRate: 21 });
const event = device.event();

describe('protocol schemas', () => {
  it('accepts every mutation variant the domain makes', () => {
    const sale = device.sale(event.id, [{ product, quantity: 3 }]);
    for (const m of [
      sale,
      device.voidOf(sale),
      device.productUpsert(product, ['priceCents']),
      device.eventUpsert(event),
      device.stock(event.id, product.id, 4, 'restock'),
    ]) {
      expect(MutationSchema.safeParse(m).success, m.type).toBe(true);
    }
  });

  it('[G7] money is integer cents: a fraction, a string or a huge amount is refused', () => {
    const sale = device.sale(event.id, [{ product }]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noInteger: true }),
          fc.string(),
          fc.constant(Number.MAX_SAFE_INTEGER),
          fc.constant(Number.POSITIVE_INFINITY),
        ),
        (bad) => {
          const broken = { ...sale, sale: { ...sale.sale, totalCents: bad } };
          expect(MutationSchema.safeParse(broken).success).toBe(false);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('bounds a push: at most MAX_PUSH_MUTATIONS, positive integer sequence numbers, this protocol version', () => {
    const base = { protocol: PROTOCOL_VERSION, deviceId: device.deviceId, epoch: null };
    const many = Array.from({ length: MAX_PUSH_MUTATIONS + 1 }, (_, i) => ({
      seq: i + 1,
      mutation: {},
    }));
    expect(PushRequestSchema.safeParse({ ...base, mutations: many }).success).toBe(false);
    expect(PushRequestSchema.safeParse({ ...base, mutations: many.slice(1) }).success).toBe(true);
    for (const seq of [0, -1, 1.5, '1']) {
      expect(
        PushRequestSchema.safeParse({ ...base, mutations: [{ seq, mutation: {} }] }).success,
      ).toBe(false);
    }
    expect(PushRequestSchema.safeParse({ ...base, protocol: 2, mutations: [] }).success).toBe(
      false,
    );
  });

  it('accepts cursors that carry the scope they cover (and a catch-up position), nothing malformed or oversized', () => {
    const d = '0123456789ab';
    for (const ok of ['5.1~', `5.1~${d}`, `5.1~${d}.${d}`, `9.3~${d}~2.1~${d}`, `9.3~~0.0~${d}`]) {
      expect(CursorSchema.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of [
      '5.1~0123',
      `5.1~${d}.`,
      `5.1~${d.toUpperCase()}`,
      `5.1~${d}~2.1`,
      `5.1~${d}~18446744073709551616.1~${d}`,
      `5.1~${d}~2.1~${d}~`,
      `5.1~${Array.from({ length: 700 }, () => d).join('.')}`,
    ]) {
      expect(CursorSchema.safeParse(bad).success, bad.slice(0, 40)).toBe(false);
    }
  });

  it('accepts only cursors of the form the server hands out, within xid8 and bigint range', () => {
    for (const ok of [null, '0.0', '756.12', '18446744073709551615.9223372036854775807']) {
      expect(CursorSchema.safeParse(ok).success, String(ok)).toBe(true);
    }
    for (const bad of [
      '',
      '1',
      '1.',
      'a.b',
      '18446744073709551616.1',
      '1.9223372036854775808',
      ' 1.2',
      1,
    ]) {
      expect(CursorSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
    expect(
      PullRequestSchema.parse({ protocol: 1, deviceId: device.deviceId, cursor: null }).limit,
    ).toBe(500);
  });
});

describe('mutation checks [G7]', () => {
  it('a sale made by the domain adds up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 99_999 }),
        (quantity, price) => {
          const p = device.product({ priceCents: price });
          const sale = device.sale(event.id, [{ product: p, quantity }, { product }]);
          expect(saleRecordProblem(sale, device.deviceId)).toBeNull();
        },
      ),
      { seed: 12, numRuns: 100 },
    );
  });

  it('a split sale (cash part rounded, rest by phone/card) adds up; rounding off the cash part does not', () => {
    const scarf = device.product({ priceCents: 2347 });
    const split = device.sale(event.id, [{ product: scarf }], {
      payment: { method: 'split', cashPartCents: 1003, tenderedCents: 2000, cashRounding: true },
    });
    expect(split.sale.payments.map((p) => [p.method, p.amountCents])).toEqual([
      ['cash', 1005],
      ['qr', 1344],
    ]);
    expect(saleRecordProblem(split, device.deviceId)).toBeNull();
    // Rounding the whole total (2347 -> 2345) instead of the cash part: payments still add up.
    const wholeRounded = {
      ...split,
      sale: {
        ...split.sale,
        roundingCents: -2,
        paidCents: 2345,
        payments: [
          { method: 'cash' as const, amountCents: 1001, tenderedCents: 2000, changeCents: 999 },
          { method: 'qr' as const, amountCents: 1344, tenderedCents: null, changeCents: null },
        ],
      },
    };
    expect(saleRecordProblem(wholeRounded, device.deviceId)).toMatch(/5-cent rule/);
    // A phone/card sale with rounding: no cash to round.
    const card = device.sale(event.id, [{ product: scarf }], { payment: { method: 'qr' } });
    expect(saleRecordProblem(card, device.deviceId)).toBeNull();
    const roundedCard = {
      ...card,
      sale: {
        ...card.sale,
        roundingCents: -2,
        paidCents: 2345,
        payments: [{ ...card.sale.payments[0]!, amountCents: 2345 }],
      },
    };
    expect(saleRecordProblem(roundedCard, device.deviceId)).toMatch(/without a cash payment/);
  });

  it('names what does not add up', () => {
    const sale = device.sale(event.id, [{ product, quantity: 2 }]);
    const line = sale.lines[0];
    const movement = sale.movements[0];
    if (!line || !movement) throw new Error('fixture');
    const cases: [typeof sale, RegExp][] = [
      [{ ...sale, sale: { ...sale.sale, subtotalCents: sale.sale.subtotalCents + 1 } }, /subtotal/],
      [{ ...sale, sale: { ...sale.sale, itemCount: 3 } }, /item count/],
      [{ ...sale, sale: { ...sale.sale, roundingCents: 1 } }, /paid/],
      [{ ...sale, lines: [{ ...line, totalCents: line.totalCents - 1 }] }, /line 0 total/],
      [{ ...sale, lines: [line, { ...line }] }, /position/],
      [{ ...sale, movements: [{ ...movement, delta: -1 }] }, /quantity sold/],
      [{ ...sale, movements: [{ ...movement, kind: 'restock' }] }, /not this sale/],
      [{ ...sale, sale: { ...sale.sale, status: 'voided' } }, /completed/],
      [{ ...sale, sale: { ...sale.sale, deviceId: new RawDevice().deviceId } }, /another device/],
    ];
    for (const [broken, reason] of cases) {
      expect(saleRecordProblem(broken, device.deviceId)).toMatch(reason);
    }
    const voided = device.voidOf(sale);
    if (voided.type !== 'sale.void') throw new Error('fixture');
    expect(saleVoidProblem(voided, device.deviceId)).toBeNull();
    expect(saleVoidProblem({ ...voided, reason: '  ' }, device.deviceId)).toMatch(/reason/);
    const restock = device.stock(event.id, product.id, 2, 'restock');
    if (restock.type !== 'stock.movement') throw new Error('fixture');
    expect(stockMovementProblem(restock, device.deviceId)).toBeNull();
    expect(
      stockMovementProblem(
        { ...restock, movement: { ...restock.movement, kind: 'sale' } },
        device.deviceId,
      ),
    ).toMatch(/only restocks/);
    expect(
      stockMovementProblem(
        { ...restock, movement: { ...restock.movement, delta: -2 } },
        device.deviceId,
      ),
    ).toMatch(/adds stock/);
  });
});
