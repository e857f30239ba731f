/**
 * Each edition of a series against the previous one (issue 12): makers, first-timers,
 * returning makers and the sales makers share, for the organiser's dashboard and series list.
 *
 * Rules (decided here):
 * - Editions are the series' events in edition order (`seriesEditions`), every status: a
 *   planned edition shows its planned makers next to the last one's.
 * - makers: who takes part in the edition (the server's one rule, organiser/taking-part.ts).
 * - first-timers: makers with no earlier edition of the series; returning: makers with one.
 *   Every maker is exactly one of the two.
 * - shared sales: the revenue of sharing makers, shown only when at least MIN_SHARING_GROUP
 *   sharing makers sold (the results rule, ./results.ts): below it the figure is WITHHELD
 *   with its reason, never shown as zero: 'no-sales' (nobody sold yet) or
 *   'too-few-sharing' (some sold, fewer than three of them share).
 */
import type { Cents, Id } from '../types';
import { seriesEditions, type EditionLike } from './event-lifecycle';
import { MIN_SHARING_GROUP } from './results';

export interface EditionMakerFigures {
  makerId: Id;
  shares: boolean;
  salesCount: number;
  revenueCents: Cents;
}

export type WithheldReason = 'no-sales' | 'too-few-sharing';

export interface EditionFigures {
  eventId: Id;
  editionNumber: number;
  makersCount: number;
  firstTimeMakersCount: number;
  returningMakersCount: number;
  /** null when withheld (see `revenueWithheld`). */
  sharedRevenueCents: Cents | null;
  revenueWithheld: WithheldReason | null;
  /** How many sharing makers sold (the group the rule counts). */
  sharingSellersCount: number;
}

/** Shared revenue under the group rule: the figure, or why it is withheld. */
export function sharedRevenue(makers: readonly EditionMakerFigures[]): {
  cents: Cents | null;
  withheld: WithheldReason | null;
  sharingSellers: number;
} {
  const sellers = makers.filter((m) => m.salesCount > 0);
  const sharing = sellers.filter((m) => m.shares);
  if (sellers.length === 0) return { cents: null, withheld: 'no-sales', sharingSellers: 0 };
  if (sharing.length < MIN_SHARING_GROUP) {
    return { cents: null, withheld: 'too-few-sharing', sharingSellers: sharing.length };
  }
  return {
    cents: sharing.reduce((sum, m) => sum + m.revenueCents, 0),
    withheld: null,
    sharingSellers: sharing.length,
  };
}

/** Every edition of the series with its figures, in edition order. */
export function editionFigures<T extends EditionLike>(
  events: readonly T[],
  seriesId: Id,
  makersByEvent: ReadonlyMap<Id, readonly EditionMakerFigures[]>,
): EditionFigures[] {
  const seen = new Set<Id>();
  return seriesEditions(events, seriesId).map(({ event, editionNumber }) => {
    const makers = makersByEvent.get(event.id) ?? [];
    let firstTime = 0;
    for (const maker of makers) if (!seen.has(maker.makerId)) firstTime++;
    for (const maker of makers) seen.add(maker.makerId);
    const revenue = sharedRevenue(makers);
    return {
      eventId: event.id,
      editionNumber,
      makersCount: makers.length,
      firstTimeMakersCount: firstTime,
      returningMakersCount: makers.length - firstTime,
      sharedRevenueCents: revenue.cents,
      revenueWithheld: revenue.withheld,
      sharingSellersCount: revenue.sharingSellers,
    };
  });
}

/** One edition and the one before it (null for the first), from `editionFigures`. */
export function againstPrevious(
  figures: readonly EditionFigures[],
  eventId: Id,
): { current: EditionFigures; previous: EditionFigures | null } | null {
  const index = figures.findIndex((f) => f.eventId === eventId);
  const current = figures[index];
  if (!current) return null;
  return { current, previous: figures[index - 1] ?? null };
}
