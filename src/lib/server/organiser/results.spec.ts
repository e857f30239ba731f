import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '$lib/domain/organiser/csv';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { assign } from './assignments';
import { changeEventStatus } from './events';
import { loadEvent } from './event-rows';
import { impactReport } from './impact';
import { setSharesFigures, sharesFigures } from './makers';
import { dashboard, dashboardCsv, resultsForMaker } from './results';
import { createNextEdition, createSeries } from './series';
import {
  feedFor,
  futureDate,
  organisationWithMakers,
  publishedEvent,
  sell,
  type TestMaker,
  type TestOrganisation,
} from './testing';
import { refusal } from './spec-helpers';
import { pullAll, push } from '$lib/server/sync/testing';
import { RawDevice } from '$lib/sync/testing/factories';
import type { MakerResultsData } from '$lib/sync/protocol';
import type { Mutation } from '$lib/domain/types';
import { sumSplits } from '$lib/domain/summary';
import { linkPayments, linkSettlements } from '$lib/server/db/schema';

/** Sales at 11:xx Amsterdam time (09:xx UTC in May) on 16 May 2026. */
const AT_11 = Date.UTC(2026, 4, 16, 9, 5);
const at = (start: number) => {
  let tick = 0;
  return () => start + ++tick * 1000;
};

