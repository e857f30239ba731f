import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptySummary, sumSplits } from '../summary';
import type { EventSummaryAggregate } from '../types';
import {
  eventTotals,
  MIN_SHARING_GROUP,
  organiserSplit,
  ownFigures,
  salesPerHourAcrossBazaar,
  sharedMakerFigures,
  makerEventSummary,
  makerResults,
  type MakerEventSummary,
} from './results';

const SEED = { seed: 3131, numRuns: 300 };

function summary(
  makerId: string,
  shares: boolean,
  byHour: Record<string, [count: number, cents: number]>,
  itemCount?: number,
): MakerEventSummary {
  const hours = Object.fromEntries(
    Object.entries(byHour).map(([hour, [count, cents]]) => [hour, { count, cents }]),
  );
  const salesCount = Object.values(byHour).reduce((s, [c]) => s + c, 0);
  return {
    makerId,
    shares,
    salesCount,
    revenueCents: Object.values(byHour).reduce((s, [, c]) => s + c, 0),
    itemCount: itemCount ?? salesCount,
    byHour: hours,
  };
}

const H11 = '2026-03-14T11';
const H12 = '2026-03-14T12';
const H13 = '2026-03-14T13';

describe('makerEventSummary', () => {
  it('[R1] adds up a maker’s devices’ aggregates for the event', () => {
    const phone: EventSummaryAggregate = {
      ...emptySummary('ev'),
      salesCount: 3,
      revenueCents: 1500,
      itemCount: 4,
      voidCount: 1,
      voidedCents: 500,
      byHour: { [H11]: { count: 3, cents: 1500 } },
    };
    const tablet: EventSummaryAggregate = {
      ...emptySummary('ev'),
      salesCount: 2,
      revenueCents: 700,
      itemCount: 2,
      byHour: { [H11]: { count: 1, cents: 200 }, [H12]: { count: 1, cents: 500 } },
    };
    expect(makerEventSummary('v1', true, [phone, tablet])).toEqual({
      makerId: 'v1',
      shares: true,
      salesCount: 5,
      revenueCents: 2200,
      itemCount: 6,
      byHour: { [H11]: { count: 4, cents: 1700 }, [H12]: { count: 1, cents: 500 } },
    });
    expect(makerEventSummary('v1', false, [])).toMatchObject({ salesCount: 0, byHour: {} });
    expect(() => makerEventSummary('v1', true, [phone, { ...tablet, eventId: 'other' }])).toThrow(
      RangeError,
    );
  });
});

describe('eventTotals', () => {
  const sharers = [
    summary('a', true, { [H11]: [2, 1000], [H12]: [1, 500] }),
    summary('b', true, { [H11]: [1, 300], [H12]: [4, 2000] }),
    summary('c', true, { [H11]: [3, 900], [H13]: [9, 9000] }),
  ];
  const private1 = summary('p', false, { [H11]: [50, 99_999] });

  it('[R2] counts every maker, but takes figures only from makers who share', () => {
    expect(eventTotals([...sharers, private1])).toEqual({
      makersCount: 4,
      sharingMakersCount: 3,
      figuresShown: true,
      salesCount: 20,
      itemCount: 20,
      revenueCents: 13_700,
      averageSaleCents: 685,
      // H13 has the most sales but only one maker sold then; H11 has all three.
      busiestHour: H11,
    });
  });

  it('[R3] with fewer than 3 sharing makers who sold, only the maker counts are shown', () => {
    expect(MIN_SHARING_GROUP).toBe(3);
    const two = [sharers[0], sharers[1], private1].filter((s) => s !== undefined);
    expect(eventTotals(two)).toEqual({
      makersCount: 3,
      sharingMakersCount: 2,
      figuresShown: false,
      salesCount: null,
      itemCount: null,
      revenueCents: null,
      averageSaleCents: null,
      busiestHour: null,
    });
    // A sharing maker who sold nothing gives the other two nothing to hide behind.
    const withIdle = [...two, summary('idle', true, {})];
    expect(eventTotals(withIdle)).toMatchObject({ sharingMakersCount: 3, figuresShown: false });
  });

  it('[R3] no busiest hour when no hour had three sharing makers selling', () => {
    const spread = [
      summary('a', true, { [H11]: [1, 100] }),
      summary('b', true, { [H12]: [1, 100] }),
      summary('c', true, { [H13]: [1, 100] }),
    ];
    expect(eventTotals(spread)).toMatchObject({ figuresShown: true, busiestHour: null });
  });

  it('[R4] busiest hour: most sales, then most revenue, then the earlier hour', () => {
    const tie = (cents12: number) => [
      summary('a', true, { [H11]: [1, 100], [H12]: [1, cents12] }),
      summary('b', true, { [H11]: [1, 100], [H12]: [1, 100] }),
      summary('c', true, { [H11]: [1, 100], [H12]: [1, 100] }),
    ];
    expect(eventTotals(tie(100)).busiestHour).toBe(H11);
    expect(eventTotals(tie(101)).busiestHour).toBe(H12);
  });

  it('[R2] refuses two summaries for one maker (merge devices first)', () => {
    expect(() => eventTotals([...sharers, summary('a', true, {})])).toThrow(RangeError);
  });

  it('[R2] a maker who does not share never moves the totals, whatever they sold', () => {
    const hourKey = fc.constantFrom(H11, H12, H13);
    const figures = fc.dictionary(
      hourKey,
      fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 50_000 })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), figures), { maxLength: 6 }),
        figures,
        figures,
        (others, hidden1, hidden2) => {
          const base = others.map(([shares, f], i) => summary(`m${i}`, shares, f));
          const one = eventTotals([...base, summary('hidden', false, hidden1)]);
          const two = eventTotals([...base, summary('hidden', false, hidden2)]);
          expect(two).toEqual(one);
          const sharingSold = base.filter((s) => s.shares && s.salesCount > 0);
          expect(one.figuresShown).toBe(sharingSold.length >= MIN_SHARING_GROUP);
          if (one.figuresShown) {
            expect(one.revenueCents).toBe(
              base.filter((s) => s.shares).reduce((sum, s) => sum + s.revenueCents, 0),
            );
          }
        },
      ),
      SEED,
    );
  });
});

