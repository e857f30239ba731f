// Organised events: create, edit, delete (drafts only) and move through their statuses with
// the domain's rules (event-lifecycle.ts, RULES.md EV1-EV7). One transaction per request.
import { and, eq, sql } from 'drizzle-orm';
import {
  allowedTransitions,
  editionNumber,
  publishRequirementsMissing,
  transitionEvent,
  validateEventDetails,
  type EventDetailsInput,
  type PublishRequirement,
  type TransitionError,
} from '$lib/domain/organiser/event-lifecycle';
import { validateMapSize } from '$lib/domain/organiser/stall-map';
import { uuidv7 } from '$lib/domain/ids';
import type { EventStatus } from '$lib/domain/types';
import type { Db, Tx } from '$lib/server/db';
import { events, eventSeries, organisedEvents } from '$lib/server/db/schema';
import { ApiError, notFound } from '$lib/server/http';
import { domainError, eventDetailsInvalid, mapInvalid, type DomainIssue } from './errors';
import {
  loadAssignments,
  loadLandmarks,
  loadStalls,
  deviceStall,
  lockEvent,
  loadOrganisationEvents,
  toLoadedEvent,
  toMarketEvent,
  type LoadedEvent,
} from './event-rows';
import { eventChange, eventDeleted, feed, planSnapshot } from './feed';
import { announcementChanges } from './announcements';
import { resultsAtClosing } from './results';
import type { CreateEventBody, UpdateEventBody } from '$lib/organiser/contract';
import { today } from './time';
import { recordChanges } from '$lib/server/sync/change-feed';
import type { OrganiserEvent } from '$lib/organiser/contract';

/** The organiser's view of an event (the contract's OrganiserEvent). */
export type OrganiserEventView = OrganiserEvent;

type EditionLike = Parameters<typeof editionNumber>[0][number];

export function eventView(
  event: LoadedEvent,
  siblings: readonly EditionLike[],
  now: number,
): OrganiserEventView {
  const all = siblings.some((s) => s.id === event.id) ? siblings : [...siblings, event];
  return {
    id: event.id,
    organisationId: event.organisationId,
    seriesId: event.seriesId,
    name: event.name,
    date: event.date,
    place: event.place,
    opensAt: event.opensAt,
    closesAt: event.closesAt,
    description: event.description,
    status: event.status,
    closedAt: event.closedAt,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
    allowMultipleStalls: event.allowMultipleStalls,
    stallFeeDefaultCents: event.stallFeeDefaultCents,
    editionNumber: editionNumber(all, event.id),
    allowedTransitions: allowedTransitions(event, now),
    publishMissing: publishRequirementsMissing(event),
  };
}

async function seriesSiblings(db: Db | Tx, event: LoadedEvent): Promise<LoadedEvent[]> {
  if (event.seriesId === null) return [event];
  const all = await loadOrganisationEvents(db, event.organisationId);
  return all.filter((e) => e.seriesId === event.seriesId);
}

export async function viewOf(db: Db | Tx, event: LoadedEvent, now: number) {
  return eventView(event, await seriesSiblings(db, event), now);
}

export async function listOrganiserEvents(
  db: Db,
  organisationId: string,
  now = Date.now(),
): Promise<OrganiserEventView[]> {
  const all = await loadOrganisationEvents(db, organisationId);
  return all.map((event) => eventView(event, all, now));
}

async function assertSeriesOf(db: Db | Tx, organisationId: string, seriesId: string) {
  const rows = await db
    .select({ id: eventSeries.id })
    .from(eventSeries)
    .where(and(eq(eventSeries.id, seriesId), eq(eventSeries.organisationId, organisationId)));
  if (rows.length === 0) throw notFound(`There is no series ${seriesId} in your organisation.`);
}

function checkedDetails(input: EventDetailsInput, options: { today?: string }) {
  const result = validateEventDetails(input, options);
  if (!result.ok) throw eventDetailsInvalid(result.errors);
  return result.value;
}

