import { describe, expect, it } from 'vitest';
import { barChart, hourChart, monthChart } from './bar-chart';
import { formatDate, formatMonth } from './format';

const bar = (key: string, cents: number, count = 1) => ({
  key,
  label: key,
  tick: key,
  count,
  cents,
});

describe('the bar charts (one core for hours and months)', () => {
  it('[CHART1] a bar is its share of the largest figure; below zero an empty bar; all zero or empty: the axis tops at 1 cent', () => {
    const chart = barChart([
      { key: 'a', heading: '', bars: [bar('1', 1000), bar('2', 250), bar('3', -300), bar('4', 0)] },
      { key: 'b', heading: 'next', bars: [bar('5', 333)] },
    ]);
    expect(chart.max).toBe(1000);
    expect(chart.rows.map((b) => b.percent)).toEqual([100, 25, 0, 0, 33]);
    expect(chart.rows.map((b) => b.key)).toEqual(['1', '2', '3', '4', '5']);
    expect(chart.groups[1]!.bars[0]!.percent).toBe(33);
    expect(barChart([{ key: '', heading: '', bars: [bar('1', -5), bar('2', 0)] }]).max).toBe(1);
    expect(barChart([]).max).toBe(1);
    expect(barChart([]).rows).toEqual([]);
  });

  it("[CHART2] sales per hour: the event's own day undated; another day dated above its bars and in its rows; hours alone one undated row", () => {
    const day = (d: string, ...hours: [string, number][]) => ({
      day: d,
      hours: hours.map(([h, cents]) => ({ hour: `${d}T${h}`, count: 2, cents })),
    });
    const own = hourChart(
      { days: [day('2026-05-16', ['10', 500], ['11', 1500])], eventDate: '2026-05-16' },
      'nl',
    );
    expect(own.groups.map((g) => g.heading)).toEqual(['']);
    expect(own.rows.map((b) => [b.label, b.tick, b.percent])).toEqual([
      ['10:00', '10', 33],
      ['11:00', '11', 100],
    ]);
    const two = hourChart(
      {
        days: [day('2026-05-16', ['23', 800]), day('2026-05-17', ['00', 400])],
        eventDate: '2026-05-16',
      },
      'ar',
    );
    const [first, second] = [formatDate('2026-05-16', 'ar'), formatDate('2026-05-17', 'ar')];
    expect(two.groups.map((g) => g.heading)).toEqual([first, second]);
    expect(two.rows.map((b) => b.label)).toEqual([`${first} 23:00`, `${second} 00:00`]);
    expect(two.rows.map((b) => b.key)).toEqual(['2026-05-16T23', '2026-05-17T00']);
    const alone = hourChart({ hours: day('2026-05-16', ['09', 100]).hours }, 'en');
    expect(alone.groups).toHaveLength(1);
    expect(alone.groups[0]!.heading).toBe('');
    expect(alone.rows[0]!.label).toBe('09:00');
    expect(hourChart({}, 'en').rows).toEqual([]);
  });

  it('[CHART3] revenue per month: the month names as ticks and row headers, a month below zero an empty bar', () => {
    const chart = monthChart(
      [
        { month: '2026-01', count: 3, cents: 4000 },
        { month: '2026-02', count: 0, cents: -450 },
        { month: '2026-03', count: 1, cents: 1000 },
      ],
      'nl',
    );
    expect(chart.rows.map((b) => [b.label, b.tick, b.count, b.percent])).toEqual([
      [formatMonth('2026-01', 'nl'), formatMonth('2026-01', 'nl'), 3, 100],
      [formatMonth('2026-02', 'nl'), formatMonth('2026-02', 'nl'), 0, 0],
      [formatMonth('2026-03', 'nl'), formatMonth('2026-03', 'nl'), 1, 25],
    ]);
    expect(chart.max).toBe(4000);
  });
});
