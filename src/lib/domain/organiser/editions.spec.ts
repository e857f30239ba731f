import { describe, expect, it } from 'vitest';
import {
  againstPrevious,
  editionFigures,
  sharedRevenue,
  type EditionMakerFigures,
} from './editions';

const edition = (id: string, date: string) => ({ id, seriesId: 's', date, createdAt: 0 });
const maker = (makerId: string, revenueCents = 0, shares = true): EditionMakerFigures => ({
  makerId,
  shares,
  salesCount: revenueCents > 0 ? 1 : 0,
  revenueCents,
});

describe('editions against the previous one', () => {
  it('counts makers, first-timers and returning makers per edition, in edition order', () => {
    const events = [edition('jan', '2027-01-10'), edition('dec', '2026-12-13')];
    const makers = new Map([
      ['dec', [maker('amira', 1000), maker('chen', 2000), maker('dana', 3000)]],
      ['jan', [maker('amira'), maker('chen'), maker('eli')]],
    ]);
    const figures = editionFigures(events, 's', makers);
    expect(figures.map((f) => f.eventId)).toEqual(['dec', 'jan']);
    expect(figures[1]).toMatchObject({
      editionNumber: 2,
      makersCount: 3,
      firstTimeMakersCount: 1,
      returningMakersCount: 2,
    });
    const compared = againstPrevious(figures, 'jan');
    expect(compared?.previous).toMatchObject({
      eventId: 'dec',
      makersCount: 3,
      firstTimeMakersCount: 3,
      sharedRevenueCents: 6000,
    });
    expect(againstPrevious(figures, 'dec')?.previous).toBeNull();
  });

  it('withholds shared sales with the reason, never as zero (group of 3)', () => {
    expect(sharedRevenue([maker('a'), maker('b')])).toEqual({
      cents: null,
      withheld: 'no-sales',
      sharingSellers: 0,
    });
    expect(sharedRevenue([maker('a', 2000), maker('b', 3550), maker('c', 900, false)])).toEqual({
      cents: null,
      withheld: 'too-few-sharing',
      sharingSellers: 2,
    });
    expect(sharedRevenue([maker('a', 2000), maker('b', 3550), maker('c', 900)]).cents).toBe(6450);
  });
});
