import { requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { api, json } from '$lib/server/http';
import { idParam } from '$lib/server/organiser/http';
import { loadEventForMaker, requireActingMaker } from '$lib/server/organiser/plan';
import { resultsForMaker } from '$lib/server/organiser/results';

export const prerender = false;

/** A maker's results after the event closed: their own figures next to the event's. */
export const GET = api(async (event) => {
  const membership = requireRole(event, 'maker', 'helper');
  const eventId = idParam(event, 'eventId');
  const db = await getDb();
  const makerId = await requireActingMaker(db, membership);
  const loaded = await loadEventForMaker(db, membership, makerId, eventId);
  return json({ eventId, results: await resultsForMaker(db, loaded, makerId) });
});
