/**
 * Results after an event closes: every maker's own figures next to the event's totals.
 *
 * Sharing and the minimum group rule (decided here):
 * - Event totals (sales, items, revenue, average sale, busiest hour) are computed ONLY from
 *   makers who chose to share. The number of makers counts everyone; the number of sharing
 *   makers is shown too, so the totals are read for what they are.
 * - Figures are shown only when at least MIN_SHARING_GROUP (3) sharing makers sold
 *   something. With two, a sharing maker subtracts their own figures from the total and has
 *   the other maker's exactly; with three or more, the rest is always a sum of at least two
 *   makers. A sharing maker who sold nothing adds nothing to hide behind, so they do not
 *   count towards the three. Below the rule only the maker counts are shown; every figure
 *   is null.
 * - The busiest hour is given as an hour only (no figures), and only among hours in which at
 *   least MIN_SHARING_GROUP sharing makers sold, so it never points at one maker's hour.
 *   Busiest = most sales; ties go to the higher revenue, then the earlier hour.
 * - Every maker sees the totals, whether or not they share: the field report found that
 *   participants never heard the results, and results are the point.
 * - The organiser's dashboard (`salesPerHourAcrossBazaar`, `sharedMakerFigures`) shows
 *   sharing makers' figures, which the organiser may see per maker anyway; it is not for
 *   makers' screens.
 * Averages are integer cents rounded half up; change percentages as in ./common.
 */
import type { Cents, EventSummaryAggregate, Id } from '../types';
import {
  divideHalfUp,
  emptySummary,
  sumSplits,
  summaryReport,
  type PaymentSplit,
} from '../summary';
import { changeBetween, type Change } from './common';

export const MIN_SHARING_GROUP = 3;

/** One maker's figures at one event, with their choice to share them. */
export interface MakerEventSummary {
  makerId: Id;
  shares: boolean;
  salesCount: number;
  revenueCents: Cents;
  itemCount: number;
  /** hour key 'YYYY-MM-DDTHH' (local) -> completed sales and revenue in that hour */
  byHour: Record<string, { count: number; cents: Cents }>;
  /**
   * How the money came in (src/lib/domain/summary.ts paymentSplitOf): cash, phone/card,
   * awaiting confirmation, refunded. Absent where it was not computed (the device's own
   * aggregates, results sent before the split was).
   */
  split?: PaymentSplit;
}

/**
 * A maker's summary from their devices' aggregates for the event (one per device that sold
 * for them; all must be for the same event). Voided sales are already out of the figures.
 */
export function makerEventSummary(
  makerId: Id,
  shares: boolean,
  aggregates: readonly EventSummaryAggregate[],
): MakerEventSummary {
  const eventIds = new Set(aggregates.map((agg) => agg.eventId));
  if (eventIds.size > 1) throw new RangeError('makerEventSummary: aggregates of different events');
  const summary: MakerEventSummary = {
    makerId,
    shares,
    salesCount: 0,
    revenueCents: 0,
    itemCount: 0,
    byHour: {},
  };
  for (const agg of aggregates) {
    summary.salesCount += agg.salesCount;
    summary.revenueCents += agg.revenueCents;
    summary.itemCount += agg.itemCount;
    addHours(summary.byHour, agg.byHour);
  }
  return summary;
}

function addHours(
  into: Record<string, { count: number; cents: Cents }>,
  from: Readonly<Record<string, { count: number; cents: Cents }>>,
): void {
  for (const [hour, figure] of Object.entries(from)) {
    const current = into[hour] ?? { count: 0, cents: 0 };
    into[hour] = { count: current.count + figure.count, cents: current.cents + figure.cents };
  }
}

export interface EventTotals {
  /** Every maker at the event. */
  makersCount: number;
  sharingMakersCount: number;
  /**
   * At least MIN_SHARING_GROUP sharing makers sold something; when false every figure below
   * is null.
   */
  figuresShown: boolean;
  salesCount: number | null;
  itemCount: number | null;
  revenueCents: Cents | null;
  averageSaleCents: Cents | null;
  /** 'YYYY-MM-DDTHH' of the busiest hour, or null (see the module comment). */
  busiestHour: string | null;
}

function assertOnePerMaker(summaries: readonly MakerEventSummary[]): void {
  const ids = new Set(summaries.map((s) => s.makerId));
  if (ids.size !== summaries.length) {
    throw new RangeError('one summary per maker: merge devices with makerEventSummary first');
  }
}

