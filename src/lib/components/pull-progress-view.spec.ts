// In Dutch, the base locale (as sync-status-view.spec.ts).
import { describe, expect, it } from 'vitest';
import { pullProgressView } from './pull-progress-view';

describe('pullProgressView', () => {
  it('[progress] nothing while no pull runs, or during its first second', () => {
    expect(pullProgressView(null, 5000)).toBeNull();
    expect(pullProgressView({ received: 500, remaining: 9500, startedAt: 0 }, 900)).toBeNull();
  });

  it('[progress] received X of about Y, and the time left once it can be said', () => {
    expect(pullProgressView({ received: 2000, remaining: 8000, startedAt: 0 }, 4000)).toEqual({
      text: '2000 van ongeveer 10000 wijzigingen ontvangen · nog ongeveer 16 seconden',
      value: 2000,
      max: 10_000,
    });
    expect(
      pullProgressView({ received: 5000, remaining: 95_000, startedAt: 0 }, 10_000)?.text,
    ).toBe('5000 van ongeveer 100000 wijzigingen ontvangen · nog ongeveer 4 minuten');
    // Too early to say how long: the count alone.
    expect(pullProgressView({ received: 10, remaining: 99_990, startedAt: 0 }, 2000)?.text).toBe(
      '10 van ongeveer 100000 wijzigingen ontvangen',
    );
  });

  it('[progress] an older server that says nothing of what is left: the count alone', () => {
    expect(pullProgressView({ received: 1500, remaining: null, startedAt: 0 }, 3000)).toEqual({
      text: '1500 wijzigingen ontvangen',
      value: 1500,
      max: null,
    });
  });
});
