import { getDb } from '$lib/server/db';
import { api, json, readJson } from '$lib/server/http';
import { changeEventStatus } from '$lib/server/organiser/events';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { transitionBody } from '$lib/server/organiser/schemas';

export const prerender = false;

/** Publish, withdraw, open, close or reopen (domain transitionEvent). */
export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const { to } = await readJson(event.request, transitionBody, { maxBytes: 1024 });
  return json({ event: await changeEventStatus(await getDb(), organisationId, eventId, to) });
});
