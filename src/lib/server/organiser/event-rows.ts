// Loading an organised event (and locking it for a write), and turning rows into the
// domain's shapes. Every write to an event's plan (details, map, stalls, landmarks,
// assignments, fees) first locks the event's organised_events row: two organisers editing
// the same map at once then take turns, so the domain's checks see what the other committed.
import { and, asc, eq } from 'drizzle-orm';
import type { OrganisedEvent } from '$lib/domain/organiser/event-lifecycle';
import type { Landmark, StallMap } from '$lib/domain/organiser/stall-map';
import type { MarketEvent, Stall, StallAssignment } from '$lib/domain/types';
import type { Db, Tx } from '$lib/server/db';
import {
  events,
  landmarks,
  organisedEvents,
  stallAssignments,
  stallFees,
  stalls,
} from '$lib/server/db/schema';
import { eventNotFound } from './errors';

type EventRow = typeof events.$inferSelect;
type OrganisedRow = typeof organisedEvents.$inferSelect;

/** An organised event with the organiser's own settings. */
export interface LoadedEvent extends OrganisedEvent {
  organisationId: string;
  allowMultipleStalls: boolean;
  stallFeeDefaultCents: number;
  map: StallMap;
}

export function toMarketEvent(event: OrganisedEvent): MarketEvent {
  return {
    id: event.id,
    organisationId: event.organisationId,
    seriesId: event.seriesId,
    name: event.name,
    date: event.date,
    place: event.place,
    opensAt: event.opensAt,
    closesAt: event.closesAt,
    status: event.status,
    origin: event.origin,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
  };
}

export function toLoadedEvent(row: EventRow, org: OrganisedRow): LoadedEvent {
  if (row.organisationId === null) throw new Error(`event ${row.id} has no organisation`);
  return {
    id: row.id,
    organisationId: row.organisationId,
    seriesId: row.seriesId,
    name: row.name,
    date: row.date,
    place: row.place,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    status: row.status,
    origin: row.origin,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    description: org.description,
    closedAt: org.closedAt,
    allowMultipleStalls: org.allowMultipleStalls,
    stallFeeDefaultCents: org.stallFeeDefaultCents,
    map: { eventId: row.id, width: org.mapWidth, height: org.mapHeight },
  };
}

function eventQuery(db: Db | Tx, organisationId: string, eventId: string) {
  return db
    .select({ event: events, org: organisedEvents })
    .from(events)
    .innerJoin(organisedEvents, eq(organisedEvents.eventId, events.id))
    .where(and(eq(events.id, eventId), eq(events.organisationId, organisationId)));
}

/** One event of the organisation, or 404 (also for another organisation's: no leak). */
export async function loadEvent(
  db: Db | Tx,
  organisationId: string,
  eventId: string,
): Promise<LoadedEvent> {
  const [row] = await eventQuery(db, organisationId, eventId);
  if (!row) throw eventNotFound(eventId);
  return toLoadedEvent(row.event, row.org);
}

/** As loadEvent, holding the event's lock until the transaction ends. */
export async function lockEvent(
  tx: Tx,
  organisationId: string,
  eventId: string,
): Promise<LoadedEvent> {
  const [row] = await eventQuery(tx, organisationId, eventId).for('update', {
    of: organisedEvents,
  });
  if (!row) throw eventNotFound(eventId);
  return toLoadedEvent(row.event, row.org);
}

export interface StallWithFee extends Stall {
  feeCents: number | null;
}

export async function loadStalls(db: Db | Tx, eventId: string): Promise<StallWithFee[]> {
  const rows = await db
    .select({ stall: stalls, feeCents: stallFees.feeCents })
    .from(stalls)
    .leftJoin(stallFees, eq(stallFees.stallId, stalls.id))
    .where(eq(stalls.eventId, eventId))
    .orderBy(asc(stalls.id));
  return rows.map((row) => ({ ...row.stall, feeCents: row.feeCents }));
}

/** The device's Stall shape (no fee: devices never see fees). */
export function deviceStall(stall: StallWithFee): Stall {
  return {
    id: stall.id,
    eventId: stall.eventId,
    label: stall.label,
    x: stall.x,
    y: stall.y,
    width: stall.width,
    height: stall.height,
    notes: stall.notes,
    power: stall.power,
    table: stall.table,
    foodHygiene: stall.foodHygiene,
  };
}

export async function loadLandmarks(db: Db | Tx, eventId: string): Promise<Landmark[]> {
  return db
    .select()
    .from(landmarks)
    .where(eq(landmarks.eventId, eventId))
    .orderBy(asc(landmarks.id));
}

export async function loadAssignments(db: Db | Tx, eventId: string): Promise<StallAssignment[]> {
  return db
    .select()
    .from(stallAssignments)
    .where(eq(stallAssignments.eventId, eventId))
    .orderBy(asc(stallAssignments.id));
}

/** Every event of the organisation, by date (then creation, then id). */
export async function loadOrganisationEvents(
  db: Db | Tx,
  organisationId: string,
): Promise<LoadedEvent[]> {
  const rows = await db
    .select({ event: events, org: organisedEvents })
    .from(events)
    .innerJoin(organisedEvents, eq(organisedEvents.eventId, events.id))
    .where(eq(events.organisationId, organisationId))
    .orderBy(asc(events.date), asc(events.createdAt), asc(events.id));
  return rows.map((row) => toLoadedEvent(row.event, row.org));
}
