import { describe, expect, it } from 'vitest';
import type { CheckoutAnswer } from './contract';
import { watchCheckout, watchDelayMs, type PaymentsResult } from './client';

const answer = (state: CheckoutAnswer['state']): CheckoutAnswer => ({
  saleId: '0190a000-0000-7000-8000-000000000001',
  state,
  url: state === 'open' ? 'https://checkout.test/x' : null,
  amountCents: 1050,
  paidCents: state === 'paid' ? 1050 : null,
  amountMismatch: false,
  expiresAt: '2026-12-06T22:00:00.000Z',
});

describe('watching a payment', () => {
  it('[no hammering] waits 1, 2, 3, 5, 5 … seconds, doubling after failures up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => watchDelayMs(a, 0))).toEqual([
      1000, 2000, 3000, 5000, 5000, 5000,
    ]);
    expect(watchDelayMs(5, 1)).toBe(10_000);
    expect(watchDelayMs(5, 9)).toBe(30_000);
  });

  it('stops at the first final answer, riding out a failed look on the way', async () => {
    const answers: PaymentsResult<CheckoutAnswer>[] = [
      { ok: true, value: answer('open') },
      { ok: false, failure: 'offline' },
      { ok: true, value: answer('processing') },
      { ok: true, value: answer('paid') },
      { ok: true, value: answer('paid') },
    ];
    const slept: number[] = [];
    const seen: string[] = [];
    const final = await watchCheckout({
      fetchAnswer: () => Promise.resolve(answers.shift() ?? { ok: false, failure: 'unknown' }),
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
      onAnswer: (a) => seen.push(a.state),
      stopped: () => false,
    });
    expect(final?.state).toBe('paid');
    expect(seen).toEqual(['open', 'processing', 'paid']);
    expect(slept).toEqual([1000, 2000, 6000, 5000]);
    expect(answers).toHaveLength(1);
  });

  it('stops when the maker closes the payment', async () => {
    let looks = 0;
    let stop = false;
    await watchCheckout({
      fetchAnswer: () => {
        looks += 1;
        if (looks === 2) stop = true;
        return Promise.resolve({ ok: true, value: answer('open') });
      },
      sleep: () => Promise.resolve(),
      stopped: () => stop,
    });
    expect(looks).toBe(2);
  });
});
