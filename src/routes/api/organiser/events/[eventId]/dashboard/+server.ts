import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { loadEvent } from '$lib/server/organiser/event-rows';
import { viewOf } from '$lib/server/organiser/events';
import { idParam, requireOrganiser } from '$lib/server/organiser/http';
import { dashboard } from '$lib/server/organiser/results';

export const prerender = false;

export const GET = api(async (event) => {
  const { organisationId } = requireOrganiser(event);
  const db = await getDb();
  const loaded = await loadEvent(db, organisationId, idParam(event, 'eventId'));
  return json({ event: await viewOf(db, loaded, Date.now()), ...(await dashboard(db, loaded)) });
});
