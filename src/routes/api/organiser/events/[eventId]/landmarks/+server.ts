import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { createLandmarkBody } from '$lib/organiser/contract';
import { createLandmark } from '$lib/server/organiser/stall-map';

export const prerender = false;

export const POST = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const body = await readInput(event.request, createLandmarkBody, { maxBytes: 4096 });
  const landmark = await createLandmark(await getDb(), organisationId, eventId, body);
  return json({ landmark }, { status: 201 });
});
