import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { progressOf, SHOW_PROGRESS_AFTER_MS, timeLeftParts } from './progress';

describe('progressOf', () => {
  it('[progress] received X of about Y: the total is what came plus what is left', () => {
    const p = progressOf({ done: 2500, remaining: 7500, startedAt: 0, now: 5000 });
    expect(p.total).toBe(10_000);
    expect(p.share).toBe(0.25);
    // 2,500 in 5 s: the 7,500 left take about 15 s.
    expect(p.msLeft).toBe(15_000);
    expect(p.show).toBe(true);
  });

  it('[progress] shown only after a second; no time left in the first moments or with nothing done', () => {
    expect(progressOf({ done: 100, remaining: 900, startedAt: 0, now: 400 })).toMatchObject({
      show: false,
      msLeft: null,
    });
    expect(
      progressOf({ done: 0, remaining: 900, startedAt: 0, now: SHOW_PROGRESS_AFTER_MS + 1 }),
    ).toMatchObject({ show: true, msLeft: null, share: 0 });
    // Too little done to say (under 2%).
    expect(progressOf({ done: 1, remaining: 999, startedAt: 0, now: 3000 }).msLeft).toBeNull();
  });

  it('[progress] an older server says nothing of what is left: count only, no total, no time', () => {
    expect(progressOf({ done: 1200, remaining: null, startedAt: 0, now: 3000 })).toEqual({
      done: 1200,
      total: null,
      share: null,
      msLeft: null,
      show: true,
    });
  });

  it('[progress] finished work is 100% with no time left; nothing to do is done', () => {
    expect(progressOf({ done: 10, remaining: 0, startedAt: 0, now: 2000 })).toMatchObject({
      share: 1,
      msLeft: 0,
      total: 10,
    });
    expect(progressOf({ done: 0, remaining: 0, startedAt: 0, now: 2000 }).share).toBe(1);
  });

  it('[progress] bad numbers never give a negative, NaN or infinite figure', () => {
    for (const [done, remaining, startedAt, now] of [
      [-5, -1, 0, 10],
      [Number.NaN, 10, 0, 5000],
      [10, Number.POSITIVE_INFINITY, 0, 5000],
      [2 ** 53, 2 ** 53, 0, 2 ** 53],
      [5, 5, 10_000, 0],
    ] as const) {
      const p = progressOf({ done, remaining, startedAt, now });
      for (const value of [p.done, p.total, p.share, p.msLeft]) {
        if (value !== null) {
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('[progress] property: the share is within 0..1 and the time left is the rate so far', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.nat(1_000_000),
        fc.integer({ min: 0, max: 3_600_000 }),
        (done, remaining, elapsed) => {
          const p = progressOf({ done, remaining, startedAt: 1000, now: 1000 + elapsed });
          expect(p.share).toBeGreaterThanOrEqual(0);
          expect(p.share).toBeLessThanOrEqual(1);
          expect(p.total).toBe(done + remaining);
          if (p.msLeft !== null) {
            expect(Math.abs(p.msLeft - (elapsed / done) * remaining)).toBeLessThanOrEqual(0.5);
          }
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('timeLeftParts', () => {
  it('[progress] seconds under a minute, whole minutes after, always rounded up', () => {
    expect(timeLeftParts(0)).toEqual({ seconds: 1 });
    expect(timeLeftParts(1200)).toEqual({ seconds: 2 });
    expect(timeLeftParts(59_000)).toEqual({ seconds: 59 });
    expect(timeLeftParts(60_000)).toEqual({ minutes: 1 });
    expect(timeLeftParts(61_000)).toEqual({ minutes: 2 });
  });
});