/**
 * The event's totals for the results page: pass one summary per maker at the event (a
 * maker who sold nothing still counts as a maker, with zeros).
 */
export function eventTotals(summaries: readonly MakerEventSummary[]): EventTotals {
  assertOnePerMaker(summaries);
  const sharing = summaries.filter((s) => s.shares);
  const base = { makersCount: summaries.length, sharingMakersCount: sharing.length };
  if (sharing.filter((s) => s.salesCount > 0).length < MIN_SHARING_GROUP) {
    return {
      ...base,
      figuresShown: false,
      salesCount: null,
      itemCount: null,
      revenueCents: null,
      averageSaleCents: null,
      busiestHour: null,
    };
  }
  const salesCount = sharing.reduce((sum, s) => sum + s.salesCount, 0);
  const revenueCents = sharing.reduce((sum, s) => sum + s.revenueCents, 0);
  const hours = hourFigures(sharing).filter((h) => h.makersCount >= MIN_SHARING_GROUP);
  return {
    ...base,
    figuresShown: true,
    salesCount,
    itemCount: sharing.reduce((sum, s) => sum + s.itemCount, 0),
    revenueCents,
    averageSaleCents: salesCount > 0 ? divideHalfUp(revenueCents, salesCount) : 0,
    busiestHour: busiest(hours),
  };
}

/**
 * The organiser's dashboard totals: the sum of exactly what its per-maker table shows (each
 * sharing maker's own figures, which the organiser sees anyway), so the totals and the table
 * always agree, whatever the number of sharing makers. The group rule above is for what
 * leaves the organiser's screen (makers' results, the impact report, domain impact.ts):
 * there a small group's total would tell one maker's figures to someone who may not see
 * them. With no sharing maker there is nothing to add up: figuresShown false.
 */
export function organiserTotals(summaries: readonly MakerEventSummary[]): EventTotals {
  assertOnePerMaker(summaries);
  const sharing = summaries.filter((s) => s.shares);
  const base = { makersCount: summaries.length, sharingMakersCount: sharing.length };
  if (sharing.length === 0) {
    return {
      ...base,
      figuresShown: false,
      salesCount: null,
      itemCount: null,
      revenueCents: null,
      averageSaleCents: null,
      busiestHour: null,
    };
  }
  const salesCount = sharing.reduce((sum, s) => sum + s.salesCount, 0);
  const revenueCents = sharing.reduce((sum, s) => sum + s.revenueCents, 0);
  return {
    ...base,
    figuresShown: true,
    salesCount,
    itemCount: sharing.reduce((sum, s) => sum + s.itemCount, 0),
    revenueCents,
    averageSaleCents: salesCount > 0 ? divideHalfUp(revenueCents, salesCount) : 0,
    busiestHour: busiest(hourFigures(sharing)),
  };
}

export interface BazaarHourFigure {
  hour: string;
  count: number;
  cents: Cents;
  /** How many sharing makers sold in this hour. */
  makersCount: number;
}

/** Per hour, summed over makers, only hours with sales, ascending. */
function hourFigures(summaries: readonly MakerEventSummary[]): BazaarHourFigure[] {
  const byHour = new Map<string, BazaarHourFigure>();
  for (const summary of summaries) {
    for (const [hour, figure] of Object.entries(summary.byHour)) {
      if (figure.count <= 0) continue;
      const current = byHour.get(hour) ?? { hour, count: 0, cents: 0, makersCount: 0 };
      byHour.set(hour, {
        hour,
        count: current.count + figure.count,
        cents: current.cents + figure.cents,
        makersCount: current.makersCount + 1,
      });
    }
  }
  return [...byHour.values()].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
}

function busiest(hours: readonly { hour: string; count: number; cents: Cents }[]): string | null {
  let best: { hour: string; count: number; cents: Cents } | null = null;
  for (const h of hours) {
    // `hours` is ascending, so keeping the first of equals gives the earlier hour.
    if (!best || h.count > best.count || (h.count === best.count && h.cents > best.cents)) best = h;
  }
  return best?.hour ?? null;
}

/**
 * The organiser's chart: sales per hour across the bazaar from sharing makers, ascending,
 * with empty hours between the first and last filled in as zeros (the same span rule as the
 * maker's own summary: a wrong device clock does not draw years of zeros).
 */
