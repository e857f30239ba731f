/**
 * The maker's history across events ("My sales"): revenue per event and per month, best
 * sellers over a period, the average sale, the year so far, two events side by side and an
 * edition against the previous one.
 *
 * THE rule: every figure here is read from the per-event aggregates the store keeps in step
 * with every sale, void and refund (src/lib/domain/summary.ts, `EventSummaryAggregate`), never
 * from a scan of the sales. An aggregate is already net of voids and refunds, so every figure
 * below is too; the property test in history.spec.ts proves that the figures from aggregates
 * kept sale by sale equal the figures recounted from the sales, refunds and voids.
 *
 * Which sales: every sale on this device, which includes the maker's other devices' sales
 * and refunds (they arrive through the pull and update the same aggregates;
 * src/lib/sync/SPEC.md "History across events").
 *
 * Time: months and the year are calendar months in Europe/Amsterdam (`byMonth`, a sale at
 * 23:30 on 31 December there belongs to that year); a refund counts in the month it was given,
 * as in the KOR turnover (src/lib/domain/kor.ts). Per event, a refund counts at its sale's
 * event. Periods of events (best sellers) go by the event's own date.
 *
 * Editions: an event an organiser made in a series carries its `seriesId`; its previous
 * edition is the latest event of the same series dated before it. An event the maker made on
 * the phone has no series: it has no previous edition, and the maker compares it with any
 * event they choose.
 */
import { divideHalfUp, type BestSeller } from './summary';
import type { Cents, EventSummaryAggregate, Id, MarketEvent } from './types';

/** One event with its aggregate, as the history reads them. */
export interface HistoryEvent {
  event: Pick<MarketEvent, 'id' | 'name' | 'date' | 'seriesId'>;
  summary: EventSummaryAggregate;
}

export interface EventFigures {
  eventId: Id;
  name: string;
  /** The event's date, 'YYYY-MM-DD'. */
  date: string;
  seriesId: Id | null;
  /** Net of voids and refunds. */
  revenueCents: Cents;
  salesCount: number;
  itemCount: number;
  /** revenueCents / salesCount, half up; 0 without sales. */
  averageSaleCents: Cents;
  /** Paid in cash, net of cash refunds (cash rounding included, as in the summary). */
  cashCents: Cents;
  /** Paid any other way, net of its refunds. */
  otherCents: Cents;
  refundCount: number;
  refundedCents: Cents;
  voidCount: number;
  bestSellers: BestSeller[];
}

export interface MonthFigure {
  /** 'YYYY-MM', Europe/Amsterdam. */
  month: string;
  count: number;
  cents: Cents;
}

export interface YearFigures {
  year: number;
  revenueCents: Cents;
  salesCount: number;
  averageSaleCents: Cents;
}

