import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { changeEventStatus } from '$lib/server/organiser/events';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { transitionBody } from '$lib/organiser/contract';

export const prerender = false;

/** Publish, withdraw, open, close or reopen (domain transitionEvent). */
export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const { to } = await readInput(event.request, transitionBody, { maxBytes: 1024 });
  return json({ event: await changeEventStatus(await getDb(), organisationId, eventId, to) });
});
