import { describe, expect, it } from 'vitest';
import { showsSaleDate } from './sale-time';
import { emptySummary, hoursByDay, summaryReport } from './summary';

describe('a sale’s date beside its time', () => {
  it('is shown only when the sale’s day is not the event’s day', () => {
    expect(showsSaleDate('2026-12-06T14', '2026-12-06')).toBe(false);
    expect(showsSaleDate('2026-12-08T14', '2026-12-06')).toBe(true);
    // Just past midnight is another day too.
    expect(showsSaleDate('2026-12-07T00', '2026-12-06')).toBe(true);
  });
});

describe('the hour chart grouped by day', () => {
  it('a phone two days ahead: two days of a few bars each, not 49 hourly bars across both', () => {
    const byHour = {
      '2026-12-06T10': { count: 2, cents: 700 },
      '2026-12-06T12': { count: 1, cents: 350 },
      '2026-12-08T11': { count: 3, cents: 1050 },
    };
    const days = hoursByDay(byHour);
    expect(days.map((d) => [d.day, d.hours.map((h) => h.hour)])).toEqual([
      ['2026-12-06', ['2026-12-06T10', '2026-12-06T11', '2026-12-06T12']],
      ['2026-12-08', ['2026-12-08T11']],
    ]);
    expect(days[0]?.hours.map((h) => h.count)).toEqual([2, 0, 1]);
    const report = summaryReport({ ...emptySummary('e'), byHour });
    expect(report.perDay).toEqual(days);
    expect(report.perDay.flatMap((d) => d.hours)).toHaveLength(4);
  });

  it('no sales, no days; one day stays one day', () => {
    expect(hoursByDay({})).toEqual([]);
    expect(hoursByDay({ '2026-12-06T09': { count: 1, cents: 1 } })).toEqual([
      { day: '2026-12-06', hours: [{ hour: '2026-12-06T09', count: 1, cents: 1 }] },
    ]);
  });
});
