// Organised events (API.md "Series and events").
import { requireMembership } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { createEvent, listOrganiserEvents } from '$lib/server/organiser/events';
import { requireOrganiser } from '$lib/server/organiser/http';
import { listMakerEvents } from '$lib/server/organiser/plan';
import { createEventBody } from '$lib/organiser/contract';

export const prerender = false;

/** Organisers: every event of the organisation; makers: the ones they take part in. */
export const GET = api(async (event) => {
  const membership = requireMembership(event);
  const db = await getDb();
  if (membership.role === 'organiser') {
    return json({ events: await listOrganiserEvents(db, membership.organisationId) });
  }
  return json({ events: await listMakerEvents(db, membership) });
});

export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const body = await readInput(event.request, createEventBody, { maxBytes: 32 * 1024 });
  return json({ event: await createEvent(await getDb(), organisationId, body) }, { status: 201 });
});
