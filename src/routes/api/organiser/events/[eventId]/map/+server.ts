import { getDb } from '$lib/server/db';
import { api, json, readJson } from '$lib/server/http';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { mapBody } from '$lib/server/organiser/schemas';
import { setMapSize } from '$lib/server/organiser/stall-map';

export const prerender = false;

export const PUT = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const eventId = idParam(event, 'eventId');
  const size = await readJson(event.request, mapBody, { maxBytes: 1024 });
  const map = await setMapSize(await getDb(), organisationId, eventId, size);
  return json({ map: { width: map.width, height: map.height } });
});
