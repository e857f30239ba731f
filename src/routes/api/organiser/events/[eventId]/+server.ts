import { requireMembership } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { deleteEvent, updateEvent } from '$lib/server/organiser/events';
import { idParam, noContent, requireOrganiser } from '$lib/server/organiser/http';
import { eventPlan, makerEventView } from '$lib/server/organiser/plan';
import { updateEventBody } from '$lib/organiser/contract';

export const prerender = false;

/** Organisers: the whole plan; a maker taking part: their stall view and announcements. */
export const GET = api(async (event) => {
  const membership = requireMembership(event);
  const eventId = idParam(event, 'eventId');
  const db = await getDb();
  if (membership.role === 'organiser') {
    return json(await eventPlan(db, membership.organisationId, eventId));
  }
  return json(await makerEventView(db, membership, eventId));
});

export const PATCH = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const body = await readInput(event.request, updateEventBody, { maxBytes: 32 * 1024 });
  return json({ event: await updateEvent(await getDb(), organisationId, eventId, body) });
});

export const DELETE = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  await deleteEvent(await getDb(), organisationId, idParam(event, 'eventId'));
  return noContent();
});
