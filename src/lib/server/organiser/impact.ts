// The impact summary per series and per year (domain impact.ts, RULES.md IM1-IM6): the
// evidence a foundation shows its funders. Closed events only; revenue only where at least
// three sharing makers sold.
import { asc, eq } from 'drizzle-orm';
import {
  impactYears,
  seriesImpact,
  yearImpact,
  type ImpactInput,
} from '$lib/domain/organiser/impact';
import type { Db } from '$lib/server/db';
import { eventSeries } from '$lib/server/db/schema';
import { loadOrganisationEvents } from './event-rows';
import { eventFigures } from './figures';
import type { Impact, SeriesImpact } from '$lib/organiser/contract';

export type SeriesImpactView = SeriesImpact;

export type ImpactReport = Impact;

export async function impactReport(db: Db, organisationId: string): Promise<ImpactReport> {
  const all = await loadOrganisationEvents(db, organisationId);
  const closed = all.filter((e) => e.status === 'closed');
  const figures = await eventFigures(
    db,
    organisationId,
    closed.map((e) => e.id),
  );
  const input: ImpactInput = {
    events: all.map((e) => ({
      id: e.id,
      seriesId: e.seriesId,
      date: e.date,
      status: e.status,
      createdAt: e.createdAt,
    })),
    participations: [...figures].flatMap(([eventId, summaries]) =>
      summaries.map((s) => ({ eventId, makerId: s.makerId })),
    ),
    revenues: [...figures].flatMap(([eventId, summaries]) =>
      summaries.map((s) => ({
        eventId,
        makerId: s.makerId,
        shares: s.shares,
        salesCount: s.salesCount,
        revenueCents: s.revenueCents,
      })),
    ),
  };
  const nameOf = new Map(all.map((e) => [e.id, e.name]));
  const seriesRows = await db
    .select({ id: eventSeries.id, name: eventSeries.name })
    .from(eventSeries)
    .where(eq(eventSeries.organisationId, organisationId))
    .orderBy(asc(eventSeries.createdAt), asc(eventSeries.id));
  const series = seriesRows.map((row): SeriesImpactView => {
    const whole = seriesImpact(row.id, input);
    const years = impactYears(input.events.filter((e) => e.seriesId === row.id));
    return {
      seriesId: row.id,
      name: row.name,
      summary: whole.summary,
      editions: whole.editions.map((e) => ({ ...e, name: nameOf.get(e.eventId) ?? '' })),
      years: years.map((year) => ({
        year,
        summary: seriesImpact(row.id, input, { year }).summary,
      })),
    };
  });
  return {
    series,
    years: impactYears(input.events).map((year) => ({ year, summary: yearImpact(year, input) })),
  };
}
