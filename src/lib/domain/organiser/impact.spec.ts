import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventStatus } from '../types';
import {
  impactYears,
  seriesImpact,
  yearImpact,
  type ImpactEvent,
  type ImpactInput,
  type SharedRevenue,
} from './impact';

function ev(
  id: string,
  date: string,
  status: EventStatus,
  seriesId: string | null = 'S',
): ImpactEvent {
  return { id, seriesId, date, status, createdAt: Date.parse(date) };
}

const events = [
  ev('e1', '2025-11-08', 'closed'),
  ev('e2', '2026-01-10', 'closed'),
  ev('x1', '2026-02-01', 'closed', null),
  ev('e3', '2026-02-14', 'closed'),
  ev('e4', '2026-03-14', 'open'),
  ev('e5', '2026-04-11', 'draft'),
];

const took = (makerId: string, ...eventIds: string[]) =>
  eventIds.map((eventId) => ({ eventId, makerId }));

const participations = [
  ...took('v1', 'e1', 'e2', 'e3'),
  ...took('v2', 'e2', 'e2'), // listed twice (stall and sales): counts once
  ...took('v3', 'x1', 'e3'),
  ...took('v4', 'x1'),
  ...took('v5', 'e4'),
  ...took('v6', 'e1'),
];

const rev = (
  eventId: string,
  makerId: string,
  shares: boolean,
  salesCount: number,
  revenueCents: number,
): SharedRevenue => ({
  eventId,
  makerId,
  shares,
  salesCount,
  revenueCents,
});

const revenues = [
  rev('e2', 'v1', true, 2, 1000),
  rev('e2', 'v2', true, 3, 2000),
  rev('e2', 'v8', true, 1, 500),
  rev('e2', 'v10', false, 40, 99_999),
  rev('e3', 'v1', true, 2, 1000),
  rev('e3', 'v3', true, 1, 700),
  rev('e3', 'v12', true, 0, 0),
  rev('x1', 'v3', true, 1, 100),
  rev('x1', 'v4', true, 1, 200),
  rev('x1', 'v11', true, 2, 300),
  rev('e4', 'v5', true, 1, 100),
  rev('e4', 'v6', true, 1, 100),
  rev('e4', 'v7', true, 1, 100),
];

const input: ImpactInput = { events, participations, revenues };

describe('seriesImpact', () => {
  it('[IM1] the whole series: closed editions only; every maker is new to it once', () => {
    expect(seriesImpact('S', input).summary).toEqual({
      eventsCount: 3,
      makersCount: 4,
      firstTimeMakersCount: 4,
      returningMakersCount: 1,
      sharedRevenueCents: 3500,
      revenueEventsCount: 1,
      // e3: two sharing makers sold, too few to show; said as withheld, not left out.
      revenueWithheldEventsCount: 1,
      revenueBasis: 'sharing-makers-only',
    });
  });

  it('[IM2] per edition: who was new, who came back, revenue only with 3+ sharing makers', () => {
    expect(seriesImpact('S', input).editions).toEqual([
      {
        eventId: 'e1',
        date: '2025-11-08',
        editionNumber: 1,
        makersCount: 2,
        firstTimeMakersCount: 2,
        returningMakersCount: 0,
        sharedRevenueCents: null,
        revenueWithheld: 'no-sales',
      },
      {
        eventId: 'e2',
        date: '2026-01-10',
        editionNumber: 2,
        makersCount: 2,
        firstTimeMakersCount: 1,
        returningMakersCount: 1,
        sharedRevenueCents: 3500,
        revenueWithheld: null,
      },
      {
        eventId: 'e3',
        date: '2026-02-14',
        editionNumber: 3,
        makersCount: 2,
        firstTimeMakersCount: 1,
        returningMakersCount: 1,
        // Two sharing makers sold (a third shared but sold nothing): withheld.
        sharedRevenueCents: null,
        revenueWithheld: 'too-few-sharing',
      },
    ]);
  });

  it('[IM3] one year of a series measures first-timers against the whole series', () => {
    expect(seriesImpact('S', input, { year: 2026 })).toMatchObject({
      summary: {
        eventsCount: 2,
        makersCount: 3,
        firstTimeMakersCount: 2, // v2 and v3; v1 first came in 2025
        returningMakersCount: 1,
        sharedRevenueCents: 3500,
      },
    });
    expect(seriesImpact('S', input, { year: 2026 }).editions.map((e) => e.editionNumber)).toEqual([
      2, 3,
    ]);
  });
});

describe('yearImpact', () => {
  it('[IM4] a year across all events, against the organisation’s whole history', () => {
    expect(yearImpact(2026, input)).toEqual({
      eventsCount: 3,
      makersCount: 4,
      firstTimeMakersCount: 3, // v2, v3, v4
      returningMakersCount: 2, // v1 (since 2025) and v3 (x1, then e3)
      sharedRevenueCents: 4100,
      revenueEventsCount: 2,
      revenueWithheldEventsCount: 1,
      revenueBasis: 'sharing-makers-only',
    });
    expect(yearImpact(2025, input)).toMatchObject({
      eventsCount: 1,
      makersCount: 2,
      firstTimeMakersCount: 2,
      returningMakersCount: 0,
      // Makers sold in 2025, but fewer than three of them share: withheld, never zero.
      sharedRevenueCents: null,
      revenueEventsCount: 0,
    });
    expect(yearImpact(2027, input)).toMatchObject({ eventsCount: 0, makersCount: 0 });
  });

  it('[IM4] the years with closed events', () => {
    expect(impactYears(events)).toEqual([2025, 2026]);
  });

  it('[IM5] one revenue row per maker per event', () => {
    expect(() =>
      yearImpact(2026, { ...input, revenues: [...revenues, rev('e2', 'v1', true, 1, 1)] }),
    ).toThrow(RangeError);
  });
});

describe('impact invariants', () => {
  it('[IM6] each maker is a first-timer in exactly one year, and at exactly one edition', () => {
    const eventArb = fc.record({
      seriesId: fc.constantFrom('S', 'T', null),
      date: fc.constantFrom('2024-05-01', '2025-01-10', '2025-06-01', '2026-02-14', '2026-09-09'),
      status: fc.constantFrom<EventStatus>('closed', 'closed', 'open', 'draft'),
    });
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(7), fc.constantFrom('v1', 'v2', 'v3', 'v4', 'v5')), {
          maxLength: 25,
        }),
        (specs, pairs) => {
          const list = specs.map((s, i) => ({ ...ev(`e${i}`, s.date, s.status, s.seriesId) }));
          const parts = pairs.map(([i, makerId]) => ({
            eventId: `e${i % list.length}`,
            makerId,
          }));
          const all: ImpactInput = { events: list, participations: parts, revenues: [] };
          const closedIds = new Set(list.filter((e) => e.status === 'closed').map((e) => e.id));
          const makers = new Set(
            parts.filter((p) => closedIds.has(p.eventId)).map((p) => p.makerId),
          );
          const years = impactYears(list);
          expect(years.reduce((s, y) => s + yearImpact(y, all).firstTimeMakersCount, 0)).toBe(
            makers.size,
          );
          for (const seriesId of ['S', 'T']) {
            const { summary, editions } = seriesImpact(seriesId, all);
            expect(editions.reduce((s, e) => s + e.firstTimeMakersCount, 0)).toBe(
              summary.makersCount,
            );
            expect(summary.firstTimeMakersCount).toBe(summary.makersCount);
          }
        },
      ),
      { seed: 5150, numRuns: 300 },
    );
  });
});