describe.each(testDbKinds())('results, dashboard and impact on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;
  let makers: TestMaker[];

  beforeAll(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 4);
    makers = org.makers;
    // Makers 1-3 share with the organisation; maker 4 does not (the default).
    for (const maker of makers.slice(0, 3)) {
      await setSharesFigures(t.db, maker.makerId, org.organisationId, true);
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const m = (i: number) => {
    const maker = makers[i];
    if (!maker) throw new Error(`no maker ${i}`);
    return maker;
  };

  /** A published event of a series where each maker has a stall, open for sales. */
  async function openEdition(seriesId: string, date: string) {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 4, {
      seriesId,
      date,
    });
    for (const [i, stall] of stalls.entries()) {
      await assign(t.db, org.organisationId, event.id, {
        stallId: stall.id,
        makerId: m(i).makerId,
      });
    }
    await changeEventStatus(t.db, org.organisationId, event.id, 'open');
    return event;
  }

  it('[R2][R3][R6] after closing: own figures, totals from sharing makers only, change against the previous edition', async () => {
    const series = await createSeries(t.db, org.organisationId, 'Pop-up Bazaar Leidschendam');
    const first = await openEdition(series.id, futureDate(10));
    await sell(t.db, m(0), first.id, [1000], at(AT_11));
    await sell(t.db, m(1), first.id, [2000], at(AT_11));
    await sell(t.db, m(2), first.id, [3000], at(AT_11));
    await sell(t.db, m(3), first.id, [9900], at(AT_11));
    await changeEventStatus(t.db, org.organisationId, first.id, 'closed');
    const firstResults = await resultsForMaker(
      t.db,
      await loadEvent(t.db, org.organisationId, first.id),
      m(0).makerId,
    );
    // Three sharing makers sold at 11:00: that hour may be named.
    expect(firstResults.event).toMatchObject({ revenueCents: 6000, busiestHour: '2026-05-16T11' });

    const second = await openEdition(series.id, futureDate(40));
    const loaded = await loadEvent(t.db, org.organisationId, second.id);
    const early = await refusal(resultsForMaker(t.db, loaded, m(0).makerId));
    expect([early.status, early.code]).toEqual([409, 'results_not_ready']);
    await sell(t.db, m(0), second.id, [700, 800], at(AT_11));
    await sell(t.db, m(1), second.id, [2000], at(AT_11 + 3_600_000));
    await sell(t.db, m(2), second.id, [1000], at(AT_11));
    await sell(t.db, m(3), second.id, [5000], at(AT_11));
    await changeEventStatus(t.db, org.organisationId, second.id, 'closed');

    const closed = await loadEvent(t.db, org.organisationId, second.id);
    const own = await resultsForMaker(t.db, closed, m(0).makerId);
    expect(own.own).toMatchObject({ salesCount: 2, revenueCents: 1500, averageSaleCents: 750 });
    expect(own.own.busiestHour).toBe('2026-05-16T11');
    // Maker 4's 5000 is not in the totals: they do not share. Every maker is counted.
    expect(own.event).toEqual({
      makersCount: 4,
      sharingMakersCount: 3,
      figuresShown: true,
      salesCount: 4,
      itemCount: 4,
      revenueCents: 4500,
      averageSaleCents: 1125,
      // 11:00 had two sharing sellers and 12:00 one: no hour has three, so none is named (R3).
      busiestHour: null,
    });
    expect(own.previous).toMatchObject({ salesCount: 1, revenueCents: 1000 });
    expect(own.change?.revenueCents).toEqual({ absolute: 500, percent: 50 });
    // A maker who does not share still sees their own figures and the totals.
    const notSharing = await resultsForMaker(t.db, closed, m(3).makerId);
    expect(notSharing.own.revenueCents).toBe(5000);
    expect(notSharing.event.revenueCents).toBe(4500);

    // Closing sent every maker their results through sync.
    const feed = await feedFor(t.db, { makerIds: [m(3).makerId] });
    const sent = feed.filter((c) => c.entity === 'maker_results' && c.data.eventId === second.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.data).toMatchObject({ makerId: m(3).makerId, results: notSharing });
  });

  it('[R3] with fewer than three sharing sellers no figure is shown', async () => {
    const event = await openEdition(
      (await createSeries(t.db, org.organisationId, 'Klein')).id,
      futureDate(12),
    );
    await sell(t.db, m(0), event.id, [1000], at(AT_11));
    await sell(t.db, m(1), event.id, [1000], at(AT_11));
    await sell(t.db, m(3), event.id, [1000], at(AT_11));
    await changeEventStatus(t.db, org.organisationId, event.id, 'closed');
    const loaded = await loadEvent(t.db, org.organisationId, event.id);
    const results = await resultsForMaker(t.db, loaded, m(0).makerId);
    expect(results.event).toMatchObject({
      makersCount: 4,
      sharingMakersCount: 3,
      figuresShown: false,
      revenueCents: null,
      busiestHour: null,
    });
    expect(results.own.revenueCents).toBe(1000);
    expect(results.previous).toBeNull();
  });

  it('[R5][CSV6] the dashboard shows figures only of sharing makers; the CSV leaves the others empty', async () => {
    const event = await openEdition(
      (await createSeries(t.db, org.organisationId, 'Dash')).id,
      futureDate(14),
    );
    await sell(t.db, m(0), event.id, [1250], at(AT_11));
    await sell(t.db, m(1), event.id, [500], at(AT_11));
    await sell(t.db, m(2), event.id, [250], at(AT_11 + 3_600_000));
    await sell(t.db, m(3), event.id, [9999], at(AT_11));
    const loaded = await loadEvent(t.db, org.organisationId, event.id);
    const data = await dashboard(t.db, loaded);
    expect(data.totals.revenueCents).toBe(2000);
    expect(data.perHour.map((h) => [h.hour, h.count, h.cents])).toEqual([
      ['2026-05-16T11', 2, 1750],
      ['2026-05-16T12', 1, 250],
    ]);
    const hidden = data.makers.find((v) => v.makerId === m(3).makerId);
    expect(hidden).toMatchObject({ shares: false, revenueCents: null, salesCount: null });
    expect(JSON.stringify(data)).not.toContain('9999');
    const csv = dashboardCsv(data, { language: 'en', decimal: 'dot', bom: false });
    const rows = parseCsv(csv);
    expect(rows[0]?.slice(0, 6)).toEqual([
      'maker',
      'stalls',
      'shares_figures',
      'sales',
      'items',
      'revenue',
    ]);
    const makerFour = rows.find((r) => r[0] === 'Maker 4');
    expect(makerFour?.slice(2, 7)).toEqual(['no', '', '', '', '']);
    expect(rows.find((r) => r[0] === 'Maker 1')?.[5]).toBe('12.50');
    expect(csv).not.toContain('99.99');
  });

  it("[split] the payment split in each maker's results and on the dashboard, whose split is the sum of the makers' (a split sale, a link sale awaiting, one confirmed, a refunded card sale)", async () => {
    const event = await openEdition(
      (await createSeries(t.db, org.organisationId, 'Split')).id,
      futureDate(16),
    );
    const pushAll = async (maker: TestMaker, device: RawDevice, mutations: Mutation[]) => {
      const answer = await push(t.db, maker.userId, device.request(device.queue(...mutations)));
      expect(answer.results.filter((r) => r.status === 'rejected')).toEqual([]);
    };
    // Maker 1: a sale of 10.00, 4.00 in cash and 6.00 by card; a card sale of 5.00 refunded.
    const d0 = new RawDevice({ makerId: m(0).makerId, now: at(AT_11) });
    const vase = d0.product({ priceCents: 1000 });
    const mug = d0.product({ priceCents: 500 });
    const split = d0.sale(event.id, [{ product: vase }], {
      payment: { method: 'split', cashPartCents: 400, tenderedCents: 500, cashRounding: false },
    });
    const card = d0.sale(event.id, [{ product: mug }], { payment: { method: 'qr' } });
    await pushAll(m(0), d0, [
      d0.productUpsert(vase),
      d0.productUpsert(mug),
      split,
      card,
      d0.refundOf(card),
    ]);
    // Maker 2: two sales on the stall's payment link, 7.00 awaiting and 3.00 confirmed.
    const d1 = new RawDevice({ makerId: m(1).makerId, now: at(AT_11) });
    const bowl = d1.product({ priceCents: 700 });
    const card2 = d1.product({ priceCents: 300 });
    const awaiting = d1.sale(event.id, [{ product: bowl }], {
      payment: { method: 'qr', via: 'link' },
    });
    const confirmed = d1.sale(event.id, [{ product: card2 }], {
      payment: { method: 'qr', via: 'link' },
    });
    await pushAll(m(1), d1, [d1.productUpsert(bowl), d1.productUpsert(card2), awaiting, confirmed]);
    await t.db.insert(linkPayments).values({
      sessionId: `cs_${confirmed.sale.id}`,
      makerId: m(1).makerId,
      accountId: 'acct_split',
      linkId: 'plink_split',
      saleId: confirmed.sale.id,
      paidCents: 300,
      currency: 'eur',
      status: 'paid',
      stripeCreatedAt: AT_11,
    });
    // Maker 3: cash; maker 4 (not sharing): cash the organiser never sees.
    await sell(t.db, m(2), event.id, [250], at(AT_11));
    await sell(t.db, m(3), event.id, [9900], at(AT_11));
    await changeEventStatus(t.db, org.organisationId, event.id, 'closed');
    const loaded = await loadEvent(t.db, org.organisationId, event.id);

    const own = async (i: number) => (await resultsForMaker(t.db, loaded, m(i).makerId)).own.split;
    const fig = (count: number, cents: number) => ({ count, cents });
    expect(await own(0)).toEqual({
      cash: fig(1, 400),
      phoneOrCard: fig(2, 600),
      awaiting: fig(0, 0),
      refunded: fig(1, 500),
      other: fig(0, 0),
      writtenOff: fig(0, 0),
      paidAfterWriteOff: fig(0, 0),
      paidTwice: fig(0, 0),
    });
    expect(await own(1)).toEqual({
      cash: fig(0, 0),
      phoneOrCard: fig(1, 300),
      awaiting: fig(1, 700),
      refunded: fig(0, 0),
      other: fig(0, 0),
      writtenOff: fig(0, 0),
      paidAfterWriteOff: fig(0, 0),
      paidTwice: fig(0, 0),
    });
    expect((await own(2))?.cash).toEqual(fig(1, 250));
    expect((await own(3))?.cash).toEqual(fig(1, 9900));

    const data = await dashboard(t.db, loaded);
    const shared = await Promise.all([0, 1, 2].map(own));
    expect(data.split).toEqual(sumSplits(shared.map((s) => s ?? sumSplits([]))));
    expect(data.split).toEqual({
      cash: fig(2, 650),
      phoneOrCard: fig(3, 900),
      awaiting: fig(1, 700),
      refunded: fig(1, 500),
      other: fig(0, 0),
      writtenOff: fig(0, 0),
      paidAfterWriteOff: fig(0, 0),
      paidTwice: fig(0, 0),
    });
    for (const i of [0, 1, 2]) {
      expect(data.makers.find((x) => x.makerId === m(i).makerId)?.split).toEqual(shared[i]);
    }
    expect(data.makers.find((x) => x.makerId === m(3).makerId)?.split).toBeNull();
    // What came in (cash, phone/card, awaiting) is the revenue, net of refunds.
    const total = data.split ?? sumSplits([]);
    expect(total.cash.cents + total.phoneOrCard.cents + total.awaiting.cents).toBe(
      data.totals.revenueCents,
    );
    // The results the organiser sends at closing carry the same split.
    const sent = (await feedFor(t.db, { makerIds: [m(0).makerId] }))
      .filter((c) => c.entity === 'maker_results')
      .map((c) => c.data as MakerResultsData)
      .filter((d) => d.eventId === event.id);
    expect(sent.map((d) => d.results.own.split)).toEqual([shared[0]]);

    // Maker 2 writes the unconfirmed 7.00 off (src/lib/domain/link-settlement.ts): the server's
    // split reads the settlement as the device does, on the results and the dashboard.
    await t.db.insert(linkSettlements).values({
      id: `settle_${awaiting.sale.id}`,
      saleId: awaiting.sale.id,
      makerId: m(1).makerId,
      eventId: event.id,
      outcome: 'written_off',
      method: null,
      note: null,
      at: AT_11,
      deviceId: 'device-settle',
      hlc: awaiting.sale.hlc,
    });
    const settled = await own(1);
    expect(settled?.awaiting).toEqual(fig(0, 0));
    expect(settled?.writtenOff).toEqual(fig(1, 700));
    const after = (await dashboard(t.db, loaded)).split;
    expect(after?.awaiting).toEqual(fig(0, 0));
    expect(after?.writtenOff).toEqual(fig(1, 700));
    expect(after?.cash).toEqual(fig(2, 650));
  });

  it("[authz] a sale at another organisation's event stays the maker's own, flagged foreign-event, and never enters that organisation's figures or maker lists", async () => {
    const event = await openEdition(
      (await createSeries(t.db, org.organisationId, 'Foreign')).id,
      futureDate(16),
    );
    await sell(t.db, m(0), event.id, [1000], at(AT_11));
    await sell(t.db, m(1), event.id, [2000], at(AT_11));
    await sell(t.db, m(2), event.id, [3000], at(AT_11));
    // A maker of another organisation (sharing with it, even) pushes a sale into our event:
    // the event id is public on /e/<event>.
    const other = await organisationWithMakers(t.db, 1, 'Stichting Elders');
    const stranger = other.makers[0];
    if (!stranger) throw new Error('no stranger');
    await setSharesFigures(t.db, stranger.makerId, other.organisationId, true);
    const device = new RawDevice({ makerId: stranger.makerId, now: at(AT_11) });
    const product = device.product({ priceCents: 77_700 });
    const sale = device.sale(event.id, [{ product }]);
    const answer = await push(
      t.db,
      stranger.userId,
      device.request(device.queue(device.productUpsert(product), sale)),
    );
    expect(answer.results[1]).toMatchObject({ status: 'applied' });
    expect(answer.results[1]?.flags).toContain('foreign-event');
    // Still the stranger's own sale, pulled by their own phone with the flag.
    const { changes } = await pullAll(t.db, stranger.userId, device.deviceId);
    const pulled = changes.find((c) => c.entity === 'sale' && c.data.sale.id === sale.sale.id);
    expect(pulled?.entity === 'sale' && pulled.data.flags).toContain('foreign-event');
    // Our organisation's dashboard, results and impact know nothing of them.
    const loaded = await loadEvent(t.db, org.organisationId, event.id);
    const data = await dashboard(t.db, loaded);
    expect(data.makers.map((v) => v.makerId)).not.toContain(stranger.makerId);
    expect(data.totals.revenueCents).toBe(6000);
    expect(JSON.stringify(data)).not.toContain('77700');
    await changeEventStatus(t.db, org.organisationId, event.id, 'closed');
    const closed = await loadEvent(t.db, org.organisationId, event.id);
    const results = await resultsForMaker(t.db, closed, m(0).makerId);
    expect(JSON.stringify(results)).not.toContain('77700');
    const impact = await impactReport(t.db, org.organisationId);
    const series = impact.series.find((x) => x.name === 'Foreign');
    expect(series?.summary.makersCount).toBe(4);
    const feed = await feedFor(t.db, { makerIds: [stranger.makerId] });
    expect(feed.filter((c) => c.entity === 'maker_results')).toEqual([]);
  });

  it('sharing is off by default and a maker can switch it', async () => {
    expect(await sharesFigures(t.db, m(3).makerId, org.organisationId)).toBe(false);
    await setSharesFigures(t.db, m(3).makerId, org.organisationId, true);
    expect(await sharesFigures(t.db, m(3).makerId, org.organisationId)).toBe(true);
    await setSharesFigures(t.db, m(3).makerId, org.organisationId, false);
    expect(await sharesFigures(t.db, m(3).makerId, org.organisationId)).toBe(false);
  });

  it('[IM1][IM2] impact counts closed editions, first-time and returning makers', async () => {
    const report = await impactReport(t.db, org.organisationId);
    const series = report.series.find((s) => s.name === 'Pop-up Bazaar Leidschendam');
    expect(series?.summary).toMatchObject({
      eventsCount: 2,
      makersCount: 4,
      firstTimeMakersCount: 4,
      returningMakersCount: 4,
      sharedRevenueCents: 6000 + 4500,
      revenueEventsCount: 2,
    });
    expect(series?.editions.map((e) => [e.editionNumber, e.firstTimeMakersCount])).toEqual([
      [1, 4],
      [2, 0],
    ]);
    // The open "Dash" edition is not counted anywhere (IM1).
    expect(report.series.find((s) => s.name === 'Dash')?.summary.eventsCount).toBe(0);
  });

  it('[EV9] a new edition copies stalls, fees, invited makers, not assignments', async () => {
    const series = await createSeries(t.db, org.organisationId, 'Kopie');
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 2, {
      seriesId: series.id,
      date: futureDate(5),
    });
    await assign(t.db, org.organisationId, event.id, {
      stallId: stalls[0]?.id ?? '',
      makerId: m(0).makerId,
    });
    const next = await createNextEdition(t.db, org.organisationId, series.id, {
      date: futureDate(35),
    });
    // Never the last edition's name again: the series' name and the new date (issue 12).
    expect(next).toMatchObject({
      status: 'draft',
      editionNumber: 2,
      name: `Kopie ${futureDate(35)}`,
    });
    expect(next.name).not.toBe(event.name);
    const { eventPlan } = await import('./plan');
    const plan = await eventPlan(t.db, org.organisationId, next.id);
    expect(plan.stalls.map((s) => s.label)).toEqual(stalls.map((s) => s.label));
    expect(plan.assignments).toEqual([]);
    expect(plan.invitedMakerIds).toEqual([m(0).makerId]);
    const early = await refusal(
      createNextEdition(t.db, org.organisationId, series.id, { date: futureDate(20) }),
    );
    expect([early.status, early.code]).toEqual([422, 'edition_invalid']);
  });
});
