import { getDb } from '$lib/server/db';
import { api, json, readInput } from '$lib/server/http';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { mapBody } from '$lib/organiser/contract';
import { setMapSize } from '$lib/server/organiser/stall-map';

export const prerender = false;

export const PUT = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const size = await readInput(event.request, mapBody, { maxBytes: 1024 });
  const map = await setMapSize(await getDb(), organisationId, eventId, size);
  return json({ map: { width: map.width, height: map.height } });
});