export async function createEvent(
  db: Db,
  organisationId: string,
  body: CreateEventBody,
  now = Date.now(),
): Promise<OrganiserEventView> {
  const details = checkedDetails(
    {
      name: body.name,
      date: body.date,
      opensAt: body.opensAt ?? null,
      closesAt: body.closesAt ?? null,
      place: body.place ?? '',
      description: body.description ?? '',
    },
    { today: today(now) },
  );
  const map = { width: body.mapWidth ?? 12, height: body.mapHeight ?? 8 };
  if (validateMapSize(map).length > 0) {
    throw mapInvalid(validateMapSize(map).map((problem) => ({ code: 'map-size', problem })));
  }
  return db.transaction(async (tx) => {
    if (body.seriesId) await assertSeriesOf(tx, organisationId, body.seriesId);
    const id = uuidv7();
    const { description, ...shared } = details;
    const [row] = await tx
      .insert(events)
      .values({
        id,
        organisationId,
        ownerMakerId: null,
        seriesId: body.seriesId ?? null,
        ...shared,
        status: 'draft',
        origin: 'server',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [org] = await tx
      .insert(organisedEvents)
      .values({
        eventId: id,
        description,
        allowMultipleStalls: body.allowMultipleStalls ?? false,
        stallFeeDefaultCents: body.stallFeeDefaultCents ?? 0,
        mapWidth: map.width,
        mapHeight: map.height,
      })
      .returning();
    if (!row || !org) throw new Error('inserting the event returned no row');
    // A new event is a draft: nothing reaches makers' devices yet.
    return viewOf(tx, toLoadedEvent(row, org), now);
  });
}

export async function updateEvent(
  db: Db,
  organisationId: string,
  eventId: string,
  body: UpdateEventBody,
  now = Date.now(),
): Promise<OrganiserEventView> {
  return db.transaction(async (tx) => {
    const current = await lockEvent(tx, organisationId, eventId);
    const input: EventDetailsInput = {
      name: body.name ?? current.name,
      date: body.date ?? current.date,
      opensAt: body.opensAt === undefined ? current.opensAt : body.opensAt,
      closesAt: body.closesAt === undefined ? current.closesAt : body.closesAt,
      place: body.place ?? current.place,
      description: body.description ?? current.description,
    };
    // Moving an event to another day must not put it in the past; editing one that
    // already happened (a typo in the name) must still be possible.
    const moved = body.date !== undefined && body.date.trim() !== current.date;
    const details = checkedDetails(input, moved ? { today: today(now) } : {});
    if (current.status !== 'draft') {
      const missing = publishRequirementsMissing(details);
      if (missing.length > 0) throw publishIncomplete(missing, 'A published event keeps');
    }
    if (body.seriesId) await assertSeriesOf(tx, organisationId, body.seriesId);
    const { description, ...shared } = details;
    const [row] = await tx
      .update(events)
      .set({
        ...shared,
        ...(body.seriesId !== undefined ? { seriesId: body.seriesId } : {}),
        updatedAt: now,
        // +1 on every write (schema/sync.ts); organiser writes need not send it: they lock
        // the event first, so their feed order is their commit order.
        version: sql`${events.version} + 1`,
        serverUpdatedAt: new Date(now),
      })
      .where(eq(events.id, eventId))
      .returning();
    const [org] = await tx
      .update(organisedEvents)
      .set({
        description,
        ...(body.allowMultipleStalls !== undefined
          ? { allowMultipleStalls: body.allowMultipleStalls }
          : {}),
        ...(body.stallFeeDefaultCents !== undefined
          ? { stallFeeDefaultCents: body.stallFeeDefaultCents }
          : {}),
      })
      .where(eq(organisedEvents.eventId, eventId))
      .returning();
    if (!row || !org) throw new Error('updating the event returned no row');
    const event = toLoadedEvent(row, org);
    await feed(tx, event, [eventChange(toMarketEvent(event), null)]);
    return viewOf(tx, event, now);
  });
}

export async function deleteEvent(db: Db, organisationId: string, eventId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const event = await lockEvent(tx, organisationId, eventId);
    if (event.status !== 'draft') {
      throw domainError(
        409,
        'event_not_draft',
        `Only a draft can be deleted; this event is ${event.status}. Take it back to draft first (possible until it opens).`,
      );
    }
    await tx.delete(events).where(eq(events.id, eventId));
    await recordChanges(tx, [eventDeleted(event)]);
  });
}

function publishIncomplete(missing: PublishRequirement[], lead = 'Publishing needs'): ApiError {
  const issues: DomainIssue[] = missing.map((field) => ({
    path: field,
    code: 'required',
    message: `${field} is required.`,
  }));
  return domainError(
    422,
    'publish_incomplete',
    `${lead} a place and opening hours: ${missing.join(', ')} missing.`,
    issues,
  );
}

function transitionRefused(error: TransitionError): ApiError {
  switch (error.code) {
    case 'same-status':
      return domainError(409, 'same_status', `The event is already ${error.status}.`);
    case 'not-allowed':
      return domainError(
        409,
        'transition_not_allowed',
        `An event cannot go from ${error.from} to ${error.to} (allowed: draft→published, published→draft, published→open, open→closed, closed→open within 24 hours).`,
      );
    case 'reopen-window-passed':
      return domainError(
        409,
        'reopen_window_passed',
        'A closed event can only be reopened within 24 hours of closing; makers have their results.',
      );
    case 'invalid-details':
      return eventDetailsInvalid(error.errors);
    case 'incomplete-details':
      return publishIncomplete(error.missing);
  }
}

export async function changeEventStatus(
  db: Db,
  organisationId: string,
  eventId: string,
  to: EventStatus,
  now = Date.now(),
): Promise<OrganiserEventView> {
  return db.transaction(async (tx) => {
    const current = await lockEvent(tx, organisationId, eventId);
    const result = transitionEvent(current, to, now);
    if (!result.ok) throw transitionRefused(result.error);
    const next = result.event;
    await tx
      .update(events)
      .set({
        status: next.status,
        updatedAt: now,
        version: sql`${events.version} + 1`,
        serverUpdatedAt: new Date(now),
      })
      .where(eq(events.id, eventId));
    await tx
      .update(organisedEvents)
      .set({ closedAt: next.closedAt })
      .where(eq(organisedEvents.eventId, eventId));
    await recordChanges(tx, await statusChanges(tx, current.status, next, now));
    return viewOf(tx, next, now);
  });
}

/** What makers' devices learn from a status change (see feed.ts). */
async function statusChanges(tx: Tx, from: EventStatus, event: LoadedEvent, now: number) {
  if (event.status === 'draft') return [eventDeleted(event)];
  if (from === 'draft') {
    // One after the other: they share the transaction's one connection.
    const stalls = await loadStalls(tx, event.id);
    const landmarks = await loadLandmarks(tx, event.id);
    const assignments = await loadAssignments(tx, event.id);
    return [
      ...planSnapshot(event, stalls.map(deviceStall), landmarks, assignments),
      ...(await announcementChanges(tx, event.id)),
    ];
  }
  const changes = [eventChange(toMarketEvent(event), null)];
  if (event.status === 'closed') changes.push(...(await resultsAtClosing(tx, event, now)));
  return changes;
}
