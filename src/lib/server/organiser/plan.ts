// Reading an event's plan: everything the organiser's map screen shows, and what a maker
// taking part may see of it (their stall view, announcements), and the events a maker takes
// part in.
import { and, eq, inArray, ne } from 'drizzle-orm';
import {
  assignmentConflicts,
  makerStallView,
  type MakerStallView,
} from '$lib/domain/organiser/assignments';
import { compareLabels } from '$lib/domain/organiser/common';
import type { StallNeeds } from '$lib/domain/organiser/maker-profile';
import { validateMap, type StallMap } from '$lib/domain/organiser/stall-map';
import type { Membership } from '$lib/server/accounts';
import type { Db } from '$lib/server/db';
import { events, stallAssignments, stalls } from '$lib/server/db/schema';
import { listAnnouncements, eventMakerIds, type Announcement } from './announcements';
import { eventNotFound } from './errors';
import {
  deviceStall,
  loadAssignments,
  loadEvent,
  loadLandmarks,
  type LoadedEvent,
} from './event-rows';
import { viewOf } from './events';
import { actingMakerId, noMaker, takesPart, takingPart } from './makers-access';
import { loadProfiles, makerNames } from './profiles';
import { eventFees } from './results';
import type { EventPlan, MakerEventSummary } from '$lib/organiser/contract';

export type { EventPlan, MakerEventSummary };

export async function eventPlan(
  db: Db,
  organisationId: string,
  eventId: string,
  now = Date.now(),
): Promise<EventPlan> {
  const event = await loadEvent(db, organisationId, eventId);
  const { fees, stalls: stallRows, assignments } = await eventFees(db, event);
  const landmarkRows = await loadLandmarks(db, eventId);
  const invited = await eventMakerIds(db, eventId);
  const makerIds = [...new Set([...invited, ...assignments.map((a) => a.makerId)])];
  const profiles = await loadProfiles(db, makerIds);
  const needs: Record<string, StallNeeds> = {};
  for (const [makerId, profile] of profiles) needs[makerId] = profile.needs;
  const names = await makerNames(db, makerIds);
  return {
    event: await viewOf(db, event, now),
    map: { width: event.map.width, height: event.map.height },
    stalls: [...stallRows].sort((a, b) => compareLabels(a.label, b.label)),
    landmarks: landmarkRows,
    assignments,
    invitedMakerIds: invited,
    mapConflicts: validateMap(event.map, stallRows, landmarkRows),
    assignmentConflicts: assignmentConflicts(stallRows.map(deviceStall), assignments, needs, {
      allowMultiple: event.allowMultipleStalls,
    }),
    fees,
    makers: makerIds.map((makerId) => ({ makerId, displayName: names.get(makerId) ?? '' })),
  };
}

// ---------------------------------------------------------------------------------------
// What makers see

function makerSummary(event: LoadedEvent, stallLabels: string[]): MakerEventSummary {
  return {
    id: event.id,
    name: event.name,
    date: event.date,
    place: event.place,
    opensAt: event.opensAt,
    closesAt: event.closesAt,
    status: event.status,
    description: event.description,
    stallLabels: [...stallLabels].sort(compareLabels),
  };
}

/** The maker a maker/helper acts for, or 403 for a helper without one. */
export async function requireActingMaker(db: Db, membership: Membership): Promise<string> {
  const makerId = await actingMakerId(db, membership);
  if (!makerId) throw noMaker();
  return makerId;
}

/**
 * An event as a maker taking part sees it; 404 for a draft, another organisation's event,
 * or one they take no part in (no existence leak).
 */
export async function loadEventForMaker(
  db: Db,
  membership: Membership,
  makerId: string,
  eventId: string,
): Promise<LoadedEvent> {
  const event = await loadEvent(db, membership.organisationId, eventId);
  if (event.status === 'draft' || !(await takesPart(db, eventId, makerId))) {
    throw eventNotFound(eventId);
  }
  return event;
}

export async function makerEventView(
  db: Db,
  membership: Membership,
  eventId: string,
): Promise<{
  event: MakerEventSummary;
  stallViews: MakerStallView[];
  announcements: Announcement[];
}> {
  const makerId = await requireActingMaker(db, membership);
  const event = await loadEventForMaker(db, membership, makerId, eventId);
  const { stalls: stallRows } = await eventFees(db, event);
  const landmarkRows = await loadLandmarks(db, eventId);
  const own = (await loadAssignments(db, eventId)).filter((a) => a.makerId === makerId);
  const map: StallMap = event.map;
  const views = (own.length > 0 ? own : [null]).map((assignment) =>
    makerStallView(makerId, event, map, stallRows.map(deviceStall), landmarkRows, assignment),
  );
  const labelOf = new Map(stallRows.map((s) => [s.id, s.label]));
  return {
    event: makerSummary(
      event,
      own.map((a) => labelOf.get(a.stallId) ?? ''),
    ),
    stallViews: views,
    announcements: await listAnnouncements(db, eventId),
  };
}

/** The organisation's non-draft events a maker is invited to or has a stall at. */
export async function listMakerEvents(
  db: Db,
  membership: Membership,
): Promise<MakerEventSummary[]> {
  const makerId = await requireActingMaker(db, membership);
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.organisationId, membership.organisationId),
        ne(events.status, 'draft'),
        takingPart(makerId),
      ),
    );
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const labels = await db
    .select({ eventId: stallAssignments.eventId, label: stalls.label })
    .from(stallAssignments)
    .innerJoin(stalls, eq(stalls.id, stallAssignments.stallId))
    .where(and(inArray(stallAssignments.eventId, ids), eq(stallAssignments.makerId, makerId)));
  const result: MakerEventSummary[] = [];
  for (const id of ids) {
    const event = await loadEvent(db, membership.organisationId, id);
    result.push(
      makerSummary(
        event,
        labels.filter((l) => l.eventId === id).map((l) => l.label),
      ),
    );
  }
  return result.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