describe('organiser dashboard figures', () => {
  it('[R5] sales per hour across the bazaar: sharing makers only, empty hours filled', () => {
    expect(
      salesPerHourAcrossBazaar([
        summary('a', true, { [H11]: [2, 1000], [H13]: [1, 500] }),
        summary('b', true, { [H11]: [1, 300] }),
        summary('p', false, { [H12]: [40, 40_000] }),
      ]),
    ).toEqual([
      { hour: H11, count: 3, cents: 1300, makersCount: 2 },
      { hour: H12, count: 0, cents: 0, makersCount: 0 },
      { hour: H13, count: 1, cents: 500, makersCount: 1 },
    ]);
    expect(salesPerHourAcrossBazaar([])).toEqual([]);
  });

  it('[R5] per-maker figures only where the maker shares', () => {
    expect(
      sharedMakerFigures([
        summary('a', true, { [H11]: [3, 1000] }),
        summary('p', false, { [H11]: [1, 999] }),
      ]),
    ).toEqual([
      {
        makerId: 'a',
        shares: true,
        salesCount: 3,
        itemCount: 3,
        revenueCents: 1000,
        averageSaleCents: 333,
        split: sumSplits([]),
      },
      {
        makerId: 'p',
        shares: false,
        salesCount: null,
        itemCount: null,
        revenueCents: null,
        averageSaleCents: null,
        split: null,
      },
    ]);
  });

  it("[split] the organiser's split is the sum of the sharing makers' splits, none without a sharing maker", () => {
    const split = (cash: number, card: number) => ({
      ...sumSplits([]),
      cash: { count: 1, cents: cash },
      phoneOrCard: { count: 1, cents: card },
    });
    const a = { ...summary('a', true, { [H11]: [2, 1000] }), split: split(400, 600) };
    const b = { ...summary('b', true, { [H11]: [1, 500] }), split: split(0, 500) };
    const p = { ...summary('p', false, { [H11]: [1, 999] }), split: split(999, 0) };
    expect(organiserSplit([a, b, p])).toEqual({
      ...sumSplits([]),
      cash: { count: 2, cents: 400 },
      phoneOrCard: { count: 2, cents: 1100 },
    });
    expect(organiserSplit([p])).toBeNull();
    // A maker's own results carry their split; the totals never name it.
    const results = makerResults(a, eventTotals([a, b, p]));
    expect(results.own.split).toEqual(split(400, 600));
    expect(JSON.stringify(results.event)).not.toContain('split');
  });
});

describe('makerResults', () => {
  const totals = eventTotals([
    summary('a', true, { [H11]: [2, 1000] }),
    summary('b', true, { [H11]: [2, 1000] }),
    summary('c', true, { [H11]: [2, 1000] }),
  ]);

  it('[R6] own figures, event totals and the change against the previous edition', () => {
    const now = summary('p', false, { [H11]: [3, 1500], [H12]: [3, 2500] }, 9);
    const before = summary('p', true, { [H12]: [4, 3200] }, 5);
    expect(makerResults(now, totals, before)).toEqual({
      own: {
        salesCount: 6,
        itemCount: 9,
        revenueCents: 4000,
        averageSaleCents: 667,
        busiestHour: H12,
      },
      event: totals,
      previous: {
        salesCount: 4,
        itemCount: 5,
        revenueCents: 3200,
        averageSaleCents: 800,
        busiestHour: H12,
      },
      change: {
        salesCount: { absolute: 2, percent: 50 },
        itemCount: { absolute: 4, percent: 80 },
        revenueCents: { absolute: 800, percent: 25 },
        averageSaleCents: { absolute: -133, percent: -17 },
      },
    });
  });

  it('[R6] no previous edition: change is null; a previous edition with no sales: no percentages', () => {
    const now = summary('p', true, { [H11]: [1, 500] });
    expect(makerResults(now, totals).change).toBeNull();
    expect(makerResults(now, totals, summary('p', true, {})).change?.revenueCents).toEqual({
      absolute: 500,
      percent: null,
    });
    expect(() => makerResults(now, totals, summary('q', true, {}))).toThrow(RangeError);
  });

  it('[R6] a maker with no sales has zeros and no busiest hour', () => {
    expect(ownFigures(summary('p', true, {}))).toEqual({
      salesCount: 0,
      itemCount: 0,
      revenueCents: 0,
      averageSaleCents: 0,
      busiestHour: null,
    });
  });
});