export function salesPerHourAcrossBazaar(
  summaries: readonly MakerEventSummary[],
): BazaarHourFigure[] {
  assertOnePerMaker(summaries);
  const figures = hourFigures(summaries.filter((s) => s.shares));
  const makersByHour = new Map(figures.map((f) => [f.hour, f.makersCount]));
  const agg = emptySummary('bazaar');
  for (const f of figures) agg.byHour[f.hour] = { count: f.count, cents: f.cents };
  return summaryReport(agg).perHour.map((h) => ({
    ...h,
    makersCount: makersByHour.get(h.hour) ?? 0,
  }));
}

export interface SharedMakerFigures {
  makerId: Id;
  shares: boolean;
  /** null when the maker does not share. */
  salesCount: number | null;
  itemCount: number | null;
  revenueCents: Cents | null;
  averageSaleCents: Cents | null;
  /** How the maker's money came in (paymentSplitOf); null when the maker does not share. */
  split: PaymentSplit | null;
}

/**
 * The organiser's payment split of the event: the sum of exactly the splits its per-maker
 * table shows (sharing makers'), so the two always agree; null with no sharing maker, as the
 * totals (organiserTotals).
 */
export function organiserSplit(summaries: readonly MakerEventSummary[]): PaymentSplit | null {
  assertOnePerMaker(summaries);
  const sharing = summaries.filter((s) => s.shares);
  if (sharing.length === 0) return null;
  return sumSplits(sharing.map((s) => s.split ?? sumSplits([])));
}

/** The organiser's per-maker table: figures where the maker shares, null where not. */
export function sharedMakerFigures(summaries: readonly MakerEventSummary[]): SharedMakerFigures[] {
  assertOnePerMaker(summaries);
  return summaries.map((s) =>
    s.shares
      ? {
          makerId: s.makerId,
          shares: true,
          salesCount: s.salesCount,
          itemCount: s.itemCount,
          revenueCents: s.revenueCents,
          averageSaleCents: s.salesCount > 0 ? divideHalfUp(s.revenueCents, s.salesCount) : 0,
          split: s.split ?? sumSplits([]),
        }
      : {
          makerId: s.makerId,
          shares: false,
          salesCount: null,
          itemCount: null,
          revenueCents: null,
          averageSaleCents: null,
          split: null,
        },
  );
}

export interface OwnFigures {
  salesCount: number;
  itemCount: number;
  revenueCents: Cents;
  averageSaleCents: Cents;
  /** The maker's own busiest hour (most sales, then revenue, then earliest), or null. */
  busiestHour: string | null;
  /**
   * How the money came in (paymentSplitOf), when the server computed it; results sent before
   * it did have none.
   */
  split?: PaymentSplit;
}

export interface MakerResults {
  own: OwnFigures;
  event: EventTotals;
  /** The maker's figures at their previous edition of the series, or null. */
  previous: OwnFigures | null;
  /** Own figures against the previous edition; null when there is none. */
  change: {
    salesCount: Change;
    itemCount: Change;
    revenueCents: Change;
    averageSaleCents: Change;
  } | null;
}

export function ownFigures(summary: MakerEventSummary): OwnFigures {
  const hours = Object.entries(summary.byHour)
    .filter(([, f]) => f.count > 0)
    .map(([hour, f]) => ({ hour, count: f.count, cents: f.cents }))
    .sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
  return {
    salesCount: summary.salesCount,
    itemCount: summary.itemCount,
    revenueCents: summary.revenueCents,
    averageSaleCents:
      summary.salesCount > 0 ? divideHalfUp(summary.revenueCents, summary.salesCount) : 0,
    busiestHour: busiest(hours),
    ...(summary.split ? { split: summary.split } : {}),
  };
}

/**
 * One maker's results page: their own figures (always, shared or not: they are theirs), the
 * event totals, and the change against their previous edition of the same series.
 */
export function makerResults(
  own: MakerEventSummary,
  totals: EventTotals,
  previousEditionOwn: MakerEventSummary | null = null,
): MakerResults {
  if (previousEditionOwn && previousEditionOwn.makerId !== own.makerId) {
    throw new RangeError('makerResults: the previous edition is another maker’s');
  }
  const current = ownFigures(own);
  const previous = previousEditionOwn ? ownFigures(previousEditionOwn) : null;
  return {
    own: current,
    event: totals,
    previous,
    change: previous
      ? {
          salesCount: changeBetween(previous.salesCount, current.salesCount),
          itemCount: changeBetween(previous.itemCount, current.itemCount),
          revenueCents: changeBetween(previous.revenueCents, current.revenueCents),
          averageSaleCents: changeBetween(previous.averageSaleCents, current.averageSaleCents),
        }
      : null,
  };
}
