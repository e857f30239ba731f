/**
 * The bar charts' one core (BarChart.svelte draws it): sales per hour (the sales screen, the
 * printable report, the organiser's dashboard) and revenue per month ("My sales"). Bars for the
 * eye, the same figures as a table for everyone. Each bar's height is its share of the largest
 * figure; a figure below zero (a refund in an hour or month without sales) gets an empty bar
 * and its table row says so.
 */
import type { Locale } from '$lib/domain/types';
import type { MonthFigure } from '$lib/domain/history';
import type { DayFigures, HourFigure } from '$lib/domain/summary';
import { formatDate, formatHourKey, formatMonth } from './format';

export interface ChartBar {
  /** Unique in the chart (a table row's key). */
  key: string;
  /** The table's row header. */
  label: string;
  /** Under the bar. */
  tick: string;
  count: number;
  cents: number;
  /** 0..100: the bar's height, a share of the chart's largest figure. */
  percent: number;
}

export interface ChartGroup {
  key: string;
  /** Above the group's bars ('' for none). */
  heading: string;
  bars: ChartBar[];
}

export interface Chart {
  /** The top of the amount axis: the largest figure, at least 1 cent. */
  max: number;
  groups: ChartGroup[];
  /** Every bar, for the table. */
  rows: ChartBar[];
}

type Figure = Omit<ChartBar, 'percent'>;

export function barChart(
  groups: readonly { key: string; heading: string; bars: Figure[] }[],
): Chart {
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.cents)));
  const made = groups.map((g) => ({
    ...g,
    bars: g.bars.map((b) => ({ ...b, percent: Math.max(0, Math.round((b.cents / max) * 100)) })),
  }));
  return { max, groups: made, rows: made.flatMap((g) => g.bars) };
}

/**
 * Sales per hour, one group per day: a day other than the event's (a phone's clock days
 * ahead, an evening past midnight) gets its date above its bars and in its table rows, instead
 * of joining one long row. `hours` alone: one row without dates (the organiser's dashboard).
 */
export function hourChart(
  source: { days?: readonly DayFigures[]; hours?: readonly HourFigure[]; eventDate?: string },
  locale: Locale,
): Chart {
  const days = source.days ?? [{ day: '', hours: source.hours ?? [] }];
  const dated =
    source.days !== undefined && (days.length > 1 || days.some((d) => d.day !== source.eventDate));
  return barChart(
    days.map((d) => {
      const date = dated && d.day ? formatDate(d.day, locale) : '';
      return {
        key: d.day,
        heading: date,
        bars: d.hours.map((h) => {
          const label = formatHourKey(h.hour);
          return {
            key: h.hour,
            label: date ? `${date} ${label}` : label,
            tick: label.slice(0, 2),
            count: h.count,
            cents: h.cents,
          };
        }),
      };
    }),
  );
}

/** Revenue per month, one row of bars. */
export function monthChart(months: readonly MonthFigure[], locale: Locale): Chart {
  return barChart([
    {
      key: '',
      heading: '',
      bars: months.map((f) => {
        const label = formatMonth(f.month, locale);
        return { key: f.month, label, tick: label, count: f.count, cents: f.cents };
      }),
    },
  ]);
}
