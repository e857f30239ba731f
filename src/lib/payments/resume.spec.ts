import { describe, expect, it } from 'vitest';
import type { CheckoutAnswer } from './contract';
import { resumeAction } from './resume';

const answer = (overrides: Partial<CheckoutAnswer>): CheckoutAnswer => ({
  saleId: '0190a4f0-0000-7000-8000-000000000001',
  state: 'open',
  url: 'https://checkout.stripe.test/pay/cs_1',
  amountCents: 1050,
  paidCents: null,
  amountMismatch: false,
  expiresAt: '2026-12-07T12:00:00.000Z',
  ...overrides,
});

describe('resuming a payment after the till was reloaded (docs/payments.md)', () => {
  it('[resume] paid meanwhile: the sale is recorded; already stored: nothing (never twice)', () => {
    const paid = { ok: true as const, value: answer({ state: 'paid', paidCents: 1050 }) };
    expect(resumeAction(false, paid)).toBe('record');
    expect(resumeAction(true, paid)).toBeNull();
  });

  it('[resume] still open or processing: the waiting dialog comes back', () => {
    expect(resumeAction(false, { ok: true, value: answer({}) })).toBe('watch');
    expect(resumeAction(false, { ok: true, value: answer({ state: 'processing' }) })).toBe('watch');
  });

  it('[resume] expired, failed or another amount: the outcome is shown, nothing recorded', () => {
    for (const value of [
      answer({ state: 'expired', url: null }),
      answer({ state: 'failed' }),
      answer({ state: 'paid', paidCents: 1049, amountMismatch: true }),
    ]) {
      expect(resumeAction(false, { ok: true, value })).toBe('show-outcome');
    }
  });

  it('[resume] no payment on the server forgets the id; no answer keeps it for the next time', () => {
    expect(resumeAction(false, { ok: false, failure: 'not_found' })).toBe('forget');
    expect(resumeAction(false, { ok: false, failure: 'offline' })).toBe('keep');
    expect(resumeAction(false, { ok: false, failure: 'signed_out' })).toBe('keep');
  });
});