export interface SideBySide {
  left: EventFigures;
  right: EventFigures;
  /** right minus left. */
  difference: {
    revenueCents: Cents;
    salesCount: number;
    itemCount: number;
    averageSaleCents: Cents;
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function average(cents: Cents, count: number): Cents {
  return count > 0 ? divideHalfUp(cents, count) : 0;
}

/** Best sellers of a product map: by quantity, then revenue, then name and id (summary.ts order). */
function rankProducts(
  byProduct: ReadonlyMap<Id, { name: string; quantity: number; cents: Cents }>,
  top: number,
): BestSeller[] {
  return [...byProduct]
    .filter(([, p]) => p.quantity !== 0 || p.cents !== 0)
    .map(([productId, p]) => ({ productId, name: p.name, quantity: p.quantity, cents: p.cents }))
    .sort(
      (a, b) =>
        b.quantity - a.quantity ||
        b.cents - a.cents ||
        compareStrings(a.name, b.name) ||
        compareStrings(a.productId, b.productId),
    )
    .slice(0, Math.max(0, top));
}

/** One event's figures, from its aggregate. */
export function eventFigures(input: HistoryEvent, bestSellers = 5): EventFigures {
  const { event, summary } = input;
  let cashCents = 0;
  let otherCents = 0;
  for (const [method, figure] of Object.entries(summary.byPayment)) {
    if (method === 'cash') cashCents += figure.cents;
    else otherCents += figure.cents;
  }
  return {
    eventId: event.id,
    name: event.name,
    date: event.date,
    seriesId: event.seriesId,
    revenueCents: summary.revenueCents,
    salesCount: summary.salesCount,
    itemCount: summary.itemCount,
    averageSaleCents: average(summary.revenueCents, summary.salesCount),
    cashCents,
    otherCents,
    refundCount: summary.refundCount ?? 0,
    refundedCents: summary.refundedCents ?? 0,
    voidCount: summary.voidCount,
    bestSellers: rankProducts(new Map(Object.entries(summary.byProduct)), bestSellers),
  };
}

/** Events newest first (by date, then name and id), the order of the history's event list. */
export function eventsNewestFirst(inputs: readonly HistoryEvent[]): HistoryEvent[] {
  return [...inputs].sort(
    (a, b) =>
      compareStrings(b.event.date, a.event.date) ||
      compareStrings(a.event.name, b.event.name) ||
      compareStrings(a.event.id, b.event.id),
  );
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m >= 12
    ? `${String(year + 1).padStart(4, '0')}-01`
    : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

/** A chart never spans more months than this (a phone clock years off must not fill decades). */
export const MAX_MONTHS = 10 * 12;

/**
 * Sales and revenue per month from `from` to `to` ('YYYY-MM', both included), every month
 * present (zeros where nothing was sold), summed over the events. At most MAX_MONTHS months.
 */
export function monthFigures(
  inputs: readonly HistoryEvent[],
  from: string,
  to: string,
): MonthFigure[] {
  const totals = new Map<string, { count: number; cents: Cents }>();
  for (const { summary } of inputs) {
    for (const [month, figure] of Object.entries(summary.byMonth ?? {})) {
      if (month < from || month > to) continue;
      const now = totals.get(month) ?? { count: 0, cents: 0 };
      totals.set(month, { count: now.count + figure.count, cents: now.cents + figure.cents });
    }
  }
  const out: MonthFigure[] = [];
  for (let month = from; month <= to && out.length < MAX_MONTHS; month = nextMonth(month)) {
    const figure = totals.get(month);
    out.push({ month, count: figure?.count ?? 0, cents: figure?.cents ?? 0 });
  }
  return out;
}

/** The twelve months ending with the month `month` ('YYYY-MM'), oldest first. */
export function twelveMonthsTo(month: string): { from: string; to: string } {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const fromYear = m === 12 ? year : year - 1;
  const fromMonth = m === 12 ? 1 : m + 1;
  return {
    from: `${String(fromYear).padStart(4, '0')}-${String(fromMonth).padStart(2, '0')}`,
    to: month,
  };
}

/** The calendar year (Europe/Amsterdam): completed sales, revenue net of refunds, average. */
export function yearFigures(inputs: readonly HistoryEvent[], year: number): YearFigures {
  const prefix = `${String(year).padStart(4, '0')}-`;
  let revenueCents = 0;
  let salesCount = 0;
  for (const { summary } of inputs) {
    for (const [month, figure] of Object.entries(summary.byMonth ?? {})) {
      if (!month.startsWith(prefix)) continue;
      revenueCents += figure.cents;
      salesCount += figure.count;
    }
  }
  return { year, revenueCents, salesCount, averageSaleCents: average(revenueCents, salesCount) };
}

/**
 * Best sellers over the events dated from `from` to `to` ('YYYY-MM-DD', both included), summed
 * per product; a product's name is the one at its latest event.
 */
export function bestSellersOver(
  inputs: readonly HistoryEvent[],
  period: { from: string; to: string },
  top = 5,
): BestSeller[] {
  const totals = new Map<Id, { name: string; quantity: number; cents: Cents; date: string }>();
  for (const { event, summary } of inputs) {
    if (event.date < period.from || event.date > period.to) continue;
    for (const [productId, p] of Object.entries(summary.byProduct)) {
      const now = totals.get(productId);
      const newer = !now || event.date >= now.date;
      totals.set(productId, {
        name: newer ? p.name : now.name,
        date: newer ? event.date : now.date,
        quantity: (now?.quantity ?? 0) + p.quantity,
        cents: (now?.cents ?? 0) + p.cents,
      });
    }
  }
  return rankProducts(totals, top);
}

/** Two events' figures side by side, with the difference (right minus left). */
export function sideBySide(left: HistoryEvent, right: HistoryEvent): SideBySide {
  const l = eventFigures(left);
  const r = eventFigures(right);
  return {
    left: l,
    right: r,
    difference: {
      revenueCents: r.revenueCents - l.revenueCents,
      salesCount: r.salesCount - l.salesCount,
      itemCount: r.itemCount - l.itemCount,
      averageSaleCents: r.averageSaleCents - l.averageSaleCents,
    },
  };
}

/**
 * The previous edition of an event: the latest event of the same series dated before it (on
 * the same date, the one before it by id). None for an event without a series.
 */
export function previousEdition<T extends HistoryEvent>(
  inputs: readonly T[],
  eventId: Id,
): T | undefined {
  const current = inputs.find((i) => i.event.id === eventId);
  const series = current?.event.seriesId;
  if (!current || !series) return undefined;
  let best: T | undefined;
  for (const candidate of inputs) {
    const e = candidate.event;
    if (e.seriesId !== series || e.id === current.event.id) continue;
    const before =
      e.date < current.event.date || (e.date === current.event.date && e.id < current.event.id);
    if (!before) continue;
    if (!best || e.date > best.event.date || (e.date === best.event.date && e.id > best.event.id)) {
      best = candidate;
    }
  }
  return best;
}

export interface HistoryReport {
  year: YearFigures;
  /** The twelve months ending with the current one. */
  months: MonthFigure[];
  /** Every event with a sale, a void or a refund, newest first. */
  events: EventFigures[];
  /** Over the events dated in the current year. */
  bestSellers: BestSeller[];
  /** Over every event: all revenue / all sales. */
  averageSaleCents: Cents;
  revenueCents: Cents;
  salesCount: number;
}

/** Whether an event has anything to show (a sale, a void or a refund). */
function hasActivity(summary: EventSummaryAggregate): boolean {
  return summary.salesCount > 0 || summary.voidCount > 0 || (summary.refundCount ?? 0) > 0;
}

/**
 * What the "My sales" screen shows, for `now`'s year and month (`currentMonth`, 'YYYY-MM' in
 * Europe/Amsterdam: summary.ts `monthKey`).
 */
export function historyReport(
  inputs: readonly HistoryEvent[],
  currentMonth: string,
): HistoryReport {
  const year = Number(currentMonth.slice(0, 4));
  const { from, to } = twelveMonthsTo(currentMonth);
  const withSales = eventsNewestFirst(inputs.filter((i) => hasActivity(i.summary)));
  const revenueCents = withSales.reduce((sum, i) => sum + i.summary.revenueCents, 0);
  const salesCount = withSales.reduce((sum, i) => sum + i.summary.salesCount, 0);
  const yearPrefix = currentMonth.slice(0, 4);
  return {
    year: yearFigures(inputs, year),
    months: monthFigures(inputs, from, to),
    events: withSales.map((i) => eventFigures(i)),
    bestSellers: bestSellersOver(inputs, {
      from: `${yearPrefix}-01-01`,
      to: `${yearPrefix}-12-31`,
    }),
    averageSaleCents: average(revenueCents, salesCount),
    revenueCents,
    salesCount,
  };
}
