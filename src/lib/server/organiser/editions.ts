// Each edition of a series against the previous one (domain editions.ts), from the makers
// who take part (taking-part.ts) and their figures (figures.ts): for the series list and
// the event dashboard.
import {
  againstPrevious,
  editionFigures,
  type EditionFigures,
} from '$lib/domain/organiser/editions';
import type { Db, Tx } from '$lib/server/db';
import { loadOrganisationEvents, type LoadedEvent } from './event-rows';
import { eventFigures } from './figures';

/** seriesId -> its editions' figures, for every series of the organisation with editions. */
export async function allEditionFigures(
  db: Db | Tx,
  organisationId: string,
  all?: readonly LoadedEvent[],
): Promise<Map<string, EditionFigures[]>> {
  const events = all ?? (await loadOrganisationEvents(db, organisationId));
  const inSeries = events.filter((e) => e.seriesId !== null);
  const figures = await eventFigures(
    db,
    organisationId,
    inSeries.map((e) => e.id),
  );
  const result = new Map<string, EditionFigures[]>();
  for (const seriesId of new Set(inSeries.map((e) => e.seriesId as string))) {
    result.set(seriesId, editionFigures(inSeries, seriesId, figures));
  }
  return result;
}

export interface EditionComparison {
  current: EditionFigures;
  previous: (EditionFigures & { name: string; date: string }) | null;
}

/** The event against its series' previous edition; null for an event in no series. */
export async function editionComparison(
  db: Db | Tx,
  event: LoadedEvent,
): Promise<EditionComparison | null> {
  if (event.seriesId === null) return null;
  const all = await loadOrganisationEvents(db, event.organisationId);
  const series = all.filter((e) => e.seriesId === event.seriesId);
  const figures = await eventFigures(
    db,
    event.organisationId,
    series.map((e) => e.id),
  );
  const compared = againstPrevious(editionFigures(series, event.seriesId, figures), event.id);
  if (!compared) return null;
  const previousEvent = compared.previous
    ? series.find((e) => e.id === compared.previous?.eventId)
    : undefined;
  return {
    current: compared.current,
    previous:
      compared.previous && previousEvent
        ? { ...compared.previous, name: previousEvent.name, date: previousEvent.date }
        : null,
  };
}
