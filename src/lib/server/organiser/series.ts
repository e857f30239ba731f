// Recurring series and their editions (domain event-lifecycle.ts, RULES.md EV7, EV9).
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from '$lib/domain/ids';
import {
  latestEdition,
  nextEdition,
  seriesEditions,
  validateEventDetails,
  validateSeriesName,
  type EventSeries,
} from '$lib/domain/organiser/event-lifecycle';
import type { EventStatus } from '$lib/domain/types';
import type { Db, Tx } from '$lib/server/db';
import {
  eventMakers,
  eventSeries,
  events,
  landmarks,
  organisedEvents,
  stallAssignments,
  stallFees,
  stalls,
} from '$lib/server/db/schema';
import { notFound } from '$lib/server/http';
import { domainError, eventDetailsInvalid } from './errors';
import {
  deviceStall,
  loadAssignments,
  loadLandmarks,
  loadOrganisationEvents,
  loadStalls,
  lockEvent,
  toMarketEvent,
  type LoadedEvent,
} from './event-rows';
import { eventMakerIds } from './announcements';
import { viewOf, type OrganiserEventView } from './events';
import { today } from './time';
import { allEditionFigures } from './editions';
import type { EditionFigures } from '$lib/domain/organiser/editions';

export interface SeriesView extends EventSeries {
  editions: {
    eventId: string;
    editionNumber: number;
    name: string;
    date: string;
    status: EventStatus;
    /** Makers, first-timers, returning makers and shared sales (domain editions.ts). */
    figures: EditionFigures | null;
  }[];
}

function seriesView(
  series: EventSeries,
  all: readonly LoadedEvent[],
  figures: readonly EditionFigures[] = [],
): SeriesView {
  return {
    ...series,
    editions: seriesEditions(all, series.id).map(({ event, editionNumber }) => ({
      eventId: event.id,
      editionNumber,
      name: event.name,
      date: event.date,
      status: event.status,
      figures: figures.find((f) => f.eventId === event.id) ?? null,
    })),
  };
}

export async function listSeries(db: Db, organisationId: string): Promise<SeriesView[]> {
  const rows = await db
    .select()
    .from(eventSeries)
    .where(eq(eventSeries.organisationId, organisationId))
    .orderBy(eventSeries.createdAt, eventSeries.id);
  const all = await loadOrganisationEvents(db, organisationId);
  const figures = await allEditionFigures(db, organisationId, all);
  return rows.map((row) => seriesView(row, all, figures.get(row.id)));
}

async function loadSeries(db: Db | Tx, organisationId: string, seriesId: string) {
  const [row] = await db
    .select()
    .from(eventSeries)
    .where(and(eq(eventSeries.id, seriesId), eq(eventSeries.organisationId, organisationId)));
  if (!row) throw notFound(`There is no series ${seriesId} in your organisation.`);
  return row;
}

function checkedName(raw: string): string {
  const result = validateSeriesName(raw);
  if (result.ok) return result.value;
  throw domainError(
    422,
    'series_invalid',
    result.error === 'required'
      ? 'A series needs a name.'
      : 'A series name is at most 80 characters.',
    [{ path: 'name', code: result.error, message: `name ${result.error}` }],
  );
}

export async function createSeries(
  db: Db,
  organisationId: string,
  name: string,
  now = Date.now(),
): Promise<SeriesView> {
  const [row] = await db
    .insert(eventSeries)
    .values({ id: uuidv7(), organisationId, name: checkedName(name), createdAt: now })
    .returning();
  if (!row) throw new Error('inserting the series returned no row');
  return seriesView(row, []);
}

export async function renameSeries(
  db: Db,
  organisationId: string,
  seriesId: string,
  name: string,
): Promise<SeriesView> {
  const checked = checkedName(name);
  await loadSeries(db, organisationId, seriesId);
  const [row] = await db
    .update(eventSeries)
    .set({ name: checked })
    .where(eq(eventSeries.id, seriesId))
    .returning();
  if (!row) throw new Error('renaming the series returned no row');
  return seriesView(row, await loadOrganisationEvents(db, organisationId));
}

