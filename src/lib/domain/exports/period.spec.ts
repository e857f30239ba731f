import { describe, expect, it } from 'vitest';
import { inRange, localMidnight, periodRange, periodSlug } from './period';

describe('export periods', () => {
  it('[EXP4] a quarter runs from local midnight to local midnight in Amsterdam, summer time included', () => {
    const q2 = periodRange({ kind: 'quarter', year: 2026, quarter: 2 });
    expect(new Date(q2.from).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(new Date(q2.to).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    const q4 = periodRange({ kind: 'quarter', year: 2026, quarter: 4 });
    expect(new Date(q4.from).toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(new Date(q4.to).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    // 00:30 on 1 April (local) is in Q2, 23:59 on 31 March in Q1.
    expect(inRange(q2, Date.parse('2026-03-31T22:30:00Z'))).toBe(true);
    expect(inRange(q2, Date.parse('2026-03-31T21:59:00Z'))).toBe(false);
    expect(inRange(q2, q2.to)).toBe(false);
  });

  it('[EXP5] months and years, and their file-name parts', () => {
    const march = periodRange({ kind: 'month', year: 2026, month: 3 });
    expect(new Date(march.from).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(march.to).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    const year = periodRange({ kind: 'year', year: 2026 });
    expect(year.from).toBe(localMidnight(2026, 1, 1));
    expect(new Date(year.to).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(periodSlug({ kind: 'quarter', year: 2026, quarter: 4 })).toBe('2026-K4');
    expect(periodSlug({ kind: 'quarter', year: 2026, quarter: 4 }, { language: 'en' })).toBe(
      '2026-Q4',
    );
    expect(periodSlug({ kind: 'month', year: 2026, month: 3 })).toBe('2026-03');
    expect(
      periodSlug(
        { kind: 'event', eventId: 'e' },
        { event: { date: '2026-05-16', name: 'Café Zomer/Markt!' } },
      ),
    ).toBe('2026-05-16-cafe-zomer-markt');
    expect(periodSlug({ kind: 'event', eventId: 'e' }, { event: { date: 'x', name: 'سوق' } })).toBe(
      'evenement',
    );
  });

  it('[EXP6] a malformed period is refused', () => {
    for (const bad of [
      { kind: 'quarter', year: 2026, quarter: 5 },
      { kind: 'quarter', year: 2026, quarter: 0 },
      { kind: 'month', year: 2026, month: 13 },
      { kind: 'month', year: 2026, month: 1.5 },
      { kind: 'year', year: 2 ** 53 },
      { kind: 'year', year: 1999 },
      { kind: 'year', year: Number.NaN },
    ] as const) {
      expect(() => periodRange(bad)).toThrow(RangeError);
    }
  });
});
