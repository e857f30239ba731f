import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advanceRefundState,
  electronicPaidCents,
  givenRefundParts,
  refundCashCents,
  refundPartsOf,
  refundPaymentMethods,
  type ElectronicRefundState,
} from './electronic-refund';
import type { Payment } from './types';

const cash = (amountCents: number): Payment => ({
  method: 'cash',
  amountCents,
  tenderedCents: amountCents,
  changeCents: 0,
});
const card = (amountCents: number): Payment => ({
  method: 'qr',
  amountCents,
  tenderedCents: null,
  changeCents: null,
});
const refund = (id: string, hlc: string, totalCents: number) => ({ id, hlc, totalCents });

describe('electronic refunds (docs/payments.md "Refunds")', () => {
  it('[refund-split] a sale paid by phone/card is refunded electronically, in full and in parts', () => {
    const sale = { payments: [card(1050)] };
    expect(electronicPaidCents(sale)).toBe(1050);
    const parts = refundPartsOf(sale, [refund('b', 'h2', 700), refund('a', 'h1', 350)]);
    expect(parts.get('a')).toEqual({ electronicCents: 350, cashCents: 0 });
    expect(parts.get('b')).toEqual({ electronicCents: 700, cashCents: 0 });
  });

  it('[refund-split] a cash sale is refunded in cash', () => {
    const parts = refundPartsOf({ payments: [cash(900)] }, [refund('a', 'h1', 900)]);
    expect(parts.get('a')).toEqual({ electronicCents: 0, cashCents: 900 });
  });

  it('[refund-split] a split sale is refunded card first; only what card cannot cover goes back in cash', () => {
    const sale = { payments: [cash(400), card(600)] };
    const parts = refundPartsOf(sale, [
      refund('one', 'h1', 500),
      refund('two', 'h2', 300),
      refund('three', 'h3', 200),
    ]);
    expect(parts.get('one')).toEqual({ electronicCents: 500, cashCents: 0 });
    expect(parts.get('two')).toEqual({ electronicCents: 100, cashCents: 200 });
    expect(parts.get('three')).toEqual({ electronicCents: 0, cashCents: 200 });
  });

  it('[refund-split] money already given back in the dashboard is taken off what can go back electronically', () => {
    const parts = refundPartsOf({ payments: [card(1000)] }, [refund('a', 'h1', 600)], 500);
    expect(parts.get('a')).toEqual({ electronicCents: 500, cashCents: 100 });
  });

  it('[refund-split] never more back electronically than was paid electronically, whatever the refunds (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.nat(100_000),
        fc.nat(100_000),
        fc.array(fc.nat(50_000), { maxLength: 8 }),
        (cashCents, cardCents, outside, totals) => {
          const sale = { payments: [cash(cashCents), card(cardCents)] };
          const refunds = totals.map((t, i) =>
            refund(`r${i}`, `h${String(i).padStart(2, '0')}`, t),
          );
          const parts = [...refundPartsOf(sale, refunds, outside).values()];
          const electronic = parts.reduce((s, p) => s + p.electronicCents, 0);
          expect(electronic).toBeLessThanOrEqual(Math.max(0, cardCents - outside));
          for (const [i, p] of parts.entries()) {
            expect(p.electronicCents).toBeGreaterThanOrEqual(0);
            expect(p.cashCents).toBeGreaterThanOrEqual(0);
            expect(p.electronicCents + p.cashCents).toBe(totals[i]);
          }
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });

  it('[refund-state] states only move forward: pending → refunded → failed, in any order of news', () => {
    const states: ElectronicRefundState[] = ['pending', 'refunded', 'failed'];
    expect(advanceRefundState('pending', 'refunded')).toBe('refunded');
    expect(advanceRefundState('refunded', 'pending')).toBe('refunded');
    expect(advanceRefundState('failed', 'refunded')).toBe('failed');
    for (const a of states)
      for (const b of states) {
        expect(advanceRefundState(advanceRefundState('pending', a), b)).toBe(
          advanceRefundState(advanceRefundState('pending', b), a),
        );
      }
  });
});

describe('the parts a refund record carries (cashCents)', () => {
  const refund = (id: string, hlc: string, totalCents: number, more = {}) => ({
    id,
    hlc,
    totalCents,
    method: 'cash' as const,
    ...more,
  });

  it('a record with its cash part is read as it says; without, as before (method) or by the rule', () => {
    expect(refundCashCents(refund('a', 'h1', 800, { cashCents: 200 }))).toBe(200);
    expect(refundCashCents(refund('a', 'h1', 800))).toBe(800);
    expect(refundCashCents({ ...refund('a', 'h1', 800), method: 'qr' })).toBe(0);
    // Out of bounds (never accepted by sync, but read safely): kept within 0..totalCents.
    expect(refundCashCents(refund('a', 'h1', 800, { cashCents: 900 }))).toBe(800);
    const sale = { payments: [cash(400), card(600)] };
    const parts = givenRefundParts(sale, [
      refund('b', 'h2', 300, { cashCents: 300 }),
      refund('a', 'h1', 500),
    ]);
    // 'b' carries its parts; 'a' (an older app's) goes by the rule: card first.
    expect(parts.get('b')).toEqual({ cashCents: 300, electronicCents: 0 });
    expect(parts.get('a')).toEqual({ cashCents: 0, electronicCents: 500 });
  });

  it('a refund row names what went back: cash, qr, or cash+qr', () => {
    expect(refundPaymentMethods(refund('a', 'h1', 800, { cashCents: 200 }))).toBe('cash+qr');
    expect(refundPaymentMethods(refund('a', 'h1', 800))).toBe('cash');
    expect(refundPaymentMethods(refund('a', 'h1', 800, { cashCents: 0 }))).toBe('qr');
    expect(refundPaymentMethods({ ...refund('a', 'h1', 800), method: 'qr' })).toBe('qr');
  });
});