export async function deleteSeries(db: Db, organisationId: string, seriesId: string) {
  await db.transaction(async (tx) => {
    await loadSeries(tx, organisationId, seriesId);
    const editions = await tx
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.seriesId, seriesId), eq(events.organisationId, organisationId)))
      .limit(1);
    if (editions.length > 0) {
      throw domainError(
        409,
        'series_not_empty',
        'This series still has editions: delete or move them to another series first.',
      );
    }
    await tx.delete(eventSeries).where(eq(eventSeries.id, seriesId));
  });
}

/**
 * A new draft edition copied from the latest one: details, map size, stalls with their
 * fees, landmarks, invited makers; assignments only with `copyAssignments` (EV9).
 */
export async function createNextEdition(
  db: Db,
  organisationId: string,
  seriesId: string,
  input: { date: string; name?: string; copyAssignments?: boolean },
  now = Date.now(),
): Promise<OrganiserEventView> {
  return db.transaction(async (tx) => {
    const series = await loadSeries(tx, organisationId, seriesId);
    const all = await loadOrganisationEvents(tx, organisationId);
    const latest = latestEdition(all, seriesId);
    if (!latest) {
      throw domainError(
        409,
        'series_empty',
        'This series has no edition to copy yet: create its first event with POST /api/organiser/events and this seriesId.',
      );
    }
    const last = await lockEvent(tx, organisationId, latest.id);
    const oldStalls = await loadStalls(tx, last.id);
    const result = nextEdition({
      series,
      lastEvent: last,
      map: last.map,
      stalls: oldStalls.map(deviceStall),
      landmarks: await loadLandmarks(tx, last.id),
      assignments: await loadAssignments(tx, last.id),
      invitedMakerIds: await eventMakerIds(tx, last.id),
      date: input.date,
      newId: uuidv7,
      now,
      copyAssignments: input.copyAssignments ?? false,
      // Never the last edition's name again (two identical titles in the list): the name
      // given, or the series' name with the new date.
      name: input.name ?? `${series.name} ${input.date}`,
    });
    if (!result.ok) {
      throw domainError(
        422,
        'edition_invalid',
        result.error === 'date-not-after-last'
          ? `A new edition must come after the last one (${last.date}).`
          : 'The date is not a real date (YYYY-MM-DD).',
        [{ path: 'date', code: result.error, message: result.error }],
      );
    }
    const copy = result.value;
    const details = validateEventDetails(copy.event, { today: today(now) });
    if (!details.ok) throw eventDetailsInvalid(details.errors);
    // The organiser-only fields (description, closedAt) live in organised_events.
    const event = toMarketEvent(copy.event);
    await tx.insert(events).values({ ...event, ownerMakerId: null });
    await tx.insert(organisedEvents).values({
      eventId: event.id,
      description: copy.event.description,
      allowMultipleStalls: last.allowMultipleStalls,
      stallFeeDefaultCents: last.stallFeeDefaultCents,
      mapWidth: copy.map.width,
      mapHeight: copy.map.height,
    });
    if (copy.stalls.length > 0) await tx.insert(stalls).values(copy.stalls);
    // nextEdition copies stalls in the order given, so the fees follow by position.
    const fees = copy.stalls.flatMap((stall, i) => {
      const fee = oldStalls[i]?.feeCents;
      return fee === null || fee === undefined ? [] : [{ stallId: stall.id, feeCents: fee }];
    });
    if (fees.length > 0) await tx.insert(stallFees).values(fees);
    if (copy.landmarks.length > 0) await tx.insert(landmarks).values(copy.landmarks);
    if (copy.assignments.length > 0) await tx.insert(stallAssignments).values(copy.assignments);
    if (copy.invitedMakerIds.length > 0) {
      await tx
        .insert(eventMakers)
        .values(copy.invitedMakerIds.map((makerId) => ({ eventId: event.id, makerId })));
    }
    // A draft: nothing reaches makers' devices until it is published.
    const [created] = await loadOrganisationEvents(tx, organisationId).then((list) =>
      list.filter((e) => e.id === event.id),
    );
    if (!created) throw new Error('the new edition was not found after inserting it');
    return viewOf(tx, created, now);
  });
}
