// Editions that compare and figures a funder can trust (issue 12): a new edition gets its own
// name, counts the makers its page lists, and is shown against the previous one; the
// dashboard's totals are the sum of its per-maker table; the impact report withholds a
// small group's revenue instead of showing zero.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { assign, inviteMaker } from './assignments';
import { changeEventStatus } from './events';
import { loadEvent } from './event-rows';
import { impactReport } from './impact';
import { setSharesFigures } from './makers';
import { dashboard } from './results';
import { createNextEdition, createSeries, listSeries } from './series';
import {
  futureDate,
  organisationWithMakers,
  publishedEvent,
  sell,
  type TestMaker,
  type TestOrganisation,
} from './testing';

describe.each(testDbKinds())('editions and trustworthy figures on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 4);
    for (const maker of org.makers.slice(0, 2)) {
      await setSharesFigures(t.db, maker.makerId, org.organisationId, true);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const m = (i: number): TestMaker => {
    const maker = org.makers[i];
    if (!maker) throw new Error(`no maker ${i}`);
    return maker;
  };

  it('a new edition is named apart, counts the makers its page lists, and compares with the last', async () => {
    const series = await createSeries(t.db, org.organisationId, 'Maandbazaar');
    const { event: december, stalls } = await publishedEvent(t.db, org.organisationId, 3, {
      seriesId: series.id,
      date: futureDate(3),
      name: 'December bazaar',
    });
    for (const i of [0, 1, 2]) {
      await assign(t.db, org.organisationId, december.id, {
        stallId: stalls[i]?.id ?? '',
        makerId: m(i).makerId,
      });
    }
    await changeEventStatus(t.db, org.organisationId, december.id, 'open');
    await sell(t.db, m(0), december.id, [2000]);
    await sell(t.db, m(1), december.id, [3550]);
    await sell(t.db, m(2), december.id, [900]);
    await changeEventStatus(t.db, org.organisationId, december.id, 'closed');
    for (const i of [0, 1, 2])
      await inviteMaker(t.db, org.organisationId, december.id, m(i).makerId);

    const january = await createNextEdition(t.db, org.organisationId, series.id, {
      date: futureDate(40),
      name: 'January bazaar',
    });
    expect(january.name).toBe('January bazaar');
    // Without a name it is never the last edition's again.
    const unnamed = await createNextEdition(t.db, org.organisationId, series.id, {
      date: futureDate(70),
    });
    expect(unnamed.name).not.toBe('January bazaar');
    expect(unnamed.name).toContain('Maandbazaar');
    await inviteMaker(t.db, org.organisationId, january.id, m(3).makerId);

    // The dashboard counts the makers the edition's page lists (3 copied + 1 invited).
    const data = await dashboard(t.db, await loadEvent(t.db, org.organisationId, january.id));
    expect(data.totals.makersCount).toBe(4);
    expect(data.editions?.current).toMatchObject({
      makersCount: 4,
      firstTimeMakersCount: 1,
      returningMakersCount: 3,
      sharedRevenueCents: null,
      revenueWithheld: 'no-sales',
    });
    expect(data.editions?.previous).toMatchObject({
      name: 'December bazaar',
      makersCount: 3,
      firstTimeMakersCount: 3,
      sharedRevenueCents: null,
      revenueWithheld: 'too-few-sharing',
      sharingSellersCount: 2,
    });
    const listed = (await listSeries(t.db, org.organisationId)).find((s) => s.id === series.id);
    expect(listed?.editions.map((e) => [e.name, e.figures?.makersCount])).toEqual([
      ['December bazaar', 3],
      ['January bazaar', 4],
      [unnamed.name, 3],
    ]);

    // December: two sharing makers sold 20.00 and 35.50. The dashboard's totals are the sum
    // of its table; the impact report withholds (fewer than 3), never "0.00".
    const closed = await dashboard(t.db, await loadEvent(t.db, org.organisationId, december.id));
    const tableSum = closed.makers.reduce((sum, v) => sum + (v.revenueCents ?? 0), 0);
    expect(tableSum).toBe(5550);
    expect(closed.totals).toMatchObject({ figuresShown: true, revenueCents: 5550 });
    const report = await impactReport(t.db, org.organisationId);
    const impact = report.series.find((s) => s.seriesId === series.id);
    expect(impact?.summary).toMatchObject({
      sharedRevenueCents: null,
      revenueEventsCount: 0,
      revenueWithheldEventsCount: 1,
    });
    expect(report.years.map((y) => y.summary.sharedRevenueCents)).toEqual([null]);
  });
});
