/**
 * The impact summary a foundation shows its funders: per series and per year, how many
 * events, makers, first-time and returning makers, and the revenue makers chose to share.
 *
 * Definitions (decided here):
 * - Only closed events count: they happened. Drafts, published and open events are left out.
 * - A scope is a set of events (a series; a series in one year; a year), measured against a
 *   history: the series for a series scope, all the organisation's events for a year.
 * - makers: distinct makers at the scope's events.
 * - first-time makers: makers whose first event in the history is in the scope. (For a whole
 *   series this is every maker; per edition and per year it tells who was new.)
 * - returning makers: makers who took part in an event of the scope that was not their
 *   first in the history, i.e. they came back. A maker new this year who came again later
 *   that year is both first-time and returning.
 * - Events are ordered by date, then creation time, then id; edition numbers are those of
 *   `seriesEditions` (all of the series' events, so they match the rest of the app).
 * - Revenue is the revenue of makers who chose to share, summed over the events where at
 *   least MIN_SHARING_GROUP sharing makers sold (the same rule as the results page: a
 *   smaller group's revenue is left out, so no maker's figure can be worked out by
 *   subtraction). It is stated as such: `revenueBasis` and `revenueEventsCount`.
 * - A withheld figure is never a zero: when no event of a scope may show its revenue,
 *   `sharedRevenueCents` is null, and `revenueWithheldEventsCount` says at how many of its
 *   events makers sold but fewer than MIN_SHARING_GROUP of them share (a funder must not be
 *   handed "EUR 0.00" for a bazaar where makers sold EUR 55.50).
 */
import type { Cents, EventStatus, Id } from '../types';
import { seriesEditions } from './event-lifecycle';
import { MIN_SHARING_GROUP } from './results';

export interface ImpactEvent {
  id: Id;
  seriesId: Id | null;
  /** YYYY-MM-DD */
  date: string;
  status: EventStatus;
  createdAt: number;
}

/** A maker took part in an event (had a stall there, or sold there). */
export interface Participation {
  eventId: Id;
  makerId: Id;
}

/** A maker's figures at an event, with their choice to share them. */
export interface SharedRevenue {
  eventId: Id;
  makerId: Id;
  shares: boolean;
  salesCount: number;
  revenueCents: Cents;
}

export interface ImpactSummary {
  eventsCount: number;
  makersCount: number;
  firstTimeMakersCount: number;
  returningMakersCount: number;
  /**
   * Shared revenue of the events in `revenueEventsCount` (see the module comment); null when
   * no event of the scope may show it (withheld, never zero).
   */
  sharedRevenueCents: Cents | null;
  /** How many of the events had enough sharing makers to count in the revenue. */
  revenueEventsCount: number;
  /** How many events had sales whose revenue is withheld (fewer than 3 sharing sellers). */
  revenueWithheldEventsCount: number;
  revenueBasis: 'sharing-makers-only';
}

export interface EditionImpact {
  eventId: Id;
  date: string;
  editionNumber: number;
  makersCount: number;
  firstTimeMakersCount: number;
  returningMakersCount: number;
  /** null when fewer than MIN_SHARING_GROUP sharing makers sold at this edition. */
  sharedRevenueCents: Cents | null;
  /** Why it is null: makers sold but too few of them share, or nobody sold. */
  revenueWithheld: 'too-few-sharing' | 'no-sales' | null;
}

export interface ImpactInput {
  events: readonly ImpactEvent[];
  participations: readonly Participation[];
  revenues: readonly SharedRevenue[];
}

function compareEvents(a: ImpactEvent, b: ImpactEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function yearOf(event: ImpactEvent): number {
  return Number(event.date.slice(0, 4));
}

/** Each maker's closed events in `history`, in order. */
function makerHistories(
  history: readonly ImpactEvent[],
  participations: readonly Participation[],
): Map<Id, Id[]> {
  const ordered = history.filter((e) => e.status === 'closed').sort(compareEvents);
  const position = new Map(ordered.map((e, i) => [e.id, i]));
  const byMaker = new Map<Id, Set<Id>>();
  for (const p of participations) {
    if (!position.has(p.eventId)) continue;
    const set = byMaker.get(p.makerId) ?? new Set<Id>();
    set.add(p.eventId);
    byMaker.set(p.makerId, set);
  }
  const histories = new Map<Id, Id[]>();
  for (const [makerId, set] of byMaker) {
    histories.set(
      makerId,
      [...set].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0)),
    );
  }
  return histories;
}

/**
 * Shared revenue per event that had sales: the figure, or null when the event's group of
 * sharing makers is too small (withheld). Events without sales are absent.
 */
function revenueByEvent(revenues: readonly SharedRevenue[]): Map<Id, Cents | null> {
  const seen = new Set<string>();
  const sharing = new Map<Id, { makers: number; cents: Cents }>();
  for (const r of revenues) {
    const key = `${r.eventId}\u0000${r.makerId}`;
    if (seen.has(key)) throw new RangeError('one revenue row per maker per event');
    seen.add(key);
    if (r.salesCount <= 0) continue;
    if (!sharing.has(r.eventId)) sharing.set(r.eventId, { makers: 0, cents: 0 });
    if (!r.shares) continue;
    const current = sharing.get(r.eventId) ?? { makers: 0, cents: 0 };
    sharing.set(r.eventId, { makers: current.makers + 1, cents: current.cents + r.revenueCents });
  }
  const result = new Map<Id, Cents | null>();
  for (const [eventId, s] of sharing) {
    result.set(eventId, s.makers >= MIN_SHARING_GROUP ? s.cents : null);
  }
  return result;
}

function summarise(
  scope: readonly ImpactEvent[],
  histories: ReadonlyMap<Id, Id[]>,
  revenue: ReadonlyMap<Id, Cents | null>,
): ImpactSummary {
  const scopeIds = new Set(scope.filter((e) => e.status === 'closed').map((e) => e.id));
  let makersCount = 0;
  let firstTimeMakersCount = 0;
  let returningMakersCount = 0;
  for (const events of histories.values()) {
    const inScope = events.filter((id) => scopeIds.has(id));
    if (inScope.length === 0) continue;
    makersCount++;
    if (scopeIds.has(events[0] ?? '')) firstTimeMakersCount++;
    if (inScope.some((id) => id !== events[0])) returningMakersCount++;
  }
  let sharedRevenueCents = 0;
  let revenueEventsCount = 0;
  let revenueWithheldEventsCount = 0;
  for (const id of scopeIds) {
    const cents = revenue.get(id);
    if (cents === undefined) continue;
    if (cents === null) {
      revenueWithheldEventsCount++;
      continue;
    }
    sharedRevenueCents += cents;
    revenueEventsCount++;
  }
  return {
    eventsCount: scopeIds.size,
    makersCount,
    firstTimeMakersCount,
    returningMakersCount,
    sharedRevenueCents: revenueEventsCount > 0 ? sharedRevenueCents : null,
    revenueEventsCount,
    revenueWithheldEventsCount,
    revenueBasis: 'sharing-makers-only',
  };
}

/**
 * A series' impact: the whole series, or one year of it; with a row per closed edition
 * (first-time = first edition for that maker, returning = had an earlier edition).
 */
export function seriesImpact(
  seriesId: Id,
  input: ImpactInput,
  options: { year?: number } = {},
): { summary: ImpactSummary; editions: EditionImpact[] } {
  const seriesEvents = input.events.filter((e) => e.seriesId === seriesId);
  const histories = makerHistories(seriesEvents, input.participations);
  const revenue = revenueByEvent(input.revenues);
  const scope = seriesEvents.filter(
    (e) => options.year === undefined || yearOf(e) === options.year,
  );
  const editions = seriesEditions(seriesEvents, seriesId)
    .filter(({ event }) => event.status === 'closed' && scope.includes(event))
    .map(({ event, editionNumber }) => {
      const one = summarise([event], histories, revenue);
      return {
        eventId: event.id,
        date: event.date,
        editionNumber,
        makersCount: one.makersCount,
        firstTimeMakersCount: one.firstTimeMakersCount,
        returningMakersCount: one.returningMakersCount,
        sharedRevenueCents: revenue.get(event.id) ?? null,
        revenueWithheld:
          revenue.get(event.id) === undefined
            ? ('no-sales' as const)
            : revenue.get(event.id) === null
              ? ('too-few-sharing' as const)
              : null,
      };
    });
  return { summary: summarise(scope, histories, revenue), editions };
}

/**
 * One calendar year (by event date) across all the organisation's events; first-time and
 * returning are measured against all the events given, so pass the whole history.
 */
export function yearImpact(year: number, input: ImpactInput): ImpactSummary {
  const histories = makerHistories(input.events, input.participations);
  const scope = input.events.filter((e) => yearOf(e) === year);
  return summarise(scope, histories, revenueByEvent(input.revenues));
}

/** The years that have closed events, ascending (the rows of a per-year table). */
export function impactYears(events: readonly ImpactEvent[]): number[] {
  return [...new Set(events.filter((e) => e.status === 'closed').map(yearOf))].sort(
    (a, b) => a - b,
  );
}
